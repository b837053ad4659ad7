import {
  PDFArray,
  PDFDict,
  PDFDocument,
  PDFName,
  PDFObjectCopier,
  PDFPage,
  PDFRawStream,
  PDFRef,
  concatTransformationMatrix,
  decodePDFRawStream,
  drawObject,
  grayscale,
  popGraphicsState,
  pushGraphicsState,
  type PDFStream,
} from 'pdf-lib';
import { diagnostic, type Diagnostic } from '../../diagnostics.js';
import { buildTimestamp } from '../identity.js';
import { authorList, bookTitle, type BookPlan } from '../plan.js';
import { MM } from '../pdf/page.js';
import { loadFont } from '../pdf/fonts.js';
import { impose, type ImposedSheet, type Imposition, type PlacedPage } from './layout.js';
import { binderSummary, sheetSize, type PrintOptions } from './print.js';

export interface ImposeOptions {
  print: PrintOptions;
  generator: string;
  sourceDateEpoch?: number;
  /** A face of the PDF theme, whose digit outlines number the signatures. */
  markFont: string;
  warn?: (d: Diagnostic) => void;
}

/**
 * The reading PDF → sheets for duplex printing and folding into
 * signatures: each page of the book placed on its sheet as a form XObject
 * (its text, fonts and vectors kept as they are: every word stays text),
 * pages against the fold and centred in height, inner sheets moved nearer
 * the fold by the creep, with optional printer's marks. A cover page at the
 * front of the reading copy (and its blank verso) is left to the wrap cover.
 */
export async function imposeBook(base: Uint8Array, plan: BookPlan, options: ImposeOptions): Promise<{ bytes: Uint8Array; summary: string[] }> {
  const { print } = options;
  const src = await PDFDocument.load(base, { updateMetadata: false });
  const skipped = leadingCoverPages(plan, src);
  const pages = src.getPages().slice(skipped);
  if (!pages.length) throw new Error('the reading PDF has no pages to impose');
  const layout = impose(pages.length, print.impose);
  const sheet = sheetSize(print);
  const W = sheet.width * MM;
  const H = sheet.height * MM;
  const cellW = W / layout.cols;
  const cellH = H / layout.rows;
  const { width: pageW, height: pageH } = pages[0]!.getSize();
  const scale = Math.min(1, cellW / pageW, cellH / pageH);
  const source = plan.works[0]?.source ?? '';
  if (scale < 0.9995) {
    options.warn?.(
      diagnostic(
        'warning',
        'impose/scaled',
        source,
        `pages of ${(pageW / MM).toFixed(1)}×${(pageH / MM).toFixed(1)} mm are larger than a ${layout.scheme} cell of ${print.paper.name} (${(cellW / MM).toFixed(1)}×${(cellH / MM).toFixed(1)} mm); scaled them to ${Math.round(scale * 1000) / 10} %`,
        { hint: `leave out --page-size to set the book at the cell's size, or give a larger --paper` },
      ),
    );
  }

  const dst = await PDFDocument.create({ updateMetadata: false });
  const stamp = buildTimestamp(plan.metadata, options.sourceDateEpoch);
  dst.setTitle(`${bookTitle(plan)} (imposed: ${layout.scheme})`);
  if (plan.metadata.authors.length) dst.setAuthor(authorList(plan.metadata.authors));
  dst.setCreator(options.generator);
  dst.setProducer(options.generator);
  dst.setCreationDate(stamp);
  dst.setModificationDate(stamp);
  dst.setLanguage(plan.metadata.language);

  const forms = new FormCopier(src, dst);
  const digits = glyphOutlines(options.markFont);
  for (const s of layout.sheets) {
    for (const side of ['front', 'back'] as const) {
      const page = dst.addPage([W, H]);
      for (const placed of s[side]) {
        if (placed.page.kind !== 'page') continue;
        const box = pageBox(placed, s, { cellW, cellH, H, pageW: pageW * scale, pageH: pageH * scale, creep: print.creep * MM });
        const name = page.node.newXObject('Pg', forms.form(pages[placed.page.index]!));
        const [a, d, e, f] = box.upsideDown ? [-scale, -scale, box.x + box.w, box.y + box.h] : [scale, scale, box.x, box.y];
        page.pushOperators(pushGraphicsState(), concatTransformationMatrix(a, 0, 0, d, e, f), drawObject(name), popGraphicsState());
      }
      if (print.marks) drawMarks(page, layout, s, side, { cellW, cellH, H, pageW: pageW * scale, pageH: pageH * scale, digits });
    }
  }
  const bytes = await dst.save({ useObjectStreams: true });
  const summary = binderSummary(layout, print, { bookPages: pages.length, skipped, trim: { width: pageW / MM, height: pageH / MM }, scale });
  return { bytes, summary };
}

