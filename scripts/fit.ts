/**
 * `npm run fit`: fit paragraph recovery on many authors and write the model
 * to `src/normalize/boundary-weights.ts`.
 *
 * Reads `../shared/corpus/train` (48 classic novels, 41 authors) and
 * `dev-modern` (9 modern authors, mostly fan fiction). Every candidate
 * boundary of every chapter becomes a row of rule features, labelled by
 * whether the true text starts a paragraph there. Two weight sets are
 * fitted by L2 logistic regression over the named rules and the lexical
 * tables: a modern one (classic and modern rows, modern rows weighted up)
 * and a classic one (classic rows only), with a small classifier that tells
 * a work's prose style from a few rates (`prose-style.ts`).
 *
 * Everything is validated by leaving authors out before the final fit: each
 * modern author, then four groups of classic authors, in turn are held out;
 * the style classifier and both weight sets are fitted without them, and
 * their chapters are decoded the way Quire decodes (style, weights,
 * threshold, wall splitting). The thresholds are chosen on those held-out
 * decisions: modern for the best F1 at precision ≥ 0.76, classic for the
 * best recall at precision ≥ 0.94 (the classic target), or when no threshold
 * reaches it the best precision-weighted F (β = 0.5). `dev` (Austen, Doyle) is
 * never fitted on and is reported last.
 *
 * usage: npm run fit [-- --no-cv] [--no-write] [--modern-share S] [--l2 L] [--l2-lex L]
 *        [--train-every N] [--modern-only] [--classic-only] [--save-folds FILE] [--json FILE]
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { decideBoundaries, weightsAt, weightsFor, type BoundaryModel, type Weights } from '../src/normalize/boundaries.js';
import { modernProbability, type StyleModel } from '../src/normalize/prose-style.js';
import { addTally, emptyTally, loadCorpus, prf, row, tallySample, type Sample, type Tally } from './corpus.js';
import { Columns, extract, fitWeights, type FitSettings } from './features.js';
import { predictWallVariants, predictWith } from './predict.js';
import { fitStyle, routeOf } from './style-fit.js';

const args = process.argv.slice(2);
/** Everything the fit reports, also written to test/bench/PARAGRAPHS.md beside the weights. */
const report: string[] = [];
const log = (line = '') => {
  report.push(line);
  console.log(line);
};
const num = (name: string, d: number) => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : d;
};
const listArg = (name: string) => {
  const i = args.indexOf(name);
  return i >= 0 ? new Set(args[i + 1]!.split(',')) : undefined;
};
const corpusArg = args.indexOf('--corpus');
const CORPUS = corpusArg >= 0 ? args[corpusArg + 1]!.replace(/\/?$/, '/') : fileURLToPath(new URL('../../../../shared/corpus/', import.meta.url));
const OUT = fileURLToPath(new URL('../../../src/normalize/boundary-weights.ts', import.meta.url));
const REPORT = fileURLToPath(new URL('../../../test/bench/PARAGRAPHS.md', import.meta.url));

const base: Omit<FitSettings, 'modernShare'> = {
  authorBalance: num('--author-balance', 0.5),
  l2: num('--l2', 1e-6),
  l2Lexical: num('--l2-lex', 1e-3),
  minCount: num('--min-count', 20),
  minAuthors: num('--min-authors', 3),
  iterations: num('--iterations', 150),
};
const MODERN: FitSettings = { ...base, modernShare: num('--modern-share', 3.5) };
const CLASSIC: FitSettings = { ...base, modernShare: 0 };
/**
 * Wall lengths per style (words): past this a recovered paragraph is split. Set where each style's true
 * paragraphs rarely go: 0.3 % of dev-modern's words sit in paragraphs over 250 words, 1.4 % of train's in
 * paragraphs over 500 (8.7 % over 250: classic authors write long paragraphs, and a cut there at 250 is
 * wrong more often than right — the classic operating points below show what each length costs).
 */
const WALLS = { modern: num('--walls-modern', 250), classic: num('--walls-classic', 500) };
/** The classic wall lengths scored on held-out authors for the report (a cut at none of them: Infinity). */
const CLASSIC_WALLS = [250, 300, 400, 500, 700, Infinity];
/** The precision the classic threshold must keep on held-out classic authors. */
const CLASSIC_PRECISION = num('--classic-precision', 0.94);
const MODERN_PRECISION = 0.76;
const THRESHOLDS = [-1, -0.75, -0.5, -0.375, -0.25, -0.125, 0, 0.125, 0.25, 0.375, 0.5, 0.625, 0.75, 1, 1.25, 1.5, 2, 2.5];

