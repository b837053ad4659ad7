import { EPub } from 'epub-gen-memory';
import type JSZip from 'jszip';
import type { Work } from '../../model/types.js';
import { bookIdentifier, buildTimestamp, isoSeconds } from '../identity.js';
import { authorList, planBook, summaryText, type BookPlan } from '../plan.js';
import { CHAPTER_XHTML, CONTENT_OPF, TOC_NCX, TOC_XHTML, type EpubData, type NavPoint } from './templates.js';
import { renderSection } from './xhtml.js';

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
    super(options, content);
    this.content.forEach((page, i) => {
      page.content = content[i]!.content;
    });
  }

  async pack(date: Date): Promise<Buffer> {
    await this.render();
    const zip = this.zip as unknown as JSZip;
    zip.forEach((_path, entry) => {
      entry.date = date;
    });
    return zip.generateAsync({
      type: 'nodebuffer',
      mimeType: 'application/epub+zip',
      compression: 'DEFLATE',
      compressionOptions: { level: 9 },
      platform: 'UNIX',
    }) as Promise<Buffer>;
  }
}

/** Zip cannot store dates before 1980. */
const ZIP_EPOCH = Date.UTC(1980, 0, 1, 12);

/** Work → EPUB 3 bytes (nav.xhtml and toc.ncx, series metadata, reproducible). */
export async function writeEpub(work: Work, options: EpubOptions): Promise<Buffer> {
  const plan = planBook(work);
  const stamp = buildTimestamp(work, options.sourceDateEpoch);
  const data = epubData(plan, stamp, options.generator);
  const lang = work.metadata.language;
  const pageFile = (id: string) => `${id}.xhtml`;

  const content = plan.sections
    .filter((s) => s.kind !== 'contents')
    .map((s) => ({
      title: s.kind === 'title' ? work.metadata.title : s.label,
      filename: pageFile(s.id),
      content: renderSection(work, s),
      bodyClass: s.kind === 'chapter' ? 'chapter-page' : s.kind === 'title' ? 'titlepage-page' : 'notes-page',
    }));

  const epub = new FixedDateEPub(
    {
      title: work.metadata.title,
      author: work.metadata.authors.length ? work.metadata.authors : ['Unknown'],
      lang,
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
  return epub.pack(new Date(Math.max(stamp.getTime(), ZIP_EPOCH)));
}

/** Everything the templates print, prepared and plain. */
export function epubData(plan: BookPlan, stamp: Date, generator: string): EpubData {
  const { work } = plan;
  const m = work.metadata;
  const pages = plan.sections
    .filter((s) => s.kind !== 'contents')
    .map((s) => ({ id: `page-${s.id}`, href: `${s.id}.xhtml`, linear: true }));
  const navIndex = plan.sections.findIndex((s) => s.kind === 'contents');
  const nav: NavPoint[] = plan.sections
    .filter((s) => s.kind !== 'contents')
    .map((s) => ({ label: s.label, href: `${s.id}.xhtml`, children: [] }));
  const firstChapter = plan.sections.find((s) => s.kind === 'chapter');
  const landmarks = [
    { type: 'titlepage', href: 'title.xhtml', label: 'Title Page' },
    ...(plan.hasContents ? [{ type: 'toc', href: 'toc.xhtml', label: 'Contents' }] : []),
    ...(firstChapter ? [{ type: 'bodymatter', href: `${firstChapter.id}.xhtml`, label: 'Start of Content' }] : []),
  ];
  const description = summaryText(work);
  const data: EpubData = {
    identifier: bookIdentifier(work),
    title: m.title,
    authors: m.authors,
    language: m.language,
    subjects: m.tags.map((t) => t.name),
    modified: isoSeconds(stamp),
    series: m.series,
    pages,
    navInSpine: plan.hasContents,
    navIndex: navIndex < 0 ? 0 : navIndex,
    nav,
    landmarks,
    navTitle: 'Contents',
    accessibilitySummary: `${m.title}${m.authors.length ? ` by ${authorList(m.authors)}` : ''}: reflowable text with headings, a table of contents and no images.`,
    generator,
  };
  if (m.published) data.date = m.published;
  if (description) data.description = description;
  if (m.sourceUrl) data.source = m.sourceUrl;
  return data;
}

