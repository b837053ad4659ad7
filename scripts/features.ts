/**
 * Rows for fitting: one per candidate boundary of every sample, with the
 * value of every rule (a column per rule and kind) and the key of every
 * lexical rule (a column per key), labelled by the true paragraphs.
 */
import { kindOf, type Context, type Kind } from '../src/normalize/boundary-context.js';
import { decideBoundaries, LEXICAL_RULES, lexicalKey, MODEL, RULES, type Rule, type Weights } from '../src/normalize/boundaries.js';
import type { Sample } from './corpus.js';
import { fitLogistic, type Rows } from './logistic.js';

const KINDS: readonly Kind[] = ['SQ', 'SW', 'SM', 'NQ', 'NW', 'NM', 'IQ', 'IW', 'C', 'DQ', 'DW', 'OQ', 'OW', 'MQ', 'MW', 'MM', 'X'];

/** A rule's column: its id, with the kind when the rule looks at several kinds (each kind gets its own weight). */
const columnName = (r: Rule, k: Kind) => (r.kinds.length > 1 ? `${r.id}@${k}` : r.id);

/**
 * Rules that measure how long the paragraph has run may not weigh against a
 * break: fitted on the true paragraphs they learn that long paragraphs go on
 * (the authors who write long ones do), but while decoding a long paragraph
 * is mostly one whose breaks were missed, and a negative weight would then
 * miss the rest as well.
 */
const LENGTH_RULES = /^(?:paragraph-length|long-paragraph|paragraph-sentences|speech-paragraph-sentences|paragraph-length-before-speech)(?:@|$)/;

export interface FitSettings {
  /** The modern rows' total weight against the classic rows' (0: classic rows only). */
  modernShare: number;
  /** Rows of an author count (rows / mean rows per author)^-authorBalance, so big authors do not drown the rest. */
  authorBalance: number;
  l2: number;
  l2Lexical: number;
  /** A lexical key needs this many rows, from this many authors, among the rows fitted on. */
  minCount: number;
  minAuthors: number;
  iterations: number;
}

export interface Table extends Rows {
  author: string[];
  set: string[];
}

/** The columns: one per rule and kind, then one per lexical key seen. */
export class Columns {
  readonly dense: string[] = [];
  readonly rulesByKind = new Map<Kind, Array<[Rule, number]>>();
  readonly lexByKind = new Map<Kind, typeof LEXICAL_RULES>();
  readonly lexNames: string[] = [];
  /** Rows per author for each lexical key. */
  readonly lexAuthors: Array<Map<string, number>> = [];
  private readonly lexIndex = new Map<string, number>();

  constructor(options: { dropRules?: ReadonlySet<string>; lexical?: ReadonlySet<string> } = {}) {
    const denseIndex = new Map<string, number>();
    for (const k of KINDS) {
      const list: Array<[Rule, number]> = [];
      for (const r of RULES) {
        if (!r.kinds.includes(k) || options.dropRules?.has(r.id)) continue;
        const name = columnName(r, k);
        if (!denseIndex.has(name)) {
          denseIndex.set(name, this.dense.length);
          this.dense.push(name);
        }
        list.push([r, denseIndex.get(name)!]);
      }
      this.rulesByKind.set(k, list);
      this.lexByKind.set(k, LEXICAL_RULES.filter((r) => r.kinds.includes(k) && (!options.lexical || options.lexical.has(r.id))));
    }
  }

  lexColumn(name: string, author: string): number {
    let j = this.lexIndex.get(name);
    if (j === undefined) {
      j = this.lexNames.length;
      this.lexIndex.set(name, j);
      this.lexNames.push(name);
      this.lexAuthors.push(new Map());
    }
    const a = this.lexAuthors[j]!;
    a.set(author, (a.get(author) ?? 0) + 1);
    return this.dense.length + j;
  }

  get count(): number {
    return this.dense.length + this.lexNames.length;
  }
}

