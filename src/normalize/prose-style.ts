/**
 * Which paragraphing conventions a text follows: modern (fan fiction, web
 * fiction: short paragraphs, a beat and its speech together, one-line
 * paragraphs) or classic (nineteenth- and early twentieth-century novels:
 * long narrative paragraphs, each speech apart). Authors of the two kinds
 * paragraph the same surface patterns differently, so paragraph recovery
 * keeps a weight set for each and picks one per work.
 *
 * The evidence is a handful of rates read from the first 12,000 characters:
 * contractions, sentence length, archaic and modern words, present-tense
 * speech tags, semicolons. Their weights are fitted by `npm run fit` on the
 * same corpora as the rules. Quote marks are not evidence: straight and
 * curly quotes are read alike everywhere.
 */

export interface StyleFeature {
  mean: number;
  scale: number;
  weight: number;
}

export interface StyleModel {
  bias: number;
  features: Readonly<Record<string, StyleFeature>>;
}

/** How much of a text the style is read from. */
const SAMPLE_CHARS = 12_000;

const ARCHAIC = new Set('upon whilst shall thus hath thee thou thy ere nay amongst hither thither whence wherefore'.split(' '));
const MODERN = new Set('okay ok yeah yep nope gonna wanna gotta kinda sorta guys phone texted texting um uh wow lol'.split(' '));
const PRESENT_TAG = new Set('says asks replies whispers shouts mutters'.split(' '));
const PAST_TAG = new Set('said asked replied whispered shouted muttered'.split(' '));
/** The length of the contraction ending at `k` (`t`, `m`, `d`, `re`, `ve`, `ll`), 0 when there is none. */
function contractionLength(s: string, k: number): number {
  const c = s.charCodeAt(k);
  if (c === 116 || c === 109 || c === 100) return 1; // t m d
  const d = s.charCodeAt(k + 1);
  if ((c === 114 || c === 118) && d === 101) return 2; // re ve
  if (c === 108 && d === 108) return 2; // ll
  return 0;
}
const isLetterAt = (s: string, k: number) => {
  const c = s.charCodeAt(k);
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (c >= 0xaa && LETTER.test(s[k]!));
};
/** (first letter, length) of every listed word: most words are passed over without being sliced out. */
const LISTED = new Set([...ARCHAIC, ...MODERN, ...PRESENT_TAG, ...PAST_TAG].map((w) => w.charCodeAt(0) * 16 + w.length));

const isWordChar = (c: number) => (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
const isWhite = (c: number) => c === 32 || (c >= 9 && c <= 13) || c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff;
const LETTER = /\p{L}/u;

/**
 * The style evidence of a text (rates, log-scaled), read in one pass over
 * its first characters: words (runs of non-space), contractions (`n't`,
 * `'m`, `'re`, `'ve`, `'ll`, `'d` after a letter), sentence ends, archaic and
 * modern words, present- and past-tense speech verbs, semicolons.
 */
export function styleFeatures(text: string): Record<string, number> {
  const s = text.length > SAMPLE_CHARS ? text.slice(0, SAMPLE_CHARS) : text;
  let words = 0;
  let contractions = 0;
  let sentences = 0;
  let archaic = 0;
  let modern = 0;
  let present = 0;
  let past = 0;
  let semicolons = 0;
  let inToken = false;
  let contractionEnd = 0;
  let sentenceEnd = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (isWordChar(c)) {
      // A run of word characters at once: a listed word is looked up; the run is part of a token.
      if (!inToken) words++;
      inToken = true;
      let j = i + 1;
      while (j < s.length && isWordChar(s.charCodeAt(j))) j++;
      if (j - i <= 9 && (i === 0 || !isWordChar(s.charCodeAt(i - 1))) && LISTED.has((c | 32) * 16 + (j - i))) {
        const w = s.slice(i, j);
        const lower = w.toLowerCase();
        if (ARCHAIC.has(lower)) archaic++;
        if (MODERN.has(lower)) modern++;
        if (PRESENT_TAG.has(w)) present++;
        if (PAST_TAG.has(w)) past++;
      }
      i = j - 1;
      continue;
    }
    const white = c <= 32 || c >= 0xa0 ? isWhite(c) : false;
    if (!white && !inToken) words++;
    inToken = !white;
    if (white || c < 33) continue;
    if (c === 59) semicolons++;
    else if ((c === 39 || c === 0x2019) && i > 0 && i - 1 >= contractionEnd && isLetterAt(s, i - 1)) {
      const after = i + 1 + contractionLength(s, i + 1);
      if (after > i + 1 && (after >= s.length || !isWordChar(s.charCodeAt(after)))) {
        contractions++;
        contractionEnd = after;
      }
    } else if ((c === 46 || c === 33 || c === 63 || c === 0x2026) && i >= sentenceEnd) {
      let j = i + 1;
      const q = s[j];
      if (q === '"' || q === '”' || q === '’' || q === "'") j++;
      if (j < s.length && isWhite(s.charCodeAt(j))) {
        sentences++;
        sentenceEnd = j + 1;
      }
    }
  }
  words = Math.max(1, words);
  const perThousand = (n: number) => Math.log1p((1000 * n) / words);
  return {
    contractions: perThousand(contractions),
    'sentence-length': Math.log(words / Math.max(1, sentences)),
    archaic: perThousand(archaic),
    modern: perThousand(modern),
    'present-tags': present / (present + past + 1),
    semicolons: perThousand(semicolons),
  };
}

/** The probability that a text follows modern paragraphing, under `model`. */
export function modernProbability(text: string, model: StyleModel): number {
  const f = styleFeatures(text);
  let z = model.bias;
  for (const [name, w] of Object.entries(model.features)) z += (((f[name] ?? 0) - w.mean) / w.scale) * w.weight;
  return 1 / (1 + Math.exp(-z));
}
