/**
 * Speech tags: the `she said` / `said Holmes` / `Elizabeth quietly replied`
 * that attributes a speech, read with a word scanner and set lookups rather
 * than one large pattern (the old 5.6 KB pattern cost 12–60 ms to compile on
 * first use and backtracked over every subject length).
 */

/**
 * Verbs that attribute speech in a tag: “…,” she said / said he / Elizabeth
 * replied. Sounds and gestures (laughed, sighed, smiled) are beats, not tags;
 * the lexical weights learn how each of those behaves.
 */
export const SPEECH_VERBS: ReadonlySet<string> = new Set(
  (
    'said says asked asks replied replies answered answers cried cries exclaimed exclaims whispered whispers murmured murmurs ' +
    'muttered mutters shouted shouts yelled yells called calls added adds continued continues observed observes remarked remarks ' +
    'returned rejoined resumed began begins repeated repeats interrupted interrupts snapped snaps hissed hisses breathed admitted ' +
    'admits agreed agrees insisted insists demanded demands explained explains suggested suggests pleaded pleads protested protests ' +
    'declared declares announced announces echoed echoes teased teases grumbled grumbles sneered sneers stammered stammers ' +
    'stuttered stutters screamed screams responded responds retorted retorts mumbled mumbles purred purrs drawled drawls corrected ' +
    'corrects warned warns urged urges persisted persists concluded concludes conceded concedes ventured ventures whimpered ' +
    'whimpers gasped gasps sobbed sobs scoffed scoffs pressed prompted prompts growled growls snarled snarls told tells inquired ' +
    'inquires enquired enquires objected objects complained complains confessed confesses confirmed confirms corroborated advised ' +
    'advises roared roars mused muses quipped quips noted notes stated states offered offers grunted grunts groaned groans huffed ' +
    'huffs barked barks chirped chirps sang sings squeaked squeaks shrieked shrieks bellowed bellows wondered wonders reasoned ' +
    'reasons countered counters joked jokes greeted greets beeped beeps thought thinks'
  ).split(' '),
);

/** Two-word tag verbs: `went on`, `chimed in`. */
const SPEECH_PHRASES: ReadonlyMap<string, string> = new Map([
  ['went', 'on'],
  ['goes', 'on'],
  ['chimed', 'in'],
  ['spoke', 'up'],
  ['piped', 'up'],
  ['cut', 'in'],
]);

/**
 * Speech verbs that are also everyday action verbs: after a subject they are
 * a tag only when no object or infinitive follows (`he continued.` is a tag,
 * `The brush continued to move.` and `Tom resumed his whitewashing` are not).
 */
const ACTION_TOO: ReadonlySet<string> = new Set(
  'continued continues resumed resumes began begins returned called calls pressed told tells repeated repeats warned warns urged urges concluded concludes ventured ventures corrected corrects admitted admits agreed agrees observed observes added adds prompted prompts persisted persists offered offers noted notes stated states greeted greets thought thinks'.split(
    ' ',
  ),
);
/** Words after an action-too verb that make it an action: an object, an infinitive. */
const OBJECT_WORD: ReadonlySet<string> = new Set('to his her their its my our the a an that this these those him them me us it'.split(' '));

export const PRONOUNS: ReadonlySet<string> = new Set(['he', 'she', 'they', 'i', 'we', 'you', 'it']);
const SUBJECT_PRONOUN: ReadonlySet<string> = new Set(['I', 'he', 'she', 'they', 'we', 'you', 'it', 'He', 'She', 'They', 'We', 'You', 'It']);
const DETERMINER: ReadonlySet<string> = new Set('the his her their my our your a an The His Her Their My Our Your A An'.split(' '));

