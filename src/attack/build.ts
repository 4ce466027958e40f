import type { AttackIndexData } from './index-data.js';
import {
  mitreReference,
  type StixAnalytic,
  type StixAttackPattern,
  type StixBundle,
  type StixCollection,
  type StixCommon,
  type StixDataComponent,
  type StixDetectionStrategy,
  type StixIntrusionSet,
  type StixMatrix,
  type StixRelationship,
  type StixSoftware,
  type StixTactic,
} from './stix-types.js';
import type { AttackObjectBase, AttackVersion, Tactic, Technique } from './types.js';

/**
 * Turns a parsed ATT&CK STIX 2.1 bundle into index data.
 *
 * How Enterprise v18 ties detection content to techniques (checked object by object in v18.1):
 * - `x-mitre-detection-strategy` (DET####) --`detects`--> `attack-pattern`: a STIX relationship.
 *   In v18.1 there are 691, exactly one per live technique/sub-technique, one technique each.
 * - strategy → analytics: *embedded* `x_mitre_analytic_refs` on the strategy (no relationship
 *   object). 1,739 analytics, each listed by exactly one strategy.
 * - analytic (AN####) → data components: *embedded* `x_mitre_log_source_references[]`, each
 *   `{x_mitre_data_component_ref, name, channel}`: the data component plus the concrete log
 *   source (`WinEventLog:Security` / `EventCode=4688`, `auditd:SYSCALL` / `execve`). 41 analytics
 *   carry none; 97 of the 106 live data components are referenced.
 * - data component (DC####) keeps its own catalogue of log sources (`x_mitre_log_sources`) but no
 *   longer points to a data source (`x_mitre_data_source_ref` empty); every `x-mitre-data-source`
 *   is deprecated, and the v15–v17 `x-mitre-data-component --detects--> attack-pattern`
 *   relationship is gone. It is still read here when present, so older bundles index too.
 */
