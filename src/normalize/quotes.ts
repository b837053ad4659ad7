/**
 * Quote analysis for running text: which quote marks open and close speech,
 * which are nested quotations, and which are apostrophes — for straight and
 * curly marks alike, mixed in one text as scrapes have them.
 *
 * Both paragraph recovery (is this sentence inside someone's speech?) and
 * the smart-quotes rule (which curly mark does this `"` become?) use it.
 */

export type QuoteRole = 'open' | 'close' | 'apostrophe';

export interface QuoteMark {
  index: number;
  char: string;
  role: QuoteRole;
  /** `outer` for the text's speech quotes, `inner` for quotations inside them (or the other kind in narration). */
  level: 'outer' | 'inner';
  /** Speech depth after this mark: 1 inside outer quotes, 0 outside. */
  depth: number;
  /** An opening outer quote met while the previous one was never closed (multi-paragraph speech). */
  reopen: boolean;
  /** An opening quote inside a sentence (after a lowercase word): a quotation or scare quote, not speech. */
  inline: boolean;
}

export interface QuoteAnalysis {
  /** Which quotes mark speech in this text: `double` ("…" “…”) or `single` (British ‘…’). */
  style: 'double' | 'single';
  marks: QuoteMark[];
}

/** Elisions that begin with an apostrophe: ’til, ’em, ’90s, rock ’n’ roll. */
const ELISION = /^(?:tis|twas|til|till|em|cause|bout|n|round|nuff|im|er|ere|ave|ow|appen|course|kay|sup|\d\d?s?)\b/i;

/** The code units `\s` matches. */
export const SPACE_CODES: readonly number[] = [32, 9, 10, 11, 12, 13, 0xa0, 0x1680, 0x2000, 0x2001, 0x2002, 0x2003, 0x2004, 0x2005, 0x2006, 0x2007, 0x2008, 0x2009, 0x200a, 0x2028, 0x2029, 0x202f, 0x205f, 0x3000, 0xfeff];

/**
 * The classes the analysis reads around a quote mark, by code unit, as bits
 * of one table: the loop reads code units and table entries rather than
 * one-character strings (a character outside Latin-1 makes a new string each
 * time, and comparing one throws V8's compiled loop away) and patterns.
 */
const DOUBLE = 1; // " “ ” „ « »
const SINGLE = 2; // ' ‘ ’ ‚
const ALNUM = 4; // a letter or digit (\p{L} \p{N}), known by the table where KNOWN is set
const KNOWN = 8; // up to U+024F, General Punctuation (U+2000–U+206F) and the surrogates
const SPACE = 16; // what `\s` matches
const OPEN_CONTEXT = 32; // ( [ { — – - / (and spaces): an opening quote may follow
const CLOSE_FOLLOWS = 64; // . , ; : ! ? ) ] } — – - … " ' ” ’: a closing quote may precede it
const Q = new Uint8Array(0x10000);
const setBits = (chars: string, bit: number) => {
  for (const ch of chars) Q[ch.charCodeAt(0)] = Q[ch.charCodeAt(0)]! | bit;
};
setBits('"“”„«»', DOUBLE);
setBits("'‘’‚", SINGLE);
setBits('([{—–-/', OPEN_CONTEXT);
setBits('.,;:!?)]}—–-…"\'”’', CLOSE_FOLLOWS);
for (const c of SPACE_CODES) Q[c] = Q[c]! | SPACE | OPEN_CONTEXT;
for (const [from, to] of [[0, 0x250], [0x2000, 0x2070], [0xd800, 0xe000]] as const) for (let c = from; c < to; c++) Q[c] = Q[c]! | KNOWN;
{
  const latin = String.fromCharCode(...Array.from({ length: 0x250 }, (_, c) => c));
  for (const m of latin.matchAll(/[\p{L}\p{N}]/gu)) Q[m.index!] = Q[m.index!]! | ALNUM;
}
/** The mark itself, as a string, by code unit (the same string every time). */
const MARK_TEXT = new Map([...'"“”„«»\'‘’‚'].map((ch) => [ch.charCodeAt(0), ch]));

/** Whether the code unit `c` at `k` is a letter or digit (`-1`: no character there). */
const isLetter = (text: string, k: number, c: number) => c >= 0 && ((Q[c]! & KNOWN) !== 0 ? (Q[c]! & ALNUM) !== 0 : /[\p{L}\p{N}]/u.test(text[k]!));
/** Whether `c` is whitespace or no character (`-1`: the text's start or end). */
const isSpaceOrEnd = (c: number) => c < 0 || (Q[c]! & SPACE) !== 0;
/** Characters after which an opening quote may stand (and the text's start, `-1`). */
const isOpenContext = (c: number) => c < 0 || (Q[c]! & OPEN_CONTEXT) !== 0;

