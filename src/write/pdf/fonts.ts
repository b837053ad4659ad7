import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);

/** Directory of the Literata TTFs shipped by `@expo-google-fonts/literata` (OFL). */
function literataDir(): string {
  return dirname(require.resolve('@expo-google-fonts/literata/package.json'));
}

/** Path of a Literata face by its file stem, e.g. `Literata_400Regular`. */
export function fontPath(stem: string): string {
  const weight = stem.replace(/^Literata_/, '');
  return join(literataDir(), weight, `${stem}.ttf`);
}
