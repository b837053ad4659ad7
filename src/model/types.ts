/**
 * The chapter model: plain typed data shared by every reader and writer.
 * No I/O, no classes, no behaviour — readers build it, transforms rewrite it,
 * writers render it.
 */

/** Inline content of a paragraph, heading or title. */
export type Inline =
  | { type: 'text'; value: string }
  | { type: 'emphasis'; children: Inline[] }
  | { type: 'strong'; children: Inline[] }
  | { type: 'underline'; children: Inline[] }
  | { type: 'strike'; children: Inline[] }
  /**
   * A link: `url` is http(s) or mailto (readers allow no other), or — made by
   * Quire's own plans, never read from a source — `#section` or
   * `#section/anchor`, a place in the same book. `rel` (Quire's own
   * plans only): the link leads to a note, or back from one.
   */
  | { type: 'link'; url: string; children: Inline[]; rel?: 'noteref' | 'backlink' }
  /** Text in another language or direction than its surroundings, as the source marked it (`<span lang="fr">`). */
  | { type: 'span'; lang?: string; dir?: 'ltr' | 'rtl'; children: Inline[] }
  /** A reference to one of the chapter's footnotes (`[^1]` in Markdown): `id` is the footnote's. */
  | { type: 'noteRef'; id: string }
  | { type: 'lineBreak' };

/** Text alignment an author set on a paragraph (justified/left is the default). */
export type Align = 'center' | 'right';

/** A table, kept simple: rows of cells of inline content. */
export interface TableRow {
  header: boolean;
  cells: Inline[][];
}

/** Block content of a chapter, a note or a summary. */
export type Block =
  | { type: 'paragraph'; children: Inline[]; align?: Align }
  | { type: 'sceneBreak' }
  | { type: 'blockquote'; children: Block[] }
  /** `id`: an anchor a book-internal link can point at (`#section/id`). */
  | { type: 'heading'; level: number; children: Inline[]; align?: Align; id?: string }
  | { type: 'list'; ordered: boolean; items: Block[][] }
  | { type: 'table'; rows: TableRow[] }
  /**
   * A local image: `src` is an absolute path to a PNG, JPEG or GIF file that
   * exists — or, for an image inside an input EPUB, a name for it
   * (`/path/book.epub#OEBPS/img.png`) with its bytes in `data`.
   */
  | { type: 'image'; src: string; alt: string; data?: Uint8Array }
  /** Preformatted text (code, ASCII art, a text-message log): its lines and indentation kept exactly. */
  | { type: 'code'; text: string };

/** A footnote of a chapter: the note a `noteRef` points at. */
export interface Footnote {
  /** The note's mark, unique within the chapter and shown to the reader: `1`, `2`, … in reading order. */
  id: string;
  blocks: Block[];
}

/** AO3's tag groups, in the order AO3 shows them. */
export const TAG_KINDS = ['rating', 'warning', 'category', 'fandom', 'relationship', 'character', 'freeform'] as const;
export type TagKind = (typeof TAG_KINDS)[number];

export interface Tag {
  kind: TagKind;
  name: string;
}

/** One series a work belongs to; `part` is 1-based. */
export interface SeriesMembership {
  name: string;
  part: number;
}

export interface Metadata {
  title: string;
  authors: string[];
  /** BCP 47 language tag, e.g. `en`. */
  language: string;
  summary: Block[];
  tags: Tag[];
  series: SeriesMembership[];
  /** ISO dates (YYYY-MM-DD) when known. */
  published?: string;
  updated?: string;
  /** Where the work was published, e.g. its AO3 URL. */
  sourceUrl?: string;
  /** AO3's chapter count as shown (`3/?`), when the source gave it. */
  chapterCount?: string;
  /** Words in the story text (chapters only, not notes), counted by Quire. */
  wordCount: number;
  /** "Works inspired by this one" from an AO3 trailer, kept as plain text. */
  inspiredBy?: string;
  /** AO3 collections the work is in. */
  collections?: string[];
  /** A cover image the user gave (absolute path to a PNG or JPEG file); without one, writers generate a cover. */
  cover?: string;
}

export interface Notes {
  before: Block[];
  after: Block[];
}

export interface Chapter {
  /** Stable within the work: `ch1`, `ch2`, ... */
  id: string;
  /**
   * The chapter's label as the source wrote it, never renumbered: `Chapter 3`,
   * `Chapter One`, `CHAPTER II`, `Part Two`, `Prologue`. Empty when the
   * source headed the chapter with a title alone, or not at all.
   */
  label: string;
  /** The chapter's own title without its label; empty when untitled. */
  title: string;
  /** 1-based position in the work. */
  number: number;
  summary: Block[];
  notes: Notes;
  blocks: Block[];
  /** Footnotes referenced from the chapter, in reading order. */
  footnotes: Footnote[];
}

/** How the story text arrived, which decides which transforms apply. */
export interface Origin {
  /** The reader that produced the work. */
  reader: 'text' | 'markdown' | 'html' | 'epub';
  /** True when the text had no paragraph structure (a flattened page scrape). */
  flat: boolean;
}

export interface Work {
  /** Stable identifier derived from the source path. */
  id: string;
  /** The source file, as given on the command line (relative paths stay relative). */
  source: string;
  origin: Origin;
  metadata: Metadata;
  notes: Notes;
  chapters: Chapter[];
}

/** Exhaustiveness guard for switches over discriminated unions. */
export function assertNever(value: never): never {
  throw new Error(`unexpected value: ${JSON.stringify(value)}`);
}
