import type { AnyNode, Document, Element } from 'domhandler';
import { diagnostic, type Diagnostic } from '../diagnostics.js';
import type { Block, Tag, TagKind } from '../model/types.js';
import { htmlparser2, htmlToBlocks, type HtmlContext } from './html-blocks.js';
import { parseChapterHeading } from './chapter-heading.js';
import { normalizeLanguage } from './metadata-input.js';
import { readStats } from './ao3-meta.js';
import type { Draft, DraftChapter, SourceMetadata } from './draft.js';
import { parseSeriesTrailer } from './trailer.js';

/**
 * Reader for AO3's HTML downloads (the Download → HTML button), whose
 * structure comes from otwarchive's downloads/show: `div#preface` (the
 * message with the work's URL, `dl.tags`, `h1` title, byline, summary and
 * notes), `div#chapters` (one `div.userstuff`, or per chapter a `div.meta`
 * heading with its summary and notes, the content, and `div#endnotesN`), and
 * `div#afterword` (end notes, works inspired by this one). Every piece of
 * author HTML goes through the sanitizing converter. Other HTML is read as
 * one story: its body, with a lone `h1` as the title.
 */

/** What the HTML reader gives (a Draft; the name is kept for its callers). */
export type HtmlDraft = Draft;

/** Walk a DOM without recursion, in document order. */
function* walk(nodes: readonly AnyNode[]): Generator<Element> {
  const stack: AnyNode[] = [...nodes].reverse();
  while (stack.length) {
    const n = stack.pop()!;
    if (n.type === 'tag' || n.type === 'script' || n.type === 'style') {
      const el = n as Element;
      yield el;
      for (let i = el.children.length - 1; i >= 0; i--) stack.push(el.children[i]!);
    } else if (n.type === 'root') {
      const d = n as unknown as Document;
      for (let i = d.children.length - 1; i >= 0; i--) stack.push(d.children[i]!);
    }
  }
}

const hasClass = (el: Element, cls: string) => (el.attribs.class ?? '').split(/\s+/).includes(cls);
const byId = (root: readonly AnyNode[], id: string) => {
  for (const el of walk(root)) if (el.attribs.id === id) return el;
  return undefined;
};
const find = (root: readonly AnyNode[], test: (el: Element) => boolean) => {
  for (const el of walk(root)) if (test(el)) return el;
  return undefined;
};
const findAll = (root: readonly AnyNode[], test: (el: Element) => boolean) => [...walk(root)].filter(test);
/** Text of a node, gathered without recursion (hostile files nest thousands deep). */
function textContent(n: AnyNode | AnyNode[]): string {
  const stack: AnyNode[] = Array.isArray(n) ? [...n].reverse() : [n];
  let out = '';
  while (stack.length) {
    const node = stack.pop()!;
    if (node.type === 'text') out += (node as unknown as { data: string }).data;
    else if ('children' in node) for (let i = (node as Element).children.length - 1; i >= 0; i--) stack.push((node as Element).children[i]!);
  }
  return out;
}
const text = (n: AnyNode | AnyNode[]) => textContent(n).replace(/\s+/g, ' ').trim();

const VOID = new Set(['br', 'hr', 'img', 'input', 'meta', 'link', 'area', 'base', 'col', 'embed', 'source', 'track', 'wbr']);
const escText = (s: string) => s.replace(/[&<>]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;' })[c]!);
const escAttr = (s: string) => s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);

/** An element's inner HTML, serialised without recursion, for the sanitizing converter. */
function innerHtml(el: Element): string {
  type Item = AnyNode | { close: string };
  const stack: Item[] = [...el.children].reverse();
  let out = '';
  while (stack.length) {
    const item = stack.pop()!;
    if ('close' in item) {
      out += `</${item.close}>`;
      continue;
    }
    if (item.type === 'text') out += escText((item as unknown as { data: string }).data);
    else if (item.type === 'tag' || item.type === 'script' || item.type === 'style') {
      const e = item as Element;
      out += `<${e.name}${Object.entries(e.attribs).map(([k, v]) => ` ${k}="${escAttr(v)}"`).join('')}>`;
      if (VOID.has(e.name)) continue;
      stack.push({ close: e.name });
      for (let i = e.children.length - 1; i >= 0; i--) stack.push(e.children[i]!);
    }
  }
  return out;
}
const elements = (el: Element) => el.children.filter((c): c is Element => c.type === 'tag');

