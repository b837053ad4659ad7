import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);

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
