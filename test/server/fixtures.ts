import { copyFileSync, cpSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { loadAttackSync, loadTagHints, TagResolver } from '../../src/attack/index.js';
import { loadRuleFile } from '../../src/formats/load.js';
import { readSigma } from '../../src/formats/sigma/index.js';
import type { Rule } from '../../src/model/index.js';
import type { AttackData } from '../../src/server/options.js';
import { SHARED, SIGMA } from '../helpers.js';

export const SEED_ID = 'sigma:ee37eb7c-a4e7-4cd5-8fa4-efa27f1c3f31';
export const SEED_FILE = join(SIGMA, 'rules', 'windows', 'process_creation', 'proc_creation_win_pua_ngrok.yml');

const SIGMA_SOURCE = { corpus: 'sigma', repository: 'SigmaHQ/sigma', commit: '8eaafff1f284', license: 'DRL 1.1', retrievedAt: '2026-08-05' };

/** The seed rule, its neighbours across vendors, and a slice of process-creation rules. */
export function fixtureRules(extra = 40): Rule[] {
  const out: Rule[] = [];
  const sigma = (path: string): void => {
    const rel = path.slice(SIGMA.length + 1);
    out.push(...loadRuleFile(path, { idPrefix: 'sigma', source: { ...SIGMA_SOURCE, path: rel, url: `https://github.com/SigmaHQ/sigma/blob/8eaafff1f284/${rel}` } }));
  };
  sigma(SEED_FILE);
  for (const f of ['windows/network_connection/net_connection_win_domain_ngrok.yml', 'windows/builtin/terminalservices/win_terminalservices_rdp_ngrok.yml']) sigma(join(SIGMA, 'rules', f));
  const dir = join(SIGMA, 'rules', 'windows', 'process_creation');
  for (const f of readdirSync(dir).filter((f) => f.endsWith('.yml')).sort().slice(0, extra)) sigma(join(dir, f));
  const splunk = join(SHARED, 'corpora', 'splunk', 'detections', 'endpoint');
  for (const f of ['windows_ngrok_reverse_proxy_usage.yml', 'linux_ngrok_reverse_proxy_usage.yml']) {
    out.push(...loadRuleFile(join(splunk, f), { idPrefix: 'splunk', source: { corpus: 'splunk', repository: 'splunk/security_content', license: 'Apache-2.0', path: `detections/endpoint/${f}` } }));
  }
  return out;
}

/**
 * The same rules as `fixtureRules` (plus the hostile one) as files in a folder of corpus folders,
 * for tests that run the real ingest and store (copied to a temporary folder at test time).
 */
export function fixtureCorpora(extra = 40): string {
  const dir = mkdtempSync(join(tmpdir(), 'ruleatlas-fixture-corpora-'));
  const copy = (corpus: string, rel: string): void => {
    const to = join(dir, corpus, rel);
    mkdirSync(dirname(to), { recursive: true });
    copyFileSync(join(SHARED, 'corpora', corpus, rel), to);
  };
  for (const c of ['sigma', 'splunk']) copy(c, 'SOURCE.md');
  copy('sigma', SEED_FILE.slice(SIGMA.length + 1));
  for (const f of ['windows/network_connection/net_connection_win_domain_ngrok.yml', 'windows/builtin/terminalservices/win_terminalservices_rdp_ngrok.yml']) copy('sigma', `rules/${f}`);
  for (const f of readdirSync(join(SIGMA, 'rules', 'windows', 'process_creation')).filter((f) => f.endsWith('.yml')).sort().slice(0, extra)) copy('sigma', `rules/windows/process_creation/${f}`);
  for (const f of ['windows_ngrok_reverse_proxy_usage.yml', 'linux_ngrok_reverse_proxy_usage.yml']) copy('splunk', `detections/endpoint/${f}`);
  cpSync(join(SHARED, 'corpora', 'splunk', 'macros'), join(dir, 'splunk', 'macros'), { recursive: true });
  writeFileSync(join(dir, 'sigma', 'rules', 'hostile.yml'), hostileRule().body);
  return dir;
}

/** Payloads a hostile rule author could put in any text field. */
export const XSS = ['<script>alert(1)</script>', '"><img src=x onerror=alert(2)>', "'><svg onload=alert(3)>", '</textarea><script>alert(4)</script>', 'javascript:alert(5)', '{{constructor.constructor("alert(6)")()}}'];

/** A corpus rule whose every text field carries the payloads. */
export function hostileRule(): Rule {
  const p = XSS.map((x) => JSON.stringify(x));
  const text = `title: ${JSON.stringify(`${XSS[0]} ${XSS[1]}`)}
id: 0badc0de-0000-4000-8000-000000000001
status: test
description: ${JSON.stringify(`${XSS[2]} ${XSS[3]}`)}
author: ${p[1]}
references:
    - ${p[4]}
    - 'https://example.com/"><script>alert(7)</script>'
tags:
    - attack.execution
    - attack.t1059
logsource:
    category: process_creation
    product: windows
detection:
    selection:
        CommandLine|contains:
            - ${p[0]}
            - ${p[1]}
            - ${p[3]}
        Image|endswith: ${p[5]}
    condition: selection
falsepositives:
    - ${p[2]}
level: high
`;
  return readSigma(text, { file: 'hostile.yml', idPrefix: 'sigma', source: { corpus: 'sigma', path: 'rules/hostile.yml', url: 'javascript:alert(8)', license: '<b>x</b>' } })[0]!;
}

let attack: AttackData | undefined;
export function fixtureAttack(): AttackData {
  if (!attack) {
    const { index } = loadAttackSync(join(SHARED, 'attack', 'enterprise-attack.json'));
    attack = { index, resolver: new TagResolver(index, loadTagHints(join(SHARED, 'attack', 'sigma-v18-to-v19-tag-changes.json'))) };
  }
  return attack;
}
