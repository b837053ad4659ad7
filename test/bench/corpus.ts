/**
 * A synthetic corpus for benchmarks: original, deterministic prose with
 * dialogue, scene breaks, notes and AO3-style series trailers, written as
 * flattened scrapes (one line, as users' files arrive) or as paragraphed text.
 * Nothing here comes from any real work.
 */

/** Small deterministic PRNG (mulberry32). */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const NAMES = ['Ansel', 'Brisa', 'Corvin', 'Dessa', 'Emrys', 'Faela', 'Garrow', 'Hesper', 'Ilse', 'Jory', 'Kestrel', 'Lune'];
const PLACES = ['the harbour wall', 'the signal house', 'the lower market', 'the lamp room', 'the north road', 'the ferry slip', 'the archive stairs', 'the orchard gate'];
const THINGS = ['a lantern', 'the ledger', 'a folded map', 'the brass key', 'a chipped cup', 'the old compass', 'a letter', 'the coil of rope'];
const VERBS = ['watched', 'crossed', 'remembered', 'studied', 'ignored', 'circled', 'approached', 'considered'];
const MOODS = ['quietly', 'slowly', 'without hurry', 'at last', 'for a long moment', 'once more', 'with some care', 'almost fondly'];
const TAGS = ['said', 'asked', 'replied', 'murmured', 'answered', 'added'];
const LINES = [
  'We should have left an hour ago',
  'I told you the tide would turn',
  'Nobody keeps the light for the money',
  'Give me the key and go back inside',
  'You always say that when you are tired',
  'There is a ship out there, I am sure of it',
  'Then we wait until the fog lifts',
  'I never asked you to come with me',
  'Light it early, just this once',
  'Some promises are made to strangers',
];
const WEATHER = ['The wind shifted and brought the smell of kelp.', 'Rain began against the glass, thin and patient.', 'Somewhere below, a bell rang three times.', 'The fog had thickened until the breakwater vanished.'];

function pick<T>(r: () => number, list: readonly T[]): T {
  return list[Math.floor(r() * list.length)]!;
}

function narration(r: () => number): string {
  const n = 2 + Math.floor(r() * 4);
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    const who = pick(r, NAMES);
    switch (Math.floor(r() * 4)) {
      case 0:
        out.push(`${who} ${pick(r, VERBS)} ${pick(r, PLACES)} ${pick(r, MOODS)}, holding ${pick(r, THINGS)} against the cold.`);
        break;
      case 1:
        out.push(pick(r, WEATHER));
        break;
      case 2:
        out.push(`It was not the first time ${who} had ${pick(r, VERBS)} ${pick(r, THINGS)}, and it would not be the last.`);
        break;
      default:
        out.push(`By the time they reached ${pick(r, PLACES)}, ${who} had decided to say nothing at all about ${pick(r, THINGS)}.`);
    }
  }
  return out.join(' ');
}

function dialogue(r: () => number): string {
  const who = pick(r, NAMES);
  const line = pick(r, LINES);
  const end = r() < 0.3 ? '?' : '.';
  switch (Math.floor(r() * 3)) {
    case 0:
      return `"${line}," ${who} ${pick(r, TAGS)}.`;
    case 1:
      return `"${line}${end}" ${who} looked away. "${pick(r, LINES)}."`;
    default:
      return `${who} ${pick(r, VERBS)} ${pick(r, THINGS)}. "${line}${end}"`;
  }
}

/** Paragraphs of a story of about `words` words. */
export function paragraphs(words: number, seed: number): string[] {
  const r = rng(seed);
  const out: string[] = [];
  let count = 0;
  while (count < words) {
    const p = r() < 0.08 ? '* * *' : r() < 0.55 ? dialogue(r) : narration(r);
    out.push(p);
    count += p.split(/\s+/).length;
  }
  return out;
}

export interface SyntheticWork {
  name: string;
  text: string;
  words: number;
}

/**
 * A flattened scrape of about `words` words: the story on one line, then end
 * notes and, when `series` is given, an AO3 series trailer.
 */
export function flatScrape(words: number, seed: number, series?: { name: string; part: number }): SyntheticWork {
  const story = paragraphs(words, seed).join(' ');
  let text = `${story} Notes: Written for the benchmark, seed ${seed}. Thank you for reading!`;
  if (series) text += ` Series this work belongs to: ← Previous Work Part ${series.part} of ${series.name} Next Work →`;
  return { name: `synthetic-${seed}`, text: text + '\n', words: story.split(/\s+/).length };
}

/** The same story with blank lines between paragraphs and front matter. */
export function paragraphedText(words: number, seed: number, title: string): SyntheticWork {
  const ps = paragraphs(words, seed);
  const text = `---\ntitle: ${title}\nauthor: Bench Writer\n---\n\n${ps.join('\n\n')}\n`;
  return { name: `paragraphed-${seed}`, text, words: ps.join(' ').split(/\s+/).length };
}

/**
 * The "many short works" shape: `count` single-chapter flattened scrapes of
 * 800–6,000 words (about 3,000 on average, so 78 make ~235k words, like a
 * folder of saved AO3 chapters), half of them ending in a series trailer. No
 * sidecars: titles fall back to the file name, as for a user's bare scrapes.
 */
export function shortWorks(count: number, seed: number): Array<SyntheticWork & { file: string }> {
  const r = rng(seed);
  const parts = new Map<string, number>();
  return Array.from({ length: count }, (_, i) => {
    const words = 800 + Math.floor(Math.pow(r(), 1.3) * 5200);
    let series: { name: string; part: number } | undefined;
    if (i % 2 === 1) {
      const name = `Short Series ${1 + (i % 5)}`;
      const part = (parts.get(name) ?? 0) + 1;
      parts.set(name, part);
      series = { name, part };
    }
    return { ...flatScrape(words, seed * 1000 + i, series), file: `chapter-${String(i + 1).padStart(3, '0')}.txt` };
  });
}
