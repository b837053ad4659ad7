import { assertNever, type Block, type Inline, type TableRow } from '../../model/types.js';
import { embeddingLevels, LRI, mirrored, paragraphRtl, PDI, RLI, visualOrder } from './bidi.js';
import { breakLines, sameStyle, SHY, toWords, type Face, type Line, type Piece, type Word } from './layout.js';
import type { PageGeometry } from './page.js';
import { showRun, wordWidth, type RunGap } from './runs.js';

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
  /** Extra space after every character, in points (letter-spaced capitals). */
  tracking?: number;
}

/** Lines of one paragraph and the direction they run in. */
export interface SetLines {
  lines: Line[];
  rtl: boolean;
}

export interface SetterOptions {
  doc: Doc;
  geometry: PageGeometry;
  /** Splits text (in a language, after the text `before`) into pieces by the fonts that have its glyphs. */
  fontRuns: (text: string, face: Face, lang: string, before?: string) => Piece[];
  /** Adds soft hyphens to a text in a language, or returns it unchanged. */
  hyphenate: (text: string, lang: string) => string;
  /** The work's language (BCP 47). */
  lang: string;
  /** The work runs right to left: paragraphs default to it, and page furniture is mirrored (binding on the right). */
  rtl: boolean;
  /** The most a justified space may widen, in ems; a line that needs more is set unjustified. */
  maxStretchEm: number;
  /** The most a gap between CJK characters or Thai words may widen, in ems. */
  maxCharStretchEm: number;
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

  /** The work runs right to left. */
  get rtlWork(): boolean {
    return this.o.rtl;
  }

  /** 0-based index of the current page. */
  get pageIndex(): number {
    return this.pages.length - 1;
  }

  /** Left edge of the text block on the current page (mirrored for printed sizes). */
  get left(): number {
    return this.leftOf(this.pageIndex);
  }

  /**
   * Left edge of the text block on a page. In print the inner margin is on
   * the binding side: the left of right-hand pages, or — in a right-to-left
   * book, bound on the right — the right of them.
   */
  leftOf(index: number): number {
    return this.outerIsLeft(index) && this.geo.print ? this.geo.margins.outer : this.geo.margins.inner;
  }

