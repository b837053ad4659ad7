/**
 * What each rule adds on average: mean |weight × feature| over every candidate of the corpora (the fitted
 * model's weights, each chapter with its style's weights). Rules that add little can be dropped.
 *
 * usage: node dist/scripts/scripts/contrib.js [--corpus DIR]
 */
import { fileURLToPath } from 'node:url';
import { decideBoundaries, LEXICAL_RULES, RULES, ruleWeight, weightsFor } from '../src/normalize/boundaries.js';
import { kindOf } from '../src/normalize/boundary-context.js';
import { loadCorpus } from './corpus.js';

const CORPUS = fileURLToPath(new URL('../../../../shared/corpus/', import.meta.url));
const samples = [...loadCorpus(CORPUS + 'dev-modern', 'dev-modern'), ...loadCorpus(CORPUS + 'train', 'train').filter((_, i) => i % 4 === 0)];
const sum = new Map<string, number>();
let rows = 0;
for (const s of samples) {
  const weights = weightsFor(s.body);
  decideBoundaries(s.body, {
    weights,
    oracle: s.breaks,
    visit: (x) => {
      rows++;
      const k = kindOf(x.c.left, x.c.right);
      for (const r of RULES) if (r.kinds.includes(k)) sum.set(r.id, (sum.get(r.id) ?? 0) + Math.abs(ruleWeight(weights, r, k) * r.feature(x)));
      for (const r of LEXICAL_RULES) {
        if (!r.kinds.includes(k)) continue;
        sum.set(r.id, sum.get(r.id) ?? 0);
      }
    },
  });
}
for (const [id, v] of [...sum].sort((a, b) => a[1] - b[1])) console.log((v / rows).toFixed(4), id);
