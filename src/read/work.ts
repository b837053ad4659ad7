import { createHash } from 'node:crypto';
import { diagnostic, type Diagnostic } from '../diagnostics.js';
import { hasContent, storyWordCount } from '../model/text.js';
import type { Chapter, Metadata, Tag, Work } from '../model/types.js';
import { splitFrontMatter } from './front-matter.js';
import { readMarkdown } from './markdown.js';
import type { MetadataInput } from './metadata-input.js';
import { dirname } from 'node:path';
import { readHtml } from './ao3-html.js';
import { settleTitleByline } from './ao3-meta.js';
import type { Draft } from './draft.js';
import { mergeSeries, readScrape } from './scrape.js';
import type { SeriesInfo } from '../series.js';

export type InputKind = 'text' | 'markdown' | 'html' | 'epub';

export interface BuildWorkInput {
  /** Decoded text of the story file. */
  text: string;
  /** The path to name in messages and to record as the work's source. */
  file: string;
  kind: InputKind;
  /** Metadata from a sidecar file, when there is one. */
  sidecar?: MetadataInput;
  /** Name of the sidecar, for messages. */
  sidecarFile?: string;
  /** Metadata given for the whole build (`-M key=value`, a config's `metadata:`): over everything else. */
  override?: MetadataInput;
}

export interface WorkResult {
  work?: Work;
  diagnostics: Diagnostic[];
  /** Series metadata the work's front matter or sidecar gave. */
  seriesInfo?: SeriesInfo[];
}

/**
 * Pure: text (plus optional sidecar metadata) → a Work in the chapter model.
 * Front matter is split off here; the format reader gives the structure; the
 * metadata is merged (front matter over sidecar over what the source says)
 * and completed with fallbacks and their warnings.
 */
export function buildWork(input: BuildWorkInput): WorkResult {
  const { file } = input;
  // HTML has no front matter; its metadata is in the document (and an optional sidecar).
  const fm = input.kind === 'html' ? { input: {}, body: input.text, diagnostics: [], failed: false } : splitFrontMatter(input.text, file);
  if (fm.failed) return { diagnostics: fm.diagnostics };
  const draft: Draft =
    input.kind === 'markdown' ? readMarkdown(fm.body, file, dirname(file)) : input.kind === 'html' ? readHtml(fm.body, file, dirname(file)) : readScrape(fm.body, file);
  const result = assembleWork({
    draft,
    file,
    kind: input.kind,
    frontMatter: fm.input,
    ...(input.sidecar ? { sidecar: input.sidecar } : {}),
    ...(input.sidecarFile ? { sidecarFile: input.sidecarFile } : {}),
    ...(input.override ? { override: input.override } : {}),
  });
  return { ...result, diagnostics: [...fm.diagnostics, ...result.diagnostics] };
}

export interface AssembleInput {
  /** What the format's reader made of the file. */
  draft: Draft;
  file: string;
  kind: InputKind;
  /** Metadata from the file's own front matter. */
  frontMatter?: MetadataInput;
  sidecar?: MetadataInput;
  sidecarFile?: string;
  /** Metadata given for the whole build (`-M`): wins over front matter and sidecar. */
  override?: MetadataInput;
}

/**
 * Pure: a reader's draft → a Work: the user's metadata (front matter over
 * sidecar) merged over what the source says, fallbacks chosen with their
 * warnings, chapters numbered, empty ones dropped.
 */
