/**
 * The page builder: a vertical list of boxes and spaces (TeX's model, much
 * reduced) cut into pages. Pure arithmetic over heights — nothing is drawn
 * here — so a break can be tried, taken back and tried elsewhere for free.
 *
 * The rules, in the order they weigh:
 * - a box marked `keep` is never left at the foot of a page (headings stay
 *   with what follows; a paragraph's first and last lines stay with their
 *   neighbours, so no widows or orphans);
 * - boxes on the baseline grid start on it (lines of body text on every page
 *   sit at the same heights, whatever display matter came before them);
 * - in print, the two pages of a spread end at the same depth;
 * - a page should not run short (each missing line costs more than the last);
 * - a page should not end in a hyphen where the reader turns the leaf.
 * To meet them the builder may set one paragraph of a page a line longer or
 * shorter (its `alternatives`, as TeX's \looseness does), and a box that
 * may shrink (a scene break) takes what is left at the foot of a page. A chain of keeps
 * taller than a page is broken where it overflows.
 *
 * How pages come to be (for anything that needs to know where a page starts,
 * such as a print page list):
 * - `Setter.flow` (typeset.ts) opens a flow; what it sets becomes boxes
 *   (`Setter.box`): one per line of a paragraph (`Setter.paragraph`), per
 *   heading on the grid (`heading`), per scene break, per table row
 *   (table.ts), per contents entry (contents.ts), with `FlowSpace`s between.
 * - Every 128 items the Setter hands them to a `Paginator` (`push`), and
 *   `take` returns the pages it can decide: only pages that have three pages'
 *   height of text after them, so a page is known about three pages after its
 *   text was set (a chapter is never held whole). `take(true)` at the end of
 *   the flow returns the rest.
 * - A page is a `FlowPage`: its `placements` top to bottom. A page starts at
 *   its first placement (`placements[0].box`); `Setter.drawPages` opens the
 *   page (`next(k)` for every page of the flow after its first, which starts
 *   on the page already open) and draws the boxes in order. That is the one
 *   place where a box meets its page number (`Setter.current`).
 * - A placement marked `repeated` is a table's header row set again at the
 *   top of a page: not where the page's own text begins (take the first
 *   placement that is not repeated).
 * - The builder may replace a paragraph's boxes with another setting (its
 *   `alternatives`, a line more or fewer), so box counts before paginating are
 *   not positions: a source position belongs on the box itself. Each
 *   `SetBox` carries one (`at`, typeset.ts: the section, flow, block path
 *   and character offset of the text it begins, taken where the box is made
 *   — every setting of a paragraph is made from the same words, so each of
 *   its lines says how far into the paragraph it starts), and `drawPages`
 *   places each page at its first box that is not repeated: the EPUB's page
 *   list (page-map.ts).
 */

export interface FlowBox {
  kind: 'box';
  height: number;
  /** Its top sits on the baseline grid (rounded down the page to the next grid line). */
  grid?: boolean;
  /** Never break the page after this box. */
  keep?: boolean;
  /** A break after this box leaves a hyphenated word across it (avoided where the leaf turns). */
  hyphen?: boolean;
  /** At the foot of a page the box may shrink to this height, in whole grid lines (a scene break). */
  minHeight?: number;
  /** A box set again at the top of every page this one starts (a table's header row). */
  repeat?: FlowBox;
  /**
   * This box starts a paragraph of `count` boxes that can also be set as
   * `boxes` (a line longer or shorter), at `cost` (how much looser or
   * tighter its spacing gets). Asked for only where a page cannot be set
   * well as it comes.
   */
  alternatives?: () => readonly Alternative[];
}

/** Space between boxes, dropped at the top of a page the flow continues on; spaces in a row count once, the largest. */
export interface FlowSpace {
  kind: 'space';
  height: number;
}

export type FlowItem = FlowBox | FlowSpace;

/** Another setting of a paragraph: its boxes in place of the `count` the flow has. */
export interface Alternative {
  count: number;
  boxes: FlowBox[];
  cost: number;
}

export interface FlowFrame {
  /** Where the flow starts on its first page. */
  start: number;
  /** Top of the text block on the pages it continues on; the baseline grid starts here on every page. */
  top: number;
  /** Bottom of the text block. */
  bottom: number;
  /** Grid pitch (the body's leading). */
  grid: number;
  /** The flow's first page is a left-hand one. */
  firstVerso: boolean;
  /** Pages face each other (print): balance spreads. */
  spreads: boolean;
}

