import { isLatinLetter } from './candidates.js';

/**
 * Which paragraphing conventions a text follows: modern (fan fiction, web
 * fiction: short paragraphs, a beat and its speech together, one-line
 * paragraphs) or classic (nineteenth- and early twentieth-century novels:
 * long narrative paragraphs, each speech apart). Authors of the two kinds
 * paragraph the same surface patterns differently, so paragraph recovery
 * keeps a weight set for each and picks one per work.
 *
 * The evidence is a handful of rates read from the first 12,000 characters:
 * contractions, sentence length, archaic and modern words, present-tense
 * speech tags, semicolons. Their weights are fitted by `npm run fit` on the
 * same corpora as the rules. Quote marks are not evidence: straight and
 * curly quotes are read alike everywhere.
 */

export interface StyleFeature {
  mean: number;
  scale: number;
  weight: number;
}

export interface StyleModel {
  bias: number;
  features: Readonly<Record<string, StyleFeature>>;
}

/** How much of a text the style is read from. */
const SAMPLE_CHARS = 12_000;

const ARCHAIC = new Set('upon whilst shall thus hath thee thou thy ere nay amongst hither thither whence wherefore'.split(' '));
const MODERN = new Set('okay ok yeah yep nope gonna wanna gotta kinda sorta guys phone texted texting um uh wow lol'.split(' '));
const PRESENT_TAG = new Set('says asks replies whispers shouts mutters'.split(' '));
const PAST_TAG = new Set('said asked replied whispered shouted muttered'.split(' '));
/** The length of the contraction ending at `k` (`t`, `m`, `d`, `re`, `ve`, `ll`), 0 when there is none. */
function contractionLength(s: string, k: number): number {
  const c = k < s.length ? s.charCodeAt(k) : 0;
  if (c === 116 || c === 109 || c === 100) return 1; // t m d
  const d = k + 1 < s.length ? s.charCodeAt(k + 1) : 0;
  if ((c === 114 || c === 118) && d === 101) return 2; // re ve
  if (c === 108 && d === 108) return 2; // ll
  return 0;
}

/**
 * Character classes of the style scan, by code unit: one table read per
 * character instead of a chain of comparisons. A first pass over a batch runs
 * mostly in code V8 compiled from what it had seen so far; a comparison first
 * met later (a rare space or quote mark) throws that code away, a table read
 * is the same operation for every character.
 */
const WORD_CHAR = 1; // [0-9A-Za-z_]
const WHITE = 2; // what `\s` matches
const SENTENCE_END = 4; // . ! ? …
const APOSTROPHE = 8; // ' ’
const CLOSING_QUOTE = 16; // " ” ’ '
const LETTER_BIT = 32; // a letter (\p{L}), known by the table up to U+024F
const KNOWN = 64; // whether a letter or not is known by the table: up to U+024F, and General Punctuation
const CHAR_CLASS = new Uint8Array(0x10000);
for (let c = 48; c <= 57; c++) CHAR_CLASS[c] = WORD_CHAR;
for (let c = 65; c <= 90; c++) CHAR_CLASS[c] = WORD_CHAR | LETTER_BIT;
for (let c = 97; c <= 122; c++) CHAR_CLASS[c] = WORD_CHAR | LETTER_BIT;
for (let c = 0; c < 0x250; c++) CHAR_CLASS[c] = CHAR_CLASS[c]! | KNOWN | (isLatinLetter(c) ? LETTER_BIT : 0);
for (let c = 0x2000; c < 0x2070; c++) CHAR_CLASS[c] = CHAR_CLASS[c]! | KNOWN;
CHAR_CLASS[95] = WORD_CHAR;
for (const c of [32, 9, 10, 11, 12, 13, 0xa0, 0x1680, 0x2000, 0x2001, 0x2002, 0x2003, 0x2004, 0x2005, 0x2006, 0x2007, 0x2008, 0x2009, 0x200a, 0x2028, 0x2029, 0x202f, 0x205f, 0x3000, 0xfeff]) CHAR_CLASS[c] = WHITE;
for (const c of ['.', '!', '?', '…']) CHAR_CLASS[c.charCodeAt(0)] = SENTENCE_END;
for (const c of ["'", '’']) CHAR_CLASS[c.charCodeAt(0)] = CHAR_CLASS[c.charCodeAt(0)]! | APOSTROPHE;
for (const c of ['"', '”', '’', "'"]) CHAR_CLASS[c.charCodeAt(0)] = CHAR_CLASS[c.charCodeAt(0)]! | CLOSING_QUOTE;

