import { posix } from 'node:path';
import { diagnostic, type Diagnostic, type Severity } from '../diagnostics.js';
import type { EpubPackage } from './epub-package.js';

/**
 * What e-readers and their stores are known to reject or mishandle in an
 * EPUB, as a list of named rules (the fixes kindle-epub-fix and kepubify
 * apply, Apple Books' and KOReader's habits). Quire runs them on every EPUB
 * it writes, and `quire check` on any EPUB; each finding is a diagnostic
 * `device/<rule id>`. A rule looks, it never changes the book.
 */
export interface DeviceRule {
  id: string;
  /** Who it is for. */
  device: 'Kindle' | 'Apple Books' | 'Kobo' | 'KOReader';
  /** error: the book is refused or broken there; warning: something is lost; info: worth knowing. */
  severity: Severity;
  description: string;
  /** The problems found, one message each (none: the book passes). */
  check: (book: EpubPackage) => string[];
}

/** Languages Amazon lists for Kindle books (KDP's list, as kindle-epub-fix carries it). */
const KINDLE_LANGUAGES = new Set(
  'af gsw ar eu nb br ca zh kw co da nl stq en fi fr fy gl de gu hi is ga it ja lb mr ml gv frr nn pl pt oc rm sco gd es sv ta cy afr ara eus baq nob bre cat zho chi cor cos dan nld dut eng fin fra fre fry glg deu ger guj hin isl ice gle ita jpn ltz mar mal glv nor nno por oci roh gla spa swe tam cym wel'.split(' '),
);

/** AO3's ratings, warnings and relationship categories: tags, but no category a bookshop shelves by. */
const NOT_A_CATEGORY = new Set(
  [
    'general audiences',
    'teen and up audiences',
    'mature',
    'explicit',
    'not rated',
    'no archive warnings apply',
    'choose not to use archive warnings',
    'creator chose not to use archive warnings',
    'graphic depictions of violence',
    'major character death',
    'rape/non-con',
    'underage',
    'underage sex',
    'f/f',
    'f/m',
    'gen',
    'm/m',
    'multi',
    'other',
  ].map((s) => s),
);

/** A well-formed BCP 47 language tag (the common shapes: language, script, region, variants). */
const BCP47 = /^[a-z]{2,3}(?:-[a-z]{4})?(?:-(?:[a-z]{2}|\d{3}))?(?:-(?:[a-z\d]{5,8}|\d[a-z\d]{3}))*$/i;

const isContent = (path: string) => /\.x?html?$/i.test(path);
const meta = (b: EpubPackage, key: string) => b.metadata.meta.get(key) ?? [];
const coverItem = (b: EpubPackage) => b.manifest.find((i) => i.properties.includes('cover-image')) ?? b.manifest.find((i) => i.id === meta(b, 'cover')[0]);

