/**
 * Where each page of the print edition (the PDF Quire typesets) begins, in
 * terms both writers share, so that the EPUB can carry the PDF's page
 * numbers: a section of the book plan, a flow of blocks in that section, a
 * path to a block in that flow, and how far into the block the page starts.
 * Plain data: the PDF typesetter makes it, the EPUB writer reads it.
 */

/**
 * The flows of blocks a section is made of, in the order the writers set them:
 * `head` the section's opening (title page, chapter heading), `meta` a title
 * page's metadata (on its own page in print), `summary`, `before` and
 * `after` a chapter's summary, notes and end notes, `body` its text,
 * `footnotes` the notes gathered after it, `blocks` a notes page's blocks.
 */
export type Flow = 'head' | 'meta' | 'summary' | 'before' | 'body' | 'footnotes' | 'after' | 'blocks';

export interface PageStart {
  /** The plan section's id (`ch3`, `title`, `p2-ch1`); `contents` for the contents pages. */
  section: string;
  flow: Flow;
  /**
   * The block a page starts in: its index in the flow, then for a block
   * inside a blockquote its index there, for a list item's block the item's
   * index and the block's. Empty: the start of the flow.
   */
  path: number[];
  /**
   * How far into that block: in a paragraph or heading, the characters
   * before the page's first line (counting as `countable` does); in
   * preformatted text, the characters before its first line; in a table,
   * the index of its first row.
   */
  offset: number;
}

export interface PageMap {
  /** The print edition the numbers are those of, for `pageBreakSource`: `Quire PDF, A5 (148 × 210 mm)`. */
  edition: string;
  /** Page n (counted from 1, as its folio says) starts at starts[n - 1]. */
  starts: PageStart[];
}

/** Characters a page offset counts: every character but spaces, tabs, line breaks and soft hyphens (which the writers set differently). */
export function countable(ch: string): boolean {
  return ch !== ' ' && ch !== '\t' && ch !== '\n' && ch !== '\r' && ch !== '\u00ad';
}

/** The countable characters of a text. */
export function countChars(text: string): number {
  let n = 0;
  for (const ch of text) if (countable(ch)) n++;
  return n;
}

/** How many characters a footnote mark takes in the PDF's text (`³`, or `[a]` for a mark that is not a number). */
export function noteMarkLength(id: string): number {
  return /^\d+$/.test(id) ? [...id].length : [...id].length + 2;
}
