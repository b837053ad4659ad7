import type { AnyNode, Document, Element } from 'domhandler';
import { diagnostic, type Diagnostic } from '../diagnostics.js';
import type { Block } from '../model/types.js';
import { readTags } from './ao3-meta.js';
import { readAo3Page, isAo3Page } from './ao3-page.js';
import { parseChapterHeading } from './chapter-heading.js';
import { emptyChapter, type Draft, type DraftChapter, type SourceMetadata } from './draft.js';
import { htmlparser2, htmlToBlocks, type HtmlContext } from './html-blocks.js';
import { byId, elements, find, findAll, hasClass, innerHtml, isHeading, outerHtml, text } from './html-dom.js';

/**
 * Reader for AO3's HTML downloads (the Download → HTML button), whose
 * structure comes from otwarchive's downloads/show: `div#preface` (the
 * message with the work's URL, `dl.tags`, `h1` title, byline, summary and
 * notes), `div#chapters` (one `div.userstuff`, or per chapter a `div.meta`
 * heading with its summary and notes, the content, and `div#endnotesN`), and
 * `div#afterword` (end notes, works inspired by this one).
 *
 * The reading is structural — ids, element kinds, `rel="author"`, the label
 * paragraphs' words — and needs none of the classes, so it reads the same
 * download inside an AO3 EPUB too, where calibre has renamed every class.
 * Every piece of author HTML goes through the sanitizing converter. A work
 * page saved from the browser goes to `readAo3Page`; other HTML is read as
 * one story: its body, with a lone `h1` as the title.
 */

/** What the HTML reader gives (a Draft; the name is kept for its callers). */
export type HtmlDraft = Draft;

/** The words AO3 labels a download's blockquotes with. */
const LABELS = new Set(['summary', 'notes', 'chapter summary', 'chapter notes', 'chapter end notes', 'end notes']);

/** True when the HTML looks like an AO3 download. */
export function isAo3Download(doc: Document): boolean {
  return !!byId(doc.children, 'preface') || !!byId(doc.children, 'chapters');
}

/** Parse an HTML file's text into a draft work. */
export function readHtml(html: string, file: string, baseDir: string): HtmlDraft {
  const diagnostics: Diagnostic[] = [];
  const ctx: HtmlContext = { file, baseDir, diagnostics };
  const doc = htmlparser2().parseDocument(html, { decodeEntities: true });
  if (isAo3Page(doc)) return readAo3Page(doc, ctx);
  if (isAo3Download(doc)) return readAo3Download(doc, ctx);
  const body = find(doc.children, (el) => el.name === 'body');
  const h1s = findAll(doc.children, (el) => el.name === 'h1');
  const titleEl = find(doc.children, (el) => el.name === 'title');
  let blocks = body ? htmlToBlocks(innerHtml(body), ctx) : htmlToBlocks(html, ctx);
  let titleHint: string | undefined;
  if (h1s.length === 1) {
    titleHint = text(h1s[0]!);
    if (blocks[0]?.type === 'heading') blocks = blocks.slice(1);
  } else if (titleEl && text(titleEl)) titleHint = text(titleEl);
  return { flat: false, meta: {}, notes: { before: [], after: [] }, chapters: [{ ...emptyChapter(), blocks }], diagnostics, ...(titleHint ? { titleHint } : {}) };
}

