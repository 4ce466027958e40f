/**
 * The alternatives of a regular expression: split at top-level `|`, and an alternative that is one
 * whole group is split again (`(a|(b|c))` → a, b, c), so each can be judged on its own.
 */
export function alternatives(src: string): string[] {
  const top = splitTop(src);
  if (top.length === 1) {
    const inner = wholeGroup(src);
    return inner === null ? top : alternatives(inner);
  }
  return top.flatMap((alt) => {
    const inner = wholeGroup(alt);
    return inner === null ? [alt] : alternatives(inner);
  });
}

function splitTop(src: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let inClass = false;
  let start = 0;
  for (let i = 0; i < src.length; i++) {
    const c = src[i];
    if (c === '\\') {
      i++;
      continue;
    }
    if (inClass) {
      if (c === ']') inClass = false;
      continue;
    }
    if (c === '[') inClass = true;
    else if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (c === '|' && depth === 0) {
      out.push(src.slice(start, i));
      start = i + 1;
    }
  }
  out.push(src.slice(start));
  return out;
}

/** The inside of `(...)` / `(?:...)` when the group spans the whole text, else null. */
function wholeGroup(src: string): string | null {
  const s = src.trim();
  if (!s.startsWith('(') || !s.endsWith(')') || /^\(\?[=!<]/.test(s)) return null;
  let depth = 0;
  let inClass = false;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === '\\') {
      i++;
      continue;
    }
    if (inClass) {
      if (c === ']') inClass = false;
      continue;
    }
    if (c === '[') inClass = true;
    else if (c === '(') depth++;
    else if (c === ')' && --depth === 0 && i < s.length - 1) return null;
  }
  return s.startsWith('(?:') ? s.slice(3, -1) : s.slice(1, -1);
}
