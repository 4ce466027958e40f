import { copyFileSync, cpSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { SHARED } from '../helpers.js';

/** Sigma rules of the seed pages and neighbours: the ngrok family shares indicators across vendors. */
export const SIGMA_FILES = [
  'rules/windows/process_creation/proc_creation_win_pua_ngrok.yml',
  'rules/windows/process_creation/proc_creation_win_ssh_rdp_tunneling.yml',
  'rules/windows/network_connection/net_connection_win_domain_ngrok.yml',
  'rules/windows/process_creation/proc_creation_win_powershell_download_iex.yml',
  'rules/windows/process_creation/proc_creation_win_certutil_download.yml',
];
export const SPLUNK_FILES = ['detections/endpoint/windows_ngrok_reverse_proxy_usage.yml', 'detections/network/ngrok_reverse_proxy_on_network.yml', 'detections/endpoint/any_powershell_downloadfile.yml'];

/**
 * A folder of corpus folders in the layout of `../shared/corpora`, with a handful of real rules
 * (copied into a temporary folder at test time, never into the repository) and SOURCE.md files.
 */
export function smallCorpora(): string {
  const dir = mkdtempSync(join(tmpdir(), 'ruleatlas-corpora-'));
  const copy = (corpus: string, rel: string): void => {
    const to = join(dir, corpus, rel);
    mkdirSync(dirname(to), { recursive: true });
    copyFileSync(join(SHARED, 'corpora', corpus, rel), to);
  };
  for (const f of SIGMA_FILES) copy('sigma', f);
  for (const f of SPLUNK_FILES) copy('splunk', f);
  copy('sigma', 'SOURCE.md');
  copy('splunk', 'SOURCE.md');
  cpSync(join(SHARED, 'corpora', 'splunk', 'macros'), join(dir, 'splunk', 'macros'), { recursive: true });
  return dir;
}

export function writeRule(corpora: string, corpus: string, rel: string, text: string): string {
  const p = join(corpora, corpus, rel);
  mkdirSync(dirname(p), { recursive: true });
  writeFileSync(p, text);
  return p;
}
