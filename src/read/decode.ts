import { diagnostic, type Diagnostic } from '../diagnostics.js';

export interface Decoded {
  text: string;
  diagnostics: Diagnostic[];
}

type Encoding = 'utf-8' | 'utf-16le' | 'utf-16be' | 'utf-32le' | 'utf-32be';

/**
 * Turn a file's bytes into clean text. The encoding comes from a byte-order
 * mark (UTF-8, UTF-16 LE/BE, UTF-32 LE/BE), else from the pattern of zero
 * bytes UTF-16 and UTF-32 text without a mark leaves, else UTF-8 — or
 * Windows-1252 when the bytes are not valid UTF-8 (with a warning). `\r\n`
 * and `\r` become `\n`; control characters XML cannot carry (a stray NUL in
 * a text file) are removed, with a warning. Binary files (images, archives,
 * PDFs, or mostly control bytes) and files with no text are rejected with an
 * error diagnostic and `text` empty.
 */
export function decodeText(bytes: Uint8Array, file: string): Decoded {
  const diagnostics: Diagnostic[] = [];
  const { encoding, bom } = detectEncoding(bytes);
  if (encoding === 'utf-8' && looksBinary(bytes)) {
    return { text: '', diagnostics: [diagnostic('error', 'input/binary', file, 'this is a binary file, not text')] };
  }
  const body = bytes.subarray(bom);
  let text: string;
  if (encoding === 'utf-32le' || encoding === 'utf-32be') text = decodeUtf32(body, encoding === 'utf-32le');
  else if (encoding !== 'utf-8') text = new TextDecoder(encoding).decode(body);
  else {
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(body);
    } catch {
      text = new TextDecoder('windows-1252').decode(body);
      diagnostics.push(
        diagnostic('warning', 'input/not-utf8', file, 'the file is not valid UTF-8; read it as Windows-1252 (Latin-1)', {
          hint: 'save it as UTF-8 if accented letters look wrong',
        }),
      );
    }
  }
  text = text.replace(/\r\n?/g, '\n');
  // C0 controls other than tab and newline, DEL, and the non-characters XML forbids.
  // eslint-disable-next-line no-control-regex
  const CONTROLS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\ufffe\uffff]/g;
  const stray = text.match(CONTROLS)?.length ?? 0;
  if (stray) {
    text = text.replace(CONTROLS, '');
    diagnostics.push(
      diagnostic('warning', 'input/control-characters', file, `removed ${stray} control character${stray === 1 ? '' : 's'} (such as NUL) that text cannot hold`),
    );
  }
  text = text.replace(/\t/g, ' ');
  if (text.trim() === '') {
    diagnostics.push(diagnostic('error', 'input/empty', file, 'the file has no text'));
    return { text: '', diagnostics };
  }
  return { text, diagnostics };
}

/** The encoding a byte-order mark names, or the zero-byte pattern of UTF-16/32 text without one; UTF-8 otherwise. */
export function detectEncoding(bytes: Uint8Array): { encoding: Encoding; bom: number } {
  const b = (i: number) => bytes[i] ?? -1;
  if (b(0) === 0xff && b(1) === 0xfe && b(2) === 0 && b(3) === 0) return { encoding: 'utf-32le', bom: 4 };
  if (b(0) === 0 && b(1) === 0 && b(2) === 0xfe && b(3) === 0xff) return { encoding: 'utf-32be', bom: 4 };
  if (b(0) === 0xef && b(1) === 0xbb && b(2) === 0xbf) return { encoding: 'utf-8', bom: 3 };
  if (b(0) === 0xff && b(1) === 0xfe) return { encoding: 'utf-16le', bom: 2 };
  if (b(0) === 0xfe && b(1) === 0xff) return { encoding: 'utf-16be', bom: 2 };
  // Without a mark: text in UTF-16 has a zero in every other byte (ASCII letters, spaces, punctuation), UTF-32 three in four.
  const n = Math.min(bytes.length, 4096) & ~3;
  if (n >= 8) {
    const zeros = [0, 0, 0, 0];
    for (let i = 0; i < n; i++) if (bytes[i] === 0) zeros[i & 3]!++;
    const quarter = n / 4;
    const [z0, z1, z2, z3] = zeros as [number, number, number, number];
    if (z1 > quarter * 0.9 && z2 > quarter * 0.9 && z3 > quarter * 0.9 && z0 < quarter * 0.1) return { encoding: 'utf-32le', bom: 0 };
    if (z0 > quarter * 0.9 && z1 > quarter * 0.9 && z2 > quarter * 0.9 && z3 < quarter * 0.1) return { encoding: 'utf-32be', bom: 0 };
    const even = z0 + z2;
    const odd = z1 + z3;
    if (odd > n * 0.3 && even < n * 0.02) return { encoding: 'utf-16le', bom: 0 };
    if (even > n * 0.3 && odd < n * 0.02) return { encoding: 'utf-16be', bom: 0 };
  }
  return { encoding: 'utf-8', bom: 0 };
}

function decodeUtf32(bytes: Uint8Array, little: boolean): string {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const parts: string[] = [];
  let chunk: number[] = [];
  for (let i = 0; i + 4 <= bytes.length; i += 4) {
    const cp = view.getUint32(i, little);
    chunk.push(cp <= 0x10ffff && (cp < 0xd800 || cp > 0xdfff) ? cp : 0xfffd);
    if (chunk.length >= 4096) {
      parts.push(String.fromCodePoint(...chunk));
      chunk = [];
    }
  }
  parts.push(String.fromCodePoint(...chunk));
  return parts.join('');
}

/** File signatures of the binary formats people drop into a folder of stories by mistake. */
const MAGIC: ReadonlyArray<readonly number[]> = [
  [0x50, 0x4b, 0x03, 0x04], // zip: .docx, .epub, .odt
  [0x25, 0x50, 0x44, 0x46], // %PDF
  [0x89, 0x50, 0x4e, 0x47], // PNG
  [0xff, 0xd8, 0xff], // JPEG
  [0x47, 0x49, 0x46, 0x38], // GIF
  [0x7f, 0x45, 0x4c, 0x46], // ELF
  [0x1f, 0x8b], // gzip
  [0xd0, 0xcf, 0x11, 0xe0], // old Word (.doc)
];

/**
 * A known binary signature, or more than a few zero or control bytes in the
 * first 8 KiB, mean binary data; a stray NUL or two in a story is text.
 */
function looksBinary(bytes: Uint8Array): boolean {
  if (MAGIC.some((m) => m.every((v, i) => bytes[i] === v))) return true;
  const n = Math.min(bytes.length, 8192);
  let zeros = 0;
  let controls = 0;
  for (let i = 0; i < n; i++) {
    const b = bytes[i]!;
    if (b === 0) zeros++;
    else if (b < 8 || (b > 13 && b < 32 && b !== 27)) controls++;
  }
  return n > 0 && (zeros > Math.max(8, n * 0.01) || (zeros + controls) / n > 0.1);
}
