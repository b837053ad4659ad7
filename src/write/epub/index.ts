import { EPub } from 'epub-gen-memory';
import type JSZip from 'jszip';
import { readFileSync } from 'node:fs';
import type { Block, Work } from '../../model/types.js';
import { bookIdentifier, buildTimestamp, isoSeconds } from '../identity.js';
import { isRtlLanguage } from '../language.js';
import { authorList, planBook, summaryText, type BookPlan } from '../plan.js';
import { CHAPTER_XHTML, CONTENT_OPF, TOC_NCX, TOC_XHTML, type EpubData, type NavPoint } from './templates.js';
import { imageHref, renderSection } from './xhtml.js';
import { writeZip, type ZipEntry } from './zip.js';

export interface EpubOptions {
  /** The stylesheet (styles/epub.css). */
  css: string;
  /** `SOURCE_DATE_EPOCH` in seconds, when set. */
  sourceDateEpoch?: number;
  /** `Quire x.y.z`, recorded as the generator. */
  generator: string;
}

/**
 * epub-gen-memory, with two adjustments: page bodies are kept as Quire wrote
 * them (its re-serialisation would turn every non-ASCII letter into a numeric
 * entity; ours is already well-formed XHTML), and zip entry dates are fixed
 * before packing so the bytes are reproducible.
 */
class FixedDateEPub extends EPub {
  constructor(options: ConstructorParameters<typeof EPub>[0], content: Array<{ content: string }>) {
    // epub-gen would parse and re-serialise every page (Quire's XHTML is already well-formed) and
    // fetch every <img> (Quire adds its local images itself): it is given empty pages, then the real ones.
    super(
      options,
      content.map((c) => ({ ...c, content: '' })),
    );
    this.content.forEach((page, i) => {
      page.content = content[i]!.content;
    });
  }

  async pack(date: Date, files: ReadonlyArray<{ path: string; bytes: Uint8Array }> = []): Promise<Buffer> {
    await this.render();
    // epub-gen assembled the container; Quire serialises it (natively, with fixed dates).
    const zip = this.zip as unknown as JSZip;
    const entries: ZipEntry[] = [];
    const names: string[] = [];
    zip.forEach((path, entry) => {
      if (!entry.dir) names.push(path);
    });
    for (const name of names) {
      const data = await zip.file(name)!.async('uint8array');
      entries.push({ name, data, store: name === 'mimetype' });
    }
    for (const f of files) entries.push({ name: f.path, data: f.bytes });
    // mimetype first, as the EPUB container requires.
    entries.sort((a, b) => (a.name === 'mimetype' ? -1 : b.name === 'mimetype' ? 1 : 0));
    return writeZip(entries, date);
  }
}

/** Zip cannot store dates before 1980. */
const ZIP_EPOCH = Date.UTC(1980, 0, 1, 12);

/** A work → its EPUB (see writeBookEpub). */
export function writeEpub(work: Work, options: EpubOptions): Promise<Buffer> {
  return writeBookEpub(planBook(work), options);
}

