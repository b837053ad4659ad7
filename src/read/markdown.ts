import type MarkdownIt from 'markdown-it';
import { lazy } from '../lazy.js';
import type { Block, Inline } from '../model/types.js';
import type { Draft, DraftChapter } from './scrape.js';

type Md = InstanceType<typeof MarkdownIt>;
const markdownIt = lazy<typeof MarkdownIt>('markdown-it');
let parser: Md | undefined;

/** CommonMark, with raw HTML off: `<script>` in a Markdown story is shown as text, never passed on. */
function md(): Md {
  if (!parser) {
    const MD = markdownIt();
    parser = new MD('commonmark', { html: false, linkify: false });
    parser.enable('strikethrough');
  }
  return parser;
}
type Token = ReturnType<Md['parse']>[number];

/** Deep nesting is cut off here so hostile input cannot exhaust the stack. */
const MAX_DEPTH = 64;

/**
 * Read a Markdown story: CommonMark blocks and inlines become the model.
 * Headings of the top level split chapters when there are several (or one
 * opens the text); a lone top heading that opens a one-chapter story is the
 * title candidate.
 */
export function readMarkdown(text: string): Draft & { titleHint?: string } {
  const tokens = md().parse(text, {});
  const cursor = { i: 0 };
  const blocks = parseBlocks(tokens, cursor, null, 0);
  const { chapters, titleHint } = splitChapters(blocks);
  return {
    flat: false,
    meta: {},
    notes: { before: [], after: [] },
    chapters,
    diagnostics: [],
    ...(titleHint ? { titleHint } : {}),
  };
}

/** Parse block tokens until the matching close token (`closeType`) or the end. */
function parseBlocks(tokens: Token[], cur: { i: number }, closeType: string | null, depth: number): Block[] {
  const out: Block[] = [];
  while (cur.i < tokens.length) {
    const t = tokens[cur.i]!;
    if (closeType && t.type === closeType) {
      cur.i++;
      return out;
    }
    cur.i++;
    switch (t.type) {
      case 'paragraph_open': {
        const inline = tokens[cur.i];
        const children = inline && inline.type === 'inline' ? parseInlines(inline.children ?? []) : [];
        cur.i++; // inline
        cur.i++; // paragraph_close
        if (children.length) out.push({ type: 'paragraph', children });
        break;
      }
      case 'heading_open': {
        const inline = tokens[cur.i];
        const children = inline && inline.type === 'inline' ? parseInlines(inline.children ?? []) : [];
        cur.i += 2;
        out.push({ type: 'heading', level: Number(t.tag.slice(1)) || 1, children });
        break;
      }
      case 'blockquote_open': {
        const inner = parseBlocks(tokens, cur, 'blockquote_close', depth + 1);
        if (depth < MAX_DEPTH) out.push({ type: 'blockquote', children: inner });
        else out.push(...inner);
        break;
      }
      case 'bullet_list_open':
      case 'ordered_list_open': {
        const close = t.type === 'bullet_list_open' ? 'bullet_list_close' : 'ordered_list_close';
        const items: Block[][] = [];
        while (cur.i < tokens.length && tokens[cur.i]!.type !== close) {
          if (tokens[cur.i]!.type === 'list_item_open') {
            cur.i++;
            items.push(parseBlocks(tokens, cur, 'list_item_close', depth + 1));
          } else cur.i++;
        }
        cur.i++;
        out.push({ type: 'list', ordered: t.type === 'ordered_list_open', items });
        break;
      }
      case 'hr':
        out.push({ type: 'sceneBreak' });
        break;
      case 'code_block':
      case 'fence': {
        const lines = t.content.replace(/\n$/, '').split('\n');
        const children: Inline[] = [];
        lines.forEach((line, k) => {
          if (k) children.push({ type: 'lineBreak' });
          if (line) children.push({ type: 'text', value: line });
        });
        if (lines.some((l) => l.trim())) out.push({ type: 'paragraph', children });
        break;
      }
      default:
        // html_block is off; anything else unknown is skipped.
        break;
    }
  }
  return out;
}

