/**
 * Diagnostics are values, not exceptions: every stage returns the problems it
 * found, and the CLI decides how to print them.
 */

export type Severity = 'error' | 'warning' | 'info';

export interface Diagnostic {
  /** Stable, greppable id such as `metadata/no-title`. */
  code: string;
  severity: Severity;
  message: string;
  /** The file the problem is in, as the user named it. */
  file: string;
  line?: number;
  column?: number;
  hint?: string;
}

/** Build a diagnostic; `where` adds a position when one is known. */
export function diagnostic(
  severity: Severity,
  code: string,
  file: string,
  message: string,
  where: { line?: number; column?: number; hint?: string } = {},
): Diagnostic {
  return { code, severity, message, file, ...where };
}

/** Format like a compiler: `works/tide.txt:3:1: warning: message [code]`. */
export function formatDiagnostic(d: Diagnostic): string {
  let place = d.file;
  if (d.line !== undefined) place += `:${d.line}`;
  if (d.line !== undefined && d.column !== undefined) place += `:${d.column}`;
  const hint = d.hint ? ` (${d.hint})` : '';
  return `${place}: ${d.severity}: ${oneLine(d.message)}${hint} [${d.code}]`;
}

/** Files named on a summary line before `and N more`. */
const SUMMARY_FILES = 3;

/**
 * The lines to print for a batch's diagnostics, in the order found. Errors
 * are listed one by one. A warning or note that more than SUMMARY_FILES
 * files share (same code, message and hint) is one line with the first
 * files and the count — `a.txt, b.txt, c.txt and 75 more files: warning: no
 * title; … [metadata/no-title]` — unless `verbose`, which lists them all.
 */
export function diagnosticLines(diagnostics: readonly Diagnostic[], verbose = false): { lines: string[]; summarized: number } {
  const groups = new Map<string, Diagnostic[]>();
  for (const d of diagnostics) {
    const key = d.severity === 'error' || verbose ? `\u0001${groups.size}` : [d.severity, d.code, d.message, d.hint ?? ''].join('\u0000');
    groups.set(key, [...(groups.get(key) ?? []), d]);
  }
  const lines: string[] = [];
  let summarized = 0;
  for (const group of groups.values()) {
    if (group.length <= SUMMARY_FILES) {
      for (const d of group) lines.push(formatDiagnostic(d));
      continue;
    }
    summarized++;
    const d = group[0]!;
    const files = [...new Set(group.map((g) => g.file))];
    const named = files.slice(0, SUMMARY_FILES).join(', ');
    const more = files.length - SUMMARY_FILES;
    const where = more > 0 ? `${named} and ${more} more ${more === 1 ? 'file' : 'files'}` : `${named} (${group.length} times)`;
    const hint = d.hint ? ` (${d.hint})` : '';
    lines.push(`${where}: ${d.severity}: ${oneLine(d.message)}${hint} [${d.code}]`);
  }
  return { lines, summarized };
}

/** Collapse whitespace and control characters so a message stays on one line. */
export function oneLine(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u001f\u007f\u2028\u2029]+/g, ' ').replace(/\s+/g, ' ').trim();
}

/** An error's message, first line only (for one-line diagnostics). */
export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message.split('\n')[0]! : String(err);
}

export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === 'error');
}
