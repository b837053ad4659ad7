import { blockText, hasContent, textParagraph } from '../model/text.js';
import { TAG_KINDS, type Block, type Chapter, type Metadata, type Tag, type TagKind, type Work } from '../model/types.js';
import { languageDisplayName } from '../languages.js';
import type { Series } from '../series.js';

/**
 * The book plan both writers follow: which pages a book has, in which order,
 * with which headings and navigation labels. Writers decide how a page looks,
 * never what is in the book.
 */
interface SectionBase {
  /** Unique in the book; also the page's file name in an EPUB. */
  id: string;
  /** Navigation label. */
  label: string;
  /** Nesting in the navigation: 0 at the top, 1 under a part of an omnibus. */
  depth: number;
}

export type Section =
  /** A work's title page; in an omnibus, the title page of one part. */
  | (SectionBase & { kind: 'title'; work: Work; part?: number })
  /** An omnibus's own title page. */
  | (SectionBase & { kind: 'seriesTitle' })
  | (SectionBase & { kind: 'notes'; heading: string; blocks: Block[]; work: Work })
  | (SectionBase & { kind: 'contents' })
  | (SectionBase & { kind: 'chapter'; chapter: Chapter; heading: ChapterHeading; work: Work })
  | (SectionBase & { kind: 'endnotes'; heading: string; blocks: Block[]; work: Work; entries?: EndnoteEntry[] });

/** One endnote of a notes page gathered at the back (`--notes end`): blocks[from, to) of its section, opening with a heading whose id is `id`. */
export interface EndnoteEntry {
  id: string;
  from: number;
  to: number;
}

export interface ChapterHeading {
  /** `Chapter 3`, or empty for the only chapter of a one-chapter work. */
  kicker: string;
  /** The chapter's title, or the work's title for a one-chapter work; empty when untitled. */
  title: string;
}

export interface BookPlan {
  kind: 'work' | 'omnibus';
  /** The book's own metadata (for an omnibus: the series as a book). */
  metadata: Metadata;
  /** What identifies the book across rebuilds (its stable UUID is derived from it). */
  identity: string;
  /** The works in the book, in reading order. */
  works: Work[];
  /** For an omnibus: the series. */
  series?: Series;
  sections: Section[];
  /** True when the book has an in-book contents page. */
  hasContents: boolean;
  /** A cover image (absolute path to a PNG or JPEG file), when one was given. */
  cover?: string;
  /** One volume of a book split by `--volumes` (see volumes.ts): which, of how many. */
  volume?: { number: number; count: number };
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
  const many = work.chapters.length > 1;
  const sections: Section[] = [{ kind: 'title', id: 'title', label: 'Title Page', depth: 0, work }];
  sections.push(...workSections(work, '', 0, many));
  if (many) sections.splice(sections[1]?.kind === 'notes' ? 2 : 1, 0, { kind: 'contents', id: 'contents', label: 'Contents', depth: 0 });
  const m = work.metadata;
  const identity = m.sourceUrl ? `url\u0000${m.sourceUrl}` : `work\u0000${m.title}\u0000${m.authors.join('\u0000')}`;
  return { kind: 'work', metadata: m, identity, works: [work], sections, hasContents: many, ...(m.cover ? { cover: m.cover } : {}) };
}

/** A work's notes, chapters and end notes, with ids prefixed for use inside a larger book. */
function workSections(work: Work, prefix: string, depth: number, _many: boolean): Section[] {
  const out: Section[] = [];
  if (hasContent(work.notes.before)) {
    out.push({ kind: 'notes', id: `${prefix}notes`, label: 'Notes', heading: 'Notes', blocks: work.notes.before, depth, work });
  }
  for (const ch of work.chapters) {
    out.push({ kind: 'chapter', id: `${prefix}${ch.id}`, label: chapterLabel(work, ch), chapter: ch, heading: chapterHeading(work, ch), depth, work });
  }
  const end = endNotes(work);
  if (end.length) out.push({ kind: 'endnotes', id: `${prefix}endnotes`, label: 'End Notes', heading: 'End Notes', blocks: end, depth, work });
  return out;
}

