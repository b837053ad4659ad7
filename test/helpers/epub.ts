import { readFile } from 'node:fs/promises';
import JSZip from 'jszip';

/** Every text entry of an EPUB, by path. */
export async function unzipText(path: string | Buffer): Promise<Map<string, string>> {
  const bytes = typeof path === 'string' ? await readFile(path) : path;
  const zip = await JSZip.loadAsync(bytes);
  const out = new Map<string, string>();
  for (const name of Object.keys(zip.files).sort()) {
    const entry = zip.files[name]!;
    if (entry.dir || /\.(png|jpe?g|gif|ttf|otf)$/i.test(name)) continue;
    out.set(name, await entry.async('string'));
  }
  return out;
}

/** Plain words of a text, lower-cased, for order-preserving comparisons. */
export function words(text: string): string[] {
  return (text.toLowerCase().normalize('NFKC').match(/[\p{L}\p{N}]+/gu) ?? []).filter(Boolean);
}

/**
 * Whether `needle` occurs in `hay` in order (a subsequence), allowing a word
 * to arrive split in two (hyphenated at a line end). Returns the first
 * missing index, or -1 when every word is there.
 */
export function firstMissing(needle: readonly string[], hay: readonly string[]): number {
  let j = 0;
  for (let i = 0; i < needle.length; i++) {
    const w = needle[i]!;
    let found = false;
    while (j < hay.length) {
      if (hay[j] === w) {
        j++;
        found = true;
        break;
      }
      if (j + 1 < hay.length && hay[j]! + hay[j + 1]! === w) {
        j += 2;
        found = true;
        break;
      }
      // The halves of a hyphenated word with page furniture (folio, running head) between them.
      if (w.startsWith(hay[j]!) && hay[j]!.length < w.length) {
        const rest = w.slice(hay[j]!.length);
        const k = hay.slice(j + 1, j + 10).indexOf(rest);
        if (k >= 0) {
          j += k + 2;
          found = true;
          break;
        }
      }
      j++;
    }
    if (!found) return i;
  }
  return -1;
}
