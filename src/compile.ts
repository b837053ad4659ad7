import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { diagnostic, errorMessage, type Diagnostic } from './diagnostics.js';
import { discover } from './discover.js';
import type { Work } from './model/types.js';
import { normalize } from './normalize/index.js';
import { loadWork } from './read/load.js';
import type { MetadataInput } from './read/metadata-input.js';
import { notesFor, type NotesMode } from './write/notes.js';
import { GENERATOR, VERSION } from './version.js';
import { basename, dirname, isAbsolute, resolve, sep } from 'node:path';
import { existsSync } from 'node:fs';
import type * as Yaml from 'yaml';
import { lazy } from './lazy.js';
import { didYouMean } from './suggest.js';
import { writeBooks, type BookTaskPlan } from './schedule.js';
import { loadSeriesFile } from './read/series-info.js';
import { groupSeries, type Series, type SeriesInfo } from './series.js';
import { OutputBatch, outputPath, removeStaleTemps, writeAtomic } from './write/output.js';
import { CACHE_FILE, cacheEntry, isFile, isIntact, loadCache, serializeCache, type BuildCache } from './build-cache.js';
import { coverStore, pageStore } from './cover-store.js';
import type { PdfTheme } from './write/pdf/index.js';
import { planBook, planOmnibus, type BookPlan } from './write/plan.js';
import { WRITERS, withBases, type Format } from './write/render.js';
import type { PrintOptions } from './write/impose/print.js';
import { splitVolumes, volumePlan, type VolumeStart } from './write/volumes.js';
import { slugify, uniqueSlugs } from './write/slug.js';

/**
 * The one place the stages meet: discover → read → normalize → write.
 * Everything the stages need comes in through the options; everything they
 * found goes out through the report. Nothing here prints.
 */

export type { Format } from './write/render.js';

export interface Styles {
  css: string;
  theme: PdfTheme;
  /** Hash of the style files, part of every book's input identity. */
  hash: string;
}

export interface LoadedInput {
  /** The work as read: metadata, series and chapters, before the normalize passes. */
  parsed: Work;
  /** The normalized work, made the first time it is asked for (a build skips it for books that are up to date). */
  readonly work: Work;
  /** Hash of every input file of the work. */
  inputHash: string;
}

export interface ReadReport {
  works: LoadedInput[];
  /** Series metadata from series.yaml files and front matter. */
  seriesInfo: SeriesInfo[];
  diagnostics: Diagnostic[];
  /** Files that could not be turned into a work. */
  failed: string[];
}

/** How many story files are read ahead of the one being parsed. */
const READ_AHEAD = 8;

/**
 * Find and read every work under `paths` (no output is written). Works are
 * normalized here, unless `lazy`: then each is normalized when its `work` is
 * first asked for, and a failure there is the caller's to report.
 */
