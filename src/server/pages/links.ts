/** URLs of the app's pages, built in one place so every link is encoded the same way. */
/** Colons stay readable (`/rules/sigma:ee37…`); everything else that could break a path is escaped. */
export const ruleHref = (id: string): string => `/rules/${encodeURIComponent(id).replace(/%3A/gi, ':')}`;

export function feedHref(filters: Record<string, string | undefined>): string {
  return withQuery('/', filters);
}

export function searchHref(filters: Record<string, string | undefined>): string {
  return withQuery('/search', filters);
}

export function coverageHref(filters: Record<string, string | undefined>): string {
  return withQuery('/coverage', filters);
}

export function indicatorRulesHref(key: { field: string; operator: string; value: string }): string {
  return withQuery('/indicators/rules', key);
}

export function withQuery(path: string, params: Record<string, string | number | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== '') q.set(k, String(v));
  const s = q.toString();
  return s ? `${path}?${s}` : path;
}

/** Only http(s) links leave the site: a rule's `references` could hold `javascript:` URLs. */
export function safeExternal(url: string): string | null {
  try {
    const u = new URL(url.trim());
    return u.protocol === 'https:' || u.protocol === 'http:' ? u.href : null;
  } catch {
    return null;
  }
}
