import { assertNever, type Block, type Inline, type TableRow } from '../../model/types.js';
import { breakLines, sameStyle, SHY, toWords, type Face, type Line, type Piece } from './layout.js';
import type { PageGeometry } from './page.js';
import { showRun, wordWidth } from './runs.js';

/**
 * The flow engine: blocks of the chapter model poured into pages. It owns
 * the current page and position, starts pages (mirrored margins, recto
 * chapter openings), keeps paragraphs free of widows and orphans, keeps
 * headings with what follows, and tags everything it draws for the PDF
 * structure tree. Page furniture (running heads, folios) is drawn later from
 * the `pages` record.
 */

type Doc = PDFKit.PDFDocument;
type StructElement = PDFKit.PDFStructureElement;

export interface PageInfo {
  /** Draw a page number on it. */
  folio: boolean;
  /** Draw running heads on it. */
  head: boolean;
  /** The section title for the right-hand running head. */
  section: string;
}

export interface TextStyle {
  size: number;
  /** Line advance, in points. */
  leading: number;
  indent: number;
  paragraphGap: number;
  align: 'justify' | 'left' | 'center' | 'right';
  face?: Face;
  hyphenate: boolean;
}

export interface SetterOptions {
  doc: Doc;
  geometry: PageGeometry;
  /** Splits text into pieces by the fonts that have its glyphs. */
  fontRuns: (text: string, face: Face) => Piece[];
  /** Adds soft hyphens to a text, or returns it unchanged. */
  hyphenate: (text: string) => string;
  maxHyphenated: number;
  sceneBreakMark: string;
  sceneBreakSpace: number;
  blockquoteInset: number;
  headingSize: number;
  /** Identifies the fonts in use (the theme's), so cached widths are never mixed between themes. */
  fontKey: string;
}

/** Measured widths, by font and size: words recur from book to book. Bounded: a table is dropped when it grows huge. */
const WIDTHS = new Map<string, Map<string, number>>();
const MAX_WIDTHS = 200_000;

export class Setter {
  readonly doc: Doc;
  readonly geo: PageGeometry;
  readonly pages: PageInfo[] = [];
  private readonly o: SetterOptions;

  constructor(o: SetterOptions) {
    this.o = o;
    this.doc = o.doc;
    this.geo = o.geometry;
  }

  /** 0-based index of the current page. */
  get pageIndex(): number {
    return this.pages.length - 1;
  }

  /** Left edge of the text block on the current page (mirrored for printed sizes). */
  get left(): number {
    return this.isVerso(this.pageIndex) && this.geo.print ? this.geo.margins.outer : this.geo.margins.inner;
  }

  get width(): number {
    return this.geo.width - this.geo.margins.inner - this.geo.margins.outer;
  }

  get bottom(): number {
    return this.geo.height - this.geo.margins.bottom;
  }

  /** Left-hand (even-numbered) page. */
  isVerso(index: number): boolean {
    return (index + 1) % 2 === 0;
  }

  /** Start a page; `recto` adds a blank page first when needed so it is a right-hand page. */
  newPage(info: PageInfo, recto = false): void {
    if (recto && this.geo.print && this.pages.length % 2 === 1) this.addPage({ folio: false, head: false, section: '' });
    this.addPage(info);
  }

  private addPage(info: PageInfo): void {
    const index = this.pages.length;
    const verso = this.isVerso(index) && this.geo.print;
    const m = this.geo.margins;
    this.doc.addPage({
      size: [this.geo.width, this.geo.height],
      margins: { top: m.top, bottom: m.bottom, left: verso ? m.outer : m.inner, right: verso ? m.inner : m.outer },
    });
    this.pages.push(info);
    this.doc.y = m.top;
  }

  /** Continue the current section on a new page. */
  continuePage(): void {
    const current = this.pages[this.pageIndex]!;
    this.addPage({ folio: true, head: true, section: current.section });
  }

