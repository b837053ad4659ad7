import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

type Hyphenator = (text: string) => string;

/** Languages with patterns in the `hyphen` package, by the file that holds them. */
const PATTERNS: Record<string, string> = {
  en: 'en-us',
  'en-us': 'en-us',
  'en-gb': 'en-gb',
  de: 'de-1996',
  fr: 'fr',
  es: 'es',
  it: 'it',
  pt: 'pt',
  nl: 'nl',
  pl: 'pl',
  ru: 'ru',
  sv: 'sv',
  da: 'da',
  fi: 'fi',
  nb: 'nb',
  nn: 'nn',
  no: 'no',
  cs: 'cs',
  hu: 'hu',
  tr: 'tr',
  uk: 'uk',
  ca: 'ca',
  el: 'el-monoton',
  id: 'id',
};

const cache = new Map<string, Hyphenator | null>();

/**
 * A hyphenator for a BCP 47 language (soft hyphens, U+00AD, at the break
 * points of Liang's patterns), or null when there are no patterns for it.
 * Patterns load once per process.
 */
export function hyphenatorFor(lang: string, minWordLength: number): Hyphenator | null {
  const tag = lang.toLowerCase();
  const file = PATTERNS[tag] ?? PATTERNS[tag.split('-')[0]!];
  const key = `${file}:${minWordLength}`;
  if (cache.has(key)) return cache.get(key)!;
  let fn: Hyphenator | null = null;
  if (file) {
    try {
      const create = require('hyphen/hyphen.js') as (patterns: unknown, options: object) => Hyphenator;
      const patterns = require(`hyphen/patterns/${file}.js`) as unknown;
      const raw = create(patterns, { minWordLength });
      // Words recur: remember each one's break points (bounded).
      const memo = new Map<string, string>();
      fn = (word: string) => {
        let h = memo.get(word);
        if (h === undefined) {
          h = raw(word);
          if (memo.size > 100_000) memo.clear();
          memo.set(word, h);
        }
        return h;
      };
    } catch {
      fn = null;
    }
  }
  cache.set(key, fn);
  return fn;
}