/** A planned book (one work or a series omnibus) → EPUB 3 bytes: nav.xhtml and toc.ncx, series metadata, reproducible. */
export async function writeBookEpub(plan: BookPlan, options: EpubOptions): Promise<Buffer> {
  const m = plan.metadata;
  const stamp = buildTimestamp(m, options.sourceDateEpoch);
  const data = epubData(plan, stamp, options.generator);
  const coverImage = data.images.find((i) => i.properties === 'cover-image');
  const coverPage = coverImage
    ? [{ title: 'Cover', filename: 'cover.xhtml', bodyClass: 'cover-page', content: `<section class="cover" epub:type="cover"><img src="${coverImage.href}" alt="Cover"/></section>\n` }]
    : [];
  const content = [
    ...coverPage,
    ...plan.sections
    .filter((s) => s.kind !== 'contents')
    .map((s) => ({
      title: s.kind === 'title' ? s.work.metadata.title : s.kind === 'seriesTitle' ? m.title : s.label,
      filename: `${s.id}.xhtml`,
      content: renderSection(plan, s),
      bodyClass: s.kind === 'chapter' ? 'chapter-page' : s.kind === 'title' || s.kind === 'seriesTitle' ? 'titlepage-page' : 'notes-page',
      dir: isRtlLanguage(m.language) ? 'rtl' : '',
    })),
  ];

  const epub = new FixedDateEPub(
    {
      title: m.title,
      author: m.authors.length ? m.authors : ['Unknown'],
      lang: m.language,
      css: options.css,
      date: stamp.toISOString(),
      contentOPF: CONTENT_OPF,
      tocXHTML: TOC_XHTML,
      tocNCX: TOC_NCX,
      chapterXHTML: CHAPTER_XHTML,
      prependChapterTitles: false,
      verbose: false,
      ignoreFailedDownloads: true,
      // Unknown keys are passed to the templates.
      ...({ quire: data } as object),
    },
    content,
  );
  const files = data.images.map((img) => ({ path: `OEBPS/${img.href}`, bytes: img.data ?? readFileSync(img.src) }));
  return epub.pack(new Date(Math.max(stamp.getTime(), ZIP_EPOCH)), files);
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
  for (const w of plan.works) {
    visit(w.notes.before);
    visit(w.notes.after);
    for (const ch of w.chapters) {
      visit(ch.summary);
      visit(ch.notes.before);
      visit(ch.blocks);
      visit(ch.notes.after);
    }
  }
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

/** Everything the templates print, prepared and plain. */
export function epubData(plan: BookPlan, stamp: Date, generator: string): EpubData {
  const m = plan.metadata;
  const cover = plan.cover ? [{ id: 'page-cover', href: 'cover.xhtml', linear: true }] : [];
  const pages = [
    ...cover,
    ...plan.sections.filter((s) => s.kind !== 'contents').map((s) => ({ id: `page-${s.id}`, href: `${s.id}.xhtml`, linear: true })),
  ];
  const navIndex = cover.length + plan.sections.filter((s, i) => s.kind !== 'contents' && i < plan.sections.findIndex((x) => x.kind === 'contents')).length;
  const firstChapter = plan.sections.find((s) => s.kind === 'chapter');
  const landmarks = [
    ...(plan.cover ? [{ type: 'cover', href: 'cover.xhtml', label: 'Cover' }] : []),
    { type: 'titlepage', href: 'title.xhtml', label: 'Title Page' },
    ...(plan.hasContents ? [{ type: 'toc', href: 'toc.xhtml', label: 'Contents' }] : []),
    ...(firstChapter ? [{ type: 'bodymatter', href: `${firstChapter.id}.xhtml`, label: 'Start of Content' }] : []),
  ];
  const description = summaryText(m);
  const data: EpubData = {
    identifier: bookIdentifier(plan.identity),
    title: m.title,
    authors: m.authors,
    language: m.language,
    rtl: isRtlLanguage(m.language),
    subjects: m.tags.map((t) => t.name),
    modified: isoSeconds(stamp),
    series: m.series,
    pages,
    images: [
      ...(plan.cover
        ? [{ id: 'cover-image', href: `images/cover.${plan.cover.toLowerCase().endsWith('.png') ? 'png' : 'jpg'}`, mediaType: plan.cover.toLowerCase().endsWith('.png') ? 'image/png' : 'image/jpeg', src: plan.cover, properties: 'cover-image' }]
        : []),
      ...planImages(plan),
    ],
    navInSpine: plan.hasContents,
    navIndex,
    nav: navTree(plan),
    landmarks,
    navTitle: 'Contents',
    accessibilitySummary: `${m.title}${m.authors.length ? ` by ${authorList(m.authors)}` : ''}: reflowable text with headings, a table of contents and no images.`,
    generator,
  };
  if (plan.cover) data.coverImage = 'cover-image';
  if (m.published) data.date = m.published;
  if (description) data.description = description;
  if (m.sourceUrl) data.source = m.sourceUrl;
  return data;
}
