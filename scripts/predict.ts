import type { Block } from '../src/model/types.js';
import type { Weights } from '../src/normalize/boundaries.js';
import { FLAT_PASSES, recoverFlatBlocks } from '../src/normalize/paragraphs.js';
import type { Sample } from './corpus.js';

/** The paragraph starts (offsets in a sample's body) of the blocks the flat-text passes made of it. */
function startsOf(s: Sample, blocks: readonly Block[]): number[] {
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

const asBlocks = (s: Sample): Block[] => [{ type: 'paragraph', children: [{ type: 'text', value: s.body }] }];

/** The paragraph starts the flat-text passes (scene breaks, paragraphs, walls) find in a sample's body, with `weights`. */
export function predictWith(s: Sample, weights: Weights, skip: ReadonlySet<string> = new Set()): number[] {
  return startsOf(s, recoverFlatBlocks(asBlocks(s), skip, { weights }));
}

/**
 * The starts for several wall settings at once: the passes before `walls` run once with `weights`, then the
 * walls pass once per variant (wall lengths; the candidate scores inside long paragraphs are kept).
 */
export function predictWallVariants(s: Sample, weights: Weights, variants: ReadonlyArray<Pick<Weights, 'wallWords'>>): number[][] {
  const walls = FLAT_PASSES.find((p) => p.id === 'walls')!;
  const before = recoverFlatBlocks(asBlocks(s), new Set(['walls']), { weights });
  return variants.map((v) => startsOf(s, walls.apply(before, { weights: { ...weights, ...v } })));
}