const isLetterAt = (s: string, k: number) => {
  const c = s.charCodeAt(k);
  const bits = CHAR_CLASS[c]!;
  // Both tests read every time: a test first met late, after V8 compiled the loop, throws that code away.
  const letter = (bits & LETTER_BIT) !== 0;
  const known = (bits & KNOWN) !== 0;
  return letter || (!known && LETTER.test(s[k]!));
};
/** (first letter, length) of every listed word: most words are passed over without being sliced out. */
const LISTED = new Set([...ARCHAIC, ...MODERN, ...PRESENT_TAG, ...PAST_TAG].map((w) => w.charCodeAt(0) * 16 + w.length));
/** Which lists each listed word is in: 1 archaic, 2 modern, 4 present-tense tag, 8 past-tense tag. */
const LISTS = new Map<string, number>();
for (const [list, bit] of [[ARCHAIC, 1], [MODERN, 2], [PRESENT_TAG, 4], [PAST_TAG, 8]] as const) for (const w of list) LISTS.set(w, (LISTS.get(w) ?? 0) | bit);

const LETTER = /\p{L}/u;

/**
 * The style evidence of a text (rates, log-scaled), read in one pass over
 * its first characters: words (runs of non-space), contractions (`n't`,
 * `'m`, `'re`, `'ve`, `'ll`, `'d` after a letter), sentence ends, archaic and
 * modern words, present- and past-tense speech verbs, semicolons.
 */
export function styleFeatures(text: string): Record<string, number> {
  const s = text.length > SAMPLE_CHARS ? text.slice(0, SAMPLE_CHARS) : text;
  const counts: StyleCounts = { words: 0, contractions: 0, sentences: 0, archaic: 0, modern: 0, present: 0, past: 0, semicolons: 0 };
  countStyle(s, counts);
  const words = Math.max(1, counts.words);
  const perThousand = (m: number) => Math.log1p((1000 * m) / words);
  const present = counts.present;
  return {
    contractions: perThousand(counts.contractions),
    'sentence-length': Math.log(words / Math.max(1, counts.sentences)),
    archaic: perThousand(counts.archaic),
    modern: perThousand(counts.modern),
    'present-tags': present / (present + counts.past + 1),
    semicolons: perThousand(counts.semicolons),
  };
}

/** What `countStyle` counts. */
interface StyleCounts {
  words: number;
  contractions: number;
  sentences: number;
  archaic: number;
  modern: number;
  present: number;
  past: number;
  semicolons: number;
}

/**
 * The counting pass of `styleFeatures`, a function of its own that ends with
 * its loop: V8 compiles a long loop while it runs (on-stack replacement), and
 * code compiled that way is left again at the first step after the loop it
 * has no type feedback for.
 */
function countStyle(s: string, counts: StyleCounts): void {
  const n = s.length;
  let inToken = false;
  let contractionEnd = 0;
  let sentenceEnd = 0;
  // The counts go straight into `counts` (nothing after the loop: see above).
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    const k = CHAR_CLASS[c]!;
    if ((k & WORD_CHAR) !== 0) {
      // A run of word characters at once: a listed word is looked up; the run is part of a token.
      if (!inToken) counts.words++;
      inToken = true;
      let j = i + 1;
      while (j < n && (CHAR_CLASS[s.charCodeAt(j)]! & WORD_CHAR) !== 0) j++;
      if (j - i <= 9 && (i === 0 || (CHAR_CLASS[s.charCodeAt(i - 1)]! & WORD_CHAR) === 0) && LISTED.has((c | 32) * 16 + (j - i))) {
        const w = s.slice(i, j);
        const lower = w.toLowerCase();
        const lists = LISTS.get(lower) ?? 0;
        // The archaic and modern words count in any case; speech verbs as written (lower case).
        const exact = w === lower ? 1 : 0;
        counts.archaic += lists & 1;
        counts.modern += (lists >> 1) & 1;
        counts.present += (lists >> 2) & exact;
        counts.past += (lists >> 3) & exact;
      }
      i = j - 1;
      continue;
    }
    const white = (k & WHITE) !== 0;
    if (!white && !inToken) counts.words++;
    inToken = !white;
    if (white || c < 33) continue;
    counts.semicolons += c === 59 ? 1 : 0;
    if ((k & APOSTROPHE) !== 0 && i > 0 && i - 1 >= contractionEnd && isLetterAt(s, i - 1)) {
      const after = i + 1 + contractionLength(s, i + 1);
      if (after > i + 1 && (after >= n || (CHAR_CLASS[s.charCodeAt(after)]! & WORD_CHAR) === 0)) {
        counts.contractions++;
        contractionEnd = after;
      }
    } else if ((k & SENTENCE_END) !== 0 && i >= sentenceEnd) {
      let j = i + 1;
      if (j < n && (CHAR_CLASS[s.charCodeAt(j)]! & CLOSING_QUOTE) !== 0) j++;
      if (j < n && (CHAR_CLASS[s.charCodeAt(j)]! & WHITE) !== 0) {
        counts.sentences++;
        sentenceEnd = j + 1;
      }
    }
  }
}

/** The probability that a text follows modern paragraphing, under `model`. */
export function modernProbability(text: string, model: StyleModel): number {
  const f = styleFeatures(text);
  let z = model.bias;
  for (const [name, w] of Object.entries(model.features)) z += (((f[name] ?? 0) - w.mean) / w.scale) * w.weight;
  return 1 / (1 + Math.exp(-z));
}
