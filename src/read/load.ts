import { readFile, stat } from 'node:fs/promises';
import type * as Yaml from 'yaml';
import { lazy } from '../lazy.js';

const yaml = lazy<typeof Yaml>('yaml');
import { diagnostic, type Diagnostic } from '../diagnostics.js';
import { decodeText } from './decode.js';
import { parseMetadataInput, type MetadataInput } from './metadata-input.js';
import { assembleWork, buildWork, type InputKind, type WorkResult } from './work.js';
import { errorPosition, errorReason } from './parse-errors.js';

/** Story files larger than this are refused rather than read. */
export const MAX_INPUT_BYTES = 64 * 1024 * 1024;

export const STORY_EXTENSIONS: Record<string, InputKind> = {
  '.txt': 'text',
  '.text': 'text',
  '.md': 'markdown',
  '.markdown': 'markdown',
  '.html': 'html',
  '.htm': 'html',
  '.epub': 'epub',
};

export const SIDECAR_EXTENSIONS = ['.yaml', '.yml', '.json'];

export function inputKind(path: string): InputKind | undefined {
  const m = /\.[^./\\]+$/.exec(path.toLowerCase());
  return m ? STORY_EXTENSIONS[m[0]] : undefined;
}

export interface LoadedWork extends WorkResult {
  /** Every file the work was built from (story and sidecar), for change detection. */
  inputs: Array<{ path: string; bytes: Uint8Array }>;
}

/**
 * Read one story file and its sidecar (`story.yaml`, `story.yml` or
 * `story.json` beside `story.txt`) from disk and build the Work. I/O
 * failures become error diagnostics naming the file.
 */
export async function loadWork(path: string, override?: MetadataInput): Promise<LoadedWork> {
  const kind = inputKind(path) ?? 'text';
  const diagnostics: Diagnostic[] = [];
  let bytes: Uint8Array;
  try {
    const info = await stat(path);
    if (info.size > MAX_INPUT_BYTES) {
      return { diagnostics: [diagnostic('error', 'input/too-large', path, `the file is larger than ${MAX_INPUT_BYTES / 1024 / 1024} MiB`)], inputs: [] };
    }
    bytes = await readFile(path);
  } catch (err) {
    return { diagnostics: [diagnostic('error', 'input/unreadable', path, `cannot read the file: ${ioReason(err)}`)], inputs: [] };
  }
  const inputs = [{ path, bytes }];
  if (kind === 'epub') {
    // An EPUB is an archive, read by its own reader; its sidecar is merged over it as over any story.
    const read = await (await import('./epub.js')).readEpub(bytes, path);
    if (!read.draft) return { diagnostics: read.diagnostics, inputs };
    const sidecar = await loadSidecar(path);
    if (sidecar.file && sidecar.bytes) inputs.push({ path: sidecar.file, bytes: sidecar.bytes });
    if (sidecar.failed) return { diagnostics: sidecar.diagnostics, inputs };
    const result = assembleWork({
      draft: read.draft,
      file: path,
      kind,
      ...(sidecar.input ? { sidecar: sidecar.input } : {}),
      ...(sidecar.file ? { sidecarFile: sidecar.file } : {}),
      ...(override ? { override } : {}),
    });
    return { ...result, diagnostics: [...read.diagnostics, ...sidecar.diagnostics, ...result.diagnostics], inputs: await withCover(inputs, result) };
  }
  const decoded = decodeText(bytes, path);
  diagnostics.push(...decoded.diagnostics);
  if (!decoded.text) return { diagnostics, inputs };

  const sidecar = await loadSidecar(path);
  diagnostics.push(...sidecar.diagnostics);
  if (sidecar.file && sidecar.bytes) inputs.push({ path: sidecar.file, bytes: sidecar.bytes });
  if (sidecar.failed) return { diagnostics, inputs };

  const result = buildWork({
    text: decoded.text,
    file: path,
    kind,
    ...(sidecar.input ? { sidecar: sidecar.input } : {}),
    ...(sidecar.file ? { sidecarFile: sidecar.file } : {}),
    ...(override ? { override } : {}),
  });
  return { ...result, diagnostics: [...diagnostics, ...result.diagnostics], inputs: await withCover(inputs, result) };
}

/** The work's inputs and the cover image it names: a new picture rebuilds its books. */
async function withCover(inputs: LoadedWork['inputs'], result: WorkResult): Promise<LoadedWork['inputs']> {
  const cover = result.work?.metadata.cover;
  if (!cover) return inputs;
  try {
    return [...inputs, { path: cover, bytes: await readFile(cover) }];
  } catch {
    return inputs;
  }
}

interface SidecarResult {
  file?: string;
  bytes?: Uint8Array;
  input?: MetadataInput;
  diagnostics: Diagnostic[];
  failed: boolean;
}

async function loadSidecar(storyPath: string): Promise<SidecarResult> {
  const stem = storyPath.replace(/\.[^./\\]+$/, '');
  for (const ext of SIDECAR_EXTENSIONS) {
    const file = stem + ext;
    let bytes: Uint8Array;
    try {
      bytes = await readFile(file);
    } catch {
      continue;
    }
    const decoded = decodeText(bytes, file);
    if (!decoded.text) return { file, bytes, diagnostics: decoded.diagnostics, failed: true };
    let raw: unknown;
    try {
      raw = ext === '.json' ? JSON.parse(decoded.text) : yaml().parse(decoded.text, { maxAliasCount: 100, prettyErrors: false });
    } catch (err) {
      const reason = errorReason(err);
      return {
        file,
        bytes,
        failed: true,
        diagnostics: [diagnostic('error', 'sidecar/invalid', file, `${ext === '.json' ? 'JSON' : 'YAML'} sidecar cannot be read: ${reason}`, errorPosition(err, decoded.text) ?? {})],
      };
    }
    const parsed = parseMetadataInput(raw, file);
    return { file, bytes, input: parsed.input, diagnostics: [...decoded.diagnostics, ...parsed.diagnostics], failed: false };
  }
  return { diagnostics: [], failed: false };
}

function ioReason(err: unknown): string {
  const code = (err as NodeJS.ErrnoException)?.code;
  switch (code) {
    case 'ENOENT':
      return 'no such file';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EISDIR':
      return 'it is a folder';
    default:
      return code ?? (err instanceof Error ? err.message : String(err));
  }
}
