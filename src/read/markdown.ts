import type MarkdownIt from 'markdown-it';
import type markdownItFootnote from 'markdown-it-footnote';
import { diagnostic, type Diagnostic } from '../diagnostics.js';
import { lazy } from '../lazy.js';
import type { Block, Footnote, Inline, TableRow } from '../model/types.js';
import { parseChapterHeading } from './chapter-heading.js';
import { emptyChapter, type Draft, type DraftChapter } from './draft.js';
import { localImage } from './html-blocks.js';

type Md = InstanceType<typeof MarkdownIt>;
const markdownIt = lazy<typeof MarkdownIt>('markdown-it');
const footnotePlugin = lazy<typeof markdownItFootnote>('markdown-it-footnote');
let parser: Md | undefined;

/**
 * CommonMark with GFM tables, strikethrough and footnotes. Raw HTML is
 * recognised only to be shown as text (`<b>` stays the characters `<b>`),
 * never passed on — except HTML comments, which are the author's notes to
 * themselves and never reach the book.
 */
function md(): Md {
  if (!parser) {
    const MD = markdownIt();
    parser = new MD('commonmark', { html: true, linkify: false }).use(footnotePlugin());
    parser.enable(['strikethrough', 'table']);
  }
  return parser;
}
type Token = ReturnType<Md['parse']>[number];

/** Deep nesting is cut off here so hostile input cannot exhaust the stack. */
const MAX_DEPTH = 64;

const COMMENT = /<!--[\s\S]*?(?:-->|$)/g;

interface Ctx {
  file: string;
  baseDir: string;
  diagnostics: Diagnostic[];
  /** Footnote bodies by markdown-it's id, filled as the footnote block is read. */
  notes: Map<number, Block[]>;
}

/**
 * Read a Markdown story: CommonMark blocks and inlines become the model.
 * Headings of the top level split chapters when there are several (or one
 * opens the text), named in the author's words by the shared heading
 * grammar; a lone top heading that opens a one-chapter story and is not a
 * chapter heading (`# Prologue`, `# Chapter 1`) is the title candidate.
 * Footnotes go to the chapter that first refers to them, numbered there.
 */
export function readMarkdown(text: string, file = '', baseDir = '.'): Draft {
  const env: { footnotes?: { refs?: Record<string, number> } } = {};
  const tokens = md().parse(text, env);
  const ctx: Ctx = { file, baseDir, diagnostics: [], notes: new Map() };
  const cursor = { i: 0 };
  const blocks = parseBlocks(tokens, cursor, null, 0, ctx);
  for (const [label, id] of Object.entries(env.footnotes?.refs ?? {})) {
    if (id < 0) ctx.diagnostics.push(diagnostic('warning', 'markdown/unused-footnote', file, `footnote [^${label.slice(1)}] is never referred to; left it out`));
  }
  const { chapters, titleHint } = splitChapters(blocks);
  for (const ch of chapters) attachFootnotes(ch, ctx.notes);
  return {
    flat: false,
    meta: {},
    notes: { before: [], after: [] },
    chapters,
    diagnostics: ctx.diagnostics,
    ...(titleHint ? { titleHint } : {}),
  };
}

