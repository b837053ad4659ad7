import type { Block, Footnote, Inline, Work } from '../../model/types.js';
import type { Flow } from '../page-map.js';
import { authorList, metadataRows, seriesLines, volumeLine, type BookPlan } from '../plan.js';
import { contentsItems, type ContentsEntry } from './contents.js';
import type { PdfTheme } from './index.js';
import type { Face } from './layout.js';
import { noteMark, type Setter, type TextStyle } from './typeset.js';

type StructElement = PDFKit.PDFStructureElement;

/**
 * Every planned section of the book, in order: title pages, notes, the
 * contents (pages reserved first, filled once every section's page is
 * known), chapters. Each section's text is one flow (typeset.ts), so a
 * title of any length, a long tag list or a chapter of any size runs on to
 * as many pages as it needs.
 *
 * With `cover` (`--cover-page`) the book opens with it on a page of its own
 * — in print followed by the blank inside of the cover — and those pages
 * carry no page number. From the first numbered page on, the setter records
 * where each page begins (`Setter.starts`, for the EPUB's page list): each
 * section's flows are named as they are set (`at`).
 */
export function layoutBook(s: Setter, plan: BookPlan, theme: PdfTheme, body: TextStyle, notes: TextStyle, cover?: { jpeg: Uint8Array; alt: string }): void {
  const { doc } = s;
  const m = plan.metadata;
  const size = body.size;
  const root = doc.struct('Document');
  doc.addStructure(root);
  if (cover) {
    // The cover, filling its page, unnumbered (in print, with the blank inside of the cover after it); then the book as usual.
    s.newPage({ folio: false, head: false, section: '' });
    const fig = doc.struct('Figure', { alt: cover.alt });
    root.add(fig);
    const content = doc.markStructureContent('Figure');
    doc.image(Buffer.from(cover.jpeg), 0, 0, { fit: [s.geo.width, s.geo.height], align: 'center', valign: 'center' });
    doc.endMarkedContent();
    fig.add(content);
    fig.end();
    if (s.geo.print) s.newPage({ folio: false, head: false, section: '' });
    s.firstNumbered = s.pages.length;
  }
  // From here every page is numbered, and where it begins is recorded for the EPUB's page list.
  s.recording = true;
  const at = (id: string, flow: Flow) => s.at(id, flow);
  /** The page number each navigable section starts on (counted from 0), by id. */
  const starts = new Map<string, number>();
  let contents: { first: number; pages: ReturnType<Setter['paginate']>; el: StructElement } | undefined;
  // Bookmarks nest like the navigation: a part's sections under the part.
  let outlineParent: PDFKit.PDFOutline = doc.outline;
  const bookmark = (label: string, depth: number) => {
    const item = (depth > 0 ? outlineParent : doc.outline).addItem(label);
    if (depth === 0) outlineParent = item;
  };

  const display = (em: number, face: Face, align: TextStyle['align'] = 'center'): TextStyle => displayStyle(size * em, face, { align });
  const metaStyle: TextStyle = { ...notes, size: size * theme.metaSizeEm, leading: size * theme.metaSizeEm * 1.4, paragraphGap: size * 0.3 };

  /** Start a navigable section on the current page: its link target, bookmark and structure element. */
  const openSection = (id: string, label: string, depth: number): StructElement => {
    doc.addNamedDestination(id);
    starts.set(id, s.pageIndex - s.firstNumbered);
    bookmark(label, depth);
    const sect = doc.struct('Sect');
    root.add(sect);
    return sect;
  };

  /**
   * A title page's block: the title, the byline, then lines in italic
   * (series, parts). A long title is set smaller, down to the body size,
   * until it takes at most half the page; a title longer still starts at the
   * top of the page and runs on over as many pages as it needs.
   */
  const titleBlock = (title: string, authors: string[], lines: string[], parent: StructElement) => {
    let start = s.geo.height * 0.27;
    let em = theme.titleSizeEm;
    const room = () => s.bottom - start;
    const height = (e: number) => s.layout([{ type: 'text', value: title }], display(e, 'regular'), s.width).lines.length * size * e * 1.25;
    while (em > 1 && height(em) > room() * 0.5) em = Math.max(1, em * 0.85);
    if (height(em) > room() * 0.8) start = s.geo.margins.top;
    s.flow(() => {
      s.heading(title, display(em, 'regular'), parent, 'H1');
      s.space(size * 1.2);
      if (authors.length) s.heading(`by ${authorList(authors)}`, display(theme.authorSizeEm, 'regular'), parent, 'P', false);
      s.space(size * 0.8);
      for (const line of lines) s.heading(line, display(theme.seriesSizeEm, 'italic'), parent, 'P', false);
    }, start, { folio: false, head: false, section: '' });
  };

  /** Summary, then tags and stats in AO3's order, each row run in after its label. */
  const metadataBlock = (id: string, work: Work, parent: StructElement) => {
    const wm = work.metadata;
    at(id, 'meta');
    if (wm.summary.length) {
      s.heading('Summary', { ...notes, face: 'bold', hyphenate: false }, parent, 'H2');
      at(id, 'summary');
      s.blocks(wm.summary, notes, parent);
      s.space(size);
      at(id, 'meta');
    }
    for (const row of metadataRows(work)) {
      s.paragraph(
        [{ type: 'strong', children: [{ type: 'text', value: `${row.label}: ` }] }, { type: 'text', value: row.values.join(row.label === 'Stats' ? ' · ' : ', ') }],
        metaStyle,
        parent,
      );
    }
    if (wm.sourceUrl) {
      s.paragraph([{ type: 'text', value: 'Originally published at ' }, { type: 'link', url: wm.sourceUrl, children: [{ type: 'text', value: wm.sourceUrl }] }], metaStyle, parent);
    }
  };

  for (const section of plan.sections) {
    switch (section.kind) {
      case 'seriesTitle': {
        s.newPage({ folio: false, head: false, section: '' }, true);
        at(section.id, 'head');
        bookmark(m.title, 0);
        const sect = doc.struct('Sect');
        root.add(sect);
        titleBlock(m.title, m.authors, [`The series in ${plan.series?.parts.length ?? 0} parts`, ...volumeLines(plan)], sect);
        at(section.id, 'summary');
        if (m.summary.length) s.flow(() => s.blocks(m.summary, { ...notes, align: 'center' }, sect), doc.y + size * 2);
        sect.end();
        break;
      }
      case 'title': {
        const work = section.work;
        const wm = work.metadata;
        if (section.part === undefined) {
          // A work's title page: title, author, series; its verso carries the metadata.
          const sect = doc.struct('Sect');
          s.newPage({ folio: false, head: false, section: '' }, true);
          at(section.id, 'head');
          bookmark(wm.title, 0);
          root.add(sect);
          titleBlock(wm.title, wm.authors, [...seriesLines(work), ...volumeLines(plan)], sect);
          sect.end();
          s.newPage({ folio: false, head: false, section: '' });
          const meta = doc.struct('Sect');
          root.add(meta);
          s.flow(() => metadataBlock(section.id, work, meta));
          meta.end();
        } else {
          // A part of an omnibus: its title page (right-hand in print) with its metadata below.
          s.newPage({ folio: false, head: false, section: wm.title }, true);
          const sect = openSection(section.id, section.label, 0);
          s.flow(() => {
            at(section.id, 'head');
            s.heading(`Part ${section.part}`.toUpperCase(), display(theme.chapterKickerSizeEm, 'regular'), sect, 'P');
            s.space(size * 0.6);
            s.heading(wm.title, display(theme.titleSizeEm * 0.85, 'regular'), sect, 'H1');
            s.space(size * 0.8);
            if (wm.authors.length) s.heading(`by ${authorList(wm.authors)}`, display(theme.authorSizeEm, 'regular'), sect, 'P');
            s.space(size * 2);
            metadataBlock(section.id, work, sect);
          }, s.geo.height * 0.16);
          sect.end();
        }
        break;
      }
      case 'notes':
      case 'endnotes': {
        // Like a chapter, a notes section opens without running head or folio; its later pages have both.
        s.newPage({ folio: false, head: false, section: section.heading }, s.geo.print);
        const sect = openSection(section.id, section.label, section.depth);
        s.flow(() => {
          at(section.id, 'head');
          chapterHead(s, theme, '', section.heading, sect);
          at(section.id, 'blocks');
          s.blocks(section.blocks, notes, sect);
        }, chapterTop(s, theme));
        sect.end();
        break;
      }
      case 'contents': {
        // Laid out and paginated now, so the chapters know their pages; drawn when every page number is known.
        s.newPage({ folio: true, head: false, section: 'Contents' }, s.geo.print);
        const first = s.pageIndex;
        const el = doc.struct('TOC');
        root.add(el);
        const entries: ContentsEntry[] = plan.sections
          .filter((x) => x.kind === 'chapter' || x.kind === 'notes' || x.kind === 'endnotes' || (x.kind === 'title' && x.part !== undefined))
          .map((x) => ({ label: x.label, dest: x.id, depth: x.depth }));
        const items = s.collect(() => {
          chapterHead(s, theme, '', 'Contents', el);
          contentsItems(s, body, entries, starts, el);
        });
        const pages = s.paginate(items, chapterTop(s, theme));
        for (let k = 1; k < pages.length; k++) s.newPage({ folio: true, head: false, section: 'Contents' });
        // The contents pages are filled last; they are where the EPUB's contents page is.
        at('contents', 'head');
        s.place();
        contents = { first, pages, el };
        bookmark(section.label, 0);
        break;
      }
      case 'chapter': {
        // Chapters open on a new page — a right-hand one in print — with no running head or folio.
        s.newPage({ folio: false, head: false, section: section.heading.title || section.heading.kicker }, true);
        const ch = section.chapter;
        const sect = openSection(section.id, section.label, section.depth);
        s.flow(() => {
          at(section.id, 'head');
          chapterHead(s, theme, section.heading.kicker, section.heading.title, sect);
          at(section.id, 'summary');
          if (ch.summary.length) labelled(s, 'Chapter Summary', ch.summary, notes, sect);
          at(section.id, 'before');
          if (ch.notes.before.length) labelled(s, 'Chapter Notes', ch.notes.before, notes, sect);
          at(section.id, 'body');
          s.blocks(ch.blocks, body, sect);
          if (ch.footnotes.length) {
            // Footnotes gathered at the chapter's end, each opening with its mark.
            s.space(body.leading * 0.5);
            at(section.id, 'footnotes');
            labelled(s, 'Notes', footnoteBlocks(ch.footnotes), notes, sect);
          }
          if (ch.notes.after.length) {
            s.space(body.leading);
            at(section.id, 'after');
            labelled(s, 'Chapter End Notes', ch.notes.after, notes, sect);
          }
        }, chapterTop(s, theme));
        sect.end();
        break;
      }
    }
  }
  // A page nothing was set on at the very end starts where the book ends.
  s.place();
  s.recording = false;
  if (contents && !s.dry) {
    const c = contents;
    s.drawOn(c.first);
    s.drawPages(c.pages, (k) => s.drawOn(c.first + k));
    s.drawOn(-1);
    c.el.end();
  }
  root.end();
}

