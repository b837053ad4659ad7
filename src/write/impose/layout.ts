/**
 * Imposition as pure arithmetic: which page of the book goes where on which
 * printer's sheet, the right way up, for folio, quarto and octavo
 * signatures printed duplex. Nothing here touches a PDF.
 *
 * The layouts are not tables copied from anywhere: each is found by folding
 * a sheet of cells in a small simulation (`foldSheet`), so that the page
 * order, the upside-down rows of quarto and octavo and the back of the
 * sheet for either duplex flip all follow from the same folds a binder makes.
 */

export const SCHEMES = ['folio', 'quarto', 'octavo'] as const;
export type Scheme = (typeof SCHEMES)[number];

/** Which edge of the paper the printer turns it over on between the two sides. */
export const FLIPS = ['short', 'long'] as const;
export type Flip = (typeof FLIPS)[number];

/** A fold of the packet in hand: which half is lifted over onto the other. */
type Fold = 'left-over-right' | 'right-over-left' | 'top-over-bottom';

interface SchemeSpec {
  /** Cells across and down one side of the sheet (each cell one page, upright or upside down). */
  cols: number;
  rows: number;
  /** The folds in order; the last one is the spine. */
  folds: Fold[];
  /** How the sheet is folded, for the binder. */
  howToFold: string;
}

/**
 * The three schemes, each sheet folded on its own and then nested into its
 * signature (as bookbinder-js lays them out and its users fold them):
 * folio, once across the middle (2 leaves, 4 pages); quarto, the head fold
 * first and then the spine (4 leaves, 8 pages); octavo, in half, the head
 * fold, then the spine (8 leaves, 16 pages). The heads of the upper row
 * meet at the head fold, to be slit or trimmed open after sewing.
 */
const SPECS: Record<Scheme, SchemeSpec> = {
  folio: { cols: 2, rows: 1, folds: ['left-over-right'], howToFold: 'fold each sheet in half across the middle, page 1 outside' },
  quarto: {
    cols: 2,
    rows: 2,
    folds: ['top-over-bottom', 'left-over-right'],
    howToFold: 'fold each sheet top to bottom, print outside (the upside-down heads meet at the fold), then in half across, page 1 outside',
  },
  octavo: {
    cols: 4,
    rows: 2,
    folds: ['right-over-left', 'top-over-bottom', 'left-over-right'],
    howToFold: 'fold each sheet in half across its width, print outside, then top to bottom (the upside-down heads meet at the fold), then in half again, page 1 outside',
  },
};

/** A 2×2 matrix [a, b, c, d] acting on (x, y) with y pointing down: (a·x + b·y, c·x + d·y). */
type Matrix = readonly [number, number, number, number];
const I: Matrix = [1, 0, 0, 1];
/** Mirror left–right. */
const X: Matrix = [-1, 0, 0, 1];
/** Mirror top–bottom. */
const Y: Matrix = [1, 0, 0, -1];
const mul = (p: Matrix, q: Matrix): Matrix => [p[0] * q[0] + p[1] * q[2], p[0] * q[1] + p[1] * q[3], p[2] * q[0] + p[3] * q[2], p[2] * q[1] + p[3] * q[3]];
/** The inverse of an orthogonal matrix is its transpose. */
const inv = (p: Matrix): Matrix => [p[0], p[2], p[1], p[3]];

/** One page's place on one side of a sheet, as that side is printed (its PDF page). */
export interface Slot {
  /** Column and row of the cell, from the left and from the top of that side. */
  col: number;
  row: number;
  /** The page printed upside down (its head towards the head fold). */
  upsideDown: boolean;
  /** Which edge of the cell the page's spine edge lies on. */
  spine: 'left' | 'right';
}

/** A folded sheet: for each page of it (1-based, in reading order within the sheet), its side and slot. */
export interface SheetFold {
  cols: number;
  rows: number;
  pages: Array<{ side: 'front' | 'back'; slot: Slot }>;
}

