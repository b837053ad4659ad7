import { describe, expect, it } from 'vitest';
import { blockText } from '../../src/model/text.js';
import { decodeText } from '../../src/read/decode.js';
import { isFlat, readScrape } from '../../src/read/scrape.js';
import { textToBlocks } from '../../src/read/text-blocks.js';
import { buildWork } from '../../src/read/work.js';

const story = (draft: ReturnType<typeof readScrape>) => draft.chapters.map((c) => blockText(c.blocks)).join('\n');

describe('scrape reader', () => {
  it('takes the end notes and series trailer out of the story', () => {
    const d = readScrape(
      'She shut the gate. "Goodnight," she said. Notes: Thanks for reading! Series this work belongs to: ← Previous Work Part 14 of the Garden Walls series',
      'f.txt',
    );
    expect(story(d)).toBe('She shut the gate. "Goodnight," she said.');
    expect(blockText(d.notes.after)).toBe('Thanks for reading!');
    expect(d.meta.series).toEqual([{ name: 'Garden Walls', part: 14 }]);
  });

  it('does not take "notes:" inside a sentence for the end notes', () => {
    const d = readScrape('He read the margin notes: all of them wrong. Then he slept.', 'f.txt');
    expect(d.notes.after).toEqual([]);
    expect(story(d)).toContain('margin notes: all of them');
  });

  it('reads a leading summary and notes bounded by the end-notes marker', () => {
    const d = readScrape(
      'Summary: Rain, mostly. Notes: For K. (See the end of the work for more notes.) The rain began at noon. Notes: Bye!',
      'f.txt',
    );
    expect(blockText(d.meta.summary ?? [])).toBe('Rain, mostly.');
    expect(blockText(d.notes.before)).toBe('For K.');
    expect(story(d)).toBe('The rain began at noon.');
    expect(blockText(d.notes.after)).toBe('Bye!');
  });

  it('splits chapters at AO3 landmarks with their titles and notes', () => {
    const d = readScrape(
      'Chapter 1: Salt Summary: The first. (See the end of the chapter for notes.) Chapter Text One begins. Notes: After one. Chapter 2: Pepper Chapter Text Two begins.',
      'f.txt',
    );
    expect(d.chapters.map((c) => [c.label, c.title])).toEqual([
      ['Chapter 1', 'Salt'],
      ['Chapter 2', 'Pepper'],
    ]);
    expect(blockText(d.chapters[0]!.summary)).toBe('The first.');
    expect(blockText(d.chapters[0]!.notes.after)).toBe('After one.');
    expect(blockText(d.chapters[1]!.blocks)).toBe('Two begins.');
  });

  it('splits chapters at Chapter lines in text with line breaks', () => {
    const d = readScrape('Chapter 1: North\n\nCold.\n\nChapter 2\n\nColder.\n', 'f.txt');
    expect(d.chapters.map((c) => [c.title, blockText(c.blocks)])).toEqual([
      ['North', 'Cold.'],
      ['', 'Colder.'],
    ]);
  });

  it('tells flat scrapes from text with line breaks', () => {
    expect(isFlat('One long line of a story. "Hi," she said. '.repeat(50))).toBe(true);
    expect(isFlat('Para one.\n\nPara two.')).toBe(false);
    expect(isFlat(Array.from({ length: 20 }, (_, i) => `Line ${i} of a story with one paragraph per line.`).join('\n'))).toBe(false);
  });
});

describe('text blocks', () => {
  it('joins hard-wrapped lines and keeps set lines', () => {
    const blocks = textToBlocks(
      'This paragraph was wrapped at a fixed width by an old editor, so\nits lines run on into each other.\n\nRoses are red,\nviolets are blue.\n\n* * *\n\nAfter.',
    );
    expect(blocks.map((b) => b.type)).toEqual(['paragraph', 'paragraph', 'sceneBreak', 'paragraph']);
    expect(blocks[0]).toEqual({
      type: 'paragraph',
      children: [{ type: 'text', value: 'This paragraph was wrapped at a fixed width by an old editor, so its lines run on into each other.' }],
    });
    expect(blocks[1]).toMatchObject({ children: [{ value: 'Roses are red,' }, { type: 'lineBreak' }, { value: 'violets are blue.' }] });
  });

  it('treats each line as a paragraph when there are no blank lines', () => {
    expect(textToBlocks('First.\nSecond.\nThird.')).toHaveLength(3);
  });

  it('recognises scene-break markers written as text', () => {
    for (const m of ['***', '* * *', '~~~', '---', 'o0o', 'xXx', '+++', '#', '—']) {
      expect(textToBlocks(`A.\n\n${m}\n\nB.`)[1], m).toEqual({ type: 'sceneBreak' });
    }
  });
});

describe('decoding', () => {
  it('drops a BOM and normalizes line endings', () => {
    const bytes = new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode('a\r\nb\rc')]);
    expect(decodeText(bytes, 'f').text).toBe('a\nb\nc');
  });

  it('reads Latin-1 with a warning, and refuses binary and empty files', () => {
    const latin = decodeText(new Uint8Array([0x63, 0x61, 0x66, 0xe9]), 'f');
    expect(latin.text).toBe('café');
    expect(latin.diagnostics[0]!.code).toBe('input/not-utf8');
    expect(decodeText(new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0x00, 0x00]), 'z').diagnostics[0]!.code).toBe('input/binary');
    expect(decodeText(new TextEncoder().encode('  \n\n '), 'e').diagnostics[0]!.code).toBe('input/empty');
  });
});

describe('work building', () => {
  it('falls back to the file name for a title, with a warning', () => {
    const r = buildWork({ text: 'A short story.', file: 'works/small_hours.txt', kind: 'text' });
    expect(r.work!.metadata.title).toBe('Small Hours');
    expect(r.diagnostics.map((d) => `${d.severity} ${d.code}`)).toContain('warning metadata/no-title');
  });

  it('lets front matter override the sidecar', () => {
    const r = buildWork({
      text: '---\ntitle: From Front Matter\n---\nStory.',
      file: 's.txt',
      kind: 'text',
      sidecar: { title: 'From Sidecar', authors: ['Side Car'] },
    });
    expect(r.work!.metadata.title).toBe('From Front Matter');
    expect(r.work!.metadata.authors).toEqual(['Side Car']);
  });

  it('fails a work that has no story text', () => {
    const r = buildWork({ text: 'Notes: only notes here.', file: 'n.txt', kind: 'text' });
    expect(r.work).toBeUndefined();
    expect(r.diagnostics.some((d) => d.severity === 'error' && d.code === 'input/no-story')).toBe(true);
  });
});