/** A word as tags are made of: letters, apostrophes, hyphens, and a trailing full stop (`Mr.`). */
const WORD = /[\p{L}’'\-]+\.?/uy;

/** A space or a no-break space. */
const isBlank = (c: number) => c === 32 || c === 0xa0;

/** A word in capitals of two or more letters (`SHE`, `SHOUTED.`), not `I` or `A`. */
const isShouted = (w: string) => w.length > 1 && /^\p{Lu}[\p{Lu}’'\-]+\.?$/u.test(w);
/** `SHE` → `She`, `SHOUTED` → `shouted`: pronouns and verbs as the tag rules know them. */
const titleCase = (w: string) => {
  const lower = w.toLowerCase();
  if (SPEECH_VERBS.has(bare(lower)) || SPEECH_PHRASES.has(bare(lower)) || OBJECT_WORD.has(bare(lower)) || /^\p{Ll}+ly$/u.test(lower)) return lower;
  return w[0] + lower.slice(1);
};
const isCap = (w: string | undefined) => {
  if (w === undefined || w.length === 0) return false;
  const c = w.charCodeAt(0);
  if (c < 128) return c >= 65 && c <= 90;
  return w[0] !== w[0]!.toLowerCase();
};
const isLowerWord = (w: string | undefined) => w !== undefined && /^\p{Ll}/u.test(w);
const bare = (w: string) => (w.endsWith('.') ? w.slice(0, -1) : w);

/** `words[k]`, or undefined past the end (read without going past it: that would throw V8's compiled code away). */
const wordOf = (words: readonly string[], k: number): string | undefined => (k < words.length ? words[k] : undefined);

/** Whether `words[k]` (perhaps with `words[k+1]`) is a tag verb; returns how many words it took (0: none). */
function verbAt(words: readonly string[], k: number, afterSubject: boolean, lower = false): number {
  const w = wordOf(words, k);
  if (w === undefined) return 0;
  const v = lower ? bare(w).toLowerCase() : bare(w);
  const particle = SPEECH_PHRASES.get(v);
  const after = wordOf(words, k + 1);
  if (particle && after !== undefined && bare(after) === particle) return 2;
  if (!SPEECH_VERBS.has(v)) return 0;
  if (afterSubject && ACTION_TOO.has(v) && !w.endsWith('.')) {
    const next = after;
    if (next !== undefined && next !== '\u0000' && (OBJECT_WORD.has(next) || /^\p{Ll}+ing$/u.test(next))) return 0;
  }
  return 1;
}

/**
 * The longest subject at `words[k]`, in words (0: none): a pronoun, a
 * determiner and a noun, or up to three capitalised words (after a
 * determiner or not). Shorter subjects are tried down to `shortestSubject`.
 */
function longestSubject(words: readonly string[], k: number): number {
  const w = wordOf(words, k);
  if (w === undefined || w === '\u0000') return 0;
  if (SUBJECT_PRONOUN.has(w)) return 1;
  if (DETERMINER.has(w)) {
    const n = wordOf(words, k + 1);
    if (isLowerWord(n) && n !== '\u0000') return 2;
    const run = isCap(n) ? capitalRun(words, k + 1) : 0;
    return run ? run + 1 : 0;
  }
  return isCap(w) ? capitalRun(words, k) : 0;
}

/** The shortest subject `longestSubject` allows at `words[k]` (a determiner needs its noun). */
const shortestSubject = (words: readonly string[], k: number, longest: number) => (DETERMINER.has(words[k]!) || SUBJECT_PRONOUN.has(words[k]!) ? longest > 1 && DETERMINER.has(words[k]!) ? 2 : longest : 1);

/** How many capitalised words run from `k` (at most 3; a `Mr.` may end in a full stop, another full stop ends the run). */
function capitalRun(words: readonly string[], k: number): number {
  let n = 0;
  while (n < 3 && isCap(wordOf(words, k + n)) && words[k + n] !== '\u0000') {
    n++;
    if (words[k + n - 1]!.endsWith('.') && !/^(?:Mr|Mrs|Ms|Mx|Dr|St|Prof|Capt|Col|Gen|Lt|Sgt|Rev)\.$/.test(words[k + n - 1]!)) break;
  }
  return n;
}

const LEADING_DETERMINER = new Set(['the', 'his', 'her', 'their', 'my', 'our', 'your', 'a', 'an']);
/** A speaker as tags compare them (`words[from, to)`): lower case, without a leading determiner or a trailing full stop. */
function normalizeSpeaker(words: readonly string[], from: number, to: number): string {
  let out = '';
  for (let k = from; k < to; k++) {
    const w = bare(words[k]!).toLowerCase();
    if (k === from && to - from > 1 && LEADING_DETERMINER.has(w)) continue;
    out = out ? `${out} ${w}` : w;
  }
  return out;
}

/**
 * The speaker a tag at the start of `after` names (`, said he.` → `he`,
 * ` Elizabeth quietly replied` → `elizabeth`), or undefined when `after`
 * does not start with a tag.
 */
export function tagSpeaker(after: string, from = 0): string | undefined {
  // The words from `from` (after an optional `,` or `;`), at most six; `\u0000` marks punctuation
  // that ends them. (Read here rather than in a function of its own: the function is then large
  // enough that V8 compiles it once instead of once more inside each of its callers.)
  const words: string[] = [];
  let i = from;
  const n = after.length;
  const end = Math.min(n, from + 80);
  // Code units, read only inside the string: a read past its end would throw V8's compiled code away.
  const first = i < n ? after.charCodeAt(i) : 0;
  if (first === 44 || first === 59) i++; // , ;
  while (words.length < 6) {
    while (i < end && isBlank(after.charCodeAt(i))) i++;
    if (i >= end) break;
    WORD.lastIndex = i;
    const m = WORD.exec(after);
    if (!m) break;
    words.push(m[0]);
    i = WORD.lastIndex;
    // A word must be followed by a space or the end for the next one to belong to the tag.
    if (i < n && !isBlank(after.charCodeAt(i))) {
      words.push('\u0000'); // punctuation: the tag's words stop here
      break;
    }
  }
  if (!words.length) return undefined;
  // A tag in capitals (`“WHERE ARE YOU GOING?” SHE SHOUTED.`) reads like its mixed-case form.
  // (In place: an array made by `map` has another map than this one, and the code compiled for it would be thrown away.)
  if (isShouted(words[0]!)) for (let k = 0; k < words.length; k++) if (isShouted(words[k]!)) words[k] = titleCase(words[k]!);
  // `said he`, `cried her mother`
  const v = verbAt(words, 0, false, true);
  if (v) {
    const span = longestSubject(words, v);
    return span ? normalizeSpeaker(words, v, v + span) || undefined : undefined;
  }
  // `he said`, `Elizabeth quietly replied`: the longest subject first, so `Recovery Girl` is one subject.
  const longest = longestSubject(words, 0);
  for (let span = longest, min = shortestSubject(words, 0, longest); span >= min && span > 0; span--) {
    let k = span;
    if (/^\p{Ll}+ly$/u.test(wordOf(words, k) ?? '')) k++;
    if (verbAt(words, k, true)) return normalizeSpeaker(words, 0, span) || undefined;
  }
  return undefined;
}

/** Whether `text` has a speech tag at `from`. */
export const startsWithTag = (text: string, from = 0): boolean => tagSpeaker(text, from) !== undefined;

/**
 * A tag before speech at the end of `before`: `Elizabeth said, ` / `she
 * asked: ` / `Draco shrugged, ` (narration introducing speech with a comma or
 * colon). Gives the subject that speaks, or undefined.
 */
export function tagBeforeSpeaker(before: string): string | undefined {
  let k = before.length - 1;
  while (k >= 0 && (before[k] === ' ' || before[k] === '\u00a0')) k--;
  if (k < 0 || (before[k] !== ',' && before[k] !== ':')) return undefined;
  // The clause before the comma: from the last sentence end (or clause-breaking punctuation) on.
  let start = k - 1;
  while (start >= 0 && !'.!?…;"“”'.includes(before[start]!)) start--;
  const clause = before.slice(start + 1, k).trim();
  const words = clause.split(/\s+/);
  if (words.length > 9) return undefined;
  const span = longestSubject(words, 0);
  return span ? normalizeSpeaker(words, 0, span) || undefined : undefined;
}
