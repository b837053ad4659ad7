/**
 * Output you can trust (issue 15), through the real CLI: an omnibus's
 * metadata, names from file names and from titles in any script, a cache
 * that checks the books it trusts, the output folder and input checks, YAML
 * error positions, page sizes with units, summarised warnings, and progress
 * that is reported as books are written and stops at once on Ctrl-C.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync, truncateSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { unzipText } from '../helpers/epub.js';
import { CLI, epubcheckAll, quire, tool } from '../helpers/tools.js';

const tmp = (name: string) => mkdtempSync(join(tmpdir(), `quire-${name}-`));
const listAll = (dir: string): string[] =>
  readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .map((f) => join(dir, f))
    .sort();
const booksIn = (dir: string) => listAll(dir).filter((f) => /\.(epub|pdf)$/.test(f));
const subjects = (opf: string) => [...opf.matchAll(/<dc:subject>([^<]*)<\/dc:subject>/g)].map((m) => m[1]!);

/** A short original story with front matter. */
function story(meta: Record<string, string | number>, text = 'The kettle sang on the stove. Nobody came to lift it, and the afternoon went on.'): string {
  const lines = Object.entries(meta).map(([k, v]) => `${k}: ${typeof v === 'string' ? JSON.stringify(v) : v}`);
  return `---\n${lines.join('\n')}\n---\n\n${text}\n`;
}

describe('an omnibus’s metadata', () => {
  it('takes the strictest rating of its parts (Not Rated above Mature, below Explicit) and the union of the other tags', async () => {
    const dir = tmp('rating-in');
    const out = tmp('rating-out');
    const part = (series: string, n: number, rating: string, warning: string, tag: string) =>
      story({ title: `${series} ${n}`, author: 'Orla Penn', series, part: n, rating, warnings: warning, tags: tag });
    // Teen + Mature + General: Mature. The warnings: a real one drops "No Archive Warnings Apply".
    writeFileSync(join(dir, 'a1.md'), part('Kettles', 1, 'Teen And Up Audiences', 'No Archive Warnings Apply', 'Tea'));
    writeFileSync(join(dir, 'a2.md'), part('Kettles', 2, 'Mature', 'Graphic Depictions Of Violence', 'Steam'));
    writeFileSync(join(dir, 'a3.md'), part('Kettles', 3, 'General Audiences', 'No Archive Warnings Apply', 'tea'));
    // Mature + Not Rated: Not Rated (the unrated part may be anything).
    writeFileSync(join(dir, 'b1.md'), part('Pots', 1, 'Mature', 'No Archive Warnings Apply', 'Lids'));
    writeFileSync(join(dir, 'b2.md'), part('Pots', 2, 'Not Rated', 'Creator Chose Not To Use Archive Warnings', 'Lids'));
    // Not Rated + Explicit: Explicit.
    writeFileSync(join(dir, 'c1.md'), part('Pans', 1, 'Not Rated', 'No Archive Warnings Apply', 'Handles'));
    writeFileSync(join(dir, 'c2.md'), part('Pans', 2, 'Explicit', 'No Archive Warnings Apply', 'Handles'));
    const r = quire(['build', dir, '-o', out, '-f', 'epub', '--series', 'omnibus']);
    expect(r.code, r.stderr).toBe(0);
    const opf = async (name: string) => (await unzipText(join(out, `${name}.epub`))).get('OEBPS/content.opf')!;
    const kettles = subjects(await opf('kettles'));
    expect(kettles.filter((s) => /Audiences|Mature|Explicit|Not Rated/.test(s))).toEqual(['Mature']);
    expect(kettles).toEqual(expect.arrayContaining(['Graphic Depictions Of Violence', 'Tea', 'Steam']));
    expect(kettles).not.toContain('No Archive Warnings Apply');
    expect(kettles.filter((s) => s.toLowerCase() === 'tea')).toHaveLength(1);
    const pots = subjects(await opf('pots'));
    expect(pots.filter((s) => /Audiences|Mature|Explicit|Not Rated/.test(s))).toEqual(['Not Rated']);
    expect(pots).toEqual(expect.arrayContaining(['Creator Chose Not To Use Archive Warnings', 'Lids']));
    expect(subjects(await opf('pans')).filter((s) => /Audiences|Mature|Explicit|Not Rated/.test(s))).toEqual(['Explicit']);
  });

  it('makes titles from file names without capitalising hashes', async () => {
    const dir = tmp('hash-in');
    const out = tmp('hash-out');
    writeFileSync(join(dir, '000_bd273e0fc3045fb2.txt'), 'The lamp went out at nine. She lit it again.');
    writeFileSync(join(dir, 'the_quiet-hour.txt'), 'The clock stopped at noon. Nobody wound it.');
    const r = quire(['build', dir, '-o', out, '-f', 'epub']);
    expect(r.code, r.stderr).toBe(0);
    const title = async (f: string) => /<dc:title[^>]*>([^<]*)</.exec((await unzipText(join(out, f))).get('OEBPS/content.opf')!)![1];
    expect(await title('000-bd273e0fc3045fb2.epub')).toBe('000 bd273e0fc3045fb2');
    expect(await title('the-quiet-hour.epub')).toBe('The Quiet Hour');
  });
});

