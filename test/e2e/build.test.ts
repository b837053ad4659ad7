/**
 * End to end through the real CLI on real files: the bundled works/, the
 * golden fixtures, the seeds in ../shared when present, and hostile input.
 * Every EPUB goes through epubcheck; every PDF through qpdf, pdffonts and
 * pdftotext.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { readAll } from '../../src/compile.js';
import { blockText } from '../../src/model/text.js';
import type { Work } from '../../src/model/types.js';
import { unzipText, words, firstMissing } from '../helpers/epub.js';
import { epubcheckAll, quire, tool } from '../helpers/tools.js';
import { slugify } from '../../src/write/slug.js';
import { makePng } from '../helpers/png.js';

const tmp = (name: string) => mkdtempSync(join(tmpdir(), `quire-${name}-`));
const books = (dir: string, ext: string) =>
  readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith(ext))
    .map((f) => join(dir, f))
    .sort();

/** Story words of a work, in reading order: notes, chapters with their notes, end notes. */
function workWords(work: Work): string[] {
  const parts = [blockText(work.notes.before)];
  for (const ch of work.chapters) parts.push(blockText(ch.summary), blockText(ch.notes.before), blockText(ch.blocks), blockText(ch.notes.after));
  parts.push(blockText(work.notes.after));
  return words(parts.join('\n'));
}

