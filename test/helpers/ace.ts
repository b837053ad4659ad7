import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, join } from 'node:path';

/**
 * DAISY Ace on many EPUBs in this process, with one headless Chromium for
 * all of them (the `ace-puppeteer` command starts one per book: most of its
 * time). Ace exits 0 whatever it finds, so the verdict is read from each
 * report: every assertion whose outcome is `fail`, of any impact.
 */

const require = createRequire(import.meta.url);

/** Debian's Chromium, which .ci/run installs (Puppeteer's own download is skipped). */
export const CHROMIUM = process.env.PUPPETEER_EXECUTABLE_PATH || '/usr/bin/chromium';

export const hasChromium = () => existsSync(CHROMIUM);

export interface AceViolation {
  /** The content document or package file it is in. */
  doc: string;
  rule: string;
  impact: string;
  html?: string;
}

interface Report {
  assertions?: Array<{
    'earl:testSubject': { url: string };
    assertions?: Array<{
      'earl:result': { 'earl:outcome': string; html?: string };
      'earl:test': { 'dct:title': string; 'earl:impact'?: string };
    }>;
  }>;
}

interface Runner {
  launch(): Promise<void>;
  close(): Promise<void>;
}

/** Ace's findings for each EPUB (an empty list: no violation), its reports written under `reportDir`. */
export async function aceAll(files: readonly string[], reportDir: string): Promise<Map<string, AceViolation[]>> {
  // Puppeteer reads the browser's path when it is loaded.
  process.env.PUPPETEER_EXECUTABLE_PATH = CHROMIUM;
  const ace = require('@daisy/ace-core') as (epub: string, options: object, runner: Runner) => Promise<[string, Report]>;
  const runner = require('@daisy/ace-axe-runner-puppeteer') as Runner;
  let launched = false;
  // Ace launches and closes its browser for every book: keep one open for all of them.
  const shared: Runner = {
    ...runner,
    launch: async () => {
      if (!launched) await runner.launch();
      launched = true;
    },
    close: async () => {},
  };
  const out = new Map<string, AceViolation[]>();
  try {
    for (const [i, file] of files.entries()) {
      const [, report] = await ace(file, { cwd: process.cwd(), outdir: join(reportDir, `${i}-${basename(file)}`), silent: true, initLogger: true }, shared);
      const found: AceViolation[] = [];
      for (const doc of report.assertions ?? []) {
        for (const a of doc.assertions ?? []) {
          if (a['earl:result']['earl:outcome'] !== 'fail') continue;
          found.push({ doc: doc['earl:testSubject'].url, rule: a['earl:test']['dct:title'], impact: a['earl:test']['earl:impact'] ?? '', ...(a['earl:result'].html ? { html: a['earl:result'].html } : {}) });
        }
      }
      out.set(file, found);
    }
  } finally {
    if (launched) await runner.close();
  }
  return out;
}