export async function readAll(
  paths: readonly string[],
  skipPasses: ReadonlySet<string> = new Set(),
  options: {
    lazy?: boolean;
    onRead?: (done: number, total: number, file: string) => void;
    skipFolders?: readonly string[];
    /** Metadata for every work of the build (`-M`), over what the files say. */
    metadata?: MetadataInput;
  } = {},
): Promise<ReadReport> {
  const found = await discover(paths, options.skipFolders ? { skipFolders: options.skipFolders } : {});
  const diagnostics = [...found.diagnostics];
  const works: LoadedInput[] = [];
  const failed: string[] = [];
  const seriesInfo: SeriesInfo[] = [];
  // Files are read a few ahead of the one being parsed, so the main thread is not left waiting on each
  // stat and read in turn (78 short works spent ~35 ms idle so); results are taken in order.
  const ahead: Array<Promise<{ loaded: Awaited<ReturnType<typeof loadWork>> } | { error: unknown }>> = [];
  const fetch = (i: number) => {
    const file = found.files[i];
    if (file !== undefined) ahead[i] = loadWork(file, options.metadata).then((loaded) => ({ loaded }), (error: unknown) => ({ error }));
  };
  for (let i = 0; i < READ_AHEAD; i++) fetch(i);
  for (const [i, file] of found.files.entries()) {
    options.onRead?.(i, found.files.length, file);
    let loaded: Awaited<ReturnType<typeof loadWork>>;
    let input: LoadedInput | undefined;
    try {
      const got = await ahead[i]!;
      delete ahead[i];
      fetch(i + READ_AHEAD);
      if ('error' in got) throw got.error;
      loaded = got.loaded;
      if (loaded.work) {
        const h = createHash('sha256');
        for (const i of loaded.inputs) h.update(i.path).update('\u0000').update(i.bytes).update('\u0000');
        if (options.metadata) h.update(JSON.stringify(options.metadata));
        input = lazyInput(loaded.work, h.digest('hex'), skipPasses);
        if (!options.lazy) void input.work;
      }
    } catch (err) {
      // A bug met on one file fails that work, not the batch.
      diagnostics.push(diagnostic('error', 'internal/read', file, `Quire could not read this file: ${errorMessage(err)}`, { hint: 'please report it' }));
      failed.push(file);
      continue;
    }
    diagnostics.push(...loaded.diagnostics);
    if (loaded.seriesInfo) seriesInfo.push(...loaded.seriesInfo);
    if (!input) {
      failed.push(file);
      continue;
    }
    works.push(input);
  }
  // A series.yaml without a name describes the one series whose works share its folder.
  for (const file of found.seriesFiles) {
    const dir = dirname(file) + sep;
    const names = new Set<string>();
    for (const { parsed } of works) if (parsed.source.startsWith(dir)) for (const m of parsed.metadata.series) names.add(m.name);
    const loaded = await loadSeriesFile(file, names.size === 1 ? [...names][0] : undefined);
    diagnostics.push(...loaded.diagnostics);
    if (loaded.info) seriesInfo.push(loaded.info);
  }
  // Discovery errors (a path that does not exist) count as failures too.
  for (const d of found.diagnostics) if (d.severity === 'error') failed.push(d.file);
  return { works, seriesInfo, diagnostics, failed };
}

/** A read work whose normalized form is made once, when first asked for. */
function lazyInput(parsed: Work, inputHash: string, skipPasses: ReadonlySet<string>): LoadedInput {
  let normalized: Work | undefined;
  return {
    parsed,
    inputHash,
    get work() {
      return (normalized ??= normalize(parsed, skipPasses));
    },
  };
}

/**
 * Load styles/epub.css and styles/pdf-theme.json from the package, with the
 * user's own on top: stylesheets appended to every EPUB's (`--css`), and a
 * theme file (`--pdf-theme`, JSON or YAML) whose keys override the PDF
 * theme's — fonts may be given as paths to TTF/OTF files, relative to it.
 * A file that cannot be read or parsed throws one clear sentence; unknown
 * theme keys come back as warnings.
 */
export async function loadStyles(
  dir = fileURLToPath(new URL('../styles/', import.meta.url)),
  user: { css?: readonly string[]; theme?: string } = {},
): Promise<Styles & { diagnostics: Diagnostic[] }> {
  let css = await readFile(`${dir}/epub.css`, 'utf8');
  const themeText = await readFile(`${dir}/pdf-theme.json`, 'utf8');
  let theme = JSON.parse(themeText) as PdfTheme;
  const h = createHash('sha256').update(css).update('\u0000').update(themeText);
  const diagnostics: Diagnostic[] = [];
  for (const file of user.css ?? []) {
    const text = await readUserFile(file, 'stylesheet');
    css += `\n/* ${basename(file).replace(/\*\//g, '')} */\n${text}`;
    h.update('\u0000css\u0000').update(text);
  }
  if (user.theme) {
    const text = await readUserFile(user.theme, 'PDF theme');
    const parsed = parseThemeFile(user.theme, text);
    const known = Object.keys(theme);
    for (const key of Object.keys(parsed)) {
      if (known.includes(key)) continue;
      const guess = didYouMean(key, known);
      diagnostics.push(diagnostic('warning', 'theme/unknown-key', user.theme, `unknown PDF theme key '${key}'; ignored it`, guess ? { hint: `did you mean '${guess}'?` } : {}));
      delete parsed[key];
    }
    theme = mergeTheme(theme, resolveFontPaths(parsed, dirname(resolve(user.theme)))) as PdfTheme;
    for (const face of [...Object.values(theme.font), ...theme.fallbackFonts.flatMap((f) => Object.values(f))]) {
      if (isAbsolute(face) && !existsSync(face)) throw new Error(`the PDF theme ${user.theme} names a font file that does not exist: ${face}`);
    }
    h.update('\u0000theme\u0000').update(JSON.stringify(theme));
  }
  return { css, theme, hash: h.digest('hex'), diagnostics };
}

