/**
 * Golden fixtures: each `test/fixtures/<case>/input.*` is read through the
 * real reader (sidecar included) and normalize passes, then written as an
 * EPUB; the model, the OPF and the nav are compared with the `expected.*`
 * files beside it. Regenerate after a reviewed change with `UPDATE=1 npm test`.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadStyles } from '../src/compile.js';
import { normalize } from '../src/normalize/index.js';
import { loadWork } from '../src/read/load.js';
import { writeEpub } from '../src/write/epub/index.js';
import { unzipText } from './helpers/epub.js';

const root = join('test', 'fixtures');
const update = process.env.UPDATE === '1';

function compare(file: string, actual: string): void {
  if (update || !existsSync(file)) writeFileSync(file, actual);
  expect(actual).toBe(readFileSync(file, 'utf8'));
}

describe('golden fixtures', () => {
  for (const name of readdirSync(root).sort()) {
    const dir = join(root, name);
    const input = readdirSync(dir).find((f) => /^input\.(txt|md|markdown|text|html)$/.test(f));
    if (!input) continue;
    it(name, async () => {
      const loaded = await loadWork(join(dir, input));
      const work = loaded.work ? normalize(loaded.work) : undefined;
      compare(join(dir, 'expected.model.json'), JSON.stringify({ diagnostics: loaded.diagnostics, work }, null, 2) + '\n');
      if (!work) return;
      const styles = await loadStyles('styles');
      const epub = await writeEpub(work, { css: styles.css, generator: 'Quire (test)', fonts: styles.theme });
      const files = await unzipText(epub);
      compare(join(dir, 'expected.opf'), files.get('OEBPS/content.opf')!);
      compare(join(dir, 'expected.nav.xhtml'), files.get('OEBPS/toc.xhtml')!);
    });
  }
});
