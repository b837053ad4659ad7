/**
 * Books set up the reader's way, through the real CLI: a defaults file
 * (quire.yaml, --config), -M metadata, --css, --pdf-theme, and --notes /
 * --pdf-notes.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { unzipText, words } from '../helpers/epub.js';
import { epubcheckAll, tool } from '../helpers/tools.js';

const require = createRequire(import.meta.url);
const CLI = resolve('dist/cli.js');
const tmp = (name: string) => mkdtempSync(join(tmpdir(), `quire-${name}-`));
const SLOW = 900_000;
const allFiles = (dir: string) => readdirSync(dir, { recursive: true, encoding: 'utf8' }).map((f) => join(dir, f)).sort();

/** The CLI run in a folder of the test's (where a quire.yaml may be). */
function run(cwd: string, args: string[]) {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', timeout: 600_000 });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/** An AO3 download with notes everywhere: on the work, on a chapter, at the end. */
const NOTED = `<div id="preface"><div class="meta"><dl class="tags"><dt>Fandom:</dt><dd><a>Original Work</a></dd></dl>
<h1>The Glasshouse Keys</h1><div class="byline">by <a rel="author">fernwick</a></div>
<p>Summary</p><blockquote class="userstuff"><p>Three keys, one glasshouse, no gardener.</p></blockquote>
<p>Notes</p><blockquote class="userstuff"><p>Written for a friend who grows orchids badly.</p></blockquote></div></div>
<div id="chapters" class="userstuff">
<div class="meta group"><h2 class="heading">Chapter 1: Iron</h2><p>Chapter Notes</p><blockquote class="userstuff"><p>The iron key came first.</p></blockquote>
<div class="endnote-link">See the end of the chapter for more notes</div></div>
<!--chapter content--><div class="userstuff"><p>The iron key opened nothing at all, which Olwen found restful.</p></div>
<div class="meta" id="endnotes1"><p>Chapter End Notes</p><blockquote class="userstuff"><p>Olwen is named for my aunt.</p></blockquote></div>
<div class="meta group"><h2 class="heading">Chapter 2: Brass</h2></div>
<!--chapter content--><div class="userstuff"><p>The brass key opened the glasshouse, and the orchids looked up.</p></div></div>
<div id="afterword"><div id="endnotes"><p>End Notes</p><blockquote class="userstuff"><p>Thank you for reading about the glasshouse.</p></blockquote></div></div>`;

const BODY = ['The iron key opened nothing at all', 'The brass key opened the glasshouse'];
const NOTES = ['Written for a friend who grows orchids badly', 'The iron key came first', 'Olwen is named for my aunt', 'Thank you for reading about the glasshouse'];

describe('--notes', () => {
  it('keeps notes where they were, gathers them at the end with links both ways, or leaves them out; --pdf-notes apart', async () => {
    const dir = tmp('notes');
    writeFileSync(join(dir, 'keys.html'), NOTED);
    const outs: Record<string, string> = {};
    for (const mode of ['keep', 'end', 'none']) {
      outs[mode] = join(dir, `out-${mode}`);
      const r = run(dir, ['build', 'keys.html', '-o', outs[mode]!, '--notes', mode, ...(mode === 'end' ? ['--pdf-notes', 'none'] : [])]);
      expect(r.code, r.stderr).toBe(0);
    }
    const pages = async (out: string) => unzipText(allFiles(out).find((f) => f.endsWith('.epub'))!);
    const text = (files: Map<string, string>) => [...files.values()].join('\n');
    const keep = await pages(outs.keep!);
    const end = await pages(outs.end!);
    const none = await pages(outs.none!);
    for (const n of NOTES) expect(text(keep)).toContain(n);
    expect(keep.get('OEBPS/ch1.xhtml')).toContain('The iron key came first');

    // end: every note on the notes page at the back, in reading order; each chapter links to its notes, and back.
    const notes = end.get('OEBPS/endnotes.xhtml')!;
    let at = -1;
    for (const n of NOTES) {
      const i = notes.indexOf(n);
      expect(i, n).toBeGreaterThan(at);
      at = i;
    }
    expect(end.get('OEBPS/ch1.xhtml')).not.toContain('The iron key came first');
    // As endnotes for assistive technology: a noteref to each, each a list item of doc-endnotes with a back link.
    expect(end.get('OEBPS/ch1.xhtml')).toContain('<a epub:type="noteref" role="doc-noteref" href="endnotes.xhtml#n-ch1">');
    expect(notes).toContain('epub:type="endnotes" role="doc-endnotes"');
    expect(notes).toMatch(/<li class="endnote" id="n-ch1">\n<h2>1\. Iron<\/h2>/);
    expect(notes).toContain('<a role="doc-backlink" href="ch1.xhtml">↩ Back to 1. Iron</a>');
    expect(end.has('OEBPS/notes.xhtml')).toBe(false);
    for (const b of BODY) expect(text(end)).toContain(b);

    // none: the notes are gone, the summary and the story stay.
    for (const n of NOTES) expect(text(none), n).not.toContain(n);
    expect(text(none)).toContain('Three keys, one glasshouse');
    for (const b of BODY) expect(text(none)).toContain(b);

    // The PDF of the `end` build followed --pdf-notes none.
    const pdf = allFiles(outs.end!).find((f) => f.endsWith('.pdf'))!;
    const pdfText = words((await tool('pdftotext', ['-enc', 'UTF-8', pdf, '-'])).stdout).join(' ');
    for (const n of NOTES) expect(pdfText).not.toContain(words(n).join(' '));
    for (const b of BODY) expect(pdfText).toContain(words(b).join(' '));
    // In the PDF of `keep --notes end` the links are real: the notes page is a named destination.
    const endPdf = run(dir, ['build', 'keys.html', '-o', join(dir, 'out-end-pdf'), '-f', 'pdf', '--notes', 'end']);
    expect(endPdf.code, endPdf.stderr).toBe(0);
    const ep = allFiles(join(dir, 'out-end-pdf')).find((f) => f.endsWith('.pdf'))!;
    expect((await tool('qpdf', ['--check', ep])).code).toBe(0);
    const epText = words((await tool('pdftotext', ['-enc', 'UTF-8', ep, '-'])).stdout).join(' ');
    for (const n of NOTES) expect(epText).toContain(words(n).join(' '));

    const epubs = ['keep', 'end', 'none'].map((m) => allFiles(outs[m]!).find((f) => f.endsWith('.epub'))!);
    for (const c of await epubcheckAll(epubs)) expect([c.errors, c.warnings, c.fatals], c.output).toEqual([0, 0, 0]);
  }, SLOW);
});

describe('quire.yaml, --config, -M, --css, --pdf-theme', () => {
  it('takes defaults from quire.yaml, lets the command line win, and warns about a misspelt key', async () => {
    const dir = tmp('config');
    mkdirSync(join(dir, 'stories'));
    writeFileSync(join(dir, 'stories', 'flat.txt'), 'The tide came in at noon. "Again," said Mara. She laughed at the sea.');
    writeFileSync(join(dir, 'my.css'), 'p { color: #224466; }\n');
    writeFileSync(join(dir, 'quire.yaml'), 'format: epub\nout: books\ncss: my.css\nnotes: end\nserise: omnibus\nmetadata:\n  title: The Noon Tide\n  author: Mara Vey\n');
    const r = run(dir, ['build', 'stories']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/quire\.yaml: warning: unknown option 'serise'; ignored it \(did you mean 'series'\?\) \[config\/unknown-key\]/);
    expect(r.stderr).not.toMatch(/no-title|no-author/);
    const books = allFiles(join(dir, 'books')).filter((f) => !f.includes('.quire-cache'));
    expect(books.map((f) => f.slice(dir.length + 1))).toEqual([join('books', 'the-noon-tide.epub')]);
    const files = await unzipText(books[0]!);
    expect(files.get('OEBPS/content.opf')).toContain('<dc:creator id="creator1">Mara Vey</dc:creator>');
    expect(files.get('OEBPS/style.css')).toContain('p { color: #224466; }');

    // The command line wins: another format, another title; a bad value in the file is one usage error.
    const cli = run(dir, ['build', 'stories', '-f', 'pdf', '-M', 'title=Twice As Hard']);
    expect(cli.code, cli.stderr).toBe(0);
    expect(allFiles(join(dir, 'books')).some((f) => f.endsWith('twice-as-hard.pdf'))).toBe(true);
    writeFileSync(join(dir, 'bad.yaml'), 'notes: sometimes\n');
    const bad = run(dir, ['build', 'stories', '--config', 'bad.yaml']);
    expect(bad.code).toBe(2);
    expect(bad.stderr.trim()).toMatch(/^quire: error: .*bad\.yaml: option 'notes' in the config file: allowed choices are keep, end, none$/);
    const missing = run(dir, ['build', 'stories', '--css', 'nope.css']);
    expect(missing.code).toBe(2);
    expect(missing.stderr.trim()).toBe('quire: error: cannot read the stylesheet nope.css: no such file');
  }, SLOW);

  it('names a scrape with -M and sets a PDF theme: a font by path, a size', async () => {
    const dir = tmp('theme');
    writeFileSync(join(dir, 'scrape.txt'), 'Kylo waited by the window. "You came," he said. The rain kept on.');
    const dejavu = join(dirname(require.resolve('dejavu-fonts-ttf/package.json')), 'ttf', 'DejaVuSans.ttf');
    mkdirSync(join(dir, 'fonts'));
    copyFileSync(dejavu, join(dir, 'fonts', 'MyFace.ttf'));
    writeFileSync(join(dir, 'theme.yaml'), 'font:\n  regular: fonts/MyFace.ttf\nlineHeight: 1.6\ncolour: red\n');
    const r = run(dir, ['build', 'scrape.txt', '-o', 'out', '-f', 'pdf', '--pdf-theme', 'theme.yaml', '-M', 'title=Twice As Hard', '-M', 'author=someauthor']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/theme\.yaml: warning: unknown PDF theme key 'colour'; ignored it \(did you mean 'color'\?\)|theme\.yaml: warning: unknown PDF theme key 'colour'; ignored it/);
    const pdf = join(dir, 'out', 'twice-as-hard.pdf');
    expect((await tool('pdfinfo', [pdf])).stdout).toMatch(/Author:\s+someauthor/);
    expect((await tool('pdffonts', [pdf])).stdout).toMatch(/DejaVuSans\s/);
    const absent = run(dir, ['build', 'scrape.txt', '-o', 'out2', '--pdf-theme', 'nothere.json']);
    expect(absent.code).toBe(2);
  }, SLOW);
});
