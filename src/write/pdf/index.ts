import PDFDocument from 'pdfkit';
import type { Diagnostic } from '../../diagnostics.js';
import { diagnostic } from '../../diagnostics.js';
import type { Block, Footnote, Inline, Work } from '../../model/types.js';
import { buildTimestamp } from '../identity.js';
import { authorList, bookTitle, metadataRows, planBook, seriesLines, summaryText, volumeLine, type BookPlan } from '../plan.js';
import { fontChain, type ScriptFont } from './chain.js';
import { loadFont } from './fonts.js';
import { hyphenatorFor } from './hyphenate.js';
import type { Face } from './layout.js';
import { pageGeometry, type PagePreset } from './page.js';
import { isRtlLanguage, primaryLanguage } from './script.js';
import { noteMark, Setter, type TextStyle } from './typeset.js';

/** The PDF theme (styles/pdf-theme.json). */
export interface PdfTheme {
  pageSizes: Record<string, PagePreset>;
  defaultPageSize: string;
  maxMeasureEm: number;
  font: Record<'regular' | 'italic' | 'bold' | 'boldItalic', string>;
  /** The fixed-width face of preformatted text. */
  monoFont: string;
  /** Tried in order for glyphs the main font lacks. */
  fallbackFonts: Array<Record<'regular' | 'italic' | 'bold' | 'boldItalic', string>>;
  /** Fonts by script (and language, for CJK), tried first for text in their script. */
  scriptFonts: ScriptFont[];
  /** Justification: the most a gap may widen, in ems of the type size. */
  justify: { maxStretchEm: number; maxCharStretchEm: number };
  lineHeight: number;
  paragraphIndentEm: number;
  notesSizeEm: number;
  metaSizeEm: number;
  titleSizeEm: number;
  authorSizeEm: number;
  seriesSizeEm: number;
  chapterTitleSizeEm: number;
  chapterKickerSizeEm: number;
  chapterTopFraction: number;
  chapterAfterEm: number;
  headingSizeEm: number;
  runningHeadSizeEm: number;
  folioSizeEm: number;
  blockquoteInsetEm: number;
  sceneBreak: { mark: string; spaceEm: number };
  hyphenation: { minWordLength: number; maxConsecutive: number };
}

export interface PdfOptions {
  theme: PdfTheme;
  /** `--page-size`; the theme's default when absent. */
  pageSize?: string;
  sourceDateEpoch?: number;
  generator: string;
  /** Receives problems found while writing (missing glyphs). */
  warn?: (d: Diagnostic) => void;
}

const FACES = ['regular', 'italic', 'bold', 'boldItalic'] as const;

export { pageGeometry };

/**
 * Work → print-quality PDF: embedded Literata with a DejaVu fallback for
 * missing glyphs, justified and hyphenated text set by Quire's own line
 * layout, no widows or orphans, chapters on new (right-hand, in print)
 * pages, running heads and folios, a contents page with page numbers and
 * links, bookmarks, document info and XMP, and a tagged structure tree.
 * Deterministic for the same input.
 */
export function writePdf(work: Work, options: PdfOptions): Promise<Buffer> {
  return writeBookPdf(planBook(work), options);
}

