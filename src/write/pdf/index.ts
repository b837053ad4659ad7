import PDFDocument from 'pdfkit';
import { assertNever, type Block, type Inline, type Work } from '../../model/types.js';
import { buildTimestamp } from '../identity.js';
import { authorList, metadataRows, planBook, seriesLines, summaryText, type Section } from '../plan.js';
import { fontPath } from './fonts.js';
import { breakLines, toWords, type Face, type Line, type Piece } from './layout.js';

/** The PDF theme (styles/pdf-theme.json): sizes in points. */
export interface PdfTheme {
  page: { size: [number, number]; margins: { top: number; bottom: number; left: number; right: number } };
  font: { regular: string; italic: string; bold: string; boldItalic: string };
  body: { size: number; lineGap: number; indent: number; paragraphGap: number };
  notes: { size: number; lineGap: number; paragraphGap: number };
  title: { size: number; authorSize: number; seriesSize: number; top: number };
  chapter: { kickerSize: number; titleSize: number; top: number; after: number };
  heading: { size: number };
  meta: { size: number; lineGap: number };
  folio: { size: number };
  sceneBreak: { mark: string; space: number };
}

export interface PdfOptions {
  theme: PdfTheme;
  sourceDateEpoch?: number;
  generator: string;
}

type Doc = PDFKit.PDFDocument;

interface TextStyle {
  size: number;
  lineGap: number;
  indent: number;
  paragraphGap: number;
  align: 'justify' | 'left' | 'center';
}

/**
 * Work → PDF bytes with pdfkit: embedded Literata (never the standard 14
 * fonts), a title page, a metadata page, notes, a contents page with links
 * for multi-chapter works, chapters on new pages, page numbers, an outline
 * and document info. Deterministic for the same input.
 */
export async function writePdf(work: Work, options: PdfOptions): Promise<Buffer> {
  const { theme } = options;
  const plan = planBook(work);
  const stamp = buildTimestamp(work, options.sourceDateEpoch);
  const m = work.metadata;
  const doc = new PDFDocument({
    size: theme.page.size,
    margins: theme.page.margins,
    bufferPages: true,
    autoFirstPage: false,
    pdfVersion: '1.7',
    lang: m.language,
    displayTitle: true,
    font: fontPath(theme.font.regular),
    info: {
      Title: m.title,
      Author: authorList(m.authors),
      Subject: summaryText(work),
      Keywords: m.tags.map((t) => t.name).join(', '),
      Creator: options.generator,
      Producer: options.generator,
      CreationDate: stamp,
      ModDate: stamp,
    },
  });
  for (const face of ['regular', 'italic', 'bold', 'boldItalic'] as const) doc.registerFont(face, fontPath(theme.font[face]));

  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });

  const noFolio = new Set<number>();
  const pageIndex = () => doc.bufferedPageRange().start + doc.bufferedPageRange().count - 1;
  const newPage = (folio = true) => {
    doc.addPage();
    if (!folio) noFolio.add(pageIndex());
  };

  const ctx: Ctx = { doc, theme, newPage: () => newPage(true) };
  const body: TextStyle = { ...theme.body, align: 'justify' };
  const notes: TextStyle = { ...theme.notes, indent: 0, align: 'left' };
  const contentsPage: { index: number } = { index: -1 };
  const chapterDestinations: Array<{ label: string; dest: string }> = [];

  for (const section of plan.sections) {
    switch (section.kind) {
      case 'title':
        newPage(false);
        titlePage(doc, work, theme);
        doc.outline.addItem(m.title);
        newPage(true);
        metadataPage(ctx, work, notes);
        break;
      case 'notes':
      case 'endnotes':
        newPage();
        doc.outline.addItem(section.label);
        pageHeading(doc, theme, '', section.heading);
        renderBlocks(ctx, section.blocks, notes);
        break;
      case 'contents':
        newPage();
        contentsPage.index = pageIndex();
        doc.outline.addItem(section.label);
        break;
      case 'chapter': {
        newPage(false);
        const dest = `chapter-${section.chapter.id}`;
        doc.addNamedDestination(dest);
        chapterDestinations.push({ label: section.label, dest });
        doc.outline.addItem(section.label);
        pageHeading(doc, theme, section.heading.kicker, section.heading.title);
        const ch = section.chapter;
        if (ch.summary.length) labelledNotes(ctx, 'Chapter Summary', ch.summary, notes);
        if (ch.notes.before.length) labelledNotes(ctx, 'Chapter Notes', ch.notes.before, notes);
        renderBlocks(ctx, ch.blocks, body);
        if (ch.notes.after.length) {
          doc.moveDown(1);
          labelledNotes(ctx, 'Chapter End Notes', ch.notes.after, notes);
        }
        break;
      }
      default:
        assertNever(section as never);
    }
  }

  if (contentsPage.index >= 0) {
    doc.switchToPage(contentsPage.index);
    contents(doc, theme, chapterDestinations);
  }
  folios(doc, theme, noFolio);
  doc.end();
  return done;
}