/** Parse block tokens until the matching close token (`closeType`) or the end. */
function parseBlocks(tokens: Token[], cur: { i: number }, closeType: string | null, depth: number, ctx: Ctx): Block[] {
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
        cur.i += 2; // inline, paragraph_close
        if (inline?.type === 'inline') out.push(...paragraphs(inline.children ?? [], ctx));
        break;
      }
      case 'heading_open': {
        const inline = tokens[cur.i];
        const children = inline && inline.type === 'inline' ? parseInlines(inline.children ?? [], ctx) : [];
        cur.i += 2;
        out.push({ type: 'heading', level: Number(t.tag.slice(1)) || 1, children });
        break;
      }
      case 'blockquote_open': {
        const inner = parseBlocks(tokens, cur, 'blockquote_close', depth + 1, ctx);
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
            items.push(parseBlocks(tokens, cur, 'list_item_close', depth + 1, ctx));
          } else cur.i++;
        }
        cur.i++;
        out.push({ type: 'list', ordered: t.type === 'ordered_list_open', items });
        break;
      }
      case 'table_open': {
        const rows: TableRow[] = [];
        let header = false;
        let row: TableRow | undefined;
        while (cur.i < tokens.length && tokens[cur.i]!.type !== 'table_close') {
          const x = tokens[cur.i++]!;
          if (x.type === 'thead_open') header = true;
          else if (x.type === 'thead_close') header = false;
          else if (x.type === 'tr_open') rows.push((row = { header, cells: [] }));
          else if (x.type === 'inline' && row) row.cells.push(parseInlines(x.children ?? [], ctx));
        }
        cur.i++;
        if (rows.some((r) => r.cells.some((c) => c.length))) out.push({ type: 'table', rows });
        break;
      }
      case 'hr':
        out.push({ type: 'sceneBreak' });
        break;
      case 'code_block':
      case 'fence': {
        // Preformatted: lines and indentation exactly as written.
        const text = t.content.replace(/\n$/, '');
        if (text.trim()) out.push({ type: 'code', text });
        break;
      }
      case 'html_block': {
        // Raw HTML is shown as the text it is, without its comments.
        const rest = t.content.replace(COMMENT, '').trim();
        if (rest) {
          const inline = md().parseInline(rest, {})[0];
          out.push(...paragraphs(inline?.children ?? [], ctx));
        }
        break;
      }
      case 'footnote_block_open':
        while (cur.i < tokens.length && tokens[cur.i]!.type !== 'footnote_block_close') {
          const x = tokens[cur.i]!;
          if (x.type === 'footnote_open') {
            const id = (x.meta as { id: number }).id;
            cur.i++;
            ctx.notes.set(id, parseBlocks(tokens, cur, 'footnote_close', depth + 1, ctx));
          } else cur.i++;
        }
        cur.i++;
        break;
      default:
        // Anything else unknown is skipped.
        break;
    }
  }
  return out;
}

/** A paragraph's inline tokens → paragraphs, with each local image set apart as a block of its own. */
function paragraphs(tokens: Token[], ctx: Ctx): Block[] {
  const out: Block[] = [];
  let run: Token[] = [];
  const flush = () => {
    const children = trimEnds(parseInlines(run, ctx));
    run = [];
    if (children.length) out.push({ type: 'paragraph', children });
  };
  for (const t of tokens) {
    if (t.type !== 'image') {
      run.push(t);
      continue;
    }
    flush();
    const src = localImage(String(t.attrGet('src') ?? ''), { file: ctx.file, baseDir: ctx.baseDir, diagnostics: ctx.diagnostics });
    if (src) out.push({ type: 'image', src, alt: t.content });
  }
  flush();
  return out;
}

function parseInlines(tokens: Token[], ctx: Ctx): Inline[] {
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
      case 's_close':
        close();
        break;
      case 's_open':
        open({ type: 'strike', children: [] });
        break;
      case 'html_inline': {
        const rest = t.content.replace(COMMENT, '');
        if (rest) push({ type: 'text', value: rest });
        break;
      }
      case 'footnote_ref':
        push({ type: 'noteRef', id: `g${(t.meta as { id: number }).id}` });
        break;
      case 'footnote_anchor':
        break;
      case 'image':
        // An image inside a heading or table cell: its description stands for it.
        if (t.content) push({ type: 'text', value: t.content });
        break;
      default:
        if (t.content) push({ type: 'text', value: t.content });
    }
  }
  return root;
}

