import { describe, expect, it } from 'vitest';
import { parsePageSize } from '../../src/page-size.js';

const presets = {
  a4: { size: [210, 297] as const },
  a5: { size: [148, 210] as const },
  '6x9': { size: [152.4, 228.6] as const },
  '5x8': { size: [127, 203.2] as const },
};

describe('--page-size', () => {
  it('takes presets by name, and a size that is a preset’s as that preset', () => {
    expect(parsePageSize('A5', presets)).toBe('a5');
    expect(parsePageSize('6x9', presets)).toBe('6x9');
    expect(parsePageSize('148x210mm', presets)).toBe('a5');
    expect(parsePageSize('6x9in', presets)).toBe('6x9');
    expect(parsePageSize('6 × 9 in', presets)).toBe('6x9');
    expect(parsePageSize('21x29.7cm', presets)).toBe('a4');
  });

  it('converts other sizes to millimetres; a bare WxH is millimetres', () => {
    expect(parsePageSize('5.5x8.5in', presets)).toBe('139.7x215.9');
    expect(parsePageSize('7x10"', presets)).toBe('177.8x254');
    expect(parsePageSize('396x612pt', presets)).toBe('139.7x215.9');
    expect(parsePageSize('140x216', presets)).toBe('140x216');
  });

  it('explains a bare size too small in millimetres, and an unknown one', () => {
    expect(() => parsePageSize('7x10', presets)).toThrow("page size '7x10' is read in millimetres, which is too small for a page; for inches write 7x10in");
    expect(() => parsePageSize('postcard', presets)).toThrow(/unknown page size 'postcard' \(use a4, a5, 6x9, 5x8, or WxH with a unit: 6x9in/);
  });
});
