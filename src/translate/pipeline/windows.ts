import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import jsyaml from 'js-yaml';

/**
 * The Windows event log home of a Sigma log source, in Sigma field names: `Channel` and `EventID`
 * values (any of). From logsources/windows.yml.
 */
export interface WindowsConditions {
  Channel: string[];
  EventID?: number[];
}

interface Data {
  sysmon: string;
  categories: Record<string, number[]>;
  channelCategories: Record<string, { Channel: string; EventID: number[] }>;
  services: Record<string, string | string[]>;
}

let data: Data | undefined;

function load(): Data {
  data ??= jsyaml.load(readFileSync(fileURLToPath(new URL('../logsources/windows.yml', import.meta.url)), 'utf8'), { schema: jsyaml.CORE_SCHEMA }) as Data;
  return data;
}

/** Channel and event ids for a Windows log source, or null when it has no known channel. */
export function windowsConditions(ls: Record<string, string>): WindowsConditions | null {
  if ((ls.product ?? '').toLowerCase() !== 'windows') return null;
  const d = load();
  const category = ls.category?.toLowerCase();
  const service = ls.service?.toLowerCase();
  if (category) {
    const ids = d.categories[category];
    if (ids) return { Channel: [d.sysmon], EventID: ids };
    const cc = d.channelCategories[category];
    if (cc) return { Channel: [cc.Channel], EventID: cc.EventID };
    return null;
  }
  if (service) {
    const ch = d.services[service];
    if (ch) return { Channel: Array.isArray(ch) ? ch : [ch] };
  }
  return null;
}