const t0 = Date.now();
const elapsed = () => `${((Date.now() - t0) / 1000).toFixed(0)} s`;
const TRAIN_EVERY = num('--train-every', 1);
const train = loadCorpus(CORPUS + 'train', 'train').filter((_, i) => i % TRAIN_EVERY === 0);
const modern = loadCorpus(CORPUS + 'dev-modern', 'dev-modern');
const dev = loadCorpus(CORPUS + 'dev', 'dev');
const fitSamples = [...train, ...modern];
const dropRules = listArg('--drop');
const lexical = listArg('--lex');
const columns = new Columns({ ...(dropRules ? { dropRules } : {}), ...(lexical ? { lexical } : {}) });
const table = extract(fitSamples, columns);
console.error(`${table.count} candidates, ${columns.dense.length} rule columns, ${columns.lexNames.length} lexical keys (${elapsed()})`);

/** Style classifier and both weight sets, fitted without the authors in `held` (thresholds still 0). */
function fitModel(held: ReadonlySet<string>): BoundaryModel {
  return {
    style: fitStyle(fitSamples, held),
    modern: { ...fitWeights(table, columns, held, MODERN), wallWords: WALLS.modern },
    classic: { ...fitWeights(table, columns, held, CLASSIC), wallWords: WALLS.classic },
  };
}

/** Per route (the style a sample was read as), per threshold: the tallies of `samples` decoded with that route's weights. */
interface Routed {
  modern: Tally[];
  classic: Tally[];
  /** Classic route, per threshold, per wall length of `CLASSIC_WALLS`. */
  classicWalls: Tally[][];
  routes: { modern: number; classic: number };
}
const emptyRouted = (): Routed => ({
  modern: THRESHOLDS.map(emptyTally),
  classic: THRESHOLDS.map(emptyTally),
  classicWalls: THRESHOLDS.map(() => CLASSIC_WALLS.map(emptyTally)),
  routes: { modern: 0, classic: 0 },
});

function decodeRouted(samples: readonly Sample[], model: BoundaryModel, into: Routed): void {
  for (const s of samples) {
    const p = modernProbability(s.body, model.style);
    const route = p >= 0.5 ? 'modern' : 'classic';
    into.routes[route]++;
    const w = weightsAt(p, model);
    THRESHOLDS.forEach((threshold, k) => {
      // The style's own wall length first, then (classic) each length of the report.
      const variants = [{ wallWords: w.wallWords }, ...(route === 'classic' ? CLASSIC_WALLS.map((wallWords) => ({ wallWords })) : [])];
      const starts = predictWallVariants(s, { ...w, threshold }, variants);
      const t = emptyTally();
      tallySample(t, s, starts[0]!);
      into[route][k] = addTally(into[route][k]!, t);
      starts.slice(1).forEach((st, j) => {
        const u = emptyTally();
        tallySample(u, s, st);
        into.classicWalls[k]![j] = addTally(into.classicWalls[k]![j]!, u);
      });
    });
  }
}

/** The tally of a corpus at a pair of thresholds (one per route). */
const at = (r: Routed, km: number, kc: number) => addTally(r.modern[km]!, r.classic[kc]!);

/**
 * The threshold with the best `by` (F1 or recall) among those that keep precision ≥ `minP`; when none
 * does, the one with the best precision-weighted F (β = 0.5: a wrong break shows more than a missed one).
 */
const pick = (scored: Array<{ k: number; p: number; r: number; f: number }>, minP: number, by: 'f' | 'r') => {
  const ok = scored.filter((x) => x.p >= minP);
  if (ok.length) return ok.reduce((a, b) => (b[by] > a[by] ? b : a)).k;
  const fHalf = (x: { p: number; r: number }) => (1.25 * x.p * x.r) / Math.max(1e-9, 0.25 * x.p + x.r);
  return scored.reduce((a, b) => (fHalf(b) > fHalf(a) ? b : a)).k;
};