/** Drop the spaces a removed comment or image leaves at a paragraph's ends. */
function trimEnds(inlines: Inline[]): Inline[] {
  const first = inlines[0];
  if (first?.type === 'text') first.value = first.value.replace(/^\s+/, '');
  const last = inlines[inlines.length - 1];
  if (last?.type === 'text') last.value = last.value.replace(/\s+$/, '');
  return inlines.filter((n) => n.type !== 'text' || n.value);
}

function splitChapters(blocks: Block[], minLevel = 1, canTitle = true): { chapters: DraftChapter[]; titleHint?: string } {
  const headings = blocks.filter((b): b is Extract<Block, { type: 'heading' }> => b.type === 'heading' && b.level >= minLevel);
  if (!headings.length) return { chapters: [{ ...emptyChapter(), blocks }] };
  const level = Math.min(...headings.map((h) => h.level));
  const top = headings.filter((h) => h.level === level);
  const opensText = blocks[0]?.type === 'heading' && blocks[0].level === level;
  if (top.length === 1 && !opensText) return { chapters: [{ ...emptyChapter(), blocks }] };
  if (top.length === 1 && opensText) {
    const text = inlinePlain(top[0]!.children);
    // A lone opening heading is the story's title — unless it heads a chapter (`# Prologue`, `# Chapter 1`);
    // the chapters are then the headings a level below (`# Title` over `## Chapter 1`, `## Chapter 2`).
    if (!parseChapterHeading(text, true)) {
      if (!canTitle) return { chapters: [{ ...emptyChapter(), blocks }] };
      return { chapters: splitChapters(blocks.slice(1), level + 1, false).chapters, titleHint: text };
    }
  }
  const chapters: DraftChapter[] = [];
  let current: DraftChapter | null = null;
  for (const b of blocks) {
    if (b.type === 'heading' && b.level === level) {
      const parsed = parseChapterHeading(inlinePlain(b.children)) ?? { label: '', title: '' };
      current = { ...emptyChapter(), label: parsed.label, title: parsed.title };
      chapters.push(current);
    } else {
      if (!current) {
        current = emptyChapter();
        chapters.push(current);
      }
      current.blocks.push(b);
    }
  }
  return { chapters };
}

/**
 * Give a chapter the footnotes it refers to, numbered 1, 2, … in the order
 * it first refers to them, and point its references at those numbers.
 */
function attachFootnotes(ch: DraftChapter, notes: ReadonlyMap<number, Block[]>): void {
  const numbers = new Map<string, string>();
  const footnotes: Footnote[] = [];
  const visitInlines = (inlines: Inline[]): Inline[] =>
    inlines.map((n): Inline => {
      if (n.type === 'noteRef') {
        let id = numbers.get(n.id);
        if (id === undefined) {
          id = String(numbers.size + 1);
          numbers.set(n.id, id);
          footnotes.push({ id, blocks: visitBlocks(notes.get(Number(n.id.slice(1))) ?? []) });
        }
        return { type: 'noteRef', id };
      }
      return 'children' in n ? ({ ...n, children: visitInlines(n.children) } as Inline) : n;
    });
  const visitBlocks = (blocks: Block[]): Block[] =>
    blocks.map((b): Block => {
      switch (b.type) {
        case 'paragraph':
        case 'heading':
          return { ...b, children: visitInlines(b.children) };
        case 'blockquote':
          return { ...b, children: visitBlocks(b.children) };
        case 'list':
          return { ...b, items: b.items.map(visitBlocks) };
        case 'table':
          return { ...b, rows: b.rows.map((r) => ({ ...r, cells: r.cells.map(visitInlines) })) };
        default:
          return b;
      }
    });
  ch.blocks = visitBlocks(ch.blocks);
  if (footnotes.length) ch.footnotes = footnotes;
}

function inlinePlain(inlines: Inline[]): string {
  return inlines
    .map((n) => (n.type === 'text' ? n.value : n.type === 'lineBreak' ? ' ' : 'children' in n ? inlinePlain(n.children) : ''))
    .join('')
    .replace(/\s+/g, ' ')
    .trim();
}
