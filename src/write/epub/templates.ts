import type { Accessibility } from './a11y.js';

/**
 * The EPUB package documents as plain template functions: the OPF, the nav
 * document, the NCX and the XHTML page shell. Each takes only the prepared
 * `EpubData` (or a page's own fields), escapes every value it prints, and
 * depends on neither the clock nor random ids. Compiled once per process like
 * any other module, so a batch pays nothing per book to set them up.
 */

export interface NavPoint {
  label: string;
  href: string;
  children: NavPoint[];
}

export interface EpubPage {
  id: string;
  href: string;
  /** Pages left out of the reading order's linear flow (none today). */
  linear: boolean;
}

export interface EpubData {
  identifier: string;
  title: string;
  authors: string[];
  language: string;
  /** The work runs right to left: `dir="rtl"` on every page, `page-progression-direction="rtl"` on the spine. */
  rtl: boolean;
  date?: string;
  description?: string;
  subjects: string[];
  source?: string;
  modified: string;
  series: Array<{ name: string; part: number }>;
  pages: EpubPage[];
  /** Local images copied into the book (`src` is where the file is read from). */
  images: Array<{ id: string; href: string; mediaType: string; src: string; data?: Uint8Array; properties?: string }>;
  /** Manifest id of the cover image, when the book has one. */
  coverImage?: string;
  /** True when the nav document is also the in-book contents page. */
  navInSpine: boolean;
  /** Where the nav document goes in the spine: before pages[navIndex]. */
  navIndex: number;
  nav: NavPoint[];
  landmarks: Array<{ type: string; href: string; label: string }>;
  navTitle: string;
  accessibility: Accessibility;
  /** The print edition's pages (see page-map.ts): each page's number and where its marker is. */
  pageList?: Array<{ label: string; href: string }>;
  /** The print edition the page numbers are those of. */
  pageBreakSource?: string;
  /** Page markers at the top of the contents page (the print edition's contents pages). */
  contentsMarks?: string;
  generator: string;
}

/** One content page: its body (already XHTML) in the shared html/head shell. */
export interface PageShell {
  lang: string;
  title: string;
  bodyClass?: string;
  /** `rtl` for a right-to-left work's pages. */
  dir?: string;
  content: string;
}

const XML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&#34;', "'": '&#39;' };

/**
 * Escape a value for XML text and attributes. Numeric references for the
 * quotes, as the EJS templates these functions replaced wrote them, so the
 * books stay byte-for-byte what they were.
 */
