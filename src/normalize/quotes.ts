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
  reopen?: boolean;
  /** An opening quote inside a sentence (after a lowercase word): a quotation or scare quote, not speech. */
  inline?: boolean;
}

export interface QuoteAnalysis {
  /** Which quotes mark speech in this text: `double` ("…" “…”) or `single` (British ‘…’). */
  style: 'double' | 'single';
  marks: QuoteMark[];
}

const DOUBLE = new Set(['"', '“', '”', '„', '«', '»']);
const SINGLE = new Set(["'", '‘', '’', '‚']);

/** Elisions that begin with an apostrophe: ’til, ’em, ’90s, rock ’n’ roll. */
const ELISION = /^(?:tis|twas|til|till|em|cause|bout|n|round|nuff|im|er|ere|ave|ow|appen|course|kay|sup|\d\d?s?)\b/i;

const isLetter = (c: string | undefined) => c !== undefined && /[\p{L}\p{N}]/u.test(c);
const isSpace = (c: string | undefined) => c === undefined || /\s/.test(c);
/** Characters after which an opening quote may stand. */
const isOpenContext = (c: string | undefined) => c === undefined || /[\s(\[{—–\-/]/.test(c);

/** Decide the speech quote style: single quotes dominate in British-style dialogue. */
export function detectStyle(text: string): 'double' | 'single' {
  // Count opening marks after a space, dash or bracket (or at the start): doubles before any
  // non-space, singles before a capital. One pass over the characters.
  let doubles = 0;
  let singles = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    const isDouble = c === '"' || c === '“' || c === '«' || c === '„';
    if (!isDouble && c !== "'" && c !== '‘') continue;
    const prev = text[i - 1];
    if (prev !== undefined && !/[\s—(]/.test(prev)) continue;
    const next = text[i + 1];
    if (next === undefined) continue;
    if (isDouble) {
      if (!/\s/.test(next)) doubles++;
    } else if (/\p{Lu}/u.test(next)) singles++;
  }
  return singles >= 3 && singles > doubles * 1.5 ? 'single' : 'double';
}

/** Analyse every quote mark of `text` in one left-to-right pass. */
export function analyzeQuotes(text: string): QuoteAnalysis {
  const style = detectStyle(text);
  const outerSet = style === 'double' ? DOUBLE : SINGLE;
  const marks: QuoteMark[] = [];
  // Open quotes: the outer one (at most one) and inner ones inside it.
  let outerOpen = false;
  let innerOpen = 0;
  for (const found of text.matchAll(/["'“”‘’„‚«»]/g)) {
    const i = found.index;
    const c = found[0];
    const prev = text[i - 1];
    const next = text[i + 1];
    const level: 'outer' | 'inner' = outerSet.has(c) ? 'outer' : 'inner';
    let role: QuoteRole;
    if (SINGLE.has(c) && isLetter(prev) && isLetter(next)) {
      role = 'apostrophe'; // don't, o'clock
    } else if (SINGLE.has(c) && isOpenContext(prev) && ELISION.test(text.slice(i + 1, i + 8)) && level === 'inner') {
      role = 'apostrophe'; // 'til, '90s
    } else if (c === '“' || c === '‘' || c === '„' || c === '‚' || c === '«') {
      role = 'open';
    } else if (c === '”' || c === '»') {
      role = 'close';
    } else if (c === '’') {
      role = 'close';
    } else {
      // Straight marks: decide by the characters around them, then by state.
      const opensHere = isOpenContext(prev) && !isSpace(next);
      const closesHere = !isOpenContext(prev) && (isSpace(next) || /[.,;:!?)\]}—–\-…"'”’]/.test(next!));
      if (opensHere && !closesHere) role = 'open';
      else if (closesHere && !opensHere) role = 'close';
      else {
        const isOpen = level === 'outer' ? outerOpen : innerOpen > 0;
        role = isOpen ? 'close' : 'open';
      }
    }
    // A single-quote "close" with nothing open is an apostrophe (the dogs' bowls), in British dialogue too.
    if (role === 'close' && SINGLE.has(c) && (level === 'inner' ? innerOpen === 0 : !outerOpen)) role = 'apostrophe';
    const mark: QuoteMark = { index: i, char: c, role, level, depth: 0 };
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
  return { style, marks };
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
  if (k < 0 || !/\s/.test(text[k]!)) return false;
  while (k > 0 && /\s/.test(text[k]!)) k--;
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
