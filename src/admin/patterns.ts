/**
 * Path patterns of fault rules and journal queries: `*` matches one path segment, `**` any
 * number of segments (none included), everything else matches itself.
 *
 * @example pathPattern('/rest/v1.0/projects/*\/rfis').test('/rest/v1.0/projects/42/rfis') // true
 */
export function pathPattern(pattern: string): RegExp {
  const source = pattern
    .replace(/\/+$/, '')
    .split(/(\*\*|\*)/)
    .map((part) => (part === '**' ? '.*' : part === '*' ? '[^/]+' : part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')))
    .join('');
  return new RegExp(`^${source}/?$`);
}

/** The path of a request URL, without its query string. */
export function pathOf(url: string): string {
  const q = url.indexOf('?');
  return q < 0 ? url : url.slice(0, q);
}
