/**
 * Line layout for the PDF writer, independent of pdfkit: inline runs are cut
 * into words (a word may mix faces, as in `*Marguerite*’s`), words are filled
 * into lines greedily, and each line knows how to justify itself. Quire sets
 * lines itself because pdfkit's justification breaks across font changes
 * (misplaced and lost words) and it has no widow/orphan control.
 */

export type Face = 'regular' | 'italic' | 'bold' | 'boldItalic';

export interface Piece {
  text: string;
  face: Face;
  link?: string;
}

export interface Word {
  pieces: Piece[];
  width: number;
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

/** Measure `text` set in `face` (points). */
export type Measure = (text: string, face: Face) => number;

/** Pieces → words: spaces separate words; `\n` forces a line break (an empty word marks it). */
export function toWords(pieces: readonly Piece[], measure: Measure): Array<Word | 'break'> {
  const out: Array<Word | 'break'> = [];
  let current: Piece[] = [];
  const flush = () => {
    if (current.length) {
      out.push({ pieces: current, width: current.reduce((w, p) => w + measure(p.text, p.face), 0) });
      current = [];
    }
  };
  for (const piece of pieces) {
    const parts = piece.text.split(/(\n|[ \t\u00a0]+)/);
    for (const part of parts) {
      if (part === '') continue;
      if (part === '\n') {
        flush();
        out.push('break');
      } else if (/^[ \t]+$/.test(part)) {
        flush();
      } else if (/^\u00a0+$/.test(part)) {
        // A no-break space joins its neighbours into one word.
        current.push({ ...piece, text: part });
      } else {
        const last = current[current.length - 1];
        if (last && last.face === piece.face && last.link === piece.link) last.text += part;
        else current.push({ ...piece, text: part });
      }
    }
  }
  flush();
  return out;
}

/**
 * Fill words into lines no wider than `width`; the first line is indented by
 * `indent`. A word wider than a line gets a line of its own.
 */
export function breakLines(items: ReadonlyArray<Word | 'break'>, width: number, space: number, indent: number): Line[] {
  const lines: Line[] = [];
  let words: Word[] = [];
  let used = 0;
  let lineIndent = indent;
  const flush = (last: boolean) => {
    lines.push({ words, width: words.reduce((w, x) => w + x.width, 0), last, indent: lineIndent });
    words = [];
    used = 0;
    lineIndent = 0;
  };
  for (const item of items) {
    if (item === 'break') {
      flush(true);
      continue;
    }
    const need = words.length ? used + space + item.width : item.width;
    if (words.length && need > width - lineIndent) flush(false);
    used = words.length ? used + space + item.width : item.width;
    words.push(item);
  }
  if (words.length || !lines.length) flush(true);
  else lines[lines.length - 1]!.last = true;
  return lines;
}
