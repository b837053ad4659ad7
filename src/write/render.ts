import type { Diagnostic } from '../diagnostics.js';
import { PRINT_DEFAULTS, type PrintOptions } from './impose/print.js';
import { arrangeNotes, type NotesMode } from './notes.js';
import type { PageMap } from './page-map.js';
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
  /** The PDF opens with the cover (`--cover-page`). */
  coverPage?: boolean;
  /** Where the pages of this book's PDF begin, when the PDF of this build has already been set. */
  pages?: PageMap;
  /** No page list in the EPUB (`--no-page-list`): the book is not set in pages for it. */
  noPageList?: boolean;
  /** The book's generated cover, drawn by an earlier book or build (see cover-store.ts). */
  cover?: Uint8Array;
  warn: (d: Diagnostic) => void;
}

/**
 * A book written, with what its reader should be told about it (a binder's
 * summary), where its print pages begin when the writer set them (the PDF's,
 * for the EPUBs of the same build), and the cover it drew, to keep.
 */
export interface WriterOutput {
  bytes: Uint8Array;
  summary?: string[];
  pages?: PageMap;
  cover?: Uint8Array;
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
  /** The book's pages follow the PDF's (its page list is the PDF's at the build's page size). */
  paged: boolean;
  /** The book carries its cover with these options. */
  covered: (options: Omit<WriterOptions, 'warn'>) => boolean;
  /** Write the book in memory; the module loads only when a book of this format is asked for. */
  write: (plan: BookPlan, options: WriterOptions) => Promise<Uint8Array | WriterOutput>;
}

const sde = (o: WriterOptions) => (o.sourceDateEpoch === undefined ? {} : { sourceDateEpoch: o.sourceDateEpoch });

/** The bytes of the book a derived format is made from (the build always hands them over). */
const baseOf = (o: WriterOptions) => {
  if (!o.base) throw new Error('this format is made from another book, and none was given');
  return o.base;
};
const pdfOptions = (o: WriterOptions) => ({
  theme: o.theme,
  generator: o.generator,
  ...sde(o),
  ...(o.pageSize ? { pageSize: o.pageSize } : {}),
  warn: o.warn,
});

/** The print edition's pages for an EPUB: the PDF's of this build when it was set first, else set now (without making a PDF). */
async function printPages(plan: BookPlan, o: WriterOptions): Promise<PageMap | undefined> {
  if (o.noPageList) return undefined;
  return o.pages ?? (await import('./pdf/index.js')).pdfPageMap(plan, pdfOptions(o));
}

/** The book's cover, and the bytes to keep when it was drawn here. */
async function coverOf(plan: BookPlan, o: WriterOptions) {
  const cover = await (await import('./cover/book-cover.js')).bookCover(plan, o.theme, o.cover);
  return { cover, drawn: cover.generated && !o.cover ? { cover: cover.jpeg } : {} };
}

/** An EPUB of the book, its pages numbered as the PDF's; `kobo` rewrites its pages for Kobo's reader. */
async function epubOf(plan: BookPlan, o: WriterOptions, kobo: boolean): Promise<WriterOutput> {
  // The cover is drawn off this thread (resvg and libjpeg in libuv's pool) while the print pages are set here.
  const drawing = coverOf(plan, o);
  drawing.catch(() => {});
  const pages = await printPages(plan, o);
  const { cover, drawn } = await drawing;
  const { writeBookEpub } = await import('./epub/index.js');
  const transform = kobo ? (await import('./kepub/index.js')).koboPage : undefined;
  const bytes = await writeBookEpub(plan, {
    css: o.css,
    generator: o.generator,
    fonts: o.theme,
    cover,
    ...(pages ? { pages } : {}),
    ...sde(o),
    ...(transform ? { transformPage: transform } : {}),
  });
  // The device rules, on the bytes as written: a finding here is Quire's own bug, reported like any problem.
  const { openEpub } = await import('../check/epub-package.js');
  const { checkDevices } = await import('../check/device-rules.js');
  for (const d of checkDevices(await openEpub(bytes), plan.works[0]?.source ?? plan.metadata.title)) o.warn({ ...d, message: `${kobo ? 'kepub' : 'EPUB'}: ${d.message}` });
  return { bytes, ...(pages ? { pages } : {}), ...drawn };
}

/** The table of writers, by format name. */
export const WRITERS = {
  epub: {
    description: 'EPUB 3 (with EPUB 2 navigation for older readers)',
    extension: '.epub',
    cost: 1,
    paged: true,
    covered: () => true,
    keyOptions: (o) => ({ page: o.noPageList ? false : o.pageSize ?? null }),
    write: (plan, o) => epubOf(plan, o, false),
  },
  kepub: {
    description: "Kobo's EPUB (kepub): the EPUB with Kobo's sentence spans and page wrappers",
    extension: '.kepub.epub',
    cost: 1.2,
    paged: true,
    covered: () => true,
    keyOptions: (o) => ({ page: o.noPageList ? false : o.pageSize ?? null }),
    write: (plan, o) => epubOf(plan, o, true),
  },
  pdf: {
    description: 'print-quality PDF',
    extension: '.pdf',
    cost: 4,
    paged: false,
    covered: (o) => !!o.coverPage,
    keyOptions: (o) => ({ page: o.pageSize ?? null, cover: !!o.coverPage }),
    write: async (plan, o) => {
      const { cover, drawn } = o.coverPage ? await coverOf(plan, o) : { cover: undefined, drawn: {} };
      const { pdf, pages } = await (await import('./pdf/index.js')).writeBookPdfWithPages(plan, { ...pdfOptions(o), ...(cover ? { cover } : {}) });
      return { bytes: pdf, pages, ...drawn };
    },
  },
  imposed: {
    description: 'the reading PDF imposed on printer\'s sheets in signatures, for duplex printing and binding (NAME.imposed.pdf; --impose)',
    extension: '.imposed.pdf',
    cost: 1,
    from: 'pdf',
    paged: false,
    covered: () => false,
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
    paged: false,
    covered: () => false,
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
  coverPage?: boolean;
  noPageList?: boolean;
  /** Where the pages of this book's PDF begin (from the PDF written first in this build). */
  pages?: PageMap;
  /** The book's generated cover, drawn before. */
  cover?: Uint8Array;
  /** Where this format puts the authors' notes (`--notes`, `--pdf-notes`); default keep. */
  notes?: NotesMode;
  print?: PrintOptions;
  /** The book this format is made from (its writer's `from`). */
  base?: Uint8Array;
}

export type BookResult = { ok: true; bytes: Uint8Array; summary?: string[]; pages?: PageMap; cover?: Uint8Array; diagnostics: Diagnostic[] } | { ok: false; error: string };

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
    const { bytes, summary, pages, cover }: WriterOutput = out instanceof Uint8Array ? { bytes: out } : out;
    return {
      ok: true,
      bytes: new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength),
      ...(summary?.length ? { summary } : {}),
      ...(pages ? { pages } : {}),
      ...(cover ? { cover } : {}),
      diagnostics,
    };
  } catch (err) {
    return { ok: false, error: err instanceof Error ? err.message.split('\n')[0]! : String(err) };
  }
}