export function assembleWork(input: AssembleInput): WorkResult {
  const { file, draft } = input;
  const frontMatter = input.frontMatter ?? {};
  const diagnostics: Diagnostic[] = [...draft.diagnostics];
  const user: MetadataInput = { ...(input.sidecar ?? {}), ...frontMatter, ...(input.override ?? {}) };
  if (input.sidecar && Object.keys(frontMatter).length) {
    const both = Object.keys(frontMatter).filter((k) => k in input.sidecar!);
    if (both.length) {
      diagnostics.push(
        diagnostic('info', 'metadata/overridden', file, `front matter overrides ${input.sidecarFile ?? 'the sidecar'} for ${both.join(', ')}`),
      );
    }
  }

  const chapters: Chapter[] = draft.chapters
    .filter((c) => hasContent(c.blocks) || hasContent(c.notes.before) || hasContent(c.notes.after) || c.title)
    .map((c, i) => ({
      id: `ch${i + 1}`,
      label: c.label ?? '',
      title: c.title,
      number: i + 1,
      summary: c.summary,
      notes: c.notes,
      blocks: c.blocks,
      footnotes: c.footnotes ?? [],
    }));
  if (!chapters.some((c) => hasContent(c.blocks))) {
    diagnostics.push(diagnostic('error', 'input/no-story', file, 'found no story text (only labels, notes or metadata)'));
    return { diagnostics };
  }
  // An AO3 page's title and byline run together: what the user gave settles where one ends.
  const settled = draft.titleByline ? settleTitleByline(draft.titleByline, user.title, user.authors) : {};
  let title = user.title ?? settled.title;
  if (!title && draft.titleHint) title = draft.titleHint;
  if (!title) {
    title = readableFileName(file);
    diagnostics.push(
      diagnostic('warning', 'metadata/no-title', file, 'no title; using the file name', {
        hint: 'add a title in front matter or a sidecar .yaml',
      }),
    );
  }
  const authors = user.authors ?? settled.authors ?? draft.authors ?? [];
  if (!authors.length) {
    diagnostics.push(diagnostic('warning', 'metadata/no-author', file, 'no author; the book will name none', { hint: "add 'author:' in front matter or a sidecar" }));
  }
  const metadata: Metadata = {
    title,
    authors,
    language: user.language ?? draft.meta.language ?? 'en',
    summary: user.summary ?? draft.meta.summary ?? [],
    tags: mergeTags(draft.meta.tags ?? [], user.tags ?? []),
    series: mergeSeries([], user.series ?? draft.meta.series ?? []),
    wordCount: storyWordCount(chapters),
  };
  const published = user.published ?? draft.meta.published;
  const updated = user.updated ?? draft.meta.updated;
  if (published) metadata.published = published;
  if (updated) metadata.updated = updated;
  const sourceUrl = user.sourceUrl ?? draft.sourceUrl;
  if (sourceUrl) metadata.sourceUrl = sourceUrl;
  if (draft.meta.chapterCount) metadata.chapterCount = draft.meta.chapterCount;
  if (draft.meta.inspiredBy) metadata.inspiredBy = draft.meta.inspiredBy;
  if (draft.meta.collections?.length) metadata.collections = draft.meta.collections;
  if (user.cover) metadata.cover = user.cover;

  const work: Work = {
    id: workId(file),
    source: file,
    origin: { reader: input.kind, flat: draft.flat },
    metadata,
    notes: draft.notes,
    chapters,
  };
  return { work, diagnostics, ...(user.seriesInfo ? { seriesInfo: user.seriesInfo } : {}) };
}


function mergeTags(a: Tag[], b: Tag[]): Tag[] {
  const seen = new Set<string>();
  const out: Tag[] = [];
  for (const t of [...a, ...b]) {
    const key = `${t.kind}\u0000${t.name.toLowerCase()}`;
    if (!seen.has(key)) {
      seen.add(key);
      out.push(t);
    }
  }
  return out;
}

/**
 * `works/the_tide-turns.txt` → `The Tide Turns`. Hashes and ids keep their
 * case (`000_bd273e0fc3045fb2` → `000 bd273e0fc3045fb2`).
 */
export function readableFileName(file: string): string {
  const base = file.replace(/\\/g, '/').split('/').pop() ?? file;
  const stem = base.replace(/\.[^.]+$/, '');
  const words = stem.replace(/[_\-.]+/g, ' ').replace(/\s+/g, ' ').trim();
  if (!words) return 'Untitled';
  return words.replace(/(^|\s)(\p{Ll})(\S*)/gu, (m, sp: string, c: string, rest: string) => (looksLikeId(c + rest) ? m : sp + c.toUpperCase() + rest));
}

/** A hash or id, not a word: hex with digits (`bd273e0fc3045fb2`), or letters after digits inside it (`x7k2q`). */
function looksLikeId(word: string): boolean {
  return (/^[0-9a-f]{8,}$/.test(word) && /\d/.test(word)) || /\d\p{L}/u.test(word);
}

/** A short stable id from the source path. */
function workId(file: string): string {
  return 'w' + createHash('sha256').update(file.replace(/\\/g, '/')).digest('hex').slice(0, 12);
}