function setFont(doc: Doc, face: Face, size: number): void {
  doc.font(face).fontSize(size);
}

function titlePage(doc: Doc, work: Work, theme: PdfTheme): void {
  const m = work.metadata;
  const width = contentWidth(doc);
  const x = doc.page.margins.left;
  doc.y = theme.title.top;
  setFont(doc, 'bold', theme.title.size);
  doc.text(m.title, x, doc.y, { width, align: 'center' });
  doc.moveDown(0.8);
  if (m.authors.length) {
    setFont(doc, 'regular', theme.title.authorSize);
    doc.text(`by ${authorList(m.authors)}`, { width, align: 'center' });
    doc.moveDown(0.6);
  }
  setFont(doc, 'italic', theme.title.seriesSize);
  for (const line of seriesLines(work)) doc.text(line, { width, align: 'center' });
}

function metadataPage(ctx: Ctx, work: Work, notes: TextStyle): void {
  const { doc, theme } = ctx;
  const width = contentWidth(doc);
  if (work.metadata.summary.length) {
    setFont(doc, 'bold', theme.notes.size);
    doc.text('Summary', { width });
    doc.moveDown(0.3);
    renderBlocks(ctx, work.metadata.summary, notes);
    doc.moveDown(1);
  }
  for (const row of metadataRows(work)) {
    setFont(doc, 'bold', theme.meta.size);
    doc.text(`${row.label}: `, { width, continued: true, lineGap: theme.meta.lineGap });
    setFont(doc, 'regular', theme.meta.size);
    doc.text(row.values.join(row.label === 'Stats' ? ' · ' : ', '), { width, lineGap: theme.meta.lineGap });
    doc.moveDown(0.3);
  }
  if (work.metadata.sourceUrl) {
    doc.moveDown(0.5);
    setFont(doc, 'regular', theme.meta.size);
    doc.text(`Originally published at ${work.metadata.sourceUrl}`, { width, link: work.metadata.sourceUrl });
  }
}

function pageHeading(doc: Doc, theme: PdfTheme, kicker: string, title: string): void {
  const width = contentWidth(doc);
  const x = doc.page.margins.left;
  doc.y = theme.chapter.top;
  if (kicker) {
    setFont(doc, 'regular', theme.chapter.kickerSize);
    doc.text(kicker.toUpperCase(), x, doc.y, { width, align: 'center', characterSpacing: 1.2 });
    doc.moveDown(0.5);
  }
  if (title) {
    setFont(doc, 'italic', theme.chapter.titleSize);
    doc.text(title, x, doc.y, { width, align: 'center' });
  }
  doc.y += theme.chapter.after;
}

function labelledNotes(ctx: Ctx, label: string, blocks: Block[], style: TextStyle): void {
  const { doc } = ctx;
  setFont(doc, 'bold', style.size);
  doc.text(label, doc.page.margins.left, doc.y, { width: contentWidth(doc) });
  doc.moveDown(0.3);
  renderBlocks(ctx, blocks, style);
  doc.moveDown(1);
}

function contents(doc: Doc, theme: PdfTheme, entries: Array<{ label: string; dest: string }>): void {
  pageHeading(doc, theme, '', 'Contents');
  const width = contentWidth(doc);
  for (const e of entries) {
    setFont(doc, 'regular', theme.body.size);
    doc.text(e.label, doc.page.margins.left, doc.y, { width, goTo: e.dest, lineGap: theme.body.lineGap });
    doc.moveDown(0.2);
  }
}

function folios(doc: Doc, theme: PdfTheme, skip: Set<number>): void {
  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    if (skip.has(i)) continue;
    doc.switchToPage(i);
    const bottom = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    setFont(doc, 'regular', theme.folio.size);
    doc.text(String(i + 1), 0, doc.page.height - bottom / 2 - theme.folio.size / 2, {
      width: doc.page.width,
      align: 'center',
      lineBreak: false,
    });
    doc.page.margins.bottom = bottom;
  }
}

function contentWidth(doc: Doc): number {
  return doc.page.width - doc.page.margins.left - doc.page.margins.right;
}

/** What block rendering needs besides the blocks: the document, the theme, and how to start a page. */
interface Ctx {
  doc: Doc;
  theme: PdfTheme;
  newPage: () => void;
}

