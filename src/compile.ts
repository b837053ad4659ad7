import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { diagnostic, type Diagnostic } from './diagnostics.js';
import { discover } from './discover.js';
import type { Work } from './model/types.js';
import { normalize } from './normalize/index.js';
import { loadWork } from './read/load.js';
import { GENERATOR, VERSION } from './version.js';
import { writeEpub } from './write/epub/index.js';
import { outputPath, readJson, writeAtomic } from './write/output.js';
import { writePdf, type PdfTheme } from './write/pdf/index.js';
import { uniqueSlugs } from './write/slug.js';

/**
 * The one place the stages meet: discover → read → normalize → write.
 * Everything the stages need comes in through the options; everything they
 * found goes out through the report. Nothing here prints.
 */

export type Format = 'epub' | 'pdf';

export interface Styles {
  css: string;
  theme: PdfTheme;
  /** Hash of the style files, part of every book's input identity. */
  hash: string;
}

export interface LoadedInput {
  work: Work;
  /** Hash of every input file of the work. */
  inputHash: string;
}

export interface ReadReport {
  works: LoadedInput[];
  diagnostics: Diagnostic[];
  /** Files that could not be turned into a work. */
  failed: string[];
}

/** Find and read every work under `paths` (no output is written). */
export async function readAll(paths: readonly string[], skipPasses: ReadonlySet<string> = new Set()): Promise<ReadReport> {
  const found = await discover(paths);
  const diagnostics = [...found.diagnostics];
  const works: LoadedInput[] = [];
  const failed: string[] = [];
  for (const file of found.files) {
    const loaded = await loadWork(file);
    diagnostics.push(...loaded.diagnostics);
    if (!loaded.work) {
      failed.push(file);
      continue;
    }
    const h = createHash('sha256');
    for (const input of loaded.inputs) h.update(input.path).update('\u0000').update(input.bytes).update('\u0000');
    works.push({ work: normalize(loaded.work, skipPasses), inputHash: h.digest('hex') });
  }
  // Discovery errors (a path that does not exist) count as failures too.
  for (const d of found.diagnostics) if (d.severity === 'error') failed.push(d.file);
  return { works, diagnostics, failed };
}

/** Load styles/epub.css and styles/pdf-theme.json from the package. */
export async function loadStyles(dir = fileURLToPath(new URL('../styles/', import.meta.url))): Promise<Styles> {
  const css = await readFile(`${dir}/epub.css`, 'utf8');
  const themeText = await readFile(`${dir}/pdf-theme.json`, 'utf8');
  const theme = JSON.parse(themeText) as PdfTheme;
  const hash = createHash('sha256').update(css).update('\u0000').update(themeText).digest('hex');
  return { css, theme, hash };
}

export interface BuildOptions {
  paths: string[];
  outDir: string;
  formats: Format[];
  force: boolean;
  sourceDateEpoch?: number;
  styles: Styles;
  /** PDF page size (`--page-size`): a preset name or WxH in mm. */
  pageSize?: string;
  /** Normalize passes and typography rules switched off (`--skip`). */
  skip?: ReadonlySet<string>;
  /** Called as each book is written or skipped (for progress output). */
  onBook?: (event: BookEvent) => void;
}

export interface BookEvent {
  work: Work;
  format: Format;
  /** Where the book is, inside the output folder. */
  path: string;
  /** The book's name relative to the output folder. */
  name: string;
  status: 'built' | 'skipped' | 'failed';
}

export interface BuildReport {
  diagnostics: Diagnostic[];
  books: BookEvent[];
  works: number;
  /** Source files that failed to read or to write. */
  failed: string[];
}

const CACHE_FILE = '.quire-cache.json';

interface Cache {
  version: string;
  books: Record<string, string>;
}

/** Build every work found under `options.paths` into `options.outDir`. */
export async function build(options: BuildOptions): Promise<BuildReport> {
  const skip = options.skip ?? new Set<string>();
  const read = await readAll(options.paths, skip);
  const diagnostics = [...read.diagnostics];
  const failed = new Set(read.failed);
  const books: BookEvent[] = [];
  const slugs = uniqueSlugs(read.works.map(({ work }) => ({ key: work.source, title: work.metadata.title })));

  const cachePath = outputPath(options.outDir, CACHE_FILE);
  const previous = (await readJson(cachePath)) as Cache | undefined;
  const cache: Cache = { version: VERSION, books: {} };
  const oldBooks = previous && previous.version === VERSION && previous.books ? previous.books : {};

  for (const { work, inputHash } of read.works) {
    const slug = slugs.get(work.source)!;
    for (const format of options.formats) {
      const name = `${slug}.${format}`;
      const path = outputPath(options.outDir, name);
      const key = createHash('sha256')
        .update(JSON.stringify({ v: VERSION, format, input: inputHash, styles: options.styles.hash, sde: options.sourceDateEpoch ?? null, name, skip: [...skip].sort(), page: format === 'pdf' ? (options.pageSize ?? null) : null }))
        .digest('hex');
      if (!options.force && oldBooks[name] === key && (await exists(path))) {
        cache.books[name] = key;
        const event: BookEvent = { work, format, path, name, status: 'skipped' };
        books.push(event);
        options.onBook?.(event);
        continue;
      }
      try {
        const bytes =
          format === 'epub'
            ? await writeEpub(work, { css: options.styles.css, generator: GENERATOR, ...sde(options) })
            : await writePdf(work, {
                theme: options.styles.theme,
                generator: GENERATOR,
                ...sde(options),
                ...(options.pageSize ? { pageSize: options.pageSize } : {}),
                warn: (d) => diagnostics.push(d),
              });
        await writeAtomic(path, bytes);
        cache.books[name] = key;
        const event: BookEvent = { work, format, path, name, status: 'built' };
        books.push(event);
        options.onBook?.(event);
      } catch (err) {
        failed.add(work.source);
        diagnostics.push(diagnostic('error', `write/${format}-failed`, work.source, `could not write ${name}: ${errorMessage(err)}`));
        const event: BookEvent = { work, format, path, name, status: 'failed' };
        books.push(event);
        options.onBook?.(event);
      }
    }
  }
  if (read.works.length) await writeAtomic(cachePath, JSON.stringify(cache, null, 1) + '\n');
  return { diagnostics, books, works: read.works.length, failed: [...failed].sort() };
}

function sde(options: BuildOptions): { sourceDateEpoch?: number } {
  return options.sourceDateEpoch === undefined ? {} : { sourceDateEpoch: options.sourceDateEpoch };
}

async function exists(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message.split('\n')[0]! : String(err);
}
