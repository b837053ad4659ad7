import { describe, expect, it } from 'vitest';
import { splitFrontMatter } from '../../src/read/front-matter.js';
import { normalizeDate, normalizeLanguage, parseMetadataInput, parsePart } from '../../src/read/metadata-input.js';
import { readableFileName } from '../../src/read/work.js';

describe('metadata input', () => {
  it('accepts author or authors, a string or a list', () => {
    expect(parseMetadataInput({ author: 'A. Writer' }, 'f').input.authors).toEqual(['A. Writer']);
    expect(parseMetadataInput({ authors: ['A', 'B'] }, 'f').input.authors).toEqual(['A', 'B']);
  });

  it('reads series with part, a list of series, and a series map', () => {
    expect(parseMetadataInput({ series: 'Tides', part: 2 }, 'f').input.series).toEqual([{ name: 'Tides', part: 2 }]);
    expect(
      parseMetadataInput({ series: [{ name: 'A', part: '3' }, { name: 'B', part: 1 }] }, 'f').input.series,
    ).toEqual([
      { name: 'A', part: 3 },
      { name: 'B', part: 1 },
    ]);
    expect(parseMetadataInput({ series: { name: 'C', part: 4 } }, 'f').input.series).toEqual([{ name: 'C', part: 4 }]);
  });

  it('warns about a series part that is not a sane positive integer', () => {
    for (const part of [0, -1, 2.5, 'two', 100000]) {
      const r = parseMetadataInput({ series: 'X', part }, 'f.txt');
      expect(r.input.series).toEqual([]);
      expect(r.diagnostics.map((d) => d.code)).toContain('series/bad-part');
    }
  });

  it('groups tags by kind, from flat keys and from a tags map', () => {
    const r = parseMetadataInput(
      { rating: 'Mature', fandom: 'A, B', tags: ['Fluff'], characters: ['X'], relationships: 'X/Y' },
      'f',
    );
    expect(r.input.tags).toEqual([
      { kind: 'rating', name: 'Mature' },
      { kind: 'fandom', name: 'A' },
      { kind: 'fandom', name: 'B' },
      { kind: 'freeform', name: 'Fluff' },
      { kind: 'character', name: 'X' },
      { kind: 'relationship', name: 'X/Y' },
    ]);
    const m = parseMetadataInput({ tags: { fandom: ['F'], warnings: 'None' } }, 'f');
    expect(m.input.tags).toEqual([
      { kind: 'fandom', name: 'F' },
      { kind: 'warning', name: 'None' },
    ]);
  });

  it('warns about unknown keys instead of failing', () => {
    const r = parseMetadataInput({ title: 'T', colour: 'blue' }, 'story.yaml');
    expect(r.input.title).toBe('T');
    expect(r.diagnostics).toEqual([expect.objectContaining({ code: 'metadata/unknown-key', file: 'story.yaml', severity: 'warning' })]);
  });

  it('normalizes languages, dates and part numbers', () => {
    expect(normalizeLanguage('English')).toBe('en');
    expect(normalizeLanguage('en-gb')).toBe('en-GB');
    expect(normalizeLanguage('Klingon')).toBe('tlh');
    expect(normalizeLanguage('Wookieespeak')).toBeUndefined();
    expect(normalizeDate('2021-02-28')).toBe('2021-02-28');
    expect(normalizeDate('2021-02-30')).toBeUndefined();
    expect(normalizeDate(new Date('2020-01-05T10:00:00Z'))).toBe('2020-01-05');
    expect(parsePart('7')).toBe(7);
    expect(parsePart(7.5)).toBeUndefined();
  });

  it('makes a readable title from a file name', () => {
    expect(readableFileName('works/the_tide-turns.txt')).toBe('The Tide Turns');
    expect(readableFileName('x/.txt')).toBe('Untitled');
  });
});

describe('front matter', () => {
  it('splits a YAML block off the top', () => {
    const r = splitFrontMatter('---\ntitle: Hello\n---\nBody text.\n', 'a.md');
    expect(r.input.title).toBe('Hello');
    expect(r.body).toBe('Body text.\n');
    expect(r.failed).toBe(false);
  });

  it('leaves text without front matter alone', () => {
    const r = splitFrontMatter('Just a story.\n---\nMore.', 'a.txt');
    expect(r.body).toBe('Just a story.\n---\nMore.');
    expect(r.input).toEqual({});
  });

  it('reports invalid YAML with its line and fails the work', () => {
    const r = splitFrontMatter('---\ntitle: [unclosed\n---\nBody', 'bad.md');
    expect(r.failed).toBe(true);
    expect(r.diagnostics[0]).toMatchObject({ code: 'front-matter/invalid-yaml', severity: 'error', file: 'bad.md' });
  });

  it('reports an unterminated block', () => {
    const r = splitFrontMatter('---\ntitle: Never closed\nStory starts here.', 'open.md');
    expect(r.failed).toBe(true);
    expect(r.diagnostics[0]!.code).toBe('front-matter/unterminated');
  });
});
