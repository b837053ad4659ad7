import { describe, expect, it } from 'vitest';
import { breakLines, splitWord, toWords, type Measure } from '../../src/write/pdf/layout.js';
import { MM, resolvePageSize, type PagePreset } from '../../src/write/pdf/page.js';
import { hyphenatorFor } from '../../src/write/pdf/hyphenate.js';
import theme from '../../styles/pdf-theme.json' with { type: 'json' };

/** Monospace stand-in: every character is 1 point wide. */
const mono: Measure = (text) => [...text].length;

describe('PDF line layout', () => {
  it('fills lines greedily and marks the last', () => {
    const words = toWords([{ text: 'aaa bbb ccc ddd', face: 'regular' }], mono);
    const lines = breakLines(words, { width: 8, space: 1, indent: 0, measure: mono, maxHyphenated: 0 });
    expect(lines.map((l) => l.words.map((w) => w.pieces[0]!.text).join(' '))).toEqual(['aaa bbb', 'ccc ddd']);
    expect(lines.map((l) => l.last)).toEqual([false, true]);
  });

  it('keeps a word made of several faces whole', () => {
    const words = toWords(
      [
        { text: 'the ', face: 'regular' },
        { text: 'Marguerite', face: 'italic' },
        { text: '’s deck', face: 'regular' },
      ],
      mono,
    );
    expect(words).toHaveLength(3);
    const second = words[1] as Exclude<(typeof words)[number], 'break'>;
    expect(second.pieces.map((p) => p.face)).toEqual(['italic', 'regular']);
  });

  it('hyphenates at soft hyphens when a word does not fit', () => {
    const words = toWords([{ text: 'a beau\u00adti\u00adful day', face: 'regular' }], mono);
    const lines = breakLines(words, { width: 8, space: 1, indent: 0, measure: mono, maxHyphenated: 2 });
    expect(lines.map((l) => l.words.map((w) => w.pieces.map((p) => p.text).join('')).join(' '))).toEqual(['a beau-', 'ti\u00adful', 'day']);
  });

  it('splits a word at its best soft hyphen', () => {
    const [head, tail] = splitWord({ pieces: [{ text: 'ex\u00adtra\u00ador\u00addi\u00adnary', face: 'regular' }], width: 15 }, 8, mono)!;
    expect(head.pieces[0]!.text).toBe('ex\u00adtra\u00ador-');
    expect(tail.pieces[0]!.text).toBe('di\u00adnary');
  });

  it('indents the first line and honours forced breaks', () => {
    const words = toWords([{ text: 'one\ntwo', face: 'regular' }], mono);
    const lines = breakLines(words, { width: 20, space: 1, indent: 3, measure: mono, maxHyphenated: 0 });
    expect(lines.map((l) => [l.indent, l.last])).toEqual([
      [3, true],
      [0, true],
    ]);
  });
});

describe('page sizes', () => {
  const presets = theme.pageSizes as unknown as Record<string, PagePreset>;
  it('resolves presets in points', () => {
    const a4 = resolvePageSize('a4', presets, theme.maxMeasureEm);
    expect(typeof a4).toBe('object');
    if (typeof a4 === 'object') {
      expect(a4.width).toBeCloseTo(595.28, 1);
      expect(a4.print).toBe(true);
    }
    const er = resolvePageSize('ereader', presets, theme.maxMeasureEm);
    if (typeof er === 'object') expect([er.width / MM, er.height / MM, er.print]).toEqual([90, 120, false]);
  });

  it('accepts WxH in millimetres and rejects nonsense', () => {
    const c = resolvePageSize('140x216', presets, theme.maxMeasureEm);
    if (typeof c !== 'object') throw new Error(c);
    expect(c.width / MM).toBeCloseTo(140);
    expect(c.margins.inner).toBeGreaterThan(c.margins.outer);
    expect(typeof resolvePageSize('huge', presets, theme.maxMeasureEm)).toBe('string');
    expect(typeof resolvePageSize('10x10', presets, theme.maxMeasureEm)).toBe('string');
  });

  it('keeps the measure readable on wide pages', () => {
    const a4 = resolvePageSize('a4', presets, theme.maxMeasureEm);
    if (typeof a4 !== 'object') throw new Error(a4);
    expect(a4.width - a4.margins.inner - a4.margins.outer).toBeLessThanOrEqual(theme.maxMeasureEm * a4.fontSize + 0.01);
  });
});

describe('hyphenation', () => {
  it('loads patterns by language and knows when it has none', () => {
    expect(hyphenatorFor('en', 6)!('beautiful')).toBe('beau\u00adti\u00adful');
    expect(hyphenatorFor('en-GB', 6)).not.toBeNull();
    expect(hyphenatorFor('de', 6)!('Schifffahrt')).toContain('\u00ad');
    expect(hyphenatorFor('xx', 6)).toBeNull();
  });
});