export interface Placement<B extends FlowBox = FlowBox> {
  box: B;
  top: number;
  height: number;
  /** A repeated box (a table header again at the top of a page). */
  repeated?: boolean;
}

export interface FlowPage<B extends FlowBox = FlowBox> {
  placements: Placement<B>[];
  /** Bottom of the last box. */
  depth: number;
}

const EPS = 0.01;
/** Costs of a page ending, in one currency. */
const COST = {
  /** A spread whose pages differ in depth, per line. */
  mismatch: 100,
  /** A page left short: this times the square of the lines it lacks (one line short is common, four is a hole). */
  short: 10,
  /** A page ending in a hyphen where the leaf turns. */
  turn: 30,
  /** A page broken inside a chain of keeps (nothing else would do). */
  forced: 1000,
};
/** How many breaks above the fullest one are worth trying on a page. */
const TRIES = 6;

/** The list being paginated, read through any paragraph set another way for a try. */
interface Seq {
  length: number;
  at(i: number): FlowItem;
}

const seqOf = (items: readonly FlowItem[]): Seq => ({ length: items.length, at: (i) => items[i]! });

/** `seq` with the paragraph starting at `a` set another way. */
function resetting(seq: Seq, a: number, alt: Alternative): Seq {
  const { count, boxes } = alt;
  const extra = boxes.length - count;
  return {
    length: seq.length + extra,
    at: (i) => (i < a ? seq.at(i) : i < a + boxes.length ? boxes[i - a]! : seq.at(i - extra)),
  };
}

interface Candidate {
  /** Index of the first item of the next page. */
  next: number;
  /** The page's boxes: the first `count` of the walk the candidates of one page share. */
  placed: Walk;
  count: number;
  depth: number;
  cost: number;
}

/** Boxes placed down a page as a walk tries it, kept as plain arrays (a search makes many walks). */
interface Walk {
  boxes: FlowBox[];
  tops: number[];
  heights: number[];
  /** How many boxes at its head are set again (a repeated header). */
  repeated: number;
}

function place(w: Walk, box: FlowBox, top: number, height: number): void {
  w.boxes.push(box);
  w.tops.push(top);
  w.heights.push(height);
}

/** Round `y` down the page to the grid. */
function snap(y: number, f: FlowFrame): number {
  if (y <= f.top + EPS) return Math.max(y, f.top);
  const k = Math.ceil((y - f.top) / f.grid - 1e-6);
  return f.top + k * f.grid;
}

/**
 * Every way of ending one page that starts with item `start` at `y0`: the
 * fullest legal break and the few before it, each with its cost. `continued`
 * is true on pages after the flow's first (leading spaces dropped, repeated
 * boxes set again); `turn` is true when the page's foot is a leaf's turn.
 * The sequence ends with a box (paginate adds one), so its last index is the end.
 */
function candidates(seq: Seq, start: number, y0: number, f: FlowFrame, continued: boolean, turn: boolean): Candidate[] {
  const out: Candidate[] = [];
  const placed: Walk = { boxes: [], tops: [], heights: [], repeated: 0 };
  const end = seq.length - 1;
  let y = y0;
  let i = start;
  if (continued) {
    while (i < seq.length && seq.at(i).kind === 'space') i++;
    const first = seq.at(i);
    if (first && first.kind === 'box' && first.repeat) {
      const r = first.repeat;
      const top = r.grid ? snap(y, f) : y;
      place(placed, r, top, r.height);
      placed.repeated = 1;
      y = top + r.height;
    }
  }
  const own = placed.boxes.length;
  let pendingSpace = 0;
  for (; i < seq.length; i++) {
    const it = seq.at(i);
    if (it.kind === 'space') {
      pendingSpace = Math.max(pendingSpace, it.height);
      continue;
    }
    let top = y + (placed.boxes.length > own || !continued ? pendingSpace : 0);
    if (it.grid) top = snap(top, f);
    if (top + it.height > f.bottom + EPS) {
      // A box that may shrink at the foot of a page takes the whole lines left there.
      const room = Math.floor((f.bottom - top + EPS) / f.grid) * f.grid;
      if (it.minHeight !== undefined && room >= it.minHeight - EPS) {
        place(placed, it, top, room);
        out.push({ next: i + 1, placed, count: placed.boxes.length, depth: top + room, cost: 0 });
      }
      break;
    }
    place(placed, it, top, it.height);
    y = top + it.height;
    pendingSpace = 0;
    if (i >= end) {
      out.push({ next: seq.length, placed, count: placed.boxes.length, depth: y, cost: 0 });
      return out.slice(-TRIES);
    }
    if (!it.keep) {
      out.push({ next: i + 1, placed, count: placed.boxes.length, depth: y, cost: it.hyphen && turn ? COST.turn : 0 });
      if (out.length > 2 * TRIES) out.splice(0, TRIES);
    }
  }
  if (!out.length) {
    // Nothing may break here: break where it overflows (or, when not even one box fits, set it anyway).
    if (placed.boxes.length === own) {
      const it = seq.at(i) as FlowBox;
      const top = it.grid ? snap(y + pendingSpace, f) : y + pendingSpace;
      place(placed, it, top, it.height);
      return [{ next: i + 1, placed, count: placed.boxes.length, depth: top + it.height, cost: COST.forced }];
    }
    return [{ next: i, placed, count: placed.boxes.length, depth: y, cost: COST.forced }];
  }
  return out.slice(-TRIES);
}

