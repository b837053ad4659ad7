import { blockText, hasContent, textParagraph } from '../model/text.js';
import { TAG_KINDS, type Block, type Chapter, type TagKind, type Work } from '../model/types.js';

/**
 * The book plan both writers follow: which pages a book has, in which order,
 * with which headings and navigation labels. Writers decide how a page looks,
 * never what is in the book.
 */
export type Section =
  | { kind: 'title'; id: 'title'; label: string }
  | { kind: 'notes'; id: 'notes'; label: string; heading: string; blocks: Block[] }
  | { kind: 'contents'; id: 'contents'; label: string }
  | { kind: 'chapter'; id: string; label: string; chapter: Chapter; heading: ChapterHeading }
  | { kind: 'endnotes'; id: 'endnotes'; label: string; heading: string; blocks: Block[] };

export interface ChapterHeading {
  /** `Chapter 3`, or empty for the only chapter of a one-chapter work. */
  kicker: string;
  /** The chapter's title, or the work's title for a one-chapter work; empty when untitled. */
  title: string;
}

export interface BookPlan {
  work: Work;
  sections: Section[];
  /** True when the book has an in-book contents page. */
  hasContents: boolean;
}

/** One line of the metadata block on the title page, in AO3's order. */
export interface MetadataRow {
  label: string;
  values: string[];
}

const TAG_LABELS: Record<TagKind, [string, string]> = {
  rating: ['Rating', 'Ratings'],
  warning: ['Archive Warning', 'Archive Warnings'],
  category: ['Category', 'Categories'],
  fandom: ['Fandom', 'Fandoms'],
  relationship: ['Relationship', 'Relationships'],
  character: ['Character', 'Characters'],
  freeform: ['Additional Tags', 'Additional Tags'],
};

/** Plan the pages of a one-work book. */
export function planBook(work: Work): BookPlan {
  const sections: Section[] = [{ kind: 'title', id: 'title', label: 'Title Page' }];
  if (hasContent(work.notes.before)) {
    sections.push({ kind: 'notes', id: 'notes', label: 'Notes', heading: 'Notes', blocks: work.notes.before });
  }
  const many = work.chapters.length > 1;
  if (many) sections.push({ kind: 'contents', id: 'contents', label: 'Contents' });
  for (const ch of work.chapters) {
    sections.push({ kind: 'chapter', id: ch.id, label: chapterLabel(work, ch), chapter: ch, heading: chapterHeading(work, ch) });
  }
  const end = endNotes(work);
  if (end.length) sections.push({ kind: 'endnotes', id: 'endnotes', label: 'End Notes', heading: 'End Notes', blocks: end });
  return { work, sections, hasContents: many };
}

/** Navigation label: `1. The Atlas`, `Chapter 3` when untitled, the work's title for a one-chapter work. */
export function chapterLabel(work: Work, ch: Chapter): string {
  if (work.chapters.length === 1) return ch.title || work.metadata.title;
  return ch.title ? `${ch.number}. ${ch.title}` : `Chapter ${ch.number}`;
}

export function chapterHeading(work: Work, ch: Chapter): ChapterHeading {
  if (work.chapters.length === 1) return { kicker: '', title: ch.title || work.metadata.title };
  return { kicker: `Chapter ${ch.number}`, title: ch.title };
}

/** The work's end notes, followed by AO3's "Works inspired by this one" when present. */
function endNotes(work: Work): Block[] {
  const blocks = [...work.notes.after];
  if (work.metadata.inspiredBy) {
    blocks.push({ type: 'heading', level: 2, children: [{ type: 'text', value: 'Works inspired by this one' }] });
    blocks.push(textParagraph(work.metadata.inspiredBy));
  }
  return blocks;
}

/** Title-page metadata in AO3's order: tag groups, then language, series and stats. */
export function metadataRows(work: Work): MetadataRow[] {
  const m = work.metadata;
  const rows: MetadataRow[] = [];
  for (const kind of TAG_KINDS) {
    const values = m.tags.filter((t) => t.kind === kind).map((t) => t.name);
    if (values.length) rows.push({ label: TAG_LABELS[kind][values.length > 1 ? 1 : 0], values });
  }
  rows.push({ label: 'Language', values: [languageName(m.language)] });
  const stats: string[] = [];
  if (m.published) stats.push(`Published: ${m.published}`);
  if (m.updated) stats.push(`Updated: ${m.updated}`);
  stats.push(`Words: ${m.wordCount.toLocaleString('en-US')}`);
  stats.push(`Chapters: ${m.chapterCount ?? `${work.chapters.length}/${work.chapters.length}`}`);
  rows.push({ label: 'Stats', values: stats });
  return rows;
}

/** `Part 3 of Name`, one per series. */
export function seriesLines(work: Work): string[] {
  return work.metadata.series.map((s) => `Part ${s.part} of ${s.name}`);
}

/** `A`, `A and B`, `A, B and C`. */
export function authorList(authors: readonly string[]): string {
  if (authors.length <= 1) return authors[0] ?? '';
  return `${authors.slice(0, -1).join(', ')} and ${authors[authors.length - 1]}`;
}

/** The summary as plain text, for OPF descriptions and PDF subjects. */
export function summaryText(work: Work): string {
  return blockText(work.metadata.summary).replace(/\s+/g, ' ').trim();
}

const LANGUAGE_LABELS: Record<string, string> = {
  en: 'English',
  es: 'Español',
  fr: 'Français',
  de: 'Deutsch',
  it: 'Italiano',
  pt: 'Português',
  'pt-BR': 'Português brasileiro',
  nl: 'Nederlands',
  pl: 'Polski',
  ru: 'Русский',
  zh: '中文',
  ja: '日本語',
  ko: '한국어',
  sv: 'Svenska',
  fi: 'Suomi',
  da: 'Dansk',
  no: 'Norsk',
  cs: 'Čeština',
  hu: 'Magyar',
  tr: 'Türkçe',
};

export function languageName(code: string): string {
  return LANGUAGE_LABELS[code] ?? LANGUAGE_LABELS[code.split('-')[0]!] ?? code;
}
