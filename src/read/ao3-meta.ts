import type { Element } from 'domhandler';
import { diagnostic, type Diagnostic } from '../diagnostics.js';
import type { Tag, TagKind } from '../model/types.js';
import type { SourceMetadata } from './draft.js';
import { elements, findAll, text } from './html-dom.js';
import { normalizeDate, normalizeLanguage } from './metadata-input.js';
import { mergeSeries } from './series-merge.js';
import { parseSeriesTrailer } from './trailer.js';

/**
 * AO3's work metadata as text: the stats line and the title and byline that
 * follow it on a work page. Shared by the scrape and HTML readers.
 */

/** The stats AO3 shows, in its order; each is `Name: value`. */
const STAT = /^[\s·•|,;]*(Published|Updated|Completed|Words|Chapters|Comments|Kudos|Bookmarks|Hits):\s*(\d[\d,.\-/?]*|\?)/;

/**
 * AO3's stats (`Published: 2023-11-01 Updated: … Words: 2,904 Chapters: 3/?
 * … Hits: 2904`) → dates and chapter count. Returns the text after the last
 * stat: on a work page scraped as text, the work's title and byline follow it.
 */
export function readStats(v: string, meta: SourceMetadata): string {
  const values = new Map<string, string>();
  let rest = v;
  for (let m = STAT.exec(rest); m; m = STAT.exec(rest)) {
    values.set(m[1]!, m[2]!);
    rest = rest.slice(m[0].length);
  }
  if (!values.size) {
    // Not the usual order or form: find each stat wherever it stands, and keep nothing after.
    for (const name of ['Published', 'Updated', 'Completed', 'Chapters']) {
      const m = new RegExp(`${name}:\\s*(\\S+)`).exec(v);
      if (m) values.set(name, m[1]!);
    }
    rest = '';
  }
  const published = normalizeDate(values.get('Published') ?? '');
  const updated = normalizeDate(values.get('Updated') ?? values.get('Completed') ?? '');
  if (published) meta.published = published;
  if (updated) meta.updated = updated;
  const chapters = values.get('Chapters');
  if (chapters && /^\d+\/(\d+|\?)$/.test(chapters)) meta.chapterCount = chapters;
  return rest;
}

/** One AO3 pseud as a byline shows it: `name` or `name (login)`; pseuds are ASCII letters, digits, `_`, `-` and spaces. */
const PSEUD = "[A-Za-z0-9_][A-Za-z0-9_-]*(?: \\([A-Za-z0-9_]+\\))?";
/** A title followed by a byline of one-word pseuds, comma-separated, on one line. */
const TITLE_THEN_BYLINE = new RegExp(`^(.*?\\S)\\s+(${PSEUD}(?:,\\s*${PSEUD})*)$`);

/** A byline's authors: `a, b and c` → [a, b, c]. */
export function parseByline(byline: string): string[] {
  return byline
    .replace(/^by\s+/i, '')
    .split(/\s*,\s*(?:and\s+)?|\s+and\s+/)
    .map((a) => a.trim())
    .filter(Boolean);
}

export interface TitleByline {
  title: string;
  authors: string[];
  /** True when the split was a guess (title and byline on one line). */
  guessed: boolean;
}

/**
 * The title and byline of an AO3 work page as text: on two lines when the
 * scrape kept line breaks, else run together on one, where the byline is
 * taken to be the trailing pseuds (one word each, as most are).
 */
export function splitTitleByline(text: string): TitleByline | undefined {
  const lines = text.split('\n').map((l) => l.replace(/\s+/g, ' ').trim()).filter(Boolean);
  if (!lines.length) return undefined;
  if (lines.length >= 2) return { title: lines.slice(0, -1).join(' '), authors: parseByline(lines[lines.length - 1]!), guessed: false };
  const line = lines[0]!;
  const m = TITLE_THEN_BYLINE.exec(line);
  if (!m) return { title: line, authors: [], guessed: true };
  return { title: m[1]!, authors: parseByline(m[2]!), guessed: true };
}

/**
 * Settle a run-together title and byline with what the user gave: a known
 * title leaves the byline after it, known authors leave the title before them.
 */
export function settleTitleByline(text: string, title?: string, authors?: readonly string[]): { title?: string; authors?: string[] } {
  const line = text.replace(/\s+/g, ' ').trim();
  const norm = (s: string) => s.replace(/\s+/g, ' ').trim().toLowerCase();
  if (title && !authors?.length && norm(line).startsWith(norm(title))) {
    const rest = line.slice(norm(title).length).trim();
    return rest ? { authors: parseByline(rest) } : {};
  }
  if (authors?.length && !title) {
    for (const byline of [authors.join(', '), authors.join(' and ')]) {
      if (norm(line).endsWith(norm(byline))) {
        const rest = line.slice(0, line.length - byline.length).trim();
        if (rest) return { title: rest };
      }
    }
  }
  return {};
}

const TAG_LABELS: Array<[RegExp, TagKind]> = [
  [/^ratings?$/i, 'rating'],
  [/^archive warnings?$/i, 'warning'],
  [/^categor(?:y|ies)$/i, 'category'],
  [/^fandoms?$/i, 'fandom'],
  [/^relationships?$/i, 'relationship'],
  [/^characters?$/i, 'character'],
  [/^additional tags?$/i, 'freeform'],
];

/**
 * AO3's tag list as HTML (`dl.tags` in a download, `dl.work.meta` on a work
 * page): each `dt` label with its `dd` — tag groups by kind, language,
 * series, collections and stats.
 */
export function readTags(dl: Element, meta: SourceMetadata, diagnostics: Diagnostic[], file: string): void {
  const tags: Tag[] = [];
  let label = '';
  // HTML lets a list group each label with its values in a div (Quire's own title page does).
  for (const el of elements(dl).flatMap((c) => (c.name === 'div' ? elements(c) : [c]))) {
    if (el.name === 'dt') {
      label = text(el).replace(/:$/, '');
      continue;
    }
    if (el.name !== 'dd') continue;
    const kind = TAG_LABELS.find(([re]) => re.test(label))?.[1];
    if (kind) {
      const anchors = findAll(el.children, (a) => a.name === 'a').map((a) => text(a)).filter(Boolean);
      const names = anchors.length ? anchors : text(el).split(',').map((x) => x.trim()).filter(Boolean);
      for (const name of names) tags.push({ kind, name });
    } else if (/^language$/i.test(label)) {
      const lang = normalizeLanguage(text(el));
      if (lang) meta.language = lang;
      else diagnostics.push(diagnostic('warning', 'metadata/bad-language', file, `unknown language '${text(el)}'; using 'en'`));
    } else if (/^series$/i.test(label)) {
      const parsed = parseSeriesTrailer(text(el).replace(/,\s*(?=Part\s+\d)/g, ' '));
      meta.series = mergeSeries(meta.series ?? [], parsed.series);
      for (const r of parsed.rejected) diagnostics.push(diagnostic('warning', 'series/bad-part', file, `series entry '${r}' has no sane part number; ignored it`));
    } else if (/^collections?$/i.test(label)) {
      const names = findAll(el.children, (a) => a.name === 'a').map((a) => text(a)).filter(Boolean);
      meta.collections = names.length ? names : text(el).split(',').map((c) => c.trim()).filter(Boolean);
    } else if (/^stats$/i.test(label)) {
      readStats(text(el), meta);
    }
  }
  if (tags.length) meta.tags = tags;
}
