import { readFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import type { BookEvent, BuildOptions, Format, LoadedInput, PlannedBook } from './compile.js';
import { diagnostic, errorMessage, type Diagnostic } from './diagnostics.js';
import type { Work } from './model/types.js';
import type { BookPlan } from './write/plan.js';
import type { PageMap } from './write/page-map.js';
import { coverKey, pagesKey, type Store } from './cover-store.js';
import { createPool } from './pool.js';
import { GENERATOR } from './version.js';
import { WRITERS } from './write/render.js';
import { notesFor } from './write/notes.js';

/** Generated covers drawn at once (each holds a 1600 × 2400 RGBA picture, 15 MB, until it is a JPEG). */
const COVERS_AT_ONCE = 2;

/** Run tasks given to it at most `n` at a time, in the order given. */
function queue(n: number): <T>(task: () => Promise<T>) => Promise<T> {
  let running = 0;
  const waiting: Array<() => void> = [];
  return async <T>(task: () => Promise<T>): Promise<T> => {
    // A slot freed goes straight to the first waiting (never to a task that came later).
    if (running >= n) await new Promise<void>((r) => waiting.push(r));
    else running++;
    try {
      return await task();
    } finally {
      const next = waiting.shift();
      if (next) next();
      else running--;
    }
  };
}

/**
 * The CPU-bound half of a build, scheduled: each work normalized once and
 * each book written, as jobs on a pool of worker threads, while this thread
 * only hands out jobs, writes files and reports progress.
 */

/**
 * Below this much work (words × each format's cost) a batch runs in this
 * thread: starting a worker thread costs more than the batch itself, and no
 * job is long enough to keep Ctrl-C waiting.
 */
const IN_THREAD_COST = 40_000;

/** Writing a book goes before normalizing another work, so books come out as soon as they can. */
const WRITE_PRIORITY = 1e15;

export interface BookTaskPlan {
  book: PlannedBook;
  format: Format;
  path: string;
  name: string;
  key: string;
  /**
   * For a format made from another: that book — the task writing it in
   * this build, or (when it is up to date) only its path, to read it back.
   */
  base?: { path: string; task?: BookTaskPlan };
}

export interface WriteOutcome {
  /** Put a book's bytes in place at `path`, atomically (the build's `OutputBatch`). */
  write: (path: string, bytes: Uint8Array) => Promise<void>;
  report: (t: BookTaskPlan, status: BookEvent['status'], summary?: string[]) => void;
  /** A book is on disk with these bytes (and the generated cover and page map it was made with, by key). */
  built: (t: BookTaskPlan, bytes: Uint8Array, summary: string[] | undefined, kept: { cover?: string; pages?: string }) => void;
  /** Generated covers and page maps kept between builds (see cover-store.ts). */
  covers?: Store;
  pageMaps?: Store;
  diagnostics: Diagnostic[];
  failed: Set<string>;
}

/** A kept page map, or undefined when there is none (or it is not one). */
function readPages(bytes: Uint8Array | undefined): PageMap | undefined {
  if (!bytes) return undefined;
  try {
    const map = JSON.parse(Buffer.from(bytes).toString('utf8')) as PageMap;
    return typeof map.edition === 'string' && Array.isArray(map.starts) ? map : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Normalize the works the books in `todo` need (each once) and write the
 * books, as jobs on a pool: the longest first, and each book as soon as its
 * works are ready. A normalized work is let go once its last book is written.
 */
export async function writeBooks(todo: readonly BookTaskPlan[], works: readonly LoadedInput[], skip: ReadonlySet<string>, options: BuildOptions, out: WriteOutcome): Promise<void> {
  if (!todo.length) return;
  const bySource = new Map(works.map((w) => [w.parsed.source, w]));
  const cost = (t: BookTaskPlan) => t.book.words * WRITERS[t.format].cost;
  const total = todo.reduce((n, t) => n + cost(t), 0);
  // For each work: the books waiting for it, and how much work those books are.
  const dependents = new Map<string, BookTaskPlan[]>();
  const workCost = new Map<string, number>();
  for (const t of todo) {
    for (const src of t.book.sources) {
      dependents.set(src, [...(dependents.get(src) ?? []), t]);
      workCost.set(src, (workCost.get(src) ?? 0) + cost(t));
    }
  }
  const normalized = new Map<string, Work>();
  const unusable = new Set<string>();
  const waiting = new Map(todo.map((t) => [t, t.book.sources.length]));
  const remaining = new Map([...dependents].map(([src, ts]) => [src, ts.length]));
  // Default: one core fewer than the machine has — V8's parallel garbage collector keeps a
  // core busy already (on 2 cores, two writer threads measured no faster than one).
  const jobs = Math.max(1, Math.min(options.jobs ?? availableParallelism() - 1, todo.length + dependents.size));
  const pool = createPool(jobs, { inThread: total < IN_THREAD_COST });

  // A book's plan is made once for all its formats, and let go with its works after the last.
  const plans = new Map<PlannedBook, { plan?: BookPlan; left: number }>();
  for (const t of todo) plans.set(t.book, { left: (plans.get(t.book)?.left ?? 0) + 1 });
  const planOf = (book: PlannedBook) => {
    const entry = plans.get(book)!;
    return (entry.plan ??= book.plan((src) => normalized.get(src)!));
  };
  const release = (t: BookTaskPlan) => {
    const entry = plans.get(t.book)!;
    if (--entry.left === 0) plans.delete(t.book);
    for (const src of t.book.sources) {
      const left = remaining.get(src)! - 1;
      remaining.set(src, left);
      if (left === 0) normalized.delete(src);
    }
  };
  // The bytes of books other formats are made from, as each is written (undefined when it failed).
  const made = new Map<BookTaskPlan, { promise: Promise<Uint8Array | undefined>; resolve: (b: Uint8Array | undefined) => void }>();
  for (const t of todo) {
    if (t.base?.task && !made.has(t.base.task)) {
      let resolve!: (b: Uint8Array | undefined) => void;
      const promise = new Promise<Uint8Array | undefined>((r) => (resolve = r));
      made.set(t.base.task, { promise, resolve });
    }
  }
  const baseBytes = async (t: BookTaskPlan): Promise<Uint8Array | string | undefined> => {
    if (!t.base) return undefined;
    if (t.base.task) return (await made.get(t.base.task)!.promise) ?? `its ${t.base.task.format.toUpperCase()} could not be written`;
    try {
      return await readFile(t.base.path);
    } catch (err) {
      return `could not read ${t.base.path}: ${errorMessage(err)}`;
    }
  };
  // A book's EPUBs take their page list from its PDF when this build sets that PDF with the same notes:
  // they wait for it (outside the pool) instead of setting the book again.
  const pdfPages = new Map<PlannedBook, { promise: Promise<PageMap | undefined>; resolve: (p: PageMap | undefined) => void }>();
  for (const t of todo) {
    if (t.format !== 'pdf') continue;
    let resolve!: (p: PageMap | undefined) => void;
    const promise = new Promise<PageMap | undefined>((r) => (resolve = r));
    pdfPages.set(t.book, { promise, resolve });
  }
  const sharesPages = (t: BookTaskPlan) => !options.noPageList && WRITERS[t.format].paged && pdfPages.has(t.book) && notesFor(options, t.format) === notesFor(options, 'pdf');
  const writerOptions = { css: options.styles.css, theme: options.styles.theme, generator: GENERATOR, ...(options.coverPage ? { coverPage: true } : {}) };
  // A generated cover is drawn once: from the store when an earlier build drew it, else here — outside the
  // pool, at most COVERS_AT_ONCE at a time: resvg and libjpeg run in libuv's threads, so drawing costs this
  // thread little and goes on beside the workers writing other books (a worker drawing it would wait on it,
  // idle). The book's formats that need it wait for that one drawing. A drawing that fails leaves the
  // writer to draw (and report) it.
  const drawing = new Map<string, Promise<Uint8Array | undefined>>();
  const draw = queue(COVERS_AT_ONCE);
  const coverFor = async (key: string | undefined, t: BookTaskPlan, plan: BookPlan): Promise<{ bytes?: Uint8Array }> => {
    if (!key || !WRITERS[t.format].covered(writerOptions)) return {};
    const stored = out.covers?.get(key);
    if (stored) return { bytes: stored };
    let pending = drawing.get(key);
    if (!pending) {
      pending = draw(async () => {
        try {
          const { bookCover } = await import('./write/cover/book-cover.js');
          const { jpeg } = await bookCover(plan, options.styles.theme);
          await out.covers?.put(key, jpeg);
          return jpeg;
        } catch {
          return undefined;
        }
      });
      drawing.set(key, pending);
    }
    const bytes = await pending;
    return bytes ? { bytes } : {};
  };
  const write = async (t: BookTaskPlan): Promise<void> => {
    let status: BookEvent['status'] = 'failed';
    let plan: BookPlan | undefined;
    let summary: string[] | undefined;
    let written: Uint8Array | undefined;
    const base = await baseBytes(t);
    // Where the book's PDF pages begin: kept from an earlier build, else this build's PDF, else the writer sets them.
    const pk = WRITERS[t.format].paged || t.format === 'pdf' ? pagesKey({ input: t.book.inputHash, styles: options.styles.hash, pageSize: options.pageSize ?? '', notes: notesFor(options, t.format), skip: [...skip] }) : undefined;
    const storedPages = pk && WRITERS[t.format].paged && !options.noPageList ? readPages(out.pageMaps?.get(pk)) : undefined;
    const pages = storedPages ?? (sharesPages(t) ? await pdfPages.get(t.book)!.promise : undefined);
    if (!t.book.sources.some((src) => unusable.has(src))) {
      try {
        plan = planOf(t.book);
      } catch (err) {
        out.diagnostics.push(diagnostic('error', 'internal/plan', t.book.sources[0]!, `could not plan ${t.name}: ${errorMessage(err)}`, { hint: 'please report it' }));
      }
    }
    const key = plan ? coverKey(plan, options.styles.theme) : undefined;
    const cover = plan ? await coverFor(key, t, plan) : {};
    if (plan && typeof base === 'string') {
      out.diagnostics.push(diagnostic('error', `write/${t.format}-failed`, t.book.sources[0]!, `could not write ${t.name}: ${base}`));
    } else if (plan) {
      const result = await pool.run(
        {
          kind: 'write',
          task: {
            plan,
            format: t.format,
            css: options.styles.css,
            theme: options.styles.theme,
            generator: GENERATOR,
            ...(options.sourceDateEpoch === undefined ? {} : { sourceDateEpoch: options.sourceDateEpoch }),
            ...(options.pageSize ? { pageSize: options.pageSize } : {}),
            ...(options.print ? { print: options.print } : {}),
            ...(base instanceof Uint8Array ? { base } : {}),
            ...(options.coverPage ? { coverPage: true } : {}),
            ...(pages ? { pages } : {}),
            ...(options.noPageList ? { noPageList: true } : {}),
            ...(cover.bytes ? { cover: cover.bytes } : {}),
            notes: notesFor(options, t.format),
          },
        },
        WRITE_PRIORITY + cost(t),
        () => options.onActive?.(`${t.book.title} (${t.format})`),
      );
      if (t.format === 'pdf') pdfPages.get(t.book)?.resolve(result.ok ? result.pages : undefined);
      const drawn = result.ok ? result.cover : undefined;
      if (key && drawn) await out.covers?.put(key, drawn);
      if (pk && result.ok && result.pages && !storedPages && !out.pageMaps?.get(pk)) await out.pageMaps?.put(pk, Buffer.from(JSON.stringify(result.pages)));
      if (result.ok) {
        out.diagnostics.push(...result.diagnostics);
        try {
          await out.write(t.path, result.bytes);
          out.built(t, result.bytes, result.summary, {
            ...(key && WRITERS[t.format].covered(writerOptions) ? { cover: key } : {}),
            ...(pk && result.pages ? { pages: pk } : {}),
          });
          summary = result.summary;
          written = result.bytes;
          status = 'built';
        } catch (err) {
          out.diagnostics.push(diagnostic('error', 'write/io', t.book.sources[0]!, `could not write ${t.name}: ${errorMessage(err)}`));
        }
      } else {
        out.diagnostics.push(diagnostic('error', `write/${t.format}-failed`, t.book.sources[0]!, `could not write ${t.name}: ${result.error}`));
      }
    }
    if (status === 'failed') for (const src of t.book.sources) out.failed.add(src);
    made.get(t)?.resolve(written);
    // A PDF that could not even be planned releases the EPUBs waiting for it (they set their own pages).
    if (t.format === 'pdf') pdfPages.get(t.book)?.resolve(undefined);
    release(t);
    out.report(t, status, summary);
  };
  const writes: Array<Promise<void>> = [];
  const prepare = async (src: string): Promise<void> => {
    const parsed = bySource.get(src)!.parsed;
    const result = await pool.run({ kind: 'normalize', work: parsed, skip: [...skip] }, workCost.get(src)!, () => options.onActive?.(parsed.metadata.title));
    if (result.ok) normalized.set(src, result.work);
    else {
      // A bug met while normalizing one work fails its books, not the batch.
      unusable.add(src);
      out.diagnostics.push(diagnostic('error', 'internal/read', src, `Quire could not read this file: ${result.error}`, { hint: 'please report it' }));
    }
    for (const t of dependents.get(src)!) {
      const left = waiting.get(t)! - 1;
      waiting.set(t, left);
      if (left === 0) writes.push(write(t));
    }
  };
  try {
    await Promise.all([...dependents.keys()].map(prepare));
    await Promise.all(writes);
  } finally {
    await pool.close();
  }
}
