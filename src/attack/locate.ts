import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TagCheck } from '../formats/sigma/validators.js';
import { loadTagHints } from './hints.js';
import { loadAttackSync } from './load.js';
import { TagResolver } from './resolve.js';

/** The project root (this file is src/attack/ or dist/attack/). */
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/**
 * Where the ATT&CK bundle is, unless the user names one: $RULEATLAS_ATTACK, else the shared data
 * folder beside the project (`../shared/attack/enterprise-attack.json`). Null when neither exists.
 */
export function defaultAttackBundle(): { bundle: string; hints?: string } | null {
  const bundle = process.env.RULEATLAS_ATTACK ?? join(ROOT, '..', 'shared', 'attack', 'enterprise-attack.json');
  if (!existsSync(bundle)) return null;
  const hints = join(dirname(bundle), 'sigma-v18-to-v19-tag-changes.json');
  return existsSync(hints) ? { bundle, hints } : { bundle };
}

/** A resolver for the bundle (and the v18→v19 hints beside it). */
export function loadResolver(bundle: string, hints?: string): TagResolver {
  const { index } = loadAttackSync(bundle);
  return new TagResolver(index, hints ? loadTagHints(hints) : undefined);
}

/** A Sigma tag check backed by the ATT&CK index: unknown, revoked, deprecated or newer tags. */
export function attackTagCheck(resolver: TagResolver): TagCheck {
  return (tag) => {
    const r = resolver.resolve(tag);
    if (r.via?.relation === 'legacy-spelling') return { severity: 'warning', message: `'${tag}' uses an old spelling; write 'attack.${r.id}'` };
    switch (r.status) {
      case 'unknown':
        return { severity: 'warning', message: `'${tag}' is not in ATT&CK${r.suggestion ? ` (did you mean '${r.suggestion}'?)` : ''}` };
      case 'newer-than-loaded':
        return { severity: 'info', message: `'${tag}' is newer than the loaded ATT&CK; it is kept as written` };
      case 'resolved-via-relation':
        if (r.via?.relation === 'revoked-by') return { severity: 'warning', message: `'${tag}' was revoked in ATT&CK; it now stands for ${r.loadedIds.join(', ')}` };
        if (r.via?.relation === 'deprecated') return { severity: 'warning', message: `'${tag}' is deprecated in ATT&CK${r.loadedIds.length ? `; use ${r.loadedIds.join(', ')}` : ''}` };
        return null;
      default:
        return null;
    }
  };
}
