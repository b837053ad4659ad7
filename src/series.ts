import { diagnostic, type Diagnostic } from './diagnostics.js';
import type { Block, Work } from './model/types.js';

/**
 * Works → series in part order. Membership comes from every source a reader
 * understood (scrape trailer, front matter, sidecar, AO3 HTML); part numbers
 * order the parts, never file names or dates. Gaps, clashes and series
 * metadata are reported or merged here, as values.
 */

/** Series metadata given by the user (series.yaml, or a series entry in front matter). */
export interface SeriesInfo {
  /** The series name it describes, as written. */
  name: string;
  title?: string;
  authors?: string[];
  summary?: Block[];
  /** Path of a cover image for the omnibus. */
  cover?: string;
  /** Hash of the cover image's bytes. */
  coverHash?: string;
  /** Where it was given, for messages. */
  file: string;
}

export interface SeriesPart {
  part: number;
  work: Work;
}

export interface Series {
  /** Normalized name: what matches across works. */
  key: string;
  /** The name as most of its parts spell it. */
  name: string;
  /** Present parts, by part number (a duplicated number appears twice, in source order). */
  parts: SeriesPart[];
  /** Part numbers from 1 to the highest present that no work claims. */
  missing: number[];
  info?: SeriesInfo;
}

/** How series names match: case, surrounding and inner spacing, and curly/straight quotes do not matter. */
export function seriesKey(name: string): string {
  return name
    .normalize('NFKC')
    .replace(/[‘’‛′`´]/g, "'")
    .replace(/[“”„″]/g, '"')
    .replace(/\s+/g, ' ')
    .trim()
    .toLowerCase();
}

/** Group works into series and report gaps and duplicate parts. */
export function groupSeries(works: readonly Work[], infos: readonly SeriesInfo[] = []): { series: Series[]; diagnostics: Diagnostic[] } {
  const byKey = new Map<string, { names: Map<string, number>; parts: SeriesPart[] }>();
  const diagnostics: Diagnostic[] = [];
  for (const work of works) {
    for (const m of work.metadata.series) {
      const key = seriesKey(m.name);
      if (!key) continue;
      let entry = byKey.get(key);
      if (!entry) byKey.set(key, (entry = { names: new Map(), parts: [] }));
      // A work is one part of a series: named twice (a page's header and trailer) it is still that one part.
      const already = entry.parts.find((p) => p.work === work);
      if (already) {
        if (already.part !== m.part) {
          diagnostics.push(
            diagnostic('warning', 'series/two-parts', work.source, `${m.name}: the work calls itself both part ${already.part} and part ${m.part}; using part ${already.part}`),
          );
        }
        continue;
      }
      entry.names.set(m.name.trim(), (entry.names.get(m.name.trim()) ?? 0) + 1);
      entry.parts.push({ part: m.part, work });
    }
  }
  const infoByKey = new Map<string, SeriesInfo>();
  for (const info of infos) {
    const key = seriesKey(info.name);
    const prev = infoByKey.get(key);
    infoByKey.set(key, prev ? { ...info, ...prev } : info);
  }
  const series: Series[] = [];
  for (const [key, entry] of byKey) {
    const parts = entry.parts.sort((a, b) => a.part - b.part || (a.work.source < b.work.source ? -1 : 1));
    // The most used spelling; ties go to the lowest part's spelling.
    const name = [...entry.names.entries()].sort((a, b) => b[1] - a[1])[0]![0];
    const max = parts[parts.length - 1]!.part;
    const present = new Set(parts.map((p) => p.part));
    const missing: number[] = [];
    for (let n = 1; n <= max && missing.length <= 1000; n++) if (!present.has(n)) missing.push(n);
    const s: Series = { key, name, parts, missing };
    const info = infoByKey.get(key);
    if (info) s.info = info;
    series.push(s);

    const files = parts.map((p) => p.work.source);
    // A lone part is just a work in a series; gaps matter once a series is being collected.
    if (missing.length && parts.length >= 2) {
      diagnostics.push(
        diagnostic(
          'warning',
          'series/missing-part',
          files[0]!,
          `${name}: ${missing.length === 1 ? `part ${missing[0]} of ${max} missing` : `parts ${compactRanges(missing)} of ${max} missing`}`,
          { hint: `found parts ${compactRanges([...present].sort((a, b) => a - b))} in ${files.join(', ')}` },
        ),
      );
    }
    for (let i = 1; i < parts.length; i++) {
      if (parts[i]!.part === parts[i - 1]!.part) {
        diagnostics.push(
          diagnostic('warning', 'series/duplicate-part', parts[i]!.work.source, `${name}: part ${parts[i]!.part} is claimed by both ${parts[i - 1]!.work.source} and ${parts[i]!.work.source}`, {
            hint: 'both are built; fix the part number in one of them',
          }),
        );
      }
    }
  }
  for (const [key, info] of infoByKey) {
    if (!byKey.has(key)) diagnostics.push(diagnostic('warning', 'series/unknown', info.file, `series metadata for '${info.name}', but no work belongs to that series`));
  }
  series.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return { series, diagnostics };
}

/** `1, 3-5, 9`. */
export function compactRanges(numbers: readonly number[]): string {
  const out: string[] = [];
  let i = 0;
  while (i < numbers.length) {
    let j = i;
    while (j + 1 < numbers.length && numbers[j + 1] === numbers[j]! + 1) j++;
    out.push(j > i ? `${numbers[i]}-${numbers[j]}` : String(numbers[i]));
    i = j + 1;
  }
  return out.join(', ');
}