const yaml = lazy<typeof Yaml>('yaml');

async function readUserFile(file: string, what: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new Error(`cannot read the ${what} ${file}: ${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a folder' : code ?? errorMessage(err)}`);
  }
}

function parseThemeFile(file: string, text: string): Record<string, unknown> {
  let raw: unknown;
  try {
    raw = /\.json$/i.test(file) ? JSON.parse(text) : yaml().parse(text, { maxAliasCount: 100 });
  } catch (err) {
    throw new Error(`the PDF theme ${file} is not valid ${/\.json$/i.test(file) ? 'JSON' : 'YAML'}: ${errorMessage(err)}`);
  }
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) throw new Error(`the PDF theme ${file} must be a map of theme keys to values`);
  return raw as Record<string, unknown>;
}

/** Objects merged key by key, anything else (numbers, strings, lists) replaced. */
function mergeTheme(base: unknown, over: unknown): unknown {
  if (!over || typeof over !== 'object' || Array.isArray(over) || !base || typeof base !== 'object' || Array.isArray(base)) return over;
  const out: Record<string, unknown> = { ...(base as Record<string, unknown>) };
  for (const [k, v] of Object.entries(over)) out[k] = mergeTheme(out[k], v);
  return out;
}

/** Font files named by path in a user's theme (`./fonts/MyFace.ttf`), made absolute against the theme's folder. */
function resolveFontPaths(value: unknown, base: string): Record<string, unknown> {
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string' && /\.(?:ttf|otf)$/i.test(v) && (v.startsWith('.') || v.startsWith('/') || !v.includes('/') || existsSync(resolve(base, v)))) return resolve(base, v);
    if (Array.isArray(v)) return v.map(walk);
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]));
    return v;
  };
  return walk(value) as Record<string, unknown>;
}

/** The duplex test sheet's file name in the output folder (`--test-sheet`). */
export const TEST_SHEET = 'test-sheet.pdf';

/** The format a derived format is made from, if it is one. */
function baseFormat(format: Format): Format | undefined {
  const from = (WRITERS[format] as { from?: string }).from;
  return from as Format | undefined;
}

/** Which series books to write: each part, the omnibus, or both. */
export type SeriesMode = 'parts' | 'omnibus' | 'both';

export interface BuildOptions {
  paths: string[];
  outDir: string;
  formats: Format[];
  force: boolean;
  sourceDateEpoch?: number;
  styles: Styles;
  /** PDF page size (`--page-size`): a preset name or WxH in mm. */
  pageSize?: string;
  /** The PDF opens with the book's cover (`--cover-page`). */
  coverPage?: boolean;
  /** EPUBs without the print edition's page list (`--no-page-list`): faster EPUB-only builds. */
  noPageList?: boolean;
  /** Normalize passes and typography rules switched off (`--skip`). */
  skip?: ReadonlySet<string>;
  /** `--series`; default both. */
  series?: SeriesMode;
  /** Worker threads for writing books (`--jobs`); default: the machine's cores. */
  jobs?: number;
  /** Where the authors' notes go (`--notes`), and for some formats otherwise (`--pdf-notes`). */
  notes?: NotesMode;
  formatNotes?: Partial<Record<Format, NotesMode>>;
  /** Metadata for every work of the build (`-M key=value`). */
  metadata?: MetadataInput;
  /** What binders ask for: imposition, paper, marks, the paper's caliper (`--impose` and its options). */
  print?: PrintOptions;
  /** Also write `test-sheet.pdf`, one duplex sheet that shows which way the printer turns the paper (`--test-sheet`). */
  testSheet?: boolean;
  /** Split books longer than this many words into volumes (`--volumes`). */
  volumes?: number;
  /** Called once the books to write are known. */
  onStart?: (total: number) => void;
  /** Called as each book is written, skipped or fails (for progress output). */
  onBook?: (event: BookEvent) => void;
  /** Called before each story file is read (`done` files read of `total`). */
  onRead?: (done: number, total: number, file: string) => void;
  /** Called as a work starts being normalized or a book being written: what is in hand. */
  onActive?: (what: string) => void;
}

