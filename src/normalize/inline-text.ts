import type { Block, Inline } from '../model/types.js';

/** Separates text nodes while a paragraph's text is rewritten as one string. */
const SEPARATOR = '\uE000';

/**
 * Rewrite the text of a run of inlines as one string, so rules see across
 * emphasis boundaries (a quote opened before an italic word and closed after
 * it), then put the pieces back into the same nodes.
 */
export function mapInlineText(inlines: Inline[], fn: (text: string) => string): Inline[] {
  const texts: Array<{ type: 'text'; value: string }> = [];
  const collect = (nodes: Inline[]) => {
    for (const n of nodes) {
      if (n.type === 'text') texts.push(n);
      else if (n.type === 'lineBreak') texts.push({ type: 'text', value: '\n' }); // a line break reads as a line end
      else if ('children' in n) collect(n.children);
    }
  };
  collect(inlines);
  if (!texts.length) return inlines;
  const joined = texts.map((t) => t.value.replaceAll(SEPARATOR, '')).join(SEPARATOR);
  const parts = fn(joined).split(SEPARATOR);
  if (parts.length !== texts.length) return inlines; // a rule ate a separator: keep the text as it was
  let k = 0;
  const rebuild = (nodes: Inline[]): Inline[] =>
    nodes.map((n) => {
      if (n.type === 'text') return { type: 'text', value: parts[k++]! };
      if (n.type === 'lineBreak') {
        k++;
        return n;
      }
      if (!('children' in n)) return n;
      return { ...n, children: rebuild(n.children) };
    });
  return rebuild(inlines);
}

/** Apply `fn` to the inline content of every paragraph and heading in a block tree. */
export function mapBlocksInlines(blocks: Block[], fn: (inlines: Inline[]) => Inline[]): Block[] {
  return blocks.map((b): Block => {
    switch (b.type) {
      case 'paragraph':
      case 'heading':
        return { ...b, children: fn(b.children) };
      case 'blockquote':
        return { ...b, children: mapBlocksInlines(b.children, fn) };
      case 'list':
        return { ...b, items: b.items.map((item) => mapBlocksInlines(item, fn)) };
      case 'table':
        return { ...b, rows: b.rows.map((r) => ({ ...r, cells: r.cells.map((c) => fn(c)) })) };
      case 'sceneBreak':
      case 'image':
      case 'code':
        return b;
    }
  });
}
