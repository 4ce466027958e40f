import type { Enrichment } from '../enrich/index.js';
import type { Indicator, Rule } from '../model/index.js';
import { logsourceTaxonomy } from '../taxonomy/logsources.js';

export interface EventCoverage {
  provider: string;
  eventId: string;
  title?: string;
}

/** Splunk data-source names that carry a Windows channel and event code. */
const SPLUNK_NAMED: Array<[RegExp, string]> = [
  [/^Windows Event Log (Security|System|Application) (\d+)$/i, '$1'],
  [/^Sysmon EventID (\d+)$/i, 'Microsoft-Windows-Sysmon/Operational'],
  [/^Windows Event Log Microsoft Windows TerminalServices RDPClient (\d+)$/i, 'Microsoft-Windows-TerminalServices-RDPClient/Operational'],
  [/^Powershell Script Block Logging (\d+)$/i, 'Microsoft-Windows-PowerShell/Operational'],
  [/^Windows Event Log Powershell (\d+)$/i, 'Microsoft-Windows-PowerShell/Operational'],
];

const PROVIDERS: Record<string, string> = {
  security: 'Microsoft-Windows-Security-Auditing',
  'microsoft-windows-sysmon/operational': 'Microsoft-Windows-Sysmon',
};

/** Tables and sources that hold one Windows channel. */
const CHANNEL_OF_SOURCE: Array<[RegExp, string]> = [
  [/^SecurityEvent$/i, 'Security'],
  [/^(xml)?wineventlog:security$/i, 'Security'],
  [/^(xml)?wineventlog:microsoft-windows-sysmon\/operational$/i, 'Microsoft-Windows-Sysmon/Operational'],
  [/^(xml)?wineventlog:system$/i, 'System'],
  [/^(xml)?wineventlog:application$/i, 'Application'],
];

/**
 * The events a rule reads: provider (or channel), event ID and its title. From the Windows channels
 * and event IDs the enrichment derived (Sigma logsources through the taxonomy, EventID predicates),
 * the names of Splunk's data sources (`Windows Event Log Security 4688`), and, for any vendor,
 * event-code predicates next to a channel the rule names (a `Channel` test, a Splunk `source`, a
 * Sentinel `SecurityEvent` table).
 */
export function eventCoverage(rule: Rule, enrichment: Enrichment | null, indicators: Indicator[] = []): EventCoverage[] {
  const out = new Map<string, EventCoverage>();
  const taxonomy = logsourceTaxonomy();
  const add = (channel: string, id: string | number, title?: string): void => {
    const provider = PROVIDERS[channel.toLowerCase()] ?? channel;
    const key = `${provider}\u0000${id}`;
    if (out.has(key)) return;
    const t = title ?? taxonomy.eventTitle(channel, id);
    out.set(key, { provider, eventId: String(id), ...(t ? { title: t } : {}) });
  };
  for (const need of enrichment?.dataSources.content.needs ?? []) {
    if (!need.channel) continue;
    for (const e of need.eventIds ?? []) add(need.channel, e.id, e.title);
  }
  for (const name of rule.dataSources) {
    for (const [re, channel] of SPLUNK_NAMED) {
      const m = re.exec(name.trim());
      if (!m) continue;
      add(channel.startsWith('$') ? m[1]! : channel, m[m.length - 1]!);
      break;
    }
  }
  if (rule.format !== 'sigma') {
    const ids = indicators.filter((i) => !i.negated && i.operator === 'eq' && i.field === 'event.code' && /^\d+$/.test(i.value)).map((i) => i.value);
    if (ids.length) {
      const channels = new Set<string>();
      for (const i of indicators) {
        if (i.negated || i.operator !== 'eq') continue;
        if (i.field === 'winlog.channel') channels.add(i.display);
        else if (/(^|:)source$/.test(i.field)) for (const [re, ch] of CHANNEL_OF_SOURCE) if (re.test(i.value)) channels.add(ch);
      }
      for (const s of rule.logic) {
        const table = typeof s.args?.table === 'string' ? s.args.table : undefined;
        if (table) for (const [re, ch] of CHANNEL_OF_SOURCE) if (re.test(table)) channels.add(ch);
      }
      for (const ch of channels) for (const id of ids) add(ch, id);
    }
  }
  return [...out.values()];
}