let kModern = THRESHOLDS.indexOf(num('--threshold-modern', 0));
let kClassic = THRESHOLDS.indexOf(num('--threshold-classic', 1));
if (!args.includes('--no-cv')) {
  const modernAuthors = [...new Set(modern.map((s) => s.author))].sort();
  const classicAuthors = [...new Set(train.map((s) => s.author))].sort();
  const folds: string[][] = [
    ...(args.includes('--classic-only') ? [] : modernAuthors.map((a) => [a])),
    ...(args.includes('--modern-only') ? [] : [0, 1, 2, 3].map((g) => classicAuthors.filter((_, i) => i % 4 === g))),
  ];
  const modernAll = emptyRouted();
  const classicAll = emptyRouted();
  const perAuthor = new Map<string, Routed>();
  const foldModels: Array<[string[], BoundaryModel]> = [];
  for (const fold of folds) {
    const held = new Set(fold);
    const model = fitModel(held);
    foldModels.push([fold, model]);
    for (const s of [...modern, ...train]) {
      if (!held.has(s.author)) continue;
      const r = perAuthor.get(s.author) ?? emptyRouted();
      decodeRouted([s], model, r);
      perAuthor.set(s.author, r);
      decodeRouted([s], model, s.set === 'dev-modern' ? modernAll : classicAll);
    }
    console.error(`fold ${fold.length === 1 ? fold[0] : `of ${fold.length} classic authors`} done (${elapsed()})`);
  }
  const saveArg = args.indexOf('--save-folds');
  if (saveArg >= 0) writeFileSync(args[saveArg + 1]!, JSON.stringify(foldModels));

  // Classic threshold first (classic chapters are read as classic), then the modern one given it.
  const scoredAt = (r: Routed, fixed: number, vary: 'modern' | 'classic') =>
    THRESHOLDS.map((_, k) => ({ k, ...prf(vary === 'modern' ? at(r, k, fixed) : at(r, fixed, k)) }));
  if (!args.includes('--modern-only')) kClassic = pick(scoredAt(classicAll, kModern, 'classic'), CLASSIC_PRECISION, 'r');
  if (!args.includes('--classic-only')) kModern = pick(scoredAt(modernAll, kClassic, 'modern'), MODERN_PRECISION, 'f');

  const fmt = (x: { p: number; r: number; f: number; walls: number }) => `${x.p.toFixed(3)} ${x.r.toFixed(3)} ${x.f.toFixed(3)} ${x.walls.toFixed(3)}`;
  log(`\nRead as modern: ${modernAll.routes.modern}/${modernAll.routes.modern + modernAll.routes.classic} modern chapters, ${classicAll.routes.modern}/${classicAll.routes.modern + classicAll.routes.classic} classic chapters (held out)`);
  log(`\nLeave-authors-out operating points (P R F1 walls)\n| modern threshold | dev-modern | classic threshold | train |\n|---|---|---|---|`);
  THRESHOLDS.forEach((th, k) => log(`| ${th} | ${fmt(prf(at(modernAll, k, kClassic)))} | ${th} | ${fmt(prf(at(classicAll, kModern, k)))} |`));
  log(`\nClassic operating points by wall length: held-out train chapters read as classic (P R F1 walls; the fit uses ${WALLS.classic})\n| classic threshold | ${CLASSIC_WALLS.map((w) => (w === Infinity ? 'no wall pass' : `${w} words`)).join(' | ')} |\n|---|${CLASSIC_WALLS.map(() => '---|').join('')}`);
  THRESHOLDS.forEach((th, k) => log(`| ${th} | ${CLASSIC_WALLS.map((_, j) => fmt(prf(classicAll.classicWalls[k]![j]!))).join(' | ')} |`));
  log(`\nHeld out, at thresholds modern ${THRESHOLDS[kModern]} / classic ${THRESHOLDS[kClassic]}:\n| author | P | R | F1 | walls | longest |\n|---|---|---|---|---|---|`);
  log(row('**dev-modern (each author left out)**', at(modernAll, kModern, kClassic)));
  for (const a of modernAuthors) if (perAuthor.has(a)) log(row(a, at(perAuthor.get(a)!, kModern, kClassic)));
  log(row('**train (four groups of authors left out)**', at(classicAll, kModern, kClassic)));
  errorKinds(foldModels, 'dev-modern', modern);
  errorKinds(foldModels, 'train', train);
}

/** Held-out errors by the kind of boundary, at the chosen thresholds. */
function errorKinds(foldModels: Array<[string[], BoundaryModel]>, label: string, samples: readonly Sample[]): void {
  const kinds = new Map<string, [number, number, number]>();
  for (const [fold, model] of foldModels) {
    const held = new Set(fold);
    for (const s of samples) {
      if (!held.has(s.author)) continue;
      const route = routeOf(s.body, model.style);
      const w = { ...weightsFor(s.body, model), threshold: THRESHOLDS[route === 'modern' ? kModern : kClassic]! };
      const pred = new Set(predictWith(s, w));
      const kindAt = new Map(decideBoundaries(s.body, { weights: w }).candidates.map((c) => [c.at, `${c.left}→${c.right}`]));
      const bump = (b: number, f: 0 | 1 | 2) => {
        const k = kindAt.get(b) ?? 'no candidate';
        const e = kinds.get(k) ?? [0, 0, 0];
        e[f]++;
        kinds.set(k, e);
      };
      for (const b of s.breaks) bump(b, pred.has(b) ? 0 : 2);
      for (const b of pred) if (b > 0 && !s.breaks.has(b)) bump(b, 1);
    }
  }
  if (!kinds.size) return;
  log(`\nHeld-out ${label} boundaries by kind\n| boundary | TP | FP | FN |\n|---|---|---|---|`);
  for (const [k, [tp, fp, fn]] of [...kinds].sort((a, b) => b[1][1] + b[1][2] - a[1][1] - a[1][2])) log(`| ${k} | ${tp} | ${fp} | ${fn} |`);
}

