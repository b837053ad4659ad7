import { readFile, stat } from 'node:fs/promises';
import { diagnostic, errorMessage, type Diagnostic } from '../diagnostics.js';
import { checkDevices } from './device-rules.js';
import { openEpub } from './epub-package.js';

export { DEVICE_RULES, checkDevices, type DeviceRule } from './device-rules.js';

/** Larger than this is not read (a book that size is refused by every store anyway). */
const MAX_EPUB_BYTES = 1024 * 1024 * 1024;

/**
 * `quire check FILE.epub`: the device rules on one EPUB file, any EPUB's.
 * A file that cannot be read or is no zip is one error naming it.
 */
export async function checkEpubFile(file: string): Promise<Diagnostic[]> {
  let bytes: Uint8Array;
  try {
    const info = await stat(file);
    if (!info.isFile()) return [diagnostic('error', 'device/unreadable', file, 'not a file')];
    if (info.size > MAX_EPUB_BYTES) return [diagnostic('error', 'device/unreadable', file, 'larger than 1 GiB; not read')];
    bytes = await readFile(file);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return [diagnostic('error', 'device/unreadable', file, `cannot read the file: ${code === 'ENOENT' ? 'no such file' : code ?? errorMessage(err)}`)];
  }
  try {
    return checkDevices(await openEpub(bytes), file);
  } catch (err) {
    return [diagnostic('error', 'device/not-an-epub', file, 'not an EPUB: it is no zip archive')];
  }
}
