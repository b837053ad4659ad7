import PDFDocument from 'pdfkit';
import { PDFDocument as PdfLibDocument } from 'pdf-lib';
import type { Inline } from '../../model/types.js';
import { buildTimestamp } from '../identity.js';
import { leadingCoverPages } from '../impose/index.js';
import { PAPERS, spineWidth, textBlockPages, type PrintOptions } from '../impose/print.js';
import { authorList, bookTitle, type BookPlan } from '../plan.js';
import { fontChain } from '../pdf/chain.js';
import { documentBytes, FACES, registerTextFaces } from '../pdf/document.js';
import { loadFont } from '../pdf/fonts.js';
import { hyphenatorFor } from '../pdf/hyphenate.js';
import type { PdfTheme } from '../pdf/index.js';
import { MM } from '../pdf/page.js';
import { isRtlLanguage, primaryLanguage } from '../pdf/script.js';
import { Setter, type TextStyle } from '../pdf/typeset.js';
import { coverScene, type Shape } from './design.js';
import { coverText } from './text.js';

export interface WrapOptions {
  print: PrintOptions;
  theme: PdfTheme;
  generator: string;
  sourceDateEpoch?: number;
}

/** Below this width (mm) a spine takes no text: it could not be read, nor printed straight. */
const SPINE_TEXT_MIN = 5;
/** Room kept clear at the head and foot of the spine, mm. */
const SPINE_END = 12;
/** The slug beyond the bleed where crop and fold marks go, mm (with `--marks`). */
const SLUG = 10;

/**
 * The wrap cover for a bound copy of the reading PDF: back board, spine
 * and front board at the book's trim size side by side, with bleed all
 * round. The spine's width comes from the text block's page count (as
 * imposed: flyleaves and blanks count) and the paper's caliper or pages per
 * inch; its title and authors read top to bottom. The front board is the
 * book's generated cover (the same design as the EPUB's, laid out for the
 * board; or the cover image given), the back carries the summary. Vector
 * PDF in the PDF theme's embedded fonts: every word is text. TrimBox and
 * BleedBox say where to cut; `--marks` adds crop and spine-fold marks in a
 * slug around the bleed.
 */
