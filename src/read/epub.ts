import { posix } from 'node:path';
import type { AnyNode, Document, Element } from 'domhandler';
import type JSZipType from 'jszip';
import { diagnostic, type Diagnostic } from '../diagnostics.js';
import { lazy } from '../lazy.js';
import type { Block, Tag } from '../model/types.js';
import { readAo3Download } from './ao3-html.js';
import { readTags } from './ao3-meta.js';
import { parseChapterHeading } from './chapter-heading.js';
import { emptyChapter, type Draft, type DraftChapter } from './draft.js';
import { htmlparser2, htmlToBlocks, type HtmlContext } from './html-blocks.js';
import { byId, elements, find, findAll, hasClass, isHeading, outerHtml, text } from './html-dom.js';
import { normalizeDate, normalizeLanguage, parsePart } from './metadata-input.js';
import { mergeSeries } from './series-merge.js';

const JSZip = lazy<typeof JSZipType>('jszip');

/**
 * Reader for EPUB files — the ones readers already have.
 *
 * AO3's EPUB downloads are its HTML download run through calibre's
 * `ebook-convert` (otwarchive's DownloadWriter), split into
 * `*_split_NNN.html` files with every class renamed: the split files are
 * joined back into the one download (its `#preface`, `#chapters` and
 * `#afterword` pieces merged by id) and read by the AO3 download reader, so
 * a folder of AO3 EPUBs gives the same works — tag kinds, every series,
 * chapters with their notes — as a folder of AO3 HTML downloads. The OPF
 * fills what the download lacks; "Fanworks", AO3's placeholder first tag,
 * is not a tag.
 *
 * Any other EPUB (FanFicFare's, calibre's, Quire's own, EPUB 2 or 3): the
 * metadata of its OPF (calibre and EPUB 3 series included) and its chapters
 * from the spine, cut and named by the navigation (nav or NCX), the cover,
 * title and contents pages left out, the text sanitized like author HTML.
 * An EPUB locked with DRM, or a file that is no EPUB, is an error.
 */

export interface EpubRead {
  draft?: Draft;
  diagnostics: Diagnostic[];
}

/** Encryption methods that only obfuscate embedded fonts: not DRM. */
const FONT_OBFUSCATION = ['http://www.idpf.org/2008/embedding', 'http://ns.adobe.com/pdf/enc#RC'];

interface Manifest {
  id: string;
  href: string;
  path: string;
  type: string;
  properties: string;
}

interface NavEntry {
  label: string;
  path: string;
  fragment?: string;
}

const parseXml = (s: string) => htmlparser2().parseDocument(s, { xmlMode: true, decodeEntities: true });
const parseXhtml = (s: string) => htmlparser2().parseDocument(s, { decodeEntities: true });
/** An element's local name, without its namespace prefix (`dc:title` → `title`). */
const local = (el: Element) => el.name.replace(/^.*:/, '').toLowerCase();

