/**
 * Line layout for the PDF writer, independent of pdfkit: inline runs are cut
 * into words (a word may mix faces, as in `*Marguerite*’s`), words are filled
 * into lines greedily with hyphenation at soft hyphens, and each line knows
 * how to justify itself. Quire sets lines itself because pdfkit's
 * justification breaks across font changes (misplaced and lost words) and it
 * has neither hyphenation nor widow/orphan control.
 */

/** A registered font name: `regular`, `italic`, `bold`, `boldItalic`, or a fallback (`fb-regular`, …). */
export type Face = string;

export interface Piece {
  text: string;
  face: Face;
  link?: string;
  underline?: boolean;
  strike?: boolean;
}

/** Pieces that can be drawn as one run. */
export const sameStyle = (a: Piece, b: Piece) => a.face === b.face && a.link === b.link && !!a.underline === !!b.underline && !!a.strike === !!b.strike;

export interface Word {
  pieces: Piece[];
  width: number;
  /** The word ends with a hyphen added where it was broken across lines. */
  hyphenated?: boolean;
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

/** Pieces → words: spaces separate words; `\n` forces a line break. */
export function toWords(pieces: readonly Piece[], measure: Measure): Array<Word | 'break'> {
  const out: Array<Word | 'break'> = [];
  let current: Piece[] = [];
  const flush = () => {
    if (current.length) {
      out.push({ pieces: current, width: wordWidth(current, measure) });
      current = [];
    }
  };
  for (const piece of pieces) {
    for (const part of piece.text.split(/(\n|[ \t]+)/)) {
      if (part === '') continue;
      if (part === '\n') {
        flush();
        out.push('break');
      } else if (/^[ \t]+$/.test(part)) {
        flush();
      } else {
        // A "word" longer than any line (a URL, a scrape gone wrong) is cut into pieces that fit.
        const chunks = part.length > MAX_WORD ? part.match(new RegExp(`[^]{1,${MAX_WORD}}`, 'gu'))! : [part];
        chunks.forEach((chunk, k) => {
          if (k > 0) flush();
          const last = current[current.length - 1];
          if (last && sameStyle(last, piece)) last.text += chunk;
          else current.push({ ...piece, text: chunk });
        });
      }
    }
  }
  flush();
  return out;
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
    if (headWord.width <= room) return [headWord, { pieces: tail, width: wordWidth(tail, measure) }];
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
}

/**
 * Fill words into lines no wider than `width`; the first line is indented.
 * A word that does not fit is hyphenated when a break point fits (and not
 * too many lines in a row end in a hyphen); a word wider than a whole line
 * gets a line of its own.
 */
export function breakLines(items: ReadonlyArray<Word | 'break'>, o: BreakOptions): Line[] {
  const lines: Line[] = [];
  let words: Word[] = [];
  let used = 0;
  let lineIndent = o.indent;
  let hyphenRun = 0;
  const flush = (last: boolean) => {
    const lastWord = words[words.length - 1];
    hyphenRun = lastWord?.hyphenated ? hyphenRun + 1 : 0;
    lines.push({ words, width: words.reduce((w, x) => w + x.width, 0), last, indent: lineIndent });
    words = [];
    used = 0;
    lineIndent = 0;
  };
  const queue = [...items];
  while (queue.length) {
    const item = queue.shift()!;
    if (item === 'break') {
      flush(true);
      continue;
    }
    const room = o.width - lineIndent - (words.length ? used + o.space : 0);
    if (item.width <= room) {
      used = words.length ? used + o.space + item.width : item.width;
      words.push(item);
      continue;
    }
    if (o.maxHyphenated > 0 && hyphenRun < o.maxHyphenated && room > o.space * 3) {
      const split = splitWord(item, room, o.measure);
      if (split) {
        used = words.length ? used + o.space + split[0].width : split[0].width;
        words.push(split[0]);
        flush(false);
        queue.unshift(split[1]);
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
      queue.unshift(split[1]);
    } else {
      words.push(item);
      used = item.width;
    }
  }
  if (words.length || !lines.length) flush(true);
  else lines[lines.length - 1]!.last = true;
  return lines;
}
