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

/** Collapse whitespace and control characters so a message stays on one line. */
export function oneLine(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u001f\u007f\u2028\u2029]+/g, ' ').replace(/\s+/g, ' ').trim();
}

export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === 'error');
}
