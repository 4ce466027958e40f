import { printLeaf, type Expr, type MatchExpr, type Value } from '../../model/index.js';
import { logsourceTaxonomy, type ChannelSource, type FieldMap } from '../../taxonomy/logsources.js';
import type { FidelityRecorder } from '../fidelity.js';

/**
 * The Windows event log home of a Sigma log source, in Sigma field names: `Channel` and `EventID`
 * values (any of) and any further conditions the log source implies (`EventType: CreateKey` for
 * registry_add). From the shared log-source taxonomy (src/taxonomy/logsources.json), which the
 * hunting engine uses too.
 */
export interface WindowsConditions {
  Channel: string[];
  EventID?: number[];
  other?: Record<string, string[]>;
  /** How this source names Sigma's fields (Security 4688: `Image` is `NewProcessName`). */
  fieldMap?: FieldMap;
  service: string;
}

function fromSource(src: ChannelSource): WindowsConditions {
  const out: WindowsConditions = { Channel: [...src.channels], service: src.service };
  if (src.eventIds) out.EventID = [...src.eventIds];
  if (src.conditions) out.other = Object.fromEntries(Object.entries(src.conditions).map(([k, v]) => [k, [...v]]));
  if (src.fieldMap) out.fieldMap = src.fieldMap;
  return out;
}

/**
 * Every Windows source of a log source (process_creation: Sysmon 1 and Security 4688), Sysmon's
 * first; empty when the log source has no Windows channel.
 */
export function windowsSources(ls: Record<string, string>): WindowsConditions[] {
  if ((ls.product ?? '').toLowerCase() !== 'windows') return [];
  const r = logsourceTaxonomy().resolve(ls);
  if (r.status !== 'mapped') return [];
  return [...r.sources].sort((a, b) => Number(b.service === 'sysmon') - Number(a.service === 'sysmon')).map(fromSource);
}

/** The primary (Sysmon, when there is one) Windows source of a log source, or null. */
export function windowsConditions(ls: Record<string, string>): WindowsConditions | null {
  return windowsSources(ls)[0] ?? null;
}

/**
 * A rule's logic in the field names of another source of the same events (Security 4688 for
 * process_creation). Values the source writes differently are converted for equality (integrity
 * level names to their SIDs, decimal process ids to hex); other tests on such fields keep the
 * Sigma name and so cannot match there, which is what the source can tell.
 */
export function renameForSource(e: Expr, map: FieldMap, rec: FidelityRecorder, source: string): Expr {
  const alias = (field: string) => map[field];
  switch (e.kind) {
    case 'and':
    case 'or':
      return { ...e, args: e.args.map((a) => renameForSource(a, map, rec, source)) };
    case 'not':
      return { ...e, arg: renameForSource(e.arg, map, rec, source) };
    case 'exists':
    case 'compare': {
      const a = alias(e.field);
      if (!a || (e.kind === 'compare' && (a.values || a.transform))) return e;
      if (a.fidelity === 'approximate') rec.approximated(`${e.field} in ${source}`, a.note ?? `read from ${a.field}`);
      return { ...e, field: a.field };
    }
    case 'fieldref': {
      const a = alias(e.field);
      const b = alias(e.other);
      return { ...e, field: a && !a.values && !a.transform ? a.field : e.field, other: b && !b.values && !b.transform ? b.field : e.other };
    }
    case 'match': {
      const a = alias(e.field);
      if (!a) return e;
      if (a.fidelity === 'approximate') rec.approximated(`${e.field} in ${source}`, a.note ?? `read from ${a.field}`);
      if (!a.values && !a.transform) return { ...e, field: a.field };
      if (e.operator !== 'eq') return e;
      const values = converted(e, a.values, a.transform);
      if (!values) return e;
      rec.approximated(printLeaf(e), `in ${source} the values are written as ${a.field} ${values.map((v) => JSON.stringify(v)).join(', ')}`);
      return { ...e, field: a.field, values } as MatchExpr;
    }
    default:
      return e;
  }
}

function converted(e: MatchExpr, values: Readonly<Record<string, string>> | undefined, transform: string | undefined): Value[] | null {
  const out: Value[] = [];
  for (const v of e.values) {
    if (values) {
      // The map goes from the source's value to Sigma's: read it backwards.
      const hits = Object.entries(values).filter(([, sigma]) => sigma.toLowerCase() === String(v).toLowerCase()).map(([raw]) => raw);
      if (!hits.length) return null;
      out.push(...hits);
    } else if (transform === 'hex') {
      if (typeof v !== 'number' && !/^\d+$/.test(String(v))) return null;
      out.push(`0x${Number(v).toString(16)}`);
    }
  }
  return out;
}