describe('names in any script', () => {
  it('transliterates non-Latin titles to readable ASCII file names', () => {
    const dir = tmp('scripts-in');
    const out = tmp('scripts-out');
    const titles: Array<[string, string]> = [
      ['Война и мир', 'voina-i-mir'],
      ['战争与和平', 'zhan-zheng-yu-he-ping'],
      ['Η Οδύσσεια', 'i-odysseia'],
      ['מלחמה ושלום', 'mlkhmh-vshlvm'],
      ['الحرب والسلام', 'lhrb-wlslm'],
      ['युद्ध और शांति', 'yuddh-aur-shaanti'],
      ['สงครามและสันติภาพ', 'sngkhraamaelasantiphaaph'],
      ['전쟁과 평화', 'jeonjaenggwa-pyeonghwa'],
      ['Łódź Straße', 'lodz-strasse'],
    ];
    titles.forEach(([title], i) => writeFileSync(join(dir, `t${i}.md`), story({ title, author: 'Anon' })));
    const r = quire(['build', dir, '-o', out, '-f', 'epub']);
    expect(r.code, r.stderr).toBe(0);
    expect(readdirSync(out).filter((f) => f.endsWith('.epub')).sort()).toEqual(titles.map(([, slug]) => `${slug}.epub`).sort());
  });
});

describe('the cache checks the books it trusts', () => {
  it('rebuilds a deleted or damaged book without --force, and keeps one format’s record when building the other', () => {
    const dir = tmp('cache-in');
    const out = tmp('cache-out');
    for (const n of [1, 2, 3]) writeFileSync(join(dir, `s${n}.md`), story({ title: `Shelf ${n}`, author: 'Ada Vane' }));
    expect(quire(['build', dir, '-o', out]).code).toBe(0);
    const fresh = Object.fromEntries(booksIn(out).map((f) => [f, readFileSync(f)]));
    const mtime = (f: string) => statSync(f).mtimeMs;
    const untouched = join(out, 'shelf-3.epub');
    const before = mtime(untouched);
    // One deleted, one cut short, one changed in place at the same size.
    unlinkSync(join(out, 'shelf-1.pdf'));
    truncateSync(join(out, 'shelf-2.epub'), 100);
    const pdf = readFileSync(join(out, 'shelf-3.pdf'));
    pdf[200] = pdf[200]! ^ 0xff;
    writeFileSync(join(out, 'shelf-3.pdf'), pdf);
    const again = quire(['build', dir, '-o', out]);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toMatch(/3 books written, 3 unchanged/);
    for (const [f, bytes] of Object.entries(fresh)) expect(readFileSync(f).equals(bytes), f).toBe(true);
    expect(mtime(untouched)).toBe(before);
    // -f epub then -f pdf: the PDFs are still known to be up to date.
    expect(quire(['build', dir, '-o', out, '-f', 'epub', '--force']).stdout).toMatch(/3 books written/);
    expect(quire(['build', dir, '-o', out, '-f', 'pdf']).stdout).toMatch(/0 books written, 3 unchanged/);
    expect(quire(['build', dir, '-o', out]).stdout).toMatch(/0 books written, 6 unchanged/);
  });
});