const fitted = fitModel(new Set());
const final: BoundaryModel = {
  style: fitted.style,
  modern: { ...fitted.modern, threshold: THRESHOLDS[kModern]! },
  classic: { ...fitted.classic, threshold: THRESHOLDS[kClassic]! },
};
let devAll = emptyTally();
const devByAuthor = new Map<string, Tally>();
let devModernRoute = 0;
for (const s of dev) {
  const route = routeOf(s.body, final.style);
  if (route === 'modern') devModernRoute++;
  const t = emptyTally();
  tallySample(t, s, predictWith(s, weightsFor(s.body, final)));
  devAll = addTally(devAll, t);
  devByAuthor.set(s.author, addTally(devByAuthor.get(s.author) ?? emptyTally(), t));
}
log(`\nFinal model on dev (never fitted on; ${devModernRoute}/${dev.length} chapters read as modern):\n| author | P | R | F1 | walls | longest |\n|---|---|---|---|---|---|`);
log(row('**dev**', devAll));
for (const [a, t] of devByAuthor) log(row(a, t));
const lexCount = (w: Weights) => Object.values(w.lexical).reduce((n, t) => n + Object.keys(t).length, 0);
console.error(`final: modern ${Object.keys(final.modern.rules).length} rule weights + ${lexCount(final.modern)} lexical, threshold ${final.modern.threshold}; classic ${Object.keys(final.classic.rules).length} + ${lexCount(final.classic)}, threshold ${final.classic.threshold} (${elapsed()})`);

const jsonArg = args.indexOf('--json');
if (jsonArg >= 0) writeFileSync(args[jsonArg + 1]!, JSON.stringify(final));
if (!args.includes('--no-write')) {
  const sorted = <T>(o: Readonly<Record<string, T>>) => Object.fromEntries(Object.entries(o).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  const tidy = (w: Weights): Weights => ({ threshold: w.threshold, wallWords: w.wallWords, rules: sorted(w.rules), lexical: sorted(Object.fromEntries(Object.entries(w.lexical).map(([id, t]) => [id, sorted(t)]))) });
  const body = { style: final.style, modern: tidy(final.modern), classic: tidy(final.classic) };
  const settings = `modern rows weighing ${MODERN.modernShare}× the classic ones, author balance ${base.authorBalance}, L2 ${base.l2} (lexical ${base.l2Lexical}), lexical keys seen ≥ ${base.minCount} times in ≥ ${base.minAuthors} authors, walls ${WALLS.modern}/${WALLS.classic} words${TRAIN_EVERY > 1 ? `, every ${TRAIN_EVERY}th train chapter` : ''}`;
  const literal = (o: unknown) => '`' + JSON.stringify(o, null, 1).replace(/[\\`]|\$\{/g, (m) => '\\' + m) + '`';
  writeFileSync(
    OUT,
    `import type { BoundaryModel, Weights } from './boundaries.js';\n\n` +
      `/**\n * The paragraph-recovery model, written by \`npm run fit\` (scripts/fit.ts) from\n * ../shared/corpus/train and dev-modern: ${settings}.\n * Do not edit by hand: change the rules or the fit and run it again.\n *\n` +
      ` * Kept as JSON text, parsed when a style is first used (a JSON string parses\n * faster than the same object literal, and a work needs one style).\n */\n` +
      `const STYLE = ${literal(body.style)};\nconst MODERN = ${literal(body.modern)};\nconst CLASSIC = ${literal(body.classic)};\n\n` +
      `let modern: Weights | undefined;\nlet classic: Weights | undefined;\n\n` +
      `export const MODEL: BoundaryModel = {\n  style: JSON.parse(STYLE),\n  get modern() {\n    return (modern ??= JSON.parse(MODERN) as Weights);\n  },\n  get classic() {\n    return (classic ??= JSON.parse(CLASSIC) as Weights);\n  },\n};\n`,
  );
  console.error(`wrote ${OUT}`);
  if (!args.includes('--no-cv')) {
    writeFileSync(
      REPORT,
      `# Paragraph recovery: the fit's report\n\nWritten by \`npm run fit\` (scripts/fit.ts) with the model in \`src/normalize/boundary-weights.ts\`\n` +
        `(${settings}). Every score is on authors the weights were fitted without: each dev-modern author left out in\n` +
        `turn, the classic train authors in four groups, and dev (Austen, Doyle), never fitted on. P, R and F1 are\n` +
        `paragraph-boundary precision, recall and F1; walls the share of words in paragraphs over 250 words; the\n` +
        `counts are \`../shared/tools/parf1.py\`'s, made in-process.\n` +
        report.join('\n').replace(/\n{3,}/g, '\n\n') + '\n',
    );
    console.error(`wrote ${REPORT}`);
  }
}
