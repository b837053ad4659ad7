import { depthAt, markAt, SPACE_CODES, type QuoteMark } from './quotes.js';

export { SPACE_CODES };

/**
 * Candidate paragraph boundaries in flat text: the gaps between two
 * sentences (or between a line-like fragment and what follows) where a
 * paragraph could start. Which of them become breaks is decided in
 * `boundaries.ts`.
 */

/** What ends the left side of a candidate. */
export type LeftEnd =
  | 'speech' // a closed speech quote: …end.” / …end?”
  | 'speech-comma' // a closed speech quote ending in a comma: “Hell,” → a tag follows
  | 'stop' // sentence-final punctuation outside speech
  | 'stop-in-speech' // sentence-final punctuation inside an open speech quote
  | 'dash' // an em dash (or a cut-off word-) before speech or a capital: said to her—“…
  | 'colon' // a colon before speech or a capital: in this way: “…
  | 'mark'; // a bracket, asterisk, tilde or note mark with no full stop: (Later) / *Knock knock* / ~~~

/** What starts the right side. */
export type RightStart =
  | 'quote' // an opening speech quote
  | 'word' // a capital, a digit, or a quotation mark that opens inside narration
  | 'mark'; // a bracket, asterisk, tilde, ellipsis or `=`: (Two Years Later) / *Beep* / …What

export interface Candidate {
  /** Index of the first character of the right side. */
  at: number;
  /** Index where the whitespace before it starts. */
  gap: number;
  left: LeftEnd;
  right: RightStart;
  /** The weighted sum of the rules (set when the candidate is scored). */
  score: number;
  /** Words (runs of non-space) before `gap`. */
  words: number;
}

/**
 * Character classes by code unit, as bits of one table: the scan reads one
 * table entry per character rather than a set lookup or a chain of
 * comparisons, and compares code units rather than one-character strings. (A
 * first pass over a batch runs in code V8 compiled from what it had seen so
 * far; a comparison first met later, or a character outside Latin-1, whose
 * one-character string is not an interned one, throws that code away.)
 */
const LEFT_END = 1; // a candidate's left side can end with it: . ! ? … " ” ’ ' » ) ] — – - : * ~ ↩ _ =
const RIGHT_MARK = 2; // it opens a `mark` right side: ( [ * ~ … = .
const OPENING_QUOTE = 4; // " “ ‘ ' « „
const CLOSING = 8; // " ” ’ ' »
const SENTENCE_END = 16; // . ! ? …
const SPACE = 32; // what `\s` matches
const CAP_OR_DIGIT = 64; // A–Z, 0–9, and from U+00C0 on an upper-case or title-case letter or a digit (\p{Lu} \p{Lt} \p{N}), known by the table up to U+024F
const LETTER = 128; // a letter (\p{L}), known by the table up to U+024F
const KNOWN = 256; // the table knows whether it is a letter, a capital or a digit: up to U+024F, and General Punctuation (U+2000–U+206F)
const CLASS = new Uint16Array(0x10000);
CLASS.fill(KNOWN, 0, 0x250);
CLASS.fill(KNOWN, 0x2000, 0x2070);
const mark = (chars: string, bit: number) => {
  for (const ch of chars) CLASS[ch.charCodeAt(0)] = CLASS[ch.charCodeAt(0)]! | bit;
};
mark('.!?…"”’\'»)]—–-:*~↩_=', LEFT_END);
mark('([*~…=.', RIGHT_MARK);
mark('"“‘\'«„', OPENING_QUOTE);
mark('"”’\'»', CLOSING);
mark('.!?…', SENTENCE_END);
for (const c of SPACE_CODES) CLASS[c] = CLASS[c]! | SPACE;
{
  // The letters and capitals up to U+024F, read by two pattern scans over those characters at once.
  const latin = String.fromCharCode(...Array.from({ length: 0x250 }, (_, c) => c));
  for (const m of latin.matchAll(/\p{L}/gu)) CLASS[m.index!] = CLASS[m.index!]! | LETTER;
  // Below U+00C0 only A–Z and 0–9 (not ² or ½).
  for (const m of latin.matchAll(/[\p{Lu}\p{Lt}\p{N}]/gu)) if (m.index! >= 0xc0 || /[A-Z0-9]/.test(m[0])) CLASS[m.index!] = CLASS[m.index!]! | CAP_OR_DIGIT;
}

