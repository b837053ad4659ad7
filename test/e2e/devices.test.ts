/**
 * Books that work on every reader, through the real CLI: generated covers
 * (JPEG, the right size, legible by OCR at thumbnail size), Kobo's kepub,
 * the device rules (Send-to-Kindle, Apple Books, Kobo, KOReader) on every
 * book and on deliberately broken ones, DAISY Ace on a representative set,
 * accessibility metadata true to each book, and the print edition's page
 * numbers in the EPUB matching the PDF.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import JSZip from 'jszip';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { flatScrape } from '../bench/corpus.js';
import { aceAll, hasChromium } from '../helpers/ace.js';
import { unzipText, words } from '../helpers/epub.js';
import { makePng } from '../helpers/png.js';
import { epubcheckAll, quire, tool } from '../helpers/tools.js';

const tmp = (name: string) => mkdtempSync(join(tmpdir(), `quire-${name}-`));
const list = (dir: string, ext: string) =>
  readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith(ext) && !f.includes('.quire-cache'))
    .map((f) => join(dir, f))
    .sort();
const hasTesseract = () => spawnSync('tesseract', ['--version'], { stdio: 'ignore' }).status === 0;

/** Width and height of a JPEG, from its start-of-frame marker. */
function jpegSize(bytes: Uint8Array): { width: number; height: number } | undefined {
  for (let i = 2; i + 9 < bytes.length; ) {
    if (bytes[i] !== 0xff) return undefined;
    const marker = bytes[i + 1]!;
    const len = (bytes[i + 2]! << 8) | bytes[i + 3]!;
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      return { height: (bytes[i + 5]! << 8) | bytes[i + 6]!, width: (bytes[i + 7]! << 8) | bytes[i + 8]! };
    }
    i += 2 + len;
  }
  return undefined;
}

async function coverOf(epub: string): Promise<Uint8Array> {
  const zip = await JSZip.loadAsync(readFileSync(epub));
  return zip.file('OEBPS/images/cover.jpg')!.async('uint8array');
}

/** Pages of a PDF's text (pdftotext separates pages with form feeds). */
async function pdfPages(pdf: string): Promise<string[]> {
  const text = (await tool('pdftotext', ['-enc', 'UTF-8', pdf, '-'])).stdout;
  return text.split('\f').slice(0, -1);
}

