import { parseByline } from './ao3-meta.js';
import { bareNumber, parseChapterHeading } from './chapter-heading.js';
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
  const { title, authors, rest } = titleLines(text);
  return {
    flat: false,
    meta: {},
    notes: { before: [], after: [] },
    chapters: splitAtHeadings(rest),
    diagnostics: [],
    ...(title ? { titleHint: title } : {}),
    ...(authors.length ? { authors } : {}),
  };
}

/**
 * A story typed with its title and byline on top, as on a manuscript's first
 * page — `The Quiet Almanac` / `by Hesper Lowe` on the first two lines (or
 * two one-line paragraphs) — gives them as the title and author; they are not
 * story text.
 */
export function titleLines(text: string): { title?: string; authors: string[]; rest: string } {
  const m = /^\s*([^\n]{1,120})\n(?:[ \t]*\n)?[ \t]*by[ \t]+([^\n]{1,120})[ \t]*\n(?:[ \t]*\n|$)/i.exec(text);
  if (!m) return { authors: [], rest: text };
  const title = m[1]!.trim();
  // A title, not the story's first sentence: short, not ending like a sentence (or a line of dialogue).
  if (title.split(/\s+/).length > 14 || /[.,;:"”]$/.test(title) || /^["“'‘]/.test(title) || parseChapterHeading(title, true)) return { authors: [], rest: text };
  return { title, authors: parseByline(m[2]!.trim()), rest: text.slice(m[0].length) };
}

/**
 * Lines that are a number alone between blank lines (`1`, `II.`) and count
 * up one by one — two or more of them — are chapter headings; a lone `3` or
 * `I` standing in a story is not.
 */
function numberedHeadings(lines: readonly string[], blankLines: boolean): Set<number> {
  const found: Array<{ i: number; n: number }> = [];
  if (!blankLines) return new Set();
  lines.forEach((l, i) => {
    if (lines[i - 1]?.trim() || lines[i + 1]?.trim()) return;
    const n = bareNumber(l);
    if (n !== undefined) found.push({ i, n });
  });
  const out = new Set<number>();
  let run: typeof found = [];
  const close = () => {
    if (run.length >= 2) for (const f of run) out.add(f.i);
    run = [];
  };
  for (const f of found) {
    if (run.length && f.n !== run[run.length - 1]!.n + 1) close();
    run.push(f);
  }
  close();
  return out;
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
  const numbered = numberedHeadings(lines, blankLines);
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
    const heading = numbered.has(i)
      ? { label: line.replace(/\.$/, ''), title: '' }
      : line && startsParagraph && line.length <= 160
        ? parseChapterHeading(line, true)
        : undefined;
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