/**
 * Pages at the front of the reading PDF that belong to the cover, not the
 * text block: a given cover image fills page 1 and, in print, the title page
 * then opens on page 3.
 */
export function leadingCoverPages(plan: BookPlan, doc: PDFDocument): number {
  if (!plan.cover) return 0;
  return doc.getPageCount() > 2 ? 2 : 0;
}

interface Geometry {
  cellW: number;
  cellH: number;
  /** Sheet height, points (PDF y runs up). */
  H: number;
  pageW: number;
  pageH: number;
}

/** Where one page lies on its side of the sheet (PDF points, lower-left origin): against the fold, centred in height. */
function pageBox(placed: PlacedPage, sheet: ImposedSheet, g: Geometry & { creep: number }): { x: number; y: number; w: number; h: number; upsideDown: boolean } {
  const { slot } = placed;
  const left = slot.col * g.cellW;
  const bottom = g.H - (slot.row + 1) * g.cellH;
  // Each sheet inside the signature lies a paper's thickness further in at the fold, so its fore-edge
  // creeps out: its pages move that much nearer the fold and line up with the outer sheets' once trimmed.
  const creep = g.creep * (sheet.sheetInSignature - 1);
  const x = slot.spine === 'left' ? left - creep : left + g.cellW - g.pageW + creep;
  const y = bottom + (g.cellH - g.pageH) / 2;
  return { x, y, w: g.pageW, h: g.pageH, upsideDown: slot.upsideDown };
}

/**
 * Pages of the reading PDF as form XObjects in the imposed one, each made
 * once: the page's content stream as it is (still compressed) and its
 * resources copied over once for all pages, so fonts and images shared by
 * the pages are shared by the forms.
 */
class FormCopier {
  private readonly copier: ReturnType<typeof PDFObjectCopier.for>;
  private readonly made = new Map<PDFPage, PDFRef>();
  constructor(
    src: PDFDocument,
    private readonly dst: PDFDocument,
  ) {
    this.copier = PDFObjectCopier.for(src.context, dst.context);
  }

  form(page: PDFPage): PDFRef {
    let ref = this.made.get(page);
    if (ref) return ref;
    const { Contents, Resources } = page.node.normalizedEntries();
    const { width, height } = page.getSize();
    const { x, y } = page.getMediaBox();
    const ctx = this.dst.context;
    const dict = {
      Type: 'XObject',
      Subtype: 'Form',
      FormType: 1,
      BBox: [x, y, x + width, y + height],
      Resources: this.copier.copy(Resources),
    };
    const streams = Contents ? (Contents instanceof PDFArray ? Contents.asArray().map((r) => page.node.context.lookup(r)) : [Contents]) : [];
    let stream: PDFStream;
    const only = streams.length === 1 ? streams[0] : undefined;
    if (only instanceof PDFRawStream && isPlainFlate(only.dict)) {
      // One compressed stream: its bytes go over as they are.
      stream = PDFRawStream.of(ctx.obj({ ...dict, Filter: 'FlateDecode' }) as PDFDict, only.getContents());
    } else {
      const parts = streams.map((s) => (s instanceof PDFRawStream ? decodePDFRawStream(s).decode() : new Uint8Array()));
      const joined = new Uint8Array(parts.reduce((n, p) => n + p.length + 1, 0));
      let at = 0;
      for (const p of parts) {
        joined.set(p, at);
        joined[at + p.length] = 0x0a;
        at += p.length + 1;
      }
      stream = ctx.flateStream(joined, dict);
    }
    ref = ctx.register(stream);
    this.made.set(page, ref);
    return ref;
  }
}

