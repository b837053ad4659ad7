import { kindOf, newMemo, nameGenders, properNames, readAhead, speechIn, type Context, type DocumentFacts, type Kind } from './boundary-context.js';
import { LEXICAL_RULES, lexicalGroup, RULES, type LexicalRule, type Rule } from './boundary-rules.js';
import { MODEL } from './boundary-weights.js';
import { modernProbability, type StyleModel } from './prose-style.js';
import { findCandidates, wordsBetween, type Candidate } from './candidates.js';
import { analyzeQuotes, type QuoteMark } from './quotes.js';
import { tagSpeaker } from './speech-tags.js';

/**
 * Paragraph boundaries in flat text, as a scored decision at each candidate.
 *
 * A candidate (`candidates.ts`) is a gap between two sentences. Each named
 * rule (`boundary-rules.ts`) looks at both sides — punctuation, quote state,
 * speech tags, speakers, sentence and paragraph lengths, the words there —
 * and adds its weighted evidence to the score; a candidate whose score passes
 * the threshold becomes a paragraph break. The weights are fitted on many
 * authors by `npm run fit` (see `scripts/fit.ts`) and kept as data in
 * `boundary-weights.ts`. `explainBoundaries` shows which rules fired where.
 */

export type { Candidate, LeftEnd, RightStart } from './candidates.js';
export { findCandidates } from './candidates.js';
export type { Context } from './boundary-context.js';
export { RULES, LEXICAL_RULES, lexicalKey } from './boundary-rules.js';
export type { Rule, LexicalRule } from './boundary-rules.js';
export { tagSpeaker } from './speech-tags.js';

/** Fitted weights: one per rule, a table per lexical rule, the break threshold and the wall length. */
export interface Weights {
  threshold: number;
  /** A recovered paragraph longer than this many words is split (`walls.ts`). */
  wallWords: number;
  rules: Readonly<Record<string, number>>;
  lexical: Readonly<Record<string, Readonly<Record<string, number>>>>;
}

/** The fitted model: a weight set for each prose style and the style classifier that picks one. */
export interface BoundaryModel {
  style: StyleModel;
  modern: Weights;
  classic: Weights;
}

export { MODEL };

/** The weight set for a text: the modern one when the text reads as modern prose, else the classic one. */
export function weightsFor(text: string, model: BoundaryModel = MODEL): Weights {
  return weightsAt(modernProbability(text, model.style), model);
}

/** Classic weight sets with a shorter wall length, made once per length (their compiled rules are cached by identity). */
const shortened = new WeakMap<Weights, Map<number, Weights>>();

/**
 * The weight set for a text whose prose reads as modern with probability `p`. Text that is clearly
 * classic keeps the classic wall length (classic authors write long paragraphs); the less sure the
 * style, the closer the wall length comes to the modern one, so that a modern work read as classic
 * by a narrow margin is not left with walls (p = 0: the classic length, p → 0.5: the modern one).
 */
export function weightsAt(p: number, model: BoundaryModel = MODEL): Weights {
  if (p >= 0.5) return model.modern;
  const c = model.classic;
  const wallWords = Math.round(c.wallWords - Math.max(0, c.wallWords - model.modern.wallWords) * 2 * p);
  if (wallWords === c.wallWords) return c;
  let byLength = shortened.get(c);
  if (!byLength) shortened.set(c, (byLength = new Map()));
  let w = byLength.get(wallWords);
  if (!w) byLength.set(wallWords, (w = { ...c, wallWords }));
  return w;
}

export interface DecideOptions {
  weights?: Weights;
  /** Known breaks (text offsets) to build the paragraph state from instead of the decisions (for fitting). */
  oracle?: ReadonlySet<number>;
  /** Record each rule's contribution at each candidate (`explanations`). */
  explain?: boolean;
  /** Called with each candidate's context once it is scored (for fitting). */
  visit?: (x: Context) => void;
}

export interface Decision {
  candidates: Candidate[];
  /** Indices in the text where new paragraphs start. */
  breaks: number[];
  /** With `explain`: per candidate, the rules that fired and what each added. */
  explanations?: Array<Array<[string, number]>>;
}

/**
 * The rules that can fire for one candidate kind, with their weights (rules weighted 0 are left out),
 * as flat lists: the scoring loop then reads the same kind of object and arrays for every kind and
 * every text (a first pass over a batch is mostly V8 compiling code, and a new shape or array kind
 * seen after that throws the compiled loop away).
 */
class Compiled {
  /** The rules' value functions, their weights and ids, in rule order. */
  readonly features: Array<(x: Context) => number> = [];
  readonly weights: Float64Array;
  readonly ids: string[] = [];
  /** Each lexical rule's term function with its table for this kind's group, keyed by term. */
  readonly terms: Array<(x: Context) => string | undefined> = [];
  readonly tables: Array<ReadonlyMap<string, number>> = [];
  readonly termIds: string[] = [];
  featureCount = 0;
  termCount = 0;

