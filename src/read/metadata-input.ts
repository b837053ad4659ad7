import { diagnostic, type Diagnostic } from '../diagnostics.js';
import { textParagraph } from '../model/text.js';
import type { Block, SeriesMembership, Tag, TagKind } from '../model/types.js';
import type { SeriesInfo } from '../series.js';
import { languageTag } from '../languages.js';
import { didYouMean } from '../suggest.js';
import { parseSeriesInfo } from './series-info.js';
import { resolveCover } from './cover-file.js';

/**
 * Metadata a user wrote by hand (YAML front matter or a sidecar file), checked
 * once on the way in. Every field is optional: readers merge it over what the
 * source itself says.
 */
export interface MetadataInput {
  title?: string;
  authors?: string[];
  language?: string;
  summary?: Block[];
  tags?: Tag[];
  series?: SeriesMembership[];
  published?: string;
  updated?: string;
  sourceUrl?: string;
  /** The book's cover: an absolute path to a PNG or JPEG file that exists. */
  cover?: string;
  /** Series metadata given inside a series entry (`series: {name, part, summary}`). */
  seriesInfo?: SeriesInfo[];
}

/** The largest part number we believe; anything above is a typo or garbage. */
export const MAX_PART = 9999;

const KEY_ALIASES: Record<string, string> = {
  title: 'title',
  author: 'authors',
  authors: 'authors',
  creator: 'authors',
  creators: 'authors',
  language: 'language',
  lang: 'language',
  summary: 'summary',
  description: 'summary',
  series: 'series',
  part: 'part',
  tags: 'tags',
  published: 'published',
  date: 'published',
  updated: 'updated',
  completed: 'updated',
  url: 'sourceUrl',
  source: 'sourceUrl',
  sourceurl: 'sourceUrl',
  link: 'sourceUrl',
  cover: 'cover',
};

/** Keys that hold one tag group, in both singular and plural spellings. */
const TAG_KEYS: Record<string, TagKind> = {
  rating: 'rating',
  ratings: 'rating',
  warning: 'warning',
  warnings: 'warning',
  archivewarning: 'warning',
  archivewarnings: 'warning',
  category: 'category',
  categories: 'category',
  fandom: 'fandom',
  fandoms: 'fandom',
  relationship: 'relationship',
  relationships: 'relationship',
  pairing: 'relationship',
  pairings: 'relationship',
  character: 'character',
  characters: 'character',
  freeform: 'freeform',
  additionaltags: 'freeform',
  tags: 'freeform',
};

/** Tag keys as people spell them, for suggestions (`archivewarnings` is a normalized form, not a spelling). */
const KNOWN_TAG_KEYS = ['rating', 'warnings', 'archive warnings', 'category', 'categories', 'fandom', 'fandoms', 'relationship', 'relationships', 'pairing', 'characters', 'character', 'freeform', 'additional tags', 'tags'];

function normKey(key: string): string {
  return key.toLowerCase().replace(/[\s_-]+/g, '');
}

/**
 * Check a parsed YAML/JSON value and turn it into typed metadata. Unknown keys
 * and values of the wrong shape become warnings; nothing here throws.
 */