/**
 * Fold one sheet of `scheme` and read off where each of its pages lies,
 * with the back of the sheet as a printer turning it over on `flip` prints it.
 * The front is the side with page 1 (the outside of the folded sheet).
 */
export function foldSheet(scheme: Scheme, flip: Flip): SheetFold {
  const spec = SPECS[scheme];
  const { cols: C, rows: R } = spec;
  // The back, as printed: the sheet turned over about a vertical axis (left and right swap) or a
  // horizontal one. On the short edge that is the vertical axis for a landscape sheet, the horizontal for a portrait one.
  const landscape = C > R;
  const F: Matrix = (flip === 'short') === landscape ? X : Y;
  // Each cell, tracked through the folds: place in the packet, layer, which face is up, and the
  // matrix taking directions on its front (as printed) to directions on the table.
  // The sheet starts front face down, so the front ends up outside.
  type Cell = { col: number; row: number; x: number; y: number; z: number; up: 'front' | 'back'; m: Matrix };
  const cells: Cell[] = [];
  for (let row = 0; row < R; row++) for (let col = 0; col < C; col++) cells.push({ col, row, x: C - 1 - col, y: row, z: 0, up: 'back', m: X });
  let W = C;
  let H = R;
  let layers = 1;
  for (const fold of spec.folds) {
    for (const c of cells) {
      if (fold === 'left-over-right') {
        const moves = c.x < W / 2;
        c.x = moves ? W - 1 - c.x - W / 2 : c.x - W / 2;
        if (moves) Object.assign(c, { z: 2 * layers - 1 - c.z, up: c.up === 'front' ? 'back' : 'front', m: mul(X, c.m) });
      } else if (fold === 'right-over-left') {
        const moves = c.x >= W / 2;
        if (moves) Object.assign(c, { x: W - 1 - c.x, z: 2 * layers - 1 - c.z, up: c.up === 'front' ? 'back' : 'front', m: mul(X, c.m) });
      } else {
        const moves = c.y < H / 2;
        c.y = moves ? H - 1 - c.y - H / 2 : c.y - H / 2;
        if (moves) Object.assign(c, { z: 2 * layers - 1 - c.z, up: c.up === 'front' ? 'back' : 'front', m: mul(Y, c.m) });
      }
    }
    if (fold !== 'top-over-bottom') W /= 2;
    else H /= 2;
    layers *= 2;
  }
  // The folded sheet lies spine on the left; its top layer is the first leaf. Each leaf's upper
  // face is a recto, its lower face (seen by turning the leaf about the spine) the verso after it.
  const pages: SheetFold['pages'] = [];
  const byLayer = [...cells].sort((a, b) => b.z - a.z);
  for (const c of byLayer) {
    for (const face of ['upper', 'lower'] as const) {
      const side: 'front' | 'back' = (face === 'upper') === (c.up === 'front') ? 'front' : 'back';
      // Directions on the page as read → directions on the side as printed.
      const view = face === 'upper' ? I : X;
      const onSide = mul(side === 'back' ? inv(F) : I, mul(inv(c.m), inv(view)));
      const upsideDown = onSide[0] === -1 && onSide[3] === -1;
      if (!upsideDown && !(onSide[0] === 1 && onSide[3] === 1)) throw new Error(`imposition: a page of ${scheme} would lie sideways`);
      const col = side === 'back' && F === X ? C - 1 - c.col : c.col;
      const row = side === 'back' && F === Y ? R - 1 - c.row : c.row;
      // A recto's spine is its left edge, a verso's its right; upside down, the other way.
      const recto = face === 'upper';
      pages.push({ side, slot: { col, row, upsideDown, spine: recto !== upsideDown ? 'left' : 'right' } });
    }
  }
  return { cols: C, rows: R, pages };
}

export function schemeSpec(scheme: Scheme): { cols: number; rows: number; pagesPerSheet: number; howToFold: string } {
  const s = SPECS[scheme];
  return { cols: s.cols, rows: s.rows, pagesPerSheet: 2 * s.cols * s.rows, howToFold: s.howToFold };
}

