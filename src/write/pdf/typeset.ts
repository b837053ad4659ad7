import { assertNever, type Block, type Inline } from '../../model/types.js';
import { embeddingLevels, LRI, mirrored, paragraphRtl, PDI, RLI, visualOrder } from './bidi.js';
import { paginate, Paginator, type Alternative, type FlowBox, type FlowFrame, type FlowPage, type FlowSpace } from './flow.js';
import { breakLines, sameStyle, SHY, toWords, type Face, type Line, type Piece, type Word } from './layout.js';
import type { PageGeometry } from './page.js';
import { countable, type Flow, type PageStart } from '../page-map.js';
import { inkExtent, showRun, wordWidth, type RunGap } from './runs.js';
import { setTable } from './table.js';

/**
 * The typesetter: blocks of the chapter model set as lines and collected as
 * boxes of a flow, which the page builder (flow.ts) cuts into pages — no
 * widows or orphans, headings kept with what follows, body text on a
 * baseline grid, facing pages level — and which are then drawn, each inside
 * the marked content of its structure element. It owns the pages (mirrored
 * margins, recto chapter openings). Page furniture (running heads, folios)
 * is drawn later from the `pages` record.
 */

type Doc = PDFKit.PDFDocument;
type StructElement = PDFKit.PDFStructureElement;

/** What a box's drawing is marked as: content of a structure element, or an artifact. Boxes without one mark their own. */
export type Mark = { el: StructElement; tag: string } | { artifact: 'Layout' | 'Pagination' };

/** Where a box lands: first or last on its page, or set again there (a repeated table header). */
export interface BoxPlace {
  first: boolean;
  last: boolean;
  repeated: boolean;
}

/** A box of the flow with what draws it (top edge and height given by the page builder). */
export interface SetBox extends FlowBox {
  mark?: Mark;
  /** Where in the book's flow the box's text begins (see page-map.ts): where a page starting with it starts. */
  at?: PageStart;
  draw(top: number, height: number, at: BoxPlace): void;
}

