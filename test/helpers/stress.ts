/**
 * Stress stories for the layout tests, made from a small bank of sentences
 * written for Quire (no outside text): many chapters with long AO3-style
 * "In Which…" titles, paragraphs of every length with dialogue, hyphenated
 * compounds, long words, web addresses, letters in set lines, scene breaks
 * and a table. Deterministic: the same options give the same story.
 */

const SENTENCES = [
  'The harbour-master counted the boats twice and came to a different number each time.',
  'Nobody in the village had ever seen the lighthouse keeper eat anything but toast.',
  'Rain came in sideways off the estuary and found every gap in the well-worn shutters.',
  'She folded the chart along its old creases, which had long since stopped agreeing with the coastline.',
  'A gull landed on the railing, looked at them with enormous disapproval, and left again.',
  'The lamp-room smelled of paraffin, brass polish and something that might once have been soup.',
  'He was usually-stoic about weather, but this weather was taking liberties.',
  'They argued about the kettle for a full quarter of an hour, and then about the argument.',
  'Somewhere below the cliff a bell buoy rang out of time with the waves.',
  'Her handwriting was small and slanted, the handwriting of someone who expected to be interrupted.',
  'The inspector’s umbrella had been bought for a gentler climate and had opinions about this one.',
  'It was the kind of silence that had furniture in it.',
  'By the third winter they had stopped pretending that the cat belonged to either of them.',
  'The supply boat was late again, which meant the flour was damp again, which meant bread-and-dripping again.',
  'Extraordinarily, unaccountably, the fog lifted for exactly as long as it took to read the signal.',
  'A half-finished jumper hung over the back of the chair like a patient relative.',
  'The letter had been forwarded so many times that the envelope was mostly crossings-out.',
  'Out past the reef the water went from grey to green to a blue nobody had a name for.',
  'Thoroughgoing incompetence, the inspector wrote, and then crossed it out and wrote “irregularities”.',
  'She kept her accounts in a ledger bound in oilcloth and trusted no other kind.',
];

const DIALOGUE = [
  '“You’re late,” said Agathe.',
  '“I’m not late. The tide is early.”',
  '“Is that a thing tides do?”',
  '“It is today,” said Mara, and shouted for the dog.',
  '“Put the kettle on,” said somebody, and everybody pretended not to hear.',
  '“Well?” he said. “Are you going to read it, or are you going to look at it until it reads itself?”',
  '“It’s addressed to the keeper,” she said. “Which one, it doesn’t say.”',
  '“Nobody,” said the inspector, very carefully, “has ever filed a complaint about a cat.”',
];

const TITLES = [
  'In Which Our Heroine Arrives at the Point and Finds the Keeper’s Cottage Occupied',
  'In Which a Great Deal of Paint Is Applied to Surfaces That Did Not, Strictly Speaking, Need It',
  'In Which the Cartographer Takes Exception to the Coastline, and the Coastline Takes No Notice',
  'In Which Nothing Happens for Quite Some Time, Which Suits Everyone Perfectly Well',
  'In Which a Stranger Comes Up the Cliff Steps in the Rain Carrying a Leather Satchel and a Grudge',
  'In Which the Inspector Inspects, and Is Himself Inspected by the Cat, Who Finds Him Wanting',
  'In Which the Letter Arrives Eleven Years After It Was Posted, Having Clearly Been Somewhere',
  'Interlude',
  'In Which the Charts Are Corrected at Last, by Hand, in Ink, in Triplicate, Under Protest',
];

/** A small deterministic generator (a linear congruential one). */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

export interface StressOptions {
  chapters: number;
  /** Paragraphs per chapter. */
  paragraphs: number;
  seed?: number;
  /** The work's title (default: a short one). */
  title?: string;
  /** Characters of one chapter title made very long (default: none). */
  hugeChapterTitle?: number;
}

/** Text of about `length` characters from the sentence bank. */
export function prose(length: number, seed = 1): string {
  const rnd = random(seed);
  let out = '';
  while (out.length < length) out += (out ? ' ' : '') + SENTENCES[Math.floor(rnd() * SENTENCES.length)]!.replace(/\.$/, '');
  return out.slice(0, length).replace(/\s+\S*$/, '');
}

/** A Markdown story with front matter. */
export function stressStory(o: StressOptions): string {
  const rnd = random(o.seed ?? 7);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rnd() * xs.length)]!;
  const lines: string[] = ['---', `title: ${JSON.stringify(o.title ?? 'The Keeper of Grennock Point')}`, 'author: Odile Marchbank', 'published: 2023-11-01', 'tags: [Lighthouses, Epistolary]', '---', ''];
  for (let c = 1; c <= o.chapters; c++) {
    const title = c === 3 && o.hugeChapterTitle ? `In Which ${prose(o.hugeChapterTitle, c)}` : TITLES[(c - 1) % TITLES.length]!;
    lines.push(`# Chapter ${c}: ${title}`, '');
    for (let p = 0; p < o.paragraphs; p++) {
      const r = rnd();
      if (p > 0 && p % 9 === 4) lines.push('* * *');
      else if (p % 13 === 6) lines.push('Dear Sirs,\\', 'I write once more about the matter of the lamp,\\', 'which is lit, and will stay lit.\\', 'Yours faithfully,\\', 'A. Strand, Keeper');
      else if (p % 17 === 11) lines.push(`The complaints desk can be found at https://lights.example.com/complaints/northern-district/grennock-point-${c} or at www.example.org/keepers, and the clerk at clerk${c}@example.net replies on Thursdays.`);
      else if (p === 8 && c % 4 === 2) lines.push('| Clock | Fault | Remedy |', '| --- | --- | --- |', '| Tuesday | Mantle cracked | Replaced from the spare-parts tin |', '| Thursday | Lens smeared | Polished, twice, with vinegar |');
      else if (r < 0.3) lines.push(pick(DIALOGUE));
      else {
        const n = 1 + Math.floor(rnd() * 7);
        const ss: string[] = [];
        for (let k = 0; k < n; k++) ss.push(r < 0.4 && k === n - 1 ? pick(DIALOGUE) : pick(SENTENCES));
        lines.push(ss.join(' '));
      }
      lines.push('');
    }
  }
  return lines.join('\n');
}