/** A planned book (one work or a series omnibus) → PDF bytes. */
export async function writeBookPdf(plan: BookPlan, options: PdfOptions): Promise<Buffer> {
  const { theme } = options;
  const geo = pageGeometry(theme, options.pageSize);
  const stamp = buildTimestamp(plan.metadata, options.sourceDateEpoch);
  const m = plan.metadata;
  const source = plan.works[0]?.source ?? '';
  const info = {
    Title: bookTitle(plan),
    Author: authorList(m.authors),
    Subject: summaryText(m),
    Keywords: m.tags.map((t) => t.name).join(', '),
    Creator: options.generator,
    Producer: options.generator,
    CreationDate: stamp,
    ModDate: stamp,
  };
  const doc = new PDFDocument({
    size: [geo.width, geo.height],
    bufferPages: true,
    autoFirstPage: false,
    pdfVersion: '1.7',
    lang: m.language,
    displayTitle: true,
    tagged: true,
    font: loadFont(theme.font.regular) as unknown as string,
    info,
  });
  writeXmp(doc, info, m.language);
  const rtl = isRtlLanguage(m.language);
  // Viewers show facing pages of a right-to-left book with the first on the right.
  if (rtl) (doc as unknown as { _root: { data: { ViewerPreferences: { data: Record<string, unknown> } } } })._root.data.ViewerPreferences.data.Direction = 'R2L';
  for (const face of FACES) doc.registerFont(face, loadFont(theme.font[face]) as unknown as string);
  // Preformatted text (code blocks) in a fixed-width face; its fallbacks come from the font chain.
  doc.registerFont('mono', loadFont(theme.monoFont) as unknown as string);
  // pdfkit does not cache a registered name whose font it already holds as the
  // document's default (it re-parses the TTF on every switch): seed its cache.
  (doc as unknown as { _fontFamilies: Record<string, unknown>; _font: unknown })._fontFamilies.regular = (doc as unknown as { _font: unknown })._font;
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });

  const chain = fontChain(doc, theme, [...FACES, 'mono']);
  const missing = chain.missing;
  const hyph = hyphenatorFor(m.language, theme.hyphenation.minWordLength);
  const size = geo.fontSize;
  const setter = new Setter({
    doc,
    geometry: geo,
    fontRuns: chain.runs,
    // Hyphenate word by word (letters of alphabetic scripts only), leaving alone what no pattern
    // should see (very long tokens); text marked as another language by its own patterns, if any.
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
    sceneBreakSpace: theme.sceneBreak.spaceEm * size,
    blockquoteInset: theme.blockquoteInsetEm * size,
    headingSize: theme.headingSizeEm * size,
    fontKey: JSON.stringify([theme.font, theme.fallbackFonts, theme.scriptFonts]),
  });
  const body: TextStyle = {
    size,
    leading: size * theme.lineHeight,
    indent: theme.paragraphIndentEm * size,
    paragraphGap: 0,
    align: 'justify',
    // Patterns may come with a language a span marks, so hyphenation is always asked for.
    hyphenate: true,
  };
  const notes: TextStyle = {
    ...body,
    size: size * theme.notesSizeEm,
    leading: size * theme.notesSizeEm * theme.lineHeight,
    indent: 0,
    align: 'left',
    paragraphGap: size * 0.35,
  };
  layoutBook(setter, plan, theme, body, notes);
  runningHeadsAndFolios(setter, m.title, theme, notes);
  if (missing.size && options.warn) {
    options.warn(
      diagnostic('warning', 'pdf/missing-glyph', source, `no font has a glyph for ${[...missing].slice(0, 8).join(' ')}${missing.size > 8 ? ' …' : ''}; shown as boxes in the PDF`),
    );
  }
  doc.end();
  return done;
}

