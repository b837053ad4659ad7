/**
 * The files readers already have, through the real CLI: AO3 EPUB downloads
 * (made from original AO3 HTML downloads by calibre, exactly as AO3 makes
 * them), a work page saved from the browser, other EPUBs (Quire's own, a
 * hand-made EPUB 2 and EPUB 3), and the EPUBs Quire cannot read.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import JSZip from 'jszip';
import { describe, expect, it } from 'vitest';
import { readAll } from '../../src/compile.js';
import { blockText } from '../../src/model/text.js';
import type { Work } from '../../src/model/types.js';
import { ao3Download, ao3Epub, hasCalibre, type Ao3Work } from '../helpers/ao3.js';
import { unzipText } from '../helpers/epub.js';
import { epubcheckAll, quire } from '../helpers/tools.js';

const tmp = (name: string) => mkdtempSync(join(tmpdir(), `quire-${name}-`));
const SLOW = 900_000;
const allFiles = (dir: string) => readdirSync(dir, { recursive: true, encoding: 'utf8' }).map((f) => join(dir, f)).sort();

/** A work as a reader meets it: everything but where it came from. */
function essence(w: Work) {
  const { wordCount, ...metadata } = w.metadata;
  return { metadata, wordCount, notes: w.notes, chapters: w.chapters };
}

/** Three parts of one series, written for this test. */
const KETTLE: Ao3Work[] = [
  {
    id: 50000001,
    title: 'The Copper Kettle',
    authors: ['hollowreed'],
    rating: 'General Audiences',
    warnings: ['No Archive Warnings Apply'],
    categories: ['Gen'],
    fandoms: ['Original Work'],
    characters: ['Wynn Ashdown', 'Old Maud'],
    freeforms: ['Tea', 'Small Towns'],
    series: [{ name: 'Kettle Lane', part: 1, id: 5000 }],
    published: '2024-01-10',
    words: 120,
    summary: '<p>A kettle that will not boil for strangers.</p>',
    notes: '<p>The first of three short pieces.</p>',
    endNotes: '<p>Thanks for reading! Kudos warm the kettle.</p>',
    chapters: [
      {
        html: '<p>The kettle at the back of Maud’s shop had not boiled for a stranger in forty years.</p>\n<p>“It knows,” Maud said. <em>It always knows.</em></p>\n<p>Wynn filled it anyway, and set it on the ring, and waited.</p>',
      },
    ],
  },
  {
    id: 50000002,
    title: 'Steam and Sugar',
    authors: ['hollowreed', 'pennyroyal'],
    rating: 'Teen And Up Audiences',
    warnings: ['No Archive Warnings Apply'],
    fandoms: ['Original Work'],
    relationships: ['Wynn Ashdown & Old Maud'],
    series: [
      { name: 'Kettle Lane', part: 2, id: 5000 },
      { name: 'Winter Shorts', part: 4, id: 5001 },
    ],
    published: '2024-02-01',
    completed: '2024-02-20',
    words: 200,
    summary: '<p>Two chapters, one kettle, a great deal of sugar.</p>',
    chapters: [
      {
        title: 'The Sugar Bowl',
        summary: '<p>Wynn learns the rules.</p>',
        notes: '<p>Maud’s rules are real rules.</p>',
        endNotes: '<p>More rules next time.</p>',
        html: '<p>Rule one: the sugar bowl is never empty.</p>\n<p>Rule two: nobody asks why.</p>\n<hr/>\n<p style="text-align: center">* the bowl was, in fact, never empty *</p>',
      },
      {
        title: 'The Steam',
        html: '<p>On the seventh day the kettle boiled. Wynn did not tell anyone. Maud knew anyway.</p>\n<p>She put a second cup out, and the steam rose <u>straight</u> up, and did not bend.</p>',
      },
    ],
  },
  {
    id: 50000003,
    title: 'Last Cup',
    authors: ['hollowreed'],
    rating: 'General Audiences',
    warnings: ['No Archive Warnings Apply'],
    fandoms: ['Original Work'],
    series: [{ name: 'Kettle Lane', part: 3, id: 5000 }],
    published: '2024-03-05',
    words: 60,
    chapters: [{ html: '<p>The shop closed in spring. The kettle went with Wynn, wrapped in a tea towel, and boiled for everyone.</p>' }],
  },
];