/** A stream compressed with Flate alone and no predictor: its bytes can be reused under another dictionary. */
function isPlainFlate(dict: PDFDict): boolean {
  const filter = dict.get(PDFName.of('Filter'));
  const plain = filter === PDFName.of('FlateDecode') || (filter instanceof PDFArray && filter.size() === 1 && filter.get(0) === PDFName.of('FlateDecode'));
  return plain && !dict.has(PDFName.of('DecodeParms'));
}

/** Digit outlines from a face of the theme, as SVG paths in font units (turned y-down, as pdf-lib draws SVG paths), with their advances. */
function glyphOutlines(spec: string): (text: string) => Array<{ path: string; advance: number; unitsPerEm: number }> {
  const font = loadFont(spec);
  return (text) =>
    [...text].map((ch) => {
      const g = font?.glyphForCodePoint(ch.codePointAt(0)!);
      return { path: g ? g.path.scale(1, -1).toSVG() : '', advance: g?.advanceWidth ?? 500, unitsPerEm: font?.unitsPerEm ?? 1000 };
    });
}

const MARK = grayscale(0.35);
const HAIR = 0.4;

/**
 * Printer's marks on one side of a sheet: fold marks where every fold
 * meets the paper's edge (on the outside), crop marks at each page's corners
 * where the paper leaves room, sewing stations across the spine fold inside
 * the innermost sheet, and on the outermost sheet's spine fold a collating
 * mark — a black step lower for each signature — beside its number, so a
 * gathered book shows a staircase and a misplaced signature at a glance.
 */