  measure = (text: string, face: Face, size: number): number => {
    const key = size === this.lastSize && face === this.lastFace ? this.lastTable! : this.table(face, size);
    let w = key.get(text);
    if (w === undefined) {
      this.doc.font(face).fontSize(size);
      w = /[ \t]/.test(text) && text.length > 1 ? this.doc.widthOfString(text) : wordWidth(this.doc, text, size);
      if (key.size > MAX_WIDTHS) key.clear();
      key.set(text, w);
    }
    return w;
  };

  private lastFace = '';
  private lastSize = 0;
  private lastTable: Map<string, number> | undefined;
  /** Widths already measured for one face at one size (shared by the books of one process). */
  private table(face: Face, size: number): Map<string, number> {
    const k = `${this.o.fontKey}|${face}@${size}`;
    let t = WIDTHS.get(k);
    if (!t) WIDTHS.set(k, (t = new Map()));
    this.lastFace = face;
    this.lastSize = size;
    this.lastTable = t;
    return t;
  }

  private ascents = new Map<number, number>();

  /** Distance from the top of a line to its baseline, from the main font. */
  ascent(size: number): number {
    let a = this.ascents.get(size);
    if (a === undefined) {
      this.doc.font('regular').fontSize(size);
      a = ((this.doc as unknown as { _font: { ascender: number } })._font.ascender / 1000) * size;
      this.ascents.set(size, a);
    }
    return a;
  }

  lineHeight(style: TextStyle): number {
    return style.leading;
  }

  /** Make sure `height` points are left on the page; start a new one if not. */
  ensure(height: number): void {
    if (this.doc.y + height > this.bottom + 0.01) this.continuePage();
  }

  /** Inline model → pieces in faces, split by font coverage, hyphenated when asked. */
  pieces(inlines: readonly Inline[], style: TextStyle): Piece[] {
    const out: Piece[] = [];
    interface Deco {
      italic: boolean;
      bold: boolean;
      underline: boolean;
      strike: boolean;
      link?: string;
    }
    const walk = (nodes: readonly Inline[], d: Deco) => {
      for (const n of nodes) {
        switch (n.type) {
          case 'text': {
            const face = style.face ?? (d.bold ? (d.italic ? 'boldItalic' : 'bold') : d.italic ? 'italic' : 'regular');
            const text = style.hyphenate ? this.o.hyphenate(n.value) : n.value;
            for (const p of this.o.fontRuns(text, face)) {
              out.push({ ...p, ...(d.link ? { link: d.link } : {}), ...(d.underline ? { underline: true } : {}), ...(d.strike ? { strike: true } : {}) });
            }
            break;
          }
          case 'lineBreak':
            out.push({ text: '\n', face: 'regular' });
            break;
          case 'emphasis':
            walk(n.children, { ...d, italic: !d.italic });
            break;
          case 'strong':
            walk(n.children, { ...d, bold: true });
            break;
          case 'underline':
            walk(n.children, { ...d, underline: true });
            break;
          case 'strike':
            walk(n.children, { ...d, strike: true });
            break;
          case 'link':
            walk(n.children, /^https?:|^mailto:/i.test(n.url) ? { ...d, link: n.url } : d);
            break;
          case 'span':
            walk(n.children, d);
            break;
          case 'noteRef':
            // A footnote mark: superscript figures, which the text fonts carry as glyphs of their own.
            walk([{ type: 'text', value: noteMark(n.id) }], d);
            break;
          default:
            assertNever(n);
        }
      }
    };
    walk(inlines, { italic: false, bold: false, underline: false, strike: false });
    return out;
  }

  /** Break inline content into lines for a given measure. */
  layout(inlines: readonly Inline[], style: TextStyle, width: number): Line[] {
    const measure = (text: string, face: Face) => this.measure(text, face, style.size);
    const words = toWords(this.pieces(inlines, style), measure);
    return breakLines(words, {
      width,
      space: measure(' ', 'regular'),
      indent: style.indent,
      measure,
      maxHyphenated: style.hyphenate ? this.o.maxHyphenated : 0,
    });
  }