/**
 * Plan an omnibus: the series' title page and contents, then every part in
 * part order, each with its own title page, notes and chapters. Its
 * metadata: the series name (or its given title) as title, every author.
 */
export function planOmnibus(series: Series): BookPlan {
  const works = series.parts.map((p) => p.work);
  const first = works[0]!;
  const authors: string[] = [];
  for (const w of works) for (const a of w.metadata.authors) if (!authors.includes(a)) authors.push(a);
  const tags = omnibusTags(works.map((w) => w.metadata.tags));
  const dates = works.flatMap((w) => [w.metadata.published, w.metadata.updated]).filter((d): d is string => !!d).sort();
  const metadata: Metadata = {
    title: series.info?.title ?? series.name,
    authors: series.info?.authors ?? authors,
    language: first.metadata.language,
    summary: series.info?.summary ?? [],
    tags,
    series: [],
    wordCount: works.reduce((n, w) => n + w.metadata.wordCount, 0),
  };
  if (dates.length) {
    metadata.published = dates[0]!;
    metadata.updated = dates[dates.length - 1]!;
  }
  const sections: Section[] = [
    { kind: 'seriesTitle', id: 'title', label: 'Title Page', depth: 0 },
    { kind: 'contents', id: 'contents', label: 'Contents', depth: 0 },
  ];
  series.parts.forEach((p, i) => {
    const prefix = `p${i + 1}-`;
    sections.push({ kind: 'title', id: `${prefix}title`, label: `Part ${p.part}: ${p.work.metadata.title}`, depth: 0, work: p.work, part: p.part });
    sections.push(...workSections(p.work, prefix, 1, p.work.chapters.length > 1));
  });
  return {
    kind: 'omnibus',
    metadata,
    identity: `series\u0000${series.key}`,
    works,
    series,
    sections,
    hasContents: true,
    ...(series.info?.cover ? { cover: series.info.cover } : {}),
  };
}

/**
 * AO3's ratings from mildest to strictest, for the one rating of an omnibus.
 * AO3 lists them as Not Rated, then General Audiences up to Explicit; here Not
 * Rated stands between Mature and Explicit: AO3 treats it as adult (it shows
 * the adult-content notice for it, as for Mature and Explicit), and an unrated
 * part may hold anything, so a book with a Mature and an unrated part cannot
 * call itself Mature — only Explicit is certainly at least as strict. A rating
 * Quire does not know (`PG-13` from front matter) ranks as Not Rated.
 */
const RATING_ORDER = ['general audiences', 'teen and up audiences', 'mature', 'not rated', 'explicit'] as const;

/** Short and variant spellings seen in front matter, by their first word. */
const RATING_ALIASES: Record<string, (typeof RATING_ORDER)[number]> = {
  general: 'general audiences',
  teen: 'teen and up audiences',
  mature: 'mature',
  explicit: 'explicit',
  unrated: 'not rated',
};

/** A rating's place in RATING_ORDER (unknown ratings rank as Not Rated). */
export function ratingRank(name: string): number {
  const key = name.trim().toLowerCase().replace(/\s+/g, ' ');
  const exact = RATING_ORDER.indexOf(key as (typeof RATING_ORDER)[number]);
  if (exact >= 0) return exact;
  const alias = RATING_ALIASES[key.split(/[\s-]/)[0]!];
  return RATING_ORDER.indexOf(alias ?? 'not rated');
}

/** AO3's warning that no other warning applies: it cannot stand beside a real one. */
const NO_WARNINGS = 'no archive warnings apply';

/**
 * The tags of an omnibus from its parts' tags, in reading order: the
 * strictest rating alone (see RATING_ORDER; the first of equals), and the
 * union of every other group, each tag once whatever its case. "No Archive
 * Warnings Apply" is dropped when a part carries a real warning.
 */
