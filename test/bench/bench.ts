/**
 * `npm run bench`: Quire's speed and memory on two generated corpora of
 * original synthetic prose as flattened scrapes with notes and series
 * trailers — 16 works of 1k–100k words (~263k in all), and 78 short
 * single-chapter works (~234k, the shape of a folder of saved chapters) —
 * beside pandoc and calibre's ebook-convert (one process per book) when they
 * are installed; and paragraph recovery alone on the measuring corpora of
 * ../shared (when they are there). Prints a Markdown report;
 * `npm run bench -- --write` also records it in test/bench/RESULTS.md.
 * `npm run bench -- --paragraphs-only [--against DIR]... [--write]` runs the
 * paragraph row alone (seconds), beside other built checkouts when given
 * (interleaved), and with --write replaces that section of RESULTS.md.
 * Nothing here is asserted: numbers are for people to read.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { cpus, loadavg, totalmem, tmpdir } from 'node:os';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { flatScrape, shortWorks } from './corpus.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const CLI = join(ROOT, 'dist', 'cli.js');
const RSS = join(ROOT, 'test', 'bench', 'rss.cjs');

/** Work sizes of the batch corpus: from 1k to 100k words, ~250k in all. */
const SIZES = [1000, 1500, 2000, 3000, 4000, 5000, 6000, 8000, 10000, 12000, 15000, 18000, 22000, 25000, 30000, 100000];

interface Run {
  seconds: number;
  /** Peak resident memory of the process, in MiB. */
  rssMiB: number;
}

function has(cmd: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;
}

/**
 * Run the real CLI in a fresh process; time it and read its peak RSS. With
 * `fresh`, that output folder is removed first (not timed): a first build,
 * with no covers or page maps kept from an earlier one.
 */