  /**
   * Set a paragraph, tagged as `tag` under `parent`: lines are kept together
   * so that at least two stand at the foot of a page and two at the head of
   * the next (no orphans, no widows).
   */
  paragraph(inlines: readonly Inline[], style: TextStyle, parent: StructElement, tag = 'P', inset = 0): void {
    const width = this.width - inset;
    const lines = this.layout(inlines, style, width);
    if (!lines.length || (lines.length === 1 && !lines[0]!.words.length)) return;
    const lh = this.lineHeight(style);
    const el = this.doc.struct(tag);
    parent.add(el);
    let i = 0;
    let content: PDFKit.PDFStructureContent | undefined;
    const open = () => {
      content = this.doc.markStructureContent(tag);
    };
    const close = () => {
      if (content) {
        this.doc.endMarkedContent();
        el.add(content);
        content = undefined;
      }
    };
    while (i < lines.length) {
      const remaining = lines.length - i;
      let fit = Math.floor((this.bottom - this.doc.y + 0.01) / lh);
      if (fit < remaining) {
        if (i === 0 && fit < 2 && remaining >= 2) fit = 0; // orphan
        else if (remaining - fit < 2) fit = remaining >= 3 ? remaining - 2 : 0; // widow
      }
      if (fit <= 0) {
        close();
        this.continuePage();
        fit = Math.max(1, Math.floor((this.bottom - this.doc.y + 0.01) / lh));
        if (fit < remaining && remaining - fit < 2 && remaining >= 3) fit = remaining - 2;
      }
      let take = Math.min(fit, remaining);
      // A word hyphenated across a page turn is hard to read: end the page a line early.
      if (take < remaining && take > 2 && lines[i + take - 1]!.words.at(-1)?.hyphenated && (i > 0 || take - 1 >= 2) && remaining - take + 1 >= 2) take--;
      open();
      for (let k = 0; k < take; k++) this.drawLine(lines[i + k]!, style, this.left + inset, width);
      close();
      i += take;
      if (i < lines.length) this.continuePage();
    }
    el.end();
    this.doc.y += style.paragraphGap;
  }

  /** Draw one line at the current position and advance. */
  drawLine(line: Line, style: TextStyle, left: number, width: number): void {
    const doc = this.doc;
    const n = line.words.length;
    const space = this.measure(' ', 'regular', style.size);
    const natural = line.width + space * Math.max(0, n - 1);
    let x = left + line.indent;
    let gap = space;
    if (style.align === 'justify' && !line.last && n > 1) gap = (width - line.indent - line.width) / (n - 1);
    else if (style.align === 'center') x = left + (width - natural) / 2;
    else if (style.align === 'right') x = left + width - natural;
    // Every face sits on one baseline (fallback fonts have other ascenders).
    const y = doc.y;
    const baseline = y + this.ascent(style.size);
    // Runs of one style are drawn with one text operation each, the justification
    // as word spacing: a fraction of the objects a word-by-word page would hold.
    const runs: Array<{ piece: Piece; texts: string[]; x: number; width: number }> = [];
    line.words.forEach((word, wi) => {
      if (wi > 0) x += gap;
      let first = true;
      for (const p of word.pieces) {
        const text = p.text.replaceAll(SHY, '');
        if (!text) continue;
        const w = this.measure(text, p.face, style.size);
        const last = runs[runs.length - 1];
        if (last && sameStyle(last.piece, p)) {
          if (first && wi > 0) {
            last.texts.push(text); // the next word, in the same run
            last.width += gap + w;
          } else {
            last.texts[last.texts.length - 1] += text; // more of the same word
            last.width += w;
          }
        } else runs.push({ piece: p, texts: [text], x, width: w });
        x += w;
        first = false;
      }
    });
    for (const run of runs) {
      const p = run.piece;
      doc.font(p.face).fontSize(style.size);
      const extra = run.texts.length > 1 ? gap - this.measure(' ', p.face, style.size) : 0;
      if (!showRun(doc, run.texts, run.x, baseline, style.size, extra))
        doc.text(run.texts.join(' '), run.x, baseline, {
          lineBreak: false,
          baseline: 'alphabetic',
          ...(Math.abs(extra) > 0.001 ? { wordSpacing: extra } : {}),
        });
      // The link's area covers the run's line, from above the ascenders to the next line.
      if (p.link) doc.link(run.x, baseline - this.ascent(style.size), run.width, style.leading, p.link);
      // pdfkit places its own underline and strike for top-aligned text; draw them from the baseline.
      if (p.underline || p.strike) {
        doc.save().lineWidth(style.size * 0.055);
        if (p.underline) doc.moveTo(run.x, baseline + style.size * 0.12).lineTo(run.x + run.width, baseline + style.size * 0.12).stroke();
        if (p.strike) doc.moveTo(run.x, baseline - style.size * 0.27).lineTo(run.x + run.width, baseline - style.size * 0.27).stroke();
        doc.restore();
      }
    }
    doc.y = y + style.leading;
    doc.x = left;
  }

