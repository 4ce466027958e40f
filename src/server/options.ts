import type { AttackIndex, TagResolver } from '../attack/index.js';
import type { SiteData } from './data.js';

export interface AttackData {
  index: AttackIndex;
  resolver: TagResolver;
}

/** What the app is built from. Everything is optional: a missing piece turns its pages into a clear 503. */
export interface AppOptions {
  /** The catalog; without it only the converter works. */
  data?: SiteData | null;
  /** ATT&CK for coverage and rule context: given, null for none, or (undefined) loaded on first use from the default bundle. */
  attack?: AttackData | null;
  /** Where `log` lines go (500s with their stack); stderr by default. */
  log?: (message: string) => void;
}