  constructor(weights: Weights, kind: Kind, all: boolean) {
    const ws: number[] = [];
    for (const r of RULES) {
      if (!r.kinds.includes(kind)) continue;
      const w = ruleWeight(weights, r, kind);
      if (!all && w === 0) continue;
      this.features.push(r.feature);
      ws.push(w);
      this.ids.push(r.id);
    }
    this.weights = Float64Array.from(ws);
    this.featureCount = this.features.length;
    // A lexical rule with no entry for this kind's group is not looked up (its term is not even read).
    for (const r of LEXICAL_RULES) {
      if (!r.kinds.includes(kind) || (!all && !weights.lexical[r.id])) continue;
      const table = groupTable(weights.lexical[r.id] ?? {}, lexicalGroup(kind));
      if (!all && table.size === 0) continue;
      this.terms.push(r.term);
      this.tables.push(table);
      this.termIds.push(r.id);
    }
    this.termCount = this.terms.length;
  }
}

/**
 * A weight set's rules made ready to score, compiled for each kind on first use. Weight sets that
 * differ only in their wall length or threshold (`weightsAt`) share one.
 */
class Scorer {
  readonly byKind = new Map<Kind, Compiled>();
  constructor(
    readonly weights: Weights,
    readonly all: boolean,
  ) {}

  compiled(kind: Kind): Compiled {
    let c = this.byKind.get(kind);
    if (c === undefined) this.byKind.set(kind, (c = new Compiled(this.weights, kind, this.all)));
    return c;
  }
}

/** Scorers by rule table, then by lexical table (`all`: keep rules weighted 0 too, for fitting). */
const scorers = new WeakMap<object, WeakMap<object, [Scorer | undefined, Scorer | undefined]>>();

/** The scorer of a weight set, made once for its rule and lexical tables. */
function scorerFor(weights: Weights, all: boolean): Scorer {
  let byLexical = scorers.get(weights.rules);
  if (byLexical === undefined) scorers.set(weights.rules, (byLexical = new WeakMap()));
  let pair = byLexical.get(weights.lexical);
  if (pair === undefined) byLexical.set(weights.lexical, (pair = [undefined, undefined]));
  const k = all ? 1 : 0;
  return (pair[k] ??= new Scorer(weights, all));
}

/** A rule's weight for one kind of candidate: `id@kind` when the fit gave that kind its own, else `id`. */
export function ruleWeight(weights: Weights, rule: Rule, kind: Kind): number {
  return weights.rules[`${rule.id}@${kind}`] ?? weights.rules[rule.id] ?? 0;
}

/** The entries of a lexical table for one group (`NW|she` → `she`). */
function groupTable(table: Readonly<Record<string, number>>, group: string): Map<string, number> {
  const out = new Map<string, number>();
  const prefix = `${group}|`;
  for (const [k, w] of Object.entries(table)) if (k.startsWith(prefix)) out.set(k.slice(prefix.length), w);
  return out;
}

/** Score one candidate: the weighted sum of its rules' features and its lexical table entries. */
function score(x: Context, c: Compiled): number {
  let s = 0;
  const features = c.features;
  const weights = c.weights;
  for (let j = 0; j < c.featureCount; j++) {
    const f = features[j]!(x);
    const w = weights[j]!;
    if (f !== 0 && w !== 0) s += f * w;
  }
  const terms = c.terms;
  const tables = c.tables;
  for (let j = 0; j < c.termCount; j++) {
    const t = terms[j]!(x);
    const w = t === undefined ? undefined : tables[j]!.get(t);
    if (w) s += w;
  }
  return s;
}

/** `score`, recording what each rule that fired added (the same sum, in the same order). */
function scoreExplained(x: Context, c: Compiled, explain: Array<[string, number]>): number {
  let s = 0;
  for (let j = 0; j < c.featureCount; j++) {
    const f = c.features[j]!(x);
    const w = c.weights[j]!;
    if (f !== 0 && w !== 0) {
      s += f * w;
      explain.push([c.ids[j]!, Math.round(f * w * 100) / 100]);
    }
  }
  for (let j = 0; j < c.termCount; j++) {
    const t = c.terms[j]!(x);
    const w = t === undefined ? undefined : c.tables[j]!.get(t);
    if (w) {
      s += w;
      explain.push([`${c.termIds[j]}[${lexicalGroup(x.kind)}|${t}]`, w]);
    }
  }
  return s;
}

/** Facts about the whole text the rules share: its names and their genders. */
function documentFacts(text: string, candidates: readonly Candidate[]): DocumentFacts {
  const names = properNames(text);
  return { names, genders: nameGenders(text, candidates, names), tags: new Map() };
}