  /** A line of text set apart (headings, labels): kept with `keep` points of what follows. */
  heading(text: string, style: TextStyle, parent: StructElement, tag: string, keep: number): void {
    const lines = this.layout([{ type: 'text', value: text }], style, this.width);
    this.ensure(lines.length * style.leading + keep);
    const el = this.doc.struct(tag);
    parent.add(el);
    const content = this.doc.markStructureContent(tag);
    for (const line of lines) this.drawLine(line, style, this.left, this.width);
    this.doc.endMarkedContent();
    el.add(content);
    el.end();
    this.doc.y += style.paragraphGap;
  }

  /**
   * A table, drawn as one: columns as wide as their content wants, shrunk in
   * proportion (never below their longest word) when the measure is too
   * narrow; cells wrapped in their column; a rule above and below, and under
   * a header row; a row never split across pages, and the header row set
   * again at the top of a page the table continues on.
   */
  setTable(rows: readonly TableRow[], style: TextStyle, parent: StructElement, inset: number): void {
    const doc = this.doc;
    const cellStyle: TextStyle = { ...style, size: style.size * 0.9, leading: style.leading * 0.9, align: 'left', indent: 0, paragraphGap: 0 };
    const cols = Math.max(1, ...rows.map((r) => r.cells.length));
    const gutter = cellStyle.size * 1.1;
    const avail = this.width - inset;
    const content = (row: TableRow, k: number): Inline[] => {
      const c = row.cells[k] ?? [];
      return row.header ? [{ type: 'strong', children: c }] : c;
    };
    const natural = new Array<number>(cols).fill(0);
    const minimum = new Array<number>(cols).fill(0);
    const space = this.measure(' ', 'regular', cellStyle.size);
    for (const row of rows) {
      for (let k = 0; k < cols; k++) {
        const lines = this.layout(content(row, k), { ...cellStyle, hyphenate: false }, 1e6);
        for (const line of lines) {
          natural[k] = Math.max(natural[k]!, line.width + space * Math.max(0, line.words.length - 1));
          for (const w of line.words) minimum[k] = Math.max(minimum[k]!, w.width);
        }
      }
    }
    const room = avail - gutter * (cols - 1);
    let widths = natural.map((n) => Math.max(n, cellStyle.size));
    const total = widths.reduce((a, w) => a + w, 0);
    if (total > room) {
      // Give each column its longest word, and share what is left by how much more each wants.
      const base = minimum.map((m) => Math.min(m, room / cols));
      const spare = Math.max(0, room - base.reduce((a, w) => a + w, 0));
      const want = widths.map((w, k) => w - base[k]!);
      const wanted = want.reduce((a, w) => a + w, 0) || 1;
      widths = base.map((b0, k) => b0 + (spare * want[k]!) / wanted);
    }
    const tableWidth = widths.reduce((a, w) => a + w, 0) + gutter * (cols - 1);
    const left0 = this.left + inset + Math.max(0, (avail - tableWidth) / 2);
    const laid = rows.map((row) => Array.from({ length: cols }, (_, k) => this.layout(content(row, k), cellStyle, widths[k]!)));
    const heightOf = (cells: Line[][]) => Math.max(1, ...cells.map((c) => c.length)) * cellStyle.leading + cellStyle.leading * 0.35;
    const header = rows.findIndex((r) => r.header) === 0 ? 0 : -1;
    const rule = (y: number, weight: number) => {
      doc.markContent('Artifact', { type: 'Layout' });
      doc.save().lineWidth(weight).moveTo(left0, y).lineTo(left0 + tableWidth, y).stroke().restore();
      doc.endMarkedContent();
    };
    const el = doc.struct('Table');
    parent.add(el);
    doc.y += style.leading * 0.4;
    const drawRow = (i: number) => {
      const row = rows[i]!;
      const cells = laid[i]!;
      const top = doc.y;
      const tr = doc.struct('TR');
      el.add(tr);
      let x = left0;
      for (let k = 0; k < cols; k++) {
        const cell = doc.struct(row.header ? 'TH' : 'TD');
        tr.add(cell);
        doc.y = top + cellStyle.leading * 0.175;
        const marked = doc.markStructureContent(row.header ? 'TH' : 'TD');
        for (const line of cells[k]!) this.drawLine(line, cellStyle, x, widths[k]!);
        doc.endMarkedContent();
        cell.add(marked);
        cell.end();
        x += widths[k]! + gutter;
      }
      tr.end();
      doc.y = top + heightOf(cells);
      if (row.header) rule(doc.y, 0.5);
    };
    this.ensure(heightOf(laid[0] ?? []) + (laid.length > 1 ? heightOf(laid[1]!) : 0) + 1);
    rule(doc.y, 0.8);
    for (let i = 0; i < rows.length; i++) {
      const h = heightOf(laid[i]!);
      if (doc.y + h > this.bottom + 0.01) {
        rule(doc.y, 0.8);
        this.continuePage();
        rule(doc.y, 0.8);
        if (header === 0 && i > 0) drawRow(0);
      }
      drawRow(i);
    }
    rule(doc.y, 0.8);
    el.end();
    doc.y += style.leading * 0.6;
  }

