/**
 * Every script a reader writes in, through the real CLI: original short
 * stories in Chinese (Simplified and Traditional), Japanese, Korean, Arabic,
 * Hebrew, Hindi, Thai and an emoji-heavy English one are built to PDF (and
 * EPUB), and the PDFs are read back: every character of the story comes
 * back from pdftotext (no missing-glyph warning, the script's own font
 * embedded, qpdf --check clean), every word stays inside the text block, right-to-left lines
 * run right to left (pdftotext -bbox), and no line starts with closing
 * CJK punctuation.
 */
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { readAll } from '../../src/compile.js';
import { blockText, countWords } from '../../src/model/text.js';
import type { Work } from '../../src/model/types.js';
import { unzipText, words, firstMissing } from '../helpers/epub.js';
import type { PdfTheme } from '../../src/write/pdf/index.js';
import { epubcheckAll, quire, tool } from '../helpers/tools.js';
import theme from '../../styles/pdf-theme.json' with { type: 'json' };

const DIR = 'test/samples/scripts';
const MM = 72 / 25.4;

interface Case {
  file: string;
  /** A font pdffonts must list. */
  font: RegExp;
  rtl?: boolean;
  cjk?: boolean;
}

const CASES: Case[] = [
  { file: 'zh.md', font: /NotoSerifSC/, cjk: true },
  { file: 'zh-hant.md', font: /NotoSansTC/, cjk: true },
  { file: 'ja.md', font: /NotoSerifJP/, cjk: true },
  { file: 'ko.md', font: /NotoSansKR/ },
  { file: 'ar.md', font: /NotoNaskhArabic/, rtl: true },
  { file: 'he.md', font: /FrankRuhlLibre/, rtl: true },
  { file: 'hi.md', font: /NotoSansDevanagari/ },
  { file: 'th.md', font: /NotoSansThai/ },
  { file: 'emoji.md', font: /NotoEmoji/ },
];

/** The story text of a work: chapters, notes and summary, as the PDF sets it. */
function storyText(work: Work): string {
  const parts = [blockText(work.metadata.summary), blockText(work.notes.before)];
  for (const ch of work.chapters) parts.push(ch.title, blockText(ch.summary), blockText(ch.notes.before), blockText(ch.blocks), blockText(ch.notes.after));
  parts.push(blockText(work.notes.after));
  return parts.join('\n');
}

interface BoxWord {
  page: number;
  xMin: number;
  xMax: number;
  yMin: number;
  text: string;
}

/** Words with their boxes, from pdftotext -bbox-layout, grouped in pdftotext's own lines. */
async function boxes(file: string): Promise<{ pageWidth: number; words: BoxWord[]; lines: BoxWord[][] }> {
  const r = await tool('pdftotext', ['-bbox-layout', '-enc', 'UTF-8', file, '-']);
  const words: BoxWord[] = [];
  const lines: BoxWord[][] = [];
  let page = -1;
  let pageWidth = 0;
  const unescape = (s: string) => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&');
  for (const line of r.stdout.split('\n')) {
    const p = /<page width="([\d.]+)"/.exec(line);
    if (p) {
      page++;
      pageWidth = Number(p[1]);
      continue;
    }
    if (/<line\b/.test(line)) lines.push([]);
    const m = /<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="[\d.]+">(.*)<\/word>/.exec(line);
    if (m) {
      const w = { page, xMin: Number(m[1]), yMin: Number(m[2]), xMax: Number(m[3]), text: unescape(m[4]!) };
      words.push(w);
      lines[lines.length - 1]?.push(w);
    }
  }
  // Lines by position, not pdftotext's grouping: a raised mark (a hamza, a point) shifts a word's
  // box down by up to half a line, and pdftotext may set a line's words in separate blocks.
  const merged: BoxWord[][] = [];
  const half = (theme.pageSizes.a5.fontSize * theme.lineHeight) / 2;
  const sorted = [...words].sort((a, b) => a.page - b.page || a.yMin - b.yMin);
  let top = -Infinity;
  for (const w of sorted) {
    const last = merged[merged.length - 1];
    if (last && last[0]!.page === w.page && w.yMin - top < half) last.push(w);
    else {
      merged.push([w]);
      top = w.yMin;
    }
  }
  return { pageWidth, words, lines: merged };
}