/**
 * The speaker each candidate's right side names when it is a speech tag (`“Seven!” I answered.`):
 * such a tag is part of its sentence, not the start of one. Kept in `doc.tags` too.
 */
function speechTags(text: string, candidates: readonly Candidate[], doc: DocumentFacts): Array<string | undefined> {
  const tags: Array<string | undefined> = [];
  for (let i = 0; i < candidates.length; i++) {
    const c = candidates[i]!;
    let t: string | undefined;
    if (c.left === 'speech' && c.right === 'word') {
      t = tagSpeaker(text, c.at);
      doc.tags.set(c.at, t ?? null);
    }
    tags.push(t);
  }
  return tags;
}

/** Words of each stretch between candidates (the last one runs to the end of the text). */
function segmentWordCounts(text: string, candidates: readonly Candidate[]): Int32Array {
  const segmentWords = new Int32Array(candidates.length + 1);
  for (let i = 0; i < candidates.length; i++) segmentWords[i] = candidates[i]!.words - (i ? candidates[i - 1]!.words : 0);
  segmentWords[candidates.length] = wordsBetween(text, candidates.length ? candidates[candidates.length - 1]!.at : 0, text.length);
  return segmentWords;
}

/**
 * Score every candidate of `text` and choose the breaks, left to right, so
 * paragraph-level features (words so far, speech so far, who the paragraph
 * is about) see the breaks already chosen.
 */
export function decideBoundaries(text: string, options: DecideOptions = {}): Decision {
  const weights = options.weights ?? weightsFor(text);
  const scorer = scorerFor(weights, !!options.visit);
  const { marks } = analyzeQuotes(text);
  const candidates = findCandidates(text, marks);
  const doc = documentFacts(text, candidates);
  const explanations: Array<Array<[string, number]>> | undefined = options.explain ? [] : undefined;
  const breaks = chooseBreaks(text, marks, doc, candidates, scorer, weights.threshold, options.oracle, options.visit, explanations);
  return { candidates, breaks, ...(explanations ? { explanations } : {}) };
}

/** The left-to-right pass of `decideBoundaries`: each candidate scored in the state the breaks before it left. */
function chooseBreaks(
  text: string,
  marks: readonly QuoteMark[],
  doc: DocumentFacts,
  candidates: readonly Candidate[],
  scorer: Scorer,
  threshold: number,
  oracle: ReadonlySet<number> | undefined,
  visit: ((x: Context) => void) | undefined,
  explanations: Array<Array<[string, number]>> | undefined,
): number[] {
  const breaks: number[] = [];
  const tags = speechTags(text, candidates, doc);
  const segmentWords = segmentWordCounts(text, candidates);
  let sentenceWords = 0;
  let paragraphStart = 0;
  let paragraphSentences = 0;
  let counted = 0;
  let paragraphWords = 0;
  let paragraphHasSpeech = false;
  let paragraphSpeaker: string | undefined;
  let sentenceStart = 0;
  // One context, refilled at each candidate (rules read it while the candidate is scored, never later).
  const x: Context = {
    text,
    marks,
    doc,
    candidates,
    i: 0,
    c: candidates[0]!,
    kind: 'X',
    leftSentenceStart: 0,
    rightSentenceEnd: 0,
    paragraphStart: 0,
    paragraphWords: 0,
    paragraphSentences: 0,
    paragraphHasSpeech: false,
    paragraphSpeaker: undefined,
    rightIsTag: false,
    rightTagSpeaker: undefined,
    leftWordCount: 0,
    rightWordCount: 0,
    memo: newMemo(),
  };
  for (let i = 0; i < candidates.length; i++) {
    const c = candidates[i]!;
    const next = candidates[i + 1];
    const tag = tags[i];
    const isTag = tag !== undefined;
    paragraphWords += segmentWords[i]!;
    sentenceWords += segmentWords[i]!;
    paragraphHasSpeech ||= speechIn(marks, counted, c.gap);
    counted = c.gap;
    const kind = kindOf(c.left, c.right);
    x.i = i;
    x.c = c;
    x.kind = kind;
    x.leftSentenceStart = sentenceStart;
    x.rightSentenceEnd = next ? next.gap : text.length;
    x.paragraphStart = paragraphStart;
    x.paragraphWords = paragraphWords;
    x.paragraphSentences = paragraphSentences;
    x.paragraphHasSpeech = paragraphHasSpeech;
    x.paragraphSpeaker = paragraphSpeaker;
    x.rightIsTag = isTag;
    x.rightTagSpeaker = tag;
    x.leftWordCount = sentenceWords;
    x.rightWordCount = segmentWords[i + 1]!;
    x.memo = newMemo();
    // The facts the rules ask for, read here once (see `readAhead`); it names the paragraph's speaker when none is known yet.
    readAhead(x);
    paragraphSpeaker = x.paragraphSpeaker;
    const compiled = scorer.compiled(kind);
    if (explanations) {
      const why: Array<[string, number]> = [];
      c.score = scoreExplained(x, compiled, why);
      explanations.push(why);
    } else c.score = score(x, compiled);
    if (visit) visit(x);
    if (!isTag) {
      sentenceStart = c.at;
      sentenceWords = 0;
    }
    const isBreak = oracle ? oracle.has(c.at) : c.score > threshold;
    if (isBreak) {
      breaks.push(c.at);
      paragraphStart = c.at;
      paragraphSentences = 0;
      paragraphWords = 0;
      paragraphHasSpeech = false;
      paragraphSpeaker = undefined;
      counted = c.at;
    } else if (!isTag) paragraphSentences++;
  }
  return breaks;
}