/** Lay out every planned section of the book. */
function layoutBook(s: Setter, plan: BookPlan, theme: PdfTheme, body: TextStyle, notes: TextStyle): void {
  const { doc } = s;
  const m = plan.metadata;
  const size = body.size;
  const root = doc.struct('Document');
  doc.addStructure(root);
  if (plan.cover) {
    // The cover, filling its page; then the book as usual.
    s.newPage({ folio: false, head: false, section: '' });
    const fig = doc.struct('Figure', { alt: `Cover of ${m.title}` });
    root.add(fig);
    const content = doc.markStructureContent('Figure');
    doc.image(plan.cover, 0, 0, { fit: [s.geo.width, s.geo.height], align: 'center', valign: 'center' });
    doc.endMarkedContent();
    fig.add(content);
    fig.end();
  }
  const destinations: ContentsEntry[] = [];
  let contents: { first: number; count: number; el: PDFKit.PDFStructureElement } | undefined;
  // Bookmarks nest like the navigation: a part's sections under the part.
  let outlineParent: PDFKit.PDFOutline = doc.outline;
  const bookmark = (label: string, depth: number) => {
    const item = (depth > 0 ? outlineParent : doc.outline).addItem(label);
    if (depth === 0) outlineParent = item;
  };

  const display = (em: number, face: Face, align: TextStyle['align'] = 'center'): TextStyle => ({
    size: size * em,
    leading: size * em * 1.25,
    indent: 0,
    paragraphGap: 0,
    align,
    face,
    hyphenate: false,
  });
  const metaStyle: TextStyle = { ...notes, size: size * theme.metaSizeEm, leading: size * theme.metaSizeEm * 1.4, paragraphGap: size * 0.3 };

  /** Start a navigable section on the current page: its link target, contents entry, bookmark and structure element. */
  const openSection = (id: string, label: string, depth: number): PDFKit.PDFStructureElement => {
    doc.addNamedDestination(id);
    destinations.push({ label, dest: id, page: s.pageIndex, depth });
    bookmark(label, depth);
    const sect = doc.struct('Sect');
    root.add(sect);
    return sect;
  };

  /** A title page's block: the title, the byline, then lines in italic (series, parts). */
  const titleBlock = (title: string, authors: string[], lines: string[], parent: PDFKit.PDFStructureElement) => {
    doc.y = s.geo.height * 0.27;
    s.heading(title, display(theme.titleSizeEm, 'regular'), parent, 'H1', 0);
    doc.y += size * 1.2;
    if (authors.length) s.heading(`by ${authorList(authors)}`, display(theme.authorSizeEm, 'regular'), parent, 'P', 0);
    doc.y += size * 0.8;
    for (const line of lines) s.heading(line, display(theme.seriesSizeEm, 'italic'), parent, 'P', 0);
  };

  /** Summary, then tags and stats in AO3's order. */
  const metadataBlock = (work: Work, parent: PDFKit.PDFStructureElement) => {
    const wm = work.metadata;
    if (wm.summary.length) {
      s.heading('Summary', { ...notes, face: 'bold', hyphenate: false }, parent, 'H2', notes.leading * 2);
      s.blocks(wm.summary, notes, parent);
      doc.y += size;
    }
    for (const row of metadataRows(work)) {
      s.paragraph(
        [{ type: 'strong', children: [{ type: 'text', value: `${row.label}: ` }] }, { type: 'text', value: row.values.join(row.label === 'Stats' ? ' · ' : ', ') }],
        metaStyle,
        parent,
      );
    }
    if (wm.sourceUrl) {
      s.paragraph([{ type: 'text', value: 'Originally published at ' }, { type: 'link', url: wm.sourceUrl, children: [{ type: 'text', value: wm.sourceUrl }] }], metaStyle, parent);
    }
  };

  for (const section of plan.sections) {
    switch (section.kind) {
      case 'seriesTitle': {
        s.newPage({ folio: false, head: false, section: '' }, true);
        bookmark(m.title, 0);
        const sect = doc.struct('Sect');
        root.add(sect);
        titleBlock(m.title, m.authors, [`The series in ${plan.series?.parts.length ?? 0} parts`, ...volumeLines(plan)], sect);
        if (m.summary.length) {
          doc.y += size * 2;
          s.blocks(m.summary, { ...notes, align: 'center' }, sect);
        }
        sect.end();
        break;
      }
      case 'title': {
        const work = section.work;
        const wm = work.metadata;
        if (section.part === undefined) {
          // A work's title page: title, author, series; its verso carries the metadata.
          const sect = doc.struct('Sect');
          s.newPage({ folio: false, head: false, section: '' }, true);
          bookmark(wm.title, 0);
          root.add(sect);
          titleBlock(wm.title, wm.authors, [...seriesLines(work), ...volumeLines(plan)], sect);
          sect.end();
          s.newPage({ folio: false, head: false, section: '' });
          const meta = doc.struct('Sect');
          root.add(meta);
          metadataBlock(work, meta);
          meta.end();
        } else {
          // A part of an omnibus: its title page (right-hand in print) with its metadata below.
          s.newPage({ folio: false, head: false, section: wm.title }, true);
          const sect = openSection(section.id, section.label, 0);
          doc.y = s.geo.height * 0.16;
          s.heading(`Part ${section.part}`.toUpperCase(), display(theme.chapterKickerSizeEm, 'regular'), sect, 'P', 0);
          doc.y += size * 0.6;
          s.heading(wm.title, display(theme.titleSizeEm * 0.85, 'regular'), sect, 'H1', 0);
          doc.y += size * 0.8;
          if (wm.authors.length) s.heading(`by ${authorList(wm.authors)}`, display(theme.authorSizeEm, 'regular'), sect, 'P', 0);
          doc.y += size * 2;
          metadataBlock(work, sect);
          sect.end();
        }
        break;
      }
      case 'notes':
      case 'endnotes': {
        // Like a chapter, a notes section opens without running head or folio; its later pages have both.
        s.newPage({ folio: false, head: false, section: section.heading }, s.geo.print);
        const sect = openSection(section.id, section.label, section.depth);
        chapterHead(s, theme, '', section.heading, sect);
        s.blocks(section.blocks, notes, sect);
        sect.end();
        break;
      }
      case 'contents': {
        // Reserve the pages now; fill them when every chapter's page is known.
        const entries = plan.sections.filter((x) => x.kind === 'chapter' || x.kind === 'notes' || x.kind === 'endnotes' || (x.kind === 'title' && x.part !== undefined)).length;
        s.newPage({ folio: true, head: false, section: 'Contents' }, s.geo.print);
        const first = s.pageIndex;
        const perFirstPage = Math.max(1, Math.floor((s.bottom - (s.geo.height * theme.chapterTopFraction + size * (theme.chapterTitleSizeEm * 1.3 + theme.chapterAfterEm))) / (body.leading * 1.35)));
        const perPage = Math.max(1, Math.floor((s.bottom - s.geo.margins.top) / (body.leading * 1.35)));
        const count = entries <= perFirstPage ? 1 : 1 + Math.ceil((entries - perFirstPage) / perPage);
        for (let k = 1; k < count; k++) s.newPage({ folio: true, head: false, section: 'Contents' });
        const el = doc.struct('TOC');
        root.add(el);
        contents = { first, count, el };
        bookmark(section.label, 0);
        break;
      }
      case 'chapter': {
        // Chapters open on a new page — a right-hand one in print — with no running head or folio.
        s.newPage({ folio: false, head: false, section: section.heading.title || section.heading.kicker }, true);
        const ch = section.chapter;
        const sect = openSection(section.id, section.label, section.depth);
        chapterHead(s, theme, section.heading.kicker, section.heading.title, sect);
        if (ch.summary.length) labelled(s, 'Chapter Summary', ch.summary, notes, sect);
        if (ch.notes.before.length) labelled(s, 'Chapter Notes', ch.notes.before, notes, sect);
        s.blocks(ch.blocks, body, sect);
        if (ch.footnotes.length) {
          // Footnotes gathered at the chapter's end, each opening with its mark.
          doc.y += body.leading * 0.5;
          labelled(s, 'Notes', footnoteBlocks(ch.footnotes), notes, sect);
        }
        if (ch.notes.after.length) {
          doc.y += body.leading;
          labelled(s, 'Chapter End Notes', ch.notes.after, notes, sect);
        }
        sect.end();
        break;
      }
    }
  }
  if (contents) fillContents(s, theme, body, contents, destinations);
  root.end();
}

