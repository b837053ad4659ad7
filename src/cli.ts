#!/usr/bin/env node
import { join } from 'node:path';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { build, loadStyles, readAll, type BookEvent, type Format, type SeriesMode } from './compile.js';
import { compactRanges, groupSeries } from './series.js';
import { prepareOutDir, removeEmptyOutDir, removeInFlight, stopWriting } from './write/output.js';
import { parsePageSize } from './page-size.js';
import { pageGeometry } from './write/pdf/page.js';
import { diagnosticLines, type Diagnostic } from './diagnostics.js';
import { SKIPPABLE } from './normalize/index.js';
import { authorList } from './write/plan.js';
import { VERSION } from './version.js';
import { CONFIG_FILES, loadConfig, metadataArgs } from './config.js';
import { parseMetadataInput } from './read/metadata-input.js';
import { NOTES_MODES, type NotesMode } from './write/notes.js';
import { FORMATS, isFormat } from './write/render.js';
import { FLIPS, SCHEMES, schemeSpec, type Flip, type Scheme } from './write/impose/layout.js';
import { cellSize, parsePaper, PRINT_DEFAULTS, type PrintOptions } from './write/impose/print.js';

/** CLI wiring only: parse arguments, call compile.ts, print what it reports. */

const EXIT_OK = 0;
const EXIT_FAILED = 1;
const EXIT_USAGE = 2;

function parseFormats(value: string): Format[] {
  const list = value
    .split(',')
    .map((s) => s.trim().toLowerCase())
    .filter(Boolean);
  if (!list.length) throw new InvalidArgumentError(`give one or more of ${FORMATS.join(', ')}, separated by commas`);
  for (const f of list) if (!isFormat(f)) throw new InvalidArgumentError(`unknown format '${f}' (one or more of ${FORMATS.join(', ')}, separated by commas)`);
  return [...new Set(list)] as Format[];
}

function parseSkip(value: string): Set<string> {
  const list = value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  for (const id of list) if (!SKIPPABLE.includes(id)) throw new InvalidArgumentError(`unknown rule '${id}' (one of: ${SKIPPABLE.join(', ')})`);
  return new Set(list);
}

/** A whole number from `min` to `max`, for option values. */
function wholeNumber(min: number, max: number): (value: string) => number {
  return (value) => {
    if (!/^\d+$/.test(value.trim()) || Number(value) < min || Number(value) > max) throw new InvalidArgumentError(`give a whole number from ${min} to ${max}`);
    return Number(value);
  };
}

/** A length or count that may have decimals, from `min` to `max`. */
function decimal(min: number, max: number): (value: string) => number {
  return (value) => {
    const v = value.trim().replace(/\s*mm$/i, '');
    if (!/^\d+(?:\.\d+)?$/.test(v) || Number(v) < min || Number(v) > max) throw new InvalidArgumentError(`give a number from ${min} to ${max}`);
    return Number(v);
  };
}

function paperOption(value: string): string {
  try {
    parsePaper(value);
  } catch (err) {
    throw new InvalidArgumentError((err as Error).message);
  }
  return value;
}

/** Sheets per signature when --sheets is not given: 16-page signatures whatever the scheme. */
const defaultSheets = (scheme: Scheme) => Math.max(1, 16 / schemeSpec(scheme).pagesPerSheet);

function parseJobs(value: string): number {
  if (!/^\d+$/.test(value) || Number(value) < 1 || Number(value) > 256) throw new InvalidArgumentError('give a whole number from 1 to 256');
  return Number(value);
}