export function buildAttackIndexData(bundle: StixBundle): AttackIndexData {
  const byStix = new Map<string, StixCommon>();
  const attackId = new Map<string, string>();
  const ofType = new Map<string, StixCommon[]>();
  for (const o of bundle.objects) {
    byStix.set(o.id, o);
    const ref = mitreReference(o);
    if (ref?.external_id) attackId.set(o.id, ref.external_id.toUpperCase());
    let list = ofType.get(o.type);
    if (!list) ofType.set(o.type, (list = []));
    list.push(o);
  }
  const all = <T extends StixCommon>(type: string): T[] => (ofType.get(type) ?? []) as T[];

  const base = (o: StixCommon): AttackObjectBase => {
    const ref = mitreReference(o);
    return {
      stixId: o.id,
      id: attackId.get(o.id) ?? o.id,
      name: o.name ?? '',
      description: o.description ?? '',
      url: ref?.url,
      revoked: o.revoked === true,
      deprecated: o.x_mitre_deprecated === true,
    };
  };

  const tactics = buildTactics(all<StixTactic>('x-mitre-tactic'), all<StixMatrix>('x-mitre-matrix'), base);
  const tacticOrder = new Map(tactics.map((t) => [t.shortname, t.order]));

  const techniques = new Map<string, Technique>();
  for (const o of all<StixAttackPattern>('attack-pattern')) {
    const b = base(o);
    const phases = (o.kill_chain_phases ?? []).map((p) => p.phase_name).filter((p) => tacticOrder.has(p));
    techniques.set(b.id, {
      ...b,
      kind: 'technique',
      isSubtechnique: o.x_mitre_is_subtechnique === true,
      parentId: undefined,
      subtechniqueIds: [],
      tactics: [...new Set(phases)].sort((x, y) => tacticOrder.get(x)! - tacticOrder.get(y)!),
      platforms: o.x_mitre_platforms ?? [],
      revokedById: undefined,
      deprecationSuggestions: b.deprecated ? deprecationSuggestions(b.description) : [],
    });
  }

  const data: AttackIndexData = {
    version: buildVersion(all<StixCollection>('x-mitre-collection'), all<StixMatrix>('x-mitre-matrix'), bundle),
    tactics,
    techniques,
    groups: new Map(),
    software: new Map(),
    mitigations: new Map(),
    dataSources: new Map(),
    dataComponents: new Map(),
    detectionStrategies: new Map(),
    analytics: new Map(),
    groupsByTechnique: new Map(),
    softwareByTechnique: new Map(),
    techniquesByUser: new Map(),
    mitigationsByTechnique: new Map(),
    strategiesByTechnique: new Map(),
    directDataComponentsByTechnique: new Map(),
    revokedBy: new Map(),
  };

  for (const o of all<StixIntrusionSet>('intrusion-set')) {
    const b = base(o);
    data.groups.set(b.id, { ...b, kind: 'group', aliases: o.aliases ?? [], revokedById: undefined });
  }
  for (const o of [...all<StixSoftware>('malware'), ...all<StixSoftware>('tool')]) {
    const b = base(o);
    data.software.set(b.id, {
      ...b,
      kind: 'software',
      softwareType: o.type,
      aliases: o.x_mitre_aliases ?? [],
      platforms: o.x_mitre_platforms ?? [],
      revokedById: undefined,
    });
  }
  // Deprecated pre-2019 "mitigations" reuse technique ids (T1113 is both a technique and a
  // deprecated course-of-action), so mitigations live in their own map, never mixed with techniques.
  for (const o of all('course-of-action')) {
    const b = base(o);
    data.mitigations.set(b.id, { ...b, kind: 'mitigation' });
  }
  for (const o of all('x-mitre-data-source')) {
    const b = base(o);
    data.dataSources.set(b.id, { ...b, kind: 'data-source' });
  }
  for (const o of all<StixDataComponent>('x-mitre-data-component')) {
    const b = base(o);
    const logSources = (o.x_mitre_log_sources ?? []).map((l) => ({ name: l.name, channel: l.channel }));
    data.dataComponents.set(b.id, { ...b, kind: 'data-component', logSources });
  }
  const strategyOfAnalytic = new Map<string, string>();
  for (const o of all<StixDetectionStrategy>('x-mitre-detection-strategy')) {
    const b = base(o);
    const analyticIds: string[] = [];
    for (const ref of o.x_mitre_analytic_refs ?? []) {
      const id = attackId.get(ref);
      if (id === undefined) continue;
      analyticIds.push(id);
      strategyOfAnalytic.set(id, b.id);
    }
    data.detectionStrategies.set(b.id, { ...b, kind: 'detection-strategy', analyticIds, techniqueIds: [] });
  }
  for (const o of all<StixAnalytic>('x-mitre-analytic')) {
    const b = base(o);
    const logSources = [];
    for (const l of o.x_mitre_log_source_references ?? []) {
      const dc = attackId.get(l.x_mitre_data_component_ref);
      if (dc !== undefined) logSources.push({ dataComponentId: dc, name: l.name, channel: l.channel });
    }
    data.analytics.set(b.id, {
      ...b,
      kind: 'analytic',
      platforms: o.x_mitre_platforms ?? [],
      logSources,
      mutableElements: o.x_mitre_mutable_elements ?? [],
      strategyId: strategyOfAnalytic.get(b.id),
    });
  }

  for (const r of all<StixRelationship>('relationship')) {
    // ATT&CK retires a relationship by flagging it, not by deleting it.
    if (r.revoked === true || r.x_mitre_deprecated === true) continue;
    const src = byStix.get(r.source_ref);
    const dst = byStix.get(r.target_ref);
    const srcId = attackId.get(r.source_ref);
    const dstId = attackId.get(r.target_ref);
    if (!src || !dst || srcId === undefined || dstId === undefined) continue;
    switch (r.relationship_type) {
      case 'subtechnique-of': {
        const sub = techniques.get(srcId);
        if (sub && dst.type === 'attack-pattern') sub.parentId = dstId;
        break;
      }
      case 'revoked-by':
        data.revokedBy.set(srcId, dstId);
        if (src.type === 'attack-pattern') techniques.get(srcId)!.revokedById = dstId;
        else if (src.type === 'intrusion-set') data.groups.get(srcId)!.revokedById = dstId;
        else if (src.type === 'malware' || src.type === 'tool') data.software.get(srcId)!.revokedById = dstId;
        break;
      case 'uses':
        if (dst.type !== 'attack-pattern') break;
        if (src.type === 'intrusion-set') push(data.groupsByTechnique, dstId, srcId);
        else if (src.type === 'malware' || src.type === 'tool') push(data.softwareByTechnique, dstId, srcId);
        else break;
        push(data.techniquesByUser, srcId, dstId);
        break;
      case 'mitigates':
        if (src.type === 'course-of-action' && dst.type === 'attack-pattern') push(data.mitigationsByTechnique, dstId, srcId);
        break;
      case 'detects':
        if (dst.type !== 'attack-pattern') break;
        if (src.type === 'x-mitre-detection-strategy') {
          push(data.strategiesByTechnique, dstId, srcId);
          data.detectionStrategies.get(srcId)!.techniqueIds.push(dstId);
        } else if (src.type === 'x-mitre-data-component') {
          push(data.directDataComponentsByTechnique, dstId, srcId);
        }
        break;
    }
  }

  for (const t of techniques.values()) {
    // A sub-technique's id is its parent's id plus a suffix; use that when the relationship is missing.
    if (t.isSubtechnique && t.parentId === undefined) {
      const parent = t.id.split('.')[0]!;
      if (techniques.has(parent)) t.parentId = parent;
    }
    if (t.isSubtechnique && t.parentId !== undefined && !t.revoked && !t.deprecated) {
      techniques.get(t.parentId)?.subtechniqueIds.push(t.id);
    }
  }
  for (const t of techniques.values()) t.subtechniqueIds.sort();
  for (const m of [
    data.groupsByTechnique,
    data.softwareByTechnique,
    data.techniquesByUser,
    data.mitigationsByTechnique,
    data.strategiesByTechnique,
    data.directDataComponentsByTechnique,
  ]) {
    for (const [k, v] of m) m.set(k, [...new Set(v)].sort());
  }
  return data;
}

