import { existsSync, readFileSync, statSync } from 'node:fs';
import { imageKind } from './image-check.js';
import { isAbsolute, resolve } from 'node:path';
import type { AnyNode, Element } from 'domhandler';
import type * as Htmlparser2 from 'htmlparser2';
import type sanitizeHtmlType from 'sanitize-html';
import { lazy } from '../lazy.js';
import { diagnostic, type Diagnostic } from '../diagnostics.js';
import type { Align, Block, Inline, TableRow } from '../model/types.js';

/**
 * Untrusted author HTML → chapter-model blocks.
 *
 * Two layers: sanitize-html keeps only an allowlist of tags, attributes and
 * URL schemes (no scripts, event handlers, styles that load anything,
 * `javascript:`/`data:` URLs, iframes, objects, forms); then the DOM is
 * flattened into a stream of text runs and block edges, and rebuilt as the
 * model — which repairs invalid nesting (`<em><p>`, text straight inside
 * `<ul>`) so the XHTML written from it is valid, not just well-formed.
 * Nothing here recurses on the input's depth.
 */

export interface HtmlContext {
  /** The source file, for messages. */
  file: string;
  /** Folder that relative image paths resolve against. */
  baseDir: string;
  diagnostics: Diagnostic[];
  /** Images that live inside the input (an EPUB's), by their `src` as written: a name and the bytes. */
  resolveImage?: (src: string) => { src: string; data: Uint8Array } | undefined;
}

const INLINE_TAGS = ['em', 'i', 'cite', 'var', 'strong', 'b', 'u', 'ins', 's', 'strike', 'del', 'a', 'span', 'small', 'big', 'sup', 'sub', 'abbr', 'q', 'code', 'kbd', 'samp', 'tt', 'font', 'mark', 'dfn', 'time', 'bdi', 'bdo', 'wbr'];
const BLOCK_TAGS = ['p', 'div', 'center', 'blockquote', 'ul', 'ol', 'li', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'hr', 'br', 'table', 'thead', 'tbody', 'tfoot', 'tr', 'th', 'td', 'caption', 'pre', 'dl', 'dt', 'dd', 'figure', 'figcaption', 'details', 'summary', 'section', 'article', 'aside', 'header', 'footer', 'address', 'img'];

/** The allowlist: anything else is removed (its text kept, unless it is never text, like a script). */
export const htmlparser2 = lazy<typeof Htmlparser2>('htmlparser2');
const sanitizeHtml = lazy<typeof sanitizeHtmlType>('sanitize-html');

export const SANITIZE_OPTIONS: sanitizeHtmlType.IOptions = {
  allowedTags: [...INLINE_TAGS, ...BLOCK_TAGS],
  allowedAttributes: {
    a: ['href'],
    img: ['src', 'alt'],
    '*': ['align', 'style'],
  },
  allowedStyles: { '*': { 'text-align': [/^(?:left|right|center|justify)$/] } },
  allowedSchemes: ['http', 'https', 'mailto'],
  // Kept so the reader can warn about them; never fetched, never written.
  allowedSchemesByTag: { img: ['http', 'https', 'data'] },
  allowedSchemesAppliedToAttributes: ['href', 'src'],
  allowProtocolRelative: false,
  disallowedTagsMode: 'discard',
  nonTextTags: ['script', 'style', 'textarea', 'option', 'noscript', 'iframe', 'object', 'embed', 'svg', 'math', 'template', 'select', 'button', 'frameset', 'frame', 'head', 'title', 'canvas', 'audio', 'video', 'applet'],
  enforceHtmlBoundary: false,
  parser: { lowerCaseTags: true, lowerCaseAttributeNames: true },
};

type Mark = { type: 'emphasis' | 'strong' | 'underline' | 'strike' } | { type: 'link'; url: string };

type Event =
  | { e: 'text'; value: string; marks: Mark[]; pre: boolean }
  | { e: 'br'; marks: Mark[] }
  | { e: 'open'; tag: string; align?: Align }
  | { e: 'close'; tag: string }
  | { e: 'hr' }
  | { e: 'img'; src: string; alt: string; data?: Uint8Array };

const MARK_OF: Record<string, 'emphasis' | 'strong' | 'underline' | 'strike'> = {
  em: 'emphasis',
  i: 'emphasis',
  cite: 'emphasis',
  var: 'emphasis',
  dfn: 'emphasis',
  strong: 'strong',
  b: 'strong',
  u: 'underline',
  ins: 'underline',
  s: 'strike',
  strike: 'strike',
  del: 'strike',
};

/** Nested inline marks beyond this are not nested further (hostile depth). */
const MAX_MARKS = 12;

