import type { Block } from '../model/types.js';
import { decideBoundaries, type Weights } from './boundaries.js';
import { wordsBetween } from './candidates.js';

/**
 * No walls of text: a recovered paragraph longer than its style's wall length
 * (`Weights.wallWords`) is split at its best-scoring candidates until no
 * piece is longer. Modern authors rarely write paragraphs that long (0.3 % of
 * the words of modern fan fiction sit in paragraphs over 250 words), while a
 * missed run of breaks leaves a wall the reader sees first. Classic novels do
 * (7–9 % of their words over 250, 1.4 % over 500): their wall length is 500,
 * where a cut at 250 was wrong more often than right (`weightsAt`). Runs only
 * on text that arrived flat (paragraphs the source gave are kept as they are).
 */

/**
 * Scored candidates inside a long paragraph the paragraphs pass made (so this pass need not score
 * it again): each with the words of the paragraph before its gap, and the paragraph's word count.
 */
interface Scored {
  inside: ReadonlyArray<{ at: number; gap: number; score: number; words: number }>;
  words: number;
}
const remembered = new WeakMap<Block, Scored>();

/** Keep the candidate scores and word counts of a paragraph block the paragraphs pass made. */
export function rememberScores(block: Block, inside: Scored['inside'], words: number): void {
  remembered.set(block, { inside, words });
}

/** Neither piece of a split may be shorter than this. */
const MIN_PIECE_WORDS = 25;

const wordCount = (text: string) => wordsBetween(text, 0, text.length);

/** Split one paragraph text at its best candidates until every piece is at most `cap` words. */
export function splitWall(text: string, weights: Weights, cap = weights.wallWords, scored?: Scored): string[] {
  // A text of n characters holds at most (n + 1) / 2 words: most paragraphs are passed over without counting.
  if (text.length < 2 * cap) return [text];
  const total = scored ? scored.words : wordCount(text);
  if (total <= cap) return [text];
  // Candidates with the words before each one's gap (a candidate's own count, from the text's start).
  const candidates = scored ? scored.inside : decideBoundaries(text, { weights }).candidates;
  if (!candidates.length) return [text];
  const cuts: number[] = [];
  // Recursively split [lo, hi) (candidate indices) covering words [wFrom, wTo).
  const split = (lo: number, hi: number, wFrom: number, wTo: number) => {
    if (wTo - wFrom <= cap) return;
    let best = -1;
    for (let i = lo; i < hi; i++) {
      const w = candidates[i]!.words;
      if (w - wFrom < MIN_PIECE_WORDS || wTo - w < MIN_PIECE_WORDS) continue;
      if (best < 0 || candidates[i]!.score > candidates[best]!.score) best = i;
    }
    if (best < 0) return;
    cuts.push(candidates[best]!.at);
    split(lo, best, wFrom, candidates[best]!.words);
    split(best + 1, hi, candidates[best]!.words, wTo);
  };
  split(0, candidates.length, 0, total);
  if (!cuts.length) return [text];
  cuts.sort((a, b) => a - b);
  const out: string[] = [];
  let start = 0;
  for (const at of cuts) {
    out.push(text.slice(start, at).trim());
    start = at;
  }
  out.push(text.slice(start).trim());
  return out.filter(Boolean);
}

/** Split every overlong single-text paragraph of a block list. */
export function splitWalls(blocks: Block[], weights: Weights, cap = weights.wallWords): Block[] {
  const out: Block[] = [];
  for (const b of blocks) {
    if (b.type === 'paragraph' && b.children.length === 1 && b.children[0]!.type === 'text') {
      const pieces = splitWall(b.children[0]!.value, weights, cap, remembered.get(b));
      if (pieces.length === 1) out.push(b);
      else for (const p of pieces) out.push({ type: 'paragraph', children: [{ type: 'text', value: p }] });
    } else out.push(b);
  }
  return out;
}