function push(map: Map<string, string[]>, key: string, value: string): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

function buildTactics(
  objects: StixTactic[],
  matrices: StixMatrix[],
  base: (o: StixCommon) => AttackObjectBase,
): Tactic[] {
  const position = new Map<string, number>();
  matrices[0]?.tactic_refs.forEach((ref, i) => position.set(ref, i));
  const sorted = [...objects].sort((a, b) => {
    const pa = position.get(a.id) ?? Number.MAX_SAFE_INTEGER;
    const pb = position.get(b.id) ?? Number.MAX_SAFE_INTEGER;
    return pa - pb || (mitreReference(a)?.external_id ?? '').localeCompare(mitreReference(b)?.external_id ?? '');
  });
  return sorted.map((o, order) => ({ ...base(o), kind: 'tactic', shortname: o.x_mitre_shortname, order }));
}

function buildVersion(collections: StixCollection[], matrices: StixMatrix[], bundle: StixBundle): AttackVersion {
  const collection = collections[0];
  const matrix = matrices[0];
  const domain =
    (matrix ? mitreReference(matrix)?.external_id : undefined) ??
    matrix?.x_mitre_domains?.[0] ??
    bundle.objects.find((o) => o.x_mitre_domains?.length)?.x_mitre_domains?.[0];
  return {
    attack: collection?.x_mitre_version,
    domain,
    collectionName: collection?.name,
    modified: collection?.modified,
    specVersion: collection?.x_mitre_attack_spec_version,
  };
}

const DEPRECATION_LINK = /attack\.mitre\.org\/techniques\/(T\d{4})(?:\/(\d{3}))?/g;

/** The techniques a deprecation notice ("This technique has been deprecated. Please use …") names. */
function deprecationSuggestions(description: string): string[] {
  // Only the notice (its first paragraph): the body of an old technique links to unrelated ones.
  const notice = description.split('\n')[0] ?? '';
  if (!/deprecated/i.test(notice)) return [];
  const out: string[] = [];
  for (const m of notice.matchAll(DEPRECATION_LINK)) {
    const id = m[2] ? `${m[1]}.${m[2]}` : m[1]!;
    if (!out.includes(id)) out.push(id);
  }
  return out;
}
