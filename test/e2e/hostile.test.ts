/**
 * Reliability and security through the real CLI: hostile and broken input
 * generated here (nothing copied from anywhere), a symlink planted in the
 * output folder, no network use, interrupted builds, and byte-identical
 * rebuilds.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import JSZip from 'jszip';
import { unzipText } from '../helpers/epub.js';
import { CLI, epubcheckAll, quire, tool } from '../helpers/tools.js';

const tmp = (name: string) => mkdtempSync(join(tmpdir(), `quire-${name}-`));
const listAll = (dir: string): string[] =>
  readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .map((f) => join(dir, f))
    .sort();
const story = 'The lamp was lit at dusk. "Is anyone there?" she called. Nobody answered, and the tide came in.';

describe('hostile and broken input', () => {
  const dir = tmp('hostile-in');
  const out = tmp('hostile-out');
  const files: Record<string, string | Buffer> = {
    'empty.txt': '',
    'spaces.txt': '  \n\t\n   ',
    'binary.txt': Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48]),
    'latin1.txt': Buffer.concat([Buffer.from('---\ntitle: Caf'), Buffer.from([0xe9]), Buffer.from('\n---\nA story about a caf'), Buffer.from([0xe9]), Buffer.from(' by the sea.\n')]),
    'bom.txt': Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('---\ntitle: With a BOM\n---\n' + story)]),
    'crlf.txt': '---\r\ntitle: Windows Lines\r\n---\r\nFirst paragraph.\r\n\r\nSecond paragraph.\r\n',
    'cr.txt': '---\rtitle: Old Mac Lines\r---\rFirst paragraph.\r\rSecond paragraph.\r',
    'open-front-matter.md': '---\ntitle: Never closed\nauthor: Someone\n',
    'bad-yaml.md': '---\ntitle: [unclosed\nauthor: {a: b\n---\nText.\n',
    'absurd-part.md': '---\ntitle: Absurd Part\nseries: Numbers\npart: 1e100\n---\nText.\n',
    'negative-part.md': '---\ntitle: Negative Part\nseries: Numbers\npart: -3\n---\nText.\n',
    'huge-part.txt': `${story} Series this work belongs to: Part 99999999999 of Numbers\n`,
    'dup-a.md': '---\ntitle: Dup A\nseries: Twins\npart: 2\n---\nOne.\n',
    'dup-b.md': '---\ntitle: Dup B\nseries: Twins\npart: 2\n---\nTwo.\n',
    'dots.md': '---\ntitle: "../../../etc/passwd"\nauthor: "../root"\n---\nDots.\n',
    'slashes.md': '---\ntitle: "a/b\\\\c/../d"\n---\nSlashes.\n',
    'script.md': '---\ntitle: "<script>alert(1)</script>"\nauthor: "<img src=x onerror=alert(1)>"\nsummary: "<b onclick=x>bold</b> & more"\n---\nScript title.\n',
    'controls.md': '---\ntitle: "Bell\\u0007 and \\u0000null\\u001b[31m"\nauthor: "Tab\\tbed"\n---\nControls.\n',
    'emoji.md': '---\ntitle: "🐉🔥🌊"\nauthor: "🦊"\n---\nEmoji only.\n',
    'deep.html': '<html><body>' + '<div><em>'.repeat(20000) + 'Deep text.' + '</em></div>'.repeat(20000) + '</body></html>',
  };

  it('gives a one-line error naming each file it cannot build, builds the rest, never shows a stack trace', async () => {
    for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
    mkdirSync(join(dir, 'loop'));
    symlinkSync('..', join(dir, 'loop', 'back-up'));
    symlinkSync('nowhere.txt', join(dir, 'dangling.txt'));
    const r = quire(['build', dir, '-o', out]);
    expect(r.code).toBe(1);
    expect(r.stderr).not.toMatch(/\n\s+at |Error: |TypeError|RangeError/);
    for (const line of r.stderr.trim().split('\n')) expect(line).toMatch(/^(\/|quire:)\S*.*: (error|warning|info): .+ \[[\w/-]+\]$|^quire:/);
    const errorsFor = (f: string) => r.stderr.split('\n').filter((l) => l.startsWith(join(dir, f)) && l.includes(': error: '));
    for (const f of ['empty.txt', 'spaces.txt', 'binary.txt', 'open-front-matter.md', 'bad-yaml.md']) expect(errorsFor(f), f).toHaveLength(1);
    expect(r.stderr).toContain(`${join(dir, 'latin1.txt')}: warning: the file is not valid UTF-8`);
    expect(r.stderr).toMatch(/absurd-part\.md: warning: .*\[series\/bad-part\]/);
    expect(r.stderr).toMatch(/huge-part\.txt: warning: .*\[series\/bad-part\]/);
    expect(r.stderr).toMatch(/dup-b\.md: warning: Twins: part 2 is claimed by both/);
    // Every book is inside out/, named safely, and valid.
    const written = listAll(out).filter((f) => /\.(epub|pdf)$/.test(f));
    for (const f of written) {
      expect(resolve(f).startsWith(resolve(out) + '/')).toBe(true);
      expect(f.slice(out.length + 1)).toMatch(/^[a-z0-9-]+(\/[a-z0-9-]+)?\.(epub|pdf)$/);
    }
    expect(written.map((f) => f.slice(out.length + 1))).toEqual(
      expect.arrayContaining(['etc-passwd.epub', 'a-b-c-d.epub', 'script-alert-1-script.epub', 'bell-and-null-31m.epub', 'untitled.epub', 'cafe.epub', 'deep.epub', 'windows-lines.epub', 'old-mac-lines.epub']),
    );
    expect(listAll(out).some((f) => f.includes('.quire-tmp'))).toBe(false);
    const epubs = written.filter((f) => f.endsWith('.epub'));
    const checks = await epubcheckAll(epubs);
    checks.forEach((c, i) => expect({ file: epubs[i], errors: c.errors, warnings: c.warnings }, c.output).toEqual({ file: epubs[i], errors: 0, warnings: 0 }));
    // Nothing hostile reaches a book.
    const script = await unzipText(join(out, 'script-alert-1-script.epub'));
    // (The cover page's picture is the book's own cover.)
    const all = [...script].filter(([name]) => name !== 'OEBPS/cover.xhtml').map(([, t]) => t).join('\n');
    expect(all).not.toMatch(/<script|<img|<b[\s>]/);
    expect(all).not.toMatch(/<[^>]*\son\w+=/);
    expect(all).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    const latin = await unzipText(join(out, 'cafe.epub'));
    expect(latin.get('OEBPS/ch1.xhtml')).toContain('A story about a café by the sea.');
    for (const pdf of written.filter((f) => f.endsWith('.pdf')).slice(0, 6)) expect((await tool('qpdf', ['--check', pdf])).code, pdf).toBe(0);
  });

  it('reads a 20 MB single-line scrape in bounded time', async () => {
    const big = tmp('big-in');
    const line = Array.from({ length: 60000 }, (_, i) => `Sentence ${i} tells of the harbour, the lamp and the fog. "Line ${i}," she said.`).join(' ');
    const text = (line + ' ').repeat(Math.ceil(20_000_000 / line.length)).slice(0, 20_000_000);
    writeFileSync(join(big, 'huge.txt'), text + ' Notes: The end.\n');
    const o = tmp('big-out');
    const started = Date.now();
    const r = quire(['build', big, '-o', o, '-f', 'epub']);
    expect(r.code, r.stderr).toBe(0);
    expect(Date.now() - started).toBeLessThan(300_000); // a hang guard (busy machines included), not a benchmark
    expect(existsSync(join(o, 'huge.epub'))).toBe(true);
  });

  it('never writes through a symbolic link planted in the output folder', () => {
    const src = tmp('link-in');
    const o = tmp('link-out');
    const outside = tmp('outside');
    writeFileSync(join(src, 'one.md'), '---\ntitle: One\nseries: Planted\npart: 1\n---\nOne.\n');
    writeFileSync(join(src, 'two.md'), '---\ntitle: Two\nseries: Planted\npart: 2\n---\nTwo.\n');
    symlinkSync(outside, join(o, 'planted'));
    symlinkSync(join(outside, 'victim.epub'), join(o, 'planted.epub'));
    const r = quire(['build', src, '-o', o, '-f', 'epub']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/planted is a symbolic link; Quire does not write through links/);
    expect(readdirSync(outside)).toEqual([]);
    // The omnibus replaced the planted link with a real file instead of writing through it.
    expect(existsSync(join(outside, 'victim.epub'))).toBe(false);
  });

  it('makes no network request, even for remote images and links', () => {
    const guard = join(tmp('guard'), 'no-network.cjs');
    const log = guard + '.log';
    writeFileSync(
      guard,
      `const fs = require('fs'); const net = require('net'); const dns = require('dns');
       const note = (what) => { fs.appendFileSync(${JSON.stringify(log)}, what + '\\n'); throw new Error('network use: ' + what); };
       net.Socket.prototype.connect = function () { note('socket'); };
       dns.lookup = function () { note('dns'); };
       globalThis.fetch = function () { note('fetch'); };`,
    );
    const o = tmp('net-out');
    const r = quire(['build', 'test/fixtures/ao3-html/input.html', 'works', '-o', o, '-j', '1'], { NODE_OPTIONS: `--require ${guard}` });
    expect(r.code, r.stderr).toBe(0);
    expect(existsSync(log)).toBe(false);
  });
});

describe('interrupted builds', () => {
  function corpus(n: number): string {
    const dir = tmp('kill-in');
    for (let i = 0; i < n; i++) {
      const paras = Array.from({ length: 400 }, (_, k) => `Paragraph ${k} of story ${i}: the keeper climbed the stair and trimmed the wick, and the light went out across the water.`);
      writeFileSync(join(dir, `story-${String(i).padStart(2, '0')}.md`), `---\ntitle: Story ${i}\nauthor: Tester\n---\n\n${paras.join('\n\n')}\n`);
    }
    return dir;
  }

  /** Start a build and kill it mid-way: as soon as its first book has appeared in `out`. */
  async function killMidway(args: string[], out: string, signal: NodeJS.Signals): Promise<void> {
    const child = spawn(process.execPath, [CLI, ...args], { stdio: 'ignore' });
    const exited = new Promise((r) => child.on('exit', r));
    let done = false;
    void exited.then(() => (done = true));
    const deadline = Date.now() + 30_000;
    while (!done && Date.now() < deadline && !listAll(out).some((f) => /\.(epub|pdf)$/.test(f))) await new Promise((r) => setTimeout(r, 10));
    if (!done) child.kill(signal);
    await exited;
  }

  async function complete(file: string): Promise<boolean> {
    if (file.endsWith('.epub')) {
      try {
        const zip = await JSZip.loadAsync(readFileSync(file));
        return (await zip.file('mimetype')!.async('string')) === 'application/epub+zip' && !!zip.file('OEBPS/content.opf');
      } catch {
        return false;
      }
    }
    return (await tool('qpdf', ['--check', file])).code === 0;
  }

  it.each(['SIGTERM', 'SIGKILL'] as const)('leaves only complete books after %s, and the next run finishes the job', async (signal) => {
    const src = corpus(14);
    const out = tmp(`kill-out-${signal}`);
    await killMidway(['build', src, '-o', out, '-j', '2'], out, signal);
    const books = listAll(out).filter((f) => /\.(epub|pdf)$/.test(f));
    for (const f of books) expect(await complete(f), f).toBe(true);
    if (signal === 'SIGTERM') expect(listAll(out).some((f) => f.includes('.quire-tmp'))).toBe(false);
    const again = quire(['build', src, '-o', out]);
    expect(again.code, again.stderr).toBe(0);
    expect(listAll(out).some((f) => f.includes('.quire-tmp'))).toBe(false);
    expect(listAll(out).filter((f) => /\.(epub|pdf)$/.test(f))).toHaveLength(28);
    // The finished job is byte-identical to an uninterrupted build.
    const clean = tmp(`kill-clean-${signal}`);
    expect(quire(['build', src, '-o', clean]).code).toBe(0);
    for (const f of listAll(clean).filter((x) => /\.(epub|pdf)$/.test(x))) {
      expect(readFileSync(f).equals(readFileSync(join(out, f.slice(clean.length + 1)))), f).toBe(true);
    }
  });
});