/** The page list of an EPUB: each entry's label and the words that follow its marker. */
async function pageList(epub: string): Promise<Array<{ label: string; file: string; after: string[] }>> {
  const files = await unzipText(epub);
  const nav = files.get('OEBPS/toc.xhtml')!;
  const pl = nav.includes('epub:type="page-list"') ? nav.slice(nav.indexOf('epub:type="page-list"')) : '';
  return [...pl.matchAll(/<a href="([^"#]+)#(page-\d+)">(\d+)<\/a>/g)].map((m) => {
    const page = files.get(`OEBPS/${m[1]}`)!;
    const at = page.indexOf(`id="${m[2]}"`);
    expect(at, `${epub}: ${m[1]}#${m[2]}`).toBeGreaterThan(0);
    const rest = page.slice(at).replace(/^[^>]*><\/span>/, '');
    return { label: m[3]!, file: m[1]!, after: words(rest.replace(/<[^>]+>/g, ' ').replace(/&[a-z]+;|&#\d+;/g, ' ')).slice(0, 8) };
  });
}

describe('books for every reader', () => {
  const src = tmp('devices-in');
  const out = tmp('devices-out');
  const fixtures = readdirSync('test/fixtures').map((d) => join('test/fixtures', d, readdirSync(join('test/fixtures', d)).find((f) => f.startsWith('input.') && !/\.(ya?ml|json)$/.test(f))!));
  let build: ReturnType<typeof quire>;
  let epubs: string[];
  let kepubs: string[];

  beforeAll(() => {
    // A long work (original synthetic prose, paragraphs to recover) to see page breaks fall inside paragraphs.
    writeFileSync(join(src, 'long-watch.txt'), flatScrape(16000, 41).text);
    writeFileSync(join(src, 'long-watch.yaml'), 'title: The Long Watch\nauthor: Ilse Marrow\nfandom: Harbour Tales\n');
    // Images (one described, one not) and a table, from an HTML story.
    writeFileSync(join(src, 'chart.png'), makePng(80, 40));
    writeFileSync(join(src, 'rule.png'), makePng(200, 4));
    writeFileSync(
      join(src, 'charts.html'),
      '<html><body><h1>Charts of the Bay</h1><p>The chart came first.</p><p><img src="chart.png" alt="A chart of the bay with three soundings"></p>' +
        '<p><img src="rule.png" alt=""></p><table><tr><th>Hour</th><th>Depth</th></tr><tr><td>Noon</td><td>Four fathoms</td></tr><tr><td>Dusk</td><td>Six fathoms</td></tr></table><p>The end of the chart.</p></body></html>',
    );
    build = quire(['build', 'works', ...fixtures, 'test/samples/scripts/ar.md', 'test/samples/scripts/ja.md', src, '-o', out, '-f', 'epub,kepub,pdf']);
    epubs = list(out, '.epub').filter((f) => !f.endsWith('.kepub.epub'));
    kepubs = list(out, '.kepub.epub');
  });

  it('builds an EPUB, a kepub and a PDF of every book', () => {
    expect(build.code, build.stderr).toBe(0);
    expect(build.stderr).not.toMatch(/device\//);
    expect(epubs.length).toBeGreaterThanOrEqual(15);
    expect(kepubs.map((k) => k.replace(/\.kepub\.epub$/, '.epub'))).toEqual(epubs);
    expect(list(out, '.pdf').map((p) => p.replace(/\.pdf$/, '.epub'))).toEqual(epubs);
  });

  it('passes epubcheck with no errors or warnings, EPUBs and kepubs alike', async () => {
    const all = [...epubs, ...kepubs];
    const results = await epubcheckAll(all);
    results.forEach((r, i) => expect({ file: all[i], errors: r.errors, warnings: r.warnings, fatals: r.fatals }, r.output).toEqual({ file: all[i], errors: 0, warnings: 0, fatals: 0 }));
  });

  it('gives every book a 1600×2400 JPEG cover, marked both ways, on a cover page that opens the spine', async () => {
    for (const epub of [...epubs, ...kepubs]) {
      const files = await unzipText(epub);
      const opf = files.get('OEBPS/content.opf')!;
      expect(opf, epub).toContain('<item id="cover-image" href="images/cover.jpg" media-type="image/jpeg" properties="cover-image"/>');
      expect(opf, epub).toContain('<meta name="cover" content="cover-image"/>');
      expect(opf, epub).toMatch(/<spine[^>]*>\s*<itemref idref="page-cover"\/>/);
      expect(files.get('OEBPS/cover.xhtml'), epub).toMatch(/<img role="doc-cover" src="images\/cover\.jpg" alt="Cover of [^"]+"\/>/);
      expect(jpegSize(await coverOf(epub)), epub).toEqual({ width: 1600, height: 2400 });
    }
    // The same book, the same cover; different books, different covers.
    const covers = await Promise.all(epubs.map(coverOf));
    const tide = epubs.findIndex((f) => f.endsWith('01-tidewater.epub'));
    expect(Buffer.from(covers[tide]!).equals(Buffer.from(await coverOf(kepubs[tide]!)))).toBe(true);
    expect(new Set(covers.map((c) => Buffer.from(c).toString('base64'))).size).toBe(covers.length);
  });

  it.skipIf(!hasTesseract())('draws covers whose title OCR reads from a 400-pixel-wide thumbnail', async () => {
    const dir = tmp('ocr');
    let titles = 0;
    for (const [i, epub] of epubs.entries()) {
      const opf = (await unzipText(epub)).get('OEBPS/content.opf')!;
      const title = /<dc:title id="title">([^<]*)<\/dc:title>/.exec(opf)![1]!.replace(/&#39;/g, "'").replace(/&amp;/g, '&');
      if (!/^[\x20-\x7e]+$/.test(title)) continue;
      const png = join(dir, `${i}.png`);
      await sharp(Buffer.from(await coverOf(epub))).resize(400).png().toFile(png);
      const seen = words((await tool('tesseract', [png, '-'])).stdout);
      const wanted = words(title).filter((w) => w.length >= 3);
      for (const w of wanted) expect(seen, `${epub}: "${w}" of "${title}" (OCR read: ${seen.join(' ')})`).toContain(w);
      titles++;
    }
    expect(titles).toBeGreaterThanOrEqual(10);
  });

  it("writes kepubs the way kepubify does: sentence spans, Kobo's wrappers and style, the series kept", async () => {
    for (const kepub of kepubs) {
      for (const [name, xhtml] of await unzipText(kepub)) {
        if (!name.endsWith('.xhtml')) continue;
        expect(xhtml, `${kepub} ${name}`).toMatch(/<div id="book-columns"><div id="book-inner">/);
        expect(xhtml, `${kepub} ${name}`).toContain('<style type="text/css" class="kobostylehacks">');
        const ids = [...xhtml.matchAll(/<span class="koboSpan" id="(kobo\.\d+\.\d+)">/g)].map((m) => m[1]);
        expect(ids.length, `${kepub} ${name}`).toBeGreaterThan(0);
        expect(new Set(ids).size, `${kepub} ${name}: ids unique`).toBe(ids.length);
      }
    }
    const files = await unzipText(kepubs.find((f) => f.endsWith('01-tidewater.kepub.epub'))!);
    expect(files.get('OEBPS/content.opf')).toContain('<meta name="calibre:series" content="The Harbour Lights"/>');
    // Sentences each in a span, the image in one of its own; no text lost or added.
    const chart = await unzipText(kepubs.find((f) => f.endsWith('charts-of-the-bay.kepub.epub'))!);
    const ch = chart.get('OEBPS/ch1.xhtml')!;
    expect(ch).toMatch(/<span class="koboSpan" id="kobo\.\d+\.1"><img src="images\/[0-9a-f]{16}\.png" alt="A chart of the bay with three soundings"\/><\/span>/);
    const plain = (await unzipText(epubs.find((f) => f.endsWith('charts-of-the-bay.epub'))!)).get('OEBPS/ch1.xhtml')!;
    const body = (x: string) => words(x.slice(x.indexOf('<body')).replace(/<[^>]+>/g, ' '));
    expect(body(ch)).toEqual(body(plain));
  });

  it('passes every device rule: `quire check` finds nothing to warn about in any book', () => {
    const r = quire(['check', ...epubs, ...kepubs]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).not.toMatch(/: (error|warning): /);
    expect(r.stdout).toMatch(new RegExp(`${epubs.length + kepubs.length} books checked against \\d+ device rules: 0 errors, 0 warnings`));
  });

  it('claims only what each book holds in its accessibility metadata', async () => {
    const opf = async (suffix: string) => (await unzipText(epubs.find((f) => f.endsWith(suffix))!)).get('OEBPS/content.opf')!;
    const daughter = await opf('the-cartographers-daughter.epub');
    expect(daughter).toContain('<meta property="dcterms:conformsTo">EPUB Accessibility 1.1 - WCAG 2.1 Level AA</meta>');
    expect(daughter).toMatch(/<meta property="a11y:certifiedBy">Quire [\d.]+<\/meta>/);
    expect(daughter).toMatch(/<meta property="pageBreakSource">Quire PDF, A5 \(148 × 210 mm\)<\/meta>/);
    expect(daughter).toMatch(/schema:accessibilitySummary">[^<]*3 chapters[^<]*No images in the text/);
    expect(daughter).toContain('<meta property="schema:accessibilityFeature">pageBreakMarkers</meta>');
    // The first subject is a category (Apple Books files a book under it).
    expect(daughter).toMatch(/<dc:subject>Fiction<\/dc:subject>\s*<dc:subject>General Audiences<\/dc:subject>/);
    expect(await opf('long-watch.epub')).toMatch(/<dc:subject>Fan Fiction<\/dc:subject>/);
    // An image without a description: marked decoration, and no conformance claimed.
    const charts = await opf('charts-of-the-bay.epub');
    expect(charts).not.toContain('dcterms:conformsTo');
    expect(charts).toMatch(/2 images in the text, 1 of them without a description/);
    const page = (await unzipText(epubs.find((f) => f.endsWith('charts-of-the-bay.epub'))!)).get('OEBPS/ch1.xhtml')!;
    expect(page).toMatch(/<img src="images\/[0-9a-f]{16}\.png" alt="" role="presentation"\/>/);
  });

  it("puts the PDF's page numbers in the EPUB: a marker where every page begins, a page list within 3 % of the PDF's pages", async () => {
    let checked = 0;
    for (const epub of epubs) {
      const pdf = epub.replace(/\.epub$/, '.pdf');
      const pages = await pdfPages(pdf);
      const entries = await pageList(epub);
      expect(Math.abs(entries.length - pages.length) / pages.length, `${epub}: ${entries.length} entries, ${pages.length} pages`).toBeLessThanOrEqual(0.03);
      expect(entries.map((e) => e.label)).toEqual(entries.map((_, i) => String(i + 1)));
      // Each marker is followed by the words the PDF's page begins with (a blank page shares the next page's marker).
      let matched = 0;
      let text = 0;
      entries.forEach((e, i) => {
        const page = words(pages[i] ?? '');
        // (The contents page is the EPUB's navigation, which lists more than the PDF's contents.)
        if (page.length < 4 || e.file === 'toc.xhtml' || /[^\x00-\x7f]/.test(e.after.join(''))) return;
        text++;
        const head = e.after.slice(0, 3).join(' ');
        if (page.slice(0, 40).join(' ').includes(head)) matched++;
      });
      if (text) expect(matched / text, `${epub}: ${matched} of ${text} pages begin where their markers are`).toBeGreaterThanOrEqual(0.9);
      checked++;
    }
    expect(checked).toBe(epubs.length);
    // The long work's pages break inside paragraphs, and the markers follow them there.
    const long = await unzipText(epubs.find((f) => f.endsWith('long-watch.epub'))!);
    expect((long.get('OEBPS/ch1.xhtml')!.match(/<p>[^<]*\w[^<]*<span epub:type="pagebreak"/g) ?? []).length).toBeGreaterThan(10);
    expect(long.get('OEBPS/toc.ncx')).toMatch(/<meta name="dtb:totalPageCount" content="[1-9]\d+"\/>/);
  });

  it('gives the same EPUB whether or not its PDF is built beside it, and with its kept covers and pages or without', () => {
    const alone = tmp('devices-alone');
    expect(quire(['build', 'works', src, '-o', alone, '-f', 'epub']).code).toBe(0);
    for (const f of list(alone, '.epub')) expect(readFileSync(f).equals(readFileSync(join(out, f.slice(alone.length + 1)))), f).toBe(true);
    expect(readdirSync(join(alone, '.quire-cache', 'covers')).length).toBeGreaterThan(0);
    rmSync(join(alone, '.quire-cache'), { recursive: true });
    expect(quire(['build', 'works', src, '-o', alone, '-f', 'epub', '--force']).code).toBe(0);
    for (const f of list(alone, '.epub')) expect(readFileSync(f).equals(readFileSync(join(out, f.slice(alone.length + 1)))), f).toBe(true);
    // Without a page list when asked; the kept covers of books no longer built go.
    expect(quire(['build', 'works/tidewater.txt', '-o', alone, '-f', 'epub', '--no-page-list']).code).toBe(0);
    expect(readFileSync(join(alone, 'the-harbour-lights', '01-tidewater.epub')).includes('epub:type="page-list"')).toBe(false);
  });

  it.skipIf(!hasChromium())('passes DAISY Ace with no violation of any impact', async () => {
    const notesEnd = tmp('devices-notes');
    expect(quire(['build', 'test/fixtures/ao3-html/input.html', 'test/fixtures/markdown-chapters/input.md', '-o', notesEnd, '-f', 'epub,kepub', '--notes', 'end']).code).toBe(0);
    // Every kind of book: single and multi-chapter works, series parts, an omnibus, each fixture, right-to-left and CJK,
    // images and a table, notes gathered at the end, and kepubs.
    const set = [...epubs, ...kepubs.filter((k) => /harbour-lights\.kepub|charts/.test(k)), ...list(notesEnd, '.epub')];
    const report = await aceAll(set, tmp('ace'));
    expect([...report].filter(([, found]) => found.length).map(([file, found]) => ({ file, found }))).toEqual([]);
    expect(report.size).toBe(set.length);
  });
});

describe('a cover of the user\'s own, and the cover page in the PDF', () => {
  it('takes `cover:` from front matter or a sidecar, as JPEG; warns of one that is no picture; --cover-page opens the PDF with it, unnumbered', async () => {
    const dir = tmp('own-cover');
    const out = tmp('own-cover-out');
    writeFileSync(join(dir, 'front.png'), makePng(300, 450, [120, 30, 30]));
    writeFileSync(join(dir, 'painted.md'), '---\ntitle: Painted\nauthor: R. Brush\ncover: front.png\n---\nThe picture was on the cover, as promised.\n');
    writeFileSync(join(dir, 'bare.txt'), 'A story with a sidecar cover that is missing.\n');
    writeFileSync(join(dir, 'bare.yaml'), 'title: Bare\ncover: nowhere.jpg\n');
    const r = quire(['build', dir, '-o', out]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/bare\.yaml: warning: cover 'nowhere\.jpg' is not a PNG or JPEG file that exists; ignored it \[metadata\/missing-cover\]/);
    const painted = await coverOf(join(out, 'painted.epub'));
    expect(jpegSize(painted)).toEqual({ width: 300, height: 450 });
    expect(jpegSize(await coverOf(join(out, 'bare.epub')))).toEqual({ width: 1600, height: 2400 });
    const plain = await pdfPages(join(out, 'painted.pdf'));
    expect(quire(['build', dir, '-o', out, '--cover-page', '-f', 'pdf']).code).toBe(0);
    const covered = await pdfPages(join(out, 'painted.pdf'));
    // A5 is for print: the cover, its blank inside, then the book as before, its folios unchanged.
    expect(covered.length).toBe(plain.length + 2);
    expect(covered.slice(2)).toEqual(plain);
    expect(readFileSync(join(out, 'painted.pdf')).includes('/PageLabels')).toBe(true);
    expect((await tool('pdfimages', ['-list', join(out, 'painted.pdf')])).stdout).toMatch(/^\s+1\s+0\s+image\s+300\s+450/m);
    // A new picture rebuilds the book.
    writeFileSync(join(dir, 'front.png'), makePng(200, 300));
    expect(quire(['build', dir, '-o', out, '-f', 'epub']).stdout).toMatch(/1 book written/);
  });
});

describe('quire check on any EPUB', () => {
  it('names each problem Kindle, Apple Books, Kobo and KOReader have with a book', async () => {
    const dir = tmp('check');
    const zip = new JSZip();
    zip.file('mimetype', 'application/epub+zip', { compression: 'STORE' });
    zip.file('META-INF/container.xml', '<?xml version="1.0"?><container xmlns="urn:oasis:names:tc:opendocument:xmlns:container" version="1.0"><rootfiles><rootfile full-path="OPS/book.opf" media-type="application/oebps-package+xml"/></rootfiles></container>');
    zip.file(
      'OPS/book.opf',
      `<?xml version="1.0" encoding="UTF-8"?><package xmlns="http://www.idpf.org/2007/opf" version="3.0" unique-identifier="id"><metadata xmlns:dc="http://purl.org/dc/elements/1.1/">
<dc:identifier id="id">x</dc:identifier><dc:title>Bad Book</dc:title><dc:creator>Ann Ode &amp; Bo Vell</dc:creator><dc:subject>Explicit</dc:subject>
<meta property="belongs-to-collection">Loose Ends</meta></metadata>
<manifest><item id="c1" href="chapter one.xhtml" media-type="application/xhtml+xml"/><item id="c2" href="c2.xhtml" media-type="application/xhtml+xml"/>
<item id="img" href="cover.png" media-type="image/png" properties="cover-image"/><item id="f" href="face.ttf" media-type="font/ttf"/><item id="ncx" href="toc.ncx" media-type="application/x-dtbncx+xml"/></manifest>
<spine toc="ncx"><itemref idref="c1"/><itemref idref="c2"/></spine></package>`,
    );
    zip.file('OPS/chapter one.xhtml', '<html xmlns="http://www.w3.org/1999/xhtml"><head><title>1</title></head><body id="top"><!-- draft -- old --><p>One. <img alt="x"/></p></body></html>');
    zip.file('OPS/c2.xhtml', '<?xml version="1.0" encoding="UTF-8"?><html xmlns="http://www.w3.org/1999/xhtml"><head><title>2</title></head><body><p><a href="chapter%20one.xhtml#top">back</a></p></body></html>');
    zip.file('OPS/toc.ncx', '<ncx><navMap><navPoint><content src="c2.xhtml"/></navPoint><navPoint><content src="chapter%20one.xhtml"/></navPoint></navMap></ncx>');
    zip.file('OPS/cover.png', makePng(10, 15));
    zip.file('OPS/face.ttf', 'not really a font');
    writeFileSync(join(dir, 'bad.epub'), await zip.generateAsync({ type: 'nodebuffer' }));
    writeFileSync(join(dir, 'not.epub'), 'plain text');
    const r = quire(['check', join(dir, 'bad.epub'), join(dir, 'not.epub'), join(dir, 'missing.epub')]);
    expect(r.code).toBe(1);
    for (const code of [
      'kindle-xml-declaration',
      'kindle-language',
      'kindle-body-id-link',
      'kindle-img-src',
      'kindle-comment-dashes',
      'kindle-spine-order',
      'cover-jpeg',
      'cover-meta',
      'kobo-file-names',
      'apple-author-ampersand',
      'apple-first-subject',
      'apple-display-options',
      'koreader-series',
    ]) {
      expect(r.stderr, code).toMatch(new RegExp(`bad\\.epub: (error|warning): .*\\[device/${code}\\]`));
    }
    expect(r.stderr).toMatch(/not\.epub: error: not an EPUB: it is no zip archive \[device\/not-an-epub\]/);
    expect(r.stderr).toMatch(/missing\.epub: error: cannot read the file: no such file \[device\/unreadable\]/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(existsSync(join(dir, 'bad.epub'))).toBe(true);
    mkdirSync(join(dir, 'empty'));
  });
});