/** One row per candidate of every sample; the paragraph state comes from the true breaks. */
export function extract(samples: readonly Sample[], columns: Columns): Table {
  let cols = new Int32Array(1 << 22);
  let vals = new Float32Array(1 << 22);
  const start: number[] = [0];
  const label: number[] = [];
  const author: string[] = [];
  const set: string[] = [];
  let n = 0;
  const push = (c: number, v: number) => {
    if (n >= cols.length) {
      const c2 = new Int32Array(cols.length * 2);
      c2.set(cols);
      cols = c2;
      const v2 = new Float32Array(vals.length * 2);
      v2.set(vals);
      vals = v2;
    }
    cols[n] = c;
    vals[n] = v;
    n++;
  };
  // The weights only steer nothing here (the state follows the truth); any set will do.
  const weights = MODEL.modern;
  for (const s of samples) {
    decideBoundaries(s.body, {
      weights,
      oracle: s.breaks,
      visit: (x: Context) => {
        const k = kindOf(x.c.left, x.c.right);
        for (const [r, col] of columns.rulesByKind.get(k)!) {
          const f = r.feature(x);
          if (f !== 0) push(col, f);
        }
        for (const r of columns.lexByKind.get(k)!) {
          const key = lexicalKey(r, x);
          if (key !== undefined) push(columns.lexColumn(`${r.id}\t${key}`, s.author), 1);
        }
        start.push(n);
        label.push(s.breaks.has(x.c.at) ? 1 : 0);
        author.push(s.author);
        set.push(s.set);
      },
    });
  }
  return { start: Int32Array.from(start), cols, vals, label: Uint8Array.from(label), weight: new Float32Array(label.length), count: label.length, author, set };
}

/**
 * Fit one weight set without the authors in `held`. Returns the weights
 * (threshold and wall length left for the caller to set).
 */
export function fitWeights(t: Table, columns: Columns, held: ReadonlySet<string>, s: FitSettings): Weights {
  // Row weights: big authors are damped, then modern rows are scaled to their share.
  const perAuthor = new Map<string, number>();
  for (let r = 0; r < t.count; r++) if (!held.has(t.author[r]!)) perAuthor.set(t.author[r]!, (perAuthor.get(t.author[r]!) ?? 0) + 1);
  const used = [...perAuthor.values()].reduce((a, b) => a + b, 0);
  const mean = used / Math.max(1, perAuthor.size);
  const use = new Uint8Array(t.count);
  const total = { modern: 0, classic: 0 };
  for (let r = 0; r < t.count; r++) {
    const a = t.author[r]!;
    const modern = t.set[r] === 'dev-modern';
    use[r] = held.has(a) || (modern && s.modernShare === 0) ? 0 : 1;
    t.weight[r] = use[r] ? Math.pow(perAuthor.get(a)! / mean, -s.authorBalance) : 0;
    total[modern ? 'modern' : 'classic'] += t.weight[r]!;
  }
  // Scale the modern rows so that together they weigh `modernShare` times the classic ones.
  const scale = total.modern > 0 ? (s.modernShare * total.classic) / total.modern : 0;
  for (let r = 0; r < t.count; r++) if (t.set[r] === 'dev-modern') t.weight[r] = t.weight[r]! * scale;
  const n = columns.count;
  const l2 = new Float64Array(n);
  for (let j = 0; j < columns.dense.length; j++) l2[j] = s.l2;
  // A lexical key seen too rarely, or in too few authors, among the rows fitted on stays out (a huge L2 keeps it at 0).
  const active = new Uint8Array(n);
  for (let j = 0; j < columns.lexNames.length; j++) {
    let count = 0;
    let authors = 0;
    for (const [a, c] of columns.lexAuthors[j]!) {
      if (held.has(a) || !perAuthor.has(a)) continue;
      count += c;
      authors++;
    }
    const ok = count >= s.minCount && authors >= s.minAuthors;
    active[columns.dense.length + j] = ok ? 1 : 0;
    l2[columns.dense.length + j] = ok ? s.l2Lexical : 1e6;
  }
  const nonNegative = new Uint8Array(n);
  columns.dense.forEach((name, j) => (nonNegative[j] = LENGTH_RULES.test(name) ? 1 : 0));
  const theta = fitLogistic(t, n, { l2, iterations: s.iterations, use, nonNegative });

  const rules: Record<string, number> = {};
  columns.dense.forEach((name, j) => {
    const w = Math.round(theta[j]! * 1000) / 1000;
    if (Math.abs(w) >= 0.01) rules[name] = w;
  });
  const lexical: Record<string, Record<string, number>> = {};
  columns.lexNames.forEach((name, j) => {
    if (!active[columns.dense.length + j]) return;
    const w = Math.round(theta[columns.dense.length + j]! * 100) / 100;
    if (Math.abs(w) < 0.25) return; // small table entries change little and cost load time
    const [id, key] = name.split('\t') as [string, string];
    (lexical[id] ??= {})[key] = w;
  });
  return { threshold: 0, wallWords: 250, rules, lexical };
}
