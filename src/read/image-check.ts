/**
 * Whether bytes are a whole image of the kind they claim — a PNG with its
 * header, data and end; a JPEG with its frame header; a GIF with its screen
 * size — so that a truncated or fake file (a data: URL holding only a PNG's
 * signature) is left out rather than written into a book that readers and
 * epubcheck then reject.
 */
export function imageKind(bytes: Uint8Array): 'png' | 'jpeg' | 'gif' | undefined {
  const at = (i: number) => bytes[i] ?? -1;
  const ascii = (from: number, to: number) => String.fromCharCode(...bytes.subarray(from, to));
  if (at(0) === 0x89 && ascii(1, 4) === 'PNG') {
    if (bytes.length < 57 || ascii(12, 16) !== 'IHDR') return undefined;
    const width = (at(16) << 24) | (at(17) << 16) | (at(18) << 8) | at(19);
    const height = (at(20) << 24) | (at(21) << 16) | (at(22) << 8) | at(23);
    if (width <= 0 || height <= 0 || !includes(bytes, 'IDAT') || !includes(bytes, 'IEND')) return undefined;
    return 'png';
  }
  if (at(0) === 0xff && at(1) === 0xd8 && at(2) === 0xff) {
    // A start-of-frame marker (baseline, progressive, …) must be there.
    for (let i = 2; i + 1 < bytes.length; i++) if (at(i) === 0xff && at(i + 1) >= 0xc0 && at(i + 1) <= 0xcf && at(i + 1) !== 0xc4 && at(i + 1) !== 0xc8 && at(i + 1) !== 0xcc) return 'jpeg';
    return undefined;
  }
  if (ascii(0, 6) === 'GIF87a' || ascii(0, 6) === 'GIF89a') {
    const width = at(6) | (at(7) << 8);
    const height = at(8) | (at(9) << 8);
    return bytes.length > 13 && width > 0 && height > 0 ? 'gif' : undefined;
  }
  return undefined;
}

function includes(bytes: Uint8Array, tag: string): boolean {
  const c = [...tag].map((ch) => ch.charCodeAt(0));
  outer: for (let i = 8; i + c.length <= bytes.length; i++) {
    for (let k = 0; k < c.length; k++) if (bytes[i + k] !== c[k]) continue outer;
    return true;
  }
  return false;
}