describe.skipIf(!hasCalibre())('AO3 EPUB downloads (made by calibre, as AO3 makes them)', () => {
  it('reads each EPUB as the same work its HTML download is, and builds the series and its omnibus from a folder of them', async () => {
    const epubs = tmp('ao3-epubs');
    const htmls = tmp('ao3-htmls');
    for (const w of KETTLE) {
      await ao3Epub(w, join(epubs, `${w.title.replace(/\W+/g, '_')}.epub`));
      writeFileSync(join(htmls, `${w.title.replace(/\W+/g, '_')}.html`), ao3Download(w));
    }
    const fromEpub = (await readAll([epubs])).works.map((w) => w.work);
    const fromHtml = (await readAll([htmls])).works.map((w) => w.work);
    expect(fromEpub).toHaveLength(3);
    const byTitle = (ws: Work[]) => new Map(ws.map((w) => [w.metadata.title, w]));
    const e = byTitle(fromEpub);
    const h = byTitle(fromHtml);
    for (const t of ['The Copper Kettle', 'Steam and Sugar', 'Last Cup']) expect(essence(e.get(t)!), t).toEqual(essence(h.get(t)!));
    const steam = e.get('Steam and Sugar')!;
    // Every series (the OPF names only the first), tag kinds recovered, no "Fanworks".
    expect(steam.metadata.series).toEqual([
      { name: 'Kettle Lane', part: 2 },
      { name: 'Winter Shorts', part: 4 },
    ]);
    expect(steam.metadata.authors).toEqual(['hollowreed', 'pennyroyal']);
    expect(steam.metadata.tags).toContainEqual({ kind: 'relationship', name: 'Wynn Ashdown & Old Maud' });
    expect(steam.metadata.tags.map((t) => t.name)).not.toContain('Fanworks');
    expect(steam.metadata.published).toBe('2024-02-01');
    expect(steam.metadata.updated).toBe('2024-02-20');
    expect(steam.chapters.map((c) => [c.label, c.title])).toEqual([
      ['Chapter 1', 'The Sugar Bowl'],
      ['Chapter 2', 'The Steam'],
    ]);
    expect(blockText(steam.chapters[0]!.summary)).toBe('Wynn learns the rules.');
    expect(blockText(steam.chapters[0]!.notes.after)).toBe('More rules next time.');
    expect(steam.chapters[0]!.blocks.at(-1)).toMatchObject({ type: 'paragraph', align: 'center' });
    expect(JSON.stringify(steam.chapters[1]!.blocks)).toContain('"type":"underline"');
    expect(blockText(e.get('The Copper Kettle')!.notes.after)).toBe('Thanks for reading! Kudos warm the kettle.');

    const out = tmp('ao3-out');
    const r = quire(['build', epubs, '-o', out]);
    expect(r.code, r.stderr).toBe(0);
    const names = allFiles(out).map((f) => f.slice(out.length + 1));
    expect(names).toEqual(
      expect.arrayContaining([
        'kettle-lane.epub',
        'kettle-lane.pdf',
        join('kettle-lane', '01-the-copper-kettle.epub'),
        join('kettle-lane', '02-steam-and-sugar.epub'),
        join('kettle-lane', '03-last-cup.epub'),
      ]),
    );
    const omnibus = await unzipText(join(out, 'kettle-lane.epub'));
    expect(omnibus.get('OEBPS/toc.xhtml')).toMatch(/Part 1: The Copper Kettle[\s\S]*Part 2: Steam and Sugar[\s\S]*Part 3: Last Cup/);
    const books = allFiles(out).filter((f) => f.endsWith('.epub'));
    for (const c of await epubcheckAll(books)) expect([c.errors, c.warnings, c.fatals], c.output).toEqual([0, 0, 0]);
  }, SLOW);
});

describe('a work page saved from the browser', () => {
  it('reads the work and none of the page around it', async () => {
    const out = tmp('page');
    const r = quire(['build', 'test/fixtures/ao3-page/input.html', '-o', out, '-f', 'epub']);
    expect(r.code, r.stderr).toBe(0);
    const [w] = (await readAll(['test/fixtures/ao3-page/input.html'])).works.map((x) => x.work);
    expect(w!.metadata.title).toBe('The Night Post');
    expect(w!.metadata.authors).toEqual(['lanternfish_ink']);
    expect(w!.metadata.series).toEqual([{ name: 'Lantern Street', part: 1 }]);
    expect(w!.metadata.updated).toBe('2024-05-20');
    expect(w!.metadata.inspiredBy).toBe('The Day Post by quillmoth');
    expect(w!.chapters.map((c) => [c.label, c.title])).toEqual([
      ['Chapter 1', 'The Sorting Room'],
      ['Chapter 2', 'The Lighthouse Letter'],
    ]);
    const epub = allFiles(out).find((f) => f.endsWith('.epub'))!;
    const text = [...(await unzipText(epub)).values()].join('\n');
    for (const furniture of ['Entire Work', 'Next Chapter', 'Chapter Index', 'Kudos ♥', 'left kudos', 'Post Comment', 'I cried at the green ink', 'Terms of Service', 'Log In', 'Chapter Text', 'tracking', 'pixel.gif', 'See the end of'])
      expect(text, furniture).not.toContain(furniture);
    expect(text).toContain('Perpetua put it in her coat');
    const [check] = await epubcheckAll([epub]);
    expect([check!.errors, check!.warnings, check!.fatals], check!.output).toEqual([0, 0, 0]);
  }, SLOW);
});