/** Like firstMissing, for characters: the first of `needle` not found in order in `hay`, or -1. */
function firstMissingChar(needle: readonly string[], hay: readonly string[]): number {
  let j = 0;
  for (let i = 0; i < needle.length; i++) {
    while (j < hay.length && hay[j] !== needle[i]) j++;
    if (j >= hay.length) return i;
    j++;
  }
  return -1;
}

describe('every script in the PDF', () => {
  const out = mkdtempSync(join(tmpdir(), 'quire-scripts-'));
  let result: ReturnType<typeof quire>;
  const works = new Map<string, Work>();
  /** PDF and EPUB of each case, by fixture file. */
  const files = new Map<string, { pdf: string; epub: string }>();

  beforeAll(async () => {
    result = quire(['build', DIR, '-o', out]);
    const read = await readAll([DIR]);
    for (const w of read.works) works.set(w.work.source.split('/').pop()!, w.work);
    // Books are named from their titles; find each by the title in its metadata.
    const pdfs = readdirSync(out).filter((f) => f.endsWith('.pdf'));
    for (const pdf of pdfs) {
      const info = await tool('pdfinfo', [join(out, pdf)]);
      const title = /Title:\s+(.*)/.exec(info.stdout)?.[1]?.trim();
      for (const [file, work] of works) {
        if (work.metadata.title === title) files.set(file, { pdf: join(out, pdf), epub: join(out, pdf.replace(/\.pdf$/, '.epub')) });
      }
    }
  }, 300_000);

  it('builds every sample with no missing glyph', () => {
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).not.toMatch(/missing-glyph/);
    expect(files.size).toBe(CASES.length);
  });

  for (const c of CASES) {
    describe(c.file, () => {
      it('embeds the script font and gives back every character', async () => {
        const { pdf } = files.get(c.file)!;
        const check = await tool('qpdf', ['--check', pdf]);
        expect(check.code, check.stdout + check.stderr).toBe(0);
        const fonts = await tool('pdffonts', [pdf]);
        expect(fonts.stdout).toMatch(c.font);
        for (const row of fonts.stdout.split('\n').slice(2).filter((l) => l.trim())) expect(row).toMatch(/\s+yes\s+yes\s+yes\s+\d+\s+\d+\s*$/);
        const text = (await tool('pdftotext', ['-enc', 'UTF-8', pdf, '-'])).stdout;
        const got = new Set(text);
        const want = storyText(works.get(c.file)!);
        const lost = [...new Set(want)].filter((ch) => !/\s|\p{Default_Ignorable_Code_Point}/u.test(ch) && !got.has(ch));
        expect(lost, `characters missing from pdftotext of ${c.file}`).toEqual([]);
        if (!c.rtl) {
          // Left-to-right scripts come back in order, character for character (Devanagari vowel signs
          // drawn before their consonant and Thai marks too, through ActualText); line ends and page
          // furniture may come between.
          const strip = (t: string) => [...t.normalize('NFC').replace(/[\s\u00ad]|\p{Default_Ignorable_Code_Point}/gu, '')];
          const missing = firstMissingChar(strip(want), strip(text));
          expect(missing, `pdftotext lost text of ${c.file} at: ${strip(want).slice(missing, missing + 20).join('')}`).toBe(-1);
          // And in space-separated scripts, word for word.
          if (!c.cjk && !c.file.startsWith('th')) {
            const lost = firstMissing(words(want), words(text));
            expect(lost, `pdftotext lost words of ${c.file} from word ${lost}: ${words(want).slice(lost, lost + 6).join(' ')}`).toBe(-1);
          }
        }
      });

      it('keeps every line inside the margins', async () => {
        const { pdf } = files.get(c.file)!;
        const { pageWidth, words: ws, lines: lined } = await boxes(pdf);
        const a5 = theme.pageSizes.a5;
        const outer = a5.margins.outer * MM;
        const measure = pageWidth - (a5.margins.inner + a5.margins.outer) * MM;
        for (const w of ws) {
          expect(w.xMin, `${w.text} on page ${w.page + 1} starts left of the margin`).toBeGreaterThan(outer - 1);
          expect(w.xMax, `${w.text} on page ${w.page + 1} ends right of the margin`).toBeLessThan(pageWidth - outer + 1);
        }
        for (const line of lined) {
          const extent = Math.max(...line.map((w) => w.xMax)) - Math.min(...line.map((w) => w.xMin));
          expect(extent, `line ${line.map((w) => w.text).join(' ')} is wider than the measure`).toBeLessThan(measure + 1);
        }
      });

      if (c.rtl) {
        it('runs right to left: read from the right, the lines give the story in order', async () => {
          const { pdf } = files.get(c.file)!;
          const { lines: lined, pageWidth } = await boxes(pdf);
          const want = words(blockText(works.get(c.file)!.chapters.flatMap((ch) => ch.blocks)));
          const known = new Set(want);
          // Each line read from the right. pdftotext gives a word as its glyphs run, left to right,
          // unless it carries ActualText (then as written): a word not in the story is read reversed.
          const logical = (w: string) => (words(w).every((x) => known.has(x)) ? w : [...w].reverse().join(''));
          const read = lined
            .map((line) =>
              [...line]
                .sort((a, b) => b.xMin - a.xMin)
                .map((w) => (/[\u0590-\u08ff]/.test(w.text) ? logical(w.text) : w.text))
                .join(' '),
            )
            .join('\n');
          // Numbers inside right-to-left text run left to right: compare the letters' words.
          const letters = (ws: string[]) => ws.filter((w) => !/^\d+$/.test(w));
          const missing = firstMissing(letters(want), letters(words(read)));
          expect(missing, `right-to-left order broken at word ${missing}: ${want.slice(missing, missing + 6).join(' ')}`).toBe(-1);
          // And the chapter's first line (no indent after a heading) starts at the right edge of the text block.
          const readLine = (line: BoxWord[]) => words([...line].sort((a, b) => b.xMin - a.xMin).map((w) => logical(w.text)).join(' '));
          const opening = lined.find((line) => readLine(line).slice(0, 3).join(' ') === want.slice(0, 3).join(' '));
          expect(opening, `no line starts with ${want.slice(0, 3).join(' ')}`).toBeDefined();
          const right = Math.max(...opening!.map((w) => w.xMax));
          expect(right).toBeGreaterThan(pageWidth - theme.pageSizes.a5.margins.inner * MM - 1);
        });
      }

      if (c.cjk) {
        it('starts no line with closing punctuation (kinsoku)', async () => {
          const { pdf } = files.get(c.file)!;
          const text = (await tool('pdftotext', ['-enc', 'UTF-8', pdf, '-'])).stdout;
          const bad = text.split('\n').filter((l) => /^[。、，．」』）！？：；〉》】〕’”ー]/.test(l.trim()));
          expect(bad).toEqual([]);
        });
      }
    });
  }

  it('passes epubcheck (every sample, in one JVM)', async () => {
    const epubs = [...files.values()].map((f) => f.epub);
    const results = await epubcheckAll(epubs);
    results.forEach((r, i) => expect({ file: epubs[i], errors: r.errors, warnings: r.warnings, fatals: r.fatals }, r.output).toEqual({ file: epubs[i], errors: 0, warnings: 0, fatals: 0 }));
  }, 300_000);

  it('counts CJK words by character, as AO3 does', () => {
    expect(countWords('我们走吧。')).toBe(4);
    expect(countWords('図書館の猫')).toBe(5);
    expect(countWords('Harry说：“你好”')).toBe(4);
    expect(countWords('마지막 버스')).toBe(2);
    expect(countWords('ฉันกินข้าว')).toBe(10);
    expect(countWords('नमस्ते दुनिया')).toBe(2);
  });

  it('writes a book the same whichever books the process set before it (no glyph text shared between documents)', async () => {
    // The first book reaches glyphs through other characters (no-break space, U+2010, ohm sign) than the
    // second does (space, hyphen-minus, omega): the second's text layer and bytes must not change.
    const batch = mkdtempSync(join(tmpdir(), 'quire-batch-'));
    const alone = mkdtempSync(join(tmpdir(), 'quire-alone-'));
    expect(quire(['build', 'test/samples/same-process', '-o', batch, '-f', 'pdf', '-j', '1']).code).toBe(0);
    expect(quire(['build', 'test/samples/same-process/2-second.md', '-o', alone, '-f', 'pdf']).code).toBe(0);
    const a = readFileSync(join(alone, 'second-in-the-batch.pdf'));
    const b = readFileSync(join(batch, 'second-in-the-batch.pdf'));
    expect(b.equals(a)).toBe(true);
    const text = (await tool('pdftotext', ['-enc', 'UTF-8', join(batch, 'second-in-the-batch.pdf'), '-'])).stdout;
    expect(text).toContain('here - and a well-known hyphen, then Ω for omega');
  }, 120_000);

  it('marks every EPUB page with the language, and right-to-left works with dir and page-progression-direction', async () => {
    for (const c of CASES) {
      const entries = await unzipText(files.get(c.file)!.epub);
      const lang = works.get(c.file)!.metadata.language;
      const opf = [...entries].find(([name]) => name.endsWith('.opf'))![1];
      expect(/<spine[^>]*page-progression-direction="rtl"/.test(opf), c.file).toBe(!!c.rtl);
      for (const [name, xhtml] of entries) {
        if (!name.endsWith('.xhtml')) continue;
        const html = /<html[^>]*>/.exec(xhtml)![0];
        expect(html, `${c.file} ${name}`).toContain(`xml:lang="${lang}" lang="${lang}"`);
        expect(html.includes('dir="rtl"'), `${c.file} ${name}`).toBe(!!c.rtl);
      }
    }
  });

  it('sets a span the source marks as another language in that language\'s font', async () => {
    // A Japanese phrase in a Chinese story: Japanese glyph forms, not Chinese ones.
    const zh = works.get('zh.md')!;
    const work: Work = {
      ...zh,
      chapters: [
        {
          ...zh.chapters[0]!,
          blocks: [{ type: 'paragraph', children: [{ type: 'text', value: '她说：' }, { type: 'span', lang: 'ja', children: [{ type: 'text', value: '骨' }] }] }],
        },
      ],
    };
    const { writePdf } = await import('../../src/write/pdf/index.js');
    const bytes = await writePdf(work, { theme: theme as unknown as PdfTheme, generator: 'test' });
    const file = join(out, 'span.pdf');
    writeFileSync(file, bytes);
    const fonts = (await tool('pdffonts', [file])).stdout;
    expect(fonts).toMatch(/NotoSerifJP/);
    expect(fonts).toMatch(/NotoSerifSC/);
  });

  it('warns of a glyph no font has, in a chapter heading too', () => {
    const dir = mkdtempSync(join(tmpdir(), 'quire-glyph-'));
    // An Egyptian hieroglyph: no font of the theme has it.
    writeFileSync(join(dir, 'glyphs.md'), '---\ntitle: Glyphs\nauthor: X\n---\n\n# One \u{13080}\n\nBody.\n\n# Two\n\nMore body.\n');
    const r = quire(['build', join(dir, 'glyphs.md'), '-o', join(dir, 'out'), '-f', 'pdf']);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/no font has a glyph for \u{13080}.*\[pdf\/missing-glyph\]/u);
  });
});