export type SetItem = SetBox | FlowSpace;

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
  /** Lines sit on the page's baseline grid (body text, whose leading is the grid's pitch). */
  grid?: boolean;
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
  /** Lines of the grid a scene break takes. */
  sceneBreakLines: number;
  /** The baseline grid's pitch: the body's leading. */
  grid: number;
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
  /**
   * Where each page began in the book's flow (see page-map.ts), while
   * `recording`: every box carries the position of the text it begins
   * (`SetBox.at`, taken when it is set), and a page is placed at its first
   * box when the page is drawn — so a page the builder set another way, or
   * a table header repeated at its top, never misleads it — and a blank page
   * starts where the next page does.
   */
  readonly starts: Array<PageStart & { page: number }> = [];
  recording = false;
  /** Pages before this one (a cover page, and the inside of the cover in print) carry no page number. */
  firstNumbered = 0;
  /** Draw nothing, only lay out and paginate (to learn where pages begin without making a PDF). */
  dry = false;
  private where: PageStart = { section: '', flow: 'head', path: [], offset: 0 };
  private unplaced: number[] = [];

  constructor(o: SetterOptions) {
    this.o = o;
    this.doc = o.doc;
    this.geo = o.geometry;
  }

  /** The work runs right to left. */
  get rtlWork(): boolean {
    return this.o.rtl;
  }

  /** What is set from here on: a flow of a section, from its start. */
  at(section: string, flow: Flow): void {
    this.where = { section, flow, path: [], offset: 0 };
  }

  /** What is set from here on starts this far into its block (a table's row, a line of preformatted text). */
  offsetAt(offset: number): void {
    this.where.offset = offset;
  }

  /** The position being set, as a box keeps it. */
  private here(offset = this.where.offset): PageStart {
    return { ...this.where, path: [...this.where.path], offset };
  }

  /** Pages begun and not yet placed start at `at` (default: what is being set now). */
  place(at: PageStart = this.where): void {
    if (!this.unplaced.length) return;
    for (const page of this.unplaced) this.starts.push({ page, ...at, path: [...at.path] });
    this.unplaced = [];
  }

  /** 0-based index of the current page. */
  get pageIndex(): number {
    return this.pages.length - 1;
  }

  /** Left edge of the text block on the page being set (mirrored for printed sizes). */
  get left(): number {
    return this.leftOf(this.current);
  }

  /** Draw on a page made earlier (contents pages reserved before the chapters); -1 returns to the last page. */
  drawOn(index: number): void {
    this.drawing = index;
    if (index >= 0) this.doc.switchToPage(index);
    else this.doc.switchToPage(this.pageIndex);
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
    if (this.recording) this.unplaced.push(index);
    this.doc.y = m.top;
  }

  /** Continue the current section on a new page. */
  continuePage(): void {
    const current = this.pages[this.pageIndex]!;
    this.addPage({ folio: true, head: true, section: current.section });
  }

  measure = (text: string, face: Face, size: number): number => {
    const key = size === this.lastSize && face === this.lastFace ? this.lastTable! : this.table(face, size);
    // The document's font objects (and their names, F1, F2, …) are made in the order faces are first
    // used in it: open each face here on its first use, measured before or not, so that the order —
    // and the bytes — never depend on what earlier books of the process measured.
    if (!this.opened.has(face)) {
      this.opened.add(face);
      this.doc.font(face);
    }
    let w = key.get(text);
    if (w === undefined) {
      this.doc.font(face).fontSize(size);
      w = wordWidth(this.doc, text, size);
      if (key.size > MAX_WIDTHS) key.clear();
      key.set(text, w);
    }
    return w;
  };

  private readonly opened = new Set<Face>();
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
    const { words, rtl } = this.words(inlines, style);
    return { lines: this.breakWords(words, style, width), rtl };
  }

  /** Inline content → the words lines are made of, and the paragraph's direction. */
  private words(inlines: readonly Inline[], style: TextStyle): { words: Array<Word | 'break'>; rtl: boolean } {
    const measure = (text: string, face: Face) => this.textWidth(text, face, style);
    const { pieces, isolates } = this.pieces(inlines, style);
    const text = pieces.map((p) => p.text).join('');
    const rtl = paragraphRtl(text, this.o.rtl);
    const leveled = withLevels(pieces, text, isolates, rtl);
    return { words: toWords(leveled, measure), rtl };
  }

  private breakWords(words: ReadonlyArray<Word | 'break'>, style: TextStyle, width: number): Line[] {
    const measure = (text: string, face: Face) => this.textWidth(text, face, style);
    return breakLines(words, {
      width,
      space: measure(' ', 'regular'),
      indent: style.indent,
      measure,
      maxHyphenated: style.hyphenate ? this.o.maxHyphenated : 0,
    });
  }

  /**
   * The paragraph set one line longer, for the page builder to use where
   * that saves a short page or an uneven spread: broken on a narrower
   * measure and justified to the full one. Null when no narrowing gives
   * exactly one line more with spaces no more than a third of an em wider.
   */
  private looser(words: ReadonlyArray<Word | 'break'>, style: TextStyle, width: number, n: number): { lines: Line[]; cost: number } | null {
    const size = style.size;
    const space = this.measure(' ', 'regular', size);
    for (const em of [0.75, 1.5, 2.25, 3]) {
      const lines = this.breakWords(words, style, width - em * size);
      if (lines.length > n + 1) return null;
      if (lines.length < n + 1) continue;
      let worst = 0;
      for (const line of lines) {
        if (line.last) continue;
        const gaps = line.words.slice(1).filter((w) => w.glue !== 'none').length;
        const room = width - line.indent - line.width - gaps * space;
        worst = Math.max(worst, gaps ? room / gaps : room);
      }
      if (worst > size * 0.4) return null;
      const last = lines[lines.length - 1]!;
      // A last line of a syllable or two looks like a mistake, not a paragraph.
      if (last.width < size * 2) return null;
      return { lines, cost: 6 + (worst / size) * 30 };
    }
    return null;
  }

  /** The most a space may give up in a tighter setting: a tenth of an em, and never a third of the space. */
  private shrinkOf(size: number): number {
    return Math.min(size * 0.1, this.measure(' ', 'regular', size) / 3);
  }

  /**
   * The paragraph set one line shorter, for the page builder (the way to
   * pull a paragraph's last line back onto its page): its spaces narrowed
   * by at most a tenth of an em. Null when that does not save a line.
   */
  private tighter(words: ReadonlyArray<Word | 'break'>, style: TextStyle, width: number, n: number): { lines: Line[]; cost: number } | null {
    const size = style.size;
    const max = this.shrinkOf(size);
    const measure = (text: string, face: Face) => this.textWidth(text, face, style);
    for (const k of [0.5, 1]) {
      const lines = breakLines(words, { width, space: measure(' ', 'regular'), indent: style.indent, measure, maxHyphenated: style.hyphenate ? this.o.maxHyphenated : 0, shrink: max * k });
      if (lines.length > n - 1) continue;
      if (lines.length < n - 1) return null;
      const space = this.measure(' ', 'regular', size);
      let worst = 0;
      for (const line of lines) {
        const gaps = line.words.slice(1).filter((w) => w.glue !== 'none').length;
        const over = line.indent + line.width + gaps * space - width;
        // The last line is set as it is, unshrunk: it must fit.
        if (line.last && over > 0.01) return null;
        if (!line.last && over > 0) worst = Math.max(worst, over / Math.max(1, gaps));
      }
      return { lines, cost: 8 + (worst / size) * 60 };
    }
    return null;
  }


  /**
   * Set a paragraph, tagged as `tag` under `parent`: one box per line for
   * the page builder, the first line kept with the second and the
   * second-last with the last (no orphans, no widows).
   */
  paragraph(inlines: readonly Inline[], style: TextStyle, parent: StructElement, tag = 'P', inset = 0): void {
    const width = this.width - inset;
    const { words, rtl } = this.words(inlines, style);
    const lines = this.breakWords(words, style, width);
    if (!lines.length || (lines.length === 1 && !lines[0]!.words.length)) return;
    const el = this.doc.struct(tag);
    parent.add(el);
    const mark: Mark = { el, tag };
    // A page that starts inside the paragraph starts as many characters into it as its lines before hold.
    const base = this.here();
    const boxes = (set: Line[]): SetBox[] => {
      let before = base.offset;
      return set.map((line, k) => {
        const at = { ...base, offset: before };
        before += lineChars(line);
        return {
          kind: 'box',
          height: style.leading,
          grid: !!style.grid,
          keep: (k === 0 && set.length > 1) || k === set.length - 2,
          hyphen: !!line.words.at(-1)?.hyphenated,
          mark,
          at,
          draw: () => this.drawLine(line, style, this.insetLeft(inset), width, rtl),
        };
      });
    };
    const set = boxes(lines);
    const n = lines.length;
    // Justified prose of a few lines or more may be set a line looser, if the page builder needs it.
    if (n >= 2 && style.align === 'justify' && !inlines.some((x) => x.type === 'lineBreak')) {
      // Set only when the page builder asks (a page it cannot set well as it comes), then kept.
      let alts: Alternative[] | undefined;
      set[0]!.alternatives = () =>
        (alts ??= [this.looser(words, style, width, n), this.tighter(words, style, width, n)].filter((a) => a !== null).map((a) => ({ count: n, boxes: boxes(a.lines), cost: a.cost })));
    }
    for (const b of set) this.push(b);
    this.space(style.paragraphGap);
  }

  // ---- The flow: what is set is collected as boxes, cut into pages (flow.ts), then drawn. ----

  private items: SetItem[] | null = null;
  /** The page being drawn on (a reserved page when the contents are filled in), else the last one. */
  private drawing = -1;

  /** The page the next thing is drawn on. */
  get current(): number {
    return this.drawing >= 0 ? this.drawing : this.pageIndex;
  }

  /** Add a box to the flow being collected. */
  box(b: Omit<SetBox, 'kind'>): SetBox {
    const box: SetBox = { kind: 'box', ...b };
    this.push(box);
    return box;
  }

  /** Add space to the flow being collected (spaces in a row count once, the largest). */
  space(height: number): void {
    if (!this.items || height <= 0) return;
    const last = this.items[this.items.length - 1];
    if (last?.kind === 'space') last.height = Math.max(last.height, height);
    else this.push({ kind: 'space', height });
  }

  /** The flow being set page by page (see `flow`): its page builder, and how many of its pages are drawn. */
  private stream: { paginator: Paginator<SetBox>; drawn: number; next: () => void } | null = null;

  private push(item: SetItem): void {
    if (!this.items) throw new Error('Setter: box outside a flow');
    if (item.kind === 'box' && !item.at) item.at = this.here();
    this.items.push(item);
    // A long flow is cut and drawn as it is set, a few pages ahead of the page builder.
    if (this.stream && this.items.length >= 128) this.feed(false);
  }

  /** Hand what is collected to the flow's page builder and draw the pages it can decide. */
  private feed(final: boolean): void {
    const st = this.stream!;
    st.paginator.push(this.items as Array<SetBox | FlowSpace>);
    this.items = [];
    const pages = st.paginator.take(final);
    this.drawPages(pages, () => st.next(), st.drawn);
    st.drawn += pages.length;
  }

  /** Collect what `fn` sets as a flow, without drawing it. */
  collect(fn: () => void): SetItem[] {
    const outer = this.items;
    const stream = this.stream;
    const items: SetItem[] = [];
    this.items = items;
    this.stream = null;
    try {
      fn();
    } finally {
      this.items = outer;
      this.stream = stream;
    }
    return items;
  }

  private frame(start: number, firstVerso: boolean): FlowFrame {
    return { start, top: this.geo.margins.top, bottom: this.bottom, grid: this.o.grid, firstVerso, spreads: this.geo.print };
  }

  /** Cut collected items into pages, starting at `start` on the current page (or on a page of that side). */
  paginate(items: readonly SetItem[], start: number, firstVerso = this.isVerso(this.pageIndex)): FlowPage<SetBox>[] {
    return paginate(items as Array<SetBox | FlowSpace>, this.frame(start, firstVerso));
  }

  /**
   * Set what `fn` collects from `start` (default: the current position) on
   * the current page, continuing on new pages of the same section as needed
   * (or on pages like `continued`). Pages are drawn as soon as the page
   * builder can decide them, so a long chapter is never held whole.
   */
  flow(fn: () => void, start = this.doc.y, continued?: PageInfo): void {
    if (this.stream || this.items) throw new Error('Setter: a flow inside a flow');
    this.items = [];
    this.stream = {
      paginator: new Paginator<SetBox>(this.frame(start, this.isVerso(this.pageIndex))),
      drawn: 0,
      next: () => (continued ? this.newPage(continued) : this.continuePage()),
    };
    try {
      fn();
      this.feed(true);
    } finally {
      this.items = null;
      this.stream = null;
    }
    this.doc.y = this.lastDepth;
  }

  private lastDepth = 0;

  /**
   * Draw paginated items: `next` moves to each page after the flow's first
   * (`drawn` pages of the flow are drawn already). Each box is drawn at its
   * place, inside the marked content of its structure element (one marked
   * sequence per element per page) or as an artifact.
   */
  drawPages(pages: readonly FlowPage<SetBox>[], next: (k: number) => void, drawn = 0): void {
    const doc = this.doc;
    pages.forEach((page, i) => {
      const k = drawn + i;
      if (k > 0) next(k);
      // The page (and any blank page before it) starts where its own first box does.
      const first = page.placements.find((p) => !p.repeated)?.box.at;
      if (first) this.place(first);
      this.lastDepth = page.depth;
      if (this.dry) return;
      let open: Mark | undefined;
      let content: PDFKit.PDFStructureContent | undefined;
      const close = () => {
        if (!open) return;
        doc.endMarkedContent();
        if ('el' in open) open.el.add(content!);
        open = undefined;
        content = undefined;
      };
      page.placements.forEach((p, j) => {
        const it = p.box;
        const mark: Mark | undefined = p.repeated && it.mark ? { artifact: 'Pagination' } : it.mark;
        if (open !== mark && !(open && mark && 'artifact' in open && 'artifact' in mark && open.artifact === mark.artifact)) {
          close();
          if (mark) {
            if ('el' in mark) content = doc.markStructureContent(mark.tag);
            else doc.markContent('Artifact', { type: mark.artifact });
            open = mark;
          }
        }
        doc.y = p.top;
        it.draw(p.top, p.height, { first: j === 0, last: j === page.placements.length - 1, repeated: !!p.repeated });
      });
      close();
    });
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
    this.compoundHyphen(line).forEach((word: Word, wi) => {
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
   * The line's words, its last one's hyphen drawn as U+2010 HYPHEN when the
   * line ends at the hyphen of a compound (`usually-|stoic`): text
   * extraction (pdftotext, search, screen readers) takes a line-end U+002D
   * for a word broken by hyphenation and joins the halves, losing the
   * hyphen and both words; U+2010 it keeps.
   */
  private compoundHyphen(line: Line): readonly Word[] {
    const word = line.words.at(-1);
    const piece = word?.pieces.at(-1);
    if (line.last || !word || !piece || word.hyphenated || !piece.text.includes('-') || !/\p{L}-$/u.test(piece.text.replaceAll(SHY, ''))) return line.words;
    if (this.o.fontRuns('\u2010', piece.face, this.o.lang)[0]?.face !== piece.face) return line.words;
    const pieces = [...word.pieces.slice(0, -1), { ...piece, text: piece.text.replace(/-(\u00ad*)$/, '\u2010$1') }];
    return [...line.words.slice(0, -1), { ...word, pieces }];
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
    // A line of a tighter setting (see `tighter`) is a little over the measure: its spaces give it back.
    if (room < 0 && spaces > 0 && -room / spaces <= this.shrinkOf(size) + 0.01) return { space: room / spaces, none: 0 };
    if (room <= 0 || spaces + others === 0) return { space: 0, none: 0 };
    const even = room / (spaces + others);
    const charCap = this.o.maxCharStretchEm * size;
    if (even <= charCap || spaces === 0) return even <= charCap ? { space: even, none: even } : { space: 0, none: 0 };
    const perSpace = (room - others * charCap) / spaces;
    return perSpace <= this.o.maxStretchEm * size ? { space: perSpace, none: charCap } : { space: 0, none: 0 };
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

  /**
   * A heading or display line set apart: its lines kept together and, with
   * `keep`, with what follows; `id` names the place (a link target). On the
   * grid (a heading in body text) it takes whole lines, its text at their foot.
   */
  heading(text: string | readonly Inline[], style: TextStyle, parent: StructElement, tag: string, keep = true, id?: string): void {
    const w = this.width;
    const { lines, rtl } = this.layout(typeof text === 'string' ? [{ type: 'text', value: text }] : text, style, w);
    if (!lines.length) return;
    const el = this.doc.struct(tag);
    parent.add(el);
    const mark: Mark = { el, tag };
    const at = () => this.left;
    // The named destination is made where the heading lands, on its page.
    const named = (draw: (top: number) => void) => (top: number) => {
      if (id) this.doc.addNamedDestination(id, 'XYZ', null, this.doc.page.height - top, null);
      draw(top);
    };
    if (style.grid) {
      const pitch = this.o.grid;
      const natural = lines.length * style.leading;
      const height = Math.max(1, Math.ceil(natural / pitch - 0.05)) * pitch;
      this.box({
        height,
        grid: true,
        keep,
        mark,
        draw: named((top) => {
          // The last line's baseline on the last grid line the heading takes.
          this.doc.y = top + height - natural;
          for (const line of lines) this.drawLine(line, style, at(), w, rtl);
        }),
      });
    } else {
      lines.forEach((line, k) =>
        this.box({ height: style.leading, keep: keep || k < lines.length - 1, mark, draw: (k === 0 ? named : (d: (top: number) => void) => d)(() => this.drawLine(line, style, at(), w, rtl)) }),
      );
    }
    this.space(style.paragraphGap);
  }

  /**
   * A scene break: two lines of the grid with the ornament drawn in their
   * optical middle — its ink as far from the descenders of the line above
   * as from the ascenders of the line below — so the text after it stays on
   * the grid. At the foot of a page it may take the one line left there.
   * The ornament is decoration (an artifact); the break is the space.
   */
  private sceneBreak(style: TextStyle, parent: StructElement, inset: number): void {
    const pitch = style.grid ? this.o.grid : style.leading;
    const lines = this.o.sceneBreakLines;
    const el = this.doc.struct('Div');
    parent.add(el);
    const ornament = { ...style, align: 'center' as const, indent: 0, hyphenate: false };
    this.box({
      height: lines * pitch,
      grid: !!style.grid,
      ...(style.grid ? { minHeight: pitch } : {}),
      mark: { artifact: 'Layout' },
      draw: (top, height) => {
        const size = style.size;
        const a = this.ascent(size);
        const below = this.ink('p', 'regular', size).bottom; // the line above: how far its descenders reach
        const above = this.ink('dh', 'regular', size).top; // the line below: how high its ascenders reach
        const mark = this.ink(this.o.sceneBreakMark, 'regular', size);
        const inkBottomAbove = top - pitch + a - below;
        const inkTopBelow = top + height + a - above;
        const baseline = (inkBottomAbove + inkTopBelow) / 2 + (mark.top + mark.bottom) / 2;
        this.singleLine(this.o.sceneBreakMark, ornament, this.insetLeft(inset), baseline - a, this.width - inset);
      },
    });
  }

  /** The ink of a text set in a face: how far above (`top`) and below (`bottom`, negative when below) the baseline it reaches, in points. */
  private ink(text: string, face: Face, size: number): { top: number; bottom: number } {
    this.doc.font(face).fontSize(size);
    return inkExtent(this.doc, text, size);
  }

  /**
   * Preformatted text keeps its lines and indentation: each line set in the
   * fixed-width face with every space kept; a line longer than the measure
   * continues on the next, broken at a space near the end when there is one.
   */
  setCode(text: string, style: TextStyle, parent: StructElement, inset: number): void {
    const el = this.doc.struct('Div');
    parent.add(el);
    this.space(style.leading * 0.3);
    const codeStyle: TextStyle = { ...style, size: style.size * 0.88, leading: style.leading * 0.92, align: 'left', indent: 0, face: 'mono', hyphenate: false, paragraphGap: 0, grid: false };
    const perLine = Math.max(8, Math.floor((this.width - inset) / Math.max(0.1, this.measure('0', 'mono', codeStyle.size))));
    const lines = text.split('\n');
    // A page that starts inside the block starts at one of its lines (or pieces of a long one), this many characters in.
    let before = 0;
    const count = (t: string) => [...t].filter(countable).length;
    lines.forEach((line) => {
      this.offsetAt(before);
      before += count(line);
      if (!line.trim()) {
        // A blank line of the text keeps its place (not a space a page top would drop).
        this.box({ height: codeStyle.leading, draw: () => undefined });
        return;
      }
      let rest = line;
      while (rest.length) {
        let cut = rest.length <= perLine ? rest.length : rest.lastIndexOf(' ', perLine);
        if (cut < perLine * 0.6) cut = Math.min(rest.length, perLine);
        const piece = rest.slice(0, cut);
        this.offsetAt(before - count(rest));
        // The space a long line is broken at goes with the break, as in wrapped text.
        rest = rest.slice(cut + (rest[cut] === ' ' && cut < rest.length ? 1 : 0));
        this.paragraph([{ type: 'text', value: piece.replace(/ /g, '\u00a0') }], codeStyle, el, 'P', inset);
      }
    });
    this.space(style.leading * 0.3);
  }

  /**
   * Model blocks in order, with first-line indents except after headings,
   * breaks and at the start. Set lines (a letter, verse: a paragraph with
   * line breaks of its own) stand apart, a line of space around them and
   * no indent. `path` is where these blocks sit in their flow (a
   * blockquote's or a list item's, see page-map.ts).
   */
  blocks(blocks: readonly Block[], style: TextStyle, parent: StructElement, inset = 0, path: readonly number[] = []): void {
    let indentNext = false;
    const line = style.grid ? this.o.grid : style.leading;
    for (const [index, b] of blocks.entries()) {
      this.where.path = [...path, index];
      this.where.offset = 0;
      switch (b.type) {
        case 'paragraph': {
          const setLines = b.children.some((n) => n.type === 'lineBreak');
          if (setLines) {
            if (indentNext) this.space(line);
            this.paragraph(b.children, { ...style, indent: 0, ...(b.align ? { align: b.align } : {}) }, parent, 'P', inset);
            this.space(line);
          } else this.paragraph(b.children, { ...style, indent: indentNext && !b.align ? style.indent : 0, ...(b.align ? { align: b.align } : {}) }, parent, 'P', inset);
          indentNext = !b.align;
          break;
        }
        case 'table':
          setTable(this, b.rows, style, parent, inset);
          indentNext = false;
          break;
        case 'image': {
          const maxH = (this.bottom - this.geo.margins.top) * 0.6;
          let h = maxH;
          const src = b.data ? Buffer.from(b.data) : b.src;
          try {
            const img = (this.doc as unknown as { openImage(src: string | Buffer): { width: number; height: number } }).openImage(src);
            h = Math.min(maxH, (img.height / img.width) * (this.width - inset));
          } catch {
            // An unreadable image is left out; the reader checked it exists.
            break;
          }
          const fig = this.doc.struct('Figure', { alt: b.alt || 'image' });
          parent.add(fig);
          this.space(style.leading * 0.5);
          this.box({
            height: h,
            mark: { el: fig, tag: 'Figure' },
            draw: (top) => {
              this.doc.image(src, this.insetLeft(inset), top, { fit: [this.width - inset, h], align: 'center' });
            },
          });
          this.space(style.leading * 0.5);
          indentNext = false;
          break;
        }
        case 'sceneBreak':
          this.sceneBreak(style, parent, inset);
          indentNext = false;
          break;
        case 'blockquote': {
          const el = this.doc.struct('BlockQuote');
          parent.add(el);
          // On the grid: a line of space around it, its paragraphs indented like the body's.
          this.space(style.grid ? line : style.leading * 0.4);
          this.blocks(b.children, { ...style, align: 'left', paragraphGap: style.grid ? 0 : style.leading * 0.3 }, el, inset + this.o.blockquoteInset, [...path, index]);
          this.space(style.grid ? line : style.leading * 0.4);
          indentNext = false;
          break;
        }
        case 'heading': {
          this.space(style.leading * 0.6);
          const level = Math.min(6, 1 + Math.max(1, b.level));
          this.heading(
            b.children,
            { ...style, size: this.o.headingSize, leading: this.o.headingSize * 1.3, align: 'center', indent: 0, face: 'bold', hyphenate: false, paragraphGap: style.leading * 0.4 },
            parent,
            `H${level}`,
            true,
            b.id,
          );
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
            // A page that starts at the marker starts at the item's first block.
            this.where.path = [...path, index, k, 0];
            this.where.offset = 0;
            // The marker on the start side (the left, or the right in a right-to-left work), level with the item's first line.
            this.box({
              height: 0,
              grid: !!style.grid,
              keep: true,
              mark: { artifact: 'Layout' },
              draw: (top) => {
                this.singleLine(marker, { ...style, align: this.o.rtl ? 'right' : 'left', indent: 0, hyphenate: false }, this.insetLeft(inset), top, this.width - inset);
              },
            });
            this.blocks(item, { ...style, align: 'left', indent: 0 }, li, inset + style.size * 1.6, [...path, index, k]);
          });
          indentNext = false;
          break;
        }
        default:
          assertNever(b);
      }
    }
  }
}

/** The characters of a set line that a page offset counts (the hyphen added where a word was broken is not the text's). */
function lineChars(line: Line): number {
  let n = line.words.reduce((sum, w) => sum + (w.hyphenated ? -1 : 0), 0);
  for (const w of line.words) for (const p of w.pieces) for (const ch of p.text) if (countable(ch)) n++;
  return n;
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
