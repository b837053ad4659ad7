/**
 * The PDF's layout, read back from books built by the real CLI: no words
 * drawn over each other or off the page, contents entries wrapped and
 * paginated, long titles set in full, body text on the baseline grid with
 * facing pages level, scene breaks centred, letters set apart, hyphenation
 * that leaves no fragments, compounds and addresses whole — and every book
 * byte for byte the same however the batch it is built in is run.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import theme from '../../styles/pdf-theme.json' with { type: 'json' };
import { layoutFaults, pageWords, type PageWords } from '../helpers/pdf-layout.js';
import { prose, stressStory } from '../helpers/stress.js';
import { quire, tool } from '../helpers/tools.js';

const MM = 72 / 25.4;
const A5 = theme.pageSizes.a5;
const TOP = A5.margins.top * MM;
const BOTTOM = A5.size[1] * MM - A5.margins.bottom * MM;
const PITCH = A5.fontSize * theme.lineHeight;
/** Height of poppler's box for a word of body text (the font's ascent + descent). */
const BODY_BOX = (n: number) => Math.abs(n - A5.fontSize * 1.485) < 0.2;

const tmp = (name: string) => mkdtempSync(join(tmpdir(), `quire-${name}-`));
const pdfs = (dir: string) =>
  readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.pdf'))
    .map((f) => join(dir, f))
    .sort();

/** Words of the text block (no running head, no folio). */
const bodyWords = (p: PageWords) => p.words.filter((w) => w.y0 > TOP - 2 && w.y1 < BOTTOM + 4);
/** A page the text runs on to (it has a running head). */
const continued = (p: PageWords) => p.words.some((w) => w.y1 < TOP - 2);

/** Lines of the text blocks (no running heads or folios) as poppler reads them without layout analysis (`-raw`), page after page. */
async function rawLines(file: string): Promise<string[]> {
  const crop = ['-x', '0', '-y', String(Math.floor(TOP - 2)), '-W', '1000', '-H', String(Math.ceil(BOTTOM + 4 - (TOP - 2)))];
  const r = await tool('pdftotext', ['-raw', '-enc', 'UTF-8', ...crop, file, '-']);
  return r.stdout.replace(/\f/g, '').split('\n');
}

/** A page rendered in grey at 90 dpi: rows with ink, as [first, last] runs, in the text block's columns. */
async function inkRows(file: string, page: number, dir: string): Promise<Array<[number, number]>> {
  const prefix = join(dir, `p${page}`);
  await tool('pdftoppm', ['-gray', '-r', '90', '-f', String(page), '-l', String(page), file, prefix]);
  const name = readdirSync(dir).find((f) => f.startsWith(`p${page}-`) && f.endsWith('.pgm'))!;
  const data = readFileSync(join(dir, name));
  const header = /^P5\s+(\d+)\s+(\d+)\s+(\d+)\s/.exec(data.subarray(0, 40).toString('latin1'))!;
  const [w, h] = [Number(header[1]), Number(header[2])];
  const pixels = data.subarray(header[0].length);
  const rows: Array<[number, number]> = [];
  let start = -1;
  for (let y = 0; y < h; y++) {
    let ink = false;
    for (let x = 0; x < w && !ink; x++) ink = pixels[y * w + x]! < 140;
    if (ink && start < 0) start = y;
    if (!ink && start >= 0) {
      rows.push([start, y - 1]);
      start = -1;
    }
  }
  return rows;
}