/**
 * The quote marks the analysis reads, by code unit: 1 for an opening double
 * mark that counts as style evidence (" “ « „), 2 for a single one (' ‘),
 * 3 for the other marks (” ’ ‚ »). A table rather than a chain of
 * comparisons, so the scan's test is the same for every character.
 */
const QUOTE_KIND = new Uint8Array(0x2020);
for (const c of ['"', '“', '«', '„']) QUOTE_KIND[c.charCodeAt(0)] = 1;
for (const c of ["'", '‘']) QUOTE_KIND[c.charCodeAt(0)] = 2;
for (const c of ['”', '’', '‚', '»']) QUOTE_KIND[c.charCodeAt(0)] = 3;

/**
 * Where the quote marks of `text` are. A function of its own, with one test
 * per character: V8 compiles its loop while it runs (on-stack replacement),
 * and code compiled that way is left again at the first step after the loop
 * it has no type feedback for — inside a larger function that happened once
 * per text (2,800 times on dev-modern's 103 chapters).
 */
function quoteMarkPositions(text: string): number[] {
  const at: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if ((c < 0x2020 ? QUOTE_KIND[c]! : 0) !== 0) at.push(i);
  }
  return at;
}

/** Whether the opening mark at `i` counts as style evidence, and of which kind (see `scanQuotes`). */
function styleEvidence(text: string, i: number, kind: number): 0 | 1 | 2 {
  if (i > 0) {
    const prev = text.charCodeAt(i - 1);
    if (!(prev === 0x2014 || prev === 40 || (Q[prev]! & SPACE) !== 0)) return 0;
  }
  if (i + 1 >= text.length) return 0;
  if (kind === 1) return (Q[text.charCodeAt(i + 1)]! & SPACE) !== 0 ? 0 : 1;
  return /\p{Lu}/u.test(text[i + 1]!) ? 2 : 0;
}

/**
 * One pass over the text: where its quote marks are, and the evidence for
 * its speech style (opening marks after a space, dash or bracket, or at the
 * start: doubles before any non-space, singles before a capital).
 */
function scanQuotes(text: string): { style: 'double' | 'single'; at: number[] } {
  let doubles = 0;
  let singles = 0;
  const at = quoteMarkPositions(text);
  for (const i of at) {
    const kind = QUOTE_KIND[text.charCodeAt(i)]!;
    if (kind === 3) continue;
    const e = styleEvidence(text, i, kind);
    if (e === 1) doubles++;
    else if (e === 2) singles++;
  }
  return { style: singles >= 3 && singles > doubles * 1.5 ? 'single' : 'double', at };
}

/** Decide the speech quote style: single quotes dominate in British-style dialogue. */
export function detectStyle(text: string): 'double' | 'single' {
  return scanQuotes(text).style;
}

/** Analyse every quote mark of `text` in one left-to-right pass. */
export function analyzeQuotes(text: string): QuoteAnalysis {
  // No loop here: run once per text, this function is never hot enough for V8 to compile it with
  // `scanQuotes` inlined, a second copy of the scan it compiles alone.
  const { style, at } = scanQuotes(text);
  return { style, marks: classifyMarks(text, style, at) };
}