export async function writeWrapCover(base: Uint8Array, plan: BookPlan, options: WrapOptions): Promise<{ bytes: Uint8Array; summary: string[] }> {
  const { print, theme } = options;
  const src = await PdfLibDocument.load(base, { updateMetadata: false });
  const skipped = leadingCoverPages(plan, src);
  const bookPages = src.getPageCount() - skipped;
  const trim = src.getPage(skipped).getSize();
  const pages = textBlockPages(bookPages, print);
  const spineMm = spineWidth(pages, print);
  const spine = spineMm * MM;
  const bleed = print.bleed * MM;
  const slug = print.marks ? SLUG * MM : 0;
  const boardW = trim.width;
  const boardH = trim.height;
  const width = 2 * slug + 2 * bleed + 2 * boardW + spine;
  const height = 2 * slug + 2 * bleed + boardH;
  // Trim edges on the page.
  const left = slug + bleed;
  const top = slug + bleed;
  const spineX = left + boardW;
  const frontX = spineX + spine;

  const m = plan.metadata;
  const stamp = buildTimestamp(m, options.sourceDateEpoch);
  const doc = new PDFDocument({
    size: [width, height],
    autoFirstPage: false,
    pdfVersion: '1.7',
    lang: m.language,
    displayTitle: true,
    font: loadFont(theme.font.regular) as unknown as string,
    info: {
      Title: `${bookTitle(plan)} (wrap cover)`,
      Author: authorList(m.authors),
      Creator: options.generator,
      Producer: options.generator,
      CreationDate: stamp,
      ModDate: stamp,
    },
  });
  registerTextFaces(doc, theme);
  const done = documentBytes(doc);
  doc.addPage({ size: [width, height], margins: { top: 0, bottom: 0, left: 0, right: 0 } });
  // Where to cut (PDF boxes run from the lower left).
  const pageDict = (doc.page as unknown as { dictionary: { data: Record<string, unknown> } }).dictionary.data;
  pageDict.TrimBox = [left, slug + bleed, width - left, height - top];
  pageDict.BleedBox = [slug, slug, width - slug, height - slug];

  const chain = fontChain(doc, theme, FACES);
  const hyph = hyphenatorFor(m.language, theme.hyphenation.minWordLength);
  const rtl = isRtlLanguage(m.language);
  const setter = new Setter({
    doc,
    geometry: { name: 'cover', width, height, margins: { top: 0, bottom: 0, inner: 0, outer: 0 }, fontSize: 10, print: false },
    fontRuns: chain.runs,
    hyphenate: (t, lang) => {
      const h = primaryLanguage(lang) === primaryLanguage(m.language) ? hyph : hyphenatorFor(lang, theme.hyphenation.minWordLength);
      return h ? t.replace(/[\p{Script=Latin}\p{Script=Cyrillic}\p{Script=Greek}\u00ad]{6,60}/gu, (w) => h(w)) : t;
    },
    lang: m.language,
    rtl,
    maxStretchEm: theme.justify.maxStretchEm,
    maxCharStretchEm: theme.justify.maxCharStretchEm,
    maxHyphenated: theme.hyphenation.maxConsecutive,
    sceneBreakMark: theme.sceneBreak.mark,
    sceneBreakLines: 1,
    // The cover's text is placed by hand, never on the body's grid: the pitch of its 10 pt type.
    grid: 12.5,
    blockquoteInset: 0,
    headingSize: 10,
    fontKey: JSON.stringify([theme.font, theme.fallbackFonts, theme.scriptFonts]),
  });
  const style = (size: number, face: string, align: TextStyle['align'], more: Partial<TextStyle> = {}): TextStyle => ({
    size,
    leading: size * 1.25,
    indent: 0,
    paragraphGap: 0,
    align,
    face,
    hyphenate: false,
    ...more,
  });
  // Widths at 1 pt, run by run in the fonts that draw them: the scene's title is fitted with them.
  const measure = (t: string, bold: boolean) => chain.runs(t, bold ? 'bold' : 'regular', m.language).reduce((w, r) => w + setter.measure(r.text, r.face, 100) / 100, 0);
  const text = coverText(plan);
  const scene = coverScene(text, measure, boardW, boardH);
  const titleColour = scene.palette.title;
  const accent = scene.palette.accent;

  // One ground for the whole wrap, bleed included.
  doc.rect(0, 0, width, height).fill(scene.background);

  // The front board: the cover image given, or the generated design, clipped to the board and its bleed.
  doc.save();
  doc.rect(frontX, slug, boardW + bleed, boardH + 2 * bleed).clip();
  if (plan.cover) {
    doc.image(plan.cover, frontX, slug, { cover: [boardW + bleed, boardH + 2 * bleed], align: 'center', valign: 'center' });
  } else {
    doc.save();
    doc.translate(frontX, top);
    for (const shape of scene.shapes) drawShape(doc, setter, intoBleed(shape, boardW, boardH, bleed), boardW, style);
    doc.restore();
  }
  doc.restore();

  // The spine: title and authors reading top to bottom, letters' heads towards the front board.
  let spineText = false;
  if (spineMm >= SPINE_TEXT_MIN) {
    spineText = true;
    const size = Math.min(spine * 0.42, 13, boardW * 0.032);
    const length = boardH - 2 * SPINE_END * MM;
    doc.save();
    doc.translate(spineX + spine / 2, top + SPINE_END * MM);
    doc.rotate(90);
    // Centred across the spine: the baseline a little past the middle, by half the capitals' height.
    const y = size * 0.35 - setter.ascent(size);
    const authors = authorList(m.authors);
    const titleRoom = authors ? length * 0.62 : length;
    doc.fillColor(titleColour);
    setter.singleLine(m.title || 'Untitled', style(size, 'bold', 'left'), 0, y, titleRoom);
    if (authors) {
      doc.fillColor(accent);
      setter.singleLine(authors, style(size * 0.85, 'regular', 'right'), length * 0.66, y, length * 0.34);
    }
    doc.restore();
  }

  // The back board: the summary, set like the book's notes, fitted to the board.
  const margin = boardW * (140 / 1600);
  const backLeft = left + margin;
  const backWidth = boardW - 2 * margin;
  const backTop = top + boardH * 0.14;
  const room = boardH * 0.72;
  const paragraphs: Inline[][] = m.summary.flatMap((b) => (b.type === 'paragraph' ? [b.children] : b.type === 'blockquote' ? b.children.flatMap((c) => (c.type === 'paragraph' ? [c.children] : [])) : []));
  if (!paragraphs.length) paragraphs.push([{ type: 'text', value: m.title }], [{ type: 'text', value: authorList(m.authors) }]);
  const baseSize = Math.min(13, Math.max(8, boardW * 0.028));
  let size = baseSize;
  let set = setSummary(setter, paragraphs, style(size, 'regular', 'justify', { leading: size * 1.45, hyphenate: true }), backWidth);
  while (set.height > room && size > 6.5) {
    size -= 0.5;
    set = setSummary(setter, paragraphs, style(size, 'regular', 'justify', { leading: size * 1.45, hyphenate: true }), backWidth);
  }
  doc.fillColor(titleColour);
  let y = backTop;
  const bodyStyle = style(size, 'regular', 'justify', { leading: size * 1.45, hyphenate: true });
  let cut = false;
  for (const p of set.paragraphs) {
    for (const line of p.lines) {
      if (y + bodyStyle.leading > backTop + room) {
        cut = true;
        break;
      }
      doc.y = y;
      setter.drawLine(line, bodyStyle, backLeft, backWidth, p.rtl);
      y += bodyStyle.leading;
    }
    if (cut) break;
    y += size * 0.6;
  }
  // A rule in the front's accent, below the summary.
  doc.rect(backLeft + backWidth * 0.35, Math.min(y + size, backTop + room) + size, backWidth * 0.3, Math.max(0.6, boardW * 0.005)).fill(accent);

  if (print.marks) drawCoverMarks(doc, { width, height, slug, bleed, left, top, boardW, boardH, spineX, spine });
  doc.end();
  const bytes = await done;
  const fits = paperFor(width / MM, height / MM);
  const summary = [
    `wrap cover ${(width / MM).toFixed(1)} × ${(height / MM).toFixed(1)} mm: boards ${(boardW / MM).toFixed(1)} × ${(boardH / MM).toFixed(1)} mm, spine ${spineMm.toFixed(1)} mm for ${pages} pages, ${print.bleed} mm bleed${print.marks ? ', marks in a 10 mm slug' : ''}; ${fits ? `print at 100 % on ${fits}` : 'larger than A3 and Tabloid: print it at a print shop'}`,
    ...(spineText ? [] : [`the spine (${spineMm.toFixed(1)} mm) is too narrow for its title: left plain`]),
    ...(cut ? ['the summary is longer than the back board holds: cut short'] : []),
  ];
  return { bytes: new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength), summary };
}

