import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, isAbsolute, join } from 'node:path';
import { create } from 'fontkit';

const require = createRequire(import.meta.url);

type Font = ReturnType<typeof create>;
const parsed = new Map<string, Font | null>();

/**
 * A font, parsed once per process and shared by every PDF written in it
 * (pdfkit takes fontkit fonts directly; each document still embeds its own
 * subset). Parsing the faces again for every book cost more than setting a
 * short story. `spec` names a file inside an npm package,
 * `package-name/path/in/package.ttf` (the theme's font entries). Null when
 * that package is not installed (the CJK fonts are optional dependencies):
 * its glyphs are then reported missing, never a crash.
 */
export function loadFont(spec: string): Font | null {
  let f = parsed.get(spec);
  if (f === undefined) {
    const path = fontPath(spec);
    f = path === null ? null : create(readFileSync(path));
    if (f) {
      guardLayout(f);
      ownCodePoints(f);
    }
    parsed.set(spec, f);
  }
  return f;
}

/** The file a font spec names, or null when its package is not installed. */
export function fontPath(spec: string): string | null {
  // A user's theme may name a font file by its absolute path.
  if (isAbsolute(spec)) return existsSync(spec) ? spec : null;
  const parts = spec.split('/');
  const pkg = spec.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
  const rest = parts.slice(spec.startsWith('@') ? 2 : 1).join('/');
  try {
    return join(dirname(require.resolve(`${pkg}/package.json`)), rest);
  } catch {
    return null;
  }
}

/**
 * fontkit's layout throws on some mark sequences a font's positioning tables
 * do not cover (`b̈` in Literata: a diaeresis with no anchor on the b). Every
 * caller (pdfkit's text and measuring, Quire's runs) goes through this
 * guard: such a run is laid out again without mark positioning, the mark
 * then sitting at its own advance.
 */
function guardLayout(font: Font): void {
  const layout = font.layout.bind(font) as (text: string, features?: unknown, ...rest: unknown[]) => ReturnType<Font['layout']>;
  (font as { layout: unknown }).layout = (text: string, features?: unknown, ...rest: unknown[]) => {
    try {
      return layout(text, features, ...rest);
    } catch {
      const off = Array.isArray(features) ? features.filter((t) => t !== 'mark' && t !== 'mkmk') : { ...(features as object | undefined), mark: false, mkmk: false };
      return layout(text, off, ...rest);
    }
  };
}

interface GlyphLike {
  codePoints: number[];
}

/**
 * fontkit keeps one glyph object per glyph id for the life of the font, and
 * stamps it with the code points it was first reached through: a glyph
 * first made by a substitution (a ligature's part, a contextual form) keeps
 * that substitution's code points for every later layout. As the fonts live
 * for the whole process, the text behind a glyph — what pdfkit and Quire
 * write into each PDF's ToUnicode map — depended on which books the process
 * had set before (issue #15: punctuation lost from the text layer of the
 * second book in a worker). Here every lookup gets the code points it asked
 * for: the shared glyph when they agree, otherwise a view of it that carries
 * its own (outlines and metrics still come from the shared glyph).
 */
function ownCodePoints(font: Font): void {
  const f = font as unknown as { getGlyph(id: number, codePoints?: number[]): GlyphLike | null };
  const get = f.getGlyph.bind(f);
  f.getGlyph = (id: number, codePoints: number[] = []) => {
    const g = get(id, codePoints);
    if (!g || sameCodePoints(g.codePoints, codePoints)) return g;
    return Object.create(g, { codePoints: { value: codePoints, enumerable: true, writable: true } }) as GlyphLike;
  };
}

function sameCodePoints(a: readonly number[], b: readonly number[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
