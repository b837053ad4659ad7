import type { Work } from '../model/types.js';
import { recoverParagraphs } from './paragraphs.js';

/** A named Work → Work pass. */
export interface Pass {
  id: string;
  description: string;
  apply: (work: Work) => Work;
}

/** The normalize pipeline, in order. */
export const PASSES: readonly Pass[] = [
  {
    id: 'paragraphs',
    description: 'rebuild paragraph breaks in text that arrived flat',
    apply: recoverParagraphs,
  },
];

/** Run every pass (or those not switched off) over a work. */
export function normalize(work: Work, skip: ReadonlySet<string> = new Set()): Work {
  return PASSES.reduce((w, pass) => (skip.has(pass.id) ? w : pass.apply(w)), work);
}
