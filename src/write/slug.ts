import type * as Transliteration from 'transliteration';
import { lazy } from '../lazy.js';

/** Longest slug, in characters, before the extension. */
export const MAX_SLUG = 80;

/** Loaded only for a title with letters beyond ASCII (its tables take ~50 ms to load). */
const transliteration = lazy<typeof Transliteration>('transliteration');

/**
 * Letters romanized differently from the library's choice, before it runs.
 * Kept to a minimum: the library's tables are the rule.
 */
const ROMANIZATION_OVERRIDES: ReadonlyArray<[RegExp, string]> = [
  // Cyrillic й as i, as ICAO passports and the Library of Congress write it
  // (Война и мир → Voina i mir; the library writes Voyna).
  [/й/g, 'i'],
  [/Й/g, 'I'],
];

/**
 * A safe file-name stem from a title: ASCII letters, digits and hyphens only,
 * lower case, at most MAX_SLUG characters, never empty, never `.` or `..`.
 * Other scripts are romanized by the `transliteration` package (Café → cafe,
 * Война и мир → voina-i-mir, 战争与和平 → zhan-zheng-yu-he-ping); what has no
 * letters at all (emoji) falls back to `fallback`.
 */
export function slugify(title: string, fallback = 'untitled'): string {
  let text = title.replace(/[’'`]/g, '').replace(/&/g, ' and ');
  if (/[^\u0000-\u007f]/.test(text)) {
    for (const [from, to] of ROMANIZATION_OVERRIDES) text = text.replace(from, to);
    // Romanized text may carry apostrophes of its own (Ukrainian ґ → g').
    text = transliteration().transliterate(text).replace(/['`]/g, '');
  }
  let slug = text.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
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
