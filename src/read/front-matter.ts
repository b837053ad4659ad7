import type * as Yaml from 'yaml';
import { lazy } from '../lazy.js';

const yaml = lazy<typeof Yaml>('yaml');
import { diagnostic, type Diagnostic } from '../diagnostics.js';
import { parseMetadataInput, type MetadataInput } from './metadata-input.js';
import { errorPosition, errorReason } from './parse-errors.js';

export interface FrontMatterResult {
  /** Metadata from the block, empty when there is none. */
  input: MetadataInput;
  /** The text after the block. */
  body: string;
  /** Lines the block took, so positions in `body` can be reported in the file. */
  lineOffset: number;
  diagnostics: Diagnostic[];
  /** True when the block was present but could not be used at all. */
  failed: boolean;
}

/** Refuse absurdly large front matter rather than parse it. */
const MAX_FRONT_MATTER = 256 * 1024;

/**
 * Split a YAML front-matter block (`---` on the first line, closed by `---` or
 * `...`) off the top of a text and parse it. Text without one comes back as is.
 */
export function splitFrontMatter(text: string, file: string): FrontMatterResult {
  const none: FrontMatterResult = { input: {}, body: text, lineOffset: 0, diagnostics: [], failed: false };
  if (!/^---[ \t]*\n/.test(text)) return none;
  const close = /\n(?:---|\.\.\.)[ \t]*(?:\n|$)/g;
  close.lastIndex = 3;
  const m = close.exec(text);
  if (!m) {
    // A lone `---` first line followed by prose is a scene-break-like rule, not front matter,
    // unless the next lines look like `key: value`.
    if (/^---[ \t]*\n[\w -]+:/.test(text)) {
      return {
        ...none,
        failed: true,
        diagnostics: [
          diagnostic('error', 'front-matter/unterminated', file, "front matter starts with '---' but never ends", {
            line: 1,
            hint: "close it with a line of '---'",
          }),
        ],
      };
    }
    return none;
  }
  const yamlText = text.slice(4, m.index + 1);
  const body = text.slice(m.index + m[0].length);
  const lineOffset = text.slice(0, m.index + m[0].length).split('\n').length - (m[0].endsWith('\n') ? 1 : 0);
  if (yamlText.length > MAX_FRONT_MATTER) {
    return {
      input: {},
      body,
      lineOffset,
      failed: true,
      diagnostics: [diagnostic('error', 'front-matter/too-large', file, 'front matter is larger than 256 KiB', { line: 1 })],
    };
  }
  let raw: unknown;
  try {
    raw = yaml().parse(yamlText, { maxAliasCount: 100, prettyErrors: false, uniqueKeys: false });
  } catch (err) {
    // The block starts on the file's second line, after the opening `---`.
    const where = errorPosition(err, yamlText, 1) ?? { line: 1 };
    const reason = errorReason(err);
    return {
      input: {},
      body,
      lineOffset,
      failed: true,
      diagnostics: [diagnostic('error', 'front-matter/invalid-yaml', file, `front matter is not valid YAML: ${reason}`, where)],
    };
  }
  const { input, diagnostics } = parseMetadataInput(raw, file);
  return { input, body, lineOffset, diagnostics, failed: false };
}