export interface BookEvent {
  /** The book's title. */
  title: string;
  format: Format;
  /** Where the book is. */
  path: string;
  /** The book's name relative to the output folder (`series/01-part.epub`). */
  name: string;
  status: 'built' | 'skipped' | 'failed';
  /** What the writer said about the book for its reader (a binder's summary). */
  summary?: string[];
}

export interface BuildReport {
  diagnostics: Diagnostic[];
  books: BookEvent[];
  works: number;
  series: Series[];
  /** Source files that failed to read or to write. */
  failed: string[];
  /** Files written beside the books (the duplex test sheet). */
  extras: Array<{ path: string; name: string; summary: string[] }>;
}

export interface PlannedBook {
  name: string;
  title: string;
  /** The book's plan, from its works once they are normalized. */
  plan: (normalized: (source: string) => Work) => BookPlan;
  /** Words in the book as read, to schedule the longest books first. */
  words: number;
  /** Source files the book is made from (their failures are reported against them). */
  sources: string[];
  /** Hash of every input of the book. */
  inputHash: string;
}

/**
 * Decide every book of a batch and where it goes: single works at
 * `<work-slug>`, parts at `<series-slug>/NN-<part-slug>`, an omnibus (two or
 * more parts present) at `<series-slug>`. Names are unique and stable.
 */
