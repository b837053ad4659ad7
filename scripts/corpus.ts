import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The measuring corpora of `../shared/corpus` (dev-modern, dev, train): each
 * `NAME.txt` is one flattened chapter, `NAME.truth.json` its true paragraphs.
 * Only read here, for fitting and scoring; nothing of it is copied anywhere.
 */
export interface Sample {
  /** The file's stem, e.g. `mizutori--chapter-1`. */
  name: string;
  /** Which corpus folder it came from. */
  set: string;
  /** Author id (the stem before `--`, and for `train`/`dev` before the first `_`). */
  author: string;
  /** The story text as a scrape gives it: the true paragraphs joined by single spaces (no trailer). */
  body: string;
  /** Offsets in `body` where a true paragraph starts (0 excluded). */
  breaks: Set<number>;
  paragraphs: string[];
}

export function authorOf(stem: string): string {
  const head = stem.split('--')[0]!;
  return head.includes('_') ? head.split('_')[0]! : head;
}

/** Load every sample of a corpus folder, in file-name order. */
export function loadCorpus(dir: string, set = dir.split('/').filter(Boolean).pop()!): Sample[] {
  const out: Sample[] = [];
  for (const f of readdirSync(dir).filter((f) => f.endsWith('.txt')).sort()) {
    const name = f.slice(0, -4);
    const truth = JSON.parse(readFileSync(join(dir, name + '.truth.json'), 'utf8')) as { paragraphs: string[] };
    const paragraphs = truth.paragraphs;
    const breaks = new Set<number>();
    let at = 0;
    paragraphs.forEach((p, i) => {
      if (i > 0) breaks.add(at);
      at += p.length + 1;
    });
    out.push({ name, set, author: authorOf(name), body: paragraphs.join(' '), breaks, paragraphs });
  }
  return out;
}

/** Words as parf1 counts them: whitespace-separated, with at least one word character. */
export function tokenCount(s: string): number {
  let n = 0;
  for (const w of s.split(/\s+/)) if (/[\p{L}\p{N}_]/u.test(w)) n++;
  return n;
}

export interface Tally {
  tp: number;
  fp: number;
  fn: number;
  words: number;
  wallWords: number;
  longest: number;
}

export const emptyTally = (): Tally => ({ tp: 0, fp: 0, fn: 0, words: 0, wallWords: 0, longest: 0 });

/** Add one sample's predicted paragraph starts (offsets in its body) to a tally. */
export function tallySample(t: Tally, s: Sample, predicted: readonly number[]): void {
  const pred = new Set(predicted);
  for (const b of pred) if (b > 0) (s.breaks.has(b) ? t.tp++ : t.fp++);
  for (const b of s.breaks) if (!pred.has(b)) t.fn++;
  const cuts = [0, ...[...pred].filter((b) => b > 0).sort((a, b) => a - b), s.body.length];
  for (let i = 1; i < cuts.length; i++) {
    const k = tokenCount(s.body.slice(cuts[i - 1], cuts[i]));
    t.words += k;
    if (k > 250) t.wallWords += k;
    t.longest = Math.max(t.longest, k);
  }
}

export function addTally(a: Tally, b: Tally): Tally {
  return { tp: a.tp + b.tp, fp: a.fp + b.fp, fn: a.fn + b.fn, words: a.words + b.words, wallWords: a.wallWords + b.wallWords, longest: Math.max(a.longest, b.longest) };
}

export function prf(t: Tally): { p: number; r: number; f: number; walls: number } {
  const p = t.tp / Math.max(1, t.tp + t.fp);
  const r = t.tp / Math.max(1, t.tp + t.fn);
  return { p, r, f: (2 * p * r) / Math.max(1e-9, p + r), walls: t.wallWords / Math.max(1, t.words) };
}

export function row(label: string, t: Tally): string {
  const { p, r, f, walls } = prf(t);
  return `| ${label} | ${p.toFixed(3)} | ${r.toFixed(3)} | ${f.toFixed(3)} | ${walls.toFixed(3)} | ${t.longest} |`;
}
