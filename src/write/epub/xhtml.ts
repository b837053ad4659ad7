import { createHash } from 'node:crypto';
import { assertNever, type Block, type Footnote, type Inline, type Work } from '../../model/types.js';
import { authorList, metadataRows, seriesLines, volumeLine, type BookPlan, type ChapterHeading, type Section } from '../plan.js';
import { noteMarkLength } from '../page-map.js';
import { flowStart, markHtml, MarkCursor, marksOf, type Mark, type SectionMarks } from './page-marks.js';

/** Escape text for XML content and (double-quoted) attribute values. */
export function esc(text: string): string {
  return text.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);
}

/** Escape text content (quotes stay as they are, easier to read and diff). */
function escText(text: string): string {
  return text.replace(/[&<>]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;' })[c]!);
}

/** Where a local image is stored inside the EPUB: named by a hash of its path, so the name is stable and unique. */
export function imageHref(src: string): string {
  const ext = (/\.(png|jpe?g|gif)$/i.exec(src)?.[1] ?? 'png').toLowerCase().replace('jpeg', 'jpg');
  return `images/${createHash('sha256').update(src).digest('hex').slice(0, 16)}.${ext}`;
}

/**
 * Where footnote references point: the page's footnotes are `fn-<prefix>-<id>`
 * and each reference gets its own back-link target (a note may be referenced twice).
 */
export interface NoteContext {
  prefix: string;
  /** References rendered so far, by note id. */
  seen: Map<string, number>;
}

/** The anchor of a chapter's footnote `id`, and of its `n`-th reference. */
const noteAnchor = (ctx: NoteContext, id: string) => `fn-${ctx.prefix}-${id.replace(/[^A-Za-z0-9_-]/g, '_')}`;
const refAnchor = (ctx: NoteContext, id: string, n: number) => `fnref-${ctx.prefix}-${id.replace(/[^A-Za-z0-9_-]/g, '_')}${n > 1 ? `-${n}` : ''}`;

/** A link's target in the EPUB: a place in the book (`#section/anchor`) is that section's page. */
function linkHref(url: string): string {
  if (!url.startsWith('#')) return url;
  const [section, anchor] = url.slice(1).split('/');
  return `${section}.xhtml${anchor ? `#${anchor}` : ''}`;
}

/** Model inlines → XHTML; `cursor` puts the print edition's page markers in the text. */
export function renderInlines(inlines: readonly Inline[], notes?: NoteContext, cursor?: MarkCursor): string {
  let out = '';
  for (const n of inlines) {
    switch (n.type) {
      case 'text':
        out += cursor ? cursor.text(n.value, escText) : escText(n.value);
        break;
      case 'emphasis':
        out += `<em>${renderInlines(n.children, notes, cursor)}</em>`;
        break;
      case 'strong':
        out += `<strong>${renderInlines(n.children, notes, cursor)}</strong>`;
        break;
      case 'underline':
        out += `<u>${renderInlines(n.children, notes, cursor)}</u>`;
        break;
      case 'strike':
        out += `<s>${renderInlines(n.children, notes, cursor)}</s>`;
        break;
      case 'link': {
        const rel = n.rel === 'noteref' ? ' epub:type="noteref" role="doc-noteref"' : n.rel === 'backlink' ? ' role="doc-backlink"' : '';
        out += `<a${rel} href="${esc(linkHref(n.url))}">${renderInlines(n.children, notes, cursor)}</a>`;
        break;
      }
      case 'span': {
        const lang = n.lang ? ` lang="${esc(n.lang)}" xml:lang="${esc(n.lang)}"` : '';
        out += `<span${lang}${n.dir ? ` dir="${n.dir}"` : ''}>${renderInlines(n.children, notes, cursor)}</span>`;
        break;
      }
      case 'noteRef': {
        cursor?.skip(noteMarkLength(n.id));
        if (!notes) {
          out += `<sup>${escText(n.id)}</sup>`;
          break;
        }
        const k = (notes.seen.get(n.id) ?? 0) + 1;
        notes.seen.set(n.id, k);
        out += `<a class="noteref" epub:type="noteref" role="doc-noteref" id="${refAnchor(notes, n.id, k)}" href="#${noteAnchor(notes, n.id)}"><sup>${escText(n.id)}</sup></a>`;
        break;
      }
      case 'lineBreak':
        cursor?.text('\n', escText);
        out += '<br/>';
        break;
      default:
        assertNever(n);
    }
  }
  return out;
}

/** Inline content with the page markers that fall in it (at its end those past its text). */
function markedInlines(inlines: readonly Inline[], notes: NoteContext | undefined, marks: readonly Mark[] | undefined): string {
  if (!marks?.length) return renderInlines(inlines, notes);
  const cursor = new MarkCursor(marks);
  return renderInlines(inlines, notes, cursor) + cursor.rest();
}

/**
 * A scene break: the ornament as real text, so that a reader which ignores
 * CSS generated content still shows it, centred by the stylesheet; to
 * assistive technology it is one separator named "Scene break" (a
 * separator's content is presentational, and the ornament is hidden from it
 * besides).
 */
export const SCENE_BREAK = '<div class="scene-break" role="separator" aria-label="Scene break"><span class="ornament" aria-hidden="true">*\u2003*\u2003*</span></div>\n';

/**
 * Model blocks → XHTML. `headingBase` is the level of the enclosing page
 * heading: headings inside the text are placed below it, never more than one
 * level below the heading before them (`headings.prev`, the page's h1 to
 * begin with), so that assistive technology finds no level skipped (an
 * author's lone `<h3>` under a chapter's h1 becomes an h2). `marks`: the
 * print edition's page breaks that fall in these blocks (see page-marks.ts).
 */
export function renderBlocks(blocks: readonly Block[], headingBase = 1, notes?: NoteContext, marks?: readonly Mark[], headings: { prev: number } = { prev: 1 }): string {
  let out = '';
  for (const [index, b] of blocks.entries()) {
    const m = marksOf(marks, index);
    const before = m && b.type !== 'paragraph' && b.type !== 'heading' && b.type !== 'table' && b.type !== 'code' ? m.own.map(markHtml).join('') : '';
    out += before;
    switch (b.type) {
      case 'paragraph': {
        // Set lines (a letter, verse: line breaks of the author's own) stand apart, unindented.
        const cls = [b.align, b.children.some((n) => n.type === 'lineBreak') ? 'lines' : ''].filter(Boolean).join(' ');
        out += `<p${cls ? ` class="${cls}"` : ''}>${markedInlines(b.children, notes, m?.own)}</p>\n`;
        break;
      }
      case 'sceneBreak':
        out += SCENE_BREAK;
        break;
      case 'blockquote':
        out += `<blockquote>\n${renderBlocks(b.children, headingBase, notes, m?.inner, headings)}</blockquote>\n`;
        break;
      case 'heading': {
        const level = Math.min(6, headingBase + Math.max(1, b.level), headings.prev + 1);
        headings.prev = level;
        out += `<h${level}${b.id ? ` id="${esc(b.id)}"` : ''}${b.align ? ` class="${b.align}"` : ''}>${markedInlines(b.children, notes, m?.own)}</h${level}>\n`;
        break;
      }
      case 'list': {
        const tag = b.ordered ? 'ol' : 'ul';
        const item = (k: number) => m?.inner.filter((x) => x.path[0] === k).map((x) => ({ ...x, path: x.path.slice(1) }));
        out += `<${tag}>\n${b.items.map((blocks, k) => `<li>${renderBlocks(blocks, headingBase, notes, item(k), headings)}</li>\n`).join('')}</${tag}>\n`;
        break;
      }
      case 'table':
        out += '<table>\n';
        b.rows.forEach((row, r) => {
          const cell = row.header ? 'th' : 'td';
          // A page that starts at a row is marked in its first cell.
          const at = m?.own.filter((x) => x.offset === r || (r === b.rows.length - 1 && x.offset > r)).map(markHtml).join('') ?? '';
          out += `<tr>${row.cells.map((c, k) => `<${cell}>${k === 0 ? at : ''}${renderInlines(c, notes)}</${cell}>`).join('')}</tr>\n`;
        });
        out += '</table>\n';
        break;
      case 'image':
        // An image without a description is decoration: marked so, for assistive technology to pass over.
        out += `<div class="image"><img src="${esc(imageHref(b.src))}" alt="${esc(b.alt)}"${b.alt.trim() ? '' : ' role="presentation"'}/></div>\n`;
        break;
      case 'code':
        out += `<pre class="code"><code>${m?.own.length ? markedCode(b.text, m.own) : escText(b.text)}</code></pre>\n`;
        break;
      default:
        assertNever(b);
    }
  }
  return out;
}

/** Preformatted text with page markers at the starts of the lines the pages begin with. */
function markedCode(text: string, marks: readonly Mark[]): string {
  const cursor = new MarkCursor(marks);
  return cursor.text(text, escText) + cursor.rest();
}

/**
 * The body of one planned page (without the html/head shell the template
 * adds). The contents page is the nav document itself, so it renders nothing here.
 */
export function renderSection(plan: BookPlan, section: Section, marks?: SectionMarks): string {
  const start = (flow: Parameters<SectionMarks['get']>[0]) => flowStart(marks?.get(flow));
  switch (section.kind) {
    case 'title':
      return renderTitlePage(section.work, section.part !== undefined, section.part === undefined ? plan.volume : undefined, marks);
    case 'seriesTitle':
      return renderSeriesTitlePage(plan, marks);
    case 'notes':
      return `<section class="notes" epub:type="preface" role="doc-preface" aria-labelledby="h-notes">\n${start('head')}<h1 id="h-notes">${esc(section.heading)}</h1>\n${start('blocks')}${renderBlocks(section.blocks, 1, undefined, marks?.get('blocks'))}</section>\n`;
    case 'contents':
      return '';
    case 'chapter': {
      const ch = section.chapter;
      let out = `<section class="chapter" epub:type="chapter" role="doc-chapter" id="${esc(section.id)}" aria-labelledby="h-${esc(section.id)}">\n`;
      out += start('head');
      out += renderChapterHeading(section.heading, `h-${section.id}`);
      out += start('summary');
      if (ch.summary.length) out += chapterNotes('Chapter Summary', ch.summary, 'chapter-summary', marks?.get('summary'));
      out += start('before');
      if (ch.notes.before.length) out += chapterNotes('Chapter Notes', ch.notes.before, 'chapter-notes', marks?.get('before'));
      const notes: NoteContext = { prefix: section.id, seen: new Map() };
      out += start('body');
      out += renderBlocks(ch.blocks, 1, notes, marks?.get('body'));
      out += start('footnotes');
      if (ch.footnotes.length) out += renderFootnotes(ch.footnotes, notes, marks?.get('footnotes'));
      out += start('after');
      if (ch.notes.after.length) out += chapterNotes('Chapter End Notes', ch.notes.after, 'chapter-notes chapter-end-notes', marks?.get('after'));
      out += '</section>\n';
      return out;
    }
    case 'endnotes':
      return renderEndnotes(section, marks);
    default:
      return assertNever(section);
  }
}

/**
 * A work's end notes page. With `--notes end` its entries are the book's
 * endnotes: a `doc-endnotes` section whose list items each hold one
 * chapter's (or the work's) notes, with a link back to where they belong
 * (DPUB-ARIA 1.1 retired `doc-endnote` for list items in `doc-endnotes`).
 */
function renderEndnotes(section: Extract<Section, { kind: 'endnotes' }>, marks?: SectionMarks): string {
  const head = `${flowStart(marks?.get('head'))}<h1 id="h-endnotes">${esc(section.heading)}</h1>\n${flowStart(marks?.get('blocks'))}`;
  const all = marks?.get('blocks');
  if (!section.entries?.length) {
    return `<section class="notes end-notes" epub:type="afterword" role="doc-afterword" aria-labelledby="h-endnotes">\n${head}${renderBlocks(section.blocks, 1, undefined, all)}</section>\n`;
  }
  // The blocks of entry [from, to), with the marks that fall in them.
  const range = (from: number, to: number, entry = false) => {
    const inside = all?.filter((m) => m.path[0]! >= from && m.path[0]! < to).map((m) => ({ ...m, path: [m.path[0]! - from, ...m.path.slice(1)] }));
    const blocks = section.blocks.slice(from, to).map((b, i) => (entry && i === 0 && b.type === 'heading' ? { ...b, id: undefined } : b)) as Block[];
    return renderBlocks(blocks, 1, undefined, inside);
  };
  let out = `<section class="notes end-notes" epub:type="endnotes" role="doc-endnotes" aria-labelledby="h-endnotes">\n${head}`;
  const first = section.entries[0]!.from;
  if (first > 0) out += range(0, first);
  out += '<ol class="endnotes">\n';
  // The note itself carries the anchor its reference points at (its heading then needs none), so a reader's pop-up shows the whole note.
  for (const e of section.entries) out += `<li class="endnote" id="${esc(e.id)}">\n${range(e.from, e.to, true)}</li>\n`;
  out += '</ol>\n';
  const last = section.entries[section.entries.length - 1]!.to;
  if (last < section.blocks.length) out += range(last, section.blocks.length);
  return `${out}</section>\n`;
}

/** A chapter's footnotes, after its text: each an `aside` that readers can show as a pop-up, with a link back to its first reference. */
function renderFootnotes(footnotes: readonly Footnote[], notes: NoteContext, marks?: readonly Mark[]): string {
  let out = '<section class="footnotes" aria-label="Footnotes">\n';
  // The PDF sets the notes as one list of blocks: a page that starts in a note is marked at the start of that note.
  let at = 0;
  for (const f of footnotes) {
    const count = Math.max(1, f.blocks.length);
    out += marks?.filter((m) => m.path.length && m.path[0]! >= at && m.path[0]! < at + count).map(markHtml).join('') ?? '';
    at += count;
    const back = `<a class="footnote-mark" role="doc-backlink" href="#${refAnchor(notes, f.id, 1)}">${escText(f.id)}.</a> `;
    // The back link opens the note's first paragraph; a note that does not start with one gets a paragraph of its own.
    let body = renderBlocks(f.blocks, 2, notes);
    if (body.startsWith('<p>')) body = `<p>${back}${body.slice(3)}`;
    else body = `<p>${back.trim()}</p>\n${body}`;
    out += `<aside class="footnote" epub:type="footnote" role="doc-footnote" id="${noteAnchor(notes, f.id)}">\n${body}</aside>\n`;
  }
  return out + '</section>\n';
}

function renderChapterHeading(h: ChapterHeading, id: string): string {
  if (h.kicker && h.title) {
    return `<h1 id="${esc(id)}"><span class="chapter-number">${esc(h.kicker)}</span> <span class="chapter-title">${esc(h.title)}</span></h1>\n`;
  }
  return `<h1 id="${esc(id)}">${esc(h.kicker || h.title)}</h1>\n`;
}

function chapterNotes(label: string, blocks: readonly Block[], cls: string, marks?: readonly Mark[]): string {
  return `<div class="${cls}" role="note">\n<p class="notes-label"><strong>${esc(label)}</strong></p>\n${renderBlocks(blocks, 2, undefined, marks)}</div>\n`;
}

/** An omnibus's title page: the series, its authors and summary, and its parts. */
function renderSeriesTitlePage(plan: BookPlan, marks?: SectionMarks): string {
  const m = plan.metadata;
  let out = `<section class="titlepage" epub:type="titlepage">\n${flowStart(marks?.get('head'))}`;
  out += `<h1 class="title" epub:type="fulltitle">${esc(m.title)}</h1>\n`;
  if (m.authors.length) out += `<p class="byline">by <span class="author">${esc(authorList(m.authors))}</span></p>\n`;
  const parts = plan.series?.parts ?? [];
  out += `<p class="series">The series in ${parts.length} parts</p>\n`;
  if (plan.volume) out += `<p class="series volume">${esc(volumeLine(plan.volume))}</p>\n`;
  if (m.summary.length) out += `<div class="summary">\n${flowStart(marks?.get('summary'))}${renderBlocks(m.summary, 2, undefined, marks?.get('summary'))}</div>\n`;
  out += '<ol class="parts">\n';
  for (const p of parts) out += `<li value="${p.part}">${esc(p.work.metadata.title)}${p.work.metadata.authors.length ? ` <span class="author">by ${esc(authorList(p.work.metadata.authors))}</span>` : ''}</li>\n`;
  out += '</ol>\n';
  if (plan.series?.missing.length) out += `<p class="missing">Not included: part${plan.series.missing.length > 1 ? 's' : ''} ${esc(plan.series.missing.join(', '))}.</p>\n`;
  out += '</section>\n';
  return out;
}

function renderTitlePage(work: Work, asPart: boolean, volume?: BookPlan['volume'], marks?: SectionMarks): string {
  const m = work.metadata;
  let out = `<section class="titlepage${asPart ? ' part-title' : ''}" epub:type="${asPart ? 'titlepage' : 'titlepage'}">\n${flowStart(marks?.get('head'))}`;
  out += `<h1 class="title" epub:type="fulltitle">${esc(m.title)}</h1>\n`;
  if (m.authors.length) out += `<p class="byline">by <span class="author">${esc(authorList(m.authors))}</span></p>\n`;
  for (const line of seriesLines(work)) out += `<p class="series">${esc(line)}</p>\n`;
  if (volume) out += `<p class="series volume">${esc(volumeLine(volume))}</p>\n`;
  // In print the summary and metadata have a page of their own.
  out += flowStart(marks?.get('meta')?.filter((x) => !x.path.length).slice(0, 1));
  if (m.summary.length) {
    out += `<div class="summary">\n<p class="summary-label"><strong>Summary</strong></p>\n${flowStart(marks?.get('summary'))}${renderBlocks(m.summary, 2, undefined, marks?.get('summary'))}</div>\n`;
  }
  out += flowStart(marks?.get('meta')?.filter((x) => !x.path.length).slice(1));
  // Each label run in with its values, as in the PDF (and as AO3 shows them): a group per row, so
  // a label is never parted from its values at a page break, and the list fits one screen sooner.
  out += '<dl class="meta">\n';
  for (const row of metadataRows(work)) {
    out += `<div><dt>${esc(row.label)}:</dt> <dd>${row.values.map(esc).join(row.label === 'Stats' ? ' · ' : ', ')}</dd></div>\n`;
  }
  out += '</dl>\n';
  if (m.sourceUrl) out += `<p class="source">Originally published at <a href="${esc(m.sourceUrl)}">${esc(m.sourceUrl)}</a></p>\n`;
  out += '</section>\n';
  return out;
}
