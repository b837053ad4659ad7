import { readFileSync } from 'node:fs';
import { workBlockLists } from '../../model/text.js';
import type { Block, Work } from '../../model/types.js';
import { bookCover, type BookCover } from '../cover/book-cover.js';
import type { CoverFonts } from '../cover/render.js';
import { bookIdentifier, buildTimestamp, isoSeconds } from '../identity.js';
import { isRtlLanguage } from '../language.js';
import type { PageMap } from '../page-map.js';
import { bookTitle, planBook, summaryText, type BookPlan } from '../plan.js';
import { accessibility } from './a11y.js';
import { flowStart, markHtml, marksBySection, pageId } from './page-marks.js';
import { contentOpf, navDocument, pageDocument, tocNcx, x, type EpubData, type NavPoint } from './templates.js';
import { imageHref, renderSection } from './xhtml.js';
import { constantEntry, writeZip, type PackedEntry, type ZipEntry } from './zip.js';

export interface EpubOptions {
  /** The stylesheet (styles/epub.css). */
  css: string;
  /** `SOURCE_DATE_EPOCH` in seconds, when set. */
  sourceDateEpoch?: number;
  /** `Quire x.y.z`, recorded as the generator. */
  generator: string;
  /** The PDF theme's faces: a book without a cover of its own gets one drawn in them. */
  fonts: CoverFonts;
  /** The book's cover, when already made (see book-cover.ts). */
  cover?: BookCover;
  /** Where the print edition's pages begin: the book gets page markers and a page list. */
  pages?: PageMap;
  /** Rewrites every content document once rendered (the Kobo writer's spans); none by default. */
  transformPage?: (xhtml: string) => string;
}

/** Zip cannot store dates before 1980. */
const ZIP_EPOCH = Date.UTC(1980, 0, 1, 12);

const CONTAINER_XML =
  '<?xml version="1.0" encoding="UTF-8" ?><container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container"><rootfiles><rootfile full-path="OEBPS/content.opf" media-type="application/oebps-package+xml"/></rootfiles></container>';

/** A work → its EPUB (see writeBookEpub). */
export function writeEpub(work: Work, options: EpubOptions): Promise<Buffer> {
  return writeBookEpub(planBook(work), options);
}

/**
 * A planned book (one work or a series omnibus) → EPUB 3 bytes: nav.xhtml and
 * toc.ncx, series metadata, reproducible. The container is Quire's own: the
 * pages and package documents from `templates.ts`, written straight into the
 * zip; the entries that are the same in every book are compressed once per process.
 */
