/**
 * Line layout for the PDF writer, independent of pdfkit: inline runs are cut
 * into words (a word may mix faces, as in `*Marguerite*’s`), words are filled
 * into lines greedily with hyphenation at soft hyphens, and each line knows
 * how to justify itself. Quire sets lines itself because pdfkit's
 * justification breaks across font changes (misplaced and lost words) and it
 * has neither hyphenation nor widow/orphan control.
 */

import { breakOpportunities } from './breaks.js';
import { isSpaceless } from './script.js';

/** A registered font name: `regular`, `italic`, `bold`, `boldItalic`, or a fallback (`fb-regular`, …). */
export type Face = string;

export interface Piece {
  text: string;
  face: Face;
  link?: string;
  underline?: boolean;
  strike?: boolean;
  /** Bidi embedding level (odd: right to left); 0 when absent. */
  level?: number;
}

/** Pieces that can be drawn as one run. */
export const sameStyle = (a: Piece, b: Piece) =>
  a.face === b.face && a.link === b.link && !!a.underline === !!b.underline && !!a.strike === !!b.strike && (a.level ?? 0) === (b.level ?? 0);

export interface Word {
  pieces: Piece[];
  width: number;
  /** The word ends with a hyphen added where it was broken across lines. */
  hyphenated?: boolean;
  /**
   * What stands between this word and the one before it on a line: a space
   * (a justifiable gap, dropped at a line break) or nothing (a break
   * opportunity inside text set without spaces: CJK, Thai, after a hyphen).
   */
  glue?: 'space' | 'none';
  /** Bidi level of the space before the word. */
  glueLevel?: number;
  /** A gap of nothing that justification may widen (between CJK characters, Thai words). */
  stretch?: boolean;
}

export interface Line {
  words: Word[];
  /** Sum of the words' widths (without spaces). */
  width: number;
  /** The last line of a paragraph, or one ended by a line break: never stretched. */
  last: boolean;
  /** Left offset (first-line indent). */
  indent: number;
}

/** Measure `text` set in `face` (points); soft hyphens have no width. */
export type Measure = (text: string, face: Face) => number;

export const SHY = '\u00ad';

/** Longest run of characters set as one word. */
const MAX_WORD = 60;

const stripShy = (s: string) => s.replaceAll(SHY, '');

function wordWidth(pieces: readonly Piece[], measure: Measure): number {
  return pieces.reduce((w, p) => w + measure(stripShy(p.text), p.face), 0);
}

/**
 * Pieces → words, cut at the line break opportunities of the whole text
 * (UAX #14 with dictionary breaks for Thai, see breaks.ts): spaces become
 * the glue between words, `\n` forces a line break, and a word may mix
 * faces (`*Marguerite*’s`).
 */
export function toWords(pieces: readonly Piece[], measure: Measure): Array<Word | 'break'> {
  const text = pieces.map((p) => p.text).join('');
  const out: Array<Word | 'break'> = [];
  // Piece index and offset of every character boundary, walked alongside the opportunities.
  const starts: number[] = [];
  let offset = 0;
  for (const p of pieces) {
    starts.push(offset);
    offset += p.text.length;
  }
  /** The pieces covering text[a, b), sliced. */
  const slice = (a: number, b: number): Piece[] => {
    const got: Piece[] = [];
    for (let k = 0; k < pieces.length; k++) {
      const s = starts[k]!;
      const p = pieces[k]!;
      const e = s + p.text.length;
      if (e <= a || s >= b) continue;
      const t = p.text.slice(Math.max(0, a - s), Math.min(p.text.length, b - s));
      if (t) got.push(t.length === p.text.length ? { ...p } : { ...p, text: t });
    }
    return got;
  };
  const levelAt = (i: number): number => {
    for (let k = pieces.length - 1; k >= 0; k--) if (starts[k]! <= i) return pieces[k]!.level ?? 0;
    return 0;
  };
  let glue: 'space' | 'none' | undefined;
  let glueLevel = 0;
  let prevChar = '';
  const push = (a: number, b: number) => {
    const ps = slice(a, b);
    if (!ps.length) return;
    const first = text.slice(a, a + 2);
    const stretch = glue === 'none' && (isSpacelessText(prevChar) || isSpacelessText(first));
    out.push({
      pieces: ps,
      width: wordWidth(ps, measure),
      ...(glue ? { glue } : {}),
      ...(glue === 'space' ? { glueLevel } : {}),
      ...(stretch ? { stretch: true } : {}),
    });
    prevChar = text.slice(Math.max(a, b - 2), b);
  };
  let at = 0;
  for (const { pos, required } of breakOpportunities(text)) {
    let end = pos;
    let newline = false;
    if (text[end - 1] === '\n') {
      newline = true;
      end--;
    }
    let wordEnd = end;
    while (wordEnd > at && (text[wordEnd - 1] === ' ' || text[wordEnd - 1] === '\t')) wordEnd--;
    if (wordEnd > at) {
      // A "word" longer than any line (a URL, a scrape gone wrong) is cut into pieces that fit.
      if (wordEnd - at > MAX_WORD) {
        const chunks = text.slice(at, wordEnd).match(new RegExp(`[^]{1,${MAX_WORD}}`, 'gu'))!;
        let c = at;
        for (const chunk of chunks) {
          push(c, c + chunk.length);
          glue = 'none';
          c += chunk.length;
        }
      } else push(at, wordEnd);
      glue = 'none';
    }
    if (wordEnd < end) {
      glue = 'space';
      glueLevel = levelAt(wordEnd);
      prevChar = ' ';
    }
    if (newline || (required && pos < text.length)) {
      out.push('break');
      glue = undefined;
      prevChar = '';
    }
    at = pos;
  }
  return out;
}

