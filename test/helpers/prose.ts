/**
 * Long original prose for tests that need a book of many pages: sentences
 * made from the helper's own small vocabulary by a seeded generator, so the
 * same seed gives the same text and no sentence comes from anywhere else.
 */

const NAMES = ['Maren', 'Tobiah', 'Ysolde', 'Corwin', 'Halla', 'Piet', 'Anouk', 'Ferris'];
const NOUNS = ['lantern', 'harbour', 'kettle', 'ledger', 'orchard', 'bridge', 'window', 'staircase', 'letter', 'compass', 'garden', 'ferry', 'attic', 'signal', 'market', 'kitchen', 'archive', 'quarry', 'meadow', 'workshop'];
const ADJECTIVES = ['quiet', 'crooked', 'silver', 'patient', 'narrow', 'borrowed', 'early', 'salt-stained', 'unfinished', 'warm', 'distant', 'careful'];
const VERBS = ['carried', 'mended', 'counted', 'watched', 'followed', 'painted', 'opened', 'folded', 'forgot', 'answered', 'measured', 'kept'];
const PLACES = ['along the quay', 'under the eaves', 'past the old mill', 'behind the chapel', 'across the square', 'beside the canal', 'at the edge of town', 'in the long shadow of the hill'];
const TIMES = ['before dawn', 'by noon', 'all that winter', 'every second Tuesday', 'while the tide turned', 'long after supper', 'on the last day of the fair'];
const SAYINGS = ['Nobody asked me', 'We could try again tomorrow', 'That was never the point', 'Bring the map', 'I kept the receipt', 'Ask the ferryman', 'It will rain by evening'];

function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    // xorshift32
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s / 0x100000000;
  };
}

/** `count` paragraphs of original prose (about 90 words each) from `seed`. */
export function paragraphs(seed: number, count: number): string[] {
  const r = rng(seed);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(r() * xs.length)]!;
  const sentence = () => {
    switch (Math.floor(r() * 4)) {
      case 0:
        return `${pick(NAMES)} ${pick(VERBS)} the ${pick(ADJECTIVES)} ${pick(NOUNS)} ${pick(PLACES)} ${pick(TIMES)}.`;
      case 1:
        return `“${pick(SAYINGS)},” said ${pick(NAMES)}, and ${pick(VERBS)} the ${pick(NOUNS)} a second time.`;
      case 2:
        return `The ${pick(NOUNS)} was ${pick(ADJECTIVES)} and the ${pick(NOUNS)} was ${pick(ADJECTIVES)}, so ${pick(NAMES)} ${pick(VERBS)} it ${pick(TIMES)}.`;
      default:
        return `${pick(TIMES).replace(/^./, (c) => c.toUpperCase())}, ${pick(NAMES)} and ${pick(NAMES)} ${pick(VERBS)} a ${pick(ADJECTIVES)} ${pick(NOUNS)} ${pick(PLACES)}.`;
    }
  };
  return Array.from({ length: count }, () => Array.from({ length: 5 + Math.floor(r() * 3) }, sentence).join(' '));
}

/** A Markdown work with front matter: `chapters` chapters of `perChapter` paragraphs each. */
export function markdownWork(o: { title: string; author: string; seed: number; chapters: number; perChapter: number; series?: { name: string; part: number }; summary?: string }): string {
  const front = [
    '---',
    `title: ${o.title}`,
    `author: ${o.author}`,
    'language: en',
    ...(o.series ? [`series: ${o.series.name}`, `part: ${o.series.part}`] : []),
    ...(o.summary ? [`summary: ${o.summary}`] : []),
    '---',
    '',
  ];
  const body: string[] = [];
  for (let c = 1; c <= o.chapters; c++) {
    body.push(`# Chapter ${c}`, '', ...paragraphs(o.seed * 1000 + c, o.perChapter).flatMap((p) => [p, '']));
  }
  return [...front, ...body].join('\n');
}