const TAG_LABELS: Array<[RegExp, TagKind]> = [
  [/^ratings?$/i, 'rating'],
  [/^archive warnings?$/i, 'warning'],
  [/^categor(?:y|ies)$/i, 'category'],
  [/^fandoms?$/i, 'fandom'],
  [/^relationships?$/i, 'relationship'],
  [/^characters?$/i, 'character'],
  [/^additional tags?$/i, 'freeform'],
];

/** True when the HTML looks like an AO3 download. */
export function isAo3Download(doc: Document): boolean {
  return !!byId(doc.children, 'preface') || !!byId(doc.children, 'chapters');
}

/** Parse an HTML file's text into a draft work. */
export function readHtml(html: string, file: string, baseDir: string): HtmlDraft {
  const diagnostics: Diagnostic[] = [];
  const ctx: HtmlContext = { file, baseDir, diagnostics };
  const doc = htmlparser2().parseDocument(html, { decodeEntities: true });
  const blocksOf = (el: Element | undefined): Block[] => (el ? htmlToBlocks(innerHtml(el), ctx) : []);
  if (!isAo3Download(doc)) {
    const body = find(doc.children, (el) => el.name === 'body');
    const h1s = findAll(doc.children, (el) => el.name === 'h1');
    const titleEl = find(doc.children, (el) => el.name === 'title');
    let blocks = body ? blocksOf(body) : htmlToBlocks(html, ctx);
    let titleHint: string | undefined;
    if (h1s.length === 1) {
      titleHint = text(h1s[0]!);
      if (blocks[0]?.type === 'heading') blocks = blocks.slice(1);
    } else if (titleEl && text(titleEl)) titleHint = text(titleEl);
    return {
      flat: false,
      meta: {},
      notes: { before: [], after: [] },
      chapters: [{ title: '', summary: [], notes: { before: [], after: [] }, blocks }],
      diagnostics,
      ...(titleHint ? { titleHint } : {}),
    };
  }

  const meta: SourceMetadata = {};
  const draft: HtmlDraft = { flat: false, meta, notes: { before: [], after: [] }, chapters: [], diagnostics };

  // — Preface: message, tags, title, byline, summary, notes.
  const preface = byId(doc.children, 'preface');
  if (preface) {
    const message = find(preface.children, (el) => el.name === 'p' && hasClass(el, 'message'));
    if (message) {
      const link = findAll(message.children, (el) => el.name === 'a').map((a) => a.attribs.href ?? '').find((h) => /\/works\/\d+/.test(h));
      if (link && /^https?:\/\//i.test(link)) draft.sourceUrl = link;
    }
    const dl = find(preface.children, (el) => el.name === 'dl' && hasClass(el, 'tags'));
    if (dl) readTags(dl, meta, diagnostics, file);
    const h1 = find(preface.children, (el) => el.name === 'h1');
    if (h1 && text(h1)) draft.titleHint = text(h1);
    const byline = find(preface.children, (el) => hasClass(el, 'byline'));
    if (byline) {
      const authors = findAll(byline.children, (el) => el.name === 'a' && (el.attribs.rel ?? '').includes('author')).map((a) => text(a));
      draft.authors = authors.length ? authors : [text(byline).replace(/^by\s+/i, '')].filter(Boolean);
    }
    const labelled = labelledQuotes(find(preface.children, (el) => hasClass(el, 'meta')) ?? preface);
    const summary = labelled.get('summary');
    if (summary) meta.summary = summary.flatMap((b) => blocksOf(b));
    const notes = labelled.get('notes');
    if (notes) draft.notes.before = notes.flatMap((b) => blocksOf(b));
  }

  // — Chapters.
  const chapters = byId(doc.children, 'chapters');
  if (chapters) {
    const metas = elements(chapters).filter((el) => hasClass(el, 'meta'));
    if (metas.length) {
      let current: DraftChapter | undefined;
      for (const el of elements(chapters)) {
        if (hasClass(el, 'meta') && !/^endnotes\d*$/.test(el.attribs.id ?? '')) {
          const heading = find(el.children, (h) => /^h[1-6]$/.test(h.name));
          const parsed = parseChapterHeading(heading ? text(heading) : '') ?? { label: '', title: '' };
          current = { label: parsed.label, title: parsed.title, summary: [], notes: { before: [], after: [] }, blocks: [] };
          const labelled = labelledQuotes(el);
          current.summary = (labelled.get('chapter summary') ?? []).flatMap((b) => blocksOf(b));
          current.notes.before = (labelled.get('chapter notes') ?? []).flatMap((b) => blocksOf(b));
          draft.chapters.push(current);
        } else if (hasClass(el, 'userstuff')) {
          if (!current) {
            current = { title: '', summary: [], notes: { before: [], after: [] }, blocks: [] };
            draft.chapters.push(current);
          }
          current.blocks.push(...blocksOf(el));
        } else if (/^endnotes\d*$/.test(el.attribs.id ?? '') && current) {
          const labelled = labelledQuotes(el);
          current.notes.after = (labelled.get('chapter end notes') ?? []).flatMap((b) => blocksOf(b));
        }
      }
    } else {
      // One chapter: its `div.userstuff` (or the chapters div itself), after an optional toc heading.
      const inner = elements(chapters).find((el) => hasClass(el, 'userstuff'));
      const blocks = blocksOf(inner ?? chapters);
      draft.chapters.push({ title: '', summary: [], notes: { before: [], after: [] }, blocks: inner ? blocks : stripTocHeading(blocks) });
    }
  }

  // — Afterword: end notes and works inspired by this one.
  const afterword = byId(doc.children, 'afterword');
  if (afterword) {
    const endnotes = byId(afterword.children, 'endnotes');
    if (endnotes) draft.notes.after = (labelledQuotes(endnotes).get('end notes') ?? findAll(endnotes.children, (el) => el.name === 'blockquote')).flatMap((b) => blocksOf(b));
    const inspired = findAll(afterword.children, (el) => el.name === 'dl' || el.attribs.id === 'children').find((el) => /inspired by this one/i.test(text(el)));
    if (inspired) {
      const items = findAll(inspired.children, (el) => el.name === 'dd' || el.name === 'li').map((el) => text(el)).filter(Boolean);
      const value = items.length ? items.join('; ') : text(inspired).replace(/^.*?inspired by this one:?\s*/i, '');
      if (value) meta.inspiredBy = value;
    }
  }
  if (!draft.chapters.length) diagnostics.push(diagnostic('warning', 'html/no-chapters', file, 'found no div#chapters in this AO3 download'));
  return draft;
}

function stripTocHeading(blocks: Block[]): Block[] {
  return blocks[0]?.type === 'heading' ? blocks.slice(1) : blocks;
}

/**
 * AO3 labels a blockquote with the paragraph before it (`<p>Summary</p>`,
 * `<p>Chapter Notes</p>`): map each lower-cased label to its blockquotes.
 */
function labelledQuotes(container: Element): Map<string, Element[]> {
  const out = new Map<string, Element[]>();
  let label: string | undefined;
  for (const el of elements(container)) {
    if (el.name === 'p' && !hasClass(el, 'message')) label = text(el).replace(/:$/, '').toLowerCase();
    else if (el.name === 'blockquote' && label) {
      const list = out.get(label) ?? [];
      list.push(el);
      out.set(label, list);
    } else if (el.name === 'div' && hasClass(el, 'endnote-link')) {
      // "See the end of the work for notes": a link, not content.
    } else if (el.name !== 'blockquote') label = el.name === 'p' ? label : undefined;
  }
  return out;
}

function readTags(dl: Element, meta: SourceMetadata, diagnostics: Diagnostic[], file: string): void {
  const tags: Tag[] = [];
  let label = '';
  for (const el of elements(dl)) {
    if (el.name === 'dt') {
      label = text(el).replace(/:$/, '');
      continue;
    }
    if (el.name !== 'dd') continue;
    const kind = TAG_LABELS.find(([re]) => re.test(label))?.[1];
    if (kind) {
      const anchors = findAll(el.children, (a) => a.name === 'a').map((a) => text(a)).filter(Boolean);
      const names = anchors.length ? anchors : text(el).split(',').map((x) => x.trim()).filter(Boolean);
      for (const name of names) tags.push({ kind, name });
    } else if (/^language$/i.test(label)) {
      const lang = normalizeLanguage(text(el));
      if (lang) meta.language = lang;
      else diagnostics.push(diagnostic('warning', 'metadata/bad-language', file, `unknown language '${text(el)}'; using 'en'`));
    } else if (/^series$/i.test(label)) {
      const parsed = parseSeriesTrailer(text(el).replace(/,\s*(?=Part\s+\d)/g, ' '));
      meta.series = [...(meta.series ?? []), ...parsed.series];
      for (const r of parsed.rejected) diagnostics.push(diagnostic('warning', 'series/bad-part', file, `series entry '${r}' has no sane part number; ignored it`));
    } else if (/^collections?$/i.test(label)) {
      const names = findAll(el.children, (a) => a.name === 'a').map((a) => text(a)).filter(Boolean);
      meta.collections = names.length ? names : text(el).split(',').map((c) => c.trim()).filter(Boolean);
    } else if (/^stats$/i.test(label)) {
      readStats(text(el), meta);
    }
  }
  if (tags.length) meta.tags = tags;
}
