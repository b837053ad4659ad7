/**
 * Fuzz: random mutations of valid inputs (the sample works and the golden
 * fixtures, all original) through the whole pipeline — read, normalize,
 * write EPUB and PDF — for a bounded time. Invariants: nothing throws,
 * every diagnostic is a well-formed one-line value, every page of every
 * EPUB is well-formed XML with nothing executable in it, every PDF is
 * complete. Deterministic: a failure names its seed and case.
 */
import { readdirSync, readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { loadStyles } from '../src/compile.js';
import { normalize } from '../src/normalize/index.js';
import { buildWork, type InputKind } from '../src/read/work.js';
import { writeEpub } from '../src/write/epub/index.js';
import { koboPage } from '../src/write/kepub/index.js';
import { writePdf } from '../src/write/pdf/index.js';
import { rng } from './bench/corpus.js';
import { unzipText } from './helpers/epub.js';
import { epubcheck } from './helpers/tools.js';

const SEED = Number(process.env.FUZZ_SEED ?? 20261121);
const BUDGET_MS = Number(process.env.FUZZ_MS ?? 15000);

const TOKENS = [
  '"', '“', '”', "'", '‘', '’', ' ', '\n', '\n\n', '<script>alert(1)</script>', '<img src=x onerror=alert(1)>', '<a href="javascript:alert(1)">x</a>',
  '<svg onload=alert(1)>', '<iframe src="https://t.example/">', '<em>', '</em>', '<p>', '</p>', '<ul>', '<li>', '</div>', '&amp;', '&#0;', '&#xFFFF;',
  ' Notes: ', ' Summary: ', 'Chapter 3: The End ', ' Chapter Text ', ' Work Text: ', ' Series this work belongs to: ← Previous Work Part 0 of the X series ',
  ' Part 7 of Y ', '* * *', '---\n', '---\ntitle: [\n', '\u0000', '\u0007', '\uFFFF', '\u202E', '🐉', 'é', '—', '--', '...', '*', '_', '#', '\r\n', '\t',
];

const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@', preserveOrder: true, processEntities: true });
const FORBIDDEN = new Set(['script', 'iframe', 'svg', 'object', 'embed', 'form', 'input', 'style', 'base', 'frame', 'applet']);

/** Anything in parsed XML that could run or load: forbidden elements, on* attributes, dangerous or remote URLs. */
function executable(xml: string): string[] {
  const found: string[] = [];
  const stack: unknown[] = [parser.parse(xml)];
  while (stack.length) {
    const node = stack.pop();
    if (Array.isArray(node)) {
      stack.push(...node);
      continue;
    }
    if (!node || typeof node !== 'object') continue;
    const entries = Object.entries(node as Record<string, unknown>);
    const tag = entries.find(([k]) => k !== ':@' && k !== '#text')?.[0];
    const attrs = ((node as Record<string, unknown>)[':@'] ?? {}) as Record<string, string>;
    const name = (tag ?? '').toLowerCase().replace(/^.*:/, '');
    if (tag && FORBIDDEN.has(name)) found.push(`element ${tag}`);
    for (const [attr, v] of Object.entries(attrs)) {
      const a = attr.slice(1).toLowerCase();
      if (a.startsWith('on')) found.push(`attribute ${a}`);
      if ((a === 'href' || a === 'src') && /^\s*(?:javascript|data|file|vbscript):/i.test(String(v))) found.push(`${a}=${v}`);
      // Only links may point off the book; what loads (stylesheets, images) must be inside it.
      if ((name === 'link' || name === 'img' || a === 'src') && /^\s*[a-z][a-z0-9+.-]*:|^\s*\/\//i.test(String(v))) found.push(`${name} ${a}=${v}`);
    }
    if (tag) stack.push((node as Record<string, unknown>)[tag]);
  }
  return found;
}

function mutate(text: string, r: () => number): string {
  let t = text;
  const n = 1 + Math.floor(r() * 6);
  for (let i = 0; i < n; i++) {
    const at = Math.floor(r() * (t.length + 1));
    const len = Math.floor(r() * Math.min(200, t.length + 1));
    switch (Math.floor(r() * 5)) {
      case 0:
        t = t.slice(0, at) + t.slice(at + len);
        break;
      case 1:
        t = t.slice(0, at) + t.slice(at, at + len) + t.slice(at);
        break;
      case 2:
        t = t.slice(0, at) + TOKENS[Math.floor(r() * TOKENS.length)] + t.slice(at);
        break;
      case 3: {
        const b = Math.floor(r() * (t.length + 1));
        t = t.slice(0, at) + t.slice(b, b + len) + t.slice(at);
        break;
      }
      default:
        t = t.slice(0, at) + String.fromCharCode(Math.floor(r() * 0x3000)) + t.slice(at);
    }
  }
  return t;
}

function seeds(): Array<{ name: string; text: string; kind: InputKind }> {
  const out: Array<{ name: string; text: string; kind: InputKind }> = [];
  const add = (path: string) => {
    const kind: InputKind = path.endsWith('.md') ? 'markdown' : path.endsWith('.html') ? 'html' : 'text';
    out.push({ name: path, text: readFileSync(path, 'utf8'), kind });
  };
  for (const f of readdirSync('works')) if (/\.(txt|md)$/.test(f)) add(join('works', f));
  for (const d of readdirSync('test/fixtures')) for (const f of readdirSync(join('test/fixtures', d))) if (/^input\./.test(f)) add(join('test/fixtures', d, f));
  return out;
}

describe('fuzz', () => {
  it(`keeps every invariant for random mutations (seed ${SEED}, ${BUDGET_MS} ms)`, async () => {
    const styles = await loadStyles('styles');
    const base = seeds();
    const r = rng(SEED);
    const started = Date.now();
    const keep = mkdtempSync(join(tmpdir(), 'quire-fuzz-'));
    const kept: string[] = [];
    let cases = 0;
    while (Date.now() - started < BUDGET_MS) {
      const s = base[Math.floor(r() * base.length)]!;
      const text = mutate(s.text, r);
      const label = `seed ${SEED} case ${cases} (${s.name})`;
      const result = buildWork({ text, file: `fuzz/${cases}.${s.kind === 'markdown' ? 'md' : s.kind === 'html' ? 'html' : 'txt'}`, kind: s.kind });
      for (const d of result.diagnostics) {
        expect(d.file, label).toBeTruthy();
        expect(d.code, label).toMatch(/^[a-z-]+\/[a-z-]+$/);
        expect(['error', 'warning', 'info'], label).toContain(d.severity);
      }
      if (result.work) {
        const work = normalize(result.work);
        const epub = await writeEpub(work, { css: styles.css, generator: 'Quire (fuzz)', fonts: styles.theme });
        for (const [name, content] of await unzipText(epub)) {
          if (!/\.(xhtml|opf|ncx)$/.test(name)) continue;
          const valid = XMLValidator.validate(content);
          expect(valid, `${label}: ${name} ${JSON.stringify(valid)}`).toBe(true);
          // Kobo's form of every page stays well formed too.
          if (name.endsWith('.xhtml')) expect(XMLValidator.validate(koboPage(content)), `${label}: kepub ${name}`).toBe(true);
          const bad = executable(content);
          expect(bad, `${label}: ${name}`).toEqual([]);
        }
        if (cases % 4 === 0) {
          const pdf = await writePdf(work, { theme: styles.theme, generator: 'Quire (fuzz)' });
          expect(pdf.subarray(0, 5).toString(), label).toBe('%PDF-');
          expect(pdf.subarray(-6).toString().trim(), label).toBe('%%EOF');
        }
        if (kept.length < 2 && cases % 7 === 3) {
          const f = join(keep, `case-${cases}.epub`);
          writeFileSync(f, epub);
          kept.push(f);
        }
      }
      cases++;
    }
    expect(cases).toBeGreaterThan(20);
    // A couple of the mutated books through the real validator.
    for (const f of kept) {
      const c = await epubcheck(f);
      expect({ f, errors: c.errors, warnings: c.warnings }, c.output).toEqual({ f, errors: 0, warnings: 0 });
    }
  });
});