function quire(args: string[], fresh?: string): Run {
  if (fresh) rmSync(fresh, { recursive: true, force: true });
  const started = process.hrtime.bigint();
  const r = spawnSync(process.execPath, ['--require', RSS, CLI, ...args, '--quiet'], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (r.status !== 0) throw new Error(`quire ${args.join(' ')} failed: ${r.stderr}`);
  const m = /QUIRE_MAXRSS=(\d+)/.exec(r.stderr);
  return { seconds, rssMiB: m ? Number(m[1]) / 1024 : NaN };
}

function timed(cmd: string, args: string[]): number {
  const started = process.hrtime.bigint();
  // calibre renders PDF through Qt WebEngine: headless here, and its Chromium refuses to run as root without this.
  const env = { ...process.env, QT_QPA_PLATFORM: 'offscreen', QTWEBENGINE_DISABLE_SANDBOX: '1' };
  const r = spawnSync(cmd, args, { stdio: 'ignore', env, timeout: 300_000 });
  if (r.status !== 0) return NaN;
  return Number(process.hrtime.bigint() - started) / 1e9;
}

/** How many times each of Quire's batches is run (the median is reported); pandoc's take longer and vary less. */
const RUNS = 5;
const TOOL_RUNS = 3;

/** The run with the median time of `runs` runs. */
function medianRun(run: () => Run, runs = RUNS): Run {
  const all = Array.from({ length: runs }, run).sort((a, b) => a.seconds - b.seconds);
  return all[Math.floor(runs / 2)]!;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

const fmt = (n: number, d = 2) => (Number.isFinite(n) ? n.toFixed(d) : 'n/a');
const kwps = (words: number, s: number) => `${Math.round(words / s / 1000)}k`;

/**
 * pandoc (median of TOOL_RUNS) and calibre (one run, EPUB and PDF) on a
 * corpus's story files, one process per book as a user scripts them: table
 * rows and the totals in seconds (NaN when a tool is missing or a book failed).
 */
function otherTools(work: string, corpus: string, words: number, calibrePdfToo = true): { rows: string[]; pandoc: number; calibreEpub: number; calibrePdf: number } {
  const txts = readdirSync(corpus).filter((f) => f.endsWith('.txt'));
  const rows: string[] = [];
  const dir = mkdtempSync(join(work, 'tools-'));
  let pandoc = NaN;
  if (has('pandoc')) {
    pandoc = median(
      Array.from({ length: TOOL_RUNS }, () =>
        txts.reduce((t, f) => t + timed('pandoc', ['-f', 'markdown', '-t', 'epub3', '-o', join(dir, f.replace('.txt', '.epub')), join(corpus, f)]), 0),
      ),
    );
    rows.push(`| pandoc EPUB (one process per book) | ${fmt(pandoc)} | ${kwps(words, pandoc)} | |`);
  }
  let calibreEpub = NaN;
  let calibrePdf = NaN;
  if (has('ebook-convert')) {
    // A failed book makes the total n/a rather than flattering it.
    const convert = (ext: string) => txts.reduce((t, f) => t + timed('ebook-convert', [join(corpus, f), join(dir, f.replace('.txt', ext))]), 0);
    calibreEpub = convert('.epub');
    rows.push(`| calibre EPUB (one process per book) | ${fmt(calibreEpub)} | ${Number.isFinite(calibreEpub) ? kwps(words, calibreEpub) : ''} | |`);
    if (calibrePdfToo) {
      calibrePdf = convert('.pdf');
      rows.push(`| calibre PDF (one process per book) | ${fmt(calibrePdf)} | ${Number.isFinite(calibrePdf) ? kwps(words, calibrePdf) : ''} | |`);
    }
  }
  return { rows, pandoc, calibreEpub, calibrePdf };
}

/** The measuring corpora the paragraph row reads (../shared/corpus, beside the project). */
const PARAGRAPH_CORPORA = ['dev-modern', 'dev'].map((d) => join(ROOT, '..', 'shared', 'corpus', d));
const PARAGRAPH_SCRIPT = join(ROOT, 'dist', 'bench', 'paragraphs.js');
/** Fresh processes per checkout for the cold figure (the median is reported); warm passes in one more. */
const COLD_RUNS = 7;
const WARM_PASSES = 5;

interface ParagraphRun {
  chapters: number;
  words: number;
  importMs: number;
  passMs: number;
  passCpuMs: number;
  warmMs: number[];
}

function paragraphRun(root: string, warm = 0): ParagraphRun {
  const args = [PARAGRAPH_SCRIPT, '--root', root, ...(warm ? ['--warm', String(warm)] : []), ...PARAGRAPH_CORPORA];
  const r = spawnSync(process.execPath, args, { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`paragraph timing failed in ${root}: ${r.stderr}`);
  return JSON.parse(r.stdout) as ParagraphRun;
}

/** A checkout's name in the table: its short commit, and whether its tree has changes. */
function checkoutName(root: string): string {
  const git = (args: string[]) => spawnSync('git', ['-C', root, ...args], { encoding: 'utf8' }).stdout.trim();
  const commit = git(['rev-parse', '--short', 'HEAD']) || root;
  return git(['status', '--porcelain', '--untracked-files=no']) ? `${commit} + changes` : commit;
}

/**
 * Paragraph recovery alone: every chapter of dev-modern and dev through the flat-text passes
 * (scene breaks, paragraphs, walls), in a fresh process each time — the first pass is the one a
 * build's worker pays, V8 compiling the code as it goes — and warm (the same chapters again in one
 * process). With `against`, those checkouts are timed too, their runs interleaved with these.
 */
function paragraphSection(out: (s?: string) => void, against: readonly string[] = []): void {
  out('## Paragraph recovery (flat text, per word)');
  out();
  const missing = PARAGRAPH_CORPORA.find((d) => !existsSync(d));
  if (missing) {
    out(`(skipped: ${missing} is not there; the row reads the measuring corpora of ../shared.)`);
    out();
    return;
  }
  const roots = [ROOT, ...against.map((d) => resolve(d))];
  const cold = roots.map((): ParagraphRun[] => []);
  for (let i = 0; i < COLD_RUNS; i++) roots.forEach((r, k) => cold[k]!.push(paragraphRun(r)));
  const warm = roots.map((r) => paragraphRun(r, WARM_PASSES));
  const { chapters, words } = cold[0]![0]!;
  const us = (ms: number) => ((ms * 1000) / words).toFixed(2);
  const range = (xs: number[]) => `${Math.round(Math.min(...xs))}–${Math.round(Math.max(...xs))}`;
  out(`${chapters} chapters of ../shared/corpus dev-modern + dev, ${words.toLocaleString('en-US')} words, through the flat-text passes (scene breaks, paragraphs, walls where the checkout has them). Cold: one pass in a fresh process, median of ${COLD_RUNS} processes${against.length ? ' (the checkouts interleaved)' : ''}; CPU is the process's (V8's compiler threads included), wall the pass's own. Warm: median of ${WARM_PASSES} more passes in one process. Load average: ${loadavg().map((l) => l.toFixed(1)).join(', ')}.`);
  out();
  out('| checkout | cold CPU ms (µs/word) | cold CPU range | cold wall ms | module load ms | warm ms (µs/word) |');
  out('| --- | ---: | ---: | ---: | ---: | ---: |');
  roots.forEach((r, k) => {
    const runs = cold[k]!;
    const cpu = median(runs.map((x) => x.passCpuMs));
    const w = median(warm[k]!.warmMs);
    out(`| ${k === 0 ? 'this one' : 'against'} (${checkoutName(r)}) | ${Math.round(cpu)} (${us(cpu)}) | ${range(runs.map((x) => x.passCpuMs))} | ${Math.round(median(runs.map((x) => x.passMs)))} | ${Math.round(median(runs.map((x) => x.importMs)))} | ${Math.round(w)} (${us(w)}) |`);
  });
  if (against.length) out();
  for (let k = 1; k < roots.length; k++) {
    const ratio = median(cold[0]!.map((x) => x.passCpuMs)) / median(cold[k]!.map((x) => x.passCpuMs));
    out(`- Cold CPU per word against ${checkoutName(roots[k]!)}: **${ratio >= 1 ? '+' : '−'}${Math.abs(100 * (ratio - 1)).toFixed(0)} %**.`);
  }
  out();
}

/** Replace (or add, before the closing line) the paragraph section of RESULTS.md. */
function writeParagraphSection(file: string, section: string[]): void {
  const old = existsSync(file) ? readFileSync(file, 'utf8') : '# Quire benchmark\n';
  const lines = old.split('\n');
  const start = lines.findIndex((l) => l.startsWith('## Paragraph recovery'));
  let body: string[];
  if (start >= 0) {
    let end = lines.findIndex((l, i) => i > start && (l.startsWith('## ') || l.startsWith('Recorded by')));
    if (end < 0) end = lines.length;
    body = [...lines.slice(0, start), ...section, ...lines.slice(end)];
  } else {
    const at = lines.findIndex((l) => l.startsWith('Recorded by'));
    body = at >= 0 ? [...lines.slice(0, at), ...section, ...lines.slice(at)] : [...lines, '', ...section];
  }
  writeFileSync(file, body.join('\n'));
}

/** The checkouts `--against DIR` names (the option may be given more than once). */
function againstArg(): string[] {
  return process.argv.flatMap((a, i) => (process.argv[i - 1] === '--against' ? [a] : []));
}

function paragraphsOnly(): void {
  const against = againstArg();
  const section: string[] = [];
  paragraphSection((s = '') => {
    section.push(s);
    console.log(s);
  }, against);
  if (process.argv.includes('--write')) {
    const file = join(ROOT, 'test', 'bench', 'RESULTS.md');
    section.push(`Recorded by \`npm run bench -- --paragraphs-only${against.length ? ' --against DIR'.repeat(against.length) : ''} --write\` (each DIR a built checkout of the commit named).`, '');
    writeParagraphSection(file, section);
    console.log(`wrote the paragraph section of ${file}`);
  }
}

function main(): void {
  const write = process.argv.includes('--write');
  const work = mkdtempSync(join(tmpdir(), 'quire-bench-'));
  const corpus = join(work, 'corpus');
  mkdirSync(corpus);
  let words = 0;
  SIZES.forEach((size, i) => {
    const series = i % 4 === 0 ? undefined : { name: `Bench Series ${1 + (i % 3)}`, part: 1 + Math.floor(i / 3) };
    const w = flatScrape(size, 100 + i, series);
    const name = `work-${String(i + 1).padStart(2, '0')}`;
    writeFileSync(join(corpus, `${name}.txt`), w.text);
    writeFileSync(join(corpus, `${name}.yaml`), `title: Bench Work ${i + 1}\nauthor: Bench Writer\n`);
    words += w.words;
  });
  const lines: string[] = [];
  const out = (s = '') => {
    lines.push(s);
    console.log(s);
  };
  out(`# Quire benchmark`);
  out();
  out(`Machine: ${cpus().length} × ${cpus()[0]?.model.trim() ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}. Corpus: ${SIZES.length} generated works, ${words.toLocaleString('en-US')} words (flattened scrapes with notes and series trailers). Load average at the start: ${loadavg().map((l) => l.toFixed(1)).join(', ')} (the machine may be shared: numbers from one run compare; runs under different loads do not).`);
  out();

  // — Batches (every book rebuilt: --force).
  const outDir = join(work, 'out');
  // One book per work, as pandoc makes (the omnibus run is reported on its own).
  // Each batch is the median of RUNS, so one noisy run on a shared machine does not decide a ratio.
  // Each a first build (a fresh output folder: every cover drawn, every book's print pages set)…
  const epub = medianRun(() => quire(['build', corpus, '-o', outDir, '-f', 'epub', '--force', '--series', 'parts'], outDir));
  const pdf = medianRun(() => quire(['build', corpus, '-o', outDir, '-f', 'pdf', '--force', '--series', 'parts'], outDir));
  const both = medianRun(() => quire(['build', corpus, '-o', outDir, '-f', 'epub,pdf', '--force', '--series', 'parts'], outDir));
  // …and a rebuild of every book with --force, which reuses the covers and page maps the first build kept.
  const rebuilt = medianRun(() => quire(['build', corpus, '-o', outDir, '-f', 'epub', '--force', '--series', 'parts']));
  const incremental = medianRun(() => quire(['build', corpus, '-o', outDir, '-f', 'epub,pdf', '--series', 'parts']));
  const omnibus = quire(['build', corpus, '-o', join(work, 'out-all'), '-f', 'epub,pdf', '--force']);
  const pdfPages = readdirSync(outDir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.pdf'))
    .reduce((n, f) => n + Number(/\/Type \/Pages[^]*?\/Count (\d+)/.exec(readFileSync(join(outDir, f)).toString('latin1'))?.[1] ?? 0), 0);
  out(`## Batch (16 works of 1k–100k words, one command; Quire: median of ${RUNS} runs, pandoc: of ${TOOL_RUNS}, calibre: one run)`);
  out();
  out('| run | seconds | words/s | peak RSS (MiB) |');
  out('| --- | ---: | ---: | ---: |');
  out(`| Quire EPUB | ${fmt(epub.seconds)} | ${kwps(words, epub.seconds)} | ${fmt(epub.rssMiB, 0)} |`);
  out(`| Quire PDF (${pdfPages} pages) | ${fmt(pdf.seconds)} | ${kwps(words, pdf.seconds)} | ${fmt(pdf.rssMiB, 0)} |`);
  out(`| Quire EPUB + PDF | ${fmt(both.seconds)} | ${kwps(words, both.seconds)} | ${fmt(both.rssMiB, 0)} |`);
  out(`| Quire EPUB, every book rebuilt (--force; covers and page maps kept) | ${fmt(rebuilt.seconds)} | ${kwps(words, rebuilt.seconds)} | ${fmt(rebuilt.rssMiB, 0)} |`);
  out(`| Quire, nothing changed (incremental) | ${fmt(incremental.seconds)} | | ${fmt(incremental.rssMiB, 0)} |`);
  out(`| Quire EPUB + PDF with series omnibuses too | ${fmt(omnibus.seconds)} | | ${fmt(omnibus.rssMiB, 0)} |`);

  const tools = otherTools(work, corpus, words);
  out(tools.rows.join('\n'));
  out();
  out(`- Quire EPUB vs pandoc EPUB: **${fmt(tools.pandoc / epub.seconds, 1)}×** faster (target ≥ 10×); rebuilt with covers kept: **${fmt(tools.pandoc / rebuilt.seconds, 1)}×**.`);
  out(`- Quire EPUB + PDF vs pandoc EPUB alone: **${fmt(tools.pandoc / both.seconds, 1)}×** faster (target ≥ 1.5×).`);
  out(`- Quire EPUB vs calibre EPUB: **${fmt(tools.calibreEpub / epub.seconds, 1)}×** faster; Quire PDF vs calibre PDF: **${fmt(tools.calibrePdf / pdf.seconds, 1)}×** faster.`);
  if (!Number.isFinite(tools.pandoc)) out('- (n/a: pandoc is not installed here.)');
  if (!Number.isFinite(tools.calibreEpub)) out('- (n/a for calibre: ebook-convert is not installed here, or failed.)');
  out();

  // — Many short works: the same comparisons on 78 single-chapter scrapes.
  const shortDir = join(work, 'short');
  mkdirSync(shortDir);
  let shortWords = 0;
  for (const w of shortWorks(78, 15)) {
    writeFileSync(join(shortDir, w.file), w.text);
    shortWords += w.words;
  }
  const shortOut = join(work, 'short-out');
  const sEpub = medianRun(() => quire(['build', shortDir, '-o', shortOut, '-f', 'epub', '--force', '--series', 'parts'], shortOut));
  const sBoth = medianRun(() => quire(['build', shortDir, '-o', shortOut, '-f', 'epub,pdf', '--force', '--series', 'parts'], shortOut));
  const sRebuilt = medianRun(() => quire(['build', shortDir, '-o', shortOut, '-f', 'epub', '--force', '--series', 'parts']));
  out(`## Many short works (78 single-chapter scrapes, ${shortWords.toLocaleString('en-US')} words; Quire: median of ${RUNS} runs, pandoc: of ${TOOL_RUNS}, calibre: one run)`);
  out();
  out('| run | seconds | words/s | peak RSS (MiB) |');
  out('| --- | ---: | ---: | ---: |');
  out(`| Quire EPUB | ${fmt(sEpub.seconds)} | ${kwps(shortWords, sEpub.seconds)} | ${fmt(sEpub.rssMiB, 0)} |`);
  out(`| Quire EPUB + PDF | ${fmt(sBoth.seconds)} | ${kwps(shortWords, sBoth.seconds)} | ${fmt(sBoth.rssMiB, 0)} |`);
  out(`| Quire EPUB, every book rebuilt (--force; covers and page maps kept) | ${fmt(sRebuilt.seconds)} | ${kwps(shortWords, sRebuilt.seconds)} | ${fmt(sRebuilt.rssMiB, 0)} |`);
  // calibre's PDF output is compared on the first corpus only: on 78 books it alone takes minutes.
  const sTools = otherTools(work, shortDir, shortWords, false);
  out(sTools.rows.join('\n'));
  out();
  out(`- Quire EPUB vs pandoc EPUB: **${fmt(sTools.pandoc / sEpub.seconds, 1)}×** faster (target ≥ 10×); rebuilt with covers kept: **${fmt(sTools.pandoc / sRebuilt.seconds, 1)}×**.`);
  out(`- Quire EPUB + PDF vs pandoc EPUB alone: **${fmt(sTools.pandoc / sBoth.seconds, 1)}×** faster (target ≥ 1.5×).`);
  out(`- Quire EPUB vs calibre EPUB: **${fmt(sTools.calibreEpub / sEpub.seconds, 1)}×** faster.`);
  out();

  // — One small work from a cold start.
  const small = join(work, 'small');
  mkdirSync(small);
  writeFileSync(join(small, 'small.txt'), flatScrape(1000, 7).text);
  const smallOut = join(work, 'small-out');
  const cold = Array.from({ length: 9 }, () => quire(['build', join(small, 'small.txt'), '-o', smallOut, '--force'], smallOut).seconds);
  const coldEpub = Array.from({ length: 9 }, () => quire(['build', join(small, 'small.txt'), '-o', smallOut, '-f', 'epub', '--force'], smallOut).seconds);
  out('## One small work (1,000 words), cold start, median of 9');
  out();
  out(`- EPUB only: ${fmt(median(coldEpub))} s (target ≤ 0.15 s); EPUB + PDF: ${fmt(median(cold))} s (target ≤ 0.35 s).`);
  out();

  // — Single large works to PDF: time, memory, scaling.
  const sizes = [250_000, 1_000_000];
  const runs: Run[] = [];
  for (const n of sizes) {
    const dir = join(work, `single-${n}`);
    mkdirSync(dir);
    writeFileSync(join(dir, 'big.txt'), flatScrape(n, 31).text);
    writeFileSync(join(dir, 'big.yaml'), `title: Single ${n}\nauthor: Bench Writer\n`);
    runs.push(quire(['build', dir, '-o', join(work, `single-out-${n}`), '-f', 'pdf', '--force']));
  }
  const [r250, r1m] = runs as [Run, Run];
  out('## One large work to PDF');
  out();
  out('| words | seconds | words/s | peak RSS (MiB) |');
  out('| ---: | ---: | ---: | ---: |');
  out(`| 250,000 | ${fmt(r250.seconds)} | ${kwps(250_000, r250.seconds)} | ${fmt(r250.rssMiB, 0)} |`);
  out(`| 1,000,000 | ${fmt(r1m.seconds)} | ${kwps(1_000_000, r1m.seconds)} | ${fmt(r1m.rssMiB, 0)} |`);
  out();
  out(`- 1M words took **${fmt(r1m.seconds / r250.seconds)}×** the time of 250k (target ≤ 4.6×, i.e. ${fmt(r1m.seconds / (4 * r250.seconds))}× linear); peak RSS ${fmt(r1m.rssMiB, 0)} MiB (target ≤ 1024).`);
  out();
  paragraphSection(out, againstArg());
  rmSync(work, { recursive: true, force: true });
  if (write) {
    const file = join(ROOT, 'test', 'bench', 'RESULTS.md');
    writeFileSync(file, lines.join('\n') + '\n\nRecorded by `npm run bench -- --write`.\n');
    console.log(`\nwrote ${file}`);
  }
}

try {
  execFileSync(process.execPath, ['--version']);
  if (process.argv.includes('--paragraphs-only')) paragraphsOnly();
  else main();
} catch (err) {
  console.error(`bench: ${err instanceof Error ? err.message : String(err)}`);
  process.exitCode = 1;
}
