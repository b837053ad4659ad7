import { lstat, readdir, realpath, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { diagnostic, type Diagnostic } from './diagnostics.js';
import { inputKind, SIDECAR_EXTENSIONS, STORY_EXTENSIONS } from './read/load.js';
import { SERIES_FILES } from './read/series-info.js';

export interface Discovery {
  /** Story files, sorted, each once. */
  files: string[];
  /** Series metadata files (`series.yaml` and kin) in the folders searched. */
  seriesFiles: string[];
  diagnostics: Diagnostic[];
}

/** Folders deeper than this are not searched. */
const MAX_DEPTH = 32;

/** `.txt, .text, .md, .markdown, .html and .htm`: what Quire reads, for messages. */
export function storyExtensions(): string {
  const exts = Object.keys(STORY_EXTENSIONS);
  return `${exts.slice(0, -1).join(', ')} and ${exts[exts.length - 1]}`;
}

/** What a file system entry that is not a regular file or folder is, in words. */
function specialKind(info: { isFIFO(): boolean; isSocket(): boolean; isCharacterDevice(): boolean; isBlockDevice(): boolean }): string {
  if (info.isFIFO()) return 'a named pipe (FIFO)';
  if (info.isSocket()) return 'a socket';
  if (info.isCharacterDevice() || info.isBlockDevice()) return 'a device';
  return 'not a regular file';
}

/**
 * Find the story files named by `paths`: folders are searched recursively
 * for story files (STORY_EXTENSIONS); a file named explicitly is read when it
 * has a story extension or none (as plain text), and refused with a message
 * naming what Quire reads otherwise (`x.pdf`, `x.docx`), as are pipes and
 * devices. Hidden entries, sidecars and symlinked folders are skipped (no
 * loops), and so are `skipFolders` (the output folder: its EPUBs are books
 * Quire wrote, not stories). Finding no story at all is an error.
 */
export async function discover(paths: readonly string[], options: { skipFolders?: readonly string[] } = {}): Promise<Discovery> {
  const files = new Set<string>();
  const seriesFiles = new Set<string>();
  const diagnostics: Diagnostic[] = [];
  const seenDirs = new Set<string>();
  const emptyFolders: string[] = [];
  const skip = new Set<string>();
  for (const dir of options.skipFolders ?? []) skip.add(await realpath(dir).catch(() => resolve(dir)));

  async function walk(dir: string, depth: number): Promise<void> {
    if (depth > MAX_DEPTH) {
      diagnostics.push(diagnostic('warning', 'input/too-deep', dir, `folders nested deeper than ${MAX_DEPTH} levels are not searched`));
      return;
    }
    let real: string;
    try {
      real = await realpath(dir);
    } catch {
      return;
    }
    // The output folder is skipped where it sits inside a folder searched (named itself, it is searched).
    if (seenDirs.has(real) || (depth > 0 && skip.has(real))) return;
    seenDirs.add(real);
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch (err) {
      diagnostics.push(diagnostic('error', 'input/unreadable', dir, `cannot read the folder: ${(err as NodeJS.ErrnoException).code ?? err}`));
      return;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    const names = new Set(entries.map((e) => e.name));
    for (const e of entries) {
      if (e.name.startsWith('.')) continue;
      const p = join(dir, e.name);
      // series.yaml describes the folder's series — unless it is the sidecar of a series.txt.
      if (SERIES_FILES.includes(e.name) && ![...names].some((n) => n !== e.name && n.startsWith('series.') && inputKind(n))) {
        seriesFiles.add(p);
        continue;
      }
      if (e.isDirectory()) await walk(p, depth + 1);
      else if (e.isFile() && inputKind(p)) files.add(p);
      else if (e.isSymbolicLink()) {
        // A symlinked story file is read; a symlinked folder is not followed.
        try {
          const info = await stat(p);
          if (info.isFile() && inputKind(p)) files.add(p);
          else if (!info.isFile() && !info.isDirectory() && inputKind(p)) skipSpecial(p, info);
        } catch {
          diagnostics.push(diagnostic('warning', 'input/broken-link', p, 'broken symbolic link; skipped'));
        }
      } else if (inputKind(p)) skipSpecial(p, e);
    }
  }

  /** A pipe or device named like a story: reading it could wait forever. */
  const skipSpecial = (p: string, info: Parameters<typeof specialKind>[0]) =>
    diagnostics.push(diagnostic('warning', 'input/not-a-file', p, `${specialKind(info)}, not a story file; skipped`));

  for (const path of paths) {
    const before = files.size;
    let info;
    try {
      info = await lstat(path);
      if (info.isSymbolicLink()) info = await stat(path);
    } catch {
      diagnostics.push(diagnostic('error', 'input/not-found', path, 'no such file or folder'));
      continue;
    }
    if (info.isDirectory()) {
      await walk(path, 0);
      if (files.size === before) emptyFolders.push(path);
    } else if (info.isFile()) {
      const lower = path.toLowerCase();
      const ext = /\.[^./\\]+$/.exec(lower)?.[0];
      if (ext && SIDECAR_EXTENSIONS.includes(ext)) {
        diagnostics.push(diagnostic('warning', 'input/sidecar-given', path, 'this is a metadata sidecar; name the story file beside it instead'));
      } else if (ext && !inputKind(lower)) {
        diagnostics.push(diagnostic('error', 'input/unsupported', path, `Quire does not read ${ext} files; it reads ${storyExtensions()} files`));
      } else {
        // A story extension, or none: read (as plain text when there is none).
        files.add(path);
      }
    } else {
      diagnostics.push(diagnostic('error', 'input/not-a-file', path, `${specialKind(info)}, not a story file; Quire reads ${storyExtensions()} files`));
    }
  }
  // A folder with nothing to build says so: an error when the whole batch is empty, else a warning.
  for (const dir of emptyFolders) {
    const severity = files.size === 0 ? 'error' : 'warning';
    diagnostics.push(diagnostic(severity, 'input/no-stories', dir, `no stories found in ${dir} (Quire reads ${storyExtensions()} files)`));
  }
  return { files: [...files].sort(), seriesFiles: [...seriesFiles].sort(), diagnostics };
}
