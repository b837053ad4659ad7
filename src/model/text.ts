import { assertNever, type Block, type Chapter, type Inline, type Work } from './types.js';

/** A paragraph holding one run of plain text. */
export function textParagraph(value: string): Block {
  return { type: 'paragraph', children: [{ type: 'text', value }] };
}

/** Plain text of inline content (line breaks become newlines). */
export function inlineText(inlines: readonly Inline[]): string {
  let out = '';
  for (const node of inlines) {
    switch (node.type) {
      case 'text':
        out += node.value;
        break;
      case 'lineBreak':
        out += '\n';
        break;
      case 'emphasis':
      case 'strong':
      case 'underline':
      case 'strike':
      case 'link':
      case 'span':
        out += inlineText(node.children);
        break;
      case 'noteRef':
        break;
      default:
        assertNever(node);
    }
  }
  return out;
}

/** Plain text of blocks, one block per line (scene breaks and rules omitted). */
export function blockText(blocks: readonly Block[]): string {
  const lines: string[] = [];
  for (const block of blocks) {
    switch (block.type) {
      case 'paragraph':
      case 'heading':
        lines.push(inlineText(block.children));
        break;
      case 'blockquote':
        lines.push(blockText(block.children));
        break;
      case 'list':
        for (const item of block.items) lines.push(blockText(item));
        break;
      case 'table':
        for (const row of block.rows) lines.push(row.cells.map((c) => inlineText(c)).join(' '));
        break;
      case 'code':
        lines.push(block.text);
        break;
      case 'sceneBreak':
      case 'image':
        break;
      default:
        assertNever(block);
    }
  }
  return lines.join('\n');
}

/** Scripts AO3 counts one word per character (its CHARACTER_COUNT_SCRIPTS): written without spaces between words. */
const CHARACTER_WORDS = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Thai}]/u;

/**
 * Count words the way readers do: runs of letters or digits, apostrophes
 * inside words included; every Han, Hiragana, Katakana and Thai character
 * is a word of its own, as AO3 counts them (`我们走吧` is 4 words).
 */
export function countWords(text: string): number {
  // A hand-rolled scan: this runs over every story twice and a regex with Unicode classes is slow.
  let n = 0;
  let inWord = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    let letter: boolean;
    if (c < 128) letter = (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57);
    else {
      // A whole code point (CJK extension B and emoji are two UTF-16 units).
      const wide = c >= 0xd800 && c <= 0xdbff && i + 1 < text.length;
      const ch = wide ? text.slice(i, i + 2) : text[i]!;
      if (wide) i++;
      if (c >= 0x0e00 && CHARACTER_WORDS.test(ch)) {
        n++;
        inWord = false;
        continue;
      }
      letter = c !== 0x2019 && c !== 0xa0 && /[\p{L}\p{N}\p{M}]/u.test(ch);
    }
    if (letter) {
      if (!inWord) n++;
      inWord = true;
    } else if (inWord && (c === 39 || c === 0x2019) && i + 1 < text.length && isWordChar(text.charCodeAt(i + 1), text[i + 1]!)) {
      // An apostrophe inside a word (don't, Hux’s) keeps the word going.
    } else inWord = false;
  }
  return n;
}

function isWordChar(c: number, ch: string): boolean {
  if (c < 128) return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57);
  return /[\p{L}\p{N}]/u.test(ch);
}

/** Words of story text in the chapters (notes and summaries not counted). */
export function storyWordCount(chapters: readonly Chapter[]): number {
  let n = 0;
  for (const ch of chapters) {
    n += countWords(blockText(ch.blocks));
    for (const f of ch.footnotes) n += countWords(blockText(f.blocks));
  }
  return n;
}

/** True when a block list carries any visible text. */
export function hasContent(blocks: readonly Block[]): boolean {
  return blockText(blocks).trim().length > 0;
}

/**
 * Every block list of a work, in reading order: its notes before and after,
 * then each chapter's summary, notes, text and footnotes, and last the work's
 * summary — for writers that look through all of a book's blocks (the images
 * it packs, what its accessibility summary says it contains).
 */
export function workBlockLists(work: Work): Block[][] {
  return [
    work.notes.before,
    work.notes.after,
    ...work.chapters.flatMap((ch) => [ch.summary, ch.notes.before, ch.blocks, ch.notes.after, ...ch.footnotes.map((f) => f.blocks)]),
    work.metadata.summary,
  ];
}
