import { parseChapterHeading } from './chapter-heading.js';
import { emptyChapter, type Draft, type DraftChapter } from './draft.js';
import { textToBlocks } from './text-blocks.js';

/**
 * Reader for plain prose with its line breaks — a story the author typed, not
 * a page scrape. Nothing in it is an AO3 label (a line `Notes:` is a
 * character's shopping list, not end notes); it is the author's text, split
 * into chapters where the author headed them (`Prologue`, `Chapter One`,
 * `CHAPTER II`, `Chapter 3: The End`, `Part Two`), each heading on a line of
 * its own.
 */
export function readPlainText(text: string): Draft {
  return { flat: false, meta: {}, notes: { before: [], after: [] }, chapters: splitAtHeadings(text), diagnostics: [] };
}

/**
 * Text with line breaks → chapters at its heading lines. A heading line
 * starts a paragraph (after a blank line, or anywhere in text that has no
 * blank lines) and reads as a heading by the shared grammar. A short second
 * line right under a bare `Chapter 3` (no blank line between, no sentence
 * punctuation) is that chapter's title. Text before the first heading is a
 * chapter of its own; text without headings is one chapter.
 */
export function splitAtHeadings(text: string): DraftChapter[] {
  const lines = text.split('\n');
  const blankLines = /\n[ \t]*\n/.test(text.trim());
  const chapters: DraftChapter[] = [];
  let current: DraftChapter | undefined;
  let body: string[] = [];
  const flush = () => {
    const blocks = textToBlocks(body.join('\n'));
    body = [];
    if (current) current.blocks = blocks;
    else if (blocks.length) chapters.push({ ...emptyChapter(), blocks });
  };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    const startsParagraph = !blankLines || i === 0 || !lines[i - 1]!.trim();
    const heading = line && startsParagraph && line.length <= 160 ? parseChapterHeading(line, true) : undefined;
    if (!heading) {
      body.push(lines[i]!);
      continue;
    }
    flush();
    current = { ...emptyChapter(), label: heading.label, title: heading.title };
    chapters.push(current);
    // `Chapter 3` with its title on the next line, in the same paragraph.
    const next = lines[i + 1]?.trim() ?? '';
    const afterNext = lines[i + 2]?.trim() ?? '';
    if (!heading.title && blankLines && next && !afterNext && next.length <= 80 && !/[.,;!?…"”]$/.test(next) && !parseChapterHeading(next, true)) {
      current.title = next.replace(/^[:.–—-]\s*/, '');
      i++;
    }
  }
  flush();
  return chapters.length ? chapters : [emptyChapter()];
}