/** Every `<tag …>` of a name in a document's text (attributes as a map). */
function tags(text: string, name: string): Array<Record<string, string>> {
  const out: Array<Record<string, string>> = [];
  for (const m of text.matchAll(new RegExp(`<${name}\\b([^>]*)>`, 'gi'))) {
    const attrs: Record<string, string> = {};
    for (const a of m[1]!.matchAll(/([\w:.-]+)\s*=\s*("([^"]*)"|'([^']*)')/g)) attrs[a[1]!.toLowerCase()] = a[3] ?? a[4] ?? '';
    out.push(attrs);
  }
  return out;
}

const MB = 1024 * 1024;

export const DEVICE_RULES: readonly DeviceRule[] = [
  {
    id: 'kindle-xml-declaration',
    device: 'Kindle',
    severity: 'error',
    description: 'every content document opens with an XML declaration naming UTF-8 (Send-to-Kindle reads a file without one as ISO-8859-1)',
    check: (b) =>
      [...b.content]
        .filter(([, t]) => !/^\uFEFF?<\?xml\s+version=["'][\d.]+["']\s+encoding=["']utf-8["']\s*\?>/i.test(t))
        .map(([p]) => `${p} has no XML declaration with encoding="UTF-8"`),
  },
  {
    id: 'kindle-language',
    device: 'Kindle',
    severity: 'error',
    description: 'dc:language is present and a valid language tag (Send-to-Kindle rejects a book without one)',
    check: (b) => (!b.metadata.languages.length ? ['the package has no dc:language'] : b.metadata.languages.filter((l) => !BCP47.test(l)).map((l) => `dc:language '${l}' is not a language tag`)),
  },
  {
    id: 'kindle-language-listed',
    device: 'Kindle',
    severity: 'info',
    description: "the language is one Amazon lists for Kindle books (others may convert badly or not at all)",
    check: (b) => {
      const l = b.metadata.languages[0];
      const primary = l?.split('-')[0]!.toLowerCase();
      return primary && BCP47.test(l!) && !KINDLE_LANGUAGES.has(primary) ? [`Amazon does not list '${l}' among Kindle's languages; Send-to-Kindle may convert this book badly`] : [];
    },
  },
  {
    id: 'kindle-body-id-link',
    device: 'Kindle',
    severity: 'error',
    description: "no link points at a <body>'s id (Kindle shows such links as unresolved)",
    check: (b) => {
      const bodyIds = new Set<string>();
      for (const [p, t] of b.content) {
        const id = tags(t, 'body')[0]?.id;
        if (id) bodyIds.add(`${p}#${id}`);
      }
      if (!bodyIds.size) return [];
      const out: string[] = [];
      for (const [p, t] of b.content) {
        for (const a of tags(t, 'a')) {
          if (!a.href || /^[a-z][a-z\d+.-]*:/i.test(a.href)) continue;
          const [file, id] = a.href.split('#');
          const target = `${file ? posix.normalize(posix.join(posix.dirname(p), decodeURIComponent(file))) : p}#${id}`;
          if (id && bodyIds.has(target)) out.push(`${p} links to ${a.href}, the id of a <body>`);
        }
      }
      return out;
    },
  },
  {
    id: 'kindle-img-src',
    device: 'Kindle',
    severity: 'error',
    description: 'every <img> has a src (Send-to-Kindle fails on one without)',
    check: (b) => [...b.content].flatMap(([p, t]) => (tags(t, 'img').some((i) => !i.src?.trim()) ? [`${p} has an <img> without a src`] : [])),
  },
  {
    id: 'kindle-comment-dashes',
    device: 'Kindle',
    severity: 'error',
    description: 'no comment holds "--" (not XML, and Kindle conversion stops on it)',
    check: (b) => [...b.content].flatMap(([p, t]) => ([...t.matchAll(/<!--([^]*?)-->/g)].some((m) => m[1]!.includes('--') || m[1]!.endsWith('-')) ? [`${p} has "--" inside a comment`] : [])),
  },
  {
    id: 'kindle-size',
    device: 'Kindle',
    severity: 'warning',
    description: 'the book is under Send-to-Kindle\'s limits (50 MB by e-mail, 200 MB through the app or web)',
    check: (b) => (b.bytes > 200 * MB ? [`the book is ${(b.bytes / MB).toFixed(0)} MB: over Send-to-Kindle's 200 MB limit`] : b.bytes > 50 * MB ? [`the book is ${(b.bytes / MB).toFixed(0)} MB: too large to send to a Kindle by e-mail (50 MB)`] : []),
  },
  {
    id: 'kindle-spine-order',
    device: 'Kindle',
    severity: 'warning',
    description: "the NCX's chapters are in the spine's order (Kindle conversion follows the NCX)",
    check: (b) => {
      if (!b.ncx) return [];
      const spine = b.spine.map((id) => b.manifest.find((i) => i.id === id)?.path);
      const dir = posix.dirname(b.ncx.path);
      let last = -1;
      // The navigation map only (a page list's targets fall inside the chapters).
      const navMap = b.ncx.text.split(/<\/navMap>/i)[0]!;
      for (const c of tags(navMap, 'content')) {
        const at = spine.indexOf(posix.normalize(posix.join(dir, decodeURIComponent((c.src ?? '').split('#')[0]!))));
        if (at < 0) continue;
        if (at < last) return [`the NCX points to ${c.src} after a later part of the spine`];
        last = at;
      }
      return [];
    },
  },
  {
    id: 'cover-jpeg',
    device: 'Kindle',
    severity: 'warning',
    description: 'the cover is a JPEG (Kindle and Apple Books show no PNG cover in their libraries)',
    check: (b) => {
      const c = coverItem(b);
      return !c ? ['the book has no cover image'] : c.type !== 'image/jpeg' ? [`the cover ${c.href} is ${c.type}, not a JPEG`] : [];
    },
  },
  {
    id: 'cover-meta',
    device: 'Kindle',
    severity: 'warning',
    description: "the cover is named by EPUB 2's <meta name=\"cover\"> too (older readers and Kindle conversion look only there)",
    check: (b) => {
      const c = b.manifest.find((i) => i.properties.includes('cover-image'));
      const named = meta(b, 'cover')[0];
      return c && named !== c.id ? [`no <meta name="cover" content="${c.id}"/> for the cover image`] : [];
    },
  },
  {
    id: 'kobo-cover-image',
    device: 'Kobo',
    severity: 'warning',
    description: 'the cover image has properties="cover-image" (the only way Kobo finds it)',
    check: (b) => (coverItem(b) && !b.manifest.some((i) => i.properties.includes('cover-image')) ? ['the cover image has no properties="cover-image"'] : []),
  },
  {
    id: 'kobo-file-names',
    device: 'Kobo',
    severity: 'warning',
    description: 'file names inside the book are ASCII without spaces (Kobo loses the reading position in others)',
    check: (b) => b.files.filter((f) => /[^\x21-\x7e]/.test(f.name)).map((f) => `the file name '${f.name}' has spaces or non-ASCII characters`),
  },
  {
    id: 'kobo-kepub',
    device: 'Kobo',
    severity: 'warning',
    description: "a kepub's content documents carry Kobo's spans and wrappers (without them Kobo's features are off)",
    check: (b) => {
      const spans = [...b.content.values()].some((t) => t.includes('koboSpan'));
      if (!spans) return [];
      const out: string[] = [];
      for (const [p, t] of b.content) {
        const body = t.slice(t.search(/<body\b/i));
        if (/>[^<]*[^\s<][^<]*</.test(body.replace(/<head[^]*?<\/head>/i, '')) && !t.includes('koboSpan')) out.push(`${p} has text but no koboSpan`);
        if (!/<div id="book-columns">\s*<div id="book-inner">/.test(t)) out.push(`${p} lacks the div#book-columns > div#book-inner wrappers`);
      }
      return out;
    },
  },
  {
    id: 'kobo-series',
    device: 'Kobo',
    severity: 'info',
    description: 'Kobo shows the series only of kepubs (build with -f kepub)',
    check: (b) => (meta(b, 'calibre:series').length && ![...b.content.values()].some((t) => t.includes('koboSpan')) ? ['Kobo ignores the series of a sideloaded EPUB; its kepub (-f kepub) keeps it'] : []),
  },
  {
    id: 'apple-author-ampersand',
    device: 'Apple Books',
    severity: 'warning',
    description: 'each author is a dc:creator of their own (Apple Books hides every name after the first when they are joined with &)',
    check: (b) => b.metadata.creators.filter((c) => /\s&\s|&amp;/.test(c)).map((c) => `dc:creator '${c}' joins authors with &; give each author a dc:creator`),
  },
  {
    id: 'apple-first-subject',
    device: 'Apple Books',
    severity: 'warning',
    description: 'the first dc:subject is a category (Apple Books files the book under it), not a rating, warning or relationship category',
    check: (b) => {
      const first = b.metadata.subjects[0];
      return first !== undefined && NOT_A_CATEGORY.has(first.trim().toLowerCase()) ? [`Apple Books would file this book under '${first}'; put a category (Fan Fiction, Fiction) first`] : [];
    },
  },
  {
    id: 'apple-display-options',
    device: 'Apple Books',
    severity: 'warning',
    description: 'a book that embeds fonts says so in META-INF/com.apple.ibooks.display-options.xml (else Apple Books ignores them)',
    check: (b) => {
      const fonts = b.manifest.some((i) => /font|opentype|truetype|woff/.test(i.type) || /\.(?:ttf|otf|woff2?)$/i.test(i.href));
      const opts = b.extra.get('META-INF/com.apple.ibooks.display-options.xml');
      return fonts && !/name="specified-fonts"\s*>\s*true/.test(opts ?? '') ? ['the book embeds fonts but has no com.apple.ibooks.display-options.xml with specified-fonts true'] : [];
    },
  },
  {
    id: 'koreader-series',
    device: 'KOReader',
    severity: 'warning',
    description: "a series is given both ways: calibre's calibre:series with a numeric calibre:series_index (KOReader, calibre, Kobo) and EPUB 3's belongs-to-collection (Apple Books)",
    check: (b) => {
      const calibre = meta(b, 'calibre:series');
      const index = meta(b, 'calibre:series_index');
      const epub3 = meta(b, 'belongs-to-collection');
      const out: string[] = [];
      if (epub3.length && !calibre.length) out.push(`the series '${epub3[0]}' has no calibre:series, which KOReader reads`);
      if (calibre.length && !epub3.length) out.push(`the series '${calibre[0]}' has no belongs-to-collection, which Apple Books reads`);
      if (calibre.length && (!index.length || !/^\d+(?:\.\d+)?$/.test(index[0]!.trim()))) out.push(`the series '${calibre[0]}' has no numeric calibre:series_index`);
      return out;
    },
  },
];

/** Every device rule on an opened EPUB: one diagnostic per finding, against `file`. */
export function checkDevices(book: EpubPackage, file: string, rules: readonly DeviceRule[] = DEVICE_RULES): Diagnostic[] {
  if (!book.opfPath) return [diagnostic('error', 'device/no-package', file, 'not an EPUB Quire can read: no package document (META-INF/container.xml)')];
  const out: Diagnostic[] = [];
  for (const rule of rules) {
    for (const message of rule.check(book)) out.push(diagnostic(rule.severity, `device/${rule.id}`, file, `${rule.device}: ${message}`));
  }
  return out;
}

/** Content documents only (helpers for callers that list them). */
export const contentPaths = (book: EpubPackage) => [...book.content.keys()].filter(isContent);
