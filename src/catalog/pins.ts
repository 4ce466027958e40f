/**
 * The upstream repositories of the corpora, pinned at the commits RuleAtlas is developed and
 * tested against (the commits in each corpus's SOURCE.md), with the folders that hold rules.
 */
export interface CorpusPin {
  name: string;
  repository: string;
  commit: string;
  license: string;
  /** Paths inside the repository to keep (globs with `*` for one path segment). */
  keep: string[];
}

export const CORPUS_PINS: readonly CorpusPin[] = [
  {
    name: 'sigma',
    repository: 'SigmaHQ/sigma',
    commit: '8eaafff1f2845a696050e05e72ba1140ee190698',
    license: 'Detection Rule License (DRL) 1.1',
    keep: ['rules', 'rules-emerging-threats', 'rules-threat-hunting', 'rules-placeholder', 'rules-compliance', 'deprecated', 'tests/logsource.json', 'tests/thor.yml', 'LICENSE', 'README.md'],
  },
  {
    name: 'splunk',
    repository: 'splunk/security_content',
    commit: 'b13b314aed0e1778335a55620474e7d27289a20a',
    license: 'Apache-2.0',
    keep: ['detections', 'macros', 'stories', 'data_sources', 'lookups', 'LICENSE', 'README.md'],
  },
  {
    name: 'elastic',
    repository: 'elastic/detection-rules',
    commit: '14cf530f0d2177023092449cd9d9348b4a8884c2',
    license: 'Elastic License 2.0',
    keep: ['rules', 'rules_building_block', 'hunting', 'LICENSE.txt', 'NOTICE.txt', 'README.md'],
  },
  {
    name: 'sentinel',
    repository: 'Azure/Azure-Sentinel',
    commit: 'b819f6737ee1d0c3c865225f5750112c8f1096e3',
    license: 'MIT',
    keep: ['Detections', 'Solutions/*/Analytic Rules', 'Solutions/*/Analytics Rules', 'Solutions/*/Analytical Rules', 'Solutions/*/Detections', 'LICENSE', 'README.md'],
  },
  {
    name: 'chronicle',
    repository: 'chronicle/detection-rules',
    commit: '19793ebdd29c896cc753afc5fe351ceba4d8d193',
    license: 'Apache-2.0',
    keep: ['rules', 'LICENSE', 'README.md'],
  },
];
