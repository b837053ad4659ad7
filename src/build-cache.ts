import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { readJson } from './write/output.js';

/**
 * `out/.quire-cache.json`: for each book in the output folder, what it was
 * built from (a key over every input and option) and what was written (its
 * size and SHA-256), so that a rebuild skips a book only when its inputs are
 * unchanged and the file is still the one Quire wrote.
 */

export const CACHE_FILE = '.quire-cache.json';

export interface CacheEntry {
  /** Hash of everything the book was built from. */
  key: string;
  /** Bytes written. */
  size: number;
  /** SHA-256 of the bytes written, hex. */
  sha256: string;
  /** What the writer said about the book (a binder's summary), shown again when it is up to date. */
  summary?: string[];
  /** The generated cover it carries and the page map it was made with (see cover-store.ts). */
  cover?: string;
  pages?: string;
}

export interface BuildCache {
  version: string;
  books: Record<string, CacheEntry>;
}

/**
 * The cache as recorded: its text (to tell whether it needs rewriting) and
 * its entries by book name — none when it is missing, unreadable or from
 * another Quire version.
 */
export async function loadCache(path: string, version: string): Promise<{ text?: string; books: Record<string, CacheEntry> }> {
  const raw = await readJson(path);
  const books: Record<string, CacheEntry> = {};
  if (!raw || typeof raw !== 'object') return { books };
  const text = serializeCache(raw as BuildCache);
  const c = raw as Partial<BuildCache>;
  if (c.version !== version || !c.books || typeof c.books !== 'object') return { text, books };
  for (const [name, e] of Object.entries(c.books)) {
    if (e && typeof e === 'object' && typeof e.key === 'string' && typeof e.size === 'number' && typeof e.sha256 === 'string') {
      books[name] = {
        key: e.key,
        size: e.size,
        sha256: e.sha256,
        ...(Array.isArray(e.summary) && e.summary.every((l) => typeof l === 'string') ? { summary: e.summary } : {}),
        ...(typeof e.cover === 'string' ? { cover: e.cover } : {}),
        ...(typeof e.pages === 'string' ? { pages: e.pages } : {}),
      };
    }
  }
  return { text, books };
}

/** The entry for bytes just written. */
export function cacheEntry(key: string, bytes: Uint8Array, summary?: string[]): CacheEntry {
  return { key, size: bytes.byteLength, sha256: createHash('sha256').update(bytes).digest('hex'), ...(summary?.length ? { summary } : {}) };
}

/** True when `path` is a regular file of the recorded size and hash: the book Quire wrote, undamaged. */
export async function isIntact(path: string, entry: CacheEntry): Promise<boolean> {
  try {
    const info = await stat(path);
    if (!info.isFile() || info.size !== entry.size) return false;
    return (await hashFile(path)) === entry.sha256;
  } catch {
    return false;
  }
}

/** True when `path` is still a regular file (an entry for a book not in this build is kept only then). */
export async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

function hashFile(path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const h = createHash('sha256');
    createReadStream(path)
      .on('data', (chunk) => h.update(chunk))
      .on('error', reject)
      .on('end', () => resolve(h.digest('hex')));
  });
}

/** The cache as it will be written: entries sorted by name, for stable bytes. */
export function serializeCache(cache: BuildCache): string {
  const books = Object.fromEntries(Object.entries(cache.books ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  return JSON.stringify({ version: cache.version, books }, null, 1) + '\n';
}