export function parseMetadataInput(raw: unknown, file: string): { input: MetadataInput; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const input: MetadataInput = {};
  const warn = (code: string, message: string) => diagnostics.push(diagnostic('warning', code, file, message));
  if (raw === null || raw === undefined) return { input, diagnostics };
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    warn('metadata/not-a-map', 'metadata must be a map of keys to values; ignored it');
    return { input, diagnostics };
  }
  const tags: Tag[] = [];
  let seriesValue: unknown;
  let partValue: unknown;
  for (const [key, value] of Object.entries(raw as Record<string, unknown>)) {
    const nk = normKey(key);
    const field = KEY_ALIASES[nk];
    const tagKind = TAG_KEYS[nk];
    if (field === 'tags' && value !== null && typeof value === 'object' && !Array.isArray(value)) {
      // `tags: { fandom: [...], characters: [...] }`
      for (const [groupKey, groupValue] of Object.entries(value as Record<string, unknown>)) {
        const kind = TAG_KEYS[normKey(groupKey)];
        if (!kind) {
          warn('metadata/unknown-tag-group', `unknown tag group '${groupKey}'; read its tags as additional tags`);
        }
        for (const name of stringList(groupValue)) tags.push({ kind: kind ?? 'freeform', name });
      }
      continue;
    }
    if (tagKind && field !== 'tags') {
      for (const name of stringList(value)) tags.push({ kind: tagKind, name });
      continue;
    }
    switch (field) {
      case 'title': {
        const s = scalarString(value);
        if (s) input.title = s;
        else warn('metadata/bad-title', 'title must be text; ignored it');
        break;
      }
      case 'authors': {
        const list = stringList(value);
        if (list.length) input.authors = list;
        else warn('metadata/bad-author', 'author must be a name or a list of names; ignored it');
        break;
      }
      case 'language': {
        const lang = normalizeLanguage(scalarString(value) ?? '');
        if (lang) input.language = lang;
        else warn('metadata/bad-language', `language '${String(value)}' is not a language code such as 'en'; using 'en'`);
        break;
      }
      case 'summary': {
        // Keep its blank lines (paragraphs); drop other control characters.
        const s = typeof value === 'string' ? value.replace(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\ufffe\uffff]/g, ' ') : scalarString(value);
        if (s && s.trim()) input.summary = textToParagraphs(s);
        break;
      }
      case 'tags':
        for (const name of stringList(value)) tags.push({ kind: 'freeform', name });
        break;
      case 'published':
      case 'updated': {
        const date = normalizeDate(value);
        if (date) input[field] = date;
        else warn('metadata/bad-date', `${key} '${String(value)}' is not a date (YYYY-MM-DD); ignored it`);
        break;
      }
      case 'sourceUrl': {
        const s = scalarString(value);
        if (s && /^https?:\/\/\S+$/i.test(s)) input.sourceUrl = s;
        else warn('metadata/bad-url', `${key} must be an http(s) URL; ignored it`);
        break;
      }
      case 'cover': {
        const s = scalarString(value);
        const found = s ? resolveCover(s, file, 'metadata') : { diagnostic: diagnostic('warning', 'metadata/missing-cover', file, 'cover must be the path of a PNG or JPEG file; ignored it') };
        if (found.diagnostic) diagnostics.push(found.diagnostic);
        if (found.path) input.cover = found.path;
        break;
      }
      case 'series':
        seriesValue = value;
        break;
      case 'part':
        partValue = value;
        break;
      default: {
        const guess = didYouMean(key, [...Object.keys(KEY_ALIASES), ...KNOWN_TAG_KEYS]);
        diagnostics.push(diagnostic('warning', 'metadata/unknown-key', file, `unknown metadata key '${key}'; ignored it`, guess ? { hint: `did you mean '${guess}'?` } : {}));
      }
    }
  }
  if (tags.length) input.tags = dedupeTags(tags);
  if (seriesValue !== undefined || partValue !== undefined) {
    input.series = parseSeriesValue(seriesValue, partValue, warn);
    // A series entry may describe its series too: {name, part, summary, author, cover}.
    const entries = Array.isArray(seriesValue) ? seriesValue : seriesValue && typeof seriesValue === 'object' ? [seriesValue] : [];
    for (const e of entries) {
      if (!e || typeof e !== 'object' || Array.isArray(e)) continue;
      const keys = Object.keys(e as object);
      if (!keys.some((k) => ['summary', 'description', 'author', 'authors', 'cover'].includes(k) || (k === 'title' && 'name' in (e as object)))) continue;
      const { part: _part, ...rest } = e as Record<string, unknown>;
      const parsed = parseSeriesInfo(rest, file);
      diagnostics.push(...parsed.diagnostics);
      if (parsed.info) (input.seriesInfo ??= []).push(parsed.info);
    }
  }
  return { input, diagnostics };
}

