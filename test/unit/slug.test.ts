import { describe, expect, it } from 'vitest';
import { slugify, uniqueSlugs, MAX_SLUG } from '../../src/write/slug.js';
import { outputPath } from '../../src/write/output.js';

describe('slugs and output paths', () => {
  it('makes ASCII, hyphenated, bounded names', () => {
    expect(slugify('The Cartographer’s Daughter')).toBe('the-cartographers-daughter');
    expect(slugify('Café & Crème: Part II')).toBe('cafe-and-creme-part-ii');
    expect(slugify('../../etc/passwd')).toBe('etc-passwd');
    expect(slugify('<script>alert(1)</script>')).toBe('script-alert-1-script');
    expect(slugify('🐉🐉')).toBe('untitled');
    expect(slugify('a'.repeat(300)).length).toBeLessThanOrEqual(MAX_SLUG);
  });

  it('romanizes other scripts rather than dropping them', () => {
    expect(slugify('Война и мир')).toBe('voina-i-mir');
    expect(slugify('战争与和平')).toBe('zhan-zheng-yu-he-ping');
    expect(slugify('Ἰλιάς')).toBe('ilias');
    expect(slugify('Україна: ґанок')).toBe('ukrayina-ganok');
    expect(slugify('Łódź, Ærø & Straße')).toBe('lodz-aero-and-strasse');
    expect(slugify('千と千尋の神隠し')).toMatch(/^[a-z0-9-]+$/);
    expect(slugify('战'.repeat(200)).length).toBeLessThanOrEqual(MAX_SLUG);
  });

  it('keeps names unique in the given order', () => {
    const m = uniqueSlugs([
      { key: 'a', title: 'Home' },
      { key: 'b', title: 'home' },
      { key: 'c', title: 'Home!' },
    ]);
    expect([...m.values()]).toEqual(['home', 'home-2', 'home-3']);
  });

  it('refuses paths outside the output folder', () => {
    expect(outputPath('out', 'book.epub')).toMatch(/out[/\\]book\.epub$/);
    expect(() => outputPath('out', '../escape.epub')).toThrow();
    expect(() => outputPath('out', '/etc/passwd')).toThrow();
  });
});