/** A volume's label for its title page (`Vol. 1 of 3`), none for a whole book. */
function volumeLines(plan: BookPlan): string[] {
  return plan.volume ? [volumeLine(plan.volume)] : [];
}

/** A chapter's footnotes as blocks: each note's first paragraph opens with its mark. */
function footnoteBlocks(footnotes: readonly Footnote[]): Block[] {
  const out: Block[] = [];
  for (const f of footnotes) {
    const mark: Inline = { type: 'text', value: `${noteMark(f.id)} ` };
    const [first, ...rest] = f.blocks;
    if (first?.type === 'paragraph') out.push({ ...first, children: [mark, ...first.children] }, ...rest);
    else out.push({ type: 'paragraph', children: [mark] }, ...f.blocks);
  }
  return out;
}

interface ContentsEntry {
  label: string;
  dest: string;
  page: number;
  depth: number;
}

/** The large opening of a chapter or notes page: kicker (`CHAPTER 3`) and title. */
function chapterHead(s: Setter, theme: PdfTheme, kicker: string, title: string, parent: PDFKit.PDFStructureElement): void {
  const size = s.geo.fontSize;
  s.doc.y = Math.max(s.geo.margins.top, s.geo.height * theme.chapterTopFraction);
  const h = s.doc.struct('H1');
  parent.add(h);
  const content = s.doc.markStructureContent('H1');
  if (kicker) {
    const ks = size * theme.chapterKickerSizeEm;
    s.textBlock(kicker.toUpperCase(), displayStyle(ks, 'regular', { tracking: ks * 0.12, leading: ks * 2 }));
  }
  if (title) {
    const ts = size * theme.chapterTitleSizeEm;
    s.textBlock(title, displayStyle(ts, 'italic', { leading: ts * 1.2 }));
  }
  s.doc.endMarkedContent();
  h.add(content);
  h.end();
  s.doc.y += size * theme.chapterAfterEm;
}

