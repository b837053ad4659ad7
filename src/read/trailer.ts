import type { SeriesMembership } from '../model/types.js';
import { parsePart } from './metadata-input.js';

/**
 * AO3's series trailer, as it survives a page scrape:
 *
 *   `← Previous Work Part 3 of the NAME series Next Work →`   (before 2022)
 *   `Part 3 of NAME`                                          (since 2022)
 *
 * one `Part N of ...` per series the work belongs to. The navigation links
 * appear only when such a work exists.
 */
export interface TrailerSeries {
  series: SeriesMembership[];
  /** Entries that named a part that is not a sane number, e.g. `Part 0 of X`. */
  rejected: string[];
}

const PREVIOUS = /←\s*Previous\s+Work/gi;
const NEXT = /Next\s+Work\s*→/gi;
const PART = /\bPart\s+(\d+)\s+of\s+/gi;

/** Parse the text after `Series this work belongs to:` into memberships. */
export function parseSeriesTrailer(text: string): TrailerSeries {
  const cleaned = text.replace(PREVIOUS, '\n').replace(NEXT, '\n');
  const starts = [...cleaned.matchAll(PART)];
  const series: SeriesMembership[] = [];
  const rejected: string[] = [];
  starts.forEach((m, i) => {
    const from = m.index + m[0].length;
    const to = i + 1 < starts.length ? starts[i + 1]!.index : cleaned.length;
    // A navigation link ends the name; several series are separated by them or follow each other.
    const rawName = cleaned.slice(from, to).split('\n')[0]!.replace(/\s+/g, ' ').trim();
    const name = seriesName(rawName);
    const part = parsePart(m[1]);
    if (!name) return;
    if (part === undefined) rejected.push(`Part ${m[1]} of ${name}`);
    else series.push({ name, part });
  });
  return { series, rejected };
}

/**
 * The series name inside `Part N of ...`: before 2022 AO3 wrote
 * `the NAME series`, so that wrapper is removed; since then the name stands alone.
 */
export function seriesName(raw: string): string {
  const s = raw.replace(/[.,;]+$/, '').trim();
  const old = /^the\s+(.+?)\s+series$/i.exec(s);
  return (old ? old[1]! : s).trim();
}
