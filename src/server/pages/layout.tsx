/** @jsxImportSource hono/jsx */
import type { Child } from 'hono/jsx';
import { assetUrl } from '../assets/index.js';

export type NavKey = 'feed' | 'search' | 'coverage' | 'indicators' | 'convert' | 'none';

const NAV: Array<[NavKey, string, string]> = [
  ['feed', '/', 'Feed'],
  ['search', '/search', 'Search'],
  ['coverage', '/coverage', 'Coverage'],
  ['indicators', '/indicators', 'Indicators'],
  ['convert', '/convert', 'Converter'],
];

export interface LayoutProps {
  title: string;
  nav: NavKey;
  /** Page scripts besides the shared one (`converter.js`, `coverage.js`). */
  scripts?: Array<'converter.js' | 'coverage.js'>;
  query?: string;
  children?: Child;
}

/** The frame of every page: header with navigation and search, the content, the credits. */
export function Layout(props: LayoutProps) {
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{props.title} · RuleAtlas</title>
        <link rel="icon" href="data:," />
        <link rel="stylesheet" href={assetUrl('app.css')} />
        <script src={assetUrl('ui.js')} defer></script>
        {(props.scripts ?? []).map((s) => (
          <script src={assetUrl(s)} defer></script>
        ))}
      </head>
      <body>
        <header class="top">
          <a class="brand" href="/">
            Rule<span>Atlas</span>
          </a>
          <nav aria-label="Main">
            {NAV.map(([key, href, label]) => (
              <a href={href} class={key === props.nav ? 'on' : undefined} aria-current={key === props.nav ? 'page' : undefined}>
                {label}
              </a>
            ))}
          </nav>
          <form action="/search" method="get" role="search">
            <input type="search" name="q" value={props.query ?? ''} placeholder="Search rules, techniques, indicators" aria-label="Search" />
          </form>
        </header>
        <main>{props.children}</main>
        <footer>
          RuleAtlas: detection rules from Sigma, Splunk, Elastic, Sentinel and Chronicle in one intermediate form. Rules keep their upstream licenses (shown on each rule). MITRE ATT&CK® content © The
          MITRE Corporation, reproduced and distributed with the permission of The MITRE Corporation. · <a href="/api/openapi.json">API</a>
        </footer>
      </body>
    </html>
  );
}