export function omnibusTags(parts: ReadonlyArray<readonly Tag[]>): Tag[] {
  const tags: Tag[] = [];
  const seen = new Set<string>();
  let rating: Tag | undefined;
  for (const t of parts.flat()) {
    if (t.kind === 'rating') {
      if (!rating || ratingRank(t.name) > ratingRank(rating.name)) rating = t;
      continue;
    }
    const k = `${t.kind}\u0000${t.name.toLowerCase()}`;
    if (!seen.has(k)) {
      seen.add(k);
      tags.push(t);
    }
  }
  const realWarning = tags.some((t) => t.kind === 'warning' && t.name.toLowerCase() !== NO_WARNINGS);
  const kept = realWarning ? tags.filter((t) => !(t.kind === 'warning' && t.name.toLowerCase() === NO_WARNINGS)) : tags;
  return rating ? [rating, ...kept] : kept;
}

/**
 * Navigation label, in the author's own words: `1. The Atlas` (AO3's
 * `Chapter 1: The Atlas`), `Chapter One: The Road`, `Prologue`, `CHAPTER II`,
 * a title alone; `Chapter N` (its position) only for a chapter the source
 * neither numbered nor titled; the work's title for a one-chapter work.
 */
export function chapterLabel(work: Work, ch: Chapter): string {
  if (work.chapters.length === 1) return ch.title || work.metadata.title;
  // Where every chapter is AO3's own `Chapter N`, `3.` stands for it before a title; other labels are kept whole.
  const plain = work.chapters.every((c) => !c.label || /^Chapter \d{1,4}$/.test(c.label));
  const n = plain ? /^Chapter (\d{1,4})$/.exec(ch.label)?.[1] : undefined;
  if (ch.label && ch.title) return n !== undefined ? `${n}. ${ch.title}` : `${ch.label}: ${ch.title}`;
  return ch.label || ch.title || `Chapter ${ch.number}`;
}

/** The chapter's heading: its label as the kicker above its title (either may be empty). */
export function chapterHeading(work: Work, ch: Chapter): ChapterHeading {
  if (work.chapters.length === 1) return { kicker: '', title: ch.title || work.metadata.title };
  return { kicker: ch.label || (ch.title ? '' : `Chapter ${ch.number}`), title: ch.title };
}

/** The work's end notes, followed by AO3's "Works inspired by this one" when present. */
function endNotes(work: Work): Block[] {
  const blocks = [...work.notes.after];
  if (work.metadata.inspiredBy) {
    blocks.push({ type: 'heading', level: 1, children: [{ type: 'text', value: 'Works inspired by this one' }] });
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
  if (m.collections?.length) rows.push({ label: m.collections.length > 1 ? 'Collections' : 'Collection', values: m.collections });
  const stats: string[] = [];
  if (m.published) stats.push(`Published: ${m.published}`);
  if (m.updated) stats.push(`Updated: ${m.updated}`);
  stats.push(`Words: ${thousands(m.wordCount)}`);
  stats.push(`Chapters: ${m.chapterCount ?? `${work.chapters.length}/${work.chapters.length}`}`);
  rows.push({ label: 'Stats', values: stats });
  return rows;
}

/**
 * `12,345`: a count with comma thousands separators, as `toLocaleString('en-US')`
 * prints it, without its ICU set-up (10–60 ms on the first call of a process).
 */
export function thousands(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** The book's title as libraries and viewers show it: a volume's carries its label, `Title (Vol. 1 of 3)`. */
export function bookTitle(plan: BookPlan): string {
  return plan.volume ? `${plan.metadata.title} (${volumeLine(plan.volume)})` : plan.metadata.title;
}

/** `Vol. 1 of 3`, the line a volume's title page and cover carry. */
export function volumeLine(volume: { number: number; count: number }): string {
  return `Vol. ${volume.number} of ${volume.count}`;
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

/** A summary as plain text, for OPF descriptions and PDF subjects. */
export function summaryText(metadata: Metadata): string {
  return blockText(metadata.summary).replace(/\s+/g, ' ').trim();
}

/** The language as AO3 prints it, in itself (`Español`, `日本語`), or its tag when AO3 does not list it. */
export function languageName(code: string): string {
  return languageDisplayName(code) ?? code;
}