/** Two characters of text set without spaces around a break (CJK, Thai). */
function isSpacelessText(s: string): boolean {
  for (const ch of s) if (isSpaceless(ch)) return true;
  return false;
}

/**
 * Split a word at its soft hyphens: the longest head (plus a visible hyphen)
 * no wider than `room`, and the tail. Null when no break point fits.
 */
export function splitWord(word: Word, room: number, measure: Measure): [Word, Word] | null {
  const text = word.pieces.map((p) => p.text).join('');
  const points: number[] = [];
  for (let i = text.indexOf(SHY); i >= 0; i = text.indexOf(SHY, i + 1)) points.push(i);
  for (let k = points.length - 1; k >= 0; k--) {
    const at = points[k]!;
    const head: Piece[] = [];
    const tail: Piece[] = [];
    let offset = 0;
    for (const p of word.pieces) {
      const end = offset + p.text.length;
      if (end <= at) head.push({ ...p });
      else if (offset > at) tail.push({ ...p });
      else {
        const cut = at - offset;
        if (cut > 0) head.push({ ...p, text: p.text.slice(0, cut) });
        if (cut + 1 < p.text.length) tail.push({ ...p, text: p.text.slice(cut + 1) });
      }
      offset = end;
    }
    if (!head.length || !tail.length) continue;
    const lastHead = head[head.length - 1]!;
    lastHead.text += '-';
    const headWord: Word = { pieces: head, width: wordWidth(head, measure), hyphenated: true };
    const { pieces: _p, width: _w, hyphenated: _h, ...rest } = word;
    if (headWord.width <= room) return [{ ...rest, ...headWord }, { pieces: tail, width: wordWidth(tail, measure) }];
  }
  return null;
}

export interface BreakOptions {
  width: number;
  space: number;
  indent: number;
  measure: Measure;
  /** At most this many hyphenated lines in a row (0: no hyphenation). */
  maxHyphenated: number;
  /** Points each space of a line may give up so that one more word fits (a tighter setting; 0 by default). */
  shrink?: number;
}

/**
 * Fill words into lines no wider than `width`; the first line is indented.
 * A word that does not fit is hyphenated when a break point fits (and not
 * too many lines in a row end in a hyphen) — but never the last word of a
 * paragraph or of a set line, which would leave a fragment (`ed.`) alone on
 * the last line; a word wider than a whole line gets a line of its own.
 * With `shrink`, a line takes one more word when its spaces can give up
 * enough room.
 */
export function breakLines(items: ReadonlyArray<Word | 'break'>, o: BreakOptions): Line[] {
  const lines: Line[] = [];
  let words: Word[] = [];
  let used = 0;
  let spaces = 0;
  let lineIndent = o.indent;
  let hyphenRun = 0;
  const shrink = o.shrink ?? 0;
  /** Room a word takes after the words already on the line: its glue (a space, or nothing) and itself. */
  const gap = (w: Word) => (words.length && w.glue !== 'none' ? o.space : 0);
  const flush = (last: boolean) => {
    const lastWord = words[words.length - 1];
    hyphenRun = lastWord?.hyphenated ? hyphenRun + 1 : 0;
    lines.push({ words, width: words.reduce((w, x) => w + x.width, 0), last, indent: lineIndent });
    words = [];
    used = 0;
    spaces = 0;
    lineIndent = 0;
  };
  const queue = [...items];
  while (queue.length) {
    const item = queue.shift()!;
    if (item === 'break') {
      flush(true);
      continue;
    }
    const spaced = gap(item) > 0;
    const room = o.width - lineIndent - (words.length ? used + gap(item) : 0);
    if (item.width <= room + shrink * (spaces + (spaced ? 1 : 0))) {
      used = words.length ? used + gap(item) + item.width : item.width;
      if (spaced) spaces++;
      words.push(item);
      continue;
    }
    const lastOfLine = queue.length === 0 || queue[0] === 'break';
    if (o.maxHyphenated > 0 && hyphenRun < o.maxHyphenated && room > o.space * 3 && !lastOfLine) {
      const split = splitWord(item, room, o.measure);
      if (split) {
        used = words.length ? used + gap(item) + split[0].width : split[0].width;
        if (spaced) spaces++;
        words.push(split[0]);
        flush(false);
        queue.unshift({ ...split[1], glue: 'none' });
        continue;
      }
    }
    if (words.length) {
      flush(false);
      queue.unshift(item);
      continue;
    }
    // Alone and still too wide: hyphenate anywhere it fits, else let it overflow.
    const split = splitWord(item, o.width - lineIndent, o.measure);
    if (split) {
      words.push(split[0]);
      flush(false);
      queue.unshift({ ...split[1], glue: 'none' });
    } else {
      words.push(item);
      used = item.width;
    }
  }
  if (words.length || !lines.length) flush(true);
  else lines[lines.length - 1]!.last = true;
  return lines;
}
