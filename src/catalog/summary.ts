import type { Rule } from '../model/index.js';
import type { RuleSummary } from '../server/data.js';

/**
 * The platforms a rule is about, in ATT&CK's platform names (so the feed's platform filter and the
 * coverage matrix's agree): from Sigma's logsource product, Elastic's `OS: …` tags, and the words
 * of the data sources' names (Splunk, Sentinel connectors, Chronicle).
 */
export function rulePlatforms(rule: Rule): string[] {
  const out = new Set<string>();
  const words = [rule.logsource?.product ?? '', rule.logsource?.service ?? '', ...rule.tags.filter((t) => /^(os|data source|domain):/i.test(t)), ...rule.dataSources].join(' ').toLowerCase();
  for (const [name, re] of PLATFORM_WORDS) if (re.test(words)) out.add(name);
  return [...out].sort();
}

const PLATFORM_WORDS: Array<[string, RegExp]> = [
  ['Windows', /\b(windows|sysmon|wineventlog|powershell|security ?event|active directory|crowdstrike|defender for endpoint)\b/],
  ['Linux', /\b(linux|auditd|syslog|osquery|journald)\b/],
  ['macOS', /\b(macos|mac os|osx|jamf)\b/],
  ['IaaS', /\b(aws|cloudtrail|azure(?! ?ad)|gcp|google cloud|kubernetes)\b/],
  ['Office Suite', /\b(office ?365|o365|m365|microsoft 365|exchange|sharepoint|teams|google workspace)\b/],
  ['Identity Provider', /\b(okta|entra|azure ?ad|signin ?logs|azure active directory|ping ?identity)\b/],
  ['Network Devices', /\b(zeek|suricata|firewall|palo alto|cisco|fortinet|fortigate|network)\b/],
  ['Containers', /\b(docker|container|kubernetes)\b/],
  ['SaaS', /\b(github|gitlab|slack|zoom|salesforce|box|dropbox)\b/],
];

/** What lists, facets and the feed show of a rule. */
export function summarizeRule(r: Rule): RuleSummary {
  return {
    id: r.id,
    title: r.title || r.name || r.source.path,
    source: r.source.corpus,
    format: r.format,
    ...(r.severity ? { severity: r.severity } : {}),
    ...(r.status ? { status: r.status } : {}),
    ...(r.date ? { date: r.date } : {}),
    ...(r.modified ? { modified: r.modified } : {}),
    techniques: r.attack.techniques,
    tactics: r.attack.tactics,
    dataSources: r.dataSources.length ? r.dataSources : r.logsource ? [[r.logsource.product, r.logsource.service ?? r.logsource.category].filter(Boolean).join(' / ')].filter(Boolean) : [],
    platforms: rulePlatforms(r),
    ...(r.description ? { description: r.description } : {}),
  };
}
