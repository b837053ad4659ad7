import type { AnyNode, Document, Element } from 'domhandler';
import { diagnostic } from '../diagnostics.js';
import type { Block } from '../model/types.js';
import { readTags } from './ao3-meta.js';
import { parseChapterHeading } from './chapter-heading.js';
import { emptyChapter, type Draft, type DraftChapter, type SourceMetadata } from './draft.js';
import { htmlToBlocks, type HtmlContext } from './html-blocks.js';
import { byId, elements, find, findAll, hasClass, isHeading, outerHtml, text } from './html-dom.js';
import { mergeSeries } from './series-merge.js';
import { parseSeriesTrailer } from './trailer.js';

/**
 * Reader for an AO3 work page saved from the browser ("Save Page As", one
 * chapter or `?view_full_work=true`), from otwarchive's works/show: the tags
 * and stats of `dl.work.meta`, and in `div#workskin` the preface (`h2.title`,
 * `h3.byline`, the summary and notes modules), `div#chapters` (each
 * `div.chapter` with its heading, summary, notes, text — its `Chapter Text`
 * landmark removed — and end notes; or a one-chapter work's text),
 * `div#work_endnotes`, the series module and "Works inspired by this one".
 * Everything else on the page — site navigation, the work's navigation,
 * kudos, comments, the footer, scripts, tracking images — is not the work
 * and is never read.
 */

/** A saved work page has the work's meta block or its skin wrapper. */
export function isAo3Page(doc: Document): boolean {
  return !!find(doc.children, (el) => (el.name === 'dl' && hasClass(el, 'work') && hasClass(el, 'meta')) || el.attribs.id === 'workskin');
}

export function readAo3Page(doc: Document, ctx: HtmlContext): Draft {
  const { diagnostics, file } = ctx;
  const meta: SourceMetadata = {};
  const draft: Draft = { flat: false, meta, notes: { before: [], after: [] }, chapters: [], diagnostics };
  const blocksOf = (nodes: readonly AnyNode[]): Block[] => (nodes.length ? htmlToBlocks(outerHtml(nodes), ctx) : []);
  /** The author's text of a module: its blockquote(s). */
  const quoteOf = (module: Element | undefined): Block[] =>
    module ? findAll(module.children, (el) => el.name === 'blockquote').flatMap((q) => blocksOf(q.children)) : [];

  const dl = find(doc.children, (el) => el.name === 'dl' && hasClass(el, 'work') && hasClass(el, 'meta'));
  if (dl) readTags(dl, meta, diagnostics, file);

  // The page's own URL: the canonical link, or the share box's.
  const canonical = find(doc.children, (el) => el.name === 'link' && el.attribs.rel === 'canonical')?.attribs.href ?? '';
  const url = /^https?:\/\/[^\s"]*\/works\/\d+/.exec(canonical)?.[0];
  if (url) draft.sourceUrl = url;

  const skin = byId(doc.children, 'workskin') ?? doc;
  const preface = find(skin.children, (el) => hasClass(el, 'preface') && !hasClass(el, 'chapter'));
  if (preface) {
    const title = find(preface.children, (el) => isHeading(el) && hasClass(el, 'title'));
    if (title && text(title)) draft.titleHint = text(title);
    const authors = findAll(preface.children, (el) => el.name === 'a' && /\bauthor\b/.test(el.attribs.rel ?? '')).map((a) => text(a)).filter(Boolean);
    const byline = find(preface.children, (el) => hasClass(el, 'byline'));
    if (authors.length) draft.authors = [...new Set(authors)];
    else if (byline && text(byline)) draft.authors = [text(byline)];
    const summary = quoteOf(find(preface.children, (el) => hasClass(el, 'summary') && hasClass(el, 'module')));
    if (summary.length) meta.summary = summary;
    const notes = find(preface.children, (el) => hasClass(el, 'notes') && hasClass(el, 'module'));
    if (notes) {
      // Dedications and the works it answers (`For X.`, `Inspired by …`) are part of the notes.
      const associations = findAll(notes.children, (el) => el.name === 'ul' && hasClass(el, 'associations')).flatMap((ul) => blocksOf(ul.children));
      draft.notes.before = [...associations, ...quoteOf(notes)];
    }
  }

  const chapters = byId(skin.children, 'chapters');
  if (chapters) {
    const list = elements(chapters).filter((el) => hasClass(el, 'chapter'));
    if (list.length) for (const ch of list) draft.chapters.push(readChapter(ch, blocksOf, quoteOf));
    else {
      const body = find(chapters.children, (el) => hasClass(el, 'userstuff')) ?? chapters;
      draft.chapters.push({ ...emptyChapter(), blocks: blocksOf(withoutLandmarks(body)) });
    }
  }

  const endnotes = byId(doc.children, 'work_endnotes');
  if (endnotes) draft.notes.after = quoteOf(endnotes);
  const series = byId(doc.children, 'series');
  if (series) {
    for (const li of findAll(series.children, (el) => el.name === 'li' || (el.name === 'span' && hasClass(el, 'series')))) {
      meta.series = mergeSeries(meta.series ?? [], parseSeriesTrailer(text(li)).series);
    }
  }
  const children = byId(doc.children, 'children');
  if (children) {
    const items = findAll(children.children, (el) => el.name === 'li').map((el) => text(el)).filter(Boolean);
    if (items.length) meta.inspiredBy = items.join('; ');
  }
  if (!draft.chapters.length) diagnostics.push(diagnostic('warning', 'html/no-chapters', file, 'found no div#chapters on this AO3 work page'));
  return draft;
}

/** One `div.chapter`: its preface (heading, summary, notes), its text, its end notes. */
function readChapter(ch: Element, blocksOf: (nodes: readonly AnyNode[]) => Block[], quoteOf: (m: Element | undefined) => Block[]): DraftChapter {
  const out = emptyChapter();
  const heading = find(ch.children, (el) => isHeading(el) && hasClass(el, 'title'));
  const parsed = parseChapterHeading(heading ? text(heading) : '') ?? { label: '', title: '' };
  out.label = parsed.label;
  out.title = parsed.title;
  const modules = findAll(ch.children, (el) => hasClass(el, 'module'));
  const endNotes = modules.find((el) => hasClass(el, 'end') && hasClass(el, 'notes'));
  out.summary = quoteOf(modules.find((el) => hasClass(el, 'summary')));
  out.notes.before = quoteOf(modules.find((el) => hasClass(el, 'notes') && !hasClass(el, 'end')));
  out.notes.after = quoteOf(endNotes);
  const body = find(ch.children, (el) => hasClass(el, 'userstuff') && el.name !== 'blockquote');
  if (body) out.blocks = blocksOf(withoutLandmarks(body));
  return out;
}

/** An element's children without AO3's hidden landmark headings (`Chapter Text`, `Work Text:`). */
function withoutLandmarks(el: Element): AnyNode[] {
  return el.children.filter((c) => !(c.type === 'tag' && isHeading(c as Element) && hasClass(c as Element, 'landmark')));
}