  /**
   * Preformatted text keeps its lines and indentation: each line set in the
   * fixed-width face with every space kept; a line longer than the measure
   * continues on the next, broken at a space near the end when there is one.
   */
  setCode(text: string, style: TextStyle, parent: StructElement, inset: number): void {
    const el = this.doc.struct('Div');
    parent.add(el);
    this.doc.y += style.leading * 0.3;
    const codeStyle: TextStyle = { ...style, size: style.size * 0.88, leading: style.leading * 0.92, align: 'left', indent: 0, face: 'mono', hyphenate: false, paragraphGap: 0 };
    const perLine = Math.max(8, Math.floor((this.width - inset) / Math.max(0.1, this.measure('0', 'mono', codeStyle.size))));
    for (const line of text.split('\n')) {
      if (!line.trim()) {
        this.doc.y += codeStyle.leading;
        continue;
      }
      let rest = line;
      while (rest.length) {
        let cut = rest.length <= perLine ? rest.length : rest.lastIndexOf(' ', perLine);
        if (cut < perLine * 0.6) cut = Math.min(rest.length, perLine);
        const piece = rest.slice(0, cut);
        // The space a long line is broken at goes with the break, as in wrapped text.
        rest = rest.slice(cut + (rest[cut] === ' ' && cut < rest.length ? 1 : 0));
        this.paragraph([{ type: 'text', value: piece.replace(/ /g, '\u00a0') }], codeStyle, el, 'P', inset);
      }
    }
    el.end();
    this.doc.y += style.leading * 0.3;
  }