function alignOf(el: Element): Align | undefined {
  const a = (el.attribs.align ?? '').toLowerCase();
  const style = /text-align\s*:\s*(\w+)/i.exec(el.attribs.style ?? '')?.[1]?.toLowerCase();
  const v = style ?? a;
  return v === 'center' || v === 'right' ? v : el.name === 'center' ? 'center' : undefined;
}

/** Sanitize, then walk the DOM iteratively into events. */
function events(html: string, ctx: HtmlContext): Event[] {
  const clean = sanitizeHtml()(html, SANITIZE_OPTIONS);
  const doc = htmlparser2().parseDocument(clean, { decodeEntities: true });
  const out: Event[] = [];
  type Frame = { node: AnyNode; marks: Mark[]; pre: boolean; exit?: string };
  const stack: Frame[] = [];
  for (let i = doc.children.length - 1; i >= 0; i--) stack.push({ node: doc.children[i]!, marks: [], pre: false });
  while (stack.length) {
    const f = stack.pop()!;
    if (f.exit) {
      out.push({ e: 'close', tag: f.exit });
      continue;
    }
    const node = f.node;
    if (node.type === 'text') {
      const value = (node as unknown as { data: string }).data;
      if (value) out.push({ e: 'text', value, marks: f.marks, pre: f.pre });
      continue;
    }
    if (node.type !== 'tag') continue;
    const el = node as Element;
    const name = el.name;
    let marks = f.marks;
    let pre = f.pre;
    if (name === 'br') {
      out.push({ e: 'br', marks });
      continue;
    }
    if (name === 'hr') {
      out.push({ e: 'hr' });
      continue;
    }
    if (name === 'img') {
      const src = el.attribs.src ?? '';
      const alt = el.attribs.alt ?? '';
      const inside = ctx.resolveImage?.(src);
      if (inside && !imageKind(inside.data)) ctx.diagnostics.push(diagnostic('warning', 'html/broken-image', ctx.file, `left out an image that is damaged or not the image it claims to be: ${src.slice(0, 80)}`));
      else if (inside) out.push({ e: 'img', src: inside.src, alt, data: inside.data });
      else {
        const local = localImage(src, ctx);
        if (local) out.push({ e: 'img', src: local, alt });
      }
      continue;
    }
    const markType = MARK_OF[name];
    if (markType && marks.length < MAX_MARKS && !marks.some((m) => m.type === markType)) marks = [...marks, { type: markType }];
    if (name === 'a' && el.attribs.href && /^(?:https?:|mailto:)/i.test(el.attribs.href) && marks.length < MAX_MARKS && !marks.some((m) => m.type === 'link')) {
      marks = [...marks, { type: 'link', url: el.attribs.href }];
    }
    if (name === 'pre') pre = true;
    const isBlock = BLOCK_TAGS.includes(name);
    if (isBlock) {
      const align = alignOf(el);
      out.push({ e: 'open', tag: name, ...(align ? { align } : {}) });
      stack.push({ node, marks, pre, exit: name });
    }
    for (let i = el.children.length - 1; i >= 0; i--) stack.push({ node: el.children[i]!, marks, pre });
  }
  return out;
}