/** Every candidate of `text` with the rules that fired there and what each added (for `--explain`-style debugging and tests). */
export function explainBoundaries(text: string, weights: Weights = weightsFor(text)): Array<Candidate & { break: boolean; rules: Array<[string, number]>; text: string }> {
  const d = decideBoundaries(text, { weights, explain: true });
  const set = new Set(d.breaks);
  return d.candidates.map((c, i) => ({ ...c, break: set.has(c.at), rules: d.explanations![i]!, text: `${text.slice(Math.max(0, c.gap - 30), c.gap)} ‖ ${text.slice(c.at, c.at + 30)}` }));
}

/** Split flat text into paragraph texts. */
export function splitFlatText(text: string, weights: Weights = weightsFor(text)): string[] {
  return splitFlatTextScored(text, weights).map((p) => p.text);
}

/** A recovered paragraph, with the scored candidates inside it when it is long enough to be a wall. */
export interface ScoredParagraph {
  text: string;
  /**
   * Candidates inside the paragraph (offsets into `text`, and the words of `text` before each
   * one's gap), kept for paragraphs of more than `2 × wallWords` characters, with the paragraph's
   * own word count (`words`).
   */
  inside?: Array<{ at: number; gap: number; score: number; words: number }>;
  words?: number;
}

/** `splitFlatText`, keeping the scores of long paragraphs so the walls pass need not score them again. */
export function splitFlatTextScored(text: string, weights: Weights = weightsFor(text)): ScoredParagraph[] {
  // No loop here: run once per text, this function is never hot enough for V8 to compile it with
  // `decideBoundaries` and the set-up inlined, so a recompiled `cutParagraphs` stays small.
  const { breaks, candidates } = decideBoundaries(text, { weights });
  return cutParagraphs(text, breaks, candidates, weights.wallWords * 2);
}

/** The paragraphs `breaks` cut `text` into, keeping the candidates inside those longer than `long` characters. */
function cutParagraphs(text: string, breaks: readonly number[], candidates: readonly Candidate[], long: number): ScoredParagraph[] {
  const out: ScoredParagraph[] = [];
  let k = 0;
  const lead = /^\s*/.exec(text)![0].length;
  // Word counts come from the candidates' (words before each gap): a paragraph from one break to the
  // next holds the difference, and the walls pass need not count them again.
  const last = candidates[candidates.length - 1];
  const totalWords = () => (last ? last.words + wordsBetween(text, last.gap, text.length) : wordsBetween(text, 0, text.length));
  const piece = (start: number, end: number, wordsBefore: number, wordsToEnd: number) => {
    const t = text.slice(start, end).trim();
    if (!t) return;
    const from = start === 0 ? lead : start;
    const p: ScoredParagraph = { text: t };
    if (t.length > long) {
      p.inside = [];
      p.words = (wordsToEnd < 0 ? totalWords() : wordsToEnd) - wordsBefore;
      for (; k < candidates.length && candidates[k]!.at < end; k++) {
        const c = candidates[k]!;
        if (c.at > from) p.inside.push({ at: c.at - from, gap: c.gap - from, score: c.score, words: c.words - wordsBefore });
      }
    }
    out.push(p);
  };
  let start = 0;
  let startWords = 0;
  let j = 0;
  // Each paragraph up to the next break, the last one to the end (one call: V8 compiles `piece` once into this loop).
  for (let b = 0; b <= breaks.length; b++) {
    const end = b < breaks.length ? breaks[b]! : text.length;
    // A break is a candidate's `at`: the words before it are that candidate's.
    if (b < breaks.length) while (candidates[j]!.at !== end) j++;
    const words = b < breaks.length ? candidates[j]!.words : -1;
    piece(start, end, startWords, words);
    start = end;
    startWords = words;
  }
  return out;
}