function parseInlines(tokens: Token[]): Inline[] {
  const root: Inline[] = [];
  const stack: Inline[][] = [root];
  const top = () => stack[stack.length - 1]!;
  const push = (node: Inline) => {
    const list = top();
    const last = list[list.length - 1];
    if (node.type === 'text' && last?.type === 'text') last.value += node.value;
    else list.push(node);
  };
  const open = (node: Extract<Inline, { children: Inline[] }>) => {
    if (stack.length > MAX_DEPTH) {
      stack.push(top());
      return;
    }
    top().push(node);
    stack.push(node.children);
  };
  const close = () => {
    if (stack.length > 1) stack.pop();
  };
  for (const t of tokens) {
    switch (t.type) {
      case 'text':
      case 'code_inline':
        if (t.content) push({ type: 'text', value: t.content });
        break;
      case 'softbreak':
        push({ type: 'text', value: ' ' });
        break;
      case 'hardbreak':
        push({ type: 'lineBreak' });
        break;
      case 'em_open':
        open({ type: 'emphasis', children: [] });
        break;
      case 'strong_open':
        open({ type: 'strong', children: [] });
        break;
      case 'link_open': {
        const href = String(t.attrGet('href') ?? '');
        if (/^https?:\/\//i.test(href) || /^mailto:/i.test(href)) open({ type: 'link', url: href, children: [] });
        else stack.push(top()); // unsafe or relative target: keep the text, drop the link
        break;
      }
      case 'em_close':
      case 'strong_close':
      case 'link_close':
        close();
        break;
      case 's_open':
        open({ type: 'strike', children: [] });
        break;
      case 's_close':
        close();
        break;
      case 'image':
        if (t.content) push({ type: 'text', value: t.content });
        break;
      default:
        if (t.content) push({ type: 'text', value: t.content });
    }
  }
  return root;
}

const CHAPTER_HEADING = /^Chapter\s+(\d{1,4})\s*(?:[:.–—-]\s*(.*))?$/i;

/** Parse a chapter heading's text: `Chapter 3: The Atlas` → 3, `The Atlas`. */
export function parseChapterHeading(text: string): { number?: number; title: string } {
  const m = CHAPTER_HEADING.exec(text.trim());
  if (m) return { number: Number(m[1]), title: (m[2] ?? '').trim() };
  return { title: text.trim() };
}

function splitChapters(blocks: Block[]): { chapters: DraftChapter[]; titleHint?: string } {
  const headings = blocks.filter((b): b is Extract<Block, { type: 'heading' }> => b.type === 'heading');
  const empty = (): DraftChapter => ({ title: '', summary: [], notes: { before: [], after: [] }, blocks: [] });
  if (!headings.length) return { chapters: [{ ...empty(), blocks }] };
  const level = Math.min(...headings.map((h) => h.level));
  const top = headings.filter((h) => h.level === level);
  const opensText = blocks[0]?.type === 'heading' && blocks[0].level === level;
  if (top.length === 1 && !opensText) return { chapters: [{ ...empty(), blocks }] };
  if (top.length === 1 && opensText) {
    const text = inlinePlain(top[0]!.children);
    const parsed = parseChapterHeading(text);
    if (parsed.number === undefined) return { chapters: [{ ...empty(), blocks: blocks.slice(1) }], titleHint: text };
  }
  const chapters: DraftChapter[] = [];
  let current: DraftChapter | null = null;
  for (const b of blocks) {
    if (b.type === 'heading' && b.level === level) {
      const parsed = parseChapterHeading(inlinePlain(b.children));
      current = { ...empty(), title: parsed.title, ...(parsed.number !== undefined ? { number: parsed.number } : {}) };
      chapters.push(current);
    } else {
      if (!current) {
        current = empty();
        chapters.push(current);
      }
      current.blocks.push(b);
    }
  }
  return { chapters };
}

function inlinePlain(inlines: Inline[]): string {
  return inlines
    .map((n) => (n.type === 'text' ? n.value : n.type === 'lineBreak' ? ' ' : 'children' in n ? inlinePlain(n.children) : ''))
    .join('')
    .replace(/\s+/g, ' ')
    .trim();
}