/** Progress: a bar on a terminal, `wrote …` lines otherwise, nothing with --quiet. */
function createProgress(mode: 'bar' | 'lines' | 'quiet', out: string) {
  let total = 0;
  let done = 0;
  const draw = (current: string) => {
    const width = 24;
    const filled = total ? Math.round((done / total) * width) : width;
    const text = `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${done}/${total} ${current}`;
    process.stderr.write(`\r\x1b[K${text.slice(0, (process.stderr.columns || 80) - 1)}`);
  };
  let current = '';
  return {
    /** Reading the story files, before the books are known. */
    read: (n: number, of: number, file: string) => {
      if (mode === 'bar') process.stderr.write(`\r\x1b[K${`reading ${n}/${of} ${file}`.slice(0, (process.stderr.columns || 80) - 1)}`);
    },
    start: (n: number) => {
      total = n;
      if (mode === 'bar') draw('');
    },
    active: (what: string) => {
      current = what;
      if (mode === 'bar') draw(current);
    },
    book: (e: BookEvent) => {
      done++;
      if (mode === 'bar') draw(current || e.title);
      else if (mode === 'lines' && e.status === 'built') process.stdout.write(`wrote ${join(out, e.name)}\n`);
    },
    end: () => {
      if (mode === 'bar') process.stderr.write('\r\x1b[K');
    },
  };
}

function sourceDateEpoch(): number | undefined {
  const raw = process.env.SOURCE_DATE_EPOCH;
  if (raw === undefined || raw === '') return undefined;
  if (!/^\d+$/.test(raw)) {
    process.stderr.write(`quire: warning: SOURCE_DATE_EPOCH '${raw}' is not a whole number of seconds; ignored it\n`);
    return undefined;
  }
  return Number(raw);
}

/**
 * Print diagnostics like a compiler, one line each; a warning many files
 * share is one line with a count, unless --verbose (which also shows notes).
 */
function printDiagnostics(diagnostics: readonly Diagnostic[], quiet: boolean, verbose: boolean): void {
  const shown = diagnostics.filter((d) => (quiet ? d.severity === 'error' : d.severity !== 'info' || verbose));
  const { lines, summarized } = diagnosticLines(shown, verbose);
  for (const line of lines) process.stderr.write(line + '\n');
  if (summarized) process.stderr.write(`quire: note: warnings shared by many files are shown once with a count; --verbose lists every one\n`);
}

/** --verbose, or QUIRE_VERBOSE=1 in the environment. */
const isVerbose = (opts: { verbose?: boolean }) => !!opts.verbose || !!process.env.QUIRE_VERBOSE;

/** A usage error: one line, exit status 2. */
function usageError(message: string): void {
  process.stderr.write(`quire: error: ${message}\n`);
  process.exitCode = EXIT_USAGE;
}

