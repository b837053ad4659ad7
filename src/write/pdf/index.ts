import PDFDocument from 'pdfkit';
import { assertNever, type Block, type Inline, type Work } from '../../model/types.js';
import { buildTimestamp } from '../identity.js';
import { authorList, metadataRows, planBook, seriesLines, summaryText, type Section } from '../plan.js';
import { fontPath } from './fonts.js';

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
type Face = 'regular' | 'italic' | 'bold' | 'boldItalic';

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
        metadataPage(doc, work, theme, notes);
        break;
      case 'notes':
      case 'endnotes':
        newPage();
        doc.outline.addItem(section.label);
        pageHeading(doc, theme, '', section.heading);
        renderBlocks(doc, section.blocks, notes, theme);
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
        if (ch.summary.length) labelledNotes(doc, 'Chapter Summary', ch.summary, notes, theme);
        if (ch.notes.before.length) labelledNotes(doc, 'Chapter Notes', ch.notes.before, notes, theme);
        renderBlocks(doc, ch.blocks, body, theme);
        if (ch.notes.after.length) {
          doc.moveDown(1);
          labelledNotes(doc, 'Chapter End Notes', ch.notes.after, notes, theme);
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

function metadataPage(doc: Doc, work: Work, theme: PdfTheme, notes: TextStyle): void {
  const width = contentWidth(doc);
  if (work.metadata.summary.length) {
    setFont(doc, 'bold', theme.notes.size);
    doc.text('Summary', { width });
    doc.moveDown(0.3);
    renderBlocks(doc, work.metadata.summary, notes, theme);
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

function labelledNotes(doc: Doc, label: string, blocks: Block[], style: TextStyle, theme: PdfTheme): void {
  setFont(doc, 'bold', style.size);
  doc.text(label, doc.page.margins.left, doc.y, { width: contentWidth(doc) });
  doc.moveDown(0.3);
  renderBlocks(doc, blocks, style, theme);
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

function renderBlocks(doc: Doc, blocks: readonly Block[], style: TextStyle, theme: PdfTheme, inset = 0): void {
  let indentNext = false;
  for (const b of blocks) {
    switch (b.type) {
      case 'paragraph':
        paragraph(doc, b.children, { ...style, indent: indentNext ? style.indent : 0 }, inset);
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
        renderBlocks(doc, b.children, { ...style, align: 'left', indent: 0, paragraphGap: 4 }, theme, inset + 20);
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
          renderBlocks(doc, item, { ...style, indent: 0, align: 'left' }, theme, inset + 18);
        });
        indentNext = false;
        break;
      default:
        assertNever(b);
    }
  }
}

interface Run {
  text: string;
  face: Face;
  link?: string;
}

function runs(inlines: readonly Inline[], italic = false, bold = false, link?: string): Run[] {
  const out: Run[] = [];
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

function paragraph(doc: Doc, inlines: readonly Inline[], style: TextStyle, inset: number): void {
  const parts = runs(inlines);
  if (!parts.length) return;
  const x = doc.page.margins.left + inset;
  const width = contentWidth(doc) - inset;
  parts.forEach((r, i) => {
    setFont(doc, r.face, style.size);
    const last = i === parts.length - 1;
    const opts: PDFKit.Mixins.TextOptions = {
      width,
      align: style.align,
      lineGap: style.lineGap,
      paragraphGap: style.paragraphGap,
      continued: !last,
      ...(r.link ? { link: r.link, underline: false } : { link: null as unknown as string }),
    };
    if (i === 0) {
      opts.indent = style.indent;
      doc.text(r.text, x, doc.y, opts);
    } else doc.text(r.text, opts);
  });
}

function plain(inlines: readonly Inline[]): string {
  return runs(inlines)
    .map((r) => r.text)
    .join('');
}

export type { Section };