function renderBlocks(ctx: Ctx, blocks: readonly Block[], style: TextStyle, inset = 0): void {
  const { doc, theme } = ctx;
  let indentNext = false;
  for (const b of blocks) {
    switch (b.type) {
      case 'paragraph':
        paragraph(ctx, b.children, { ...style, indent: indentNext ? style.indent : 0 }, inset);
        indentNext = true;
        break;
      case 'sceneBreak': {
        doc.y += theme.sceneBreak.space;
        setFont(doc, 'regular', style.size);
        doc.text(theme.sceneBreak.mark, doc.page.margins.left, doc.y, { width: contentWidth(doc), align: 'center' });
        doc.y += theme.sceneBreak.space;
        indentNext = false;
        break;
      }
      case 'blockquote':
        doc.moveDown(0.4);
        renderBlocks(ctx, b.children, { ...style, align: 'left', indent: 0, paragraphGap: 4 }, inset + 20);
        doc.moveDown(0.4);
        indentNext = false;
        break;
      case 'heading':
        doc.moveDown(0.6);
        setFont(doc, 'bold', theme.heading.size);
        doc.text(plain(b.children), doc.page.margins.left + inset, doc.y, { width: contentWidth(doc) - inset, align: 'center' });
        doc.moveDown(0.4);
        indentNext = false;
        break;
      case 'list':
        b.items.forEach((item, i) => {
          const marker = b.ordered ? `${i + 1}.` : '•';
          setFont(doc, 'regular', style.size);
          const y = doc.y;
          doc.text(marker, doc.page.margins.left + inset, y, { width: 16, lineBreak: false });
          doc.y = y;
          renderBlocks(ctx, item, { ...style, indent: 0, align: 'left' }, inset + 18);
        });
        indentNext = false;
        break;
      default:
        assertNever(b);
    }
  }
}

function runs(inlines: readonly Inline[], italic = false, bold = false, link?: string): Piece[] {
  const out: Piece[] = [];
  const face = (): Face => (bold ? (italic ? 'boldItalic' : 'bold') : italic ? 'italic' : 'regular');
  for (const n of inlines) {
    switch (n.type) {
      case 'text':
        out.push({ text: n.value, face: face(), ...(link ? { link } : {}) });
        break;
      case 'lineBreak':
        out.push({ text: '\n', face: face() });
        break;
      case 'emphasis':
        out.push(...runs(n.children, !italic, bold, link));
        break;
      case 'strong':
        out.push(...runs(n.children, italic, true, link));
        break;
      case 'link':
        out.push(...runs(n.children, italic, bold, n.url));
        break;
      default:
        assertNever(n);
    }
  }
  return out.filter((r) => r.text.length > 0);
}

/** Bottom of the text area of the current page. */
function maxY(doc: Doc): number {
  return doc.page.height - doc.page.margins.bottom;
}

/**
 * Set a paragraph with Quire's own line layout (see layout.ts): justified or
 * aligned lines, first-line indent, and no widows or orphans — at least two
 * lines of a paragraph at the foot of a page and at the head of the next.
 */
function paragraph(ctx: Ctx, inlines: readonly Inline[], style: TextStyle, inset: number): void {
  const { doc, newPage } = ctx;
  const pieces = runs(inlines);
  if (!pieces.length) return;
  const x = doc.page.margins.left + inset;
  const width = contentWidth(doc) - inset;
  const measure = (text: string, face: Face) => {
    setFont(doc, face, style.size);
    return doc.widthOfString(text);
  };
  const space = measure(' ', 'regular');
  setFont(doc, 'regular', style.size);
  const lineHeight = doc.currentLineHeight(true) + style.lineGap;
  const lines = breakLines(toWords(pieces, measure), width, space, style.indent);
  let i = 0;
  while (i < lines.length) {
    const remaining = lines.length - i;
    let fit = Math.floor((maxY(doc) - doc.y + style.lineGap) / lineHeight);
    if (fit < remaining) {
      // Orphan: never leave a lone first line at the foot of a page.
      if (fit < 2 && remaining >= 2 && i === 0) fit = 0;
      // Widow: never carry a lone last line to the next page.
      else if (remaining - fit < 2 && remaining >= 3) fit = remaining - 2;
      else if (remaining - fit < 2) fit = 0;
    }
    if (fit <= 0) {
      newPage();
      fit = Math.max(1, Math.floor((maxY(doc) - doc.y + style.lineGap) / lineHeight));
    }
    const take = Math.min(fit, remaining);
    for (let k = 0; k < take; k++) drawLine(doc, lines[i + k]!, x, doc.y, width, space, style);
    i += take;
    if (i < lines.length) newPage();
  }
  doc.y += style.paragraphGap;
  doc.x = doc.page.margins.left;

  function drawLine(d: Doc, line: Line, left: number, y: number, w: number, sp: number, st: TextStyle): void {
    const n = line.words.length;
    const natural = line.width + sp * Math.max(0, n - 1);
    let cx = left + line.indent;
    let gap = sp;
    if (st.align === 'justify' && !line.last && n > 1) gap = (w - line.indent - line.width) / (n - 1);
    else if (st.align === 'center') cx = left + (w - natural) / 2;
    line.words.forEach((word, wi) => {
      word.pieces.forEach((p, pi) => {
        setFont(d, p.face, st.size);
        const trailing = pi === word.pieces.length - 1 && wi < n - 1 ? ' ' : '';
        d.text(p.text + trailing, cx, y, { lineBreak: false, link: p.link ?? (null as unknown as string), underline: false });
        cx += d.widthOfString(p.text);
      });
      cx += gap;
    });
    d.y = y + lineHeight;
  }
}

function plain(inlines: readonly Inline[]): string {
  return runs(inlines)
    .map((r) => r.text)
    .join('');
}

export type { Section };