/** A local image path that exists, or undefined (with a warning for a remote or missing one). */
export function localImage(src: string, ctx: HtmlContext): string | undefined {
  if (!src) return undefined;
  if (/^data:/i.test(src)) {
    ctx.diagnostics.push(diagnostic('warning', 'html/data-image', ctx.file, 'left out an image embedded as a data: URL'));
    return undefined;
  }
  if (/^[a-z][a-z0-9+.-]*:/i.test(src) || src.startsWith('//')) {
    ctx.diagnostics.push(diagnostic('warning', 'html/remote-image', ctx.file, `left out a remote image (${src.slice(0, 80)}); Quire never fetches from the network`));
    return undefined;
  }
  let path: string;
  try {
    path = isAbsolute(src) ? src : resolve(ctx.baseDir, decodeURIComponent(src.split(/[?#]/)[0]!));
  } catch {
    return undefined;
  }
  if (!/\.(?:png|jpe?g|gif)$/i.test(path) || !existsSync(path) || !statSync(path).isFile()) {
    ctx.diagnostics.push(diagnostic('warning', 'html/missing-image', ctx.file, `left out an image that is not a PNG, JPEG or GIF file beside the story: ${src.slice(0, 80)}`));
    return undefined;
  }
  if (!imageKind(readFileSync(path))) {
    ctx.diagnostics.push(diagnostic('warning', 'html/broken-image', ctx.file, `left out an image file that is damaged or not the image it claims to be: ${src.slice(0, 80)}`));
    return undefined;
  }
  return path;
}

/** Runs of marked text → nested inlines. */
function nest(runs: Array<{ node: Inline; marks: Mark[] }>, level: number): Inline[] {
  const out: Inline[] = [];
  let i = 0;
  while (i < runs.length) {
    const mark = runs[i]!.marks[level];
    if (!mark) {
      out.push(runs[i]!.node);
      i++;
      continue;
    }
    let j = i;
    while (j < runs.length && sameMark(runs[j]!.marks[level], mark)) j++;
    const children = nest(runs.slice(i, j), level + 1);
    out.push(mark.type === 'link' ? { type: 'link', url: mark.url, children } : { type: mark.type, children });
    i = j;
  }
  return out;
}

function sameMark(a: Mark | undefined, b: Mark): boolean {
  if (!a || a.type !== b.type) return false;
  return a.type !== 'link' || (b.type === 'link' && a.url === b.url);
}

/** Merge neighbouring text, trim the ends, and drop a paragraph that is only space. */
function finishInlines(inlines: Inline[]): Inline[] {
  const merged: Inline[] = [];
  for (const n of inlines) {
    const last = merged[merged.length - 1];
    if (n.type === 'text' && last?.type === 'text') last.value += n.value;
    else if (n.type === 'text') merged.push({ ...n });
    else if ('children' in n) {
      const children = finishInlines(n.children);
      if (children.length) merged.push({ ...n, children } as Inline);
    } else merged.push(n);
  }
  return merged;
}

function trimInlines(inlines: Inline[]): Inline[] {
  const out = finishInlines(inlines);
  const edge = (list: Inline[], start: boolean): void => {
    const n = start ? list[0] : list[list.length - 1];
    if (!n) return;
    if (n.type === 'text') {
      n.value = start ? n.value.replace(/^\s+/, '') : n.value.replace(/\s+$/, '');
      if (!n.value) {
        if (start) list.shift();
        else list.pop();
        edge(list, start);
      }
    } else if (n.type === 'lineBreak') {
      if (start) list.shift();
      else list.pop();
      edge(list, start);
    } else if ('children' in n) {
      edge(n.children, start);
      if (!n.children.length) {
        if (start) list.shift();
        else list.pop();
        edge(list, start);
      }
    }
  };
  edge(out, true);
  edge(out, false);
  return out;
}

interface Container {
  kind: 'root' | 'blockquote' | 'list' | 'item' | 'table';
  blocks: Block[];
  ordered?: boolean;
  items?: Block[][];
  rows?: TableRow[];
}

/** Author HTML → blocks (sanitized, nesting repaired). */
export function htmlToBlocks(html: string, ctx: HtmlContext): Block[] {
  const root: Container = { kind: 'root', blocks: [] };
  const stack: Container[] = [root];
  const top = () => stack[stack.length - 1]!;
  let runs: Array<{ node: Inline; marks: Mark[] }> = [];
  let align: Align | undefined;
  let heading: number | undefined;
  let cell: Array<{ node: Inline; marks: Mark[] }> | undefined;
  let row: TableRow | undefined;

  const target = (): Block[] => {
    const t = top();
    if (t.kind === 'list') {
      // Text straight inside a list: give it an item of its own.
      const item: Container = { kind: 'item', blocks: [] };
      t.items!.push(item.blocks);
      stack.push(item);
      return item.blocks;
    }
    if (t.kind === 'table') return root.blocks; // handled by cells
    return t.blocks;
  };
  const flush = () => {
    if (!runs.length) return;
    const children = trimInlines(nest(runs, 0));
    runs = [];
    if (!children.length) return;
    const block: Block = heading ? { type: 'heading', level: heading, children } : { type: 'paragraph', children };
    if (align) block.align = align;
    target().push(block);
  };
  /** The block a finished container becomes (nothing when it is empty). */
  const finish = (c: Container): Block | undefined => {
    if (c.kind === 'blockquote') return c.blocks.length ? { type: 'blockquote', children: c.blocks } : undefined;
    if (c.kind === 'list') {
      const items = c.items!.filter((it) => it.length);
      return items.length ? { type: 'list', ordered: !!c.ordered, items } : undefined;
    }
    if (c.kind === 'table') {
      const rows = c.rows!.filter((r) => r.cells.some((x) => x.length));
      return rows.length ? { type: 'table', rows } : undefined;
    }
    return undefined; // an item's blocks are already in its list
  };
  /** Close containers down to the innermost `kind`, each finished into its parent; returns that one. */
  const closeTo = (kind: Container['kind']) => {
    flush();
    if (!stack.some((c, i) => i > 0 && c.kind === kind)) return undefined;
    while (stack.length > 1 && top().kind !== kind) {
      const b = finish(stack.pop()!);
      if (b) target().push(b);
    }
    return stack.pop();
  };

  for (const ev of events(html, ctx)) {
    switch (ev.e) {
      case 'text': {
        const value = ev.pre ? ev.value : ev.value.replace(/[\s\u00a0]+/g, (m) => (m.includes('\u00a0') && !/[^\u00a0]/.test(m) ? '\u00a0' : ' '));
        if (cell) {
          cell.push({ node: { type: 'text', value }, marks: ev.marks });
          break;
        }
        if (ev.pre && value.includes('\n')) {
          value.split('\n').forEach((line, k) => {
            if (k) runs.push({ node: { type: 'lineBreak' }, marks: ev.marks });
            if (line) runs.push({ node: { type: 'text', value: line }, marks: ev.marks });
          });
        } else runs.push({ node: { type: 'text', value }, marks: ev.marks });
        break;
      }
      case 'br':
        if (cell) cell.push({ node: { type: 'text', value: ' ' }, marks: ev.marks });
        else runs.push({ node: { type: 'lineBreak' }, marks: ev.marks });
        break;
      case 'hr':
        flush();
        if (!cell) target().push({ type: 'sceneBreak' });
        break;
      case 'img':
        flush();
        if (!cell) target().push({ type: 'image', src: ev.src, alt: ev.alt, ...(ev.data ? { data: ev.data } : {}) });
        break;
      case 'open':
        if (cell && ev.tag !== 'td' && ev.tag !== 'th' && ev.tag !== 'tr') {
          cell.push({ node: { type: 'text', value: ' ' }, marks: [] });
          break;
        }
        switch (ev.tag) {
          case 'blockquote':
            flush();
            stack.push({ kind: 'blockquote', blocks: [] });
            break;
          case 'ul':
          case 'ol':
          case 'dl':
            flush();
            stack.push({ kind: 'list', blocks: [], ordered: ev.tag === 'ol', items: [] });
            break;
          case 'li':
          case 'dt':
          case 'dd': {
            flush();
            let t = top();
            if (t.kind === 'item') {
              stack.pop();
              t = top();
            }
            if (t.kind !== 'list') {
              // An item outside a list: give it a list.
              const list: Container = { kind: 'list', blocks: [], ordered: false, items: [] };
              stack.push(list);
              t = list;
            }
            const item: Container = { kind: 'item', blocks: [] };
            t.items!.push(item.blocks);
            stack.push(item);
            break;
          }
          case 'table':
            flush();
            stack.push({ kind: 'table', blocks: [], rows: [] });
            break;
          case 'tr':
            if (top().kind === 'table') {
              row = { header: false, cells: [] };
              top().rows!.push(row);
            }
            break;
          case 'td':
          case 'th':
            if (top().kind !== 'table') {
              flush();
              stack.push({ kind: 'table', blocks: [], rows: [] });
            }
            if (!row) {
              row = { header: false, cells: [] };
              top().rows!.push(row);
            }
            if (ev.tag === 'th') row.header = true;
            cell = [];
            break;
          case 'h1':
          case 'h2':
          case 'h3':
          case 'h4':
          case 'h5':
          case 'h6':
            flush();
            heading = Number(ev.tag[1]);
            align = ev.align;
            break;
          default:
            // p, div, center, pre, figure, section…: a paragraph edge.
            flush();
            if (ev.align) align = ev.align;
        }
        break;
      case 'close':
        switch (ev.tag) {
          case 'blockquote':
          case 'ul':
          case 'ol':
          case 'dl': {
            const c = closeTo(ev.tag === 'blockquote' ? 'blockquote' : 'list');
            const b = c && finish(c);
            if (b) target().push(b);
            break;
          }
          case 'li':
          case 'dt':
          case 'dd':
            flush();
            if (top().kind === 'item') stack.pop();
            break;
          case 'td':
          case 'th':
            if (cell) {
              row?.cells.push(trimInlines(nest(cell, 0)));
              cell = undefined;
            }
            break;
          case 'tr':
            row = undefined;
            break;
          case 'table': {
            if (cell) row?.cells.push(trimInlines(nest(cell, 0)));
            cell = undefined;
            row = undefined;
            const c = closeTo('table');
            const b = c && finish(c);
            if (b) target().push(b);
            break;
          }
          case 'h1':
          case 'h2':
          case 'h3':
          case 'h4':
          case 'h5':
          case 'h6':
            flush();
            heading = undefined;
            align = undefined;
            break;
          default:
            flush();
            align = undefined;
        }
        break;
    }
  }
  flush();
  while (stack.length > 1) {
    const b = finish(stack.pop()!);
    if (b) target().push(b);
  }
  return root.blocks;
}
