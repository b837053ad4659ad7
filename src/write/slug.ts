/** Longest slug, in characters, before the extension. */
export const MAX_SLUG = 80;

/**
 * A safe file-name stem from a title: ASCII letters, digits and hyphens only,
 * lower case, at most MAX_SLUG characters, never empty, never `.` or `..`.
 * Accents are folded (`Café` → `cafe`); other scripts fall back to `untitled`.
 */
export function slugify(title: string, fallback = 'untitled'): string {
  const ascii = title
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[’'`]/g, '')
    .replace(/&/g, ' and ')
    .toLowerCase();
  let slug = ascii.replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
  if (slug.length > MAX_SLUG) slug = slug.slice(0, MAX_SLUG).replace(/-[^-]*$/, '') || slug.slice(0, MAX_SLUG);
  slug = slug.replace(/-+$/, '');
  return slug || fallback;
}

/**
 * Give each key a distinct slug: the second work titled alike gets `-2`, and
 * so on, in the order given (callers pass a sorted order, so names are stable).
 */
export function uniqueSlugs(items: ReadonlyArray<{ key: string; title: string }>): Map<string, string> {
  const used = new Set<string>();
  const out = new Map<string, string>();
  for (const { key, title } of items) {
    const base = slugify(title);
    let slug = base;
    for (let n = 2; used.has(slug); n++) slug = `${base}-${n}`;
    used.add(slug);
    out.set(key, slug);
  }
  return out;
}
