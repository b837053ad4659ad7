import type { Block } from '../src/model/types.js';
import type { Weights } from '../src/normalize/boundaries.js';
import { recoverFlatBlocks } from '../src/normalize/paragraphs.js';
import type { Sample } from './corpus.js';

/** The paragraph starts the flat-text passes (scene breaks, paragraphs, walls) find in a sample's body, with `weights`. */
export function predictWith(s: Sample, weights: Weights, skip: ReadonlySet<string> = new Set()): number[] {
  const blocks: Block[] = recoverFlatBlocks([{ type: 'paragraph', children: [{ type: 'text', value: s.body }] }], skip, { weights });
  const starts: number[] = [];
  let at = 0;
  for (const b of blocks) {
    if (b.type !== 'paragraph') continue;
    const first = b.children[0];
    const text = first && first.type === 'text' ? first.value : '';
    const i = s.body.indexOf(text.slice(0, 40), at);
    if (i < 0) continue;
    starts.push(i);
    at = i + 1;
  }
  return starts;
}
