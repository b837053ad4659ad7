import { diagnostic, type Diagnostic } from '../diagnostics.js';

export interface Decoded {
  text: string;
  diagnostics: Diagnostic[];
}

/**
 * Turn a file's bytes into clean text: UTF-8 (BOM dropped), or Windows-1252
 * when the bytes are not valid UTF-8 (with a warning); `\r\n` and `\r` become
 * `\n`; control characters that XML cannot carry are removed. Binary files and
 * files with no text are rejected with an error diagnostic and `text` empty.
 */
export function decodeText(bytes: Uint8Array, file: string): Decoded {
  const diagnostics: Diagnostic[] = [];
  if (looksBinary(bytes)) {
    return { text: '', diagnostics: [diagnostic('error', 'input/binary', file, 'this is a binary file, not text')] };
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    text = new TextDecoder('windows-1252').decode(bytes);
    diagnostics.push(
      diagnostic('warning', 'input/not-utf8', file, 'the file is not valid UTF-8; read it as Windows-1252 (Latin-1)', {
        hint: 'save it as UTF-8 if accented letters look wrong',
      }),
    );
  }
  text = text.replace(/\r\n?/g, '\n');
  // C0 controls other than tab and newline, DEL, and the non-characters XML forbids.
  // eslint-disable-next-line no-control-regex
  text = text.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\ufffe\uffff]/g, '');
  text = text.replace(/\t/g, ' ');
  if (text.trim() === '') {
    diagnostics.push(diagnostic('error', 'input/empty', file, 'the file has no text'));
    return { text: '', diagnostics };
  }
  return { text, diagnostics };
}

/** NUL bytes, or many control bytes in the first 8 KiB, mean binary data. */
function looksBinary(bytes: Uint8Array): boolean {
  const n = Math.min(bytes.length, 8192);
  let controls = 0;
  for (let i = 0; i < n; i++) {
    const b = bytes[i]!;
    if (b === 0) return true;
    if (b < 8 || (b > 13 && b < 32)) controls++;
  }
  return n > 0 && controls / n > 0.1;
}
