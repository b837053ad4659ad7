import { describe, expect, it } from 'vitest';
import { foldSheet, impose, type Flip, type Scheme } from '../../src/write/impose/layout.js';
import { cellSize, parsePaper, PRINT_DEFAULTS, spineWidth, textBlockPages } from '../../src/write/impose/print.js';

/** A side of a folded sheet as rows of `page` / `page↓` (upside down), left to right, top to bottom. */
function grid(scheme: Scheme, flip: Flip, side: 'front' | 'back'): string[][] {
  const f = foldSheet(scheme, flip);
  const g: string[][] = Array.from({ length: f.rows }, () => Array<string>(f.cols).fill(''));
  f.pages.forEach((p, i) => {
    if (p.side === side) g[p.slot.row]![p.slot.col] = `${i + 1}${p.slot.upsideDown ? '↓' : ''}`;
  });
  return g;
}

describe('folding a sheet', () => {
  it('folio: page 1 on the right of the outside, page 2 behind it (flip on the short edge)', () => {
    expect(grid('folio', 'short', 'front')).toEqual([['4', '1']]);
    expect(grid('folio', 'short', 'back')).toEqual([['2', '3']]);
    // On the long edge the back of a landscape sheet comes out upside down, so it is printed so.
    expect(grid('folio', 'long', 'back')).toEqual([['3↓', '2↓']]);
  });

  it('quarto and octavo give the classic outer formes, heads meeting at the head fold', () => {
    expect(grid('quarto', 'long', 'front')).toEqual([
      ['5↓', '4↓'],
      ['8', '1'],
    ]);
    // Behind each page (the sheet turned like a book's page, on the long edge of a portrait sheet): its neighbour.
    expect(grid('quarto', 'long', 'back')).toEqual([
      ['3↓', '6↓'],
      ['2', '7'],
    ]);
    expect(grid('octavo', 'short', 'front')).toEqual([
      ['5↓', '12↓', '9↓', '8↓'],
      ['4', '13', '16', '1'],
    ]);
  });

  it('on every scheme and flip, each leaf carries two consecutive pages back to back', () => {
    for (const scheme of ['folio', 'quarto', 'octavo'] as const) {
      for (const flip of ['short', 'long'] as const) {
        const f = foldSheet(scheme, flip);
        expect(f.pages.length).toBe(2 * f.cols * f.rows);
        const seen = new Set(f.pages.map((p) => `${p.side}${p.slot.col},${p.slot.row}`));
        expect(seen.size).toBe(f.pages.length);
        for (let i = 0; i < f.pages.length; i += 2) {
          const [a, b] = [f.pages[i]!, f.pages[i + 1]!];
          expect(a.side).not.toBe(b.side);
          // The same cell seen from the other side: the column mirrors on a vertical flip axis, the row on a horizontal one.
          const mirrorsCols = (flip === 'short') === f.cols > f.rows;
          expect(b.slot.row).toBe(mirrorsCols ? a.slot.row : f.rows - 1 - a.slot.row);
          expect(b.slot.col).toBe(mirrorsCols ? f.cols - 1 - a.slot.col : a.slot.col);
          // A recto's spine and its verso's are the same fold.
          const edge = (p: typeof a) => (p.slot.spine === 'left' ? p.slot.col : p.slot.col + 1);
          expect(mirrorsCols ? f.cols - edge(b) : edge(b)).toBe(edge(a));
        }
      }
    }
  });
});

describe('impose', () => {
  it('nests a 4-sheet folio signature: sheet 1 front 16 | 1, back 2 | 15', () => {
    const im = impose(32, { scheme: 'folio', sheets: 4, flyleaves: 0, flip: 'short' });
    const side = (s: number, which: 'front' | 'back') =>
      [...im.sheets[s]![which]].sort((a, b) => a.slot.col - b.slot.col).map((p) => p.position);
    expect(im.signatures).toEqual([4, 4]);
    expect([side(0, 'front'), side(0, 'back')]).toEqual([
      [16, 1],
      [2, 15],
    ]);
    expect([side(3, 'front'), side(3, 'back')]).toEqual([
      [10, 7],
      [8, 9],
    ]);
    expect([side(4, 'front'), side(4, 'back')]).toEqual([
      [32, 17],
      [18, 31],
    ]);
  });

  it('balances signatures and keeps the blanks under one sheet, all in the last signature', () => {
    for (let pages = 1; pages <= 200; pages++) {
      const im = impose(pages, { scheme: 'folio', sheets: 4, flyleaves: 0, flip: 'short' });
      expect(im.fill).toBeLessThan(4);
      expect(Math.max(...im.signatures) - Math.min(...im.signatures)).toBeLessThanOrEqual(1);
      expect(Math.max(...im.signatures)).toBeLessThanOrEqual(4);
      expect(im.signatures.reduce((a, b) => a + b, 0) * 4).toBe(pages + im.fill);
      const last = im.sheets.filter((s) => s.signature === im.signatures.length);
      const blanks = im.sheets.flatMap((s) => [...s.front, ...s.back]).filter((p) => p.page.kind === 'blank');
      const lastPlaced = new Set(last.flatMap((s) => [...s.front, ...s.back]));
      for (const b of blanks) expect(lastPlaced.has(b)).toBe(true);
      // Every page of the book once.
      const placed = im.sheets.flatMap((s) => [...s.front, ...s.back]).flatMap((p) => (p.page.kind === 'page' ? [p.page.index] : []));
      expect(placed.sort((a, b) => a - b)).toEqual(Array.from({ length: pages }, (_, i) => i));
    }
    // 100 pages: 25 sheets in 7 signatures of 4, 4, 4, 4, 3, 3, 3 (not 6 of 4 and one of 1, nor 12 blanks).
    expect(impose(100, { scheme: 'folio', sheets: 4, flyleaves: 0, flip: 'short' }).signatures).toEqual([4, 4, 4, 4, 3, 3, 3]);
  });

  it('puts flyleaves before and after the book', () => {
    const im = impose(10, { scheme: 'folio', sheets: 4, flyleaves: 1, flip: 'short' });
    // 10 pages and 2 flyleaves (4 pages): 2 blanks fill the fourth sheet, before the last flyleaf.
    expect(im.block.map((p) => (p.kind === 'page' ? 'p' : p.why === 'flyleaf' ? 'f' : 'b')).join('')).toBe('ffppppppppppbbff');
  });
});

describe('print arithmetic', () => {
  it('paper, cells, text block and spine', () => {
    expect(parsePaper('8.5x11in')).toMatchObject({ width: 215.9, height: 279.4 });
    expect(() => parsePaper('huge')).toThrow(/unknown paper/);
    const folio = { ...PRINT_DEFAULTS, imposing: true };
    expect(cellSize(folio)).toEqual({ width: 148.5, height: 210 });
    expect(cellSize({ ...folio, impose: { ...folio.impose, scheme: 'quarto' } })).toEqual({ width: 105, height: 148.5 });
    expect(textBlockPages(61, folio)).toBe(64);
    expect(textBlockPages(61, PRINT_DEFAULTS)).toBe(62);
    expect(spineWidth(200, PRINT_DEFAULTS)).toBeCloseTo(10);
    expect(spineWidth(254, { ...PRINT_DEFAULTS, pagesPerInch: 508 })).toBeCloseTo(12.7);
  });
});