/** The summary's paragraphs broken into lines at a style, and the height they take. */
function setSummary(setter: Setter, paragraphs: readonly Inline[][], style: TextStyle, width: number) {
  const out = paragraphs.map((p) => setter.layout(p, style, width));
  const height = out.reduce((h, p) => h + p.lines.length * style.leading, 0) + (out.length - 1) * style.size * 0.6;
  return { paragraphs: out, height };
}

/** One shape of the cover scene, in board coordinates (the caller has moved the origin to the board's corner). */
function drawShape(doc: PDFKit.PDFDocument, setter: Setter, s: Shape, boardW: number, style: (size: number, face: string, align: TextStyle['align'], more?: Partial<TextStyle>) => TextStyle): void {
  switch (s.kind) {
    case 'rect':
      doc.rect(s.x, s.y, s.w, s.h).fill(s.fill);
      break;
    case 'circle':
      doc.circle(s.cx, s.cy, s.r);
      if (s.fill) doc.fill(s.fill);
      else if (s.stroke) doc.lineWidth(s.strokeWidth ?? 1).stroke(s.stroke);
      break;
    case 'polygon':
      doc.polygon(...s.points).fill(s.fill);
      break;
    case 'text': {
      doc.fillColor(s.fill);
      const st = style(s.size, s.bold ? 'bold' : 'regular', 'center', s.letterSpacing ? { tracking: s.letterSpacing } : {});
      // The scene gives the baseline; a line is placed by its top.
      setter.singleLine(s.text, st, s.x - boardW / 2, s.y - setter.ascent(s.size), boardW);
      break;
    }
  }
}