/** A centred display style (headings, titles) at a size. */
function displayStyle(size: number, face: Face, more: Partial<TextStyle> = {}): TextStyle {
  return { size, leading: size * 1.25, indent: 0, paragraphGap: 0, align: 'center', face, hyphenate: false, ...more };
}

function labelled(s: Setter, label: string, blocks: Parameters<Setter['blocks']>[0], style: TextStyle, parent: PDFKit.PDFStructureElement): void {
  const el = s.doc.struct('Div');
  parent.add(el);
  s.heading(label, { ...style, face: 'bold', hyphenate: false, paragraphGap: style.size * 0.3 }, el, 'H2', style.leading * 2);
  s.blocks(blocks, style, el);
  el.end();
  s.doc.y += style.leading;
}

/** Fill the reserved contents pages: each entry with its page number, linked to its destination. */
function fillContents(
  s: Setter,
  theme: PdfTheme,
  body: TextStyle,
  contents: { first: number; count: number; el: PDFKit.PDFStructureElement },
  entries: ContentsEntry[],
): void {
  const { doc } = s;
  let page = contents.first;
  doc.switchToPage(page);
  const geo = s.geo;
  const rtl = s.rtlWork;
  // The heading is set like a chapter's.
  doc.y = Math.max(geo.margins.top, geo.height * theme.chapterTopFraction);
  const h = doc.struct('H1');
  contents.el.add(h);
  const hc = doc.markStructureContent('H1');
  const ts = geo.fontSize * theme.chapterTitleSizeEm;
  s.textBlock('Contents', displayStyle(ts, 'italic', { leading: ts * 1.2 }), s.leftOf(page));
  doc.endMarkedContent();
  h.add(hc);
  h.end();
  doc.y += geo.fontSize * theme.chapterAfterEm;
  const step = body.leading * 1.35;
  const nested = entries.some((x) => x.depth > 0);
  for (const e of entries) {
    if (doc.y + step > s.bottom && page < contents.first + contents.count - 1) {
      page++;
      doc.switchToPage(page);
      doc.y = geo.margins.top;
    }
    // Entries indented by depth from the start side; the page number at the end side.
    const indent = e.depth * body.size * 1.5;
    const width = s.width - indent;
    const left = s.leftOf(page) + (rtl ? 0 : indent);
    const number = String(e.page + 1);
    const item = doc.struct('TOCI');
    contents.el.add(item);
    const c = doc.markStructureContent('TOCI');
    const plain: TextStyle = { ...body, indent: 0, align: rtl ? 'right' : 'left', hyphenate: false, face: 'regular' };
    const numberWidth = s.measure(number, 'regular', body.size);
    const labelWidth = width - numberWidth - body.size * 1.5;
    const y = doc.y;
    const labelStyle = e.depth === 0 && nested ? { ...plain, face: 'bold' } : plain;
    s.singleLine(e.label, labelStyle, rtl ? left + width - labelWidth : left, y, labelWidth);
    s.singleLine(number, plain, rtl ? left : left + width - numberWidth, y, numberWidth + 1);
    // The whole entry is the link (pdfkit's annotation space is the page's, top-down).
    doc.goTo(left, y, width, body.leading, e.dest);
    doc.y = y;
    doc.endMarkedContent();
    item.add(c);
    item.end();
    doc.y += step;
  }
  contents.el.end();
}

