import type { AnyNode, Document, Element } from 'domhandler';

/**
 * Small helpers over an htmlparser2 DOM, none of them recursive (hostile
 * files nest thousands of elements deep).
 */

/** Walk a DOM in document order, yielding its elements. */
export function* walk(nodes: readonly AnyNode[]): Generator<Element> {
  const stack: AnyNode[] = [...nodes].reverse();
  while (stack.length) {
    const n = stack.pop()!;
    if (n.type === 'tag' || n.type === 'script' || n.type === 'style') {
      const el = n as Element;
      yield el;
      for (let i = el.children.length - 1; i >= 0; i--) stack.push(el.children[i]!);
    } else if (n.type === 'root') {
      const d = n as unknown as Document;
      for (let i = d.children.length - 1; i >= 0; i--) stack.push(d.children[i]!);
    }
  }
}

export const hasClass = (el: Element, cls: string) => (el.attribs.class ?? '').split(/\s+/).includes(cls);

export function byId(root: readonly AnyNode[], id: string): Element | undefined {
  for (const el of walk(root)) if (el.attribs.id === id) return el;
  return undefined;
}

export function find(root: readonly AnyNode[], test: (el: Element) => boolean): Element | undefined {
  for (const el of walk(root)) if (test(el)) return el;
  return undefined;
}

export const findAll = (root: readonly AnyNode[], test: (el: Element) => boolean): Element[] => [...walk(root)].filter(test);

/** Text of a node, gathered without recursion. */
export function textContent(n: AnyNode | readonly AnyNode[]): string {
  const stack: AnyNode[] = Array.isArray(n) ? [...n].reverse() : [n as AnyNode];
  let out = '';
  while (stack.length) {
    const node = stack.pop()!;
    if (node.type === 'text') out += (node as unknown as { data: string }).data;
    else if ('children' in node) for (let i = (node as Element).children.length - 1; i >= 0; i--) stack.push((node as Element).children[i]!);
  }
  return out;
}

/** Text of a node with its spacing collapsed. */
export const text = (n: AnyNode | readonly AnyNode[]) => textContent(n).replace(/\s+/g, ' ').trim();

const VOID = new Set(['br', 'hr', 'img', 'input', 'meta', 'link', 'area', 'base', 'col', 'embed', 'source', 'track', 'wbr']);
const escText = (s: string) => s.replace(/[&<>]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;' })[c]!);
const escAttr = (s: string) => s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);

/** The HTML of nodes, serialised without recursion, for the sanitizing converter. */
export function outerHtml(nodes: readonly AnyNode[]): string {
  type Item = AnyNode | { close: string };
  const stack: Item[] = [...nodes].reverse();
  let out = '';
  while (stack.length) {
    const item = stack.pop()!;
    if ('close' in item) {
      out += `</${item.close}>`;
      continue;
    }
    if (item.type === 'text') out += escText((item as unknown as { data: string }).data);
    else if (item.type === 'comment') out += `<!--${(item as unknown as { data: string }).data.replace(/--/g, '- -')}-->`;
    else if (item.type === 'tag' || item.type === 'script' || item.type === 'style') {
      const e = item as Element;
      out += `<${e.name}${Object.entries(e.attribs).map(([k, v]) => ` ${k}="${escAttr(v)}"`).join('')}>`;
      if (VOID.has(e.name)) continue;
      stack.push({ close: e.name });
      for (let i = e.children.length - 1; i >= 0; i--) stack.push(e.children[i]!);
    }
  }
  return out;
}

/** An element's inner HTML. */
export const innerHtml = (el: Element) => outerHtml(el.children);

/** An element's element children. */
export const elements = (el: Element | Document) => el.children.filter((c): c is Element => c.type === 'tag');

export const isHeading = (el: Element) => /^h[1-6]$/.test(el.name);
