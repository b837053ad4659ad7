import type { Block } from '../model/types.js';

/**
 * Scene-break markers written as text inside flat text (`…the tide came.
 * * * * The rowing boat…`): between two sentences, a run of `*`, `~`, `-`,
 * `+`, `=`, `_`, `o0o`, `xXx` or a lone `#` becomes a scene-break block.
 */
const INLINE_MARKER =
  /(?<=^|[.!?…”"’)\]]\s+|^\s*)(?:(?:\*\s?){3,}|~{3,}|-{3,}|—{2,}|\+{3,}|={3,}|_{3,}|o0o|0o0|oOo|xXx|XxX|#)(?=\s+["“‘'\p{Lu}\d]|\s*$)/gu;

/** A cheap test that a text may hold a marker, before the full pattern (with its look-behind) runs. */
const MAY_HAVE_MARKER = /\*\s?\*|~~~|---|——|\+\+\+|===|___|o0o|0o0|oOo|xXx|XxX|#/;

/** Split flat paragraphs at inline scene-break markers. */
export function splitSceneBreaks(blocks: Block[]): Block[] {
  const out: Block[] = [];
  for (const b of blocks) {
    if (b.type !== 'paragraph' || b.children.length !== 1 || b.children[0]!.type !== 'text') {
      out.push(b);
      continue;
    }
    const text = b.children[0]!.value;
    if (!MAY_HAVE_MARKER.test(text)) {
      out.push(b);
      continue;
    }
    let last = 0;
    let found = false;
    for (const m of text.matchAll(INLINE_MARKER)) {
      found = true;
      const before = text.slice(last, m.index).trim();
      if (before) out.push({ type: 'paragraph', children: [{ type: 'text', value: before }] });
      out.push({ type: 'sceneBreak' });
      last = m.index + m[0].length;
    }
    if (!found) {
      out.push(b);
      continue;
    }
    const rest = text.slice(last).trim();
    if (rest) out.push({ type: 'paragraph', children: [{ type: 'text', value: rest }] });
  }
  // A break at the very start or end of a chapter, or doubled, says nothing.
  return out.filter((b, i, all) => b.type !== 'sceneBreak' || (i > 0 && i < all.length - 1 && all[i - 1]!.type !== 'sceneBreak'));
}