/** A small EPUB made by hand, as other tools make them. */
async function handMadeEpub(kind: 2 | 3, extra: Record<string, string> = {}): Promise<Uint8Array> {
  const zip = new JSZip();
  zip.file('mimetype', 'application/epub+zip', { compression: 'STORE' });
  zip.file('META-INF/container.xml', '<?xml version="1.0"?><container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container"><rootfiles><rootfile full-path="OEBPS/book.opf" media-type="application/oebps-package+xml"/></rootfiles></container>');
  const page = (body: string) => `<?xml version="1.0" encoding="utf-8"?><html xmlns="http://www.w3.org/1999/xhtml"><head><title>x</title></head><body>${body}</body></html>`;
  zip.file('OEBPS/title_page.xhtml', page('<h1>The Marsh Road</h1><p>by Ivo Brandt</p><p>Source: somewhere</p>'));
  zip.file('OEBPS/file0001.xhtml', page('<h3>Chapter 1: Fog</h3><p>The marsh road was a rumour in the fog.</p><p>Ivo walked it <i>anyway</i>.</p>'));
  zip.file('OEBPS/file0002.xhtml', page('<div><h3>Chapter 2: Lamps</h3><p>There were lamps at the far end, <b>seven</b> of them.</p></div>'));
  if (kind === 3) {
    zip.file('OEBPS/nav.xhtml', page('<nav epub:type="toc" xmlns:epub="http://www.idpf.org/2007/ops"><ol><li><a href="title_page.xhtml">Title Page</a></li><li><a href="file0001.xhtml">Chapter 1: Fog</a></li><li><a href="file0002.xhtml">Chapter 2: Lamps</a></li></ol></nav>'));
  } else {
    zip.file(
      'OEBPS/toc.ncx',
      '<?xml version="1.0"?><ncx xmlns="http://www.daisy.org/z3986/2005/ncx/" version="2005-1"><navMap><navPoint id="t"><navLabel><text>Title Page</text></navLabel><content src="title_page.xhtml"/></navPoint><navPoint id="a"><navLabel><text>Chapter 1: Fog</text></navLabel><content src="file0001.xhtml"/></navPoint><navPoint id="b"><navLabel><text>Chapter 2: Lamps</text></navLabel><content src="file0002.xhtml"/></navPoint></navMap></ncx>',
    );
  }
  const series =
    kind === 3
      ? '<meta property="belongs-to-collection" id="c1">Fen Country</meta><meta refines="#c1" property="collection-type">series</meta><meta refines="#c1" property="group-position">2</meta>'
      : '<meta name="calibre:series" content="Fen Country"/><meta name="calibre:series_index" content="2.0"/>';
  zip.file(
    'OEBPS/book.opf',
    `<?xml version="1.0"?><package xmlns="http://www.idpf.org/2007/opf" version="${kind}.0" unique-identifier="id"><metadata xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:opf="http://www.idpf.org/2007/opf"><dc:identifier id="id">urn:uuid:00000000-0000-4000-8000-00000000000${kind}</dc:identifier><dc:title>The Marsh Road</dc:title><dc:creator opf:role="aut">Ivo Brandt</dc:creator><dc:language>nl</dc:language><dc:description>&lt;p&gt;A road, a fog, &lt;b&gt;seven&lt;/b&gt; lamps.&lt;/p&gt;</dc:description><dc:subject>Fog</dc:subject><dc:subject>Walking</dc:subject><dc:date>2022-10-31</dc:date><dc:source>https://example.org/marsh-road</dc:source>${series}</metadata><manifest>${kind === 3 ? '<item id="nav" href="nav.xhtml" media-type="application/xhtml+xml" properties="nav"/>' : '<item id="ncx" href="toc.ncx" media-type="application/x-dtbncx+xml"/>'}<item id="t" href="title_page.xhtml" media-type="application/xhtml+xml"/><item id="a" href="file0001.xhtml" media-type="application/xhtml+xml"/><item id="b" href="file0002.xhtml" media-type="application/xhtml+xml"/></manifest><spine${kind === 2 ? ' toc="ncx"' : ''}><itemref idref="t"/><itemref idref="a"/><itemref idref="b"/></spine></package>`,
  );
  for (const [name, content] of Object.entries(extra)) zip.file(name, content);
  return zip.generateAsync({ type: 'uint8array' });
}