/** An AO3 download (or the download inside an AO3 EPUB) → a draft. */
export function readAo3Download(doc: Document, ctx: HtmlContext): Draft {
  const { diagnostics, file } = ctx;
  const blocksOf = (nodes: readonly AnyNode[]): Block[] => (nodes.length ? htmlToBlocks(outerHtml(nodes), ctx) : []);
  const inner = (el: Element) => blocksOf(el.children);
  const meta: SourceMetadata = {};
  const draft: Draft = { flat: false, meta, notes: { before: [], after: [] }, chapters: [], diagnostics };

  // — Preface: message, tags, title, byline, summary, notes.
  const preface = byId(doc.children, 'preface');
  if (preface) {
    const message = find(preface.children, (el) => el.name === 'p' && /Posted originally on the/i.test(text(el)));
    if (message) {
      const link = findAll(message.children, (el) => el.name === 'a').map((a) => a.attribs.href ?? '').find((h) => /\/works\/\d+/.test(h));
      if (link && /^https?:\/\//i.test(link)) draft.sourceUrl = link;
    }
    const dl = find(preface.children, (el) => el.name === 'dl');
    if (dl) readTags(dl, meta, diagnostics, file);
    const h1 = find(preface.children, (el) => el.name === 'h1');
    if (h1 && text(h1)) draft.titleHint = text(h1);
    const authors = findAll(preface.children, (el) => el.name === 'a' && /\bauthor\b/.test(el.attribs.rel ?? '')).map((a) => text(a)).filter(Boolean);
    if (authors.length) draft.authors = [...new Set(authors)];
    else {
      const byline = find(preface.children, (el) => hasClass(el, 'byline') || (el.name === 'div' && /^by\s/i.test(text(el))));
      if (byline) draft.authors = [text(byline).replace(/^by\s+/i, '')].filter(Boolean);
    }
    const labelled = labelledQuotes(preface);
    const summary = labelled.get('summary');
    if (summary) meta.summary = summary.flatMap(inner);
    const notes = labelled.get('notes');
    if (notes) draft.notes.before = notes.flatMap(inner);
    // The works it is inspired by, translated from or into: a list in the preface, part of the notes.
    const related = findAll(preface.children, (el) => el.name === 'ul' && /\b(?:inspired by|translation)\b/i.test(text(el)));
    if (related.length) draft.notes.before = [...related.flatMap((ul) => blocksOf([ul])), ...draft.notes.before];
  }

  // — Chapters.
  const chapters = byId(doc.children, 'chapters');
  if (chapters) draft.chapters.push(...readChapters(chapters, inner, blocksOf));

  // — Afterword: end notes and works inspired by this one.
  const afterword = byId(doc.children, 'afterword');
  if (afterword) {
    const endnotes = byId(afterword.children, 'endnotes');
    if (endnotes) draft.notes.after = (labelledQuotes(endnotes).get('end notes') ?? findAll(endnotes.children, (el) => el.name === 'blockquote')).flatMap(inner);
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

/**
 * `div#chapters`: per chapter a heading block (a div holding the `h2`, the
 * chapter summary and notes), the content (after the `chapter content`
 * comment), and the end notes (`div#endnotesN`); or, for a one-chapter work,
 * a heading and the content alone.
 */
function readChapters(chapters: Element, inner: (el: Element) => Block[], blocksOf: (nodes: readonly AnyNode[]) => Block[]): DraftChapter[] {
  const out: DraftChapter[] = [];
  const isEndnotes = (el: Element) => /^endnotes\d+$/.test(el.attribs.id ?? '');
  // What comes after a `<!--chapter content-->` comment is content, whatever its class.
  const afterComment = new Set<Element>();
  let comment = false;
  for (const n of chapters.children) {
    if (n.type === 'comment' && /chapter content/i.test((n as unknown as { data: string }).data)) comment = true;
    else if (n.type === 'tag') {
      if (comment) afterComment.add(n as Element);
      comment = false;
    }
  }
  const isMeta = (el: Element) =>
    !isEndnotes(el) && !afterComment.has(el) && !hasClass(el, 'userstuff') && (hasClass(el, 'meta') || (el.name === 'div' && elements(el).some(isHeading)));
  const kids = elements(chapters);
  if (!kids.some(isMeta)) {
    // One chapter: its content after an optional heading (`h2.toc-heading`).
    const content = kids.filter((el) => !isHeading(el));
    const blocks = content.length === 1 && content[0]!.name === 'div' ? inner(content[0]!) : blocksOf(content);
    return [{ ...emptyChapter(), blocks }];
  }
  let current: DraftChapter | undefined;
  for (const el of kids) {
    if (isMeta(el)) {
      const heading = find(el.children, isHeading);
      const parsed = parseChapterHeading(heading ? text(heading) : '') ?? { label: '', title: '' };
      current = { ...emptyChapter(), label: parsed.label, title: parsed.title };
      const labelled = labelledQuotes(el);
      current.summary = (labelled.get('chapter summary') ?? []).flatMap(inner);
      current.notes.before = (labelled.get('chapter notes') ?? []).flatMap(inner);
      out.push(current);
    } else if (isEndnotes(el)) {
      if (current) current.notes.after = (labelledQuotes(el).get('chapter end notes') ?? findAll(el.children, (b) => b.name === 'blockquote')).flatMap(inner);
    } else {
      if (!current) out.push((current = emptyChapter()));
      current.blocks.push(...(el.name === 'div' ? inner(el) : blocksOf([el])));
    }
  }
  return out;
}

/**
 * AO3 labels a blockquote with the paragraph before it (`<p>Summary</p>`,
 * `<p>Chapter Notes</p>`): map each lower-cased label to its blockquotes,
 * wherever in `container` they stand (calibre splits a preface into pieces).
 */
function labelledQuotes(container: Element): Map<string, Element[]> {
  const out = new Map<string, Element[]>();
  for (const parent of [container, ...findAll(container.children, (el) => el.children.length > 0)]) {
    let label: string | undefined;
    for (const el of elements(parent)) {
      const words = text(el).replace(/:$/, '').toLowerCase();
      if ((el.name === 'p' || isHeading(el) || el.name === 'dt') && LABELS.has(words)) label = words;
      else if (el.name === 'blockquote' && label) {
        const list = out.get(label) ?? [];
        list.push(el);
        out.set(label, list);
      } else if (/^see the\b/.test(words) || hasClass(el, 'endnote-link')) {
        // "See the end of the work for notes": a link, not content.
      } else label = undefined;
    }
  }
  return out;
}