/** What a page running short of its frame costs. */
function shortCost(c: Candidate, f: FlowFrame): number {
  const lines = Math.max(0, Math.round((f.bottom - c.depth) / f.grid - 0.25));
  return lines * lines * COST.short;
}

/** A way to set a page: the sequence (perhaps with one paragraph set another way), what that costs, and its breaks. */
interface Variant {
  seq: Seq;
  cost: number;
  breaks: Candidate[];
}

/**
 * The ways to set one page: as it comes, or with one of its paragraphs a
 * line longer or shorter — the cheapest ones ending above the foot, and the
 * one the foot falls in (which changes where the page may break).
 */
function variants(seq: Seq, start: number, y0: number, f: FlowFrame, continued: boolean, turn: boolean, other: boolean): Variant[] {
  const breaks = candidates(seq, start, y0, f, continued, turn);
  const out: Variant[] = [{ seq, cost: 0, breaks }];
  const fullest = breaks[breaks.length - 1]!;
  if (!other || fullest.next >= seq.length) return out;
  // Of the paragraphs wholly on the page, the cheapest to set a line longer and the cheapest to set a
  // line shorter; and every other setting of the paragraph the foot falls in.
  const tries: Array<[number, Alternative]> = [];
  let longer: [number, Alternative] | undefined;
  let shorter: [number, Alternative] | undefined;
  for (let i = start; i < fullest.next; i++) {
    const it = seq.at(i);
    const alts = it.kind === 'box' ? it.alternatives?.() : undefined;
    if (!alts?.length) continue;
    const count = alts[0]!.count;
    for (const alt of alts) {
      if (i + count > fullest.next) tries.push([i, alt]);
      else if (alt.boxes.length > count) {
        if (!longer || alt.cost < longer[1].cost) longer = [i, alt];
      } else if (!shorter || alt.cost < shorter[1].cost) shorter = [i, alt];
    }
  }
  if (longer) tries.push(longer);
  if (shorter) tries.push(shorter);
  for (const [a, alt] of tries) {
    const s = resetting(seq, a, alt);
    out.push({ seq: s, cost: alt.cost, breaks: candidates(s, start, y0, f, continued, turn) });
  }
  return out;
}

/**
 * Cut a flow into pages. Each page takes the cheapest of its last few legal
 * breaks (with one paragraph set a line longer or shorter, when that helps);
 * in print, a left-hand page and the right-hand page facing it are chosen
 * together, so that they end level.
 */
export function paginate<B extends FlowBox>(items: ReadonlyArray<B | FlowSpace>, f: FlowFrame): FlowPage<B>[] {
  const p = new Paginator<B>(f);
  p.push(items);
  return p.take(true);
}

/**
 * The page builder fed as a flow is set: pages are decided as soon as
 * enough follows them that nothing after could change the choice (the
 * spread in hand and a page beyond), so a chapter of any length is held a
 * few pages at a time, never whole.
 */
export class Paginator<B extends FlowBox> {
  private readonly f: FlowFrame;
  /** Items not yet on a page, from `at`. */
  private work: FlowItem[] = [];
  private at = 0;
  /** Total height of the items from `at`. */
  private ahead = 0;
  private pages = 0;
  private verso: boolean;
  /** The flow ends with a box of no height: where it lands is the end. */
  private readonly closing: FlowBox = { kind: 'box', height: 0 };
  private closed = false;

