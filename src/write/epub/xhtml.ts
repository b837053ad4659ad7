import { createHash } from 'node:crypto';
import { assertNever, type Block, type Footnote, type Inline, type Work } from '../../model/types.js';
import { authorList, metadataRows, seriesLines, volumeLine, type BookPlan, type ChapterHeading, type Section } from '../plan.js';

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

/** Model inlines → XHTML. */
export function renderInlines(inlines: readonly Inline[], notes?: NoteContext): string {
  let out = '';
  for (const n of inlines) {
    switch (n.type) {
      case 'text':
        out += escText(n.value);
        break;
      case 'emphasis':
        out += `<em>${renderInlines(n.children, notes)}</em>`;
        break;
      case 'strong':
        out += `<strong>${renderInlines(n.children, notes)}</strong>`;
        break;
      case 'underline':
        out += `<u>${renderInlines(n.children, notes)}</u>`;
        break;
      case 'strike':
        out += `<s>${renderInlines(n.children, notes)}</s>`;
        break;
      case 'link':
        out += `<a href="${esc(linkHref(n.url))}">${renderInlines(n.children, notes)}</a>`;
        break;
      case 'span': {
        const lang = n.lang ? ` lang="${esc(n.lang)}" xml:lang="${esc(n.lang)}"` : '';
        out += `<span${lang}${n.dir ? ` dir="${n.dir}"` : ''}>${renderInlines(n.children, notes)}</span>`;
        break;
      }
      case 'noteRef': {
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
        out += '<br/>';
        break;
      default:
        assertNever(n);
    }
  }
  return out;
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
 * heading: headings inside the text are placed below it.
 */
export function renderBlocks(blocks: readonly Block[], headingBase = 1, notes?: NoteContext): string {
  let out = '';
  for (const b of blocks) {
    switch (b.type) {
      case 'paragraph': {
        // Set lines (a letter, verse: line breaks of the author's own) stand apart, unindented.
        const cls = [b.align, b.children.some((n) => n.type === 'lineBreak') ? 'lines' : ''].filter(Boolean).join(' ');
        out += `<p${cls ? ` class="${cls}"` : ''}>${renderInlines(b.children, notes)}</p>\n`;
        break;
      }
      case 'sceneBreak':
        out += SCENE_BREAK;
        break;
      case 'blockquote':
        out += `<blockquote>\n${renderBlocks(b.children, headingBase, notes)}</blockquote>\n`;
        break;
      case 'heading': {
        const level = Math.min(6, headingBase + Math.max(1, b.level));
        out += `<h${level}${b.id ? ` id="${esc(b.id)}"` : ''}${b.align ? ` class="${b.align}"` : ''}>${renderInlines(b.children, notes)}</h${level}>\n`;
        break;
      }
      case 'list': {
        const tag = b.ordered ? 'ol' : 'ul';
        out += `<${tag}>\n${b.items.map((item) => `<li>${renderBlocks(item, headingBase, notes)}</li>\n`).join('')}</${tag}>\n`;
        break;
      }
      case 'table':
        out += '<table>\n';
        for (const row of b.rows) {
          const cell = row.header ? 'th' : 'td';
          out += `<tr>${row.cells.map((c) => `<${cell}>${renderInlines(c, notes)}</${cell}>`).join('')}</tr>\n`;
        }
        out += '</table>\n';
        break;
      case 'image':
        out += `<div class="image"><img src="${esc(imageHref(b.src))}" alt="${esc(b.alt)}"/></div>\n`;
        break;
      case 'code':
        out += `<pre class="code"><code>${escText(b.text)}</code></pre>\n`;
        break;
      default:
        assertNever(b);
    }
  }
  return out;
}

/**
 * The body of one planned page (without the html/head shell the template
 * adds). The contents page is the nav document itself, so it renders nothing here.
 */
export function renderSection(plan: BookPlan, section: Section): string {
  switch (section.kind) {
    case 'title':
      return renderTitlePage(section.work, section.part !== undefined, section.part === undefined ? plan.volume : undefined);
    case 'seriesTitle':
      return renderSeriesTitlePage(plan);
    case 'notes':
      return `<section class="notes" epub:type="preface" aria-labelledby="h-notes">\n<h1 id="h-notes">${esc(section.heading)}</h1>\n${renderBlocks(section.blocks)}</section>\n`;
    case 'contents':
      return '';
    case 'chapter': {
      const ch = section.chapter;
      let out = `<section class="chapter" epub:type="chapter" id="${esc(section.id)}" aria-labelledby="h-${esc(section.id)}">\n`;
      out += renderChapterHeading(section.heading, `h-${section.id}`);
      if (ch.summary.length) out += chapterNotes('Chapter Summary', ch.summary, 'chapter-summary');
      if (ch.notes.before.length) out += chapterNotes('Chapter Notes', ch.notes.before, 'chapter-notes');
      const notes: NoteContext = { prefix: section.id, seen: new Map() };
      out += renderBlocks(ch.blocks, 1, notes);
      if (ch.footnotes.length) out += renderFootnotes(ch.footnotes, notes);
      if (ch.notes.after.length) out += chapterNotes('Chapter End Notes', ch.notes.after, 'chapter-notes chapter-end-notes');
      out += '</section>\n';
      return out;
    }
    case 'endnotes':
      return `<section class="notes end-notes" epub:type="afterword" aria-labelledby="h-endnotes">\n<h1 id="h-endnotes">${esc(section.heading)}</h1>\n${renderBlocks(section.blocks)}</section>\n`;
    default:
      return assertNever(section);
  }
}

/** A chapter's footnotes, after its text: each an `aside` that readers can show as a pop-up, with a link back to its first reference. */
function renderFootnotes(footnotes: readonly Footnote[], notes: NoteContext): string {
  let out = '<section class="footnotes" aria-label="Footnotes">\n';
  for (const f of footnotes) {
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

function chapterNotes(label: string, blocks: readonly Block[], cls: string): string {
  return `<div class="${cls}" role="note">\n<p class="notes-label"><strong>${esc(label)}</strong></p>\n${renderBlocks(blocks, 2)}</div>\n`;
}

/** An omnibus's title page: the series, its authors and summary, and its parts. */
function renderSeriesTitlePage(plan: BookPlan): string {
  const m = plan.metadata;
  let out = '<section class="titlepage" epub:type="titlepage">\n';
  out += `<h1 class="title" epub:type="fulltitle">${esc(m.title)}</h1>\n`;
  if (m.authors.length) out += `<p class="byline">by <span class="author">${esc(authorList(m.authors))}</span></p>\n`;
  const parts = plan.series?.parts ?? [];
  out += `<p class="series">The series in ${parts.length} parts</p>\n`;
  if (plan.volume) out += `<p class="series volume">${esc(volumeLine(plan.volume))}</p>\n`;
  if (m.summary.length) out += `<div class="summary">\n${renderBlocks(m.summary, 2)}</div>\n`;
  out += '<ol class="parts">\n';
  for (const p of parts) out += `<li value="${p.part}">${esc(p.work.metadata.title)}${p.work.metadata.authors.length ? ` <span class="author">by ${esc(authorList(p.work.metadata.authors))}</span>` : ''}</li>\n`;
  out += '</ol>\n';
  if (plan.series?.missing.length) out += `<p class="missing">Not included: part${plan.series.missing.length > 1 ? 's' : ''} ${esc(plan.series.missing.join(', '))}.</p>\n`;
  out += '</section>\n';
  return out;
}

function renderTitlePage(work: Work, asPart: boolean, volume?: BookPlan['volume']): string {
  const m = work.metadata;
  let out = `<section class="titlepage${asPart ? ' part-title' : ''}" epub:type="${asPart ? 'titlepage' : 'titlepage'}">\n`;
  out += `<h1 class="title" epub:type="fulltitle">${esc(m.title)}</h1>\n`;
  if (m.authors.length) out += `<p class="byline">by <span class="author">${esc(authorList(m.authors))}</span></p>\n`;
  for (const line of seriesLines(work)) out += `<p class="series">${esc(line)}</p>\n`;
  if (volume) out += `<p class="series volume">${esc(volumeLine(volume))}</p>\n`;
  if (m.summary.length) {
    out += `<div class="summary">\n<p class="summary-label"><strong>Summary</strong></p>\n${renderBlocks(m.summary, 2)}</div>\n`;
  }
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
