import type { Diagnostic } from '../diagnostics.js';
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
  warn: (d: Diagnostic) => void;
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
  /** Write the book in memory; the module loads only when a book of this format is asked for. */
  write: (plan: BookPlan, options: WriterOptions) => Promise<Uint8Array>;
}

const sde = (o: WriterOptions) => (o.sourceDateEpoch === undefined ? {} : { sourceDateEpoch: o.sourceDateEpoch });

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
}

export type BookResult = { ok: true; bytes: Uint8Array; diagnostics: Diagnostic[] } | { ok: false; error: string };

/** Write one book in memory; never throws (a failure comes back as a value). */
export async function renderBook(task: BookTask): Promise<BookResult> {
  const diagnostics: Diagnostic[] = [];
  try {
    const writer: Writer = WRITERS[task.format];
    const { plan, format: _format, notes, ...rest } = task;
    const bytes = await writer.write(arrangeNotes(plan, notes ?? 'keep'), { ...rest, warn: (d) => diagnostics.push(d) });
    return { ok: true, bytes: new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength), diagnostics };
  } catch (err) {
    return { ok: false, error: err instanceof Error ? err.message.split('\n')[0]! : String(err) };
  }
}