/** A chapter's footnotes as blocks: each note's first paragraph opens with its mark. */
function footnoteBlocks(footnotes: readonly Footnote[]): Block[] {
  const out: Block[] = [];
  for (const f of footnotes) {
    const mark: Inline = { type: 'text', value: `${noteMark(f.id)} ` };
    const [first, ...rest] = f.blocks;
    if (first?.type === 'paragraph') out.push({ ...first, children: [mark, ...first.children] }, ...rest);
    else out.push({ type: 'paragraph', children: [mark] }, ...f.blocks);
  }
  return out;
}

/** Where a chapter's (or notes or contents page's) heading starts. */
function chapterTop(s: Setter, theme: PdfTheme): number {
  return Math.max(s.geo.margins.top, s.geo.height * theme.chapterTopFraction);
}

/** The large opening of a chapter or notes page — kicker (`CHAPTER 3`) and title — kept with what follows. */
function chapterHead(s: Setter, theme: PdfTheme, kicker: string, title: string, parent: StructElement): void {
  const size = s.geo.fontSize;
  const h = s.doc.struct('H1');
  parent.add(h);
  if (kicker) {
    const ks = size * theme.chapterKickerSizeEm;
    s.heading(kicker.toUpperCase(), displayStyle(ks, 'regular', { tracking: ks * 0.12, leading: ks * 2 }), h, 'Span');
  }
  if (title) {
    const ts = size * theme.chapterTitleSizeEm;
    s.heading(title, displayStyle(ts, 'italic', { leading: ts * 1.2 }), h, 'Span');
  }
  s.space(size * theme.chapterAfterEm);
}

/** A centred display style (headings, titles) at a size. */
function displayStyle(size: number, face: Face, more: Partial<TextStyle> = {}): TextStyle {
  return { size, leading: size * 1.25, indent: 0, paragraphGap: 0, align: 'center', face, hyphenate: false, ...more };
}

function labelled(s: Setter, label: string, blocks: readonly Block[], style: TextStyle, parent: StructElement): void {
  const el = s.doc.struct('Div');
  parent.add(el);
  s.heading(label, { ...style, face: 'bold', hyphenate: false, paragraphGap: style.size * 0.3, grid: false }, el, 'H2');
  s.blocks(blocks, style, el);
  s.space(style.leading);
}

/** A volume's label for its title page (`Vol. 1 of 3`), none for a whole book. */
function volumeLines(plan: BookPlan): string[] {
  return plan.volume ? [volumeLine(plan.volume)] : [];
}
