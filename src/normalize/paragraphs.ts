import type { Block, Inline, Work } from '../model/types.js';

import { splitFlatText } from './boundaries.js';

/**
 * Paragraph recovery for flat text (a page scrape that lost its line breaks):
 * each flat run is split at the boundaries `boundaries.ts` scores.
 */
export function splitParagraphs(text: string): string[] {
  return splitFlatText(text);
}

function splitBlocks(blocks: Block[]): Block[] {
  const out: Block[] = [];
  for (const b of blocks) {
    if (b.type === 'paragraph' && b.children.length === 1 && b.children[0]!.type === 'text') {
      for (const p of splitParagraphs(b.children[0]!.value)) {
        const child: Inline = { type: 'text', value: p };
        out.push({ type: 'paragraph', children: [child] });
      }
    } else out.push(b);
  }
  return out;
}

/** Work → Work: rebuild paragraphs wherever the work arrived flat. */
export function recoverParagraphs(work: Work): Work {
  if (!work.origin.flat) return work;
  return {
    ...work,
    notes: { before: splitBlocks(work.notes.before), after: splitBlocks(work.notes.after) },
    metadata: { ...work.metadata, summary: splitBlocks(work.metadata.summary) },
    chapters: work.chapters.map((ch) => ({
      ...ch,
      summary: splitBlocks(ch.summary),
      notes: { before: splitBlocks(ch.notes.before), after: splitBlocks(ch.notes.after) },
      blocks: splitBlocks(ch.blocks),
    })),
  };
}
