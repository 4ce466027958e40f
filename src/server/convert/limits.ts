/**
 * Bounds on what the converter accepts. A Sigma rule is a few kilobytes and five levels deep; the
 * bounds are far above that, and far below what could hurt: the YAML layer recurses per nesting
 * level, so thousands of levels would exhaust the stack.
 */
export const CONVERT_LIMITS = {
  /** Characters of rule text. */
  maxChars: 64 * 1024,
  /** Bytes of request body (JSON escaping can double the text). */
  maxBodyBytes: 160 * 1024,
  /** Block indentation levels plus flow brackets. */
  maxDepth: 32,
  /** YAML documents in one paste. */
  maxDocuments: 20,
};

/**
 * The deepest nesting of a YAML text: block indentation levels (each `- ` of a compact sequence
 * counts as one) and flow brackets outside quoted strings. Block scalars (`|`, `>`) are text, not
 * structure, and are skipped. A cheap line scan, so it can run before the parser.
 */
export function yamlDepth(text: string): number {
  let max = 0;
  const stack: number[] = [];
  let scalarIndent = -1;
  let flow = 0;
  for (const line of text.split('\n')) {
    const indent = line.length - line.trimStart().length;
    const body = line.trim();
    if (scalarIndent >= 0) {
      if (body === '' || indent > scalarIndent) continue;
      scalarIndent = -1;
    }
    if (body === '' || body.startsWith('#') || body === '---' || body === '...') continue;
    if (flow === 0) {
      while (stack.length && stack[stack.length - 1]! >= indent) stack.pop();
      stack.push(indent);
    }
    let dashes = 0;
    for (let i = 0; body.startsWith('- ', i) || (body.slice(i) === '-'); i += 2) dashes++;
    flow = scanFlow(body, flow, (d) => (max = Math.max(max, stack.length + dashes + d)));
    max = Math.max(max, stack.length + dashes);
    if (flow === 0 && /(^|[:-]\s+)[|>][0-9+-]*\s*(#.*)?$/.test(body)) scalarIndent = indent;
  }
  return max;
}

/** Tracks flow-bracket depth across a line, ignoring brackets inside quotes and comments. */
function scanFlow(line: string, depth: number, onDepth: (d: number) => void): number {
  let quote = '';
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (quote) {
      if (ch === quote) {
        if (quote === "'" && line[i + 1] === "'") i++;
        else quote = '';
      } else if (ch === '\\' && quote === '"') i++;
      continue;
    }
    if (ch === '#' && (i === 0 || line[i - 1] === ' ')) break;
    if ((ch === '"' || ch === "'") && (i === 0 || /[\s[{,:]/.test(line[i - 1]!))) quote = ch;
    else if (ch === '[' || ch === '{') onDepth(++depth);
    else if ((ch === ']' || ch === '}') && depth > 0) depth--;
  }
  return depth;
}

export function documentCount(text: string): number {
  let n = 1;
  for (const m of text.matchAll(/^---\s*$/gm)) if (m.index! > 0) n++;
  return n;
}