/** Whether a code unit below U+0250 is a letter (\p{L}); false from U+0250 on. */
export const isLatinLetter = (c: number) => c < 0x250 && (CLASS[c]! & LETTER) !== 0;
const has = (c: number, bit: number) => (CLASS[c]! & bit) !== 0;

/** Abbreviations whose full stop does not end a sentence. */
const ABBREVIATION =
  /(?:^|[\s(“"‘'])(?:Mr|Mrs|Ms|Mx|Dr|St|Jr|Sr|Prof|Capt|Col|Gen|Lt|Sgt|Rev|Hon|Gov|Pres|Mt|Ft|No|Nos|vs|etc|i\.e|e\.g|cf|viz|Vol|vol|Ch|ch|pp?|approx|Inc|Ltd|Co)\.$|(?:^|[\s(])\p{Lu}\.$/u;
/** `said I.` — the pronoun, not an initial, ends the sentence. */
const PRONOUN_I = /\p{Ll}[,]?\s+I\.$/u;

/** Whitespace other than the plain space. */
const OTHER_SPACE = /[\t\n\v\f\r\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff]/;

/** Whether a UTF-16 code unit is whitespace as `\s` sees it (false for NaN, the code unit past a string's end). */
export function isSpace(c: number): boolean {
  return c >= 0 && c < 0x10000 && (CLASS[c]! & SPACE) !== 0;
}

/** Words in `text[from, to)`, as runs of non-space characters (what `\S+` counts). */
export function wordsBetween(text: string, from: number, to: number): number {
  let n = 0;
  let inWord = false;
  for (let i = from; i < to; i++) {
    const space = (CLASS[text.charCodeAt(i)]! & SPACE) !== 0;
    if (!space && !inWord) n++;
    inWord = !space;
  }
  return n;
}

/** Whether the code unit at `at` is an upper-case letter or a digit (the table up to U+024F, the rest by class). */
function isCapOrDigitAt(text: string, at: number): boolean {
  const k = CLASS[text.charCodeAt(at)]!;
  return (k & KNOWN) !== 0 ? (k & CAP_OR_DIGIT) !== 0 : /[\p{Lu}\p{Lt}\p{N}]/u.test(text[at]!);
}

/** What starts the right side at `at`, or undefined when nothing there can start a paragraph. */
function rightStart(text: string, at: number, marks: readonly QuoteMark[]): RightStart | undefined {
  const b = text.charCodeAt(at);
  if (has(b, OPENING_QUOTE | CLOSING)) {
    const m = markAt(marks, at);
    if (m !== undefined && m.role === 'open') return m.level === 'outer' ? 'quote' : 'word';
    return undefined;
  }
  if (isCapOrDigitAt(text, at)) return 'word';
  if (has(b, RIGHT_MARK)) {
    // An ellipsis written as dots must be three of them; a lone `.` or `=` starts nothing. (The
    // same test for every mark, a bracket matching itself: a test first met late, on a rare mark,
    // would throw V8's compiled loop away.)
    return text.startsWith(b === 46 ? '...' : b === 61 ? '==' : text[at]!, at) ? 'mark' : undefined;
  }
  return undefined;
}

/**
 * Find the candidate boundaries of a flat text: every run of spaces between
 * a sentence end (or a dash/colon leading into speech, or a bracket or
 * asterisk line) and a sentence start.
 */
export function findCandidates(text: string, marks: readonly QuoteMark[]): Candidate[] {
  const out: Candidate[] = [];
  const n = text.length;
  // Only plain spaces separate words in most flat text: then the scan can jump from space to space.
  const spacesOnly = !OTHER_SPACE.test(text);
  // One pass: only a space after sentence-final punctuation, a closing quote, a dash, a colon or a
  // bracket can be a candidate, so most gaps are passed over on one character test.
  let words = 0;
  for (let i = 1; i < n; i++) {
    if (spacesOnly) {
      i = text.indexOf(' ', i);
      if (i < 0) break;
      if (text.charCodeAt(i - 1) === 32) continue;
    } else if (!has(text.charCodeAt(i), SPACE) || has(text.charCodeAt(i - 1), SPACE)) continue;
    // Whitespace after a non-space ends a word.
    words++;
    const gap = i;
    let at = i + 1;
    while (at < n && has(text.charCodeAt(at), SPACE)) at++;
    i = at - 1;
    if (at >= n) break;
    const a = text.charCodeAt(gap - 1);
    if (!has(a, LEFT_END)) continue;
    const right = rightStart(text, at, marks);
    if (right === undefined) continue;
    const left = leftEnd(text, gap, a, right, marks);
    if (left === undefined) continue;
    // `score` starts as NaN, a number that is not a small integer: it holds fractions once scored,
    // and a field that changed kind would give every candidate object a new shape.
    out.push({ at, gap, left, right, score: NaN, words });
  }
  return out;
}

/** The code unit before `k` (`-1` before the start). */
const before = (text: string, k: number) => (k > 0 ? text.charCodeAt(k - 1) : -1);

/** What ends the left side of a gap at `gap` whose last code unit is `a`. */
function leftEnd(text: string, gap: number, a: number, right: RightStart, marks: readonly QuoteMark[]): LeftEnd | undefined {
  if (has(a, CLOSING)) {
    const leftMark = markAt(marks, gap - 1);
    if (leftMark !== undefined && leftMark.role === 'close' && leftMark.level === 'outer') {
      // Skip back over stacked closing marks to the punctuation inside: end.’” → '.'
      let k = gap - 2;
      while (k >= 0 && has(text.charCodeAt(k), CLOSING)) k--;
      return k >= 0 && text.charCodeAt(k) === 44 ? 'speech-comma' : 'speech'; // "…a word” He — treat as the end of the speech
    }
    if (leftMark !== undefined && leftMark.role === 'close' && leftMark.level === 'inner') {
      // A nested quotation closed: it is a sentence end inside or outside speech.
      const p = before(text, gap - 1);
      if (p < 0 || !has(p, SENTENCE_END)) return undefined;
      return depthAt(marks, gap) > 0 ? 'stop-in-speech' : 'stop';
    }
    return undefined;
  }
  if (has(a, SENTENCE_END)) {
    if (a === 46) {
      const tail = text.slice(Math.max(0, gap - 8), gap);
      if (ABBREVIATION.test(tail) && !PRONOUN_I.test(text.slice(Math.max(0, gap - 12), gap))) return undefined;
    }
    return depthAt(marks, gap) > 0 ? 'stop-in-speech' : 'stop';
  }
  if (a === 41) {
    // `)`
    const p = before(text, gap - 1);
    if (p >= 0 && has(p, SENTENCE_END)) return depthAt(marks, gap) > 0 ? 'stop-in-speech' : 'stop';
    return depthAt(marks, gap) > 0 ? undefined : 'mark';
  }
  const p = before(text, gap - 1);
  // — – -- or a letter then - (a word cut off)
  if (a === 0x2014 || a === 0x2013 || (a === 45 && p === 45) || (a === 45 && p >= 0 && (p < 0x250 ? has(p, LETTER) : /\p{L}/u.test(text[gap - 2]!)))) {
    return right === 'quote' || (right === 'word' && a !== 45) ? 'dash' : undefined;
  }
  if (a === 58) return right === 'quote' || right === 'word' ? 'colon' : undefined;
  if (a === 45) return undefined;
  // A thought in asterisks that ends in a comma goes on into its tag (`*Not him,* she thought.`), as
  // speech does after `,”`: no paragraph starts there.
  if (a === 42 && p === 44) return undefined;
  // `]`, `*`, `~`, `↩`, `_`, `=`: the end of a bracketed or marked line.
  return depthAt(marks, gap) > 0 && a !== 42 ? undefined : 'mark';
}