async function checkPdf(file: string, work: Work): Promise<void> {
  const check = await tool('qpdf', ['--check', file]);
  expect(check.code, `qpdf --check ${file}\n${check.stdout}${check.stderr}`).toBe(0);
  const fonts = await tool('pdffonts', [file]);
  const rows = fonts.stdout.split('\n').slice(2).filter((l) => l.trim());
  expect(rows.length, `no fonts in ${file}`).toBeGreaterThan(0);
  for (const row of rows) {
    expect(row, `font not embedded in ${file}`).toMatch(/\s+yes\s+yes\s+yes\s+\d+\s+\d+\s*$/);
    expect(row).not.toMatch(/Helvetica|Times|Courier/);
  }
  const text = await tool('pdftotext', ['-enc', 'UTF-8', file, '-']);
  const got = words(text.stdout);
  const want = workWords(work);
  const missing = firstMissing(want, got);
  expect(missing, `pdftotext lost words of ${file} from word ${missing}: ${want.slice(missing, missing + 8).join(' ')}`).toBe(-1);
  const info = await tool('pdfinfo', [file]);
  expect(info.stdout).toMatch(new RegExp(`Title:\\s+${work.metadata.title.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
  expect(readFileSync(file).includes('/Outlines')).toBe(true);
}

async function checkEpubs(files: string[]): Promise<void> {
  const results = await epubcheckAll(files);
  results.forEach((r, i) => {
    expect({ file: files[i], errors: r.errors, warnings: r.warnings, fatals: r.fatals }, r.output).toEqual({
      file: files[i],
      errors: 0,
      warnings: 0,
      fatals: 0,
    });
  });
}

describe('quire build works/', () => {
  const out = tmp('works');
  let result: ReturnType<typeof quire>;
  let works: Work[];

  beforeAll(async () => {
    result = quire(['build', 'works', '-o', out]);
    works = (await readAll(['works'])).works.map((w) => w.work);
  });

  it('builds an EPUB and a PDF for every work and exits 0', () => {
    expect(result.code, result.stderr).toBe(0);
    expect(works.length).toBeGreaterThanOrEqual(4);
    // Every work, plus the omnibus of The Harbour Lights.
    expect(books(out, '.epub')).toHaveLength(works.length + 1);
    expect(books(out, '.pdf')).toHaveLength(works.length + 1);
    expect(readdirSync(out).filter((f) => f.includes('.quire-tmp'))).toEqual([]);
  });

  it('writes EPUBs that pass epubcheck with no errors or warnings', async () => {
    await checkEpubs(books(out, '.epub'));
  });

  it('writes PDFs that qpdf accepts, with embedded fonts and every word', async () => {
    for (const work of works) {
      const pdf = books(out, '.pdf').find((f) => readFileSync(f).includes(Buffer.from(`/Title (`)) && f.includes(slugOf(work)));
      expect(pdf, `no PDF for ${work.source}`).toBeDefined();
      await checkPdf(pdf!, work);
    }
  });

  it('puts series metadata in the OPF and notes on their own page', async () => {
    const tide = await unzipText(join(out, 'the-harbour-lights', '01-tidewater.epub'));
    const opf = tide.get('OEBPS/content.opf')!;
    expect(opf).toContain('<meta property="belongs-to-collection" id="series1">The Harbour Lights</meta>');
    expect(opf).toContain('<meta refines="#series1" property="group-position">1</meta>');
    expect(opf).toContain('<meta name="calibre:series_index" content="1"/>');
    expect(tide.get('OEBPS/endnotes.xhtml')).toContain('first of the Harbour Lights stories');
    expect(tide.get('OEBPS/ch1.xhtml')).not.toContain('Series this work belongs to');
    expect(tide.get('OEBPS/ch1.xhtml')).not.toContain('Thank you for reading');
  });

  it('gives a multi-chapter work a contents page and a nav entry per chapter', async () => {
    const files = await unzipText(join(out, 'the-cartographers-daughter.epub'));
    const nav = files.get('OEBPS/toc.xhtml')!;
    expect(nav).toContain('<a href="ch1.xhtml">1. The Atlas</a>');
    expect(nav).toContain('<a href="ch3.xhtml">Chapter 3</a>');
    expect(files.get('OEBPS/content.opf')).toMatch(/<itemref idref="page-title"\/>\s*<itemref idref="nav"\/>/);
    expect(files.get('OEBPS/toc.ncx')).toContain('<text>2. Contour Lines</text>');
  });

  it('skips unchanged books on the next build and rewrites them with --force', () => {
    const before = statSync(join(out, 'the-harbour-lights', '01-tidewater.epub')).mtimeMs;
    const again = quire(['build', 'works', '-o', out]);
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/0 books written, 10 unchanged/);
    expect(statSync(join(out, 'the-harbour-lights', '01-tidewater.epub')).mtimeMs).toBe(before);
    const forced = quire(['build', 'works', '-o', out, '--force', '-f', 'epub']);
    expect(forced.stdout).toMatch(/5 books written/);
  });
});

function slugOf(work: Work): string {
  return slugify(work.metadata.title);
}

describe('quire build on the golden fixtures', () => {
  it('builds valid books from every fixture', async () => {
    const out = tmp('fixtures');
    // Each fixture's input (its expected.* files, XHTML among them, are outputs, not stories).
    const inputs = readdirSync('test/fixtures').map((d) => join('test/fixtures', d, readdirSync(join('test/fixtures', d)).find((f) => f.startsWith('input.') && !/\.(ya?ml|json)$/.test(f))!));
    const r = quire(['build', ...inputs, '-o', out]);
    expect(r.code, r.stderr).toBe(0);
    const epubs = books(out, '.epub');
    expect(epubs).toHaveLength(inputs.length);
    await checkEpubs(epubs);
    const works = (await readAll(inputs)).works.map((w) => w.work);
    for (const work of works) {
      const pdf = books(out, '.pdf').find((f) => f.endsWith(`${slugOf(work)}.pdf`) || f.match(new RegExp(`/\\d+-${slugOf(work)}\\.pdf$`)));
      expect(pdf, work.source).toBeDefined();
      await checkPdf(pdf!, work);
    }
  });
});

describe('reproducibility', () => {
  it('gives byte-identical books for the same input', () => {
    const a = tmp('repro-a');
    const b = tmp('repro-b');
    expect(quire(['build', 'works', '-o', a, '--force']).code).toBe(0);
    expect(quire(['build', 'works', '-o', b, '--force']).code).toBe(0);
    for (const f of [...books(a, '.epub'), ...books(a, '.pdf')]) {
      const name = f.slice(a.length + 1);
      expect(readFileSync(join(b, name)).equals(readFileSync(f)), name).toBe(true);
    }
  });

  it('honours SOURCE_DATE_EPOCH', async () => {
    const out = tmp('sde');
    expect(quire(['build', 'works/tidewater.txt', '-o', out, '-f', 'epub'], { SOURCE_DATE_EPOCH: '1700000000' }).code).toBe(0);
    const opf = (await unzipText(join(out, 'the-harbour-lights', '01-tidewater.epub'))).get('OEBPS/content.opf')!;
    expect(opf).toContain('<meta property="dcterms:modified">2023-11-14T22:13:20Z</meta>');
  });
});

const seeds = join('..', 'shared', 'seeds');

describe.skipIf(!existsSync(seeds))('the real scrapes in ../shared/seeds', () => {
  it('builds both seeds; seed 000 has its series in the OPF, its notes apart, no trailer in the story', async () => {
    const out = tmp('seeds');
    const r = quire(['build', seeds, '-o', out]);
    expect(r.code, r.stderr).toBe(0);
    const epubs = books(out, '.epub');
    expect(epubs).toHaveLength(2);
    await checkEpubs(epubs);
    const seed = await unzipText(epubs.find((f) => f.includes('000'))!);
    const opf = seed.get('OEBPS/content.opf')!;
    expect(opf).toContain('<meta property="belongs-to-collection" id="series1">Omega Hux &amp; Alpha Kylo</meta>');
    expect(opf).toContain('<meta refines="#series1" property="group-position">3</meta>');
    expect(opf).toContain('<meta name="calibre:series" content="Omega Hux &amp; Alpha Kylo"/>');
    expect(seed.get('OEBPS/endnotes.xhtml')).toContain('Thanks for reading!');
    const story = seed.get('OEBPS/ch1.xhtml')!;
    expect(story).not.toContain('Thanks for reading!');
    expect(story).not.toContain('Series this work belongs to');
    expect(story).not.toContain('Previous Work');
    const works = (await readAll([seeds])).works.map((w) => w.work);
    for (const work of works) await checkPdf(books(out, '.pdf').find((f) => f.includes(work.source.match(/(\d{3})_/)![1]!))!, work);
  });
});

describe('bad input', () => {
  it('reports each broken file in one line, builds the rest, exits 1 and leaves no stray files', () => {
    const dir = tmp('bad-in');
    const out = tmp('bad-out');
    writeFileSync(join(dir, 'good.txt'), '---\ntitle: Good One\nauthor: Someone\n---\nThe one story that works.\n');
    writeFileSync(join(dir, 'empty.txt'), '   \n\n');
    writeFileSync(join(dir, 'binary.txt'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x00, 0x01, 0x02]));
    writeFileSync(join(dir, 'broken-yaml.md'), '---\ntitle: [oops\n---\nText.\n');
    writeFileSync(join(dir, 'open-front.md'), '---\ntitle: Never closed\nStory.\n');
    writeFileSync(join(dir, 'only-notes.txt'), 'Notes: just notes, no story.');
    mkdirSync(join(dir, 'sub'));
    writeFileSync(join(dir, 'sub', 'bad-sidecar.txt'), 'A story with a broken sidecar.');
    writeFileSync(join(dir, 'sub', 'bad-sidecar.json'), '{ "title": ');
    const r = quire(['build', dir, '-o', out]);
    expect(r.code).toBe(1);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    for (const name of ['empty.txt', 'binary.txt', 'broken-yaml.md', 'open-front.md', 'only-notes.txt', 'bad-sidecar.json']) {
      const lines = r.stderr.split('\n').filter((l) => l.includes(name) && l.includes(': error: '));
      expect(lines.length, `${name}\n${r.stderr}`).toBeGreaterThanOrEqual(1);
    }
    // The books, the build record, and the covers and page maps kept for the next build.
    expect(readdirSync(out).sort()).toEqual(['.quire-cache', '.quire-cache.json', 'good-one.epub', 'good-one.pdf']);
  });

  it('exits 2 on a usage error', () => {
    expect(quire(['build', '-f', 'mobi']).code).toBe(2);
    expect(quire(['build', '--no-such-option']).code).toBe(2);
    expect(quire(['frobnicate']).code).toBe(2);
  });

  it('exits 1 when a named path does not exist', () => {
    const r = quire(['build', 'no/such/file.txt', '-o', tmp('nf')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('no/such/file.txt: error: no such file or folder [input/not-found]');
  });
});

describe('quire list', () => {
  it('lists titles, authors and series parts', () => {
    const r = quire(['list', 'works']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('works/tidewater.txt: "Tidewater" by Wren Halloway [The Harbour Lights #1]');
    expect(r.stdout).toContain('works/the-last-keeper.txt: "The Last Keeper" by Wren Halloway [The Harbour Lights #3]');
  });
});

describe('print-quality PDF', () => {
  const sizes: Array<[string, number, number]> = [
    ['a4', 595.28, 841.89],
    ['letter', 612, 792],
    ['a5', 419.53, 595.28],
    ['6x9', 432, 648],
    ['5x8', 360, 576],
    ['ereader', 255.12, 340.16],
    ['140x216', 396.85, 612.28],
  ];
  it.each(sizes)('sets the page size %s, tagged, with every word', async (size, w, h) => {
    const out = tmp(`size-${size}`);
    const r = quire(['build', 'works/the-cartographers-daughter.txt', '-o', out, '-f', 'pdf', '--page-size', size]);
    expect(r.code, r.stderr).toBe(0);
    const file = join(out, 'the-cartographers-daughter.pdf');
    const info = (await tool('pdfinfo', [file])).stdout;
    const m = /Page size:\s+([\d.]+) x ([\d.]+) pts/.exec(info)!;
    expect(Number(m[1])).toBeCloseTo(w, 0);
    expect(Number(m[2])).toBeCloseTo(h, 0);
    expect(info).toMatch(/Tagged:\s+yes/);
    const work = (await readAll(['works/the-cartographers-daughter.txt'])).works[0]!.work;
    await checkPdf(file, work);
  });

  it('has a contents page with page numbers and links, running heads and escaped XMP', async () => {
    const out = tmp('contents');
    expect(quire(['build', 'works/the-cartographers-daughter.txt', 'test/fixtures/markdown-chapters/input.md', '-o', out, '-f', 'pdf']).code).toBe(0);
    const file = join(out, 'the-cartographers-daughter.pdf');
    const text = (await tool('pdftotext', ['-layout', file, '-'])).stdout;
    expect(text).toMatch(/1\. The Atlas\s+\d+/);
    expect(text).toMatch(/Chapter 3\s+\d+/);
    const raw = readFileSync(file).toString('latin1');
    expect(raw).toContain('/Dests');
    expect(raw).toMatch(/\/Subtype \/Link/);
    expect(raw).toContain('/StructTreeRoot');
    const xmp = readFileSync(join(out, 'bestiaries', '02-dragons-and-their-keepers.pdf')).toString('utf8');
    expect(xmp).toContain('<rdf:li xml:lang="x-default">Dragons &amp; Their &quot;Keepers&quot;</rdf:li>');
  });

  it('falls back to a second font for glyphs the main one lacks', async () => {
    const dir = tmp('glyphs-in');
    const out = tmp('glyphs-out');
    writeFileSync(join(dir, 'glyphs.md'), '---\ntitle: Glyphs\nauthor: Zoë Brontë\n---\nArrows ← and → point at Ω, € and Łódź; ǅ and Ꞵ are rarer; ☃ too.\n');
    const r = quire(['build', dir, '-o', out, '-f', 'pdf']);
    expect(r.code, r.stderr).toBe(0);
    const text = (await tool('pdftotext', ['-enc', 'UTF-8', join(out, 'glyphs.pdf'), '-'])).stdout;
    for (const s of ['←', '→', 'Ω', '€', 'Łódź', 'Zoë Brontë', '☃']) expect(text).toContain(s);
    const fonts = (await tool('pdffonts', [join(out, 'glyphs.pdf')])).stdout;
    expect(fonts).toMatch(/DejaVu/);
  });

  it('sets combining marks the font cannot position (fontkit throws on b̈ in Literata), in titles, text and links', async () => {
    const dir = tmp('marks-in');
    const out = tmp('marks-out');
    writeFileSync(join(dir, 'marks.md'), '---\ntitle: The Tab\u0308le\nauthor: Ann Writer\n---\nWe were b\u0308oth there; see [the b\u0308log](https://example.org/) again.\n');
    const r = quire(['build', dir, '-o', out, '-f', 'pdf']);
    expect(r.code, r.stderr).toBe(0);
    const text = (await tool('pdftotext', ['-enc', 'UTF-8', join(out, 'the-table.pdf'), '-'])).stdout.normalize('NFC');
    for (const s of ['The Tab\u0308le', 'b\u0308oth there', 'the b\u0308log again']) expect(text).toContain(s.normalize('NFC'));
  });

  it('rejects an unknown page size as a usage error', () => {
    expect(quire(['build', 'works', '-o', tmp('bad-size'), '--page-size', 'postcard']).code).toBe(2);
  });
});

describe('series and batches', () => {
  /** A small original story for a series part. */
  const story = (n: number) =>
    `The ${['first', 'second', 'third', 'fourth', 'fifth'][n - 1]} winter came early to the valley. "Bring the goats in," Maren said. "Before the snow." The boy ran.`;

  function seriesFolder(): string {
    const dir = tmp('series-in');
    // File names sort against part order: z→1, y→2, x→3, w→4.
    const parts: Array<[string, number, string, string]> = [
      ['z-first.txt', 1, 'The Valley’s Winters', 'Snowfall'],
      ['y-second.txt', 2, "the valley's winters ", 'Thaw'],
      ['x-third.md', 3, 'The Valley’s Winters', 'Floodwater'],
      ['w-fourth.txt', 4, 'THE VALLEY’S WINTERS', 'Harvest'],
    ];
    for (const [file, part, name, title] of parts) {
      if (part === 2) {
        // This part's series comes from an AO3 trailer, in the pre-2022 form.
        writeFileSync(join(dir, file), `${story(part)} Series this work belongs to: ← Previous Work Part ${part} of the ${name}series Next Work →\n`);
        writeFileSync(join(dir, file.replace('.txt', '.yaml')), `title: ${title}\nauthor: Ilka Venn\n`);
      } else {
        writeFileSync(join(dir, file), `---\ntitle: ${title}\nauthor: Ilka Venn\nseries: "${name}"\npart: ${part}\n---\n\n${story(part)}\n`);
      }
    }
    // A second series with a gap: parts 1 and 3 of 3.
    mkdirSync(join(dir, 'holey'));
    writeFileSync(join(dir, 'holey', 'one.md'), `---\ntitle: Hole One\nauthor: Pim Dorr\nseries: Holey Series\npart: 1\n---\n\nA hole opened in the road. Nobody fell in.\n`);
    writeFileSync(join(dir, 'holey', 'three.md'), `---\ntitle: Hole Three\nauthor: Pim Dorr\nseries: Holey Series\npart: 3\n---\n\nThe road was mended by spring.\n`);
    writeFileSync(join(dir, 'holey', 'series.yaml'), 'title: The Book of Holes\nsummary: Roads, and what happens to them.\n');
    return dir;
  }

  it('orders parts by part number, writes per-part books with series metadata and an omnibus, and skips unchanged books', async () => {
    const dir = seriesFolder();
    const out = tmp('series-out');
    const r = quire(['build', dir, '-o', out, '-j', '2']);
    expect(r.code, r.stderr).toBe(0);
    const parts = books(join(out, 'the-valleys-winters'), '.epub').map((f) => f.slice(out.length + 1));
    expect(parts).toEqual([
      'the-valleys-winters/01-snowfall.epub',
      'the-valleys-winters/02-thaw.epub',
      'the-valleys-winters/03-floodwater.epub',
      'the-valleys-winters/04-harvest.epub',
    ]);
    for (const [i, f] of parts.entries()) {
      const opf = (await unzipText(join(out, f))).get('OEBPS/content.opf')!;
      expect(opf).toContain(`<meta refines="#series1" property="group-position">${i + 1}</meta>`);
      expect(opf).toContain(`<meta name="calibre:series_index" content="${i + 1}"/>`);
    }
    // The omnibus: series title, all parts in order in nested navigation.
    const omnibus = await unzipText(join(out, 'the-valleys-winters.epub'));
    const nav = omnibus.get('OEBPS/toc.xhtml')!;
    const order = ['Part 1: Snowfall', 'Part 2: Thaw', 'Part 3: Floodwater', 'Part 4: Harvest'].map((t) => nav.indexOf(t));
    expect(order.every((x, i) => x > 0 && (i === 0 || x > order[i - 1]!))).toBe(true);
    expect(nav).toMatch(/Part 1: Snowfall<\/a>\s*<ol>\s*<li><a href="p1-ch1.xhtml">/);
    expect(omnibus.get('OEBPS/content.opf')).toContain('<dc:title id="title">The Valley’s Winters</dc:title>');
    expect(omnibus.get('OEBPS/toc.ncx')).toMatch(/<navPoint id="navpoint-2" playOrder="\d+">\s*<navLabel><text>Part 1: Snowfall/);
    // The holey series has its own metadata (series.yaml) and an omnibus of its two parts.
    const holes = await unzipText(join(out, 'the-book-of-holes.epub'));
    expect(holes.get('OEBPS/content.opf')).toContain('<dc:description>Roads, and what happens to them.</dc:description>');
    expect(r.stderr).toMatch(/holey\/one\.md: warning: Holey Series: part 2 of 3 missing .*\[series\/missing-part\]/);
    await checkEpubs([...books(out, '.epub')]);
    const omnibusPdf = join(out, 'the-valleys-winters.pdf');
    expect((await tool('qpdf', ['--check', omnibusPdf])).code).toBe(0);

    // A second build rewrites nothing.
    const all = () => books(out, '');
    const mtimes = all().map((f) => statSync(f).mtimeMs);
    const again = quire(['build', dir, '-o', out]);
    expect(again.stdout).toMatch(/0 books written, 16 unchanged/);
    expect(all().map((f) => statSync(f).mtimeMs)).toEqual(mtimes);

    // Changing one part rebuilds that part and its omnibus only.
    writeFileSync(join(dir, 'x-third.md'), readFileSync(join(dir, 'x-third.md'), 'utf8') + '\nThe water went down.\n');
    const third = quire(['build', dir, '-o', out, '-f', 'epub']);
    expect(third.stdout).toMatch(/2 books written, 6 unchanged/);
    expect(third.stdout).toContain('the-valleys-winters/03-floodwater.epub');
    expect(third.stdout).toContain('the-valleys-winters.epub');
  });

  it('lists series with parts in order and their gaps', () => {
    const r = quire(['list', seriesFolder()]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/series "The Valley’s Winters": 4 parts\n\s+1\. Snowfall.*\n\s+2\. Thaw.*\n\s+3\. Floodwater.*\n\s+4\. Harvest/);
    expect(r.stdout).toMatch(/series "Holey Series" — The Book of Holes: 2 parts, missing 2\n\s+1\. Hole One.*\n\s+2\. \(missing\)\n\s+3\. Hole Three/);
  });

  it('warns about duplicate and insane part numbers and still builds', () => {
    const dir = tmp('dup-in');
    writeFileSync(join(dir, 'a.md'), '---\ntitle: A\nseries: Twins\npart: 1\n---\nOne.\n');
    writeFileSync(join(dir, 'b.md'), '---\ntitle: B\nseries: Twins\npart: 1\n---\nAlso one.\n');
    writeFileSync(join(dir, 'c.md'), '---\ntitle: C\nseries: Twins\npart: -4\n---\nNegative.\n');
    writeFileSync(join(dir, 'd.txt'), 'Odd. Series this work belongs to: Part 0 of Twins\n');
    const out = tmp('dup-out');
    const r = quire(['build', dir, '-o', out, '-f', 'epub']);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/b\.md: warning: Twins: part 1 is claimed by both .*a\.md and .*b\.md/);
    expect(r.stderr).toMatch(/c\.md: warning: series 'Twins' has part '-4'.*\[series\/bad-part\]/);
    expect(r.stderr).toMatch(/d\.txt: warning: series trailer names 'Part 0 of Twins'.*\[series\/bad-part\]/);
    expect(books(out, '.epub').length).toBe(5);
  });

  it('gives an omnibus the cover its series.yaml names (a PNG made JPEG), in the EPUB and, with --cover-page, the PDF', async () => {
    const dir = tmp('cover-in');
    const out = tmp('cover-out');
    writeFileSync(join(dir, 'a.md'), '---\ntitle: Part A\nauthor: C. Over\nseries: Covered\npart: 1\n---\nFirst.\n');
    writeFileSync(join(dir, 'b.md'), '---\ntitle: Part B\nauthor: C. Over\nseries: Covered\npart: 2\n---\nSecond.\n');
    writeFileSync(join(dir, 'front.png'), makePng(60, 90));
    writeFileSync(join(dir, 'series.yaml'), 'cover: front.png\nsummary: Two parts, one cover.\n');
    const r = quire(['build', dir, '-o', out]);
    expect(r.code, r.stderr).toBe(0);
    const epub = join(out, 'covered.epub');
    await checkEpubs([epub]);
    const files = await unzipText(epub);
    // Kindle and Apple Books show no PNG cover in their libraries: the picture is re-encoded as JPEG.
    expect(files.get('OEBPS/content.opf')).toContain('<item id="cover-image" href="images/cover.jpg" media-type="image/jpeg" properties="cover-image"/>');
    expect(files.get('OEBPS/content.opf')).toMatch(/<spine toc="ncx">\s*<itemref idref="page-cover"\/>/);
    // The PDF is for print: no cover page unless asked for.
    expect((await tool('pdfimages', ['-list', join(out, 'covered.pdf')])).stdout).not.toMatch(/^\s+1\s+0\s+image/m);
    expect(quire(['build', dir, '-o', out, '--cover-page']).code).toBe(0);
    const images = (await tool('pdfimages', ['-list', join(out, 'covered.pdf')])).stdout;
    expect(images).toMatch(/^\s+1\s+0\s+image\s+60\s+90/m);
  });

  it('writes only parts or only the omnibus when asked, and the same bytes at any -j', () => {
    const dir = seriesFolder();
    const parts = tmp('mode-parts');
    const omni = tmp('mode-omni');
    const one = tmp('mode-j1');
    expect(quire(['build', dir, '-o', parts, '--series', 'parts', '-f', 'epub']).code).toBe(0);
    expect(books(parts, '.epub').some((f) => f.endsWith('the-valleys-winters.epub'))).toBe(false);
    expect(quire(['build', dir, '-o', omni, '--series', 'omnibus', '-f', 'epub']).code).toBe(0);
    expect(books(omni, '.epub').map((f) => f.slice(omni.length + 1))).toEqual(['the-book-of-holes.epub', 'the-valleys-winters.epub']);
    expect(quire(['build', dir, '-o', one, '-j', '1', '--series', 'omnibus', '-f', 'epub']).code).toBe(0);
    for (const f of books(omni, '.epub')) expect(readFileSync(f).equals(readFileSync(join(one, f.slice(omni.length + 1))))).toBe(true);
    expect(quire(['build', dir, '--series', 'sometimes']).code).toBe(2);
  });
});

describe('AO3 HTML downloads', () => {
  it('builds the hostile multi-chapter download into clean, valid books with chapter notes in both formats', async () => {
    const out = tmp('ao3');
    const r = quire(['build', 'test/fixtures/ao3-html/input.html', '-o', out]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('[html/remote-image]');
    const epub = books(out, '.epub')[0]!;
    await checkEpubs([epub]);
    const files = await unzipText(epub);
    const xhtml = [...files.entries()].filter(([n]) => n.endsWith('.xhtml')).map(([, t]) => t).join('\n');
    for (const bad of ['<script', 'javascript:', 'onclick', 'onload', '<iframe', '<object', '<form', '<input', '<svg', 'example.org/track', 'data:image', 'should-never-load', 'background']) {
      expect(xhtml, bad).not.toContain(bad);
    }
    expect(files.get('OEBPS/toc.xhtml')).toContain('<a href="ch1.xhtml">1. The Wrong Hour</a>');
    expect(files.get('OEBPS/toc.xhtml')).toContain('<a href="ch2.xhtml">Chapter 2</a>');
    const ch1 = files.get('OEBPS/ch1.xhtml')!;
    expect(ch1.indexOf('Chapter Summary')).toBeLessThan(ch1.indexOf('The shop smelled'));
    expect(ch1.indexOf('Chapter End Notes')).toBeGreaterThan(ch1.indexOf('the catalogue'));
    const opf = files.get('OEBPS/content.opf')!;
    expect(opf).toContain('<dc:creator id="creator2">Mainspring</dc:creator>');
    expect(opf).toContain('<dc:source>https://archiveofourown.org/works/00000001</dc:source>');
    expect(opf).toContain('<meta property="belongs-to-collection" id="series2">Winter Exchange Collection</meta>');
    const work = (await readAll(['test/fixtures/ao3-html/input.html'])).works[0]!.work;
    const pdf = books(out, '.pdf')[0]!;
    await checkPdf(pdf, work);
    const text = (await tool('pdftotext', [pdf, '-'])).stdout;
    expect(text).toContain('Chapter Summary');
    expect(text).toContain('Chapter End Notes');
    expect(text).not.toMatch(/iframe fallback|object fallback|svg text/);
  });

  it('copies local images into the EPUB and draws them in the PDF', async () => {
    const dir = tmp('img-in');
    const out = tmp('img-out');
    writeFileSync(join(dir, 'map.png'), makePng(40, 20));
    writeFileSync(join(dir, 'story.html'), '<html><body><h1>Map Story</h1><p>See the map.</p><p><img src="map.png" alt="The valley"></p><p>The end.</p></body></html>');
    const r = quire(['build', dir, '-o', out]);
    expect(r.code, r.stderr).toBe(0);
    const epub = join(out, 'map-story.epub');
    await checkEpubs([epub]);
    const files = await unzipText(epub);
    expect(files.get('OEBPS/content.opf')).toMatch(/<item id="image1" href="images\/[0-9a-f]{16}\.png" media-type="image\/png"\/>/);
    expect(files.get('OEBPS/ch1.xhtml')).toMatch(/<img src="images\/[0-9a-f]{16}\.png" alt="The valley"\/>/);
    expect((await tool('qpdf', ['--check', join(out, 'map-story.pdf')])).code).toBe(0);
  });
});