/**
 * A shape that reaches an edge of the board carried on into the bleed
 * beyond it (a band across the foot, a corner triangle), so the trim cuts
 * through colour rather than leaving a stripe of ground; the spine side
 * gets the same, clipped at the fold.
 */
function intoBleed(s: Shape, W: number, H: number, bleed: number): Shape {
  const e = 0.01;
  const x = (v: number) => (v <= e ? v - bleed : v >= W - e ? v + bleed : v);
  const y = (v: number) => (v <= e ? v - bleed : v >= H - e ? v + bleed : v);
  if (s.kind === 'rect') {
    const x0 = x(s.x);
    const y0 = y(s.y);
    return { ...s, x: x0, y: y0, w: x(s.x + s.w) - x0, h: y(s.y + s.h) - y0 };
  }
  if (s.kind === 'polygon') return { ...s, points: s.points.map(([px, py]): [number, number] => [x(px), y(py)]) };
  return s;
}

/** The smallest common paper a page of `w` × `h` mm fits on at full size, either way round. */
function paperFor(w: number, h: number): string | undefined {
  const papers = ['a4', 'letter', 'legal', 'a3', 'tabloid'].map((k) => PAPERS[k]!).sort((a, b) => a.width * a.height - b.width * b.height);
  for (const p of papers) {
    if (w <= p.width && h <= p.height) return `${p.name} portrait`;
    if (w <= p.height && h <= p.width) return `${p.name} landscape`;
  }
  return undefined;
}

/** Crop marks at the wrap's corners and fold marks at the spine's edges, in the slug beyond the bleed. */
function drawCoverMarks(
  doc: PDFKit.PDFDocument,
  g: { width: number; height: number; slug: number; bleed: number; left: number; top: number; boardW: number; boardH: number; spineX: number; spine: number },
): void {
  const len = g.slug - 2 * MM;
  const right = g.width - g.left;
  const bottom = g.top + g.boardH;
  doc.save().lineWidth(0.4).strokeColor('#000000');
  for (const x of [g.left, right]) {
    doc.moveTo(x, 0).lineTo(x, len).stroke();
    doc.moveTo(x, g.height - len).lineTo(x, g.height).stroke();
  }
  for (const y of [g.top, bottom]) {
    doc.moveTo(0, y).lineTo(len, y).stroke();
    doc.moveTo(g.width - len, y).lineTo(g.width, y).stroke();
  }
  // The spine's folds, dashed.
  for (const x of [g.spineX, g.spineX + g.spine]) {
    doc.moveTo(x, 0).lineTo(x, len).dash(2, { space: 2 }).stroke();
    doc.moveTo(x, g.height - len).lineTo(x, g.height).dash(2, { space: 2 }).stroke();
  }
  doc.undash().restore();
}
