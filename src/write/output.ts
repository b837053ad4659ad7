import { closeSync, fsync, lstatSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { access, constants, lstat, mkdir, open, readdir, readFile, rename, rm, rmdir, stat } from 'node:fs/promises';
import { promisify } from 'node:util';
import { dirname, join, relative, resolve, sep } from 'node:path';

/** Prefix of Quire's temporary files; anything so named in the output folder is Quire's own. */
export const TEMP_PREFIX = '.quire-tmp-';

/** Temporary files being written right now, removed if the process is interrupted. */
const inFlight = new Set<string>();

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
 * Create the folders between `outDir` and `path`, refusing to go through a
 * symbolic link: a link planted in the output folder never carries a book
 * out of it.
 */
async function ensureFolders(outDir: string, path: string): Promise<void> {
  const root = resolve(outDir);
  await makeFolders(root);
  const parts = relative(root, dirname(path)).split(sep).filter(Boolean);
  let dir = root;
  for (const part of parts) {
    dir = join(dir, part);
    let info;
    try {
      info = await lstat(dir);
    } catch {
      // Another book of the batch may create it at the same moment.
      await mkdir(dir).catch((err: NodeJS.ErrnoException) => {
        if (err.code !== 'EEXIST') throw err;
      });
      info = await lstat(dir);
    }
    checkFolder(dir, info);
  }
}

/**
 * Create `dir` and any missing parents, one level at a time; returns the
 * first folder it created. (Node's `mkdir(…, { recursive: true })` loops
 * forever where a file system answers ENOENT for the folder itself, as
 * /proc does: `-o /proc/x` hung at 100 % CPU.)
 */
async function makeFolders(dir: string): Promise<string | undefined> {
  const missing: string[] = [];
  for (let d = resolve(dir); ; d = dirname(d)) {
    try {
      await stat(d);
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT' || dirname(d) === d) throw err;
      missing.unshift(d);
    }
  }
  for (const d of missing) {
    await mkdir(d).catch((err: NodeJS.ErrnoException) => {
      if (err.code !== 'EEXIST') throw err;
    });
  }
  return missing[0];
}

/** Why a folder cannot be used, in words. */
function folderProblem(err: unknown): string {
  const code = (err as NodeJS.ErrnoException)?.code;
  switch (code) {
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EROFS':
      return 'the file system is read-only';
    case 'ENOTDIR':
      return 'part of the path is a file';
    case 'ENOSPC':
      return 'the disk is full';
    case 'ENOENT':
      return 'the file system does not allow a folder there';
    default:
      return code ?? (err instanceof Error ? err.message : String(err));
  }
}

/**
 * Make sure `outDir` is a folder Quire can write in, creating it when
 * missing; throws one clear sentence when it cannot be (an existing file, a
 * read-only or virtual file system, no permission). Returns the first folder
 * it created, so a build that writes nothing can take it away again.
 */
export async function prepareOutDir(outDir: string): Promise<{ created?: string }> {
  let info;
  try {
    info = await stat(outDir);
  } catch {
    info = undefined;
  }
  if (info && !info.isDirectory()) throw new Error(`the output folder ${outDir} is a file, not a folder (give -o a folder)`);
  let created: string | undefined;
  try {
    if (!info) created = await makeFolders(outDir);
    await access(outDir, constants.W_OK | constants.X_OK);
  } catch (err) {
    throw new Error(`cannot ${info ? 'write in' : 'create'} the output folder ${outDir}: ${folderProblem(err)}`);
  }
  return created ? { created } : {};
}

/** Remove folders prepareOutDir created, from `outDir` up to `created`, if they are still empty. */
export async function removeEmptyOutDir(outDir: string, created: string): Promise<void> {
  for (let d = resolve(outDir); ; d = dirname(d)) {
    try {
      await rmdir(d);
    } catch {
      return;
    }
    if (d === resolve(created) || dirname(d) === d) return;
  }
}

/** Set once the process is stopping: a write in progress gives up (its temporary file removed) rather than finish. */
let stopping = false;

/** Writes in progress, each settled once it has finished or given up. */
const writing = new Set<Promise<void>>();

/**
 * Write a file atomically inside `outDir`: a temp file beside it, flushed
 * (unless `sync: false`), then renamed over the target. An interrupted build leaves the old file or
 * the new one, never half of one. A symlink at the target is replaced, not
 * followed. For one file on its own (the build record); a batch of books
 * goes through an `OutputBatch`.
 */
export function writeAtomic(path: string, data: Uint8Array | string, outDir = dirname(path), options: { sync?: boolean } = {}): Promise<void> {
  const write = writeAtomicNow(path, data, outDir, options);
  writing.add(write);
  const settled = () => void writing.delete(write);
  write.then(settled, settled);
  return write;
}

async function writeAtomicNow(path: string, data: Uint8Array | string, outDir: string, options: { sync?: boolean }): Promise<void> {
  await ensureFolders(outDir, path);
  const tmp = tempPath(path);
  inFlight.add(tmp);
  const goOn = () => {
    if (stopping) throw new Error('interrupted');
  };
  let handle;
  try {
    goOn();
    handle = await open(tmp, 'wx', 0o644);
    goOn();
    await handle.writeFile(data);
    if (options.sync !== false) await handle.sync();
    await handle.close();
    handle = undefined;
    goOn();
    await rename(tmp, path).catch((err) => {
      throw renameError(err, path);
    });
  } catch (err) {
    await handle?.close().catch(() => {});
    await rm(tmp, { force: true }).catch(() => {});
    throw err;
  } finally {
    inFlight.delete(tmp);
  }
}

/**
 * Stop writing (for signal handlers): writes in progress give up at their
 * next step and remove their temporary files; waits for them (at most
 * `waitMs`), then removes any temporary file still left.
 */
export async function stopWriting(waitMs = 500): Promise<void> {
  stopping = true;
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([Promise.allSettled([...writing]), new Promise((r) => (timer = setTimeout(r, waitMs)))]);
  clearTimeout(timer);
  removeInFlight();
}

function tempPath(path: string): string {
  return join(dirname(path), `${TEMP_PREFIX}${process.pid}-${Math.random().toString(36).slice(2)}`);
}

/**
 * Why renaming a temp file over `path` failed. (rename(2) replaces a
 * symbolic link at `path` itself, never following it, and refuses a folder.)
 */
function renameError(err: unknown, path: string): unknown {
  const code = (err as NodeJS.ErrnoException).code;
  return code === 'EISDIR' || code === 'ENOTEMPTY' || code === 'EEXIST' ? new Error(`${path} is a folder`) : err;
}

const fsyncAsync = promisify(fsync);

/** Files held open for the batch's sync; past this many, the ones written so far are synced early. */
const MAX_PENDING = 256;

/**
 * The books of one build. Each is written to a temp file and renamed over its
 * target as soon as its bytes are ready, so a killed build leaves every book
 * either old or new, never half written — the same guarantee as
 * `writeAtomic`. What is deferred is durability: instead of waiting for one
 * fsync per book, `commit()` syncs every book written and their folders
 * once, at the end, all at the same time. (The build writes its record of
 * what was built after `commit()`; after a power cut, a book the old record
 * names no longer has the size and hash it recorded and is rebuilt.) Writes are synchronous system calls (tens of
 * microseconds each): in a batch bound by this thread they cost less than the
 * thread-pool round trips they replace. Being synchronous, a book's temp file
 * never outlives the call that made it, so a signal handler never finds one;
 * once `stopWriting` has been called, no new book is started.
 */
export class OutputBatch {
  /** Folders books were written to, checked for links once per batch. */
  private readonly folders = new Set<string>();
  /** Those folders and every one between them and the output folder: their entries are synced at the end. */
  private readonly syncFolders = new Set<string>();
  /** Descriptors of written, renamed files, not yet synced. */
  private pending: number[] = [];

  /** The output folder, made once per batch (one level at a time: see `makeFolders`). */
  private root?: Promise<unknown>;
  constructor(private readonly outDir: string) {}

  /** Write one book atomically (see the class comment); its sync waits for `commit()`. */
  async write(path: string, data: Uint8Array): Promise<void> {
    await (this.root ??= makeFolders(this.outDir));
    // From here to the rename nothing yields to the event loop: a signal is handled before or after, never between.
    if (stopping) throw new Error('interrupted');
    this.ensureFolders(path);
    const tmp = tempPath(path);
    let fd: number | undefined;
    try {
      fd = openSync(tmp, 'wx', 0o644);
      for (let at = 0; at < data.length; ) at += writeSync(fd, data, at, data.length - at);
      try {
        renameSync(tmp, path);
      } catch (err) {
        throw renameError(err, path);
      }
    } catch (err) {
      if (fd !== undefined) closeSync(fd);
      rmSync(tmp, { force: true });
      throw err;
    }
    this.pending.push(fd);
    if (this.pending.length >= MAX_PENDING) await this.syncPending();
  }

  /** Make every book written so far durable: sync the files, then the folders their names live in. */
  async commit(): Promise<void> {
    await Promise.all([
      this.syncPending(),
      ...[...this.syncFolders].map(async (dir) => {
        // Some systems cannot open or sync a folder; the books themselves are synced all the same.
        const handle = await open(dir, 'r').catch(() => undefined);
        await handle?.sync().catch(() => {});
        await handle?.close();
      }),
    ]);
  }

  private async syncPending(): Promise<void> {
    const fds = this.pending;
    this.pending = [];
    try {
      await Promise.all(fds.map((fd) => fsyncAsync(fd)));
    } finally {
      for (const fd of fds) closeSync(fd);
    }
  }

  /** Like `ensureFolders` (the output folder itself already made), synchronous and remembered for the batch. */
  private ensureFolders(path: string): void {
    const folder = dirname(path);
    if (this.folders.has(folder)) return;
    const root = resolve(this.outDir);
    this.syncFolders.add(root);
    let dir = root;
    for (const part of relative(root, folder).split(sep).filter(Boolean)) {
      dir = join(dir, part);
      let info;
      try {
        info = lstatSync(dir);
      } catch {
        try {
          mkdirSync(dir);
        } catch (err) {
          if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
        }
        info = lstatSync(dir);
      }
      checkFolder(dir, info);
      this.syncFolders.add(dir);
    }
    this.folders.add(folder);
  }
}

function checkFolder(dir: string, info: { isSymbolicLink(): boolean; isDirectory(): boolean }): void {
  if (info.isSymbolicLink()) throw new Error(`${relative(process.cwd(), dir) || dir} is a symbolic link; Quire does not write through links`);
  if (!info.isDirectory()) throw new Error(`${relative(process.cwd(), dir) || dir} is not a folder`);
}

/** Remove the temporary files of writes in progress (for signal handlers; synchronous). */
export function removeInFlight(): void {
  for (const tmp of inFlight) {
    try {
      rmSync(tmp, { force: true });
    } catch {
      // nothing more to do
    }
  }
  inFlight.clear();
}

/**
 * Remove temporary files an earlier, killed run left in the output folder.
 * Symlinked folders are not entered.
 */
export async function removeStaleTemps(outDir: string, depth = 4): Promise<number> {
  let removed = 0;
  let entries;
  try {
    entries = await readdir(outDir, { withFileTypes: true });
  } catch {
    return 0;
  }
  for (const e of entries) {
    const p = join(outDir, e.name);
    if (e.isFile() && e.name.startsWith(TEMP_PREFIX)) {
      await rm(p, { force: true });
      removed++;
    } else if (e.isDirectory() && depth > 0) removed += await removeStaleTemps(p, depth - 1);
  }
  return removed;
}

/** Read a JSON file, or undefined when it is missing or unreadable. */
export async function readJson(path: string): Promise<unknown> {
  try {
    const info = lstatSync(path);
    if (!info.isFile()) return undefined;
    return JSON.parse(await readFile(path, 'utf8'));
  } catch {
    return undefined;
  }
}
