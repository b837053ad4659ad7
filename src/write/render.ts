import type { Diagnostic } from '../diagnostics.js';
import type { BookPlan } from './plan.js';
import type { PdfTheme } from './pdf/index.js';

export type Format = 'epub' | 'pdf';

/** Everything needed to write one book: plain data, so it can cross to a worker thread. */
export interface BookTask {
  plan: BookPlan;
  format: Format;
  css: string;
  theme: PdfTheme;
  generator: string;
  sourceDateEpoch?: number;
  pageSize?: string;
}

export type BookResult = { ok: true; bytes: Uint8Array; diagnostics: Diagnostic[] } | { ok: false; error: string };

/** Write one book in memory; never throws (a failure comes back as a value). */
export async function renderBook(task: BookTask): Promise<BookResult> {
  const diagnostics: Diagnostic[] = [];
  try {
    const sde = task.sourceDateEpoch === undefined ? {} : { sourceDateEpoch: task.sourceDateEpoch };
    // Each writer (and its libraries) loads only when a book of its format is asked for.
    const bytes =
      task.format === 'epub'
        ? await (await import('./epub/index.js')).writeBookEpub(task.plan, { css: task.css, generator: task.generator, ...sde })
        : await (await import('./pdf/index.js')).writeBookPdf(task.plan, {
            theme: task.theme,
            generator: task.generator,
            ...sde,
            ...(task.pageSize ? { pageSize: task.pageSize } : {}),
            warn: (d) => diagnostics.push(d),
          });
    return { ok: true, bytes: new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength), diagnostics };
  } catch (err) {
    return { ok: false, error: err instanceof Error ? err.message.split('\n')[0]! : String(err) };
  }
}
