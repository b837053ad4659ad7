/**
 * Paragraph recovery scored in-process on the measuring corpora — the counts
 * `../shared/tools/parf1.py` makes (boundary precision, recall, F1, the share
 * of words in paragraphs over 250 words, the longest paragraph), per corpus
 * and per author, without building a book per file. Each chapter goes
 * through the flat-text passes with the weights of its prose style.
 *
 * usage: node dist/scripts/scripts/eval.js [--corpus DIR]... [--authors] [--errors] [--time N]
 *        [--model FILE.json] [--threshold-modern T] [--threshold-classic T] [--walls N] [--skip ids] [--author A]...
 */
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { findCandidates, MODEL, weightsFor, type BoundaryModel, type Weights } from '../src/normalize/boundaries.js';
import { modernProbability } from '../src/normalize/prose-style.js';
import { analyzeQuotes } from '../src/normalize/quotes.js';
import { addTally, emptyTally, loadCorpus, row, tallySample, type Sample, type Tally } from './corpus.js';
import { predictWith } from './predict.js';

const args = process.argv.slice(2);
const opt = (name: string) => args.filter((_, i) => args[i - 1] === name);
const dirs = opt('--corpus').length ? opt('--corpus') : ['../shared/corpus/dev-modern', '../shared/corpus/dev'];
const skip = new Set(opt('--skip').flatMap((s) => s.split(',')));
const model: BoundaryModel = opt('--model').length ? (JSON.parse(readFileSync(opt('--model')[0]!, 'utf8')) as BoundaryModel) : structuredClone(MODEL);
if (opt('--threshold-modern').length) model.modern.threshold = Number(opt('--threshold-modern')[0]);
if (opt('--threshold-classic').length) model.classic.threshold = Number(opt('--threshold-classic')[0]);
if (opt('--walls').length) model.modern.wallWords = model.classic.wallWords = Number(opt('--walls')[0]);
const only = opt('--author');
const weightsOf = (s: Sample): Weights => weightsFor(s.body, model);
const predict = (s: Sample) => predictWith(s, weightsOf(s), skip);

const header = '| set | P | R | F1 | walls | longest |\n|---|---|---|---|---|---|';
for (const dir of dirs) {
  const samples = loadCorpus(dir).filter((s) => !only.length || only.includes(s.author));
  const byAuthor = new Map<string, Tally>();
  let all = emptyTally();
  let modernRoute = 0;
  for (const s of samples) {
    const t = emptyTally();
    tallySample(t, s, predict(s));
    if (modernProbability(s.body, model.style) >= 0.5) modernRoute++;
    byAuthor.set(s.author, addTally(byAuthor.get(s.author) ?? emptyTally(), t));
    all = addTally(all, t);
  }
  console.log(header);
  console.log(row(`${samples[0]?.set} (${samples.length}, ${modernRoute} read as modern)`, all));
  if (args.includes('--authors')) for (const [a, t] of [...byAuthor].sort()) console.log(row(a, t));

  if (args.includes('--errors')) {
    // Boundary kinds: what ends the left side and what starts the right, for every true and every predicted break.
    const kinds = new Map<string, [number, number, number]>();
    const bump = (k: string, f: 0 | 1 | 2) => {
      const e = kinds.get(k) ?? [0, 0, 0];
      e[f]++;
      kinds.set(k, e);
    };
    for (const s of samples) {
      const cands = new Map(findCandidates(s.body, analyzeQuotes(s.body).marks).map((c) => [c.at, `${c.left}→${c.right}`]));
      const pred = new Set(predict(s));
      for (const b of s.breaks) bump(cands.get(b) ?? 'no candidate', pred.has(b) ? 0 : 2);
      for (const b of pred) if (b > 0 && !s.breaks.has(b)) bump(cands.get(b) ?? 'no candidate', 1);
    }
    console.log(`\n| boundary | TP | FP | FN |\n|---|---|---|---|`);
    for (const [k, [tp, fp, fn]] of [...kinds].sort((a, b) => b[1][1] + b[1][2] - a[1][1] - a[1][2])) console.log(`| ${k} | ${tp} | ${fp} | ${fn} |`);
  }
}

const runs = Number(opt('--time')[0] ?? 0);
if (runs) {
  const samples = dirs.flatMap((d) => loadCorpus(d));
  const words = samples.reduce((n, s) => n + s.body.split(/\s+/).length, 0);
  const times: number[] = [];
  for (let r = 0; r < runs; r++) {
    const t0 = performance.now();
    for (const s of samples) predict(s);
    times.push(performance.now() - t0);
  }
  const sorted = [...times].sort((a, b) => a - b);
  const med = sorted[Math.floor(sorted.length / 2)]!;
  console.log(`time: ${words} words; runs ${times.map((t) => t.toFixed(0)).join(' ')} ms; median ${((med * 1e6) / words).toFixed(0)} ns/word`);
}