describe('the command line', () => {
  it('never reads the books in an output folder inside the input folder back as stories', () => {
    const dir = tmp('nest');
    writeFileSync(join(dir, 'a.md'), story({ title: 'Nested', author: 'E', series: 'Nest', part: 1 }));
    const out = join(dir, 'out');
    expect(quire(['build', dir, '-o', out, '-f', 'epub']).code).toBe(0);
    const again = quire(['build', dir, '-o', out, '-f', 'epub']);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toMatch(/^1 work: 0 books written, 1 unchanged/m);
    expect(again.stderr).not.toContain('duplicate-part');
  });


  it('refuses an -o that is a file or cannot be created, up front, with exit 2', () => {
    const dir = tmp('o-in');
    writeFileSync(join(dir, 'a.md'), story({ title: 'A', author: 'B' }));
    const file = join(tmp('o-file'), 'taken');
    writeFileSync(file, 'not a folder');
    for (const [out, reason] of [
      [file, /the output folder .*taken is a file, not a folder/],
      [join(file, 'sub'), /cannot create the output folder .*taken\/sub: part of the path is a file/],
      ...(existsSync('/proc/self') ? [['/proc/quire-out', /cannot create the output folder \/proc\/quire-out/] as const] : []),
    ] as Array<[string, RegExp]>) {
      const r = quire(['build', dir, '-o', out]);
      expect(r.code, out).toBe(2);
      expect(r.stderr.trim().split('\n'), out).toHaveLength(1);
      expect(r.stderr).toMatch(reason);
      expect(r.stdout).toBe('');
    }
  });

  it('says when a folder has no stories, and leaves no output folder behind', () => {
    const dir = tmp('none-in');
    writeFileSync(join(dir, 'notes.yaml'), 'title: Only a sidecar\n');
    const out = join(tmp('none-out'), 'out');
    const r = quire(['build', dir, '-o', out]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`${dir}: error: no stories found in ${dir} (Quire reads .txt, .text, .md, .markdown, .html, .htm and .epub files) [input/no-stories]`);
    expect(existsSync(out)).toBe(false);
  });

  it('names what Quire reads when given an unsupported file or a pipe, and builds the rest', () => {
    const dir = tmp('odd-in');
    const out = tmp('odd-out');
    writeFileSync(join(dir, 'x.pdf'), '%PDF-1.4\n%\u00e2\u00e3\n');
    writeFileSync(join(dir, 'x.docx'), Buffer.from([0x50, 0x4b, 0x03, 0x04, 0, 0, 0, 0]));
    writeFileSync(join(dir, 'good.md'), story({ title: 'Good', author: 'C' }));
    const fifo = join(dir, 'pipe.txt');
    const made = spawnSync('mkfifo', [fifo]).status === 0;
    const r = quire(['build', join(dir, 'x.pdf'), join(dir, 'x.docx'), join(dir, 'good.md'), ...(made ? [fifo] : []), '-o', out, '-f', 'epub']);
    expect(r.code).toBe(1);
    const reads = 'Quire reads .txt, .text, .md, .markdown, .html, .htm and .epub files';
    expect(r.stderr).toContain(`x.pdf: error: Quire does not read .pdf files; it reads .txt, .text, .md, .markdown, .html, .htm and .epub files [input/unsupported]`);
    expect(r.stderr).toContain(`x.docx: error: Quire does not read .docx files; it reads`);
    if (made) expect(r.stderr).toContain(`pipe.txt: error: a named pipe (FIFO), not a story file; ${reads} [input/not-a-file]`);
    expect(r.stderr.trim().split('\n')).toHaveLength(made ? 3 : 2);
    expect(readdirSync(out).filter((f) => f.endsWith('.epub'))).toEqual(['good.epub']);
  });

  it('points YAML errors at their line, in front matter, sidecars and series.yaml', () => {
    const dir = tmp('yaml-in');
    writeFileSync(join(dir, 'broken.md'), '---\ntitle: Fine\nauthor: Also Fine\nsummary: [never closed\n---\nThe story.\n');
    writeFileSync(join(dir, 'nested.md'), '---\ntitle: Fine\nauthor: A\ntags: one\n  two: three\n---\nThe story.\n');
    writeFileSync(join(dir, 'side.txt'), 'A story with a broken sidecar.');
    writeFileSync(join(dir, 'side.yaml'), 'title: Side\nauthor: Someone\nsummary: "no closing quote\n');
    writeFileSync(join(dir, 'json.txt'), 'A story with a broken JSON sidecar.');
    writeFileSync(join(dir, 'json.json'), '{\n  "title": "J",\n  "author": nobody\n}\n');
    writeFileSync(join(dir, 'series.yaml'), 'title: A Series\nsummary: [also never closed\n');
    const r = quire(['build', dir, '-o', tmp('yaml-out')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/series\.yaml:2:10: warning: series file cannot be read: .*\[series\/bad-metadata\]/);
    expect(r.stderr).toMatch(/broken\.md:4:10: error: front matter is not valid YAML: .*\[front-matter\/invalid-yaml\]/);
    expect(r.stderr).toMatch(/nested\.md:4:7: error: front matter is not valid YAML: Nested mappings/);
    expect(r.stderr).toMatch(/side\.yaml:3:10: error: YAML sidecar cannot be read: .*\[sidecar\/invalid\]/);
    // JSON.parse reads `n` as the start of `null` and stops at the `o`.
    expect(r.stderr).toMatch(/json\.json:3:14: error: JSON sidecar cannot be read: unexpected 'o' \[sidecar\/invalid\]/);
  });

  it('reads page sizes in inches, centimetres or millimetres, and says a bare WxH is millimetres', async () => {
    const dir = tmp('size-in');
    writeFileSync(join(dir, 'page.md'), story({ title: 'Page', author: 'D' }));
    const sizes: Array<[string, number, number]> = [
      ['6x9in', 432, 648],
      ['5.5x8.5in', 396, 612],
      ['148x210mm', 419.53, 595.28],
      ['12.7x20.32cm', 360, 576],
    ];
    for (const [size, w, h] of sizes) {
      const out = tmp('size-out');
      const r = quire(['build', dir, '-o', out, '-f', 'pdf', '--page-size', size]);
      expect(r.code, r.stderr).toBe(0);
      const m = /Page size:\s+([\d.]+) x ([\d.]+) pts/.exec((await tool('pdfinfo', [join(out, 'page.pdf')])).stdout)!;
      expect([Number(m[1]), Number(m[2])], size).toEqual([expect.closeTo(w, 0), expect.closeTo(h, 0)]);
    }
    // 148x210mm is A5 itself: the same book as --page-size a5.
    const a = tmp('size-a5');
    const b = tmp('size-mm');
    quire(['build', dir, '-o', a, '-f', 'pdf', '--page-size', 'a5']);
    quire(['build', dir, '-o', b, '-f', 'pdf', '--page-size', '148x210mm']);
    expect(readFileSync(join(a, 'page.pdf')).equals(readFileSync(join(b, 'page.pdf')))).toBe(true);
    const bare = quire(['build', dir, '-o', tmp('size-bare'), '--page-size', '7x10']);
    expect(bare.code).toBe(2);
    expect(bare.stderr).toContain("page size '7x10' is read in millimetres, which is too small for a page; for inches write 7x10in");
    expect(quire(['build', '--help']).stdout.replace(/\s+/g, ' ')).toMatch(/a bare WxH is mm/);
  });

  it('summarises a warning many files share, and lists them all with --verbose', () => {
    const dir = tmp('many-in');
    for (let i = 1; i <= 8; i++) writeFileSync(join(dir, `scrape-${i}.txt`), `Scrape ${i} begins here. It ends soon after.`);
    const r = quire(['build', dir, '-o', tmp('many-out'), '-f', 'epub']);
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stderr.trim().split('\n');
    const noTitle = lines.filter((l) => l.includes('[metadata/no-title]'));
    expect(noTitle).toEqual([
      `${join(dir, 'scrape-1.txt')}, ${join(dir, 'scrape-2.txt')}, ${join(dir, 'scrape-3.txt')} and 5 more files: warning: no title; using the file name (add a title in front matter or a sidecar .yaml) [metadata/no-title]`,
    ]);
    expect(lines.filter((l) => l.includes('[metadata/no-author]'))).toHaveLength(1);
    expect(lines).toContain('quire: note: warnings shared by many files are shown once with a count; --verbose lists every one');
    // The summary line still counts every warning.
    expect(r.stdout).toMatch(/8 works: 8 books written, 0 unchanged, 16 warnings/);
    const all = quire(['build', dir, '-o', tmp('many-out'), '-f', 'epub', '--verbose']);
    expect(all.stderr.split('\n').filter((l) => l.includes('[metadata/no-title]'))).toHaveLength(8);
  });
});

describe('progress', () => {
  /** Works long enough that a batch of them takes a few seconds. */
  function corpus(n: number): string {
    const dir = tmp('progress-in');
    for (let i = 0; i < n; i++) {
      const paras = Array.from({ length: 300 }, (_, k) => `Paragraph ${k} of work ${i}: the ferry left at dawn, the gulls followed it out past the breakwater, and the town went back to sleep.`);
      writeFileSync(join(dir, `work-${String(i).padStart(2, '0')}.md`), `---\ntitle: Ferry ${i}\nauthor: Tester\n---\n\n${paras.join('\n\n')}\n`);
    }
    return dir;
  }

  it('reports each book as it is written and stops on Ctrl-C with only complete books and no temporary files', async () => {
    const src = corpus(12);
    const out = tmp('progress-out');
    const child = spawn(process.execPath, [CLI, 'build', src, '-o', out, '-j', '1'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let interrupted = false;
    child.stderr.on('data', (d) => (stderr += d));
    const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    child.stdout.on('data', (d) => {
      stdout += d;
      // The first book is reported while the rest of the batch is still to be done: interrupt it there.
      if (!interrupted && /^wrote /m.test(stdout)) {
        interrupted = true;
        child.kill('SIGINT');
      }
    });
    const code = await exit;
    expect(interrupted, stderr).toBe(true);
    expect(code).toBe(130);
    expect(stderr).toContain('quire: interrupted (SIGINT); books already written are complete');
    const written = booksIn(out);
    // Stopped well before the end: most of the 24 books were never started.
    expect(written.length).toBeGreaterThan(0);
    expect(written.length).toBeLessThan(12);
    expect(listAll(out).some((f) => f.includes('.quire-tmp'))).toBe(false);
    // Every book reported is on disk and complete.
    for (const line of stdout.split('\n').filter((l) => l.startsWith('wrote '))) expect(existsSync(line.slice(6)), line).toBe(true);
    const epubs = written.filter((f) => f.endsWith('.epub'));
    for (const c of await epubcheckAll(epubs)) expect({ errors: c.errors, fatals: c.fatals }, c.output).toEqual({ errors: 0, fatals: 0 });
    for (const f of written.filter((x) => x.endsWith('.pdf'))) expect((await tool('qpdf', ['--check', f])).code, f).toBe(0);
    // The next build finishes the job.
    const again = quire(['build', src, '-o', out, '-f', 'epub']);
    expect(again.code, again.stderr).toBe(0);
    expect(booksIn(out).filter((f) => f.endsWith('.epub'))).toHaveLength(12);
  });

  it('writes the same bytes whether a book is made in a worker thread or in the main one', () => {
    const src = corpus(3);
    const batch = tmp('threads-batch');
    const alone = tmp('threads-alone');
    // Three works are written in worker threads; one of them alone is small enough for the main thread.
    expect(quire(['build', src, '-o', batch, '-j', '2']).code).toBe(0);
    expect(quire(['build', join(src, 'work-01.md'), '-o', alone]).code).toBe(0);
    const made = booksIn(alone);
    expect(made).toHaveLength(2);
    for (const f of made) expect(readFileSync(f).equals(readFileSync(join(batch, f.slice(alone.length + 1)))), f).toBe(true);
  });
});
