import type { Inline } from '../model/types.js';

/**
 * `*word*` and `_word_` in plain text mean emphasis (`**word**` and
 * `__word__`, strong): the markers must hug the words (no space inside) and
 * stand at word edges, so `2 * 3 * 4`, `snake_case` and `* * *` stay as they are.
 */
const MARKED = /(?<![\p{L}\p{N}*_\\])(\*\*|__|\*|_)(?=[^\s*_])([^\n]*?[^\s*_\\])\1(?![\p{L}\p{N}*_])/gu;

/** Parse emphasis markers in text nodes. */
export function parseEmphasis(inlines: Inline[]): Inline[] {
  const out: Inline[] = [];
  for (const n of inlines) {
    if (n.type !== 'text') {
      out.push('children' in n ? { ...n, children: parseEmphasis(n.children) } : n);
      continue;
    }
    let last = 0;
    for (const m of n.value.matchAll(MARKED)) {
      if (m.index > last) out.push({ type: 'text', value: n.value.slice(last, m.index) });
      const inner = parseEmphasis([{ type: 'text', value: m[2]! }]);
      out.push({ type: m[1]!.length === 2 ? 'strong' : 'emphasis', children: inner });
      last = m.index + m[0].length;
    }
    if (last === 0) out.push(n);
    else if (last < n.value.length) out.push({ type: 'text', value: n.value.slice(last) });
  }
  return out;
}
