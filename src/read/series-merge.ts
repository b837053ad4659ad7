import type { SeriesMembership } from '../model/types.js';

/** Series memberships, each (name, part) once: a work page names its series in the header and again in the trailer. */
export function mergeSeries(a: readonly SeriesMembership[], b: readonly SeriesMembership[]): SeriesMembership[] {
  const out: SeriesMembership[] = [];
  const key = (m: SeriesMembership) => `${m.name.replace(/\s+/g, ' ').trim().toLowerCase()}\u0000${m.part}`;
  const seen = new Set<string>();
  for (const m of [...a, ...b]) {
    if (seen.has(key(m))) continue;
    seen.add(key(m));
    out.push(m);
  }
  return out;
}