export async function readEpub(bytes: Uint8Array, file: string): Promise<EpubRead> {
  const fail = (code: string, message: string): EpubRead => ({ diagnostics: [diagnostic('error', code, file, message)] });
  let zip: JSZipType;
  try {
    zip = await JSZip().loadAsync(bytes);
  } catch {
    return fail('input/not-epub', 'this is not an EPUB (it is not a zip archive)');
  }
  const read = async (path: string) => zip.file(path)?.async('string');
  const container = await read('META-INF/container.xml');
  const opfPath = container ? find(parseXml(container).children, (el) => local(el) === 'rootfile')?.attribs['full-path'] : undefined;
  const opfText = opfPath ? await read(opfPath) : undefined;
  if (!opfPath || !opfText) return fail('input/not-epub', 'this is not an EPUB (it has no META-INF/container.xml naming its package)');
  if (zip.file('META-INF/rights.xml')) return fail('input/drm', 'this EPUB is locked with DRM (Adobe rights); Quire cannot read it');
  const encryption = await read('META-INF/encryption.xml');
  if (encryption) {
    const methods = findAll(parseXml(encryption).children, (el) => local(el) === 'encryptionmethod').map((el) => el.attribs.Algorithm ?? el.attribs.algorithm ?? '');
    if (methods.some((m) => !FONT_OBFUSCATION.includes(m))) return fail('input/drm', 'this EPUB is locked with DRM (encrypted content); Quire cannot read it');
  }

  const diagnostics: Diagnostic[] = [];
  const opf = parseXml(opfText);
  const base = posix.dirname(opfPath);
  const resolve = (from: string, href: string) => posix.normalize(posix.join(from === '.' ? '' : from, decodeURIComponent(href.split('#')[0]!)));
  const manifest = new Map<string, Manifest>();
  for (const el of findAll(opf.children, (e) => local(e) === 'item')) {
    const href = el.attribs.href ?? '';
    manifest.set(el.attribs.id ?? href, { id: el.attribs.id ?? href, href, path: resolve(base, href), type: el.attribs['media-type'] ?? '', properties: el.attribs.properties ?? '' });
  }
  const spineEl = find(opf.children, (e) => local(e) === 'spine');
  const spine = findAll(spineEl ? [spineEl] : [], (e) => local(e) === 'itemref')
    .filter((r) => r.attribs.linear !== 'no')
    .map((r) => manifest.get(r.attribs.idref ?? ''))
    .filter((m): m is Manifest => !!m && /html|xml/.test(m.type));
  const metadata = readOpfMetadata(opf);
  const navItem = [...manifest.values()].find((m) => /\bnav\b/.test(m.properties));
  const ncxItem = manifest.get(spineEl?.attribs.toc ?? '') ?? [...manifest.values()].find((m) => m.type === 'application/x-dtbncx+xml');
  const nav = navItem ? readNav(await read(navItem.path), posix.dirname(navItem.path)) : ncxItem ? readNcx(await read(ncxItem.path), posix.dirname(ncxItem.path)) : [];
  const skip = new Set<string>([...(navItem ? [navItem.path] : []), ...coverAndFrontPages(opf, manifest, base)]);

  // Images inside the book are read from the archive, never from disk or the network.
  const images = new Map<string, Uint8Array>();
  for (const m of manifest.values()) {
    if (/^image\/(png|jpeg|gif)$/.test(m.type)) {
      const data = await zip.file(m.path)?.async('uint8array');
      if (data) images.set(m.path, data);
    }
  }
  // What the book's stylesheets say through classes (calibre turns every `style` and `<u>` into one): alignment, and
  // underline, strike, italic and bold on a span, carried back onto the elements.
  const aligned = new Map<string, ClassStyle>();
  for (const m of manifest.values()) if (m.type === 'text/css') classStyles((await read(m.path)) ?? '', aligned);
  const docs: Array<{ path: string; dom: Document }> = [];
  for (const item of spine) {
    const html = await read(item.path);
    if (html === undefined) continue;
    const dom = parseXhtml(html);
    if (aligned.size) {
      for (const el of findAll(dom.children, (e) => !!e.attribs.class)) {
        const styles = (el.attribs.class ?? '').split(/\s+/).map((c) => aligned.get(c)).filter((x): x is ClassStyle => !!x);
        const align = styles.find((x) => x.align)?.align;
        if (align && !/text-align/.test(el.attribs.style ?? '')) el.attribs.style = `text-align: ${align}`;
        const mark = styles.find((x) => x.mark)?.mark;
        if (mark && el.name === 'span') el.name = mark;
      }
    }
    docs.push({ path: item.path, dom });
  }
  const ctxFor = (docPath: string): HtmlContext => ({
    file,
    baseDir: '.',
    diagnostics,
    resolveImage: (src) => {
      if (/^[a-z][a-z0-9+.-]*:/i.test(src)) return undefined;
      const path = resolve(posix.dirname(docPath), src);
      const data = images.get(path);
      return data ? { src: `${file}#${path}`, data } : undefined;
    },
  });

  let draft: Draft;
  const ao3 = metadata.publisher === 'Archive of Our Own' || docs.some((d) => byId(d.dom.children, 'preface') && /Posted originally on the Archive of Our Own/i.test(text(d.dom.children)));
  if (ao3) draft = readAo3Download(joinSplitDownload(docs.map((d) => d.dom)), ctxFor(docs[0]?.path ?? base));
  else draft = readBook(docs.filter((d) => !skip.has(d.path)), nav, ctxFor, metadata.generator);
  fillFromOpf(draft, metadata, ao3);
  // A one-chapter book heads its chapter with the book's title: that is no title of the chapter's own.
  const only = draft.chapters.length === 1 ? draft.chapters[0]! : undefined;
  if (only && !only.label && only.title && only.title === draft.titleHint) only.title = '';
  draft.diagnostics = [...diagnostics.filter((d) => !draft.diagnostics.includes(d)), ...draft.diagnostics];
  return { draft, diagnostics: [] };
}

