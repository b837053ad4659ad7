import { storyWordCount } from '../model/text.js';
import type { Work } from '../model/types.js';
import { parseEmphasis } from './emphasis.js';
import { mapBlocksInlines, mapInlineText } from './inline-text.js';
import { FLAT_PASSES, flatOptionsFor, mapWorkBlocks } from './paragraphs.js';
import { TYPOGRAPHY, typographize } from './typography.js';

/** A named Work → Work pass. */
export interface Pass {
  id: string;
  description: string;
  apply: (work: Work, skip: ReadonlySet<string>) => Work;
}

/** The normalize pipeline, in order. Every id (and every typography rule id) can be skipped. */
export const PASSES: readonly Pass[] = [
  // Scene breaks, paragraphs and walls: only for text that arrived flat.
  ...FLAT_PASSES.map((p): Pass => ({ id: p.id, description: p.description, apply: (work) => {
      if (!work.origin.flat) return work;
      const options = flatOptionsFor(work);
      return mapWorkBlocks(work, (blocks) => p.apply(blocks, options));
    } })),
  {
    id: 'emphasis',
    description: 'read *word* and _word_ in plain text as emphasis (**word** as strong)',
    apply: (work) => (work.origin.reader === 'text' ? mapWorkBlocks(work, (blocks) => mapBlocksInlines(blocks, parseEmphasis)) : work),
  },
  {
    id: 'typography',
    description: `typography rules, in order: ${TYPOGRAPHY.map((r) => r.id).join(', ')}`,
    apply: (work, skip) => {
      const lang = work.metadata.language;
      const fix = (text: string) => typographize(text, lang, skip);
      const out = mapWorkBlocks(work, (blocks) => mapBlocksInlines(blocks, (inlines) => mapInlineText(inlines, fix)));
      return { ...out, chapters: out.chapters.map((ch) => ({ ...ch, title: fix(ch.title) })) };
    },
  },
];

/** Every id `--skip` accepts: passes and typography rules. */
export const SKIPPABLE: readonly string[] = [...PASSES.map((p) => p.id), ...TYPOGRAPHY.map((r) => r.id)];

/** Run every pass not switched off over a work; the word count is taken again afterwards. */
export function normalize(work: Work, skip: ReadonlySet<string> = new Set()): Work {
  const out = PASSES.reduce((w, pass) => (skip.has(pass.id) ? w : pass.apply(w, skip)), work);
  return { ...out, metadata: { ...out.metadata, wordCount: storyWordCount(out.chapters) } };
}