  /** The page's outer edge (away from the binding) is its left one. */
  outerIsLeft(index: number): boolean {
    return this.isVerso(index) !== this.o.rtl;
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
    const outerLeft = this.outerIsLeft(index) && this.geo.print;
    const m = this.geo.margins;
    this.doc.addPage({
      size: [this.geo.width, this.geo.height],
      margins: { top: m.top, bottom: m.bottom, left: outerLeft ? m.outer : m.inner, right: outerLeft ? m.inner : m.outer },
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
      w = wordWidth(this.doc, text, size);
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

  /**
   * Inline model → pieces in faces, split by font coverage, hyphenated when
   * asked, with the isolates (offset → control character) that spans with
   * their own direction put around their text for the bidi algorithm.
   */
  pieces(inlines: readonly Inline[], style: TextStyle): { pieces: Piece[]; isolates: Array<[number, string]> } {
    const out: Piece[] = [];
    const isolates: Array<[number, string]> = [];
    let length = 0;
    let before = '';
    interface Deco {
      italic: boolean;
      bold: boolean;
      underline: boolean;
      strike: boolean;
      link?: string;
      lang: string;
    }
    const walk = (nodes: readonly Inline[], d: Deco) => {
      for (const n of nodes) {
        switch (n.type) {
          case 'text': {
            const face = style.face ?? (d.bold ? (d.italic ? 'boldItalic' : 'bold') : d.italic ? 'italic' : 'regular');
            const text = style.hyphenate ? this.o.hyphenate(n.value, d.lang) : n.value;
            for (const p of this.o.fontRuns(text, face, d.lang, before)) {
              out.push({ ...p, ...(d.link ? { link: d.link } : {}), ...(d.underline ? { underline: true } : {}), ...(d.strike ? { strike: true } : {}) });
              length += p.text.length;
            }
            before = text.slice(-8);
            break;
          }
          case 'lineBreak':
            out.push({ text: '\n', face: 'regular' });
            length += 1;
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
            walk(n.children, /^https?:|^mailto:|^#/i.test(n.url) ? { ...d, link: n.url } : d);
            break;
          case 'span':
            if (n.dir) isolates.push([length, n.dir === 'rtl' ? RLI : LRI]);
            walk(n.children, n.lang ? { ...d, lang: n.lang } : d);
            if (n.dir) isolates.push([length, PDI]);
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
    walk(inlines, { italic: false, bold: false, underline: false, strike: false, lang: this.o.lang });
    return { pieces: out, isolates };
  }

  /** Width of a text in a face at a style's size, with its tracking. */
  private textWidth(text: string, face: Face, style: TextStyle): number {
    const w = this.measure(text, face, style.size);
    return style.tracking ? w + style.tracking * [...text].length : w;
  }

  /**
   * Break inline content into lines for a given measure. The paragraph's
   * direction is the work's unless its text says otherwise (paragraphRtl);
   * embedding levels are resolved on the whole paragraph before it is
   * broken, so each piece carries its level into the lines.
   */
  layout(inlines: readonly Inline[], style: TextStyle, width: number): SetLines {
    const measure = (text: string, face: Face) => this.textWidth(text, face, style);
    const { pieces, isolates } = this.pieces(inlines, style);
    const text = pieces.map((p) => p.text).join('');
    const rtl = paragraphRtl(text, this.o.rtl);
    const leveled = withLevels(pieces, text, isolates, rtl);
    const words = toWords(leveled, measure);
    const lines = breakLines(words, {
      width,
      space: measure(' ', 'regular'),
      indent: style.indent,
      measure,
      maxHyphenated: style.hyphenate ? this.o.maxHyphenated : 0,
    });
    return { lines, rtl };
  }

  /**
   * Set a paragraph, tagged as `tag` under `parent`: lines are kept together
   * so that at least two stand at the foot of a page and two at the head of
   * the next (no orphans, no widows).
   */
  paragraph(inlines: readonly Inline[], style: TextStyle, parent: StructElement, tag = 'P', inset = 0): void {
    const width = this.width - inset;
    const { lines, rtl } = this.layout(inlines, style, width);
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
      for (let k = 0; k < take; k++) this.drawLine(lines[i + k]!, style, this.insetLeft(inset), width, rtl);
      close();
      i += take;
      if (i < lines.length) this.continuePage();
    }
    el.end();
    this.doc.y += style.paragraphGap;
  }

  /** Left edge of a block inset by `inset` from the start side (the right, in a right-to-left work). */
  insetLeft(inset: number): number {
    return this.o.rtl ? this.left : this.left + inset;
  }

  /**
   * Draw one line at the current position and advance: justified by
   * widening its spaces (and, in CJK and Thai, the gaps between characters
   * and words) unless that would open gaps wider than the theme allows;
   * its pieces put in visual order (bidi rule L2), right-to-left runs shaped
   * right to left with mirrored brackets; indent and ragged edge on the
   * paragraph's start and end sides.
   */
  drawLine(line: Line, style: TextStyle, left: number, width: number, rtl = false): void {
    const doc = this.doc;
    const size = style.size;
    const space = this.measure(' ', 'regular', size);
    const base = rtl ? 1 : 0;
    type Atom =
      | { kind: 'text'; piece: Piece; text: string; width: number; level: number }
      | { kind: 'gap'; space: boolean; stretch: boolean; width: number; level: number };
    const atoms: Atom[] = [];
    line.words.forEach((word: Word, wi) => {
      if (wi > 0) {
        const isSpace = word.glue !== 'none';
        atoms.push({ kind: 'gap', space: isSpace, stretch: isSpace || !!word.stretch, width: isSpace ? space : 0, level: word.glueLevel ?? -1 });
      }
      for (const p of word.pieces) {
        const text = p.text.replaceAll(SHY, '');
        if (text) atoms.push({ kind: 'text', piece: p, text, width: this.textWidth(text, p.face, style), level: p.level ?? base });
      }
    });
    // A gap with no space of its own sits at the level of the text around it.
    atoms.forEach((a, i) => {
      if (a.kind !== 'gap' || a.level >= 0) return;
      const before = atoms.slice(0, i).reverse().find((x) => x.kind === 'text');
      const after = atoms.slice(i + 1).find((x) => x.kind === 'text');
      a.level = Math.min(before?.level ?? base, after?.level ?? base);
    });
    const natural = atoms.reduce((w, a) => w + a.width, 0);
    const { space: spaceExtra, none: noneExtra } = style.align === 'justify' && !line.last ? this.justification(atoms, width - line.indent - natural, size) : { space: 0, none: 0 };
    const extraOf = (a: { space: boolean; stretch: boolean }) => (!a.stretch ? 0 : a.space ? spaceExtra : noneExtra);
    const lineWidth = natural + atoms.reduce((w, a) => w + (a.kind === 'gap' ? extraOf(a) : 0), 0);
    let x: number;
    if (style.align === 'center') x = left + (width - lineWidth) / 2;
    else if (style.align === 'right') x = left + width - lineWidth;
    else x = rtl ? left + width - line.indent - lineWidth : left + line.indent;
    // Every face sits on one baseline (fallback fonts have other ascenders).
    const y = doc.y;
    const baseline = y + this.ascent(size);
    const visual = atoms.some((a) => a.level > 0) ? visualOrder(atoms) : atoms;
    // Runs of one style and direction are drawn with one text object each, the
    // justification as displacements: a fraction of the objects a word-by-word page would hold.
    interface Run {
      piece: Piece;
      words: string[];
      gaps: RunGap[];
      x: number;
      width: number;
      rtl: boolean;
    }
    const runs: Run[] = [];
    let pending: { space: boolean; width: number } | null = null;
    let last: Run | undefined;
    for (const a of visual) {
      if (a.kind === 'gap') {
        const w = a.width + extraOf(a);
        pending = { space: a.space, width: w };
        x += w;
        continue;
      }
      const odd = a.level % 2 === 1;
      const text = odd ? mirrored(a.text) : a.text;
      if (last && sameStyle(last.piece, a.piece) && last.rtl === odd) {
        if (pending) {
          last.words.push(text);
          last.gaps.push({ space: pending.space, extra: pending.width - (pending.space ? this.measure(' ', a.piece.face, size) : 0) });
          last.width += pending.width + a.width;
        } else {
          // More of the same word: in a right-to-left run the piece drawn to the right comes first in the text.
          const k = last.words.length - 1;
          last.words[k] = odd ? text + last.words[k]! : last.words[k]! + text;
          last.width += a.width;
        }
      } else {
        last = { piece: a.piece, words: [text], gaps: [], x, width: a.width, rtl: odd };
        runs.push(last);
      }
      pending = null;
      x += a.width;
    }
    for (const run of runs) {
      const p = run.piece;
      doc.font(p.face).fontSize(size);
      showRun(doc, run.words, run.gaps, run.x, baseline, size, run.rtl, style.tracking);
      // The link's area covers the run's line, from above the ascenders to the next line.
      if (p.link?.startsWith('#')) {
        // A place in the book: its named destination (the section, or the anchor within it).
        const [section, anchor] = p.link.slice(1).split('/');
        doc.goTo(run.x, baseline - this.ascent(size), run.width, style.leading, anchor ?? section!);
      } else if (p.link) doc.link(run.x, baseline - this.ascent(size), run.width, style.leading, p.link);
      // pdfkit places its own underline and strike for top-aligned text; draw them from the baseline.
      if (p.underline || p.strike) {
        doc.save().lineWidth(size * 0.055);
        if (p.underline) doc.moveTo(run.x, baseline + size * 0.12).lineTo(run.x + run.width, baseline + size * 0.12).stroke();
        if (p.strike) doc.moveTo(run.x, baseline - size * 0.27).lineTo(run.x + run.width, baseline - size * 0.27).stroke();
        doc.restore();
      }
    }
    doc.y = y + style.leading;
    doc.x = left;
  }

  /**
   * How much each gap of a justified line widens: the gaps between CJK
   * characters and Thai words by at most a sliver (`maxCharStretchEm`, so
   * the characters keep their even rhythm and text extraction sees no
   * spaces there), the spaces by what remains, up to `maxStretchEm`. A line
   * that would need more is left unjustified: no line with one huge gap.
   */
  private justification(atoms: ReadonlyArray<{ kind: string; space?: boolean; stretch?: boolean }>, room: number, size: number): { space: number; none: number } {
    const spaces = atoms.filter((a) => a.kind === 'gap' && a.stretch && a.space).length;
    const others = atoms.filter((a) => a.kind === 'gap' && a.stretch && !a.space).length;
    if (room <= 0 || spaces + others === 0) return { space: 0, none: 0 };
    const even = room / (spaces + others);
    const charCap = this.o.maxCharStretchEm * size;
    if (even <= charCap || spaces === 0) return even <= charCap ? { space: even, none: even } : { space: 0, none: 0 };
    const perSpace = (room - others * charCap) / spaces;
    return perSpace <= this.o.maxStretchEm * size ? { space: perSpace, none: charCap } : { space: 0, none: 0 };
  }

  /** Lines of text set at the current position, without structure (the caller tags them). */
  textBlock(text: string, style: TextStyle, left = this.left, width = this.width): void {
    const { lines, rtl } = this.layout([{ type: 'text', value: text }], style, width);
    for (const line of lines) this.drawLine(line, style, left, width, rtl);
  }

  /**
   * One line of text at (`left`, `y`) in `width`, cut short with an
   * ellipsis when it does not fit (running heads, contents entries, folios).
   * Returns the width it takes.
   */
  singleLine(text: string, style: TextStyle, left: number, y: number, width: number): number {
    let { lines, rtl } = this.layout([{ type: 'text', value: text }], style, width);
    if (lines.length > 1) {
      // Drop words from the first line's end until it and an ellipsis fit.
      let kept = [...text.replace(/\s+/g, ' ').trim()];
      const ellipsis = '…';
      let set = this.layout([{ type: 'text', value: kept.join('') + ellipsis }], style, width);
      while (set.lines.length > 1 && kept.length > 1) {
        kept = kept.slice(0, Math.max(1, Math.floor(kept.length * 0.9)));
        while (kept.length > 1 && /\s/.test(kept[kept.length - 1]!)) kept.pop();
        set = this.layout([{ type: 'text', value: kept.join('') + ellipsis }], style, width);
      }
      ({ lines, rtl } = set);
    }
    const line = { ...lines[0]!, last: true };
    const saved = this.doc.y;
    this.doc.y = y;
    this.drawLine(line, style, left, width, rtl);
    this.doc.y = saved;
    return line.words.reduce((w, word, i) => w + word.width + (i > 0 && word.glue !== 'none' ? this.measure(' ', 'regular', style.size) : 0), 0);
  }

  /** A line of text set apart (headings, labels): kept with `keep` points of what follows. */
  heading(text: string | readonly Inline[], style: TextStyle, parent: StructElement, tag: string, keep: number, id?: string): void {
    const { lines, rtl } = this.layout(typeof text === 'string' ? [{ type: 'text', value: text }] : text, style, this.width);
    this.ensure(lines.length * style.leading + keep);
    if (id) this.doc.addNamedDestination(id);
    const el = this.doc.struct(tag);
    parent.add(el);
    const content = this.doc.markStructureContent(tag);
    for (const line of lines) this.drawLine(line, style, this.left, this.width, rtl);
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
        const { lines } = this.layout(content(row, k), { ...cellStyle, hyphenate: false }, 1e6);
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
    const heightOf = (cells: SetLines[]) => Math.max(1, ...cells.map((c) => c.lines.length)) * cellStyle.leading + cellStyle.leading * 0.35;
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
        for (const line of cells[k]!.lines) this.drawLine(line, cellStyle, x, widths[k]!, cells[k]!.rtl);
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
          this.doc.image(b.data ? Buffer.from(b.data) : b.src, this.insetLeft(inset), this.doc.y, { fit: [this.width - inset, h], align: 'center' });
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
          this.singleLine(this.o.sceneBreakMark, { ...style, align: 'center', indent: 0, hyphenate: false }, this.insetLeft(inset), this.doc.y, this.width - inset);
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
          const level = Math.min(6, 1 + Math.max(1, b.level));
          this.heading(b.children, { ...style, size: this.o.headingSize, leading: this.o.headingSize * 1.3, align: 'center', indent: 0, face: 'bold', hyphenate: false, paragraphGap: style.leading * 0.4 }, parent, `H${level}`, style.leading * 2, b.id);
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
            // The marker on the start side: the left, or the right in a right-to-left work.
            this.singleLine(marker, { ...style, align: this.o.rtl ? 'right' : 'left', indent: 0, hyphenate: false }, this.insetLeft(inset), y, this.width - inset);
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

/**
 * Pieces cut where their bidi embedding level changes, each with its level
 * (resolved on the paragraph's whole text, the isolates of directed spans
 * put in). Unchanged when the paragraph is all left to right.
 */
function withLevels(pieces: readonly Piece[], text: string, isolates: ReadonlyArray<[number, string]>, rtl: boolean): Piece[] {
  let bidiText = text;
  let index: (i: number) => number = (i) => i;
  if (isolates.length) {
    // The text with the isolate controls in, and where each of its characters went.
    const at: number[] = [];
    let out = '';
    let k = 0;
    for (let i = 0; i <= text.length; i++) {
      while (k < isolates.length && isolates[k]![0] === i) out += isolates[k++]![1];
      at.push(out.length);
      if (i < text.length) out += text[i];
    }
    bidiText = out;
    index = (i) => at[i]!;
  }
  const levels = embeddingLevels(bidiText, rtl);
  if (!levels) return [...pieces];
  const out: Piece[] = [];
  let offset = 0;
  for (const p of pieces) {
    let start = 0;
    for (let i = 1; i <= p.text.length; i++) {
      const level = levels[index(offset + start)]!;
      if (i === p.text.length || levels[index(offset + i)] !== level) {
        out.push({ ...p, text: p.text.slice(start, i), level });
        start = i;
      }
    }
    offset += p.text.length;
  }
  return out;
}