function parseSeriesValue(
  value: unknown,
  part: unknown,
  warn: (code: string, message: string) => void,
): SeriesMembership[] {
  const out: SeriesMembership[] = [];
  const add = (name: unknown, p: unknown) => {
    const n = scalarString(name);
    if (!n) {
      warn('metadata/bad-series', 'a series needs a name; ignored it');
      return;
    }
    const num = parsePart(p);
    if (num === undefined) {
      warn(
        'series/bad-part',
        p === undefined
          ? `series '${n}' has no part number; add 'part: N'`
          : `series '${n}' has part '${String(p)}', which is not a whole number from 1 to ${MAX_PART}; ignored the series`,
      );
      return;
    }
    out.push({ name: n, part: num });
  };
  if (value === undefined) {
    warn('metadata/bad-series', "'part' is given without 'series'; ignored it");
  } else if (Array.isArray(value)) {
    if (part !== undefined) warn('metadata/bad-series', "'part' goes inside each entry of a series list; ignored it");
    for (const entry of value) {
      if (entry && typeof entry === 'object' && !Array.isArray(entry)) {
        const e = entry as Record<string, unknown>;
        add(e.name ?? e.title ?? e.series, e.part);
      } else {
        warn('metadata/bad-series', 'each entry of a series list needs a name and a part, like {name: X, part: 2}');
      }
    }
  } else if (value && typeof value === 'object') {
    const e = value as Record<string, unknown>;
    add(e.name ?? e.title, e.part ?? part);
  } else {
    add(value, part);
  }
  return out;
}

/** A positive whole part number, or undefined. Accepts `3`, `"3"`, `3.0`. */
export function parsePart(value: unknown): number | undefined {
  let n: number;
  if (typeof value === 'number') n = value;
  else if (typeof value === 'string' && /^\s*\d+\s*$/.test(value)) n = Number(value);
  else return undefined;
  if (!Number.isInteger(n) || n < 1 || n > MAX_PART) return undefined;
  return n;
}

/** Characters XML cannot carry or that only disturb a title (controls, line separators). */
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\ufffe\uffff]+/g;

/** A metadata string made safe to print anywhere: controls become spaces, runs of space collapse. */
export function cleanString(s: string): string {
  return s.replace(UNSAFE, ' ').replace(/\s+/g, ' ').trim();
}

function scalarString(value: unknown): string | undefined {
  if (typeof value === 'string') return cleanString(value) || undefined;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}

function stringList(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap((v) => (scalarString(v) ? [scalarString(v)!] : []));
  const s = scalarString(value);
  if (!s) return [];
  // `fandom: A, B` — commas separate tags, as on AO3.
  return s
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean);
}

function dedupeTags(tags: Tag[]): Tag[] {
  const seen = new Set<string>();
  return tags.filter((t) => {
    const key = `${t.kind}\u0000${t.name.toLowerCase()}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/**
 * `en`, `en-GB`, `zh-Hant`, AO3's own codes (`ptBR`), or a language name as
 * AO3 prints it (`English`, `עברית`, `中文-广东话 粵語`) or in English (`Hebrew`)
 * → a BCP 47 tag.
 */
export function normalizeLanguage(value: string): string | undefined {
  const v = value.trim();
  const named = languageTag(v);
  if (named) return named;
  if (/^[a-z]{2,3}(-[a-z0-9]{2,8})*$/i.test(v)) {
    const [primary, ...rest] = v.split('-');
    return [primary!.toLowerCase(), ...rest.map((r) => (r.length === 2 ? r.toUpperCase() : r.length === 4 ? r[0]!.toUpperCase() + r.slice(1).toLowerCase() : r.toLowerCase()))].join('-');
  }
  return undefined;
}

/** A date as `YYYY-MM-DD` from a YAML date, an ISO string, or a Date. */
export function normalizeDate(value: unknown): string | undefined {
  if (value instanceof Date && !Number.isNaN(value.getTime())) return value.toISOString().slice(0, 10);
  if (typeof value !== 'string') return undefined;
  const m = /^\s*(\d{4})-(\d{2})-(\d{2})(?:[T ][\d:.]+(?:Z|[+-]\d{2}:?\d{2})?)?\s*$/.exec(value);
  if (!m) return undefined;
  const [, y, mo, d] = m;
  const date = new Date(`${y}-${mo}-${d}T00:00:00Z`);
  if (Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== `${y}-${mo}-${d}`) return undefined;
  return `${y}-${mo}-${d}`;
}

/** Plain text with blank lines between paragraphs → paragraph blocks. */
export function textToParagraphs(text: string): Block[] {
  return text
    .split(/\n\s*\n/)
    .map((p) => p.replace(/\s+/g, ' ').trim())
    .filter(Boolean)
    .map(textParagraph);
}
