/**
 * Print for bookbinders, through the real CLI: imposed signatures, the wrap
 * cover with its spine, the duplex test sheet, and volumes.
 */
import { mkdtempSync, readFileSync, writeFileSync, mkdirSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { unzipText, words } from '../helpers/epub.js';
import { markdownWork } from '../helpers/prose.js';
import { epubcheckAll, quire, tool } from '../helpers/tools.js';

const SLOW = 900_000;
const tmp = (name: string) => mkdtempSync(join(tmpdir(), `quire-${name}-`));
const MM = 72 / 25.4;

async function pdfPages(file: string): Promise<{ pages: number; width: number; height: number }> {
  const info = (await tool('pdfinfo', [file])).stdout;
  const size = /Page size:\s+([\d.]+) x ([\d.]+) pts/.exec(info)!;
  return { pages: Number(/Pages:\s+(\d+)/.exec(info)![1]), width: Number(size[1]), height: Number(size[2]) };
}

async function checkClean(file: string): Promise<void> {
  const check = await tool('qpdf', ['--check', file]);
  expect(check.code, `qpdf --check ${file}\n${check.stdout}${check.stderr}`).toBe(0);
  const rows = (await tool('pdffonts', [file])).stdout.split('\n').slice(2).filter((l) => l.trim());
  expect(rows.length, `no fonts in ${file}`).toBeGreaterThan(0);
  for (const row of rows) expect(row, `font not embedded in ${file}`).toMatch(/\s+yes\s+yes\s+yes\s+\d+\s+\d+\s*$/);
}

/** Word → how often it occurs. */
function bag(text: string): Map<string, number> {
  const m = new Map<string, number>();
  for (const w of words(text)) m.set(w, (m.get(w) ?? 0) + 1);
  return m;
}

interface Word {
  x: number;
  y: number;
  text: string;
}

/** Words of each page of a PDF with their centres (pdftotext -bbox). */
async function bboxWords(file: string): Promise<Word[][]> {
  const html = (await tool('pdftotext', ['-bbox', file, '-'])).stdout;
  return html.split('<page ').slice(1).map((page) =>
    [...page.matchAll(/<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<\/word>/g)].map((m) => ({
      x: (Number(m[1]) + Number(m[3])) / 2,
      y: (Number(m[2]) + Number(m[4])) / 2,
      text: m[5]!,
    })),
  );
}

describe('--impose folio', () => {
  it('puts a multi-signature book on A4 sheets in signature order, with every word, and a cover whose spine grows with the pages', { timeout: SLOW }, async () => {
    const dir = tmp('impose');
    const works = join(dir, 'works');
    mkdirSync(works);
    writeFileSync(join(works, 'ledger.md'), markdownWork({ title: 'The Ferryman’s Ledger', author: 'Odile Marsh', seed: 7, chapters: 8, perChapter: 30, summary: 'A ferry, a ledger that never balances, and a town that keeps its accounts by the tide.' }));
    writeFileSync(join(works, 'short.md'), markdownWork({ title: 'A Short Crossing', author: 'Odile Marsh', seed: 8, chapters: 2, perChapter: 6 }));
    const out = join(dir, 'out');
    const r = quire(['build', works, '-o', out, '-f', 'pdf', '--impose', 'folio', '--test-sheet', '--paper-caliper', '0.2']);
    expect(r.code, r.stderr).toBe(0);
    const reading = join(out, 'the-ferrymans-ledger.pdf');
    const imposed = join(out, 'the-ferrymans-ledger.imposed.pdf');
    for (const f of [reading, imposed, join(out, 'the-ferrymans-ledger.cover.pdf'), join(out, 'test-sheet.pdf')]) await checkClean(f);

    // The book is set at the cell's size (A5 in half an A4), the sheets are A4 landscape.
    const book = await pdfPages(reading);
    expect(book.width / MM).toBeCloseTo(148, 0);
    const sheets = await pdfPages(imposed);
    expect([sheets.width / MM, sheets.height / MM].map(Math.round)).toEqual([297, 210]);
    const sheetCount = Math.ceil(book.pages / 4);
    expect(sheets.pages).toBe(2 * sheetCount);
    const fill = sheetCount * 4 - book.pages;
    expect(fill).toBeLessThan(4);

    // The binder's summary, as printed.
    expect(r.stdout).toContain('the-ferrymans-ledger.imposed.pdf:');
    expect(r.stdout).toContain(`${book.pages} pages + ${fill} blank${fill === 1 ? '' : 's'} at the end = ${sheetCount * 4} pages on ${sheetCount} sheets`);
    expect(r.stdout).toMatch(/duplex: flip on the short edge/);

    // Signatures as the test expects them, independently: balanced, at most 4 sheets, larger first.
    const count = Math.ceil(sheetCount / 4);
    const sizes = Array.from({ length: count }, (_, i) => Math.floor(sheetCount / count) + (i < sheetCount % count ? 1 : 0));
    expect(count).toBeGreaterThanOrEqual(3);
    const expected: Array<[number, number]> = [];
    let first = 0;
    for (const n of sizes) {
      const last = first + 4 * n;
      for (let k = 0; k < n; k++) {
        expected.push([last - 2 * k, first + 1 + 2 * k]); // front: left, right
        expected.push([first + 2 + 2 * k, last - 1 - 2 * k]); // back
      }
      first = last;
    }
    // Page numbers (folios) sit at the foot of each half: each is where the signature puts it.
    const pagesOfSheets = await bboxWords(imposed);
    const W = sheets.width;
    let checked = 0;
    pagesOfSheets.forEach((ws, side) => {
      for (const [half, position] of expected[side]!.entries()) {
        const folio = ws.filter((w) => /^\d+$/.test(w.text) && w.y > sheets.height * 0.9 && (half === 0 ? w.x < W / 2 : w.x > W / 2));
        if (position > book.pages) {
          // A blank added to fill the last sheet: nothing there, and only in the last signature.
          expect(ws.filter((w) => (half === 0 ? w.x < W / 2 : w.x > W / 2)).length, `sheet side ${side + 1} half ${half}`).toBe(0);
          expect(side).toBeGreaterThanOrEqual(2 * (sheetCount - sizes[sizes.length - 1]!));
          continue;
        }
        if (folio.length) {
          expect(folio.map((w) => w.text), `sheet side ${side + 1}, ${half ? 'right' : 'left'} half`).toEqual([String(position)]);
          checked++;
        }
      }
    });
    // The first two signatures have folios on most of their pages.
    expect(checked).toBeGreaterThan(book.pages * 0.6);
    // Sheet 1: page 16 on the left of the front, the title page (page 1, with the byline) on the right.
    const title = pagesOfSheets[0]!.filter((w) => /Odile/.test(w.text));
    expect(title.length).toBeGreaterThan(0);
    for (const w of title) expect(w.x).toBeGreaterThan(W / 2);

    // Every word of the reading copy is text in the imposed one.
    const readingWords = bag((await tool('pdftotext', ['-enc', 'UTF-8', reading, '-'])).stdout);
    const imposedWords = bag((await tool('pdftotext', ['-enc', 'UTF-8', imposed, '-'])).stdout);
    const lost = [...readingWords].filter(([w, n]) => (imposedWords.get(w) ?? 0) < n);
    expect(lost.slice(0, 10)).toEqual([]);

    // The wrap covers: boards at the trim size, 3 mm bleed, the spine 0.2 mm for every leaf of the text block.
    const short = await pdfPages(join(out, 'a-short-crossing.pdf'));
    const coverOf = (name: string) => pdfPages(join(out, `${name}.cover.pdf`));
    const long = await coverOf('the-ferrymans-ledger');
    const small = await coverOf('a-short-crossing');
    const spine = (pages: number) => (Math.ceil(pages / 4) * 4 * 0.2) / 2;
    expect(long.width / MM).toBeCloseTo(2 * 148 + 6 + spine(book.pages), 0);
    expect(small.width / MM).toBeCloseTo(2 * 148 + 6 + spine(short.pages), 0);
    expect((long.width - small.width) / MM).toBeCloseTo(spine(book.pages) - spine(short.pages), 1);
    expect(long.height / MM).toBeCloseTo(216, 0);
    const coverText = words((await tool('pdftotext', [join(out, 'the-ferrymans-ledger.cover.pdf'), '-'])).stdout).join(' ');
    // Front, spine and back: the title (twice), the author, the summary.
    expect(coverText.match(/ferryman s ledger/g)?.length).toBeGreaterThanOrEqual(2);
    expect(coverText).toContain('odile marsh');
    expect(coverText).toContain('keeps its accounts by the tide');

    // The test sheet: one sheet, two sides, A4 landscape like the imposed sheets.
    const test = await pdfPages(join(out, 'test-sheet.pdf'));
    expect([test.pages, Math.round(test.width / MM), Math.round(test.height / MM)]).toEqual([2, 297, 210]);
    const testText = (await tool('pdftotext', [join(out, 'test-sheet.pdf'), '-'])).stdout;
    expect(testText).toContain('FRONT');
    expect(testText).toContain('BACK');
    expect(testText).toMatch(/flipped on the long\s+edge/);

    // Rebuilt unchanged, the summary is still printed; the same input gives the same bytes.
    const before = readFileSync(imposed);
    const again = quire(['build', works, '-o', out, '-f', 'pdf', '--impose', 'folio', '--paper-caliper', '0.2', '--force']);
    expect(again.code, again.stderr).toBe(0);
    expect(readFileSync(imposed).equals(before)).toBe(true);
    const unchanged = quire(['build', works, '-o', out, '-f', 'pdf', '--impose', 'folio', '--paper-caliper', '0.2']);
    expect(unchanged.stdout).toMatch(/0 books written/);
    expect(unchanged.stdout).toContain('the-ferrymans-ledger.imposed.pdf:');
  });

  it('quarto with marks and flyleaves: letter paper, the book at a quarter of it, heads meeting at the fold', { timeout: SLOW }, async () => {
    const dir = tmp('quarto');
    writeFileSync(join(dir, 'short.md'), markdownWork({ title: 'A Short Crossing', author: 'Odile Marsh', seed: 8, chapters: 3, perChapter: 8 }));
    const out = join(dir, 'out');
    const r = quire(['build', join(dir, 'short.md'), '-o', out, '-f', 'pdf', '--impose', 'quarto', '--paper', 'letter', '--marks', '--flyleaves', '1', '--creep', '0.2']);
    expect(r.code, r.stderr).toBe(0);
    const imposed = join(out, 'a-short-crossing.imposed.pdf');
    await checkClean(imposed);
    const sheets = await pdfPages(imposed);
    expect([sheets.width, sheets.height].map((v) => Math.round(v))).toEqual([612, 792]);
    const book = await pdfPages(join(out, 'a-short-crossing.pdf'));
    expect(book.width / MM).toBeCloseTo(215.9 / 2, 0);
    expect(sheets.pages).toBe(2 * Math.ceil((book.pages + 4) / 8));
    expect(r.stdout).toMatch(/\+ 1 flyleaves \(2 pages\)|\+ 2 flyleaves/);
    expect(r.stdout).toMatch(/quarto on Letter portrait/);
    const text = bag((await tool('pdftotext', [imposed, '-'])).stdout);
    const readingText = bag((await tool('pdftotext', [join(out, 'a-short-crossing.pdf'), '-'])).stdout);
    expect([...readingText].filter(([w, n]) => (text.get(w) ?? 0) < n)).toEqual([]);
  });
});

describe('--volumes', () => {
  it('splits a long series into balanced volumes, each with its own title page, contents and cover, in the EPUB too', { timeout: SLOW }, async () => {
    const dir = tmp('volumes');
    const works = join(dir, 'works');
    mkdirSync(works);
    const titles = ['Tide Book One', 'Tide Book Two', 'Tide Book Three'];
    titles.forEach((title, i) =>
      writeFileSync(join(works, `part${i + 1}.md`), markdownWork({ title, author: 'Odile Marsh', seed: 20 + i, chapters: 5, perChapter: 20, series: { name: 'The Tide Books', part: i + 1 }, summary: `Part ${i + 1} of the tide books.` })),
    );
    const out = join(dir, 'out');
    const r = quire(['build', works, '-o', out, '--series', 'omnibus', '--volumes', '10000', '-f', 'epub,pdf,cover']);
    expect(r.code, r.stderr).toBe(0);
    const volumes = [1, 2, 3].map((n) => join(out, `the-tide-books-vol-${n}`));
    for (const v of volumes) for (const ext of ['.epub', '.pdf', '.cover.pdf']) expect(existsSync(v + ext), v + ext).toBe(true);
    expect(existsSync(join(out, 'the-tide-books-vol-4.epub'))).toBe(false);
    expect(existsSync(join(out, 'the-tide-books.epub'))).toBe(false);
    const results = await epubcheckAll(volumes.map((v) => `${v}.epub`));
    for (const res of results) expect({ errors: res.errors, warnings: res.warnings, fatals: res.fatals }, res.output).toEqual({ errors: 0, warnings: 0, fatals: 0 });
    const chapterFiles: string[] = [];
    for (const [i, v] of volumes.entries()) {
      const pdf = (await tool('pdftotext', [`${v}.pdf`, '-'])).stdout;
      expect(pdf).toContain(`Vol. ${i + 1} of 3`);
      expect(pdf).toContain('Contents');
      // Each part under a 10,000-word budget is a volume of its own: cut at the parts' boundaries.
      expect(pdf).toContain(titles[i]!);
      const info = (await tool('pdfinfo', [`${v}.pdf`])).stdout;
      expect(info).toContain(`The Tide Books (Vol. ${i + 1} of 3)`);
      await checkClean(`${v}.pdf`);
      const files = await unzipText(`${v}.epub`);
      expect(files.get('OEBPS/content.opf')).toContain(`<dc:title id="title">The Tide Books (Vol. ${i + 1} of 3)</dc:title>`);
      expect(files.get('OEBPS/title.xhtml')).toContain(`Vol. ${i + 1} of 3`);
      chapterFiles.push(...[...files.keys()].filter((f) => /p\d-ch\d+\.xhtml$/.test(f)).map((f) => `${f.replace(/.*\/(p\d)-/, '$1-')}`));
      // Above the title in letter-spaced capitals: pdftotext gives it back with spaces between letters.
      const cover = (await tool('pdftotext', [`${v}.cover.pdf`, '-'])).stdout.replace(/\s+/g, '').toLowerCase();
      expect(cover).toContain(`vol.${i + 1}of3`);
    }
    // Every chapter of every part in exactly one volume, in order.
    expect(chapterFiles).toEqual([1, 2, 3].flatMap((p) => [1, 2, 3, 4, 5].map((c) => `p${p}-ch${c}.xhtml`)));
  });
});
