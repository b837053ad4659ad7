import { resolveCover } from './cover-file.js';
import { readFile } from 'node:fs/promises';
import type * as Yaml from 'yaml';
import { lazy } from '../lazy.js';

const yaml = lazy<typeof Yaml>('yaml');
import { diagnostic, type Diagnostic } from '../diagnostics.js';
import { errorPosition, errorReason } from './parse-errors.js';
import type { SeriesInfo } from '../series.js';
import { decodeText } from './decode.js';
import { textToParagraphs } from './metadata-input.js';
import { didYouMean } from '../suggest.js';

/** Names of series metadata files in a folder. */
export const SERIES_FILES = ['series.yaml', 'series.yml', 'series.json'];

/**
 * Series metadata from a parsed object (a `series.yaml`, or a series entry
 * in front matter): `name` (which series), and optional `title`, `author` /
 * `authors`, `summary`, `cover` (an image path, relative to `file`).
 */
export function parseSeriesInfo(raw: unknown, file: string, fallbackName?: string): { info?: SeriesInfo; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) {
    return { diagnostics: [diagnostic('warning', 'series/bad-metadata', file, 'series metadata must be a map of keys to values; ignored it')] };
  }
  const r = raw as Record<string, unknown>;
  const str = (v: unknown) => (typeof v === 'string' && v.trim() ? v.trim() : typeof v === 'number' ? String(v) : undefined);
  const name = str(r.name) ?? str(r.series) ?? fallbackName;
  if (!name) {
    return { diagnostics: [diagnostic('warning', 'series/bad-metadata', file, "series metadata needs 'name:' (the series it describes); ignored it")] };
  }
  const info: SeriesInfo = { name, file };
  const title = str(r.title);
  if (title) info.title = title;
  const authors = Array.isArray(r.authors ?? r.author) ? (r.authors ?? r.author) as unknown[] : [r.authors ?? r.author];
  const names = authors.map(str).filter((a): a is string => !!a);
  if (names.length) info.authors = names;
  const summary = str(r.summary ?? r.description);
  if (summary) info.summary = textToParagraphs(summary);
  const cover = str(r.cover);
  if (cover) {
    const found = resolveCover(cover, file, 'series');
    if (found.diagnostic) diagnostics.push(found.diagnostic);
    if (found.path) {
      info.cover = found.path;
      // The picture's bytes are part of the omnibus's inputs (a new cover.jpg rebuilds it).
      info.coverHash = found.hash!;
    }
  }
  const known = new Set(['name', 'series', 'title', 'author', 'authors', 'summary', 'description', 'cover', 'part']);
  for (const k of Object.keys(r)) {
    if (known.has(k)) continue;
    const guess = didYouMean(k, known);
    diagnostics.push(diagnostic('warning', 'metadata/unknown-key', file, `unknown series key '${k}'; ignored it`, guess ? { hint: `did you mean '${guess}'?` } : {}));
  }
  return { info, diagnostics };
}

/** Read a `series.yaml` / `series.yml` / `series.json` file. */
export async function loadSeriesFile(file: string, fallbackName?: string): Promise<{ info?: SeriesInfo; diagnostics: Diagnostic[]; bytes?: Uint8Array }> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(file);
  } catch {
    return { diagnostics: [diagnostic('error', 'input/unreadable', file, 'cannot read the series file')] };
  }
  const decoded = decodeText(bytes, file);
  if (!decoded.text) return { diagnostics: decoded.diagnostics, bytes };
  let raw: unknown;
  try {
    raw = file.endsWith('.json') ? JSON.parse(decoded.text) : yaml().parse(decoded.text, { maxAliasCount: 100, prettyErrors: false });
  } catch (err) {
    return { diagnostics: [diagnostic('warning', 'series/bad-metadata', file, `series file cannot be read: ${errorReason(err)}; ignored it`, errorPosition(err, decoded.text) ?? {})], bytes };
  }
  return { ...parseSeriesInfo(raw, file, fallbackName), bytes };
}