describe('other EPUBs', () => {
  it('reads EPUB 2 and EPUB 3 from other tools: OPF metadata and series, chapters by the navigation, no title page', async () => {
    const dir = tmp('other');
    writeFileSync(join(dir, 'two.epub'), await handMadeEpub(2));
    mkdirSync(join(dir, 'three'));
    writeFileSync(join(dir, 'three', 'three.epub'), await handMadeEpub(3));
    const works = (await readAll([dir])).works.map((w) => w.work);
    expect(works).toHaveLength(2);
    for (const w of works) {
      expect(w.metadata).toMatchObject({ title: 'The Marsh Road', authors: ['Ivo Brandt'], language: 'nl', published: '2022-10-31', series: [{ name: 'Fen Country', part: 2 }], sourceUrl: 'https://example.org/marsh-road' });
      expect(blockText(w.metadata.summary)).toBe('A road, a fog, seven lamps.');
      expect(w.metadata.tags.map((t) => t.name)).toEqual(['Fog', 'Walking']);
      expect(w.chapters.map((c) => [c.label, c.title, blockText(c.blocks)])).toEqual([
        ['Chapter 1', 'Fog', 'The marsh road was a rumour in the fog.\nIvo walked it anyway.'],
        ['Chapter 2', 'Lamps', 'There were lamps at the far end, seven of them.'],
      ]);
    }
    const out = tmp('other-out');
    const r = quire(['build', dir, '-o', out, '-f', 'epub']);
    expect(r.code, r.stderr).toBe(0);
  });

  it('reads its own EPUBs back as the works they were made from', async () => {
    const out = tmp('own');
    expect(quire(['build', 'works', '-o', out, '-f', 'epub', '--series', 'parts']).code).toBe(0);
    const original = new Map((await readAll(['works'])).works.map((w) => [w.work.metadata.title, w.work]));
    const back = (await readAll([out])).works.map((w) => w.work);
    expect(back.length).toBe(original.size);
    for (const w of back) {
      const o = original.get(w.metadata.title)!;
      expect(w.chapters.map((c) => [c.label, c.title, blockText(c.blocks)]), w.metadata.title).toEqual(o.chapters.map((c) => [c.label, c.title, blockText(c.blocks)]));
      expect(blockText(w.notes.after)).toBe(blockText(o.notes.after));
      expect(w.metadata.tags).toEqual(o.metadata.tags);
      expect(w.metadata.series).toEqual(o.metadata.series);
    }
  });

  it('refuses an EPUB with DRM, and a file that is not one, with one line each, and builds the rest', async () => {
    const dir = tmp('bad-epubs');
    writeFileSync(join(dir, 'locked.epub'), await handMadeEpub(3, { 'META-INF/encryption.xml': '<encryption xmlns="urn:oasis:names:tc:opendocument:xmlns:container" xmlns:enc="http://www.w3.org/2001/04/xmlenc#"><enc:EncryptedData><enc:EncryptionMethod Algorithm="http://www.w3.org/2001/04/xmlenc#aes128-cbc"/><enc:CipherData><enc:CipherReference URI="OEBPS/file0001.xhtml"/></enc:CipherData></enc:EncryptedData></encryption>' }));
    writeFileSync(join(dir, 'fake.epub'), 'this is just text with the wrong name');
    writeFileSync(join(dir, 'fine.epub'), await handMadeEpub(2));
    const out = tmp('bad-out');
    const r = quire(['build', dir, '-o', out, '-f', 'epub']);
    expect(r.code).toBe(1);
    const lines = r.stderr.trim().split('\n').filter((l) => / error: /.test(l));
    expect(lines).toEqual([
      expect.stringMatching(/fake\.epub: error: this is not an EPUB \(it is not a zip archive\) \[input\/not-epub\]$/),
      expect.stringMatching(/locked\.epub: error: this EPUB is locked with DRM .*\[input\/drm\]$/),
    ]);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(allFiles(out).filter((f) => f.endsWith('.epub'))).toHaveLength(1);
    expect(readFileSync(allFiles(out).find((f) => f.endsWith('.epub'))!).length).toBeGreaterThan(1000);
  });
});
