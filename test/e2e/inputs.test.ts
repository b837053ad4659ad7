/**
 * Input fidelity, end to end through the real CLI: the files users really
 * have (full AO3 work pages, flat or with line breaks; plain stories whose
 * text holds AO3's label words; chapters headed the way authors head them;
 * Markdown with comments, tables, code and footnotes; UTF-16 and UTF-32;
 * stray NULs; every AO3 language name) are read as their authors wrote them.
 * Fixtures are original text in test/inputs/.
 */
import { cpSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { readAll } from '../../src/compile.js';
import { blockText } from '../../src/model/text.js';
import type { Work } from '../../src/model/types.js';
import { normalizeLanguage } from '../../src/read/metadata-input.js';
import { firstMissing, unzipText, words } from '../helpers/epub.js';
import { epubcheckAll, quire, tool } from '../helpers/tools.js';

const tmp = (name: string) => mkdtempSync(join(tmpdir(), `quire-${name}-`));
/** epubcheck (one JVM for the file's books) still takes seconds a book on a busy 2-core machine. */
const SLOW = 900_000;
const allFiles = (dir: string) => readdirSync(dir, { recursive: true, encoding: 'utf8' }).map((f) => join(dir, f));

/** Everything a work says outside its chapters' text: notes of every kind and summaries. */
function noteText(w: Work): string {
  return [w.notes.before, w.notes.after, w.metadata.summary, ...w.chapters.flatMap((c) => [c.summary, c.notes.before, c.notes.after])].map(blockText).join('\n');
}
const chapterText = (w: Work) => w.chapters.map((c) => blockText(c.blocks)).join('\n');

describe('input fidelity (test/inputs)', () => {
  const out = tmp('inputs');
  let result: ReturnType<typeof quire>;
  const works = new Map<string, Work>();

  beforeAll(async () => {
    result = quire(['build', 'test/inputs', '-o', out]);
    for (const w of (await readAll(['test/inputs'])).works) works.set(w.work.source.split('/').pop()!, w.work);
  });

  it('builds every input, and every EPUB passes epubcheck with no errors or warnings', async () => {
    expect(result.code, result.stderr).toBe(0);
    const epubs = allFiles(out).filter((f) => f.endsWith('.epub'));
    expect(epubs.length).toBeGreaterThanOrEqual(6);
    const checks = await epubcheckAll(epubs);
    checks.forEach((c, i) => expect({ file: epubs[i], errors: c.errors, warnings: c.warnings, fatals: c.fatals }, c.output).toEqual({ file: epubs[i], errors: 0, warnings: 0, fatals: 0 }));
    // The summary counts each book once: no work is a part twice over.
    const written = /(\d+) books? written/.exec(result.stdout)?.[1];
    expect(Number(written)).toBe(allFiles(out).filter((f) => /\.(epub|pdf)$/.test(f)).length);
  }, SLOW);

  it('reads a full AO3 work page: title and byline after the stats, each series once, dates as written', async () => {
    const w = works.get('full-page-flat.txt')!;
    expect(w.metadata.title).toBe('The Ferry at Low Water');
    expect(w.metadata.authors).toEqual(['quietmarigold']);
    expect(w.metadata.series).toEqual([{ name: 'Salt Roads', part: 2 }]);
    expect(w.metadata.published).toBe('2023-11-01');
    expect(w.metadata.updated).toBe('2023-11-05');
    expect(blockText(w.metadata.summary)).toMatch(/^Ines has to cross the estuary/);
    expect(blockText(w.notes.before)).toBe('Written for the second week of the Salt Roads prompts.');
    expect(blockText(w.notes.after)).toBe('Thank you for reading! The next part picks up on the far shore.');
    expect(chapterText(w)).toMatch(/^The ferry was a flat black shape/);
    expect(chapterText(w)).toMatch(/kept poling\.$/);
    // No clash with itself, no doubled part book.
    expect(result.stderr).not.toMatch(/duplicate-part|two-parts/);
    const epub = join(out, 'salt-roads', '02-the-ferry-at-low-water.epub');
    const files = await unzipText(epub);
    // The day as written, at noon UTC so that no reader shows another day (see opfDate).
    expect(files.get('OEBPS/content.opf')).toContain('<dc:date>2023-11-01T12:00:00Z</dc:date>');
    expect(files.get('OEBPS/content.opf')).toContain('<dc:creator id="creator1">quietmarigold</dc:creator>');
    expect(files.get('OEBPS/title.xhtml')!.match(/Part 2 of Salt Roads/g)).toHaveLength(1);
    expect(allFiles(join(out, 'salt-roads')).filter((f) => f.includes('ferry'))).toHaveLength(2);
  });

  it('keeps AO3 label words inside a story as story text, and a repeated trailer out of the notes', () => {
    const w = works.get('full-page-lines.txt')!;
    expect(w.metadata.title).toBe('The Lamp Room Letters');
    expect(w.metadata.authors).toEqual(['quietmarigold']);
    expect(w.metadata.series).toEqual([{ name: 'Salt Roads', part: 12 }]);
    expect(w.chapters.map((c) => [c.label, c.title])).toEqual([
      ['Chapter 1', 'A Ledger of Weather'],
      ['Chapter 2', 'Oranges'],
    ]);
    const [one, two] = w.chapters;
    expect(blockText(one!.summary)).toBe('The first letter.');
    expect(blockText(one!.blocks)).toContain('Summary: the lamp is lit, the oil is low');
    expect(blockText(one!.blocks)).toContain('Ask it for oranges too.');
    expect(blockText(one!.notes.after)).toBe('The list is real. My grandmother kept one exactly like it.');
    expect(blockText(two!.blocks)).toContain('Chapter Text is what the Board calls');
    expect(two!.notes.after).toEqual([]);
    expect(blockText(w.notes.after)).toBe('Thank you for reading both letters! Part four is the winter.');
    expect(noteText(w)).not.toMatch(/Series this work belongs to|Previous Work|Next Work/);

    const flat = works.get('labels-in-flat.txt')!;
    expect(flat.chapters).toHaveLength(2);
    expect(blockText(flat.chapters[0]!.blocks)).toContain('Notes: buy milk, find the good pen');
    expect(blockText(flat.chapters[0]!.notes.after)).toBe('Tobiah is based on nobody, honestly.');
    expect(blockText(flat.chapters[1]!.blocks)).toContain('Chapter Text is what he wrote next');
  });

  it('heads chapters in the author’s own words and numbers, never renumbered', async () => {
    const w = works.get('chapters-as-written.txt')!;
    expect(w.chapters.map((c) => [c.label, c.title])).toEqual([
      ['Prologue', ''],
      ['Chapter One', ''],
      ['CHAPTER II', ''],
      ['Chapter 3', 'The End'],
      ['Interlude', ''],
      ['Part Two', ''],
      ['Epilogue', ''],
    ]);
    // The shopping list headed `Notes:` is the story's.
    expect(blockText(w.chapters[1]!.blocks)).toContain('Notes:');
    expect(w.notes.after).toEqual([]);
    const nav = (await unzipText(join(out, 'the-quiet-almanac.epub'))).get('OEBPS/toc.xhtml')!;
    for (const label of ['Prologue', 'Chapter One', 'CHAPTER II', 'Chapter 3: The End', 'Interlude', 'Part Two', 'Epilogue']) expect(nav).toContain(`>${label}</a>`);
    expect(nav).not.toContain('Chapter 1');

    const md = works.get('rough-edges.md')!;
    expect(md.chapters.map((c) => c.label)).toEqual(['Prologue', 'Chapter One', 'Epilogue']);
  });

  it('takes Markdown as written: no comments, real tables, code kept exactly, footnotes as notes, image warnings', async () => {
    const files = await unzipText(join(out, 'signal-and-noise.epub'));
    const all = [...files.values()].join('\n');
    expect(all).not.toMatch(/TODO|a comment|<!--/);
    const ch2 = files.get('OEBPS/ch2.xhtml')!;
    expect(ch2).toMatch(/<table>[\s\S]*<th>Station<\/th>[\s\S]*<td>Harbour Control<\/td>/);
    expect(ch2).toContain('<pre class="code"><code>    ..--.  --...\n  CQ CQ DE  ???\n        K</code></pre>');
    expect(ch2).toContain('<pre class="code"><code>LISTEN FIRST\n  THEN SEND</code></pre>');
    expect(ch2).toMatch(/<a class="noteref" epub:type="noteref" role="doc-noteref" id="fnref-ch2-1" href="#fn-ch2-1"><sup>1<\/sup><\/a>/);
    expect(ch2).toMatch(/<aside class="footnote" epub:type="footnote" role="doc-footnote" id="fn-ch2-1">\s*<p><a class="footnote-mark" role="doc-backlink" href="#fnref-ch2-1">1\.<\/a> Aunt Roz’s log/);
    // The same note referred to from two chapters is a note in each.
    expect(files.get('OEBPS/ch1.xhtml')).toContain('The valves were the old glass kind');
    expect(files.get('OEBPS/ch3.xhtml')).toContain('The valves were the old glass kind');
    expect(result.stderr).toMatch(/rough-edges\.md: warning: left out a remote image \(https:\/\/example\.com\/radio\.jpg\)/);
    expect(result.stderr).toMatch(/rough-edges\.md: warning: left out an image .*sketches\/dial\.png/);
    // In the PDF too: every word, footnotes and code included.
    const pdf = join(out, 'signal-and-noise.pdf');
    expect((await tool('qpdf', ['--check', pdf])).code).toBe(0);
    const text = words((await tool('pdftotext', ['-enc', 'UTF-8', pdf, '-'])).stdout);
    const md = works.get('rough-edges.md')!;
    const want = words(md.chapters.map((c) => [blockText(c.blocks), ...c.footnotes.map((f) => blockText(f.blocks))].join('\n')).join('\n'));
    expect(firstMissing(want, text)).toBe(-1);
  });
});

describe('encodings and stray bytes', () => {
  const story = (title: string) => `---\ntitle: ${title}\nauthor: Ana Prieto\nlanguage: Español\n---\nLa niña cerró la ventana — “otra vez el viento”, dijo.\n`;
  const utf16 = (text: string, big: boolean) => {
    const b = Buffer.from(text, 'utf16le');
    if (big) for (let i = 0; i < b.length; i += 2) [b[i], b[i + 1]] = [b[i + 1]!, b[i]!];
    return Buffer.concat([Buffer.from(big ? [0xfe, 0xff] : [0xff, 0xfe]), b]);
  };
  const utf32 = (text: string, big: boolean) => {
    const cps = [0xfeff, ...[...text].map((c) => c.codePointAt(0)!)];
    const b = Buffer.alloc(cps.length * 4);
    cps.forEach((c, i) => (big ? b.writeUInt32BE(c, i * 4) : b.writeUInt32LE(c, i * 4)));
    return b;
  };

  it('decodes UTF-16 and UTF-32 (with a byte-order mark) and a UTF-16 sidecar; strips stray NULs with a warning', async () => {
    const dir = tmp('enc');
    writeFileSync(join(dir, 'utf16le.txt'), utf16(story('Viento Uno'), false));
    writeFileSync(join(dir, 'utf16be.txt'), utf16(story('Viento Dos'), true));
    writeFileSync(join(dir, 'utf32le.txt'), utf32(story('Viento Tres'), false));
    writeFileSync(join(dir, 'utf32be.txt'), utf32(story('Viento Cuatro'), true));
    writeFileSync(join(dir, 'sidecar.txt'), 'Una historia sin cabecera, con su ficha aparte.\n');
    writeFileSync(join(dir, 'sidecar.yaml'), utf16('title: Ficha Aparte\nauthor: Ana Prieto\n', false));
    writeFileSync(join(dir, 'nul.txt'), Buffer.from('---\ntitle: Con Nulos\n---\nUn texto\u0000 con dos\u0000 nulos.\n', 'utf8'));
    const out = tmp('enc-out');
    const r = quire(['build', dir, '-o', out, '-f', 'epub']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).not.toMatch(/input\/binary|not-utf8/);
    expect(r.stderr).toMatch(/nul\.txt: warning: removed 2 control characters/);
    const read = await readAll([dir]);
    const titles = read.works.map((w) => w.work.metadata.title).sort();
    expect(titles).toEqual(['Con Nulos', 'Ficha Aparte', 'Viento Cuatro', 'Viento Dos', 'Viento Tres', 'Viento Uno']);
    for (const w of read.works) {
      if (w.work.metadata.title.startsWith('Viento')) {
        expect(blockText(w.work.chapters[0]!.blocks).replace(/\s+/g, ' ')).toBe('La niña cerró la ventana — “otra vez el viento”, dijo.');
        expect(w.work.metadata.language).toBe('es');
      }
    }
    expect(blockText(read.works.find((w) => w.work.metadata.title === 'Con Nulos')!.work.chapters[0]!.blocks)).toBe('Un texto con dos nulos.');
    const epubs = allFiles(out).filter((f) => f.endsWith('.epub'));
    expect(epubs).toHaveLength(6);
    const checks = await epubcheckAll(epubs);
    for (const c of checks) expect([c.errors, c.warnings, c.fatals], c.output).toEqual([0, 0, 0]);
  }, SLOW);
});

describe('metadata', () => {
  it('maps every language name AO3 prints to its BCP 47 tag', () => {
    const names: Record<string, string> = {
      العربية: 'ar',
      עברית: 'he',
      हिन्दी: 'hi',
      ไทย: 'th',
      Ελληνικά: 'el',
      'Tiếng Việt': 'vi',
      فارسی: 'fa',
      '中文-广东话 粵語': 'yue',
      '中文-普通话 國語': 'zh',
      '中文-闽南话 臺語': 'nan',
      日本語: 'ja',
      한국어: 'ko',
      Русский: 'ru',
      Українська: 'uk',
      'Bahasa Indonesia': 'id',
      'Português brasileiro': 'pt-BR',
      'Português europeu': 'pt-PT',
      Slovenščina: 'sl',
      'Latviešu valoda': 'lv',
      Kiswahili: 'sw',
      'te reo Māori': 'mi',
      Cymraeg: 'cy',
      Gàidhlig: 'gd',
      'tlhIngan-Hol': 'tlh',
      'toki pona': 'tok',
      اُردُو: 'ur',
      ქართული: 'ka',
      Hebrew: 'he',
      'zh-hant': 'zh-Hant',
      ptBR: 'pt-BR',
    };
    for (const [name, tag] of Object.entries(names)) expect(normalizeLanguage(name), name).toBe(tag);
  });

  it('writes the language of a Hebrew story into the EPUB and suggests a key for a misspelt one', async () => {
    const dir = tmp('lang');
    writeFileSync(join(dir, 'he.md'), '---\ntitle: הגשם\nauthour: Noa Ben-Ari\nlanguage: עברית\n---\nהגשם ירד כל הלילה.\n');
    const out = tmp('lang-out');
    const r = quire(['build', dir, '-o', out, '-f', 'epub']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/he\.md: warning: unknown metadata key 'authour'; ignored it \(did you mean 'author'\?\)/);
    const epub = allFiles(out).find((f) => f.endsWith('.epub'))!;
    expect((await unzipText(epub)).get('OEBPS/content.opf')).toContain('<dc:language>he</dc:language>');
  });
});

describe('a folder of a series given twice over', () => {
  it('gives one work one part, even when its page names the series in header and trailer', () => {
    const dir = tmp('series');
    mkdirSync(join(dir, 'salt'));
    cpSync('test/inputs/full-page-flat.txt', join(dir, 'salt', 'ferry.txt'));
    cpSync('test/inputs/full-page-lines.txt', join(dir, 'salt', 'lamp.txt'));
    const out = tmp('series-out');
    const r = quire(['build', dir, '-o', out, '-f', 'epub']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).not.toMatch(/duplicate-part/);
    // Two parts and the omnibus.
    expect(r.stdout).toMatch(/2 works: 3 books written/);
    expect(allFiles(out).filter((f) => f.endsWith('.epub')).sort().map((f) => f.slice(out.length + 1))).toEqual([
      'salt-roads.epub',
      join('salt-roads', '02-the-ferry-at-low-water.epub'),
      join('salt-roads', '12-the-lamp-room-letters.epub'),
    ]);
  });
});
