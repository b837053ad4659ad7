import { describe, expect, it } from 'vitest';
import { blockText } from '../../src/model/text.js';
import { bareNumber, parseChapterHeading } from '../../src/read/chapter-heading.js';
import { splitAtHeadings, titleLines } from '../../src/read/plain-text.js';
import { readMarkdown } from '../../src/read/markdown.js';

describe('chapter heading grammar', () => {
  it('keeps the author’s label and splits off the title', () => {
    const cases: Array<[string, string, string]> = [
      ['Prologue', 'Prologue', ''],
      ['Chapter One', 'Chapter One', ''],
      ['CHAPTER II', 'CHAPTER II', ''],
      ['Chapter 3: The End', 'Chapter 3', 'The End'],
      ['Chapter 3 - The End', 'Chapter 3', 'The End'],
      ['Chapter Twenty-One: Home', 'Chapter Twenty-One', 'Home'],
      ['Part Two', 'Part Two', ''],
      ['Book I — The Sea', 'Book I', 'The Sea'],
      ['Interlude II', 'Interlude II', ''],
      ['Epilogue: After', 'Epilogue', 'After'],
      ['Capítulo 2: La casa', 'Capítulo 2', 'La casa'],
      ['Глава 5', 'Глава 5', ''],
      ['第三章 归来', '第三章', '归来'],
    ];
    for (const [text, label, title] of cases) expect(parseChapterHeading(text, true), text).toEqual({ label, title });
  });

  it('does not take prose for a heading in plain text', () => {
    for (const text of ['Part two of the plan was simple.', 'Chapter one of my life was dull, and the next worse.', 'Partner', 'Prologues are dull', 'The Storm'])
      expect(parseChapterHeading(text, true), text).toBeUndefined();
    // In Markdown a heading is a heading: one without a label is all title.
    expect(parseChapterHeading('The Storm')).toEqual({ label: '', title: 'The Storm' });
  });

  it('reads numbers alone as numbers', () => {
    expect([bareNumber('1'), bareNumber('12.'), bareNumber('IV'), bareNumber('XII.'), bareNumber('Mild'), bareNumber('I am')]).toEqual([1, 12, 4, 12, undefined, undefined]);
  });
});

describe('plain text chapters', () => {
  it('splits at heading lines and never renumbers', () => {
    const chapters = splitAtHeadings('Prologue\n\nA.\n\nChapter One\n\nB.\n\nCHAPTER II\n\nC.\n\nChapter 3: The End\n\nD.\n\nEpilogue\n\nE.\n');
    expect(chapters.map((c) => [c.label, c.title, blockText(c.blocks)])).toEqual([
      ['Prologue', '', 'A.'],
      ['Chapter One', '', 'B.'],
      ['CHAPTER II', '', 'C.'],
      ['Chapter 3', 'The End', 'D.'],
      ['Epilogue', '', 'E.'],
    ]);
  });

  it('takes a short line under a bare chapter number as its title', () => {
    const chapters = splitAtHeadings('Chapter 1\nThe Atlas\n\nIt came by post.\n');
    expect(chapters.map((c) => [c.label, c.title])).toEqual([['Chapter 1', 'The Atlas']]);
  });

  it('heads chapters with numbers alone only when they count up', () => {
    expect(splitAtHeadings('I\n\nSpring.\n\nII\n\nSummer.\n').map((c) => c.label)).toEqual(['I', 'II']);
    expect(splitAtHeadings('She counted.\n\n3\n\nThen she stopped.\n')).toHaveLength(1);
  });

  it('keeps a Notes: line as the story’s', () => {
    const [ch] = splitAtHeadings('He wrote a list.\n\nNotes:\n- milk\n- bread\n\nThen he left.\n');
    expect(blockText(ch!.blocks)).toContain('Notes:');
  });

  it('reads a title and byline typed on top', () => {
    expect(titleLines('The Quiet Almanac\nby Hesper Lowe\n\nIt began.\n')).toEqual({ title: 'The Quiet Almanac', authors: ['Hesper Lowe'], rest: 'It began.\n' });
    expect(titleLines('"Where are you going?"\nby the river, she said.\n\nMore.\n').title).toBeUndefined();
  });
});

describe('markdown chapters', () => {
  it('heads # Prologue as Prologue, and splits a titled story at its ## headings', () => {
    expect(readMarkdown('# Prologue\n\nA.\n\n# Chapter One\n\nB.\n').chapters.map((c) => [c.label, c.title])).toEqual([
      ['Prologue', ''],
      ['Chapter One', ''],
    ]);
    const titled = readMarkdown('# The Long Road\n\n## Chapter 1: Out\n\nA.\n\n## Chapter 2: Back\n\nB.\n');
    expect(titled.titleHint).toBe('The Long Road');
    expect(titled.chapters.map((c) => [c.label, c.title])).toEqual([
      ['Chapter 1', 'Out'],
      ['Chapter 2', 'Back'],
    ]);
  });
});
