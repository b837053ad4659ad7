import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { coverText } from './write/cover/text.js';
import type { CoverFonts } from './write/cover/render.js';
import type { BookPlan } from './write/plan.js';
import { outputPath, writeAtomic } from './write/output.js';
import { VERSION } from './version.js';

/**
 * What a build keeps between runs besides its books, in the output folder,
 * each file named by a hash of everything that decides its bytes, so that a
 * hit gives exactly what making it again would (the books stay byte for
 * byte the same):
 *
 *   .quire-cache/covers/  generated covers: drawing one (resvg, then libjpeg)
 *                   costs more than writing a short work's whole EPUB, and a
 *                   cover changes only with the book's title, authors, series
 *                   or identity — not when its text is edited or `--force`
 *                   rebuilds it;
 *   .quire-cache/pages/   where each page of a book's PDF begins (its EPUB's page
 *                   list): setting a book in pages costs half its PDF, and an
 *                   EPUB-only build after a PDF one, or a forced rebuild,
 *                   need not set it again.
 *
 * A file no recorded book uses any more is removed at the end of the build.
 */
export const COVERS_DIR = '.quire-cache/covers';
export const PAGES_DIR = '.quire-cache/pages';

const require = createRequire(import.meta.url);

/** Versions of the libraries a cover's bytes depend on. */
const RENDERERS = (() => {
  const version = (name: string) => {
    try {
      return (require(`${name}/package.json`) as { version?: string }).version ?? '?';
    } catch {
      return '?';
    }
  };
  return `${version('@resvg/resvg-js')}/${version('sharp')}`;
})();

/** The key of a book's generated cover; none when the user gave the book a picture of its own. */
export function coverKey(plan: BookPlan, fonts: CoverFonts): string | undefined {
  if (plan.cover) return undefined;
  const f = { font: fonts.font, fallbackFonts: fonts.fallbackFonts, scriptFonts: fonts.scriptFonts };
  return createHash('sha256').update(JSON.stringify({ v: VERSION, r: RENDERERS, text: coverText(plan), fonts: f })).digest('hex').slice(0, 32);
}

/** The key of a book's page map: its inputs and everything that moves its pages (notes, page size, styles, passes skipped). */
export function pagesKey(parts: { input: string; styles: string; pageSize: string; notes: string; skip: readonly string[] }): string {
  return createHash('sha256').update(JSON.stringify({ v: VERSION, ...parts, skip: [...parts.skip].sort() })).digest('hex').slice(0, 32);
}

/** One folder of kept files, by key. */
export class Store {
  private readonly dir: string;
  constructor(
    private readonly outDir: string,
    folder: string,
    private readonly ext: string,
    /** Whether bytes read back are whole (a file cut short by a full disk is made again). */
    private readonly whole: (bytes: Uint8Array) => boolean,
  ) {
    this.dir = outputPath(outDir, folder);
  }

  get(key: string): Uint8Array | undefined {
    try {
      const bytes = readFileSync(join(this.dir, `${key}${this.ext}`));
      return this.whole(bytes) ? bytes : undefined;
    } catch {
      return undefined;
    }
  }

  /** Keep a file just made (atomically; not synced: losing it only means making it again). */
  async put(key: string, bytes: Uint8Array): Promise<void> {
    await writeAtomic(join(this.dir, `${key}${this.ext}`), bytes, this.outDir, { sync: false }).catch(() => {});
  }

  /** Remove the files no book in `keep` uses. */
  prune(keep: ReadonlySet<string>): void {
    let names: string[];
    try {
      names = readdirSync(this.dir);
    } catch {
      return;
    }
    for (const name of names) {
      if (name.endsWith(this.ext) && /^[0-9a-f]{32}\./.test(name) && !keep.has(name.slice(0, 32))) rmSync(join(this.dir, name), { force: true });
    }
  }
}

/** The generated covers kept in `outDir`. */
export const coverStore = (outDir: string) =>
  new Store(outDir, COVERS_DIR, '.jpg', (b) => b.length > 4 && b[0] === 0xff && b[1] === 0xd8 && b.at(-2) === 0xff && b.at(-1) === 0xd9);

/** The page maps kept in `outDir`. */
export const pageStore = (outDir: string) =>
  new Store(outDir, PAGES_DIR, '.json', (b) => {
    try {
      JSON.parse(Buffer.from(b).toString('utf8'));
      return true;
    } catch {
      return false;
    }
  });

export type CoverStore = Store;
