import { depthAt, markAt, type QuoteMark } from './quotes.js';

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

/** Characters a candidate's left side can end with. */
const LEFT_END = new Set(['.', '!', '?', '…', '"', '”', '’', "'", '»', ')', ']', '—', '–', '-', ':', '*', '~', '↩', '_', '=']);
/** Characters that open a `mark` right side. */
const RIGHT_MARK = new Set(['(', '[', '*', '~', '…', '=', '.']);

/** Abbreviations whose full stop does not end a sentence. */
const ABBREVIATION =
  /(?:^|[\s(“"‘'])(?:Mr|Mrs|Ms|Mx|Dr|St|Jr|Sr|Prof|Capt|Col|Gen|Lt|Sgt|Rev|Hon|Gov|Pres|Mt|Ft|No|Nos|vs|etc|i\.e|e\.g|cf|viz|Vol|vol|Ch|ch|pp?|approx|Inc|Ltd|Co)\.$|(?:^|[\s(])\p{Lu}\.$/u;
/** `said I.` — the pronoun, not an initial, ends the sentence. */
const PRONOUN_I = /\p{Ll}[,]?\s+I\.$/u;

const OPENING_QUOTE = new Set(['"', '“', '‘', "'", '«', '„']);
const CLOSING = new Set(['"', '”', '’', "'", '»']);
const SENTENCE_END = new Set(['.', '!', '?', '…']);

/** Whitespace other than the plain space. */
const OTHER_SPACE = /[\t\n\v\f\r\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff]/;

/** Whether a UTF-16 code unit is whitespace as `\s` sees it. */
export function isSpace(c: number): boolean {
  if (c > 32 && c < 0xa0) return false;
  return c === 32 || (c >= 9 && c <= 13) || c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff;
}

/** Words in `text[from, to)`, as runs of non-space characters (what `\S+` counts). */
export function wordsBetween(text: string, from: number, to: number): number {
  let n = 0;
  let inWord = false;
  for (let i = from; i < to; i++) {
    const space = isSpace(text.charCodeAt(i));
    if (!space && !inWord) n++;
    inWord = !space;
  }
  return n;
}

/** Upper-case letter or digit (ASCII fast path). */
function isCapOrDigit(ch: string): boolean {
  const c = ch.charCodeAt(0);
  if (c >= 65 && c <= 90) return true;
  if (c >= 48 && c <= 57) return true;
  if (c < 0xc0) return false;
  return /[\p{Lu}\p{Lt}\p{N}]/u.test(ch);
}

/** What starts the right side at `at`, or undefined when nothing there can start a paragraph. */
function rightStart(text: string, at: number, marks: readonly QuoteMark[]): RightStart | undefined {
  const b = text[at]!;
  if (OPENING_QUOTE.has(b) || CLOSING.has(b)) {
    const m = markAt(marks, at);
    if (m?.role === 'open' && m.level === 'outer') return 'quote';
    if (m?.role === 'open') return 'word';
    return undefined;
  }
  if (isCapOrDigit(b)) return 'word';
  if (RIGHT_MARK.has(b)) {
    // An ellipsis written as dots must be three of them; a lone `.` or `=` starts nothing.
    if (b === '.') return text.startsWith('...', at) ? 'mark' : undefined;
    if (b === '=') return text.startsWith('==', at) ? 'mark' : undefined;
    return 'mark';
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
    } else if (!isSpace(text.charCodeAt(i)) || isSpace(text.charCodeAt(i - 1))) continue;
    // Whitespace after a non-space ends a word.
    words++;
    const gap = i;
    let at = i + 1;
    while (at < n && isSpace(text.charCodeAt(at))) at++;
    i = at - 1;
    if (at >= n) break;
    const a = text[gap - 1]!;
    if (!LEFT_END.has(a)) continue;
    const right = rightStart(text, at, marks);
    if (!right) continue;
    const left = leftEnd(text, gap, a, right, marks);
    if (!left) continue;
    out.push({ at, gap, left, right, score: 0, words });
  }
  return out;
}

/** What ends the left side of a gap at `gap` whose last character is `a`. */
function leftEnd(text: string, gap: number, a: string, right: RightStart, marks: readonly QuoteMark[]): LeftEnd | undefined {
  if (CLOSING.has(a)) {
    const leftMark = markAt(marks, gap - 1);
    if (leftMark && leftMark.role === 'close' && leftMark.level === 'outer') {
      // Skip back over stacked closing marks to the punctuation inside: end.’” → '.'
      let k = gap - 2;
      while (k >= 0 && CLOSING.has(text[k]!)) k--;
      return text[k] === ',' ? 'speech-comma' : 'speech'; // "…a word” He — treat as the end of the speech
    }
    if (leftMark && leftMark.role === 'close' && leftMark.level === 'inner') {
      // A nested quotation closed: it is a sentence end inside or outside speech.
      const p = text[gap - 2];
      if (p === undefined || !SENTENCE_END.has(p)) return undefined;
      return depthAt(marks, gap) > 0 ? 'stop-in-speech' : 'stop';
    }
    return undefined;
  }
  if (SENTENCE_END.has(a)) {
    if (a === '.') {
      const tail = text.slice(Math.max(0, gap - 8), gap);
      if (ABBREVIATION.test(tail) && !PRONOUN_I.test(text.slice(Math.max(0, gap - 12), gap))) return undefined;
    }
    return depthAt(marks, gap) > 0 ? 'stop-in-speech' : 'stop';
  }
  if (a === ')') {
    const p = text[gap - 2];
    if (p !== undefined && SENTENCE_END.has(p)) return depthAt(marks, gap) > 0 ? 'stop-in-speech' : 'stop';
    return depthAt(marks, gap) > 0 ? undefined : 'mark';
  }
  if (a === '—' || a === '–' || text.slice(gap - 2, gap) === '--' || (a === '-' && /\p{L}/u.test(text[gap - 2] ?? ''))) {
    return right === 'quote' || (right === 'word' && a !== '-') ? 'dash' : undefined;
  }
  if (a === ':') return right === 'quote' || right === 'word' ? 'colon' : undefined;
  if (a === '-') return undefined;
  // A thought in asterisks that ends in a comma goes on into its tag (`*Not him,* she thought.`), as
  // speech does after `,”`: no paragraph starts there.
  if (a === '*' && text[gap - 2] === ',') return undefined;
  // `]`, `*`, `~`, `↩`, `_`, `=`: the end of a bracketed or marked line.
  return depthAt(marks, gap) > 0 && a !== '*' ? undefined : 'mark';
}