interface ClassStyle {
  align?: string;
  /** The element a span of this class stands for. */
  mark?: 'u' | 's' | 'em' | 'strong';
}

/** `.name { … }` rules of a stylesheet → what each class says of alignment and emphasis. */
function classStyles(css: string, out: Map<string, ClassStyle>): void {
  for (const m of css.replace(/\/\*[\s\S]*?\*\//g, '').matchAll(/([^{}]+)\{([^}]*)\}/g)) {
    const body = m[2]!;
    const style: ClassStyle = {};
    const align = /text-align\s*:\s*(center|right)\b/i.exec(body)?.[1]?.toLowerCase();
    if (align) style.align = align;
    if (/text-decoration[^;]*underline/i.test(body)) style.mark = 'u';
    else if (/text-decoration[^;]*line-through/i.test(body)) style.mark = 's';
    else if (/font-style\s*:\s*italic/i.test(body)) style.mark = 'em';
    else if (/font-weight\s*:\s*(?:bold|[6-9]00)/i.test(body)) style.mark = 'strong';
    if (!style.align && !style.mark) continue;
    for (const sel of m[1]!.split(',')) {
      const cls = /^\s*(?:[a-z0-9]+)?\.([\w-]+)\s*$/i.exec(sel)?.[1];
      if (cls) out.set(cls, { ...out.get(cls), ...style });
    }
  }
}

interface OpfMetadata {
  title?: string;
  authors: string[];
  language?: string;
  description?: string;
  subjects: string[];
  date?: string;
  publisher?: string;
  source?: string;
  series: Array<{ name: string; part: number }>;
  generator?: string;
}

/** The package's metadata: Dublin Core, calibre's series, EPUB 3 collections and refinements. */
function readOpfMetadata(opf: Document): OpfMetadata {
  const meta = find(opf.children, (e) => local(e) === 'metadata');
  const all = meta ? findAll(meta.children, () => true) : [];
  const dc = (name: string) => all.filter((e) => e.name.toLowerCase() === `dc:${name}` || (local(e) === name && e.name.includes(':') === false && name !== 'meta'));
  const refines = new Map<string, Map<string, string>>();
  for (const e of all) {
    const target = e.attribs.refines?.replace(/^#/, '');
    if (local(e) === 'meta' && target && e.attribs.property) {
      const m = refines.get(target) ?? new Map<string, string>();
      m.set(e.attribs.property, text(e));
      refines.set(target, m);
    }
  }
  const named = (name: string) => all.find((e) => local(e) === 'meta' && e.attribs.name === name)?.attribs.content;
  const out: OpfMetadata = { authors: [], subjects: [], series: [] };
  const title = dc('title')[0];
  if (title && text(title)) out.title = text(title);
  for (const c of dc('creator')) {
    const role = c.attribs['opf:role'] ?? refines.get(c.attribs.id ?? '')?.get('role');
    if ((!role || role === 'aut') && text(c)) out.authors.push(text(c));
  }
  const lang = dc('language')[0];
  if (lang && text(lang)) out.language = text(lang);
  const desc = dc('description')[0];
  if (desc) out.description = textContentRaw(desc);
  out.subjects = dc('subject').map((s) => text(s)).filter(Boolean);
  const date = dc('date')[0];
  if (date) out.date = text(date);
  const publisher = dc('publisher')[0];
  if (publisher) out.publisher = text(publisher);
  const source = [...dc('source'), ...dc('identifier')].map((s) => text(s)).find((s) => /^https?:\/\//i.test(s));
  if (source) out.source = source;
  const calibre = named('calibre:series');
  if (calibre) {
    const part = parsePart(String(Math.round(Number(named('calibre:series_index') ?? '1'))));
    if (part) out.series.push({ name: calibre, part });
  }
  for (const e of all) {
    if (local(e) === 'meta' && e.attribs.property === 'belongs-to-collection' && text(e)) {
      const r = refines.get(e.attribs.id ?? '');
      if (r?.get('collection-type') && r.get('collection-type') !== 'series') continue;
      const part = parsePart(String(Math.round(Number(r?.get('group-position') ?? '1'))));
      if (part) out.series = mergeSeries(out.series, [{ name: text(e), part }]);
    }
  }
  const generator = named('generator') ?? all.find((e) => local(e) === 'meta' && e.attribs.property === 'generator')?.attribs.content;
  if (generator) out.generator = generator;
  return out;
}

/** An element's text with its line breaks kept (a description may hold paragraphs). */
function textContentRaw(el: Element): string {
  return findAll([el], () => true).length ? text(el.children) : '';
}

/** What the package says, where the book's own pages did not say it. */
function fillFromOpf(draft: Draft, m: OpfMetadata, ao3: boolean): void {
  if (!draft.titleHint && m.title) draft.titleHint = m.title;
  // AO3 passes every author to calibre as one name ("A, B"): its byline inside is the truth.
  if (!draft.authors?.length && m.authors.length) draft.authors = ao3 ? m.authors.flatMap((a) => a.split(/\s*,\s*/)).filter(Boolean) : m.authors;
  if (!draft.meta.language && m.language) {
    const lang = normalizeLanguage(m.language);
    if (lang) draft.meta.language = lang;
  }
  if (!draft.meta.summary?.length && m.description) {
    const blocks = /<\w/.test(m.description)
      ? htmlToBlocks(m.description, { file: '', baseDir: '.', diagnostics: [] })
      : m.description.split(/\n\s*\n/).map((p) => p.replace(/\s+/g, ' ').trim()).filter(Boolean).map((p): Block => ({ type: 'paragraph', children: [{ type: 'text', value: p }] }));
    if (blocks.length) draft.meta.summary = blocks;
  }
  if (!draft.meta.tags?.length) {
    // "Fanworks" is AO3's placeholder, put first so Apple Books files the book as fan fiction.
    const tags: Tag[] = m.subjects.filter((s) => !(ao3 && /^fanworks$/i.test(s))).map((name) => ({ kind: 'freeform', name }));
    if (tags.length) draft.meta.tags = tags;
  }
  const date = m.date ? normalizeDate(m.date.slice(0, 10)) : undefined;
  if (!draft.meta.published && !draft.meta.updated && date) draft.meta.published = date;
  draft.meta.series = mergeSeries(draft.meta.series ?? [], m.series);
  if (!draft.meta.series.length) delete draft.meta.series;
  if (!draft.sourceUrl && m.source) draft.sourceUrl = m.source;
}

/**
 * calibre splits a download into files, repeating the wrappers a split runs
 * through (`div#chapters` in each): join their bodies into one document,
 * each run of same-id wrappers merged into the first.
 */
function joinSplitDownload(doms: readonly Document[]): Document {
  const top: Element[] = [];
  for (const dom of doms) {
    const body = find(dom.children, (el) => el.name === 'body');
    for (const el of body ? elements(body) : []) {
      const last = top[top.length - 1];
      if (last && el.attribs.id && last.attribs.id === el.attribs.id) last.children.push(...el.children);
      else top.push(el);
    }
  }
  return parseXhtml(`<html><body>${outerHtml(top)}</body></html>`);
}

/** The cover, title and contents pages of a book: the guide's and landmarks' front matter, and pages that say what they are. */
function coverAndFrontPages(opf: Document, manifest: Map<string, Manifest>, base: string): string[] {
  const out: string[] = [];
  for (const ref of findAll(opf.children, (e) => local(e) === 'reference')) {
    if (/^(cover|title-page|toc|copyright-page)$/.test(ref.attribs.type ?? '')) out.push(posix.normalize(posix.join(base, (ref.attribs.href ?? '').split('#')[0]!)));
  }
  for (const m of manifest.values()) if (/\bcover-image\b|\bnav\b/.test(m.properties) || /(^|\/)(cover|title_?page|titlepage)\.x?html?$/i.test(m.path)) out.push(m.path);
  return out;
}

/** EPUB 3 navigation: the `toc` nav's links, in order, at any depth. */
function readNav(html: string | undefined, dir: string): NavEntry[] {
  if (!html) return [];
  const dom = parseXhtml(html);
  const toc = find(dom.children, (el) => el.name === 'nav' && /\btoc\b/.test(el.attribs['epub:type'] ?? el.attribs.role ?? 'toc')) ?? find(dom.children, (el) => el.name === 'nav');
  return findAll(toc ? [toc] : [], (el) => el.name === 'a' && !!el.attribs.href).map((a) => navEntry(text(a), a.attribs.href!, dir));
}

/** EPUB 2 navigation: the NCX's navPoints, in order, at any depth. */
function readNcx(xml: string | undefined, dir: string): NavEntry[] {
  if (!xml) return [];
  const dom = parseXml(xml);
  return findAll(dom.children, (el) => local(el) === 'navpoint').flatMap((p) => {
    const label = find(p.children, (el) => local(el) === 'text');
    const content = elements(p).find((el) => local(el) === 'content');
    return content?.attribs.src ? [navEntry(label ? text(label) : '', content.attribs.src, dir)] : [];
  });
}

function navEntry(label: string, href: string, dir: string): NavEntry {
  const [file, fragment] = href.split('#');
  const entry: NavEntry = { label, path: posix.normalize(posix.join(dir === '.' ? '' : dir, decodeURIComponent(file ?? ''))) };
  if (fragment) entry.fragment = decodeURIComponent(fragment);
  return entry;
}

/** Labels of front matter a navigation lists that is not story. */
const FRONT_LABELS = /^(?:cover|title page|titlepage|table of contents|contents|copyright|information|update log|about this (?:book|ebook|story))$/i;

/**
 * Any other EPUB's spine → chapters: a new chapter at every page or anchor
 * the navigation names (its label read by the heading grammar), pages it
 * does not name joined to the chapter before. A heading that repeats the
 * chapter's name at its top is not set twice.
 */
function readBook(docs: Array<{ path: string; dom: Document }>, nav: NavEntry[], ctxFor: (path: string) => HtmlContext, generator?: string): Draft {
  const draft: Draft = { flat: false, meta: {}, notes: { before: [], after: [] }, chapters: [], diagnostics: [] };
  const quire = /^Quire\b/.test(generator ?? '');
  let current: DraftChapter | undefined;
  const seen = new Set<string>();
  const entries = nav.filter((e) => {
    const key = `${e.path}#${e.fragment ?? ''}`;
    if (seen.has(key) || FRONT_LABELS.test(e.label)) return false;
    seen.add(key);
    return true;
  });
  for (const { path, dom } of docs) {
    const body = find(dom.children, (el) => el.name === 'body');
    if (!body) continue;
    const ctx = ctxFor(path);
    if (isFrontMatter(body)) {
      // Quire's own title page lists the tags by kind, and the stats, as AO3 does.
      const meta = quire ? find(body.children, (el) => el.name === 'dl' && hasClass(el, 'meta')) : undefined;
      if (meta && !draft.meta.tags) readTags(meta, draft.meta, draft.diagnostics, ctx.file);
      continue;
    }
    if (quire && readQuireNotesPage(body, draft, ctx)) continue;
    const quireChapter = quire ? find(body.children, (el) => el.name === 'section' && hasClass(el, 'chapter')) : undefined;
    if (quireChapter) {
      draft.chapters.push((current = readQuireChapter(quireChapter, ctx)));
      continue;
    }
    const flow = contentFlow(body);
    const here = entries.filter((e) => e.path === path);
    // Where each named chapter starts in this page's flow.
    // (An anchor on the wrapper the flow was taken from, or on the body, is the page's start.)
    const starts = here.map((e) => {
      if (!e.fragment) return { e, at: 0 };
      const at = flow.findIndex((n) => n.type === 'tag' && (((n as Element).attribs.id ?? '') === e.fragment || !!byId([n], e.fragment!)));
      return { e, at: at < 0 && (body.attribs.id === e.fragment || byId([body], e.fragment)) ? 0 : at };
    });
    const cuts = starts.filter((s) => s.at >= 0).sort((a, b) => a.at - b.at);
    let from = 0;
    const take = (to: number) => {
      const nodes = flow.slice(from, to);
      from = to;
      if (!nodes.length) return;
      if (!current) draft.chapters.push((current = emptyChapter()));
      current.blocks.push(...htmlToBlocks(outerHtml(nodes), ctx));
    };
    for (const cut of cuts) {
      take(cut.at);
      const parsed = parseChapterHeading(cut.e.label) ?? { label: '', title: '' };
      current = { ...emptyChapter(), label: parsed.label, title: parsed.title };
      draft.chapters.push(current);
    }
    take(flow.length);
  }
  if (!quire) for (const ch of draft.chapters) dropRepeatedHeading(ch);
  return draft;
}

/** A page that is a cover, title page or contents by its own account. */
function isFrontMatter(body: Element): boolean {
  const types = [body, ...elements(body)].map((el) => el.attribs['epub:type'] ?? '').join(' ');
  return /\b(?:cover|titlepage|toc|copyright-page|imprint)\b/.test(types);
}

/** The nodes of a page's text: inside a lone wrapper (`section`, `div`), its children. */
function contentFlow(body: Element): AnyNode[] {
  let nodes: AnyNode[] = body.children;
  for (;;) {
    const els = nodes.filter((n): n is Element => n.type === 'tag');
    const loose = nodes.some((n) => n.type === 'text' && (n as unknown as { data: string }).data.trim());
    if (els.length === 1 && !loose && /^(?:div|section|article|main)$/.test(els[0]!.name)) nodes = els[0]!.children;
    else return nodes;
  }
}

/** A chapter that opens with a heading repeating its name does not set the name twice. */
function dropRepeatedHeading(ch: DraftChapter): void {
  const first = ch.blocks[0];
  if (first?.type !== 'heading') return;
  const words = (s: string) => s.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, ' ').trim();
  const heading = words(blockPlain(first));
  const name = words(`${ch.label ?? ''} ${ch.title}`);
  if (!ch.label && !ch.title) {
    // An unnamed page that opens with a heading: the heading names it.
    const parsed = parseChapterHeading(blockPlain(first)) ?? { label: '', title: '' };
    ch.label = parsed.label;
    ch.title = parsed.title;
    ch.blocks.shift();
  } else if (heading && (heading === name || heading === words(ch.title) || heading === words(ch.label ?? ''))) ch.blocks.shift();
}

function blockPlain(b: Block): string {
  if (b.type !== 'heading' && b.type !== 'paragraph') return '';
  const walkInl = (xs: (typeof b.children)[number][]): string => xs.map((x) => ('value' in x ? x.value : 'children' in x ? walkInl(x.children) : ' ')).join('');
  return walkInl(b.children).replace(/\s+/g, ' ').trim();
}

/** Quire's own scene break (`div.scene-break`, the ornament as text), read as the break it is. */
const QUIRE_SCENE_BREAK = /<div\b[^>]*\bclass="scene-break"[^>]*>[\s\S]*?<\/div>/g;
const quireHtml = (nodes: readonly AnyNode[]): string => outerHtml(nodes).replace(QUIRE_SCENE_BREAK, '<hr/>');

/** Quire's own notes pages (`section.notes`): the work's notes before and after its chapters. */
function readQuireNotesPage(body: Element, draft: Draft, ctx: HtmlContext): boolean {
  const section = find(body.children, (el) => el.name === 'section' && hasClass(el, 'notes'));
  if (!section) return false;
  const nodes = section.children.filter((n) => !(n.type === 'tag' && isHeading(n as Element)));
  const blocks = htmlToBlocks(quireHtml(nodes), ctx);
  const inspired = blocks.findIndex((b) => b.type === 'heading' && blockPlain(b) === 'Works inspired by this one');
  if (hasClass(section, 'end-notes')) {
    draft.notes.after.push(...(inspired >= 0 ? blocks.slice(0, inspired) : blocks));
    if (inspired >= 0) draft.meta.inspiredBy = blocks.slice(inspired + 1).map(blockPlain).join('; ');
  } else draft.notes.before.push(...blocks);
  return true;
}

/**
 * A chapter page of Quire's own (`section.chapter`): its heading's label and
 * title, and its summary, notes and end notes taken back out of the page.
 */
function readQuireChapter(section: Element, ctx: HtmlContext): DraftChapter {
  const ch = emptyChapter();
  const h1 = find(section.children, (el) => el.name === 'h1');
  const kicker = h1 && find(h1.children, (el) => hasClass(el, 'chapter-number'));
  const title = h1 && find(h1.children, (el) => hasClass(el, 'chapter-title'));
  if (kicker || title) {
    ch.label = kicker ? text(kicker) : '';
    ch.title = title ? text(title) : '';
  } else if (h1) {
    const parsed = parseChapterHeading(text(h1)) ?? { label: '', title: '' };
    ch.label = parsed.label;
    ch.title = parsed.title;
  }
  const notesOf = (el: Element) => htmlToBlocks(quireHtml(el.children.filter((n) => !(n.type === 'tag' && hasClass(n as Element, 'notes-label')))), ctx);
  const body: AnyNode[] = [];
  for (const n of section.children) {
    const el = n.type === 'tag' ? (n as Element) : undefined;
    if (el && el === h1) continue;
    if (el && hasClass(el, 'chapter-summary')) ch.summary.push(...notesOf(el));
    else if (el && hasClass(el, 'chapter-end-notes')) ch.notes.after.push(...notesOf(el));
    else if (el && hasClass(el, 'chapter-notes')) ch.notes.before.push(...notesOf(el));
    else body.push(n);
  }
  ch.blocks = htmlToBlocks(quireHtml(body), ctx);
  return ch;
}
