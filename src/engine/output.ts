/** Result writers: NDJSON (one hit per line), CSV, and a readable timeline with a summary. */
import type { Hit } from './hunter.js';
import { LEVELS } from './ruleset.js';

export function ndjsonLine(hit: Hit): string {
  return JSON.stringify(hit);
}

const CSV_COLUMNS = ['rule_id', 'rule_title', 'level', 'file', 'record_id', 'timestamp', 'channel', 'event_id', 'fields', 'kind', 'computer'] as const;

export function csvHeader(): string {
  return CSV_COLUMNS.join(',');
}

function csvCell(v: unknown): string {
  if (v === null || v === undefined) return '';
  const s = typeof v === 'object' ? JSON.stringify(v) : String(v);
  return /[",\r\n]/.test(s) || /^[=+\-@]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** One CSV row; `fields` (and a correlation's details) as JSON in one cell. */
export function csvLine(hit: Hit): string {
  return CSV_COLUMNS.map((c) => csvCell(c === 'fields' && hit.correlation ? { ...hit.fields, correlation: hit.correlation } : hit[c])).join(',');
}

/** `Microsoft-Windows-Sysmon/Operational` → `Sysmon`. */
export function shortChannel(ch: string | null): string {
  if (!ch) return '-';
  return ch.replace(/^Microsoft-Windows-/, '').replace(/\/Operational$/, '');
}

function pad(s: string, n: number): string {
  return s.length >= n ? s.slice(0, n) : s + ' '.repeat(n - s.length);
}

function oneLine(v: unknown): string {
  const s = typeof v === 'string' ? v : JSON.stringify(v);
  return s.replace(/\s+/g, ' ');
}

export interface TimelineSummary {
  events: number;
  files: number;
  readErrors: number;
  rules: { loaded: number; ran: number; partial: number; skipped: number };
  seconds: number;
}

/** Collects hits and renders them in time order, then counts by level and by rule. */
export class TimelineWriter {
  private readonly hits: Hit[] = [];

  constructor(private readonly width = 160) {}

  add(hit: Hit): void {
    this.hits.push(hit);
  }

  render(summary?: TimelineSummary): string {
    const out: string[] = [];
    const hits = [...this.hits].sort((a, b) => (a.timestamp ?? '').localeCompare(b.timestamp ?? ''));
    const w = Math.max(100, this.width);
    const header = `${pad('Timestamp', 24)} ${pad('Level', 8)} ${pad('Rule', 48)} ${pad('Computer', 18)} ${pad('Event', 16)} Details`;
    if (hits.length) {
      out.push(header, '-'.repeat(Math.min(w, 160)));
      for (const h of hits) {
        const event = h.kind === 'correlation' ? `${h.correlation!.type}` : `${shortChannel(h.channel)}:${h.event_id ?? '-'}`;
        let details: string;
        if (h.correlation) {
          const c = h.correlation;
          const group = Object.entries(c.group).map(([k, v]) => `${k}=${oneLine(v)}`).join(' ');
          details = `${c.event_count} events in ${c.timespan}${group ? `, ${group}` : ''}${c.subject !== undefined ? `, value ${c.subject}` : ''} (value ${round(c.value)})`;
        } else details = Object.entries(h.fields).map(([k, v]) => `${k}=${oneLine(v)}`).join(' ');
        const line = `${pad(shortTime(h.timestamp), 24)} ${pad(h.level ?? '-', 8)} ${pad(h.rule_title, 48)} ${pad(h.computer ?? '-', 18)} ${pad(event, 16)} ${details}`;
        out.push(line.length > w ? line.slice(0, w - 1) + '…' : line);
      }
      out.push('');
    }
    const byLevel = new Map<string, number>();
    const byRule = new Map<string, { title: string; level: string; count: number; kind: string }>();
    for (const h of hits) {
      const level = h.level ?? '-';
      byLevel.set(level, (byLevel.get(level) ?? 0) + 1);
      const r = byRule.get(h.rule_id) ?? { title: h.rule_title, level, count: 0, kind: h.kind };
      r.count++;
      byRule.set(h.rule_id, r);
    }
    const levels = [...LEVELS].reverse().concat(['-'] as never[]);
    out.push(`Hits by level: ${levels.filter((l) => byLevel.has(l)).map((l) => `${l} ${byLevel.get(l)}`).join(', ') || 'none'}`);
    if (byRule.size) {
      out.push('', `Rules with hits (${byRule.size}):`, `${pad('hits', 7)} ${pad('level', 14)} rule`);
      const rank = (l: string): number => LEVELS.indexOf(l as never);
      const rows = [...byRule.values()].sort((a, b) => rank(b.level) - rank(a.level) || b.count - a.count || a.title.localeCompare(b.title));
      for (const r of rows) out.push(`${pad(String(r.count), 7)} ${pad(r.level, 14)} ${r.title}${r.kind === 'correlation' ? ' (correlation)' : ''}`);
    }
    if (summary) {
      const s = summary;
      out.push(
        '',
        `${s.events} events from ${s.files} files in ${s.seconds.toFixed(1)} s; ${hits.length} hits; ${s.readErrors} read errors; rules: ${s.rules.loaded} loaded, ${s.rules.ran} ran (${s.rules.partial} partially), ${s.rules.skipped} skipped`,
      );
    }
    return out.join('\n') + '\n';
  }
}

/** `2019-05-12T13:38:00.712700Z` → `2019-05-12 13:38:00.712` (as written: no time zone conversion). */
function shortTime(t: string | null): string {
  if (!t) return '-';
  const m = /^(\d{4}-\d\d-\d\d)[T ](\d\d:\d\d:\d\d)(\.\d{1,3})?/.exec(t);
  return m ? `${m[1]} ${m[2]}${m[3] ?? ''}` : t;
}

function round(n: number): string {
  return Number.isInteger(n) ? String(n) : n.toFixed(2);
}