export function planOutputs(works: readonly LoadedInput[], series: readonly Series[], mode: SeriesMode, options: { volumes?: number } = {}): PlannedBook[] {
  const hashOf = new Map(works.map((w) => [w.parsed.source, w.inputHash]));
  const seriesOf = new Map<string, Series>();
  for (const s of series) for (const p of s.parts) if (!seriesOf.has(p.work.source)) seriesOf.set(p.work.source, s);
  // One namespace for top-level names: series first, then single works.
  const top = uniqueSlugs([
    ...series.map((s) => ({ key: `series\u0000${s.key}`, title: s.info?.title ?? s.name })),
    ...works.filter((w) => !seriesOf.has(w.parsed.source)).map((w) => ({ key: `work\u0000${w.parsed.source}`, title: w.parsed.metadata.title })),
  ]);
  const books: PlannedBook[] = [];
  for (const { parsed: work, inputHash } of works) {
    const s = seriesOf.get(work.source);
    if (!s) {
      books.push({
        name: top.get(`work\u0000${work.source}`)!,
        title: work.metadata.title,
        plan: (normalized) => planBook(normalized(work.source)),
        words: work.metadata.wordCount,
        sources: [work.source],
        inputHash,
      });
    }
  }
  for (const s of series) {
    const folder = top.get(`series\u0000${s.key}`)!;
    const width = Math.max(2, String(s.parts[s.parts.length - 1]!.part).length);
    const inFolder = uniqueSlugs(
      s.parts
        .filter((p) => seriesOf.get(p.work.source) === s)
        .map((p) => ({ key: p.work.source, title: `${String(p.part).padStart(width, '0')}-${slugify(p.work.metadata.title)}` })),
    );
    if (mode !== 'omnibus' || s.parts.length < 2) {
      for (const p of s.parts) {
        if (seriesOf.get(p.work.source) !== s) continue;
        books.push({
          name: `${folder}/${inFolder.get(p.work.source)!}`,
          title: p.work.metadata.title,
          plan: (normalized) => planBook(normalized(p.work.source)),
          words: p.work.metadata.wordCount,
          sources: [p.work.source],
          inputHash: hashOf.get(p.work.source)!,
        });
      }
    }
    if (mode !== 'parts' && s.parts.length >= 2) {
      const h = createHash('sha256');
      for (const p of s.parts) h.update(String(p.part)).update('\u0000').update(hashOf.get(p.work.source)!).update('\u0000');
      h.update(JSON.stringify(s.info ?? null));
      books.push({
        name: folder,
        title: s.info?.title ?? s.name,
        plan: (normalized) => planOmnibus({ ...s, parts: s.parts.map((p) => ({ ...p, work: normalized(p.work.source) })) }),
        words: s.parts.reduce((n, p) => n + p.work.metadata.wordCount, 0),
        sources: [...new Set(s.parts.map((p) => p.work.source))],
        inputHash: h.digest('hex'),
      });
    }
  }
  const split = options.volumes ? books.flatMap((b) => inVolumes(b, works, series, options.volumes!)) : books;
  return split.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/**
 * A planned book longer than `budget` words as its volumes (`NAME-vol-1`,
 * …), split where its works' chapters allow (volumes.ts); a book that fits
 * stays whole.
 */
function inVolumes(book: PlannedBook, works: readonly LoadedInput[], series: readonly Series[], budget: number): PlannedBook[] {
  if (book.words <= budget) return [book];
  const bySource = new Map(works.map((w) => [w.parsed.source, w.parsed]));
  // The book's works in reading order: an omnibus's parts, or the one work.
  const omnibus = book.sources.length > 1 ? series.find((s) => s.parts.length === book.sources.length && s.parts.every((p) => book.sources.includes(p.work.source))) : undefined;
  const ordered = omnibus ? omnibus.parts.map((p) => p.work) : book.sources.map((src) => bySource.get(src)!);
  const volumes = splitVolumes(ordered, budget);
  if (volumes.length < 2) return [book];
  const starts: VolumeStart[] = volumes.map((v) => v.start);
  const width = String(volumes.length).length;
  return volumes.map((v, i) => ({
    name: `${book.name}-vol-${String(i + 1).padStart(width, '0')}`,
    title: `${book.title} (Vol. ${i + 1} of ${volumes.length})`,
    plan: (normalized) => volumePlan(book.plan(normalized), starts, i + 1),
    words: v.words,
    sources: book.sources,
    inputHash: createHash('sha256').update(book.inputHash).update(`\u0000volumes\u0000${budget}\u0000${i + 1}`).digest('hex'),
  }));
}


/**
 * Build every work found under `options.paths` into `options.outDir`. Works
 * are read here; normalizing them and writing their books run as jobs in
 * worker threads (small batches: in this thread, between turns of the event
 * loop), each book reported through `onBook` as soon as it is on disk.
 */
export async function build(options: BuildOptions): Promise<BuildReport> {
  const skip = options.skip ?? new Set<string>();
  // The output folder is never searched for stories, even inside an input folder: its books are Quire's own.
  const read = await readAll(options.paths, skip, {
    lazy: true,
    skipFolders: [options.outDir],
    ...(options.onRead ? { onRead: options.onRead } : {}),
    ...(options.metadata ? { metadata: options.metadata } : {}),
  });
  const diagnostics = [...read.diagnostics];
  const failed = new Set(read.failed);
  const books: BookEvent[] = [];
  const grouped = groupSeries(
    read.works.map((w) => w.parsed),
    read.seriesInfo,
  );
  diagnostics.push(...grouped.diagnostics);
  const planned = planOutputs(read.works, grouped.series, options.series ?? 'both', options.volumes ? { volumes: options.volumes } : {});
  // A format made from another brings that one into the build (the imposed PDF its reading PDF).
  const formats = withBases(options.formats);

  await removeStaleTemps(options.outDir);
  const cachePath = outputPath(options.outDir, CACHE_FILE);
  const previous = await loadCache(cachePath, VERSION);
  const cache: BuildCache = { version: VERSION, books: {} };

  const tasks: BookTaskPlan[] = [];
  for (const book of planned) {
    const ofBook = new Map<string, BookTaskPlan>();
    for (const format of formats) {
      const name = `${book.name}${WRITERS[format].extension}`;
      const path = outputPath(options.outDir, name);
      const key = createHash('sha256')
        .update(
          JSON.stringify({
            v: VERSION,
            format,
            input: book.inputHash,
            styles: options.styles.hash,
            sde: options.sourceDateEpoch ?? null,
            name,
            skip: [...skip].sort(),
            notes: notesFor(options, format),
            options: WRITERS[format].keyOptions({
              css: options.styles.css,
              theme: options.styles.theme,
              generator: GENERATOR,
              ...(options.pageSize ? { pageSize: options.pageSize } : {}),
              ...(options.print ? { print: options.print } : {}),
              ...(options.coverPage ? { coverPage: true } : {}),
              ...(options.noPageList ? { noPageList: true } : {}),
            }),
            // A derived book changes with the one it is made from.
            base: baseFormat(format) ? ofBook.get(baseFormat(format)!)!.key : null,
          }),
        )
        .digest('hex');
      const task: BookTaskPlan = { book, format, path, name, key };
      const from = baseFormat(format);
      if (from) task.base = { path: ofBook.get(from)!.path, task: ofBook.get(from)! };
      ofBook.set(format, task);
      tasks.push(task);
    }
  }
  options.onStart?.(tasks.length);
  const report = (t: BookTaskPlan, status: BookEvent['status'], summary?: string[]) => {
    const event: BookEvent = { title: t.book.title, format: t.format, path: t.path, name: t.name, status, ...(summary?.length ? { summary } : {}) };
    books.push(event);
    options.onBook?.(event);
  };
  const todo: BookTaskPlan[] = [];
  for (const t of tasks) {
    // Up to date: inputs unchanged and the file still the one written (a damaged or deleted book is rebuilt).
    const old = previous.books[t.name];
    if (!options.force && old && old.key === t.key && (await isIntact(t.path, old))) {
      cache.books[t.name] = old;
      report(t, 'skipped', old.summary);
    } else todo.push(t);
  }
  // A derived book whose base is up to date reads the base from disk instead of writing it again.
  const rewritten = new Set(todo);
  for (const t of todo) if (t.base && !rewritten.has(t.base.task!)) delete t.base.task;
  // Books this build does not make (another format, another --series mode) keep their record while their files are there.
  const planNames = new Set(tasks.map((t) => t.name));
  for (const [name, entry] of Object.entries(previous.books)) {
    if (planNames.has(name)) continue;
    let path: string;
    try {
      path = outputPath(options.outDir, name);
    } catch {
      continue;
    }
    if (await isFile(path)) cache.books[name] = entry;
  }

  // The old record may stay while books are replaced: it vouches for a book only while the file on disk has
  // the size and hash it recorded, so a book left empty or half-synced by a crash is rebuilt next time.
  const output = new OutputBatch(options.outDir);
  const covers = coverStore(options.outDir);
  const pageMaps = pageStore(options.outDir);
  await writeBooks(todo, read.works, skip, options, {
    write: (path, bytes) => output.write(path, bytes),
    report,
    built: (t, bytes, summary, kept) => (cache.books[t.name] = { ...cacheEntry(t.key, bytes, summary), ...kept }),
    diagnostics,
    failed,
    covers,
    pageMaps,
  });
  // Covers and page maps no book of the record was made with any more go.
  if (read.works.length) {
    const entries = Object.values(cache.books);
    covers.prune(new Set(entries.flatMap((e) => (e.cover ? [e.cover] : []))));
    pageMaps.prune(new Set(entries.flatMap((e) => (e.pages ? [e.pages] : []))));
  }

  const extras: BuildReport['extras'] = [];
  if (options.testSheet && options.print) {
    // One duplex sheet to learn which way the printer turns the paper, before a book's worth of sheets.
    const path = outputPath(options.outDir, TEST_SHEET);
    try {
      const { writeTestSheet } = await import('./write/impose/test-sheet.js');
      const sheet = await writeTestSheet(options.print, { theme: options.styles.theme, generator: GENERATOR, ...(options.sourceDateEpoch === undefined ? {} : { sourceDateEpoch: options.sourceDateEpoch }) });
      await output.write(path, sheet.bytes);
      extras.push({ path, name: TEST_SHEET, summary: sheet.summary });
    } catch (err) {
      diagnostics.push(diagnostic('error', 'write/io', options.outDir, `could not write ${TEST_SHEET}: ${errorMessage(err)}`));
    }
  }

  let durable = true;
  try {
    // One sync for the whole batch, before the record says the books are there.
    await output.commit();
  } catch (err) {
    durable = false;
    diagnostics.push(diagnostic('error', 'write/io', options.outDir, `could not flush the books to disk: ${errorMessage(err)}`));
  }
  // The record of what was built, rewritten only when it changed.
  const record = serializeCache(cache);
  if (durable && read.works.length && previous.text !== record) {
    try {
      // Atomic but not synced: lost or empty after a power cut, it only makes the next build rebuild.
      await writeAtomic(cachePath, record, options.outDir, { sync: false });
    } catch (err) {
      diagnostics.push(diagnostic('warning', 'write/cache', options.outDir, `could not record what was built: ${errorMessage(err)}`));
    }
  }
  books.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return { diagnostics, books, works: read.works.length, series: grouped.series, failed: [...failed].sort(), extras };
}
