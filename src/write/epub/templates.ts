/**
 * EJS templates handed to epub-gen-memory in place of its defaults. They
 * render only the `quire` data the EPUB writer prepares (see `EpubData`), so
 * every value is escaped by `<%= %>` and nothing depends on the clock or
 * random ids.
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
  accessibilitySummary: string;
  generator: string;
}

export const CONTENT_OPF = `<?xml version="1.0" encoding="UTF-8"?>
<package xmlns="http://www.idpf.org/2007/opf" version="3.0" unique-identifier="BookId" xml:lang="<%= quire.language %>">
  <metadata xmlns:dc="http://purl.org/dc/elements/1.1/">
    <dc:identifier id="BookId"><%= quire.identifier %></dc:identifier>
    <dc:title id="title"><%= quire.title %></dc:title>
<% quire.authors.forEach(function (author, i) { -%>
    <dc:creator id="creator<%= i + 1 %>"><%= author %></dc:creator>
    <meta refines="#creator<%= i + 1 %>" property="role" scheme="marc:relators">aut</meta>
<% }) -%>
    <dc:language><%= quire.language %></dc:language>
<% if (quire.date) { -%>
    <dc:date><%= quire.date %></dc:date>
<% } -%>
<% if (quire.description) { -%>
    <dc:description><%= quire.description %></dc:description>
<% } -%>
<% quire.subjects.forEach(function (subject) { -%>
    <dc:subject><%= subject %></dc:subject>
<% }) -%>
<% if (quire.source) { -%>
    <dc:source><%= quire.source %></dc:source>
<% } -%>
    <meta property="dcterms:modified"><%= quire.modified %></meta>
<% quire.series.forEach(function (s, i) { -%>
    <meta property="belongs-to-collection" id="series<%= i + 1 %>"><%= s.name %></meta>
    <meta refines="#series<%= i + 1 %>" property="collection-type">series</meta>
    <meta refines="#series<%= i + 1 %>" property="group-position"><%= s.part %></meta>
<% }) -%>
<% if (quire.series.length) { -%>
    <meta name="calibre:series" content="<%= quire.series[0].name %>"/>
    <meta name="calibre:series_index" content="<%= quire.series[0].part %>"/>
<% } -%>
    <meta property="schema:accessMode">textual</meta>
    <meta property="schema:accessModeSufficient">textual</meta>
    <meta property="schema:accessibilityFeature">structuralNavigation</meta>
    <meta property="schema:accessibilityFeature">tableOfContents</meta>
    <meta property="schema:accessibilityFeature">readingOrder</meta>
    <meta property="schema:accessibilityHazard">none</meta>
    <meta property="schema:accessibilitySummary"><%= quire.accessibilitySummary %></meta>
<% if (quire.coverImage) { -%>
    <meta name="cover" content="<%= quire.coverImage %>"/>
<% } -%>
    <meta name="generator" content="<%= quire.generator %>"/>
  </metadata>
  <manifest>
    <item id="nav" href="toc.xhtml" media-type="application/xhtml+xml" properties="nav"/>
    <item id="ncx" href="toc.ncx" media-type="application/x-dtbncx+xml"/>
    <item id="css" href="style.css" media-type="text/css"/>
<% quire.pages.forEach(function (page) { -%>
    <item id="<%= page.id %>" href="<%= page.href %>" media-type="application/xhtml+xml"/>
<% }) -%>
<% quire.images.forEach(function (image) { -%>
    <item id="<%= image.id %>" href="<%= image.href %>" media-type="<%= image.mediaType %>"<% if (image.properties) { %> properties="<%= image.properties %>"<% } %>/>
<% }) -%>
  </manifest>
  <spine toc="ncx"<% if (quire.rtl) { %> page-progression-direction="rtl"<% } %>>
<% quire.pages.forEach(function (page, i) { -%>
<% if (quire.navInSpine && i === quire.navIndex) { -%>
    <itemref idref="nav"/>
<% } -%>
    <itemref idref="<%= page.id %>"<% if (!page.linear) { %> linear="no"<% } %>/>
<% }) -%>
  </spine>
</package>
`;

/** The nav document; nested `ol` for nested navigation (series omnibus: part → chapters). */
export const TOC_XHTML = `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE html>
<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops" xml:lang="<%= quire.language %>" lang="<%= quire.language %>"<% if (quire.rtl) { %> dir="rtl"<% } %>>
<head>
  <meta charset="UTF-8"/>
  <title><%= quire.navTitle %></title>
  <link rel="stylesheet" type="text/css" href="style.css"/>
</head>
<body>
<%
function list(points) { -%>
<ol>
<% points.forEach(function (p) { -%>
<li><a href="<%= p.href %>"><%= p.label %></a><% if (p.children.length) { %>
<% list(p.children) %><% } %></li>
<% }) -%>
</ol>
<% } -%>
  <nav epub:type="toc" id="toc" class="contents" aria-labelledby="toc-title">
    <h1 id="toc-title"><%= quire.navTitle %></h1>
<% list(quire.nav) -%>
  </nav>
  <nav epub:type="landmarks" id="landmarks" hidden="hidden">
    <h2>Landmarks</h2>
    <ol>
<% quire.landmarks.forEach(function (l) { -%>
      <li><a epub:type="<%= l.type %>" href="<%= l.href %>"><%= l.label %></a></li>
<% }) -%>
    </ol>
  </nav>
</body>
</html>
`;

export const TOC_NCX = `<?xml version="1.0" encoding="UTF-8"?>
<ncx xmlns="http://www.daisy.org/z3986/2005/ncx/" version="2005-1" xml:lang="<%= quire.language %>">
  <head>
    <meta name="dtb:uid" content="<%= quire.identifier %>"/>
    <meta name="dtb:depth" content="<%= (function depth(ps) { return ps.reduce(function (d, p) { return Math.max(d, 1 + depth(p.children)); }, 0); })(quire.nav) || 1 %>"/>
    <meta name="dtb:totalPageCount" content="0"/>
    <meta name="dtb:maxPageNumber" content="0"/>
  </head>
  <docTitle><text><%= quire.title %></text></docTitle>
<% quire.authors.forEach(function (author) { -%>
  <docAuthor><text><%= author %></text></docAuthor>
<% }) -%>
  <navMap>
<%
var order = 0;
function points(ps) {
  ps.forEach(function (p) { order++; -%>
<navPoint id="navpoint-<%= order %>" playOrder="<%= order %>">
  <navLabel><text><%= p.label %></text></navLabel>
  <content src="<%= p.href %>"/>
<% points(p.children) -%>
</navPoint>
<% }); } points(quire.nav); -%>
  </navMap>
</ncx>
`;

export const CHAPTER_XHTML = `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE html>
<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops" xml:lang="<%= lang %>" lang="<%= lang %>"<% if (locals.dir) { %> dir="<%= dir %>"<% } %>>
<head>
  <meta charset="UTF-8"/>
  <title><%= title %></title>
  <link rel="stylesheet" type="text/css" href="style.css"/>
</head>
<body<% if (bodyClass) { %> class="<%= bodyClass %>"<% } %>>
<%- content %>
</body>
</html>
`;
