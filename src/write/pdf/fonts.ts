import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { create } from 'fontkit';

const require = createRequire(import.meta.url);

type Font = ReturnType<typeof create>;
const parsed = new Map<string, Font>();

/**
 * A font, parsed once per process and shared by every PDF written in it
 * (pdfkit takes fontkit fonts directly; each document still embeds its own
 * subset). Parsing the faces again for every book cost more than setting a
 * short story.
 */
export function loadFont(stem: string): Font {
  let f = parsed.get(stem);
  if (!f) {
    f = create(readFileSync(fontPath(stem)));
    guardLayout(f);
    parsed.set(stem, f);
  }
  return f;
}

/**
 * Font files, all from npm: Literata (OFL) for the text, DejaVu Serif
 * (Bitstream Vera licence) as the fallback for glyphs Literata lacks.
 */
export function fontPath(stem: string): string {
  if (stem.startsWith('DejaVu')) {
    return join(dirname(require.resolve('dejavu-fonts-ttf/package.json')), 'ttf', `${stem}.ttf`);
  }
  const weight = stem.replace(/^Literata_/, '');
  return join(dirname(require.resolve('@expo-google-fonts/literata/package.json')), weight, `${stem}.ttf`);
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
