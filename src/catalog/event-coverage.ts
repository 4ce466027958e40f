import type { Enrichment } from '../enrich/index.js';
import type { Rule } from '../model/index.js';
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

/**
 * The events a rule reads: provider (or channel), event ID and its title. From the Windows channels
 * and event IDs the enrichment derived (Sigma logsources through the taxonomy, EventID predicates)
 * and from the names of Splunk's data sources (`Windows Event Log Security 4688`).
 */
export function eventCoverage(rule: Rule, enrichment: Enrichment | null): EventCoverage[] {
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
      const id = m[m.length - 1]!;
      add(channel.startsWith('$') ? m[1]! : channel, id);
      break;
    }
  }
  return [...out.values()];
}
