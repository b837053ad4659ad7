import { describe, expect, it } from 'vitest';
import { paginate, type FlowBox, type FlowFrame, type FlowItem } from '../../src/write/pdf/flow.js';
import { breakLines, toWords, type Measure } from '../../src/write/pdf/layout.js';

/** A page of ten lines of 10 points, from 0 to 100. */
const frame = (more: Partial<FlowFrame> = {}): FlowFrame => ({ start: 0, top: 0, bottom: 100, grid: 10, firstVerso: false, spreads: false, ...more });

/** A paragraph of `n` lines, no widows or orphans. */
function para(n: number, name = 'p'): FlowBox[] {
  return Array.from({ length: n }, (_, k) => ({ kind: 'box', height: 10, grid: true, keep: (k === 0 && n > 1) || k === n - 2, name: `${name}${k}` }) as FlowBox);
}

const lines = (pages: ReturnType<typeof paginate>) => pages.map((p) => p.placements.length);

describe('page builder', () => {
  it('fills pages and never leaves an orphan or a widow', () => {
    // 8 lines, then a 4-line paragraph: only 2 of its lines fit, which the rules allow (2 + 2).
    const items: FlowItem[] = [...para(8), ...para(4, 'q')];
    expect(lines(paginate(items, frame()))).toEqual([10, 2]);
    // 9 lines, then a 3-line paragraph (which may not be split at all): it moves whole.
    expect(lines(paginate([...para(9), ...para(3, 'q')], frame()))).toEqual([9, 3]);
  });

  it('puts boxes on the grid after display matter', () => {
    const heading: FlowBox = { kind: 'box', height: 23, keep: true };
    const pages = paginate([heading, { kind: 'space', height: 4 }, ...para(3)], frame());
    expect(pages[0]!.placements.map((p) => p.top)).toEqual([0, 30, 40, 50]);
  });

  it('drops space at the top of a page the flow continues on', () => {
    const pages = paginate([...para(10), { kind: 'space', height: 10 }, ...para(2, 'q')], frame());
    expect(pages[1]!.placements[0]!.top).toBe(0);
  });

  it('lets a scene break shrink to the line left at the foot of a page', () => {
    const brk: FlowBox = { kind: 'box', height: 20, grid: true, minHeight: 10 };
    const pages = paginate([...para(9), brk, ...para(2, 'q')], frame());
    expect(pages[0]!.placements.at(-1)).toMatchObject({ box: brk, top: 90, height: 10 });
    expect(pages[0]!.depth).toBe(100);
  });

  it('sets a table header again at the top of each page it continues on', () => {
    const header: FlowBox = { kind: 'box', height: 10, keep: true };
    const rows: FlowBox[] = Array.from({ length: 14 }, () => ({ kind: 'box', height: 10, repeat: header }));
    const pages = paginate([header, ...rows], frame());
    expect(pages[1]!.placements[0]).toMatchObject({ box: header, repeated: true });
    expect(pages.flatMap((p) => p.placements.filter((x) => !x.repeated)).length).toBe(15);
  });

  it('ends the two pages of a spread level, running both short when one must be', () => {
    // Verso then recto. Greedy: verso 10 lines, recto 9 (a 3-line paragraph would be split).
    const items: FlowItem[] = [...para(10), ...para(6, 'a'), ...para(3, 'b'), ...para(3, 'c'), ...para(4, 'd')];
    const greedy = paginate(items, frame({ firstVerso: true, spreads: false }));
    expect(greedy[0]!.depth).not.toBe(greedy[1]!.depth);
    const pages = paginate(items, frame({ firstVerso: true, spreads: true }));
    expect(pages[0]!.depth).toBe(pages[1]!.depth);
  });

  it('sets a paragraph a line looser when that fills a page', () => {
    // 9 lines, then a 3-line paragraph that cannot be split: the page runs a line short —
    // unless an earlier paragraph takes one line more.
    const first = para(9, 'p');
    first[0]!.alternatives = () => [{ count: 9, boxes: para(10, 'loose'), cost: 5 }];
    const pages = paginate([...first, ...para(3, 'q')], frame());
    expect(pages[0]!.depth).toBe(100);
    expect(pages[0]!.placements.length).toBe(10);
  });

  it('breaks a chain of keeps taller than a page where it overflows', () => {
    const chain: FlowBox[] = Array.from({ length: 25 }, () => ({ kind: 'box', height: 10, keep: true }));
    expect(lines(paginate(chain, frame()))).toEqual([10, 10, 5]);
  });
});

/** Monospace stand-in: every character is 1 point wide. */
const mono: Measure = (text) => [...text.replaceAll('\u00ad', '')].length;
const text = (l: ReturnType<typeof breakLines>) => l.map((x) => x.words.map((w) => w.pieces.map((p) => p.text).join('')).join(' '));

describe('line breaking for print', () => {
  it('never hyphenates the last word of a paragraph', () => {
    const words = toWords([{ text: 'and she shout\u00aded', face: 'regular' }], mono);
    expect(text(breakLines(words, { width: 14, space: 1, indent: 0, measure: mono, maxHyphenated: 2 }))).toEqual(['and she', 'shout\u00aded']);
  });

  it('fits one more word on a line whose spaces may shrink', () => {
    const words = toWords([{ text: 'aaa bbb ccc ddd', face: 'regular' }], mono);
    expect(text(breakLines(words, { width: 14, space: 1, indent: 0, measure: mono, maxHyphenated: 0 }))).toEqual(['aaa bbb ccc', 'ddd']);
    expect(text(breakLines(words, { width: 14, space: 1, indent: 0, measure: mono, maxHyphenated: 0, shrink: 0.4 }))).toEqual(['aaa bbb ccc ddd']);
  });
});
