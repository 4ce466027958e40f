import { defaultAttackBundle, loadAttackSync, loadTagHints, TagResolver } from '../../attack/index.js';
import { ASSETS } from '../assets/index.js';
import type { SiteData } from '../data.js';
import { ApiError } from '../http/errors.js';
import type { AppOptions, AttackData } from '../options.js';
import { CoverageViews } from '../views/coverage-view.js';
import { RuleViews } from '../views/rule-view.js';
import { VERSION } from '../../version.js';

/** Rendering changes with the code and the assets, not only the catalog: part of every ETag. */
const RENDER_VERSION = `${VERSION}:${Object.values(ASSETS).map((a) => a.hash).join('.')}`;

/** The catalog-backed parts of the app, created once and shared by the routes. */
export class CatalogContext {
  private attackData: AttackData | null | undefined;
  private rules?: RuleViews;
  private coverage?: CoverageViews;

  constructor(private readonly options: AppOptions) {
    this.attackData = options.attack;
  }

  get hasData(): boolean {
    return !!this.options.data;
  }

  data(): SiteData {
    if (!this.options.data) throw new ApiError(503, 'no-catalog', 'the catalog is not loaded: run `ruleatlas ingest` (or `ruleatlas serve`, which ingests when the store is missing)');
    return this.options.data;
  }

  generation(): string {
    return `${RENDER_VERSION}:${this.options.data?.generation() ?? 'none'}`;
  }

  /** ATT&CK, loaded on first use (about half a second) unless the app was given it. */
  attack(): AttackData | null {
    if (this.attackData === undefined) {
      const located = defaultAttackBundle();
      this.attackData = null;
      if (located) {
        try {
          const { index } = loadAttackSync(located.bundle);
          this.attackData = { index, resolver: new TagResolver(index, located.hints ? loadTagHints(located.hints) : undefined) };
        } catch (e) {
          (this.options.log ?? console.error)(`ruleatlas serve: cannot load ATT&CK from ${located.bundle}: ${(e as Error).message}`);
        }
      }
    }
    return this.attackData;
  }

  ruleViews(): RuleViews {
    this.rules ??= new RuleViews({ attack: this.attack() });
    return this.rules;
  }

  coverageViews(): CoverageViews {
    const attack = this.attack();
    if (!attack) throw new ApiError(503, 'no-attack', 'ATT&CK is not loaded: set RULEATLAS_ATTACK to an enterprise-attack.json bundle');
    this.coverage ??= new CoverageViews(this.data(), attack);
    return this.coverage;
  }
}