/**
 * Running heads (the work's title on left-hand pages, the section's on
 * right-hand ones, each at the outer edge) and folios, as artifacts, on
 * every page that wants them. In a right-to-left book the spread is
 * mirrored: the book's title on the right-hand page, the section's on the left.
 */
function runningHeadsAndFolios(s: Setter, bookTitle: string, theme: PdfTheme, notes: TextStyle): void {
  const { doc, geo } = s;
  const size = geo.fontSize;
  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    const page = s.pages[i];
    if (!page || (!page.folio && !page.head)) continue;
    doc.switchToPage(i);
    const bottomMargin = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    const left = s.leftOf(i);
    // A small screen has no room for running heads; the reader's own UI shows the title.
    if (page.head && geo.print) {
      const text = s.isVerso(i) ? bookTitle : page.section || bookTitle;
      const hs = size * theme.runningHeadSizeEm;
      doc.markContent('Artifact', { type: 'Pagination', attached: ['Top'] });
      const style: TextStyle = { ...notes, size: hs, leading: hs * 1.3, indent: 0, face: 'italic', hyphenate: false, align: s.outerIsLeft(i) ? 'left' : 'right' };
      s.singleLine(text, style, left, geo.margins.top * 0.5 - hs * 0.6, s.width);
      doc.endMarkedContent();
    }
    if (page.folio) {
      const fs = size * theme.folioSizeEm;
      doc.markContent('Artifact', { type: 'Pagination', attached: ['Bottom'] });
      s.singleLine(String(i + 1), { ...notes, size: fs, leading: fs * 1.3, indent: 0, face: 'regular', hyphenate: false, align: 'center' }, left, geo.height - bottomMargin * 0.55, s.width);
      doc.endMarkedContent();
    }
    doc.page.margins.bottom = bottomMargin;
  }
}

/** XML-escape for XMP (pdfkit writes its XMP values unescaped). */
function xml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!);
}

/** Replace pdfkit's XMP packet with an escaped one that also carries language and keywords. */
function writeXmp(doc: PDFKit.PDFDocument, info: Record<string, string | Date>, lang: string): void {
  const d = doc as unknown as { _addInfo: () => void; appendXML: (s: string) => void };
  d._addInfo = () => {
    const date = (info.CreationDate as Date).toISOString().replace(/\.\d{3}Z$/, 'Z');
    const keywords = String(info.Keywords ?? '')
      .split(', ')
      .filter(Boolean);
    d.appendXML(
      [
        '<rdf:Description rdf:about="" xmlns:xmp="http://ns.adobe.com/xap/1.0/">',
        `<xmp:CreateDate>${date}</xmp:CreateDate><xmp:ModifyDate>${date}</xmp:ModifyDate>`,
        `<xmp:CreatorTool>${xml(String(info.Creator))}</xmp:CreatorTool>`,
        '</rdf:Description>',
        '<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/">',
        `<dc:title><rdf:Alt><rdf:li xml:lang="x-default">${xml(String(info.Title))}</rdf:li></rdf:Alt></dc:title>`,
        info.Author ? `<dc:creator><rdf:Seq><rdf:li>${xml(String(info.Author))}</rdf:li></rdf:Seq></dc:creator>` : '',
        info.Subject ? `<dc:description><rdf:Alt><rdf:li xml:lang="x-default">${xml(String(info.Subject))}</rdf:li></rdf:Alt></dc:description>` : '',
        `<dc:language><rdf:Bag><rdf:li>${xml(lang)}</rdf:li></rdf:Bag></dc:language>`,
        keywords.length ? `<dc:subject><rdf:Bag>${keywords.map((k) => `<rdf:li>${xml(k)}</rdf:li>`).join('')}</rdf:Bag></dc:subject>` : '',
        '</rdf:Description>',
        '<rdf:Description rdf:about="" xmlns:pdf="http://ns.adobe.com/pdf/1.3/">',
        `<pdf:Producer>${xml(String(info.Producer))}</pdf:Producer>`,
        keywords.length ? `<pdf:Keywords>${xml(String(info.Keywords))}</pdf:Keywords>` : '',
        '</rdf:Description>',
      ]
        .filter(Boolean)
        .join('\n'),
    );
  };
}

