import type * as Yaml from 'yaml';
import { lazy } from '../lazy.js';

/** Where a YAML or JSON parse error is, and what it says, for one-line diagnostics. */

const yaml = lazy<typeof Yaml>('yaml');

/**
 * Where a YAML or JSON parse error is, as a 1-based line and column in the
 * file: `text` is what was parsed, `linesBefore` the file's lines before it.
 * Undefined when the error says nothing about where.
 */
export function errorPosition(err: unknown, text: string, linesBefore = 0): { line: number; column: number } | undefined {
  let offset = yamlErrorOffset(err, text) ?? jsonErrorOffset(err, text);
  if (offset === undefined) return undefined;
  // Past the last word (the text ended too soon) is reported at the end of the last line with any text on it.
  offset = Math.max(0, Math.min(offset, text.trimEnd().length));
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return { line: linesBefore + line, column: offset - (before.lastIndexOf('\n') + 1) + 1 };
}

/**
 * The yaml package gives an offset (`pos`). For a bracket or quote left
 * open it is the end of the text, where the parser gave up: the opener is
 * where the mistake is, so point there (the last one still open before the
 * error, found in the parser's token tree).
 */
function yamlErrorOffset(err: unknown, text: string): number | undefined {
  const pos = (err as { pos?: unknown })?.pos;
  if (!Array.isArray(pos) || typeof pos[0] !== 'number') return undefined;
  let opener: number | undefined;
  const stack: unknown[] = [...new (yaml().Parser)().parse(text)];
  while (stack.length) {
    const node = stack.pop();
    if (!node || typeof node !== 'object') continue;
    if (Array.isArray(node)) {
      stack.push(...node);
      continue;
    }
    const t = node as { type?: string; offset?: number; source?: string; end?: Array<{ type: string }> };
    if (typeof t.offset === 'number' && t.offset <= pos[0] && isUnclosed(t) && (opener === undefined || t.offset > opener)) opener = t.offset;
    for (const value of Object.values(node)) if (value && typeof value === 'object') stack.push(value);
  }
  return opener ?? pos[0];
}

/** A flow collection without its closing bracket, or a quoted scalar without its closing quote. */
function isUnclosed(t: { type?: string; source?: string; end?: Array<{ type: string }> }): boolean {
  switch (t.type) {
    case 'flow-collection':
      return !t.end?.some((e) => e.type === 'flow-seq-end' || e.type === 'flow-map-end');
    case 'double-quoted-scalar':
      return !/^"(?:[^"\\]|\\[^])*"$/.test(t.source ?? '');
    case 'single-quoted-scalar':
      return !/^'(?:[^']|'')*'$/.test(t.source ?? '');
    default:
      return false;
  }
}

/** A parse error's message in one short line: V8's JSON messages lose the position and the quoted context (the position is reported apart). */
export function errorReason(err: unknown): string {
  const first = err instanceof Error ? err.message.split('\n')[0]! : String(err);
  if (!(err instanceof SyntaxError)) return first;
  const token = /^Unexpected token (.*?), (?:\.\.\.)?"/.exec(err.message);
  if (token) return `unexpected ${token[1]}`;
  return first.replace(/ in JSON at position \d+.*$/, '').replace(/ \(line \d+ column \d+\)$/, '');
}

/**
 * JSON.parse (V8) names an offset in its message (`in JSON at position 12`),
 * or shows the text around the bad token (`Unexpected token 'o', ..."x": oops…`,
 * ten characters either side), or says the text ended too soon (the last line).
 */
function jsonErrorOffset(err: unknown, text: string): number | undefined {
  if (!(err instanceof SyntaxError)) return undefined;
  const at = /at position (\d+)/.exec(err.message);
  if (at) return Number(at[1]);
  if (/end of (?:JSON )?input/i.test(err.message)) return text.trimEnd().length;
  const around = /^Unexpected token .*?, (\.\.\.)?"([^]*)"(\.\.\.)? is not valid JSON$/.exec(err.message);
  if (!around || (!around[1] && !around[3])) return undefined;
  const context = around[2]!;
  const start = text.indexOf(context);
  if (start < 0) return undefined;
  return around[1] ? start + 10 : start + context.length - 10;
}