function count(diagnostics: readonly Diagnostic[], severity: Diagnostic['severity']): number {
  return diagnostics.filter((d) => d.severity === severity).length;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

interface BuildCliOptions {
  out: string;
  format: Format[];
  force: boolean;
  quiet: boolean;
  verbose: boolean;
  skip?: Set<string>;
  pageSize: string;
  coverPage: boolean;
  pageList: boolean;
  series: SeriesMode;
  jobs?: number;
  notes: NotesMode;
  pdfNotes?: NotesMode;
  css: string[];
  pdfTheme?: string;
  metadata: string[];
  config?: string;
  impose?: Scheme;
  sheets?: number;
  paper: string;
  creep: number;
  flyleaves: number;
  marks: boolean;
  flip: Flip;
  paperCaliper: number;
  pagesPerInch?: number;
  bleed: number;
  testSheet: boolean;
  volumes?: number;
}

/** What binders asked for, as the writers take it; undefined when nothing of it was. */
function printOptions(opts: BuildCliOptions): PrintOptions {
  const scheme = opts.impose ?? PRINT_DEFAULTS.impose.scheme;
  return {
    imposing: !!opts.impose || opts.format.includes('imposed'),
    impose: { scheme, sheets: opts.sheets ?? defaultSheets(scheme), flyleaves: opts.flyleaves, flip: opts.flip },
    paper: parsePaper(opts.paper),
    creep: opts.creep,
    marks: opts.marks,
    caliper: opts.paperCaliper,
    ...(opts.pagesPerInch ? { pagesPerInch: opts.pagesPerInch } : {}),
    bleed: opts.bleed,
  };
}

/** A binder's summary (and the test sheet's), under the file's name. */
function printSummaries(report: Awaited<ReturnType<typeof build>>, out: string): void {
  for (const b of report.books) {
    if (!b.summary || b.status === 'failed') continue;
    process.stdout.write(`${join(out, b.name)}:\n${b.summary.map((l) => `  ${l}\n`).join('')}`);
  }
  for (const e of report.extras) process.stdout.write(`${join(out, e.name)}:\n${e.summary.map((l) => `  ${l}\n`).join('')}`);
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/**
 * Fill the options the command line did not give from the defaults file
 * (`--config`, or quire.yaml here), each through its own parser as if typed:
 * a bad value is one usage error naming the file.
 */
function applyConfig(cmd: Command, explicit: string | undefined) {
  const names = cmd.options.map((o) => o.long?.replace(/^--/, '')).filter((n): n is string => !!n && n !== 'config');
  const config = loadConfig(explicit, names);
  for (const [name, value] of Object.entries(config.options)) {
    const opt = cmd.options.find((o) => o.long === `--${name}`)!;
    const key = opt.attributeName();
    if (cmd.getOptionValueSource(key) === 'cli') continue;
    try {
      let v: unknown;
      // A switch; `no-page-list: true` switches the page list off.
      if (!opt.required && !opt.optional) v = (value === true || value === 'true' || value === 'yes') !== opt.negate;
      else {
        const values = Array.isArray(value) ? value.map(String) : [String(value)];
        const text = values.join(',');
        if (opt.argChoices && !opt.argChoices.includes(text)) throw new InvalidArgumentError(`allowed choices are ${opt.argChoices.join(', ')}`);
        if (opt.parseArg === collect) v = values;
        else v = opt.parseArg ? opt.parseArg(text, undefined) : text;
      }
      cmd.setOptionValueWithSource(key, v, 'config');
    } catch (err) {
      throw new Error(`${config.file}: option '${name}' in the config file: ${(err as Error).message}`);
    }
  }
  return config;
}

/** `-M` over a config's `metadata:`, checked like front matter (unknown keys get a suggestion). */
function buildMetadata(fromConfig: Record<string, unknown> | undefined, args: readonly string[]) {
  const raw = { ...(fromConfig ?? {}), ...metadataArgs(args) };
  if (!Object.keys(raw).length) return { diagnostics: [] as Diagnostic[] };
  const parsed = parseMetadataInput(raw, '-M');
  return { input: parsed.input, diagnostics: parsed.diagnostics };
}

const program = new Command();
program
  .name('quire')
  .description('Compile stories (AO3 scrapes, text, Markdown) into EPUB and PDF books.')
  .version(VERSION)
  .option('--debug', 'show stack traces for internal errors')
  .exitOverride()
  .configureOutput({ writeErr: (s) => process.stderr.write(s) });

program
  .command('build')
  .description('build every work found in the given files and folders into books')
  .argument('[paths...]', 'story files or folders', ['works'])
  .option('-o, --out <dir>', 'output folder', 'out')
  .addOption(new Option('-f, --format <list>', `formats, comma-separated: ${FORMATS.join(', ')}`).default(['epub', 'pdf'], 'epub,pdf').argParser(parseFormats))
  .option('--force', 'rebuild every book even when its inputs are unchanged', false)
  .option('--page-size <size>', 'PDF page: a4, letter, a5, 6x9, 5x8, ereader, or WxH with a unit (6x9in, 148x210mm; a bare WxH is mm); the EPUB\'s page list follows it', 'a5')
  .option('--cover-page', 'open the PDF with the book\'s cover on a page of its own (off: for print)', false)
  .option('--no-page-list', 'EPUBs without the PDF\'s page numbers (saves setting the book in pages when no PDF is built)')
  .option('--skip <ids>', `switch off normalize passes or typography rules (comma-separated: ${SKIPPABLE.join(', ')})`, parseSkip)
  .addOption(new Option('--series <mode>', 'for series: each part, the omnibus, or both').choices(['parts', 'omnibus', 'both']).default('both'))
  .option('-j, --jobs <n>', 'worker threads normalizing works and writing books (default: cores - 1)', parseJobs)
  .option('-q, --quiet', 'print only errors', false)
  .option('--verbose', 'list every warning (not one line per kind) and show notes', false)
  .addOption(new Option('--notes <mode>', 'authors\' notes: where the source put them, all at the end of each work as endnotes, or none').choices(NOTES_MODES).default('keep'))
  .addOption(new Option('--pdf-notes <mode>', 'authors\' notes in the PDF, when it should differ from --notes').choices(NOTES_MODES))
  .option('--css <file>', 'append a stylesheet to every EPUB\'s (repeatable)', collect, [] as string[])
  .option('--pdf-theme <file>', 'a PDF theme (JSON or YAML) whose keys override styles/pdf-theme.json: fonts by path, sizes, leading, margins')
  .option('-M, --metadata <key=value>', 'set metadata for every work of this build, over what the files say (repeatable): -M title="A Title" -M author=someone', collect, [] as string[])
  .option('--config <file>', `defaults for these options (default: ${CONFIG_FILES[0]} in this folder)`)
  .addOption(new Option('--impose <scheme>', 'also write NAME.imposed.pdf (the PDF on printer\'s sheets, in signatures, for duplex printing) and NAME.cover.pdf (a wrap cover)').choices(SCHEMES))
  .option('--sheets <n>', 'sheets per signature, at most (default: 16-page signatures: 4 folio, 2 quarto, 1 octavo sheets)', wholeNumber(1, 64))
  .option('--paper <size>', 'paper the imposed sheets are printed on: a4, letter, a3, tabloid, legal, or WxH with a unit (8.5x11in)', paperOption, 'a4')
  .addOption(new Option('--flip <edge>', 'the edge your printer turns the paper on for duplex printing').choices(FLIPS).default('short'))
  .option('--creep <mm>', 'creep compensation: move each inner sheet\'s pages this many mm nearer the fold', decimal(0, 5), 0)
  .option('--flyleaves <n>', 'blank leaves before and after the book, in the imposed sheets', wholeNumber(0, 20), 0)
  .option('--marks', 'crop, fold and sewing marks and signature numbers on the imposed sheets; crop and spine marks on the cover', false)
  .option('--paper-caliper <mm>', 'thickness of one leaf of the paper, for the spine\'s width', decimal(0.02, 1), 0.1)
  .option('--pages-per-inch <n>', 'the paper\'s pages per inch (PPI), instead of --paper-caliper', wholeNumber(50, 2000))
  .option('--bleed <mm>', 'bleed around the wrap cover', decimal(0, 25), 3)
  .option('--test-sheet', 'also write test-sheet.pdf: one duplex sheet that shows which way your printer flips the paper', false)
  .option('--volumes <words>', 'split books longer than this many words into volumes (Vol. 1 of 3, …) at part or chapter boundaries', wholeNumber(1000, 100_000_000))
  .action(async (paths: string[], opts: BuildCliOptions, cmd: Command) => {
    const started = process.hrtime.bigint();
    let config: ReturnType<typeof applyConfig>;
    try {
      config = applyConfig(cmd, opts.config);
    } catch (err) {
      return usageError((err as Error).message);
    }
    let styles: Awaited<ReturnType<typeof loadStyles>>;
    let metadata: ReturnType<typeof buildMetadata>;
    try {
      styles = await loadStyles(undefined, { css: opts.css, ...(opts.pdfTheme ? { theme: opts.pdfTheme } : {}) });
      metadata = buildMetadata(config.metadata, opts.metadata);
    } catch (err) {
      return usageError((err as Error).message);
    }
    let pageSize: string;
    const print = printOptions(opts);
    // Imposing without a page size given: the book is set at the size of a cell of the sheet (A5 for folio on A4).
    if (print.imposing && cmd.getOptionValueSource('pageSize') === 'default') {
      const cell = cellSize(print);
      opts.pageSize = `${Math.floor(cell.width * 100) / 100}x${Math.floor(cell.height * 100) / 100}mm`;
    }
    try {
      pageSize = parsePageSize(opts.pageSize, styles.theme.pageSizes);
      pageGeometry(styles.theme, pageSize);
    } catch (err) {
      return usageError((err as Error).message);
    }
    // The output folder is checked (and made) before any work: one clear error, not one per book.
    let outDir: { created?: string };
    try {
      outDir = await prepareOutDir(opts.out);
    } catch (err) {
      return usageError((err as Error).message);
    }
    const epoch = sourceDateEpoch();
    const progress = createProgress(opts.quiet ? 'quiet' : process.stderr.isTTY ? 'bar' : 'lines', opts.out);
    const report = await build({
      paths,
      outDir: opts.out,
      formats: opts.impose ? [...new Set([...opts.format, 'pdf', 'imposed', 'cover'] as Format[])] : opts.format,
      force: opts.force,
      print,
      ...(opts.testSheet ? { testSheet: true } : {}),
      ...(opts.volumes ? { volumes: opts.volumes } : {}),
      styles,
      ...(opts.skip ? { skip: opts.skip } : {}),
      pageSize,
      ...(opts.coverPage ? { coverPage: true } : {}),
      ...(opts.pageList === false ? { noPageList: true } : {}),
      series: opts.series,
      notes: opts.notes,
      ...(opts.pdfNotes ? { formatNotes: { pdf: opts.pdfNotes } } : {}),
      ...(metadata.input ? { metadata: metadata.input } : {}),
      ...(opts.jobs ? { jobs: opts.jobs } : {}),
      ...(epoch === undefined ? {} : { sourceDateEpoch: epoch }),
      onRead: progress.read,
      onStart: progress.start,
      onActive: progress.active,
      onBook: progress.book,
    });
    progress.end();
    // A build that found nothing to build leaves no empty output folder behind.
    if (outDir.created && !report.works) await removeEmptyOutDir(opts.out, outDir.created);
    const diagnostics = [...config.diagnostics, ...styles.diagnostics, ...metadata.diagnostics, ...report.diagnostics];
    printDiagnostics(diagnostics, opts.quiet, isVerbose(opts));
    if (!opts.quiet) printSummaries(report, opts.out);
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const built = report.books.filter((b) => b.status === 'built').length;
    const skipped = report.books.filter((b) => b.status === 'skipped').length;
    if (!opts.quiet) {
      process.stdout.write(
        `${plural(report.works, 'work')}: ${plural(built, 'book')} written, ${skipped} unchanged, ` +
          `${plural(count(diagnostics, 'warning'), 'warning')}, ${plural(count(diagnostics, 'error'), 'error')} ` +
          `in ${seconds.toFixed(2)} s\n`,
      );
    }
    process.exitCode = report.failed.length ? EXIT_FAILED : EXIT_OK;
  });

program
  .command('list')
  .description('list the works found, with their titles, authors, series and problems')
  .argument('[paths...]', 'story files or folders', ['works'])
  .option('--skip <ids>', 'switch off normalize passes or typography rules, as for build', parseSkip)
  .option('--verbose', 'list every warning (not one line per kind) and show notes', false)
  .action(async (paths: string[], opts: { skip?: Set<string>; verbose: boolean }) => {
    const read = await readAll(paths, opts.skip);
    const grouped = groupSeries(
      read.works.map((w) => w.work),
      read.seriesInfo,
    );
    const line = (work: (typeof read.works)[number]['work']) => {
      const m = work.metadata;
      const by = m.authors.length ? ` by ${authorList(m.authors)}` : '';
      const series = m.series.map((s) => `${s.name} #${s.part}`).join('; ');
      const chapters = plural(work.chapters.length, 'chapter');
      return `${work.source}: "${m.title}"${by}${series ? ` [${series}]` : ''} (${chapters}, ${plural(m.wordCount, 'word')})`;
    };
    for (const { work } of read.works) process.stdout.write(line(work) + '\n');
    for (const s of grouped.series) {
      const title = s.info?.title && s.info.title !== s.name ? ` — ${s.info.title}` : '';
      process.stdout.write(`\nseries "${s.name}"${title}: ${plural(s.parts.length, 'part')}${s.missing.length ? `, missing ${compactRanges(s.missing)}` : ''}\n`);
      const rows = [
        ...s.parts.map((p) => ({ n: p.part, text: `${p.work.metadata.title} (${p.work.source})` })),
        ...s.missing.map((n) => ({ n, text: '(missing)' })),
      ].sort((a, b) => a.n - b.n);
      for (const row of rows) process.stdout.write(`  ${String(row.n).padStart(3)}. ${row.text}\n`);
    }
    printDiagnostics([...read.diagnostics, ...grouped.diagnostics], false, isVerbose(opts));
    process.exitCode = read.failed.length ? EXIT_FAILED : EXIT_OK;
  });

program
  .command('check')
  .description('check EPUB files against what Send-to-Kindle, Kobo, Apple Books and KOReader need (any EPUB, not only Quire\'s)')
  .argument('<files...>', 'EPUB files (.epub, .kepub.epub)')
  .option('--verbose', 'list every warning (not one line per kind) and show notes', false)
  .action(async (files: string[], opts: { verbose: boolean }) => {
    const { checkEpubFile, DEVICE_RULES } = await import('./check/index.js');
    const diagnostics: Diagnostic[] = [];
    for (const file of files) diagnostics.push(...(await checkEpubFile(file)));
    printDiagnostics(diagnostics, false, isVerbose(opts));
    const errors = count(diagnostics, 'error');
    process.stdout.write(`${plural(files.length, 'book')} checked against ${DEVICE_RULES.length} device rules: ${plural(errors, 'error')}, ${plural(count(diagnostics, 'warning'), 'warning')}\n`);
    process.exitCode = errors ? EXIT_FAILED : EXIT_OK;
  });

/** On an interrupt, let writes in progress give up, remove their temporary files and stop; complete books stay. */
function handleSignals(): void {
  let stopping = false;
  for (const [signal, code] of [
    ['SIGINT', 130],
    ['SIGTERM', 143],
    ['SIGHUP', 129],
  ] as const) {
    process.on(signal, () => {
      // A second signal while stopping: stop now.
      if (stopping) {
        removeInFlight();
        process.exit(code);
      }
      stopping = true;
      void stopWriting().then(() => {
        process.stderr.write(`\nquire: interrupted (${signal}); books already written are complete\n`);
        process.exit(code);
      });
    });
  }
}

async function main(): Promise<void> {
  handleSignals();
  // A reader that stops early (`quire list | head`) closes the pipe: stop quietly, as other tools do.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'EPIPE') process.exit(process.exitCode ?? EXIT_OK);
      throw err;
    });
  }
  try {
    await program.parseAsync(process.argv);
  } catch (err) {
    if (err instanceof CommanderError) {
      // Help and version are not errors; everything else commander rejects is a usage error.
      if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.code === 'commander.help') {
        process.exitCode = EXIT_OK;
      } else process.exitCode = err.exitCode === 0 ? EXIT_OK : EXIT_USAGE;
      return;
    }
    const debug = process.argv.includes('--debug');
    const message = err instanceof Error ? err.message.split('\n')[0] : String(err);
    process.stderr.write(`quire: error: ${message}\n`);
    if (debug && err instanceof Error && err.stack) process.stderr.write(err.stack + '\n');
    process.exitCode = EXIT_FAILED;
  }
}

await main();
