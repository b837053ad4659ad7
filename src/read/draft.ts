import type { Diagnostic } from '../diagnostics.js';
import type { Block, Footnote, Notes, SeriesMembership, Tag } from '../model/types.js';

/**
 * What a reader hands to `buildWork`: the story's structure and whatever
 * metadata the source itself carried, before the user's metadata is merged
 * over it and fallbacks are chosen.
 */

export interface SourceMetadata {
  summary?: Block[];
  tags?: Tag[];
  series?: SeriesMembership[];
  language?: string;
  published?: string;
  updated?: string;
  chapterCount?: string;
  inspiredBy?: string;
  collections?: string[];
}

export interface DraftChapter {
  /** The chapter's label as the source wrote it (`Chapter 3`, `Prologue`), when it had one. */
  label?: string;
  title: string;
  summary: Block[];
  notes: Notes;
  blocks: Block[];
  footnotes?: Footnote[];
}

export interface Draft {
  flat: boolean;
  meta: SourceMetadata;
  notes: Notes;
  chapters: DraftChapter[];
  diagnostics: Diagnostic[];
  /** The title the source gives (an AO3 page's or download's title, a lone top heading). */
  titleHint?: string;
  /** The authors the source names (an AO3 byline). */
  authors?: string[];
  /**
   * An AO3 page's title and byline run together (`The Ferry at Low Water
   * quietmarigold`), when they could not be told apart for certain: a title
   * or author the user gives settles the split.
   */
  titleByline?: string;
  sourceUrl?: string;
}

/** A chapter with nothing in it yet. */
export function emptyChapter(): DraftChapter {
  return { title: '', summary: [], notes: { before: [], after: [] }, blocks: [] };
}
