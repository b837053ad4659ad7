/**
 * Fit the prose-style classifier (`src/normalize/prose-style.ts`): one row
 * per chapter, modern (dev-modern) against classic (train), each author
 * weighted alike and both styles weighted alike.
 */
import { modernProbability, styleFeatures, type StyleModel } from '../src/normalize/prose-style.js';
import type { Sample } from './corpus.js';
import { fitLogistic } from './logistic.js';

const cache = new Map<string, Record<string, number>>();
const featuresOf = (s: Sample) => {
  let f = cache.get(s.name);
  if (!f) cache.set(s.name, (f = styleFeatures(s.body)));
  return f;
};

export function fitStyle(samples: readonly Sample[], held: ReadonlySet<string>): StyleModel {
  const use = samples.filter((s) => !held.has(s.author));
  const names = Object.keys(featuresOf(use[0]!));
  const values = use.map((s) => featuresOf(s));
  const mean = names.map((n) => values.reduce((a, v) => a + v[n]!, 0) / values.length);
  const scale = names.map((n, j) => Math.sqrt(values.reduce((a, v) => a + (v[n]! - mean[j]!) ** 2, 0) / values.length) || 1);
  // Weights: each author's chapters share one unit; each style's authors share the same total.
  const perAuthor = new Map<string, number>();
  for (const s of use) perAuthor.set(s.author, (perAuthor.get(s.author) ?? 0) + 1);
  const authorsOf = (modern: boolean) => new Set(use.filter((s) => (s.set === 'dev-modern') === modern).map((s) => s.author)).size;
  const modernAuthors = authorsOf(true);
  const classicAuthors = authorsOf(false);
  const cols = names.length + 1;
  const start = new Int32Array(use.length + 1);
  const colIdx = new Int32Array(use.length * cols);
  const vals = new Float32Array(use.length * cols);
  const label = new Uint8Array(use.length);
  const weight = new Float32Array(use.length);
  use.forEach((s, r) => {
    start[r] = r * cols;
    colIdx[r * cols] = 0;
    vals[r * cols] = 1;
    names.forEach((n, j) => {
      colIdx[r * cols + j + 1] = j + 1;
      vals[r * cols + j + 1] = (values[r]![n]! - mean[j]!) / scale[j]!;
    });
    const isModern = s.set === 'dev-modern';
    label[r] = isModern ? 1 : 0;
    weight[r] = 1 / perAuthor.get(s.author)! / (isModern ? modernAuthors : classicAuthors);
  });
  start[use.length] = use.length * cols;
  const l2 = new Float64Array(cols).fill(1e-2);
  l2[0] = 0;
  const theta = fitLogistic({ start, cols: colIdx, vals, label, weight, count: use.length }, cols, { l2, iterations: 100 });
  const round = (x: number) => Math.round(x * 1000) / 1000;
  return {
    bias: round(theta[0]!),
    features: Object.fromEntries(names.map((n, j) => [n, { mean: round(mean[j]!), scale: round(scale[j]!), weight: round(theta[j + 1]!) }])),
  };
}

/** Which weight set a text goes to under `style`. */
export const routeOf = (text: string, style: StyleModel): 'modern' | 'classic' => (modernProbability(text, style) >= 0.5 ? 'modern' : 'classic');
