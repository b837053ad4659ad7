import { impose, schemeSpec, type ImposeSettings, type Imposition } from './layout.js';

/**
 * The print settings a binder gives (`--impose`, `--paper`, `--creep`,
 * `--marks`, `--paper-caliper`, …) and what follows from them: the paper,
 * the page count of the text block, the spine's width, and the binder's
 * summary. Pure.
 */

/** A sheet of paper, portrait, in millimetres. */
export interface Paper {
  /** `A4`, `Letter`, or `210×297 mm` for a custom size. */
  name: string;
  width: number;
  height: number;
}

/** Paper presets by name (portrait, mm). */
export const PAPERS: Record<string, Paper> = {
  a4: { name: 'A4', width: 210, height: 297 },
  a3: { name: 'A3', width: 297, height: 420 },
  a5: { name: 'A5', width: 148, height: 210 },
  letter: { name: 'Letter', width: 215.9, height: 279.4 },
  legal: { name: 'Legal', width: 215.9, height: 355.6 },
  tabloid: { name: 'Tabloid', width: 279.4, height: 431.8 },
};

const UNITS: Record<string, number> = { mm: 1, cm: 10, in: 25.4, '"': 25.4, pt: 25.4 / 72 };

/** `--paper`: a preset name or `WxH` with a unit (a bare `WxH` is millimetres); throws one sentence. */
export function parsePaper(spec: string): Paper {
  const key = spec.trim().toLowerCase();
  const preset = PAPERS[key];
  if (preset) return preset;
  const m = /^(\d+(?:\.\d+)?)\s*[x×]\s*(\d+(?:\.\d+)?)\s*(mm|cm|in|"|pt)?$/.exec(key);
  if (!m) throw new Error(`unknown paper '${spec}' (use ${Object.keys(PAPERS).join(', ')}, or WxH with a unit: 8.5x11in, 210x297mm)`);
  const u = UNITS[m[3] ?? 'mm']!;
  const a = Number(m[1]) * u;
  const b = Number(m[2]) * u;
  if (Math.min(a, b) < 50 || Math.max(a, b) > 2000) throw new Error(`paper '${spec}' is outside 50–2000 mm`);
  const round = (n: number) => Math.round(n * 100) / 100;
  return { name: `${round(Math.min(a, b))}×${round(Math.max(a, b))} mm`, width: round(Math.min(a, b)), height: round(Math.max(a, b)) };
}

export interface PrintOptions {
  /** True when the build writes imposed sheets (`--impose`); the cover then counts their blanks and flyleaves. */
  imposing: boolean;
  impose: ImposeSettings;
  paper: Paper;
  /** Creep compensation per sheet, mm: each sheet inside a signature moves its pages this much nearer the fold than the sheet outside it. */
  creep: number;
  /** Crop, fold and sewing marks and signature numbers on the fold (`--marks`). */
  marks: boolean;
  /** Thickness of one leaf of the paper, mm (`--paper-caliper`); unless `pagesPerInch` is given. */
  caliper: number;
  /** Pages per inch of the paper (`--pages-per-inch`), the printer's other way to give its thickness. */
  pagesPerInch?: number;
  /** Bleed around the wrap cover, mm. */
  bleed: number;
}

/** Defaults: folio signatures of 4 sheets on A4, flipped on the short edge, 0.1 mm paper (80 g/m² office paper), 3 mm bleed. */
export const PRINT_DEFAULTS: PrintOptions = {
  imposing: false,
  impose: { scheme: 'folio', sheets: 4, flyleaves: 0, flip: 'short' },
  paper: PAPERS.a4!,
  creep: 0,
  marks: false,
  caliper: 0.1,
  bleed: 3,
};

/** The sheet as printed: the paper turned landscape when the scheme's cells are laid more across than down. */
export function sheetSize(print: PrintOptions): { width: number; height: number; landscape: boolean } {
  const { cols, rows } = schemeSpec(print.impose.scheme);
  const landscape = cols > rows;
  const { width, height } = print.paper;
  return landscape ? { width: height, height: width, landscape } : { width, height, landscape };
}

/** The page size that fills one cell of the sheet (mm): the trim size the imposition is made for. */
export function cellSize(print: PrintOptions): { width: number; height: number } {
  const { cols, rows } = schemeSpec(print.impose.scheme);
  const sheet = sheetSize(print);
  return { width: sheet.width / cols, height: sheet.height / rows };
}

/** Pages of the bound text block for a reading copy of `pages` pages: as imposed (flyleaves, blanks), else rounded up to whole leaves. */
export function textBlockPages(pages: number, print: PrintOptions): number {
  return print.imposing ? impose(pages, print.impose).block.length : pages + (pages % 2);
}

/** The spine's width (mm) for a text block of `pages` pages: one leaf's caliper per two pages, or pages per inch. */
export function spineWidth(pages: number, print: PrintOptions): number {
  return print.pagesPerInch ? (pages / print.pagesPerInch) * 25.4 : (pages / 2) * print.caliper;
}

const num = (n: number) => (Math.round(n * 10) / 10).toFixed(1);
const mm = (n: number) => `${num(n)} mm`;

/** Counts in words: `2 signatures of 4 sheets`. */
function groups(signatures: readonly number[], perSheet: number): string {
  const runs: Array<{ n: number; count: number }> = [];
  for (const n of signatures) {
    const last = runs[runs.length - 1];
    if (last && last.n === n) last.count++;
    else runs.push({ n, count: 1 });
  }
  return runs.map((r) => `${r.count} of ${r.n} sheet${r.n === 1 ? '' : 's'} (${r.n * perSheet} pages)`).join(', then ');
}

/** What a binder needs to know about one imposed book: printed by the CLI under the book's name. */
export function binderSummary(imposition: Imposition, print: PrintOptions, facts: { bookPages: number; skipped: number; trim: { width: number; height: number }; scale: number }): string[] {
  const sheet = sheetSize(print);
  const spec = schemeSpec(imposition.scheme);
  const fly = imposition.block.filter((p) => p.kind === 'blank' && p.why === 'flyleaf').length;
  const total = imposition.block.length;
  const lines = [
    `${imposition.scheme} on ${print.paper.name} ${sheet.landscape ? 'landscape' : 'portrait'} (${num(sheet.width)} × ${mm(sheet.height)}), duplex: flip on the ${imposition.flip} edge`,
    `${facts.bookPages} pages${facts.skipped ? ` (the cover page${facts.skipped > 1 ? ' and its verso' : ''} left out)` : ''} + ${imposition.fill} blank${imposition.fill === 1 ? '' : 's'} at the end${fly ? ` + ${fly / 2} flyleaves (${fly} pages)` : ''} = ${total} pages on ${imposition.sheets.length} sheet${imposition.sheets.length === 1 ? '' : 's'}`,
    `${imposition.signatures.length} signature${imposition.signatures.length === 1 ? '' : 's'}: ${groups(imposition.signatures, spec.pagesPerSheet)}`,
    `pages ${num(facts.trim.width)} × ${mm(facts.trim.height)}${facts.scale < 0.9995 ? `, scaled to ${Math.round(facts.scale * 1000) / 10} % to fit` : ''}; spine ${mm(spineWidth(total, print))} (${print.pagesPerInch ? `${print.pagesPerInch} pages per inch` : `${print.caliper} mm paper caliper`})${print.creep ? `; creep ${print.creep} mm per sheet` : ''}`,
    `fold: ${spec.howToFold}; nest the sheets of each signature, sheet 1 outermost`,
  ];
  return lines;
}