/** Each quote mark at the positions `at` (in order), classified in the text's quote style. */
function classifyMarks(text: string, style: QuoteAnalysis['style'], at: readonly number[]): QuoteMark[] {
  const outerBit = style === 'double' ? DOUBLE : SINGLE;
  const n = text.length;
  const marks: QuoteMark[] = [];
  // Open quotes: the outer one (at most one) and inner ones inside it.
  let outerOpen = false;
  let innerOpen = 0;
  for (const i of at) {
    const code = text.charCodeAt(i);
    const c = MARK_TEXT.get(code)!;
    const prev = i > 0 ? text.charCodeAt(i - 1) : -1;
    const next = i + 1 < n ? text.charCodeAt(i + 1) : -1;
    const single = (Q[code]! & SINGLE) !== 0;
    const level: 'outer' | 'inner' = (Q[code]! & outerBit) !== 0 ? 'outer' : 'inner';
    // Read for every mark (a comparison first met late, on a rare mark, would throw V8's compiled loop away).
    const innerIsOpen = innerOpen > 0;
    let role: QuoteRole;
    if (single && isLetter(text, i - 1, prev) && isLetter(text, i + 1, next)) {
      role = 'apostrophe'; // don't, o'clock
    } else if (single && isOpenContext(prev) && ELISION.test(text.slice(i + 1, i + 8)) && level === 'inner') {
      role = 'apostrophe'; // 'til, '90s
    } else if (code === 0x201c || code === 0x2018 || code === 0x201e || code === 0x201a || code === 0xab) {
      role = 'open'; // “ ‘ „ ‚ «
    } else if (code === 0x201d || code === 0xbb) {
      role = 'close'; // ” »
    } else if (code === 0x2019) {
      role = 'close'; // ’
    } else {
      // Straight marks: decide by the characters around them, then by state.
      const opensHere = isOpenContext(prev) && !isSpaceOrEnd(next);
      const closesHere = !isOpenContext(prev) && (isSpaceOrEnd(next) || (Q[next]! & CLOSE_FOLLOWS) !== 0);
      if (opensHere && !closesHere) role = 'open';
      else if (closesHere && !opensHere) role = 'close';
      else {
        const isOpen = level === 'outer' ? outerOpen : innerIsOpen;
        role = isOpen ? 'close' : 'open';
      }
    }
    // A single-quote "close" with nothing open is an apostrophe (the dogs' bowls), in British dialogue too.
    if (role === 'close' && single && (level === 'inner' ? innerOpen === 0 : !outerOpen)) role = 'apostrophe';
    // Every mark with every field, in one order: one object shape for all of them (the searches over
    // marks stay compiled for it).
    const mark: QuoteMark = { index: i, char: c, role, level, depth: 0, reopen: false, inline: false };
    if (role === 'open') {
      if (level === 'outer') {
        if (outerOpen) mark.reopen = true;
        outerOpen = true;
        innerOpen = 0;
        mark.inline = isInlineOpening(text, i);
      } else innerOpen++;
    } else if (role === 'close') {
      if (level === 'outer') {
        outerOpen = false;
        innerOpen = 0;
      } else if (innerOpen > 0) innerOpen--;
    }
    mark.depth = outerOpen ? 1 : 0;
    marks.push(mark);
  }
  return marks;
}

/** A speech verb, perhaps with its listener, right before an opening quote: `said to herself “`, `muttering to itself “`. */
const SPEECH_LEAD = /\b(?:said|says|saying|asked|asks|asking|cried|crying|replied|answered|whispered|whispering|called|calling|shouted|shouting|added|began|thought|wrote|read|muttered|muttering|remarked|remarking|exclaimed|exclaiming)(?:\s+to\s+(?:(?:her|his|their|my|the)\s+)?\p{Ll}+)?\s+$/iu;

/**
 * An opening quote that follows a lowercase word without a comma or colon
 * (`were become "stupid, disagreeable fellows."`) quotes words inside a
 * sentence rather than opening someone's speech.
 */
function isInlineOpening(text: string, i: number): boolean {
  // Cheap test first: whitespace, then a lower-case letter or a digit, right before the quote.
  let k = i - 1;
  if (k < 0 || (Q[text.charCodeAt(k)]! & SPACE) === 0) return false;
  while (k > 0 && (Q[text.charCodeAt(k)]! & SPACE) !== 0) k--;
  const p = text.charCodeAt(k);
  if (!((p >= 97 && p <= 122) || (p >= 48 && p <= 57) || (p > 127 && /[\p{Ll}\d]/u.test(text[k]!)))) return false;
  const before = text.slice(Math.max(0, i - 40), i);
  return /[\p{Ll}\d]\s+$/u.test(before) && !SPEECH_LEAD.test(before);
}

/** Speech depth at a position: the depth after the last mark before it. */
export function depthAt(marks: readonly QuoteMark[], index: number): number {
  let lo = 0;
  let hi = marks.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (marks[mid]!.index < index) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found < 0 ? 0 : marks[found]!.depth;
}

/** The mark at exactly `index`, if any. */
export function markAt(marks: readonly QuoteMark[], index: number): QuoteMark | undefined {
  let lo = 0;
  let hi = marks.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const m = marks[mid]!;
    if (m.index === index) return m;
    if (m.index < index) lo = mid + 1;
    else hi = mid - 1;
  }
  return undefined;
}

/** Index in `marks` of the first mark at or after `index` (marks.length when none). */
export function firstMarkFrom(marks: readonly QuoteMark[], index: number): number {
  let lo = 0;
  let hi = marks.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (marks[mid]!.index < index) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