describe('PDF layout', () => {
  const works = tmp('layout-works');
  const out = tmp('layout-out');
  const many = stressStory({ chapters: 40, paragraphs: 30, hugeChapterTitle: 900 });
  const hugeTitle = prose(5000, 3);
  let manyPdf: string;
  let hugePdf: string;
  let pages: PageWords[];

  beforeAll(async () => {
    writeFileSync(join(works, 'many.md'), many);
    writeFileSync(join(works, 'huge-title.md'), stressStory({ chapters: 1, paragraphs: 12, title: hugeTitle }));
    const r = quire(['build', works, '-o', out, '-f', 'pdf']);
    expect(r.code, r.stderr).toBe(0);
    manyPdf = join(out, 'the-keeper-of-grennock-point.pdf');
    hugePdf = pdfs(out).find((f) => f !== manyPdf)!;
    pages = await pageWords(manyPdf);
  }, 300_000);

  it('draws no two words over each other and nothing outside the page, in any book', async () => {
    const other = tmp('layout-all');
    const fixtures = readdirSync('test/fixtures').flatMap((d) => readdirSync(join('test/fixtures', d)).filter((f) => f.startsWith('input')).map((f) => join('test/fixtures', d, f)));
    const r = quire(['build', 'works', 'test/samples', ...fixtures, '-o', other, '-f', 'pdf']);
    expect(r.code, r.stderr).toBe(0);
    const files = [...pdfs(out), ...pdfs(other)];
    expect(files.length).toBeGreaterThan(15);
    const faults = (await Promise.all(files.map((f) => layoutFaults(f)))).flat();
    expect(faults.slice(0, 20)).toEqual([]);
  }, 300_000);

  it('wraps long contents entries with a hanging indent, the page number on their last line, over as many pages as they need', async () => {
    const first = pages.findIndex((p) => p.words.some((w) => w.text === 'Contents'));
    const opening = (p: PageWords, n: string) => new RegExp(`(^| )CHAPTER ${n}( |$)`).test(p.words.map((w) => w.text).join(' '));
    const chapter1 = pages.findIndex((p) => opening(p, '1'));
    const contents = pages.slice(first, chapter1).filter((p) => p.words.length > 0);
    expect(contents.length).toBeGreaterThanOrEqual(3);
    // Every entry's label in full, in order, then its page number at the right edge, on its last line.
    const words = contents.flatMap((p) => p.words.filter((w) => w.text !== 'Contents' && w.y1 < BOTTOM + 4).map((w) => ({ ...w, page: p.number })));
    // The text block's right edge, on each page (margins are mirrored).
    const rightOf = new Map(contents.map((p) => [p.number, Math.max(...p.words.map((w) => w.x1))]));
    const titles = [...many.matchAll(/^# Chapter (\d+): (.*)$/gm)];
    expect(titles).toHaveLength(40);
    let k = 0;
    for (const [, n, title] of titles) {
      // The entry's words up to its page number (a compound broken at its hyphen comes back as `half‐ finished`).
      const start = k;
      while (k < words.length && !(/^\d+$/.test(words[k]!.text) && Math.abs(words[k]!.x1 - rightOf.get(words[k]!.page)!) < 0.5)) k++;
      const label = words.slice(start, k);
      const number = words[k++]!;
      expect(label.map((w) => w.text).join(' ').replace(/\u2010 /g, '-'), `entry ${n}`).toBe(`${n}. ${title}`.replace(/\s+/g, ' '));
      expect(number, `entry ${n} has a page number`).toBeDefined();
      const last = label.at(-1)!;
      expect(Math.abs(number.y1 - last.y1), `entry ${n}: its page number is on its last line`).toBeLessThan(0.5);
      expect(number.page).toBe(last.page);
      // Later lines hang under the first.
      const firstX = label[0]!.x0;
      label.forEach((w, i) => {
        const prev = label[i - 1];
        if (prev && (w.y0 > prev.y0 + 1 || w.page !== prev.page)) expect(w.x0, `entry ${n}: “${w.text}” hangs`).toBeGreaterThan(firstX + A5.fontSize);
      });
      // The number is the page the chapter opens on.
      const opens = pages.findIndex((p) => opening(p, n!));
      expect(Number(number.text), `entry ${n}`).toBe(opens + 1);
    }
    expect(k).toBe(words.length);
    // Nothing spilled onto pages at the end: the book ends with its last chapter's last words.
    const lastPage = pages[pages.length - 1]!;
    const lastWords = many.trim().split(/\s+/).slice(-3).join(' ');
    const text = (await tool('pdftotext', ['-f', String(lastPage.number), '-l', String(lastPage.number), '-enc', 'UTF-8', manyPdf, '-'])).stdout;
    expect(text.replace(/\s+/g, ' ')).toContain(lastWords);
  });

  it('sets a 5,000-character title in full on its title pages, smaller, and runs it on', async () => {
    const hp = await pageWords(hugePdf);
    const byline = hp.findIndex((p) => p.words.some((w, i) => w.text === 'by' && p.words[i + 1]?.text === 'Odile'));
    expect(byline).toBeGreaterThan(0);
    const got = hp
      .slice(0, byline + 1)
      .flatMap((p) => p.words.map((w) => w.text))
      .join(' ');
    expect(got.replace(/\u2010 /g, '-')).toContain(hugeTitle.replace(/\s+/g, ' '));
    // Title pages carry no running head or folio.
    for (const p of hp.slice(0, byline + 1)) expect(continued(p), `title page ${p.number}`).toBe(false);
    expect(await layoutFaults(hugePdf)).toEqual([]);
  });

  it('keeps body text on the baseline grid and facing pages level', () => {
    const offsets: number[] = [];
    /** Lines of the grid each page's text fills down to (a scene break at the foot fills its two). */
    const depths = new Map<number, number>();
    for (const p of pages) {
      if (!continued(p)) continue;
      // (The ornament of a scene break is drawn where it looks centred, off the grid on purpose.)
      const body = bodyWords(p).filter((w) => BODY_BOX(w.y1 - w.y0) && w.text !== '*');
      for (const w of body) offsets.push(((w.y0 - TOP) % PITCH + PITCH) % PITCH);
      const stars = bodyWords(p).filter((w) => w.text === '*');
      const lines = [...body.map((w) => Math.round((w.y0 - TOP) / PITCH) + 1), ...stars.map((w) => Math.round(((w.y0 + w.y1) / 2 - TOP) / PITCH) + 1)];
      if (lines.length) depths.set(p.number, Math.max(...lines));
    }
    // One offset from the grid for every line of body text on every page (a scene break or a letter moves none).
    const base = offsets[0]!;
    const off = offsets.filter((o) => Math.min(Math.abs(o - base), PITCH - Math.abs(o - base)) > 0.3);
    expect(off.length, `${off.length} of ${offsets.length} words off the grid`).toBe(0);
    // Full spreads: a left-hand page and the right-hand page facing it, the text running on after both.
    let spreads = 0;
    let uneven = 0;
    for (let v = 2; v + 2 <= pages.length; v += 2) {
      const [dv, dr, after] = [depths.get(v), depths.get(v + 1), depths.get(v + 2)];
      if (dv === undefined || dr === undefined || after === undefined) continue;
      spreads++;
      expect(Math.abs(dv - dr), `pages ${v} and ${v + 1} end ${dv} and ${dr} lines down`).toBeLessThanOrEqual(1);
      if (dv !== dr) uneven++;
    }
    expect(spreads).toBeGreaterThan(40);
    // Measured on this book: 30 of 47 spreads uneven before the page builder, 5 of 48 after (those
    // with a table or a letter at the foot); on AO3 stories of the corpus, 84 of 176 before, 8 of 177 after.
    expect(uneven / spreads, `${uneven} of ${spreads} spreads uneven`).toBeLessThanOrEqual(0.12);
    // And pages are full: hardly any (the last of a chapter aside) runs more than two lines short.
    const full = Math.max(...depths.values());
    const hollow = [...depths].filter(([n, d]) => depths.has(n + 1) && full - d > 2);
    expect(hollow.length / depths.size, `pages more than two lines short: ${hollow.map(([n]) => n).join(', ')}`).toBeLessThanOrEqual(0.03);
  });

  it('centres the scene-break ornament between the lines around it', async () => {
    const dir = tmp('layout-png');
    // Pages where a break stands between two lines of text on the same page.
    const withBreak = pages.filter((p) => {
      const stars = p.words.filter((w) => w.text === '*');
      if (stars.length !== 3) return false;
      const y = stars[0]!.y0;
      return bodyWords(p).some((w) => w.y1 < y - 2) && bodyWords(p).some((w) => w.y0 > stars[0]!.y1 + 2);
    });
    expect(withBreak.length).toBeGreaterThan(3);
    for (const p of withBreak.slice(0, 4)) {
      const star = p.words.find((w) => w.text === '*')!;
      const rows = await inkRows(manyPdf, p.number, dir);
      const scale = 90 / 72;
      // The ornament's row of ink is the one inside the star's box.
      const k = rows.findIndex(([a, b]) => a >= star.y0 * scale - 1 && b <= star.y1 * scale + 1);
      expect(k, `page ${p.number}`).toBeGreaterThan(0);
      const above = rows[k]![0] - rows[k - 1]![1] - 1;
      const below = rows[k + 1]![0] - rows[k]![1] - 1;
      expect(Math.abs(above - below), `page ${p.number}: ${above} px above the ornament, ${below} px below`).toBeLessThanOrEqual(2);
    }
  }, 120_000);

  it('draws tables as tables: cells in aligned columns, no pipes in the text', async () => {
    // The stress story's tables: header `Clock | Fault | Remedy`, then two rows.
    const withTable = pages.filter((p) => p.words.some((w) => w.text === 'Clock') && p.words.some((w) => w.text === 'Remedy'));
    expect(withTable.length).toBeGreaterThan(3);
    for (const p of withTable) expect(p.words.filter((w) => w.text === '|'), `page ${p.number}`).toEqual([]);
    for (const p of withTable.slice(0, 4)) {
      const first = (t: string) => p.words.find((w) => w.text === t)!;
      const [clock, fault, remedy] = [first('Clock'), first('Fault'), first('Remedy')];
      // A header row: one baseline, three columns left to right.
      expect(Math.abs(clock.y1 - fault.y1)).toBeLessThan(0.5);
      expect(Math.abs(clock.y1 - remedy.y1)).toBeLessThan(0.5);
      expect(clock.x1).toBeLessThan(fault.x0);
      expect(fault.x1).toBeLessThan(remedy.x0);
      // Body rows below it, each cell starting at its column's left edge (as the header does: all are set flush left).
      const [tuesday, mantle, thursday, lens] = [first('Tuesday'), first('Mantle'), first('Thursday'), first('Lens')];
      expect(tuesday.y0).toBeGreaterThan(clock.y1);
      expect(thursday.y0).toBeGreaterThan(tuesday.y1);
      for (const [cell, head] of [[tuesday, clock], [thursday, clock], [mantle, fault], [lens, fault]] as const) {
        expect(Math.abs(cell.x0 - head.x0), `page ${p.number}: ${cell.text} under ${head.text}`).toBeLessThan(0.5);
      }
      expect(Math.abs(mantle.y1 - tuesday.y1)).toBeLessThan(0.5);
    }
    // Rules are drawn: the table's page strokes lines (qpdf's uncompressed view); a page of plain text strokes none.
    const dir = tmp('layout-table');
    const strokes = async (page: number) => {
      const file = join(dir, `page-${page}.pdf`);
      const r = await tool('qpdf', ['--qdf', '--object-streams=disable', manyPdf, '--pages', '.', String(page), '--', file]);
      expect(r.code, r.stderr).toBe(0);
      return (readFileSync(file).toString('latin1').match(/ l\nS\n| l S\b/g) ?? []).length;
    };
    expect(await strokes(withTable[0]!.number)).toBeGreaterThanOrEqual(3);
    const plain = pages.find((p) => continued(p) && !p.words.some((w) => w.text === 'Clock' || w.text === 'Tuesday' || w.text === 'Thursday'))!;
    expect(await strokes(plain.number)).toBe(0);
  }, 120_000);

  it('sets a letter apart: no first-line indent, a line of space before and after', () => {
    let seen = 0;
    for (const p of pages) {
      const body = bodyWords(p);
      const dear = body.findIndex((w, i) => w.text === 'Dear' && body[i + 1]?.text === 'Sirs,');
      if (dear < 0) continue;
      const d = body[dear]!;
      const lineTops = [...new Set(body.map((w) => Number(w.y0.toFixed(1))))].sort((a, b) => a - b);
      const left = Math.min(...body.map((w) => w.x0));
      expect(Math.abs(d.x0 - left), `page ${p.number}: “Dear Sirs,” is not indented`).toBeLessThan(0.5);
      const before = lineTops.filter((y) => y < d.y0 - 1).at(-1);
      if (before !== undefined) expect(Math.round((d.y0 - before) / PITCH), `page ${p.number}: space above the letter`).toBe(2);
      const sign = body.find((w) => w.text === 'Keeper' && w.y0 > d.y0);
      const after = sign && lineTops.find((y) => y > sign.y0 + 1);
      if (sign && after !== undefined) expect(Math.round((after - sign.y0) / PITCH), `page ${p.number}: space below the letter`).toBe(2);
      seen++;
    }
    expect(seen).toBeGreaterThan(10);
  });

  it('hyphenates no paragraph’s last word, no compound again, no address — and breaks compounds at their own hyphen', async () => {
    const lines = await rawLines(manyPdf);
    const paragraphs = many
      .split(/\n\s*\n/)
      .map((p) => p.trim())
      .filter((p) => p && !/^(---|#|\||\* \* \*)/.test(p));
    const compounds = new Set(many.match(/\p{L}+(?:-\p{L}+)+/gu));
    let hyphenated = 0;
    let compoundBreaks = 0;
    for (let i = 0; i + 1 < lines.length; i++) {
      const line = lines[i]!;
      const head = line.split(' ').at(-1)!;
      const tail = lines[i + 1]!.split(' ')[0]!;
      if (head.endsWith('-') && /\p{L}-$/u.test(head)) {
        // A word hyphenated at a line's end: never a paragraph's last word, never inside a compound or an address.
        hyphenated++;
        const word = head.slice(0, -1) + tail;
        // The paragraph's last line is never the fragment alone.
        expect(lines[i + 1]!.trim() === tail && paragraphs.some((p) => p.endsWith(word)), `“${head}/${tail}” ends a paragraph on a fragment`).toBe(false);
        expect(word, `“${head}/${tail}” hyphenates a compound again`).not.toMatch(/\p{L}-\p{L}/u);
        expect(word, `“${head}/${tail}” hyphenates an address`).not.toMatch(/\p{L}\.\p{L}|[/@]/u);
      }
      if (head.endsWith('\u2010')) {
        // A compound broken at its own hyphen, which the text keeps: both parts whole.
        compoundBreaks++;
        const word = `${/(\p{L}+(?:-\p{L}+)*)\u2010$/u.exec(head)?.[1]}-${/^\p{L}+(?:-\p{L}+)*/u.exec(tail)?.[0]}`;
        expect([...compounds].some((c) => c.includes(word)), `“${head}/${tail}” is a compound of the story`).toBe(true);
      }
    }
    expect(hyphenated).toBeGreaterThan(20);
    expect(compoundBreaks).toBeGreaterThan(0);
    // pdftotext gives the compounds back whole: “usually-stoic”, not “usuallystoic”.
    const text = (await tool('pdftotext', ['-enc', 'UTF-8', manyPdf, '-'])).stdout;
    expect(text).not.toMatch(/usuallystoic|wellworn|lamproom|breadanddripping/);
  });
});

describe('PDF bytes', () => {
  it('are the same for a book built alone, in a batch, with -j 1 and with -j 3', async () => {
    // Books that share fonts, shapes and measured words in one process: English with compounds and
    // letters, the same-process pair, a pair whose second book first needs a fallback font for a word
    // the first book never measured (its font objects were made in another order in a batch), and
    // stories in other scripts.
    const works = tmp('bytes-works');
    const files = [
      'test/samples/layout/in-which.md',
      'test/samples/same-process/1-first.md',
      'test/samples/same-process/2-second.md',
      'test/samples/font-order/1-umbrella.md',
      'test/samples/font-order/2-snowman.md',
      'test/samples/scripts/ja.md',
      'test/samples/scripts/ar.md',
      'test/samples/scripts/emoji.md',
      'works/fog-signal.md',
    ];
    mkdirSync(works, { recursive: true });
    for (const f of files) copyFileSync(f, join(works, f.replace(/\//g, '_')));
    writeFileSync(join(works, 'stress.md'), stressStory({ chapters: 4, paragraphs: 20 }));
    const runs: Record<string, string> = {};
    for (const jobs of ['1', '3']) {
      runs[`-j ${jobs}`] = tmp(`bytes-j${jobs}`);
      const r = quire(['build', works, '-o', runs[`-j ${jobs}`]!, '-f', 'pdf', '-j', jobs]);
      expect(r.code, r.stderr).toBe(0);
    }
    const books = (dir: string) => readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.pdf')).sort();
    const names = books(runs['-j 1']!);
    expect(names.length).toBeGreaterThanOrEqual(files.length + 1);
    expect(books(runs['-j 3']!)).toEqual(names);
    for (const name of names) {
      const a = readFileSync(join(runs['-j 1']!, name));
      expect(readFileSync(join(runs['-j 3']!, name)).equals(a), `${name}: -j 3 differs from -j 1`).toBe(true);
    }
    // Each alone, in its own process: the same bytes as one of the batch's books (names may differ: `untitled-2`).
    const batch = new Map(names.map((n) => [readFileSync(join(runs['-j 1']!, n)).toString('base64'), n]));
    for (const f of readdirSync(works)) {
      const alone = tmp('bytes-alone');
      const r = quire(['build', join(works, f), '-o', alone, '-f', 'pdf']);
      expect(r.code, r.stderr).toBe(0);
      for (const name of books(alone)) expect(batch.has(readFileSync(join(alone, name)).toString('base64')), `${f} → ${name}: alone differs from the batch`).toBe(true);
    }
  }, 600_000);
});
