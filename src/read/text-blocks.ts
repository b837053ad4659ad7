import type { Block, Inline } from '../model/types.js';

/**
 * A line that is only a scene-break marker written as text: `***`, `* * *`,
 * `~~~`, `---`, `+++`, `===`, `o0o`, `xXx`, a lone `#` or a lone dash.
 */
export const SCENE_BREAK_LINE =
  /^[ \t]*(?:(?:[*~+=_•·#-][ \t]*){3,}|[oO]0[oO]|0[oO]0|oOo|OoO|x+X+x+|X+x+X+|[#—–][ \t]*|(?:[*~+-][ \t]*o[ \t]*){1,3}[*~+-])[ \t]*$/;

/** Lines shorter than this, in a block of several, are set lines (verse, a letter), not a hard wrap. */
const HARD_WRAP_MIN = 55;

/**
 * Plain text → paragraph and scene-break blocks, keeping the text's own
 * structure:
 * - blank lines separate paragraphs;
 * - inside a paragraph, hard-wrapped lines are joined with a space, while
 *   short set lines (verse, text messages) keep their line breaks;
 * - text without blank lines has one paragraph per line;
 * - a line that is only a scene-break marker becomes a scene break.
 */
export function textToBlocks(text: string): Block[] {
  const trimmed = text.replace(/^\s*\n/, '').replace(/\s+$/, '');
  if (!trimmed.trim()) return [];
  const hasBlankLines = /\n[ \t]*\n/.test(trimmed);
  const groups = hasBlankLines ? trimmed.split(/\n[ \t]*\n+/) : trimmed.split('\n');
  const blocks: Block[] = [];
  for (const group of groups) {
    const lines = group.split('\n').map((l) => l.trim()).filter((l) => l.length > 0);
    if (lines.length === 0) continue;
    if (lines.length === 1 && SCENE_BREAK_LINE.test(lines[0]!)) {
      blocks.push({ type: 'sceneBreak' });
      continue;
    }
    // A scene-break line inside a group splits it.
    let current: string[] = [];
    const flush = () => {
      if (current.length) blocks.push(linesToParagraph(current));
      current = [];
    };
    for (const line of lines) {
      if (SCENE_BREAK_LINE.test(line)) {
        flush();
        blocks.push({ type: 'sceneBreak' });
      } else current.push(line);
    }
    flush();
  }
  return blocks;
}

function linesToParagraph(lines: string[]): Block {
  if (lines.length === 1) return { type: 'paragraph', children: [{ type: 'text', value: collapse(lines[0]!) }] };
  const hardWrapped = lines.slice(0, -1).every((l) => l.length >= HARD_WRAP_MIN);
  if (hardWrapped) return { type: 'paragraph', children: [{ type: 'text', value: collapse(lines.join(' ')) }] };
  const children: Inline[] = [];
  lines.forEach((line, i) => {
    if (i > 0) children.push({ type: 'lineBreak' });
    children.push({ type: 'text', value: collapse(line) });
  });
  return { type: 'paragraph', children };
}

function collapse(s: string): string {
  if (!s.includes('\u00a0')) return s.replace(/[ \t]{2,}|\t/g, ' ').trim();
  return s.replace(/[ \t\u00a0]+/g, (m) => (m.includes('\u00a0') ? '\u00a0' : ' ')).trim();
}