/** What the imposition is asked for (the CLI's `--impose`, `--sheets`, `--flyleaves`, `--flip`). */
export interface ImposeSettings {
  scheme: Scheme;
  /** Sheets per signature, at most; signatures are balanced, so some may have one fewer. */
  sheets: number;
  /** Blank leaves (two pages each) before the book and after it. */
  flyleaves: number;
  flip: Flip;
}

/** A page of the text block: a page of the reading PDF (0-based), or a blank. */
export type BlockPage = { kind: 'page'; index: number } | { kind: 'blank'; why: 'flyleaf' | 'fill' };

export interface PlacedPage {
  page: BlockPage;
  /** 1-based position in the text block. */
  position: number;
  slot: Slot;
}

export interface ImposedSheet {
  /** 1-based signature number, and the sheet's place in it (1 outermost). */
  signature: number;
  sheetInSignature: number;
  sheetsInSignature: number;
  front: PlacedPage[];
  back: PlacedPage[];
}

export interface Imposition {
  scheme: Scheme;
  flip: Flip;
  cols: number;
  rows: number;
  pagesPerSheet: number;
  /** The text block in order: flyleaves, the book's pages, the blanks that fill the last sheet, flyleaves. */
  block: BlockPage[];
  sheets: ImposedSheet[];
  /** Sheets in each signature, in order. */
  signatures: number[];
  /** Blank pages added to fill the last sheet (flyleaves not counted). */
  fill: number;
}

/**
 * Impose a book of `pageCount` pages: flyleaves around it, blanks to fill
 * its last sheet (fewer than one sheet's pages, all in the last signature),
 * and its sheets shared out into signatures of at most `sheets` sheets,
 * balanced so that they differ by one sheet at most, the larger first
 * (bookbinder-js balances its standard signatures the same way) — so a
 * short last signature never wastes a sheet of blanks.
 */
export function impose(pageCount: number, settings: ImposeSettings): Imposition {
  const fold = foldSheet(settings.scheme, settings.flip);
  const perSheet = fold.pages.length;
  const fly: BlockPage[] = Array.from({ length: 2 * settings.flyleaves }, () => ({ kind: 'blank', why: 'flyleaf' }));
  const body: BlockPage[] = Array.from({ length: pageCount }, (_, index) => ({ kind: 'page', index }));
  const used = 2 * fly.length + body.length;
  const sheetCount = Math.max(1, Math.ceil(used / perSheet));
  const fill = sheetCount * perSheet - used;
  const block: BlockPage[] = [...fly, ...body, ...Array.from({ length: fill }, (): BlockPage => ({ kind: 'blank', why: 'fill' })), ...fly];
  const count = Math.ceil(sheetCount / Math.max(1, settings.sheets));
  const base = Math.floor(sheetCount / count);
  const signatures = Array.from({ length: count }, (_, i) => base + (i < sheetCount % count ? 1 : 0));
  const sheets: ImposedSheet[] = [];
  let first = 0;
  signatures.forEach((n, s) => {
    const pages = n * perSheet;
    for (let k = 0; k < n; k++) {
      const sheet: ImposedSheet = { signature: s + 1, sheetInSignature: k + 1, sheetsInSignature: n, front: [], back: [] };
      fold.pages.forEach((p, j) => {
        // Sheet k (0 outermost) holds the k-th run of half a sheet's pages from each end of the signature.
        const half = perSheet / 2;
        const local = j < half ? k * half + j : pages - perSheet + j - k * half;
        const position = first + local;
        const placed: PlacedPage = { page: block[position]!, position: position + 1, slot: p.slot };
        (p.side === 'front' ? sheet.front : sheet.back).push(placed);
      });
      sheets.push(sheet);
    }
    first += pages;
  });
  return { scheme: settings.scheme, flip: settings.flip, cols: fold.cols, rows: fold.rows, pagesPerSheet: perSheet, block, sheets, signatures, fill };
}
