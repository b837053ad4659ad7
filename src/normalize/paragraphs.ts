import type { Block, Work } from '../model/types.js';
import { splitFlatText } from './boundaries.js';

/**
 * Paragraph recovery for flat text (a page scrape that lost its line breaks):
 * each flat run is split at the boundaries `boundaries.ts` scores.
 */
export function splitParagraphs(text: string): string[] {
  return splitFlatText(text);
}

/** Split every single-text paragraph of a block list at recovered boundaries. */
export function recoverBlocks(blocks: Block[]): Block[] {
  const out: Block[] = [];
  for (const b of blocks) {
    if (b.type === 'paragraph' && b.children.length === 1 && b.children[0]!.type === 'text') {
      for (const p of splitParagraphs(b.children[0]!.value)) out.push({ type: 'paragraph', children: [{ type: 'text', value: p }] });
    } else out.push(b);
  }
  return out;
}

/** Apply a block-list transform to every block list of a work: notes, summaries and chapters. */
export function mapWorkBlocks(work: Work, fn: (blocks: Block[]) => Block[]): Work {
  return {
    ...work,
    notes: { before: fn(work.notes.before), after: fn(work.notes.after) },
    metadata: { ...work.metadata, summary: fn(work.metadata.summary) },
    chapters: work.chapters.map((ch) => ({
      ...ch,
      summary: fn(ch.summary),
      notes: { before: fn(ch.notes.before), after: fn(ch.notes.after) },
      blocks: fn(ch.blocks),
      footnotes: ch.footnotes.map((f) => ({ ...f, blocks: fn(f.blocks) })),
    })),
  };
}
