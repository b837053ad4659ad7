import { createRequire } from 'node:module';
import type { Bidi } from 'bidi-js';

/**
 * The Unicode bidirectional algorithm (UAX #9, the `bidi-js` package) as the
 * line setter uses it: embedding levels for a paragraph's text (resolved
 * once, before lines are broken), the visual order of a line's pieces
 * (rule L2, applied per line after breaking), and mirrored brackets for
 * right-to-left runs (rule L4).
 */

// bidi-js ships CommonJS whose types declare an ES default export: load it as what it is.
const bidi = (createRequire(import.meta.url)('bidi-js') as () => Bidi)();

/** Strong right-to-left characters (Hebrew, Arabic, Syriac, Thaana, NKo, … and their presentation forms). */
const RTL = /[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc\u{10800}-\u{10fff}\u{1e800}-\u{1efff}]/u;
/** Strong left-to-right characters: letters of any other script. */
const LTR = /(?![\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc])\p{L}/u;

export const hasRtl = (text: string): boolean => RTL.test(text);

/** Isolate controls (UAX #9 X5a–X6a): what a span with its own direction is wrapped in for the algorithm. */
export const LRI = '\u2066';
export const RLI = '\u2067';
export const PDI = '\u2069';

/**
 * A paragraph's direction: the work's, unless the paragraph has no strong
 * character of that direction and some of the other (a Hebrew quotation
 * in an English book, an English letter in an Arabic one).
 */
export function paragraphRtl(text: string, workRtl: boolean): boolean {
  if (workRtl) return !(!RTL.test(text) && LTR.test(text));
  return RTL.test(text) && !LTR.test(text);
}

/**
 * Embedding levels of `text` (one per UTF-16 unit) with the paragraph
 * direction given; null when every level is 0 (no right-to-left text in a
 * left-to-right paragraph: nothing to reorder).
 */
export function embeddingLevels(text: string, rtl: boolean): Uint8Array | null {
  if (!rtl && !RTL.test(text) && !/[\u2067\u202b\u202e]/.test(text)) return null;
  return bidi.getEmbeddingLevels(text, rtl ? 'rtl' : 'ltr').levels;
}

/**
 * Rule L2: items of a line (in logical order, each with its level) in
 * visual order, left to right: from the highest level down to the lowest
 * odd one, every maximal run at that level or above is reversed.
 */
export function visualOrder<T extends { level: number }>(items: readonly T[]): T[] {
  const out = [...items];
  if (!out.length) return out;
  let max = 0;
  let minOdd = Infinity;
  for (const it of out) {
    if (it.level > max) max = it.level;
    if (it.level % 2 === 1 && it.level < minOdd) minOdd = it.level;
  }
  if (minOdd === Infinity) return out;
  for (let lvl = max; lvl >= minOdd; lvl--) {
    for (let i = 0; i < out.length; i++) {
      if (out[i]!.level < lvl) continue;
      let j = i;
      while (j + 1 < out.length && out[j + 1]!.level >= lvl) j++;
      const seg = out.slice(i, j + 1).reverse();
      out.splice(i, seg.length, ...seg);
      i = j;
    }
  }
  return out;
}

const mirrors = new Map<string, string>();

/** Rule L4: characters with a mirrored form (brackets, `<`, `«`) take it in right-to-left runs. */
export function mirrored(text: string): string {
  if (!/[()<>[\]{}«»‹›⁅⁆⁽⁾₍₎∈-∍≤-≫⊂-⊋⟨⟩⦃-⦘〈-】〔-〛﹙-﹞（）＜＞［］｛｝｟｠｢｣]/u.test(text)) return text;
  let out = '';
  for (const ch of text as Iterable<string>) {
    let m = mirrors.get(ch);
    if (m === undefined) {
      m = bidi.getMirroredCharacter(ch) ?? ch;
      mirrors.set(ch, m);
    }
    out += m;
  }
  return out;
}
