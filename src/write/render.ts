import type { Diagnostic } from '../diagnostics.js';
import { PRINT_DEFAULTS, type PrintOptions } from './impose/print.js';
import { arrangeNotes, type NotesMode } from './notes.js';
import type { BookPlan } from './plan.js';
import type { PdfTheme } from './pdf/index.js';

/** What every writer is given besides the plan: styles, identity of the tool, and where to report problems. */
export interface WriterOptions {
  css: string;
  theme: PdfTheme;
  generator: string;
  sourceDateEpoch?: number;
  pageSize?: string;
  /** What binders ask for (`--impose`, `--paper`, `--paper-caliper`, …); defaults when absent. */
  print?: PrintOptions;
  /** For a format made from another (`from`): that format's book, already written. */
  base?: Uint8Array;
  warn: (d: Diagnostic) => void;
}

/** A book written, with what its reader should be told about it (a binder's summary), if anything. */
export interface WriterOutput {
  bytes: Uint8Array;
  summary?: string[];
}

/**
 * One output format. Writers are registered in `WRITERS` (as pandoc lists
 * its writers): the build asks the table for a format's file name and its
 * writer, and never branches on the format itself.
 */
export interface Writer {
  /** What the format is, for `--help`. */
  description: string;
  /** The book's file name after its stem: `.epub`, `.pdf`. */
  extension: string;
  /** Rough cost per word relative to an EPUB, to schedule the longest books first. */
  cost: number;
  /** Which option values change this format's bytes (part of each book's cache key). */
  keyOptions: (options: Omit<WriterOptions, 'warn'>) => unknown;
  /**
   * The format this one is made from, when it is made from another book
   * rather than from the plan alone (an imposed PDF from the reading PDF):
   * the build writes that one too, and hands its bytes to `write` as `base`
   * — the book is never typeset twice.
   */
  from?: string;
  /** Write the book in memory; the module loads only when a book of this format is asked for. */
  write: (plan: BookPlan, options: WriterOptions) => Promise<Uint8Array | WriterOutput>;
}

const sde = (o: WriterOptions) => (o.sourceDateEpoch === undefined ? {} : { sourceDateEpoch: o.sourceDateEpoch });

/** The bytes of the book a derived format is made from (the build always hands them over). */
const baseOf = (o: WriterOptions) => {
  if (!o.base) throw new Error('this format is made from another book, and none was given');
  return o.base;
};

/** The table of writers, by format name. */
export const WRITERS = {
  epub: {
    description: 'EPUB 3 (with EPUB 2 navigation for older readers)',
    extension: '.epub',
    cost: 1,
    keyOptions: () => null,
    write: async (plan, o) => (await import('./epub/index.js')).writeBookEpub(plan, { css: o.css, generator: o.generator, ...sde(o) }),
  },
  pdf: {
    description: 'print-quality PDF',
    extension: '.pdf',
    cost: 4,
    keyOptions: (o) => ({ page: o.pageSize ?? null }),
    write: async (plan, o) =>
      (await import('./pdf/index.js')).writeBookPdf(plan, {
        theme: o.theme,
        generator: o.generator,
        ...sde(o),
        ...(o.pageSize ? { pageSize: o.pageSize } : {}),
        warn: o.warn,
      }),
  },
  imposed: {
    description: 'the reading PDF imposed on printer\'s sheets in signatures, for duplex printing and binding (NAME.imposed.pdf; --impose)',
    extension: '.imposed.pdf',
    cost: 1,
    from: 'pdf',
    keyOptions: (o) => {
      const p = o.print ?? PRINT_DEFAULTS;
      return { impose: p.impose, paper: p.paper, creep: p.creep, marks: p.marks, caliper: p.caliper, ppi: p.pagesPerInch ?? null };
    },
    write: async (plan, o) =>
      (await import('./impose/index.js')).imposeBook(baseOf(o), plan, {
        print: o.print ?? PRINT_DEFAULTS,
        generator: o.generator,
        markFont: o.theme.font.regular,
        ...sde(o),
        warn: o.warn,
      }),
  },
  cover: {
    description: 'a wrap cover for the bound book: back, spine sized to the page count, front (NAME.cover.pdf; --impose)',
    extension: '.cover.pdf',
    cost: 0.2,
    from: 'pdf',
    keyOptions: (o) => {
      const p = o.print ?? PRINT_DEFAULTS;
      return { imposing: p.imposing, impose: p.imposing ? p.impose : null, caliper: p.caliper, ppi: p.pagesPerInch ?? null, bleed: p.bleed, marks: p.marks };
    },
    write: async (plan, o) =>
      (await import('./cover/wrap.js')).writeWrapCover(baseOf(o), plan, { print: o.print ?? PRINT_DEFAULTS, theme: o.theme, generator: o.generator, ...sde(o) }),
  },
} satisfies Record<string, Writer>;

export type Format = keyof typeof WRITERS;

/** Every format name, in the table's order. */
export const FORMATS = Object.keys(WRITERS) as Format[];

export function isFormat(name: string): name is Format {
  return Object.prototype.hasOwnProperty.call(WRITERS, name);
}

/** Everything needed to write one book: plain data, so it can cross to a worker thread. */
export interface BookTask {
  plan: BookPlan;
  format: Format;
  css: string;
  theme: PdfTheme;
  generator: string;
  sourceDateEpoch?: number;
  pageSize?: string;
  /** Where this format puts the authors' notes (`--notes`, `--pdf-notes`); default keep. */
  notes?: NotesMode;
  print?: PrintOptions;
  /** The book this format is made from (its writer's `from`). */
  base?: Uint8Array;
}

export type BookResult = { ok: true; bytes: Uint8Array; summary?: string[]; diagnostics: Diagnostic[] } | { ok: false; error: string };

/** The formats to write for `formats`: each one's base format too, before it. */
export function withBases(formats: readonly Format[]): Format[] {
  const out: Format[] = [];
  const add = (f: Format) => {
    const from = (WRITERS[f] as Writer).from;
    if (from && isFormat(from)) add(from);
    if (!out.includes(f)) out.push(f);
  };
  formats.forEach(add);
  return out;
}

/** Write one book in memory; never throws (a failure comes back as a value). */
export async function renderBook(task: BookTask): Promise<BookResult> {
  const diagnostics: Diagnostic[] = [];
  try {
    const writer: Writer = WRITERS[task.format];
    const { plan, format: _format, notes, ...rest } = task;
    const out = await writer.write(arrangeNotes(plan, notes ?? 'keep'), { ...rest, warn: (d) => diagnostics.push(d) });
    const bytes = out instanceof Uint8Array ? out : out.bytes;
    const summary = out instanceof Uint8Array ? undefined : out.summary;
    return { ok: true, bytes: new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength), ...(summary?.length ? { summary } : {}), diagnostics };
  } catch (err) {
    return { ok: false, error: err instanceof Error ? err.message.split('\n')[0]! : String(err) };
  }
}
