import type { Block, Work } from '../model/types.js';
import { splitFlatText, splitFlatTextScored, weightsFor, type Weights } from './boundaries.js';
import { splitSceneBreaks } from './scene-breaks.js';
import { rememberScores, splitWalls } from './walls.js';

/**
 * Paragraph recovery for flat text (a page scrape that lost its line breaks):
 * each flat run is split at the boundaries `boundaries.ts` scores.
 */
export function splitParagraphs(text: string, weights: Weights = weightsFor(text)): string[] {
  return splitFlatText(text, weights);
}

/** Split every single-text paragraph of a block list at recovered boundaries. */
export function recoverBlocks(blocks: Block[], weights?: Weights): Block[] {
  const out: Block[] = [];
  for (const b of blocks) {
    if (b.type === 'paragraph' && b.children.length === 1 && b.children[0]!.type === 'text') {
      const text = b.children[0]!.value;
      for (const p of splitFlatTextScored(text, weights ?? weightsFor(text))) {
        const block: Block = { type: 'paragraph', children: [{ type: 'text', value: p.text }] };
        if (p.inside) rememberScores(block, p.inside, p.words!);
        out.push(block);
      }
    } else out.push(b);
  }
  return out;
}

/** How the flat-text passes run: with the weights (and wall length) of the work's prose style. */
export interface FlatOptions {
  weights: Weights;
}

/** The text a work's prose style is read from: its flat story text, up to about 12,000 characters. */
export function styleSample(work: Work, limit = 12_000): string {
  const parts: string[] = [];
  let n = 0;
  for (const ch of work.chapters) {
    for (const b of ch.blocks) {
      if (b.type !== 'paragraph') continue;
      for (const c of b.children) if (c.type === 'text') (parts.push(c.value), (n += c.value.length));
      if (n > limit) return parts.join(' ').slice(0, limit);
    }
  }
  return parts.join(' ');
}

let lastWork: { key: string; options: FlatOptions } | undefined;

/**
 * The options for a work's flat-text passes. The three passes of one work
 * run one after the other and read its style once (recognised by its
 * source and the start of its text).
 */
export function flatOptionsFor(work: Work): FlatOptions {
  const key = `${work.source}\u0000${styleSample(work, 2000)}`;
  if (lastWork?.key === key) return lastWork.options;
  lastWork = { key, options: { weights: weightsFor(styleSample(work)) } };
  return lastWork.options;
}

/** A named block-list pass for text that arrived flat. */
export interface FlatPass {
  id: string;
  description: string;
  apply: (blocks: Block[], options: FlatOptions) => Block[];
}

/** The passes that rebuild the structure of flat text, in order (each can be skipped by id). */
export const FLAT_PASSES: readonly FlatPass[] = [
  {
    id: 'scene-breaks',
    description: 'turn scene-break markers written inside flat text (* * *, ~~~, o0o, #) into scene breaks',
    apply: (blocks) => splitSceneBreaks(blocks),
  },
  {
    id: 'paragraphs',
    description: 'rebuild paragraph breaks in text that arrived flat',
    apply: (blocks, o) => recoverBlocks(blocks, o.weights),
  },
  {
    id: 'walls',
    description: 'split a recovered paragraph that runs past its style’s wall length (250 words for modern prose, 500 for clearly classic prose) at its best-scoring boundaries',
    apply: (blocks, o) => splitWalls(blocks, o.weights),
  },
];

/** Run the flat-text passes not in `skip` over one block list. */
export function recoverFlatBlocks(blocks: Block[], skip: ReadonlySet<string>, options: FlatOptions): Block[] {
  return FLAT_PASSES.reduce((b, pass) => (skip.has(pass.id) ? b : pass.apply(b, options)), blocks);
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
