import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type * as Yaml from 'yaml';
import { diagnostic, type Diagnostic } from './diagnostics.js';
import { lazy } from './lazy.js';
import { errorPosition } from './read/parse-errors.js';
import { didYouMean } from './suggest.js';

const yaml = lazy<typeof Yaml>('yaml');

/** The defaults files Quire looks for in the folder it runs in, in this order. */
export const CONFIG_FILES = ['quire.yaml', 'quire.yml'];

export interface Config {
  /** The file read, when there was one. */
  file?: string;
  /** Option values by the option's long name (`page-size`), as written. */
  options: Record<string, unknown>;
  /** `metadata:` — metadata for every work, like `-M`. */
  metadata?: Record<string, unknown>;
  diagnostics: Diagnostic[];
}

/**
 * A defaults file, in the way of pandoc's: `quire.yaml` in the folder Quire
 * runs in (or the file `--config` names) gives any build option by its long
 * name (`page-size: letter`, `format: pdf`, `notes: end`, `css: my.css`),
 * and `metadata:` for every work. Options given on the command line win. A
 * key that is no option is a warning, with the option it most resembles.
 * Paths in it (stylesheets, themes) are relative to the file.
 */
export function loadConfig(explicit: string | undefined, known: readonly string[], cwd = process.cwd()): Config {
  const file = explicit ?? CONFIG_FILES.map((f) => join(cwd, f)).find((f) => existsSync(f));
  if (!file) return { options: {}, diagnostics: [] };
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new Error(`cannot read the config file ${file}: ${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a folder' : (code ?? String(err))}`);
  }
  let raw: unknown;
  try {
    raw = yaml().parse(text, { maxAliasCount: 100, prettyErrors: false });
  } catch (err) {
    const where = errorPosition(err, text);
    throw new Error(`${file}${where ? `:${where.line}` : ''}: the config file is not valid YAML: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`);
  }
  if (raw === null || raw === undefined) return { file, options: {}, diagnostics: [] };
  if (typeof raw !== 'object' || Array.isArray(raw)) throw new Error(`the config file ${file} must be a map of option names to values`);
  const diagnostics: Diagnostic[] = [];
  const options: Record<string, unknown> = {};
  let metadata: Record<string, unknown> | undefined;
  const base = dirname(resolve(file));
  for (const [key, value] of Object.entries(raw as Record<string, unknown>)) {
    const name = key.replace(/^--/, '').replace(/_/g, '-').toLowerCase();
    if (name === 'metadata') {
      if (value && typeof value === 'object' && !Array.isArray(value)) metadata = value as Record<string, unknown>;
      else diagnostics.push(diagnostic('warning', 'config/bad-value', file, "'metadata' must be a map of metadata keys to values; ignored it"));
      continue;
    }
    if (!known.includes(name)) {
      const guess = didYouMean(name, [...known, 'metadata']);
      diagnostics.push(diagnostic('warning', 'config/unknown-key', file, `unknown option '${key}'; ignored it`, guess ? { hint: `did you mean '${guess}'?` } : {}));
      continue;
    }
    options[name] = PATH_OPTIONS.has(name) ? relativeTo(base, value) : value;
  }
  return { file, options, ...(metadata ? { metadata } : {}), diagnostics };
}

/** Options whose values are files, read relative to the config file. */
const PATH_OPTIONS = new Set(['css', 'pdf-theme']);

function relativeTo(base: string, value: unknown): unknown {
  if (typeof value === 'string') return resolve(base, value);
  if (Array.isArray(value)) return value.map((v) => (typeof v === 'string' ? resolve(base, v) : v));
  return value;
}

/**
 * `-M key=value` (and a config's `metadata:`) → one metadata object: the
 * value after the first `=` is the key's (`-M title="Twice As Hard"`); a key
 * given twice keeps the last. A bare `-M key` is an error.
 */
export function metadataArgs(args: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const arg of args) {
    const at = arg.indexOf('=');
    if (at <= 0) throw new Error(`-M needs key=value (got '${arg}')`);
    out[arg.slice(0, at).trim()] = arg.slice(at + 1);
  }
  return out;
}
