import { lstat, readdir, realpath, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { diagnostic, type Diagnostic } from './diagnostics.js';
import { inputKind, SIDECAR_EXTENSIONS } from './read/load.js';
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

/**
 * Find the story files named by `paths`: files are taken as they are, folders
 * are searched recursively for `.txt`, `.text`, `.md` and `.markdown` files.
 * Hidden entries, sidecars and symlinked folders are skipped (no loops).
 */
export async function discover(paths: readonly string[]): Promise<Discovery> {
  const files = new Set<string>();
  const seriesFiles = new Set<string>();
  const diagnostics: Diagnostic[] = [];
  const seenDirs = new Set<string>();

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
    if (seenDirs.has(real)) return;
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
        } catch {
          diagnostics.push(diagnostic('warning', 'input/broken-link', p, 'broken symbolic link; skipped'));
        }
      }
    }
  }

  for (const path of paths) {
    let info;
    try {
      info = await lstat(path);
      if (info.isSymbolicLink()) info = await stat(path);
    } catch {
      diagnostics.push(diagnostic('error', 'input/not-found', path, 'no such file or folder'));
      continue;
    }
    if (info.isDirectory()) await walk(path, 0);
    else if (info.isFile()) {
      const lower = path.toLowerCase();
      if (SIDECAR_EXTENSIONS.some((ext) => lower.endsWith(ext))) {
        diagnostics.push(diagnostic('warning', 'input/sidecar-given', path, 'this is a metadata sidecar; name the story file beside it instead'));
      } else {
        // A file named explicitly is read even with an unusual extension (as plain text).
        files.add(path);
      }
    }
  }
  return { files: [...files].sort(), seriesFiles: [...seriesFiles].sort(), diagnostics };
}
