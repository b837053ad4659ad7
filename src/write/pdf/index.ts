import PDFDocument from 'pdfkit';
import type { Diagnostic } from '../../diagnostics.js';
import { diagnostic } from '../../diagnostics.js';
import type { Work } from '../../model/types.js';
import { buildTimestamp } from '../identity.js';
import { authorList, bookTitle, planBook, summaryText, type BookPlan } from '../plan.js';
import { layoutBook } from './book.js';
import { fontChain, type ScriptFont } from './chain.js';
import { documentBytes, FACES, registerTextFaces } from './document.js';
import { loadFont } from './fonts.js';
import { hyphenatorFor } from './hyphenate.js';
import { pageGeometry, type PagePreset } from './page.js';
import { isRtlLanguage, primaryLanguage } from './script.js';
import { Setter, type TextStyle } from './typeset.js';
import type { PageMap } from '../page-map.js';
import type { BookCover } from '../cover/book-cover.js';

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
  /** The ornament and how many lines of the baseline grid a break takes. */
  sceneBreak: { mark: string; lines: number };
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
  /** Open with this cover (the user's picture or the generated one) on a page of its own, unnumbered (`--cover-page`). */
  cover?: BookCover;
}

/** A word the hyphenation patterns may see: a run of letters of alphabetic scripts (not part of a compound: see COMPOUND_JOIN). */
const HYPHENATABLE = /[\p{Script=Latin}\p{Script=Cyrillic}\p{Script=Greek}\u00ad]{6,60}/gu;
/** What joins a compound's parts, or runs a word on past what the patterns saw (letters, marks). */
const COMPOUND_JOIN = /[-\u2010\p{L}\p{M}]/u;
/** Whether the code unit at `i` of `s` joins the run of letters beside it to more of a word (COMPOUND_JOIN, with ASCII decided without the regex). */
function joinsWord(s: string, i: number): boolean {
  const c = s.charCodeAt(i);
  if (c < 0x80) return c === 0x2d || ((c | 32) >= 0x61 && (c | 32) <= 0x7a);
  return c === 0x2010 || (c === c && COMPOUND_JOIN.test(s[i]!));
}
/** Text that may hold a web or mail address. */
const MAYBE_ADDRESS = /:\/\/|www\.|@|\p{L}\.\p{L}/u;
/** A web or mail address (`https://…`, `www.…`, `name@host`, `example.com/path`): broken only where UAX #14 allows, never hyphenated. */
const ADDRESS = /^[(\[<“‘"']*(?:[a-z][a-z0-9+.-]*:\/\/|www\.|mailto:|[^\s@]+@[^\s@]+\.\p{L}{2,}|[\p{L}\d-]+(?:\.[\p{L}\d-]+)*\.(?:com|org|net|edu|gov|io|co|uk|de|fr|info|me|ly|tv|app|dev)\b)/iu;

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
  return (await typesetBook(plan, options, false)).pdf!;
}

/** A planned book → its PDF and where each of its numbered pages begins (for the EPUB's page list). */
export async function writeBookPdfWithPages(plan: BookPlan, options: PdfOptions): Promise<{ pdf: Buffer; pages: PageMap }> {
  const { pdf, pages } = await typesetBook(plan, options, false);
  return { pdf: pdf!, pages };
}

/**
 * Where each page of the book's PDF would begin, without making the PDF:
 * the same layout and pages, nothing drawn, the document never finished.
 */
export async function pdfPageMap(plan: BookPlan, options: PdfOptions): Promise<PageMap> {
  const { cover: _cover, ...rest } = options;
  return (await typesetBook(plan, rest, true)).pages;
}

async function typesetBook(plan: BookPlan, options: PdfOptions, dry: boolean): Promise<{ pdf?: Buffer; pages: PageMap }> {
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
  registerTextFaces(doc, theme);
  // Preformatted text (code blocks) in a fixed-width face; its fallbacks come from the font chain.
  doc.registerFont('mono', loadFont(theme.monoFont) as unknown as string);
  const done = documentBytes(doc);

  const chain = fontChain(doc, theme, [...FACES, 'mono']);
  const missing = chain.missing;
  const hyph = hyphenatorFor(m.language, theme.hyphenation.minWordLength);
  const size = geo.fontSize;
  const setter = new Setter({
    doc,
    geometry: geo,
    fontRuns: chain.runs,
    // Hyphenate word by word (letters of alphabetic scripts only), leaving alone what no pattern
    // should see: very long tokens, the parts of a compound (it breaks at its own hyphen, never at a
    // new one as well: not `usual-|ly-stoic`), and web and mail addresses (never `exam-|ple.com`).
    // Text marked as another language takes its own patterns, if any.
    hyphenate: (t, lang) => {
      const h = primaryLanguage(lang) === primaryLanguage(m.language) ? hyph : hyphenatorFor(lang, theme.hyphenation.minWordLength);
      if (!h) return t;
      // A run of letters next to a hyphen is a part of a compound; next to more letters or marks, a part of a longer word.
      const hyphenateWords = (x: string) => x.replace(HYPHENATABLE, (w, at: number, all: string) => (joinsWord(all, at - 1) || joinsWord(all, at + w.length) ? w : h(w)));
      // Addresses are rare: look for them token by token only in text that may hold one.
      return MAYBE_ADDRESS.test(t) ? t.replace(/\S+/gu, (token) => (ADDRESS.test(token) ? token : hyphenateWords(token))) : hyphenateWords(t);
    },
    lang: m.language,
    rtl,
    maxStretchEm: theme.justify.maxStretchEm,
    maxCharStretchEm: theme.justify.maxCharStretchEm,
    maxHyphenated: theme.hyphenation.maxConsecutive,
    sceneBreakMark: theme.sceneBreak.mark,
    sceneBreakLines: Math.max(1, Math.round(theme.sceneBreak.lines ?? 2)),
    grid: size * theme.lineHeight,
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
    grid: true,
  };
  const notes: TextStyle = {
    ...body,
    size: size * theme.notesSizeEm,
    leading: size * theme.notesSizeEm * theme.lineHeight,
    indent: 0,
    align: 'left',
    paragraphGap: size * 0.35,
    grid: false,
  };
  setter.dry = dry;
  layoutBook(setter, plan, theme, body, notes, dry ? undefined : options.cover);
  const pages: PageMap = { edition: editionName(geo), starts: setter.starts.map(({ page: _page, ...start }) => start) };
  if (dry) return { pages };
  runningHeadsAndFolios(setter, m.title, theme, notes);
  if (setter.firstNumbered) labelCoverPages(doc, setter.firstNumbered);
  if (missing.size && options.warn) {
    options.warn(
      diagnostic('warning', 'pdf/missing-glyph', source, `no font has a glyph for ${[...missing].slice(0, 8).join(' ')}${missing.size > 8 ? ' …' : ''}; shown as boxes in the PDF`),
    );
  }
  doc.end();
  return { pdf: await done, pages };
}

/** The print edition a page list refers to: `Quire PDF, A5 (148 × 210 mm)`. */
function editionName(geo: { name: string; width: number; height: number }): string {
  const mm = (pt: number) => Math.round((pt / 72) * 25.4);
  const named = /^\d/.test(geo.name) ? '' : `${geo.name.length <= 3 ? geo.name.toUpperCase() : geo.name[0]!.toUpperCase() + geo.name.slice(1)} `;
  return `Quire PDF, ${named}(${mm(geo.width)} × ${mm(geo.height)} mm)`;
}

/** Page labels: the cover pages by name, the rest numbered from 1 as their folios are (viewers show these). */
function labelCoverPages(doc: PDFKit.PDFDocument, count: number): void {
  const d = doc as unknown as { ref(data: unknown): { end(): void }; _root: { data: Record<string, unknown> } };
  const nums: unknown[] = [0, { P: new String('Cover') }];
  if (count > 1) nums.push(1, { P: new String('Inside cover') });
  nums.push(count, { S: 'D' });
  const labels = d.ref({ Nums: nums });
  labels.end();
  d._root.data.PageLabels = labels;
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
      s.singleLine(String(i + 1 - s.firstNumbered), { ...notes, size: fs, leading: fs * 1.3, indent: 0, face: 'regular', hyphenate: false, align: 'center' }, left, geo.height - bottomMargin * 0.55, s.width);
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

