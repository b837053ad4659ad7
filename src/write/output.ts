import { lstat, mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import { dirname, join, relative, resolve, sep } from 'node:path';

/**
 * Resolve `name` inside `outDir`, refusing anything that would land outside
 * it (`..`, absolute names) — output names are slugs, so this is a guard.
 */
export function outputPath(outDir: string, name: string): string {
  const root = resolve(outDir);
  const target = resolve(root, name);
  const rel = relative(root, target);
  if (!rel || rel.startsWith('..') || rel.split(sep).includes('..')) {
    throw new Error(`refusing to write outside the output folder: ${name}`);
  }
  return target;
}

/**
 * Write a file atomically: a temp file beside it, flushed, then renamed over
 * the target. An interrupted build leaves the old book or the new one, never
 * half of one. A symlink at the target is replaced, not followed.
 */
export async function writeAtomic(path: string, data: Uint8Array | string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const tmp = join(dirname(path), `.quire-tmp-${process.pid}-${Math.random().toString(36).slice(2)}`);
  let handle;
  try {
    handle = await open(tmp, 'wx', 0o644);
    await handle.writeFile(data);
    await handle.sync();
    await handle.close();
    handle = undefined;
    try {
      const info = await lstat(path);
      if (info.isSymbolicLink()) await rm(path);
    } catch {
      // no existing file
    }
    await rename(tmp, path);
  } catch (err) {
    await handle?.close().catch(() => {});
    await rm(tmp, { force: true }).catch(() => {});
    throw err;
  }
}

/** Read a JSON file, or undefined when it is missing or unreadable. */
export async function readJson(path: string): Promise<unknown> {
  try {
    return JSON.parse(await readFile(path, 'utf8'));
  } catch {
    return undefined;
  }
}