export async function writeBookEpub(plan: BookPlan, options: EpubOptions): Promise<Buffer> {
  const m = plan.metadata;
  const stamp = buildTimestamp(m, options.sourceDateEpoch);
  const cover = options.cover ?? (await bookCover(plan, options.fonts));
  const data = epubData(plan, stamp, options.generator, { cover, ...(options.pages ? { pages: options.pages } : {}) });
  const page = options.transformPage ?? ((s: string) => s);
  const text = (name: string, content: string): ZipEntry => ({ name, data: Buffer.from(content, 'utf8') });
  const entries: Array<ZipEntry | PackedEntry> = [
    // mimetype first and stored, as the EPUB container requires.
    constantEntry('mimetype', 'application/epub+zip', true),
    constantEntry('OEBPS/style.css', options.css),
  ];
  const coverImage = data.images.find((i) => i.properties === 'cover-image')!;
  const coverContent = `<section class="cover" epub:type="cover"><img role="doc-cover" src="${coverImage.href}" alt="${x(cover.alt)}"/></section>\n`;
  entries.push(text('OEBPS/cover.xhtml', page(pageDocument({ lang: m.language, title: 'Cover', bodyClass: 'cover-page', dir: isRtlLanguage(m.language) ? 'rtl' : '', content: coverContent }))));
  const marks = options.pages ? marksBySection(options.pages) : undefined;
  for (const s of plan.sections) {
    if (s.kind === 'contents') continue;
    const own = marks?.get(s.id);
    let content = renderSection(plan, s, own);
    // Every page of the print edition gets its marker: one that fell nowhere in the text goes at the section's end.
    // (The markers placed are read off the page in one pass: a long chapter has thousands.)
    const placed = own ? new Set([...content.matchAll(/<span epub:type="pagebreak" role="doc-pagebreak" id="([^"]+)"/g)].map((x) => x[1])) : undefined;
    const lost = own ? [...own.values()].flat().filter((mk) => !placed!.has(pageId(mk.label))) : [];
    if (lost.length) content = content.replace(/<\/section>\n$/, `${lost.map(markHtml).join('')}</section>\n`);
    const xhtml = pageDocument({
      lang: m.language,
      title: s.kind === 'title' ? s.work.metadata.title : s.kind === 'seriesTitle' ? m.title : s.label,
      bodyClass: s.kind === 'chapter' ? 'chapter-page' : s.kind === 'title' || s.kind === 'seriesTitle' ? 'titlepage-page' : 'notes-page',
      dir: isRtlLanguage(m.language) ? 'rtl' : '',
      content,
    });
    entries.push(text(`OEBPS/${s.id}.xhtml`, page(xhtml)));
  }
  entries.push(
    constantEntry('META-INF/container.xml', CONTAINER_XML),
    text('OEBPS/content.opf', contentOpf(data)),
    text('OEBPS/toc.ncx', tocNcx(data)),
    text('OEBPS/toc.xhtml', page(navDocument(data))),
  );
  for (const img of data.images) entries.push({ name: `OEBPS/${img.href}`, data: img.data ?? readFileSync(img.src) });
  return writeZip(entries, new Date(Math.max(stamp.getTime(), ZIP_EPOCH)));
}

/** Every local image block of a plan, once each. */
function planImages(plan: BookPlan): Array<{ id: string; href: string; mediaType: string; src: string; data?: Uint8Array }> {
  const found = new Map<string, string>();
  const bytes = new Map<string, Uint8Array>();
  const visit = (blocks: readonly Block[]) => {
    for (const b of blocks) {
      if (b.type === 'image') {
        found.set(b.src, imageHref(b.src));
        if (b.data) bytes.set(b.src, b.data);
      }
      else if (b.type === 'blockquote') visit(b.children);
      else if (b.type === 'list') b.items.forEach(visit);
    }
  };
  for (const w of plan.works) for (const list of workBlockLists(w)) visit(list);
  return [...found.entries()]
    .sort((a, b) => (a[1] < b[1] ? -1 : 1))
    .map(([src, href], i) => ({
      id: `image${i + 1}`,
      href,
      src,
      ...(bytes.has(src) ? { data: bytes.get(src)! } : {}),
      mediaType: href.endsWith('.png') ? 'image/png' : href.endsWith('.gif') ? 'image/gif' : 'image/jpeg',
    }));
}

/** Sections with depth → a navigation tree (depth-1 sections nest under the section before them). */
export function navTree(plan: BookPlan): NavPoint[] {
  const top: NavPoint[] = [];
  for (const s of plan.sections) {
    if (s.kind === 'contents') continue;
    const point: NavPoint = { label: s.label, href: `${s.id}.xhtml`, children: [] };
    const parent = top[top.length - 1];
    if (s.depth > 0 && parent) parent.children.push(point);
    else top.push(point);
  }
  return top;
}

/**
 * The book's subjects: a category first — Apple Books files a book under its
 * first dc:subject — "Fan Fiction" for a work of any fandom but AO3's
 * "Original Work", "Fiction" otherwise (where AO3's downloads put
 * "Fanworks"), then every tag.
 */
export function subjects(m: BookPlan['metadata']): string[] {
  const fandoms = m.tags.filter((t) => t.kind === 'fandom');
  const category = fandoms.some((t) => !/^original work$/i.test(t.name.trim())) ? 'Fan Fiction' : 'Fiction';
  return [category, ...m.tags.map((t) => t.name).filter((n) => n.toLowerCase() !== category.toLowerCase())];
}

/** Everything the templates print, prepared and plain: with the book's cover, and its print edition's pages when known. */
export function epubData(plan: BookPlan, stamp: Date, generator: string, extra: { cover: BookCover; pages?: PageMap }): EpubData {
  const m = plan.metadata;
  const cover = [{ id: 'page-cover', href: 'cover.xhtml', linear: true }];
  const pages = [
    ...cover,
    ...plan.sections.filter((s) => s.kind !== 'contents').map((s) => ({ id: `page-${s.id}`, href: `${s.id}.xhtml`, linear: true })),
  ];
  const navIndex = cover.length + plan.sections.filter((s, i) => s.kind !== 'contents' && i < plan.sections.findIndex((x) => x.kind === 'contents')).length;
  const firstChapter = plan.sections.find((s) => s.kind === 'chapter');
  const landmarks = [
    { type: 'cover', href: 'cover.xhtml', label: 'Cover' },
    { type: 'titlepage', href: 'title.xhtml', label: 'Title Page' },
    ...(plan.hasContents ? [{ type: 'toc', href: 'toc.xhtml', label: 'Contents' }] : []),
    ...(firstChapter ? [{ type: 'bodymatter', href: `${firstChapter.id}.xhtml`, label: 'Start of Content' }] : []),
  ];
  const description = summaryText(m);
  const data: EpubData = {
    identifier: bookIdentifier(plan.identity),
    title: bookTitle(plan),
    authors: m.authors,
    language: m.language,
    rtl: isRtlLanguage(m.language),
    subjects: subjects(m),
    modified: isoSeconds(stamp),
    series: m.series,
    pages,
    images: [{ id: 'cover-image', href: 'images/cover.jpg', mediaType: 'image/jpeg', src: 'cover.jpg', data: extra.cover.jpeg, properties: 'cover-image' }, ...planImages(plan)],
    navInSpine: plan.hasContents,
    navIndex,
    nav: navTree(plan),
    landmarks,
    navTitle: 'Contents',
    accessibility: accessibility(plan, { cover: true, ...(extra.pages ? { pages: { count: extra.pages.starts.length, edition: extra.pages.edition } } : {}) }, generator),
    generator,
    coverImage: 'cover-image',
  };
  if (extra.pages?.starts.length) {
    const sectionFile = (id: string) => (id === 'contents' ? 'toc.xhtml' : `${id}.xhtml`);
    data.pageList = extra.pages.starts.map((st, i) => ({ label: String(i + 1), href: `${sectionFile(st.section)}#${pageId(String(i + 1))}` }));
    data.pageBreakSource = extra.pages.edition;
    const contents = marksBySection(extra.pages).get('contents')?.get('head');
    // Without a contents page in the book, its pages are marked where the book's text begins.
    if (contents) data.contentsMarks = plan.hasContents ? `  ${flowStart(contents)}\n` : undefined;
  }
  if (m.published) data.date = m.published;
  if (description) data.description = description;
  if (m.sourceUrl) data.source = m.sourceUrl;
  return data;
}
