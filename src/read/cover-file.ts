import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { createHash } from 'node:crypto';
import { diagnostic, type Diagnostic } from '../diagnostics.js';
import { imageKind } from './image-check.js';

/**
 * A `cover:` a user named (front matter, a sidecar, `series.yaml`, `-M`):
 * an image path relative to the file that names it (`-M`: to the working
 * folder), which must be a whole PNG or JPEG — never a URL. Gives the
 * absolute path and a hash of its bytes (so a changed picture rebuilds the
 * book), or the warning that it was ignored (`code` names the kind of file).
 */
export function resolveCover(value: string, file: string, prefix: 'metadata' | 'series'): { path?: string; hash?: string; diagnostic?: Diagnostic } {
  if (/^[a-z][a-z0-9+.-]*:/i.test(value) && !/^[a-z]:[\\/]/i.test(value)) {
    return { diagnostic: diagnostic('warning', `${prefix}/remote-cover`, file, `a cover must be an image file, never a URL; ignored '${value}'`) };
  }
  const base = file === '-M' ? process.cwd() : dirname(file);
  const path = resolve(base, value);
  let bytes: Uint8Array | undefined;
  try {
    bytes = /\.(?:png|jpe?g)$/i.test(path) && existsSync(path) ? readFileSync(path) : undefined;
  } catch {
    bytes = undefined;
  }
  const kind = bytes ? imageKind(bytes) : undefined;
  if (!bytes || (kind !== 'png' && kind !== 'jpeg')) {
    return { diagnostic: diagnostic('warning', `${prefix}/missing-cover`, file, `cover '${value}' is not a PNG or JPEG file that exists; ignored it`) };
  }
  return { path, hash: createHash('sha256').update(bytes).digest('hex').slice(0, 16) };
}