  constructor(f: FlowFrame) {
    this.f = f;
    this.verso = f.firstVerso;
  }

  push(items: ReadonlyArray<B | FlowSpace>): void {
    for (const it of items) {
      this.work.push(it);
      this.ahead += it.height;
    }
  }

  /** The pages that can be decided now; with `final` (the flow is complete), every page left. */
  take(final: boolean): FlowPage<B>[] {
    const f = this.f;
    const out: FlowPage[] = [];
    if (final && !this.closed) {
      this.work.push(this.closing);
      this.closed = true;
    }
    // Enough to decide a spread: a page holds at most its height of boxes, so three pages' worth (and a
    // few lines a resetting may add) reach past the foot of both pages of the spread.
    const need = 3 * (f.bottom - f.top) + 4 * f.grid;
    while (this.at < this.work.length) {
      if (!final && this.ahead < need) break;
      const seq = seqOf(this.work);
      const at = this.at;
      const first = this.pages === 0;
      const y0 = first ? f.start : f.top;
      if (f.spreads && this.verso) {
        // A left-hand page and the right-hand page facing it, chosen together; their paragraphs set
        // another way only when the spread cannot be set full and level as it comes.
        const spread = (other: boolean) => {
          let best: { vs: Variant; v: Candidate; rs?: Variant; r?: Candidate; score: number } | undefined;
          for (const vs of variants(seq, at, y0, f, !first, false, other)) {
            for (const v of vs.breaks) {
              if (v.next >= vs.seq.length) {
                const score = vs.cost + v.cost;
                if (!best || score < best.score - 1e-9) best = { vs, v, score };
                continue;
              }
              for (const rs of variants(vs.seq, v.next, f.top, f, true, true, other)) {
                for (const r of rs.breaks) {
                  const last = r.next >= rs.seq.length;
                  const mismatch = last ? 0 : Math.abs(Math.round((v.depth - r.depth) / f.grid));
                  const score = vs.cost + rs.cost + v.cost + r.cost + mismatch * COST.mismatch + shortCost(v, f) + (last ? 0 : shortCost(r, f));
                  if (!best || score < best.score - 1e-9) best = { vs, v, rs, r, score };
                }
              }
            }
          }
          return best!;
        };
        let b = spread(false);
        if (b.score > 0) {
          const again = spread(true);
          if (again.score < b.score - 1e-9) b = again;
        }
        out.push(page(b.v));
        this.pages++;
        if (b.rs && b.r) {
          out.push(page(b.r));
          this.pages++;
          this.commit(seq, b.rs.seq, b.r.next);
        } else {
          this.commit(seq, b.vs.seq, b.v.next);
          this.verso = !this.verso;
        }
        continue;
      }
      const single = (other: boolean) => {
        let best: { s: Variant; c: Candidate; score: number } | undefined;
        for (const s of variants(seq, at, y0, f, !first, true, other)) {
          for (const c of s.breaks) {
            const score = s.cost + c.cost + (c.next >= s.seq.length ? 0 : shortCost(c, f));
            if (!best || score < best.score - 1e-9) best = { s, c, score };
          }
        }
        return best!;
      };
      let best = single(false);
      if (best.score > 0) {
        const again = single(true);
        if (again.score < best.score - 1e-9) best = again;
      }
      out.push(page(best.c));
      this.pages++;
      this.commit(seq, best.s.seq, best.c.next);
      this.verso = !this.verso;
    }
    // The closing box is no one's to draw.
    for (const p of out) p.placements = p.placements.filter((x) => x.box !== this.closing);
    return out as unknown as FlowPage<B>[];
  }

  /** After pages are taken: what is left, as a plain list again (a paragraph set another way written in). */
  private commit(base: Seq, chosen: Seq, next: number): void {
    if (chosen === base && next < 4096) {
      for (let i = this.at; i < next; i++) this.ahead -= this.work[i]!.height;
      this.at = next;
      return;
    }
    this.work = Array.from({ length: chosen.length - next }, (_, k) => chosen.at(next + k));
    this.at = 0;
    this.ahead = this.work.reduce((h, it) => h + it.height, 0);
  }
}

const page = (c: Candidate): FlowPage => {
  const w = c.placed;
  const placements: Placement[] = [];
  for (let k = 0; k < c.count; k++) placements.push({ box: w.boxes[k]!, top: w.tops[k]!, height: w.heights[k]!, ...(k < w.repeated ? { repeated: true } : {}) });
  return { placements, depth: c.depth };
};
