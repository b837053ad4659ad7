import LineBreaker from 'linebreak';

/**
 * Where a line may break: the Unicode line breaking algorithm (UAX #14, the
 * `linebreak` package) with the additions a book needs. UAX #14 already
 * keeps closing brackets, commas and full stops (`」』）、。，！？`), small
 * kana and the prolonged sound mark off the start of a line and opening
 * brackets off its end (kinsoku shori); it leaves Thai, Lao, Khmer and
 * Burmese unbroken (class SA), so those runs are broken between words
 * found by ICU's dictionary-based word segmenter (`Intl.Segmenter`).
 */

export interface Opportunity {
  /** UTF-16 offset of the first character after the break. */
  pos: number;
  /** A forced break (a line feed). */
  required: boolean;
}

/** Scripts written without spaces that UAX #14 hands to a dictionary (class SA). */
const SA_RUN = /[\p{Script=Thai}\p{Script=Lao}\p{Script=Khmer}\p{Script=Myanmar}]+/gu;
// Made when first needed: ICU loads its break dictionaries with the first segmenter (hundreds of ms).
let words: Intl.Segmenter | undefined;
let graphemes: Intl.Segmenter | undefined;

/**
 * Curly quotes next to CJK text (UAX #14 LB19a, Unicode 15.1; the
 * `linebreak` package predates it and never breaks around class QU): a line
 * may break before an opening quote and after a closing one when the
 * character on the other side is East Asian, as Chinese text quotes “这样”.
 */
const EAST_ASIAN = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}\p{Script=Bopomofo}\u3000-\u303f\uff01-\uff65]/u;
const OPENING_QUOTE = /[“‘]/;
const CLOSING_QUOTE = /[”’]/;

const HARD_HYPHEN = /[-\u2010]/;
const LETTER = /\p{L}/u;
/** Two letters or more end the text before a compound's hyphen, and start the text after it. */
const LETTERS_BEFORE = /\p{L}{2}$/u;
const LETTERS_AFTER = /^\p{L}{2}/u;

/** Characters a line may start with only after a space (kinsoku additions to UAX #14; an em dash stays with the word before it). */
const NO_LINE_START = /^[—―]/;

/** Characters that build emoji sequences (ZWJ, variation selectors, keycaps, modifiers, flags) and pictographs. */
const CLUSTERED = /[\u200d\ufe0e\ufe0f\u20e3\u{1f000}-\u{1faff}]/u;

/** Break opportunities in `text`, ascending, ending with one at `text.length`. */
export function breakOpportunities(text: string): Opportunity[] {
  const found = new Map<number, boolean>();
  const lb = new LineBreaker(text);
  for (let b = lb.nextBreak(); b; b = lb.nextBreak()) found.set(b.position, b.required);
  // Opportunities found out of order need sorting at the end.
  let sorted = true;
  // After every run of spaces, as Quire broke before UAX #14 (UAX #14 keeps `( x` together).
  for (let i = text.indexOf(' '); i >= 0; i = text.indexOf(' ', i + 1)) {
    let j = i;
    while (text[j] === ' ' || text[j] === '\t') j++;
    if (j < text.length && !found.has(j)) {
      found.set(j, false);
      sorted = false;
    }
    i = j - 1;
  }
  if (/[“”‘’]/.test(text) && EAST_ASIAN.test(text)) {
    const cps = [...text];
    let at = 0;
    cps.forEach((ch, k) => {
      const prev = cps[k - 1];
      const next = cps[k + 1];
      if (OPENING_QUOTE.test(ch) && prev && EAST_ASIAN.test(prev) && !found.has(at)) {
        found.set(at, false);
        sorted = false;
      }
      if (CLOSING_QUOTE.test(ch) && next && EAST_ASIAN.test(next) && !found.has(at + ch.length)) {
        found.set(at + ch.length, false);
        sorted = false;
      }
      at += ch.length;
    });
  }
  if (/[\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff]/.test(text)) {
    for (const m of text.matchAll(SA_RUN)) {
      const start = m.index;
      for (const s of (words ??= new Intl.Segmenter('th', { granularity: 'word' })).segment(m[0])) {
        if (s.index > 0 && !found.has(start + s.index)) {
          found.set(start + s.index, false);
          sorted = false;
        }
      }
    }
  }
  let inside: Set<number> | null = null;
  if (CLUSTERED.test(text)) {
    // Never inside an emoji sequence (UAX #14 keeps marks, Hangul and Indic clusters whole itself).
    inside = new Set();
    let prev = 0;
    for (const g of (graphemes ??= new Intl.Segmenter('en', { granularity: 'grapheme' })).segment(text)) {
      for (let k = prev + 1; k < g.index; k++) inside.add(k);
      prev = g.index;
    }
    for (let k = prev + 1; k < text.length; k++) inside.add(k);
  }
  const out: Opportunity[] = [];
  for (const [pos, required] of sorted ? found : [...found].sort((a, b) => a[0] - b[0])) {
    if (pos <= 0) continue;
    if (!required && pos < text.length) {
      if (inside?.has(pos)) continue;
      // Soft hyphens are hyphenation points, handled when a word does not fit.
      if (text[pos - 1] === '\u00ad') continue;
      if (NO_LINE_START.test(text.slice(pos, pos + 1)) && !/\s/.test(text[pos - 1]!)) continue;
      // After the hyphen of a compound (`hand-coloured`) only when each side keeps two letters or more
      // (never `e-|mail`, `X-|ray`); the line-end hyphen is then drawn as U+2010 (see typeset.ts) so
      // that text extraction keeps it rather than joining the halves as a word broken by hyphenation.
      if (HARD_HYPHEN.test(text[pos - 1]!) && LETTER.test(text[pos - 2] ?? '') && LETTER.test(text[pos]!) && !(LETTERS_BEFORE.test(text.slice(Math.max(0, pos - 12), pos - 1)) && LETTERS_AFTER.test(text.slice(pos, pos + 12)))) continue;
    }
    out.push({ pos, required });
  }
  if (!out.length || out[out.length - 1]!.pos !== text.length) out.push({ pos: text.length, required: false });
  return out;
}