function drawMarks(page: PDFPage, layout: Imposition, sheet: ImposedSheet, side: 'front' | 'back', g: Geometry & { digits: ReturnType<typeof glyphOutlines> }): void {
  const W = g.cellW * layout.cols;
  const { H } = g;
  const tick = 5 * MM;
  const line = (x1: number, y1: number, x2: number, y2: number, dash?: number[]) =>
    page.drawLine({ start: { x: x1, y: y1 }, end: { x: x2, y: y2 }, thickness: HAIR, color: MARK, ...(dash ? { dashArray: dash } : {}) });
  if (side === 'front') {
    // Fold marks: every cell boundary is a fold (or, at the head, a fold to slit).
    for (let c = 1; c < layout.cols; c++) {
      const x = c * g.cellW;
      line(x, 0, x, tick, [2, 2]);
      line(x, H - tick, x, H, [2, 2]);
    }
    for (let r = 1; r < layout.rows; r++) {
      const y = r * g.cellH;
      line(0, y, tick, y, [2, 2]);
      line(W - tick, y, W, y, [2, 2]);
    }
  }
  // Crop marks at each page's trim corners, in the margin of the cell around it (when there is one).
  const gapX = g.cellW - g.pageW;
  const gapY = (g.cellH - g.pageH) / 2;
  for (const placed of sheet[side]) {
    const { slot } = placed;
    const left = slot.col * g.cellW;
    const bottom = H - (slot.row + 1) * g.cellH;
    const x0 = slot.spine === 'left' ? left : left + gapX;
    const x1 = x0 + g.pageW;
    const y0 = bottom + gapY;
    const y1 = y0 + g.pageH;
    const len = Math.min(4 * MM, gapY - 1 * MM, Math.max(gapX - 1 * MM, 0));
    if (gapY > 2 * MM) {
      const fore = slot.spine === 'left' ? x1 : x0;
      line(fore, y0 - 1 * MM, fore, y0 - 1 * MM - Math.min(4 * MM, gapY - 1 * MM));
      line(fore, y1 + 1 * MM, fore, y1 + 1 * MM + Math.min(4 * MM, gapY - 1 * MM));
    }
    if (gapX > 2 * MM && len > 0) {
      const dir = slot.spine === 'left' ? 1 : -1;
      const fore = slot.spine === 'left' ? x1 : x0;
      line(fore + dir * 1 * MM, y0, fore + dir * (1 * MM + len), y0);
      line(fore + dir * 1 * MM, y1, fore + dir * (1 * MM + len), y1);
    }
  }
  const spineFold = (a: number, b: number) => {
    const pa = sheet[side].find((p) => p.position === a);
    const pb = sheet[side].find((p) => p.position === b);
    if (!pa || !pb || pa.slot.row !== pb.slot.row) return undefined;
    return { x: Math.max(pa.slot.col, pb.slot.col) * g.cellW, row: pa.slot.row, upsideDown: pa.slot.upsideDown };
  };
  const sigStart = sheet.front.concat(sheet.back).reduce((n, p) => Math.min(n, p.position), Infinity);
  const sigPages = sheet.sheetsInSignature * layout.pagesPerSheet;
  const firstOfSig = sigStart - (sheet.sheetInSignature - 1) * (layout.pagesPerSheet / 2);
  const lastOfSig = firstOfSig + sigPages - 1;
  // Sewing stations across the fold of the signature's middle spread, inside the innermost sheet.
  if (sheet.sheetInSignature === sheet.sheetsInSignature) {
    const mid = firstOfSig + sigPages / 2 - 1;
    const fold = spineFold(mid, mid + 1);
    if (fold) {
      const bottom = H - (fold.row + 1) * g.cellH + gapY;
      const kettle = Math.min(12 * MM, g.pageH * 0.1);
      const span = g.pageH - 2 * kettle;
      const n = Math.max(2, Math.round(span / (40 * MM)) + 1);
      for (let k = 0; k < n; k++) {
        const y = bottom + kettle + (span * k) / (n - 1);
        line(fold.x - 1.5 * MM, y, fold.x + 1.5 * MM, y);
        page.drawCircle({ x: fold.x, y, size: 0.5 * MM, color: MARK });
      }
    }
  }
  // The collating mark and number on the spine fold, outside the outermost sheet.
  if (sheet.sheetInSignature === 1) {
    const fold = spineFold(lastOfSig, firstOfSig);
    if (fold) {
      const top = H - fold.row * g.cellH - (g.cellH - g.pageH) / 2;
      const step = 6 * MM;
      const steps = Math.max(1, Math.floor((g.pageH - 30 * MM) / step));
      const k = (sheet.signature - 1) % steps;
      // Measured from the head: on an upside-down row the head is at the bottom of the cell.
      const yTop = fold.upsideDown ? top - g.pageH + 12 * MM + k * step : top - 12 * MM - k * step;
      const boxH = 4 * MM;
      page.drawRectangle({ x: fold.x - 1 * MM, y: fold.upsideDown ? yTop : yTop - boxH, width: 2 * MM, height: boxH, color: grayscale(0) });
      // The number beside it, along the fold.
      const size = 6;
      let x = fold.x + 1.8 * MM;
      for (const glyph of g.digits(String(sheet.signature))) {
        const s = size / glyph.unitsPerEm;
        if (glyph.path) page.drawSvgPath(glyph.path, { x, y: (fold.upsideDown ? yTop : yTop - boxH) + 0.5 * MM, scale: s, color: grayscale(0) });
        x += glyph.advance * s;
      }
    }
  }
}