  /** Model blocks in order, with first-line indents except after headings, breaks and at the start. */
  blocks(blocks: readonly Block[], style: TextStyle, parent: StructElement, inset = 0): void {
    let indentNext = false;
    for (const b of blocks) {
      switch (b.type) {
        case 'paragraph':
          this.paragraph(b.children, { ...style, indent: indentNext && !b.align ? style.indent : 0, ...(b.align ? { align: b.align } : {}) }, parent, 'P', inset);
          indentNext = !b.align;
          break;
        case 'table':
          this.setTable(b.rows, style, parent, inset);
          indentNext = false;
          break;
        case 'image': {
          const maxH = (this.bottom - this.geo.margins.top) * 0.6;
          let h = maxH;
          try {
            const img = (this.doc as unknown as { openImage(src: string | Buffer): { width: number; height: number } }).openImage(b.data ? Buffer.from(b.data) : b.src);
            h = Math.min(maxH, (img.height / img.width) * (this.width - inset));
          } catch {
            // An unreadable image is left out; the reader checked it exists.
            break;
          }
          this.ensure(h + style.leading);
          const fig = this.doc.struct('Figure', { alt: b.alt || 'image' });
          parent.add(fig);
          const content = this.doc.markStructureContent('Figure');
          this.doc.image(b.data ? Buffer.from(b.data) : b.src, this.left + inset, this.doc.y, { fit: [this.width - inset, h], align: 'center' });
          this.doc.endMarkedContent();
          fig.add(content);
          fig.end();
          this.doc.y += h + style.leading * 0.5;
          indentNext = false;
          break;
        }
        case 'sceneBreak': {
          const space = this.o.sceneBreakSpace;
          this.ensure(space * 2 + style.leading * 3);
          this.doc.y += space;
          const el = this.doc.struct('Div');
          parent.add(el);
          // The ornament is decoration; the break itself is the gap.
          this.doc.markContent('Artifact', { type: 'Layout' });
          this.doc.font('regular').fontSize(style.size);
          this.doc.text(this.o.sceneBreakMark, this.left + inset, this.doc.y, { width: this.width - inset, align: 'center', lineBreak: false });
          this.doc.endMarkedContent();
          el.end();
          this.doc.y += style.leading + space;
          indentNext = false;
          break;
        }
        case 'blockquote': {
          const el = this.doc.struct('BlockQuote');
          parent.add(el);
          this.doc.y += style.leading * 0.4;
          this.blocks(b.children, { ...style, align: 'left', paragraphGap: style.leading * 0.3 }, el, inset + this.o.blockquoteInset);
          el.end();
          this.doc.y += style.leading * 0.4;
          indentNext = false;
          break;
        }
        case 'heading': {
          this.doc.y += style.leading * 0.6;
          const text = inlinePlain(b.children);
          const level = Math.min(6, 1 + Math.max(1, b.level));
          this.heading(text, { ...style, size: this.o.headingSize, leading: this.o.headingSize * 1.3, align: 'center', indent: 0, face: 'bold', hyphenate: false, paragraphGap: style.leading * 0.4 }, parent, `H${level}`, style.leading * 2);
          indentNext = false;
          break;
        }
        case 'code':
          this.setCode(b.text, style, parent, inset);
          indentNext = false;
          break;
        case 'list': {
          const list = this.doc.struct('L');
          parent.add(list);
          b.items.forEach((item, k) => {
            const li = this.doc.struct('LI');
            list.add(li);
            const marker = b.ordered ? `${k + 1}.` : '•';
            this.ensure(style.leading * 2);
            const y = this.doc.y;
            this.doc.markContent('Artifact', { type: 'Layout' });
            this.doc.font('regular').fontSize(style.size);
            this.doc.text(marker, this.left + inset, y, { lineBreak: false });
            this.doc.endMarkedContent();
            this.doc.y = y;
            this.blocks(item, { ...style, align: 'left', indent: 0 }, li, inset + style.size * 1.6);
            li.end();
          });
          list.end();
          indentNext = false;
          break;
        }
        default:
          assertNever(b);
      }
    }
  }
}

function inlinePlain(inlines: readonly Inline[]): string {
  return inlines.map((n) => (n.type === 'text' ? n.value : n.type === 'lineBreak' ? ' ' : n.type === 'noteRef' ? noteMark(n.id) : inlinePlain(n.children))).join('');
}

const SUPERSCRIPT = '⁰¹²³⁴⁵⁶⁷⁸⁹';

/** A footnote's mark as set in the text: `3` → `³`; a mark that is not a number stays in brackets. */
export function noteMark(id: string): string {
  return /^\d+$/.test(id) ? [...id].map((d) => SUPERSCRIPT[Number(d)]).join('') : `[${id}]`;
}