export function x(value: string | number): string {
  return String(value).replace(/[&<>"']/g, (c) => XML_ESCAPES[c]!);
}


/**
 * A publication date for `dc:date`: a day as written (`2023-11-01`) at noon
 * UTC (`2023-11-01T12:00:00Z`). calibre reads a bare date a day late (calibre
 * 6: `2023-11-01` shows as 2 November), and readers show a timestamp in
 * local time, so midnight UTC would show the day before west of Greenwich:
 * noon keeps the day as written in every time zone from UTC−11 to UTC+11.
 * A value that already has a time, or is only a year or month, is left alone.
 */
export function opfDate(date: string): string {
  return /^\d{4}-\d{2}-\d{2}$/.test(date) ? `${date}T12:00:00Z` : date;
}

/** The package document (`OEBPS/content.opf`): metadata, manifest and spine. */
export function contentOpf(q: EpubData): string {
  let out = `<?xml version="1.0" encoding="UTF-8"?>
<package xmlns="http://www.idpf.org/2007/opf" version="3.0" unique-identifier="BookId" xml:lang="${x(q.language)}">
  <metadata xmlns:dc="http://purl.org/dc/elements/1.1/">
    <dc:identifier id="BookId">${x(q.identifier)}</dc:identifier>
    <dc:title id="title">${x(q.title)}</dc:title>
`;
  q.authors.forEach((author, i) => {
    out += `    <dc:creator id="creator${i + 1}">${x(author)}</dc:creator>
    <meta refines="#creator${i + 1}" property="role" scheme="marc:relators">aut</meta>
`;
  });
  out += `    <dc:language>${x(q.language)}</dc:language>\n`;
  if (q.date) out += `    <dc:date>${x(opfDate(q.date))}</dc:date>\n`;
  if (q.description) out += `    <dc:description>${x(q.description)}</dc:description>\n`;
  for (const subject of q.subjects) out += `    <dc:subject>${x(subject)}</dc:subject>\n`;
  if (q.source) out += `    <dc:source>${x(q.source)}</dc:source>\n`;
  out += `    <meta property="dcterms:modified">${x(q.modified)}</meta>\n`;
  // Series twice: EPUB 3 collections (Apple Books) and calibre's metadata (calibre, KOReader, Kobo).
  q.series.forEach((s, i) => {
    out += `    <meta property="belongs-to-collection" id="series${i + 1}">${x(s.name)}</meta>
    <meta refines="#series${i + 1}" property="collection-type">series</meta>
    <meta refines="#series${i + 1}" property="group-position">${x(s.part)}</meta>
`;
  });
  const first = q.series[0];
  if (first) {
    out += `    <meta name="calibre:series" content="${x(first.name)}"/>
    <meta name="calibre:series_index" content="${x(first.part)}"/>
`;
  }
  const a = q.accessibility;
  for (const mode of a.accessModes) out += `    <meta property="schema:accessMode">${x(mode)}</meta>\n`;
  for (const set of a.sufficient) out += `    <meta property="schema:accessModeSufficient">${x(set)}</meta>\n`;
  for (const feature of a.features) out += `    <meta property="schema:accessibilityFeature">${x(feature)}</meta>\n`;
  for (const hazard of a.hazards) out += `    <meta property="schema:accessibilityHazard">${x(hazard)}</meta>\n`;
  out += `    <meta property="schema:accessibilitySummary">${x(a.summary)}</meta>\n`;
  if (a.conformsTo) out += `    <meta property="dcterms:conformsTo">${x(a.conformsTo)}</meta>\n`;
  if (a.certifiedBy) out += `    <meta property="a11y:certifiedBy">${x(a.certifiedBy)}</meta>\n`;
  if (q.pageBreakSource) out += `    <meta property="pageBreakSource">${x(q.pageBreakSource)}</meta>\n`;
  if (q.coverImage) out += `    <meta name="cover" content="${x(q.coverImage)}"/>\n`;
  out += `    <meta name="generator" content="${x(q.generator)}"/>
  </metadata>
  <manifest>
    <item id="nav" href="toc.xhtml" media-type="application/xhtml+xml" properties="nav"/>
    <item id="ncx" href="toc.ncx" media-type="application/x-dtbncx+xml"/>
    <item id="css" href="style.css" media-type="text/css"/>
`;
  for (const page of q.pages) out += `    <item id="${x(page.id)}" href="${x(page.href)}" media-type="application/xhtml+xml"/>\n`;
  for (const image of q.images) {
    out += `    <item id="${x(image.id)}" href="${x(image.href)}" media-type="${x(image.mediaType)}"${image.properties ? ` properties="${x(image.properties)}"` : ''}/>\n`;
  }
  out += `  </manifest>
  <spine toc="ncx"${q.rtl ? ' page-progression-direction="rtl"' : ''}>
`;
  q.pages.forEach((page, i) => {
    if (q.navInSpine && i === q.navIndex) out += `    <itemref idref="nav"/>\n`;
    out += `    <itemref idref="${x(page.id)}"${page.linear ? '' : ' linear="no"'}/>\n`;
  });
  out += `  </spine>
</package>
`;
  return out;
}

/** Nested `ol` for nested navigation (series omnibus: part → chapters). */
function navList(points: readonly NavPoint[]): string {
  let out = '<ol>\n';
  for (const p of points) {
    out += `<li><a href="${x(p.href)}">${x(p.label)}</a>${p.children.length ? `\n${navList(p.children)}` : ''}</li>\n`;
  }
  return out + '</ol>\n';
}

/** The nav document (`OEBPS/toc.xhtml`): the contents and the landmarks. */
export function navDocument(q: EpubData): string {
  let out = `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE html>
<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops" xml:lang="${x(q.language)}" lang="${x(q.language)}"${q.rtl ? ' dir="rtl"' : ''}>
<head>
  <meta charset="UTF-8"/>
  <title>${x(q.navTitle)}</title>
  <link rel="stylesheet" type="text/css" href="style.css"/>
</head>
<body>
${q.contentsMarks ?? ''}  <nav epub:type="toc" role="doc-toc" id="toc" class="contents" aria-labelledby="toc-title">
    <h1 id="toc-title">${x(q.navTitle)}</h1>
${navList(q.nav)}  </nav>
  <nav epub:type="landmarks" id="landmarks" hidden="hidden">
    <h2>Landmarks</h2>
    <ol>
`;
  for (const l of q.landmarks) out += `      <li><a epub:type="${x(l.type)}" href="${x(l.href)}">${x(l.label)}</a></li>\n`;
  out += '    </ol>\n  </nav>\n';
  if (q.pageList?.length) {
    // The print edition's pages, for readers that go to or show a page number.
    out += `  <nav epub:type="page-list" role="doc-pagelist" id="page-list" aria-labelledby="page-list-title" hidden="hidden">
    <h2 id="page-list-title">Pages</h2>
    <ol>
`;
    for (const p of q.pageList) out += `      <li><a href="${x(p.href)}">${x(p.label)}</a></li>\n`;
    out += '    </ol>\n  </nav>\n';
  }
  return `${out}</body>
</html>
`;
}

/** How deep a navigation tree goes (1 for a flat one, and for none). */
function navDepth(points: readonly NavPoint[]): number {
  return points.reduce((d, p) => Math.max(d, 1 + navDepth(p.children)), 0);
}

/** The content documents in reading order (the nav document where it stands in the spine). */
function spineHrefs(q: EpubData): string[] {
  const out: string[] = [];
  q.pages.forEach((page, i) => {
    if (q.navInSpine && i === q.navIndex) out.push('toc.xhtml');
    out.push(page.href);
  });
  return out;
}

/**
 * Play order for the NCX: navigation points and page targets numbered
 * together in reading order (a file's navigation point before the pages
 * marked in it).
 */
function playOrders(q: EpubData): { nav: number[]; pages: number[] } {
  const spine = spineHrefs(q);
  const where = (href: string) => spine.indexOf(href.split('#')[0]!);
  const items: Array<{ kind: 'nav' | 'page'; i: number; file: number; at: number }> = [];
  let n = 0;
  const walk = (ps: readonly NavPoint[]) => {
    for (const p of ps) {
      items.push({ kind: 'nav', i: n++, file: where(p.href), at: -1 });
      walk(p.children);
    }
  };
  walk(q.nav);
  (q.pageList ?? []).forEach((p, i) => items.push({ kind: 'page', i, file: where(p.href), at: i }));
  items.sort((a, b) => a.file - b.file || a.at - b.at || a.i - b.i);
  const nav: number[] = [];
  const pages: number[] = [];
  items.forEach((it, k) => ((it.kind === 'nav' ? nav : pages)[it.i] = k + 1));
  return { nav, pages };
}

/** The EPUB 2 navigation (`OEBPS/toc.ncx`) for older readers: the same tree and the print edition's pages, numbered in reading order. */
export function tocNcx(q: EpubData): string {
  const pageCount = q.pageList?.length ?? 0;
  const orders = playOrders(q);
  let out = `<?xml version="1.0" encoding="UTF-8"?>
<ncx xmlns="http://www.daisy.org/z3986/2005/ncx/" version="2005-1" xml:lang="${x(q.language)}">
  <head>
    <meta name="dtb:uid" content="${x(q.identifier)}"/>
    <meta name="dtb:depth" content="${navDepth(q.nav) || 1}"/>
    <meta name="dtb:totalPageCount" content="${pageCount}"/>
    <meta name="dtb:maxPageNumber" content="${pageCount}"/>
  </head>
  <docTitle><text>${x(q.title)}</text></docTitle>
`;
  for (const author of q.authors) out += `  <docAuthor><text>${x(author)}</text></docAuthor>\n`;
  out += '  <navMap>\n';
  let order = 0;
  const points = (ps: readonly NavPoint[]) => {
    for (const p of ps) {
      order++;
      out += `<navPoint id="navpoint-${order}" playOrder="${orders.nav[order - 1]}">
  <navLabel><text>${x(p.label)}</text></navLabel>
  <content src="${x(p.href)}"/>
`;
      points(p.children);
      out += '</navPoint>\n';
    }
  };
  points(q.nav);
  out += '  </navMap>\n';
  if (pageCount) {
    out += '  <pageList>\n    <navLabel><text>Pages</text></navLabel>\n';
    q.pageList!.forEach((p, i) => {
      out += `    <pageTarget id="pagetarget-${i + 1}" type="normal" value="${x(p.label)}" playOrder="${orders.pages[i]}"><navLabel><text>${x(p.label)}</text></navLabel><content src="${x(p.href)}"/></pageTarget>\n`;
    });
    out += '  </pageList>\n';
  }
  return `${out}</ncx>
`;
}

/** A content page: the XHTML shell around a body Quire has already rendered. */
export function pageDocument(page: PageShell): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE html>
<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops" xml:lang="${x(page.lang)}" lang="${x(page.lang)}"${page.dir ? ` dir="${x(page.dir)}"` : ''}>
<head>
  <meta charset="UTF-8"/>
  <title>${x(page.title)}</title>
  <link rel="stylesheet" type="text/css" href="style.css"/>
</head>
<body${page.bodyClass ? ` class="${x(page.bodyClass)}"` : ''}>
${page.content}
</body>
</html>
`;
}
