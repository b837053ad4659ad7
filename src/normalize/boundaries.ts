import { analyzeQuotes, depthAt, firstMarkFrom, markAt, type QuoteMark } from './quotes.js';

/**
 * Paragraph boundaries in flat text, as a scored decision at each candidate.
 *
 * A candidate is a space between two sentences. Each named rule below looks
 * at both sides — punctuation, quote state, speech tags, speakers, sentence
 * and paragraph lengths — and adds to the score; a candidate with a positive
 * score becomes a paragraph break. Rules are ordered, commented and
 * individually testable (`explainBoundaries`).
 */

/** What ends the left side of a candidate. */
export type LeftEnd =
  | 'speech' // a closed speech quote: …end.” / …end?”
  | 'speech-comma' // a closed speech quote ending in a comma: “Hell,” → a tag follows
  | 'stop' // sentence-final punctuation outside speech
  | 'stop-in-speech' // sentence-final punctuation inside an open speech quote
  | 'dash' // an em dash leading into speech: said to her—“…
  | 'colon'; // a colon leading into speech: in this way: “…

/** What starts the right side. */
export type RightStart = 'quote' | 'word';

export interface Candidate {
  /** Index of the first character of the right side. */
  at: number;
  /** Index where the whitespace before it starts. */
  gap: number;
  left: LeftEnd;
  right: RightStart;
  score: number;
  /** The rules that fired, with their contributions. */
  rules: Array<[string, number]>;
}

export interface Context {
  text: string;
  marks: QuoteMark[];
  c: Candidate;
  /** Start of the left sentence: the previous candidate that starts a sentence (speech tags do not). */
  leftSentenceStart: number;
  /** End of the right sentence (the next candidate's `gap`, or the text's end). */
  rightSentenceEnd: number;
  /** Words since the last chosen boundary. */
  paragraphWords: number;
  /** Whether the current paragraph (since the last chosen boundary) has speech. */
  paragraphHasSpeech: boolean;
  /** Start of the current paragraph. */
  paragraphStart: number;
  /** Sentences in the current paragraph so far. */
  paragraphSentences: number;
  /** Proper names of the text (capitalised mid-sentence, never lower case). */
  names: ReadonlySet<string>;
  /** The names the current paragraph has mentioned so far. */
  paragraphNames: ReadonlySet<string>;
}

/**
 * One named piece of evidence about a candidate. `feature` measures it
 * (usually 0 or 1); `weight` says how much it counts towards a break.
 */
export interface Rule {
  id: string;
  description: string;
  weight: number;
  feature: (x: Context) => number;
}

/**
 * Verbs that attribute speech in a tag: “…,” she said / said he / Elizabeth
 * replied. Sounds and gestures (laughed, sighed, smiled) are beats, not tags.
 */
const SPEECH_VERBS =
  'said|says|asked|asks|replied|replies|answered|answers|cried|cries|exclaimed|exclaims|whispered|whispers|murmured|murmurs|muttered|mutters|shouted|shouts|yelled|yells|called|calls|added|adds|continued|continues|observed|observes|remarked|remarks|returned|rejoined|resumed|began|begins|repeated|repeats|interrupted|interrupts|snapped|snaps|hissed|hisses|breathed|admitted|admits|agreed|agrees|insisted|insists|demanded|demands|explained|explains|suggested|suggests|pleaded|pleads|protested|protests|declared|declares|announced|announces|went on|goes on|echoed|echoes|teased|teases|grumbled|grumbles|sneered|sneers|stammered|stammers|stuttered|stutters|screamed|screams|responded|responds|retorted|retorts|mumbled|mumbles|purred|purrs|drawled|drawls|corrected|corrects|warned|warns|urged|urges|persisted|persists|concluded|concludes|conceded|concedes|ventured|ventures|whimpered|whimpers|gasped|gasps|sobbed|sobs|scoffed|scoffs|chimed in|pressed|prompted|prompts|growled|growls|snarled|snarls|told|tells|inquired|inquires|enquired|enquires|objected|objects|complained|complains|confessed|confesses|confirmed|confirms|corroborated|advised|advises';

const SUBJECT = "(?:(?:I|he|she|they|we|you|it|He|She|They|We|You|It)\\b|(?:(?:the|his|her|their|my|our|your|The|His|Her|Their|My|Our|Your)\\s+)?\\p{Lu}[\\p{L}’'\\-]*\\.?(?:\\s+\\p{Lu}[\\p{L}’'\\-]*){0,2}|(?:the|his|her|their|my|our|your|a|an|The|His|Her|Their|My|Our|Your|A|An)\\s+\\p{Ll}+)";

/**
 * Speech verbs that are also everyday action verbs: after a subject they are
 * a tag only when no object or infinitive follows (`he continued.` is a tag,
 * `The brush continued to move.` and `Tom resumed his whitewashing` are not).
 */
const ACTION_TOO = new Set('continued continues resumed resumes began begins returned called calls pressed told tells repeated repeats warned warns urged urges concluded concludes ventured ventures corrected corrects admitted admits agreed agrees observed observes added adds prompted prompts persisted persists'.split(' '));
const TAG_VERB = `(?:${SPEECH_VERBS
  .split('|')
  .map((v) => (ACTION_TOO.has(v) ? `${v}(?!\\s+(?:to\\s|his\\b|her\\b|their\\b|its\\b|my\\b|our\\b|the\\b|a\\b|an\\b|\\p{Ll}+ing\\b))` : v))
  .join('|')})`;

/** `he said`, `Elizabeth quietly replied`, `said he`, `cried her mother` at the start of a stretch. */
const TAG_AFTER = new RegExp(
  `^[,;]?\\s*(?:(${SUBJECT})\\s+(?:\\p{Ll}+ly\\s+)?${TAG_VERB}\\b|(?:${SPEECH_VERBS})\\s+(${SUBJECT}))`,
  'u',
);

/** A tag before speech: `Elizabeth said, “` / `she asked:`. */
const TAG_BEFORE = new RegExp(`(${SUBJECT})\\s+(?:\\p{Ll}+ly\\s+)?(?:${SPEECH_VERBS})[^.!?]{0,40}[,:]\\s*$`, 'u');

/** Narration that ends by announcing speech: `Ben said:`, `answered carelessly:`, `thus addressed her:`. */
const SAID_COLON = new RegExp(`\\b(?:${SPEECH_VERBS}|addressed|spoke)\\b(?:\\s+[\\p{L}’']+){0,2}\\s*:$`, 'u');

/** The speaker named in a tag, normalized for comparison (`Said he` → `he`). */
export function tagSpeaker(after: string): string | undefined {
  const m = TAG_AFTER.exec(after);
  if (!m) return undefined;
  return (m[1] ?? m[2] ?? '').toLowerCase().replace(/^(?:the|his|her|their|my|our|your|a|an)\s+/, '').trim() || undefined;
}

const PRONOUNS = new Set(['he', 'she', 'they', 'i', 'we', 'you', 'it']);

/** Sentence openers that mark a step in time or place. */
const TRANSITION =
  /^(?:When|After|Afterwards|The next|Next|Meanwhile|Later|At last|At length|In the (?:morning|evening|afternoon|meantime|course)|On (?:the|her|his|their) (?:following|next|return|arrival)|The following|Before|Soon|As soon as|That (?:evening|night|morning|afternoon)|The (?:morning|evening|day|night|week|month|rest) |Within|Several|A (?:few|week|day|month|fortnight)|By the time|Some (?:time|days|weeks|minutes|hours)|(?:Two|Three|Four|Five|Six) (?:days|weeks|hours|minutes|months|years))\b/;

/** Sentence openers that carry on from the sentence before. */
const PRONOUN_START = /^(?:He|She|They|It|I|We|You|His|Her|Their|Its|My|Our|This|That|These|Those|There|Here)\b/;
const CONNECTIVE_START = /^(?:And|But|Yet|So|Then|Still|Nor|Or|For|Besides|However|Indeed|Even|Now)\b/;

/** Abbreviations whose full stop does not end a sentence. */
const ABBREVIATION =
  /(?:^|[\s(“"‘'])(?:Mr|Mrs|Ms|Mx|Dr|St|Jr|Sr|Prof|Capt|Col|Gen|Lt|Sgt|Rev|Hon|Gov|Pres|Mt|Ft|No|Nos|vs|etc|i\.e|e\.g|cf|viz|Vol|vol|Ch|ch|pp?|approx|Inc|Ltd|Co)\.$|(?:^|[\s(])\p{Lu}\.$/u;

const OPENING_QUOTE = /["“‘'«„]/;

/**
 * Find the candidate boundaries of a flat text: every run of spaces between
 * a sentence end (or a dash/colon leading into speech) and a sentence start.
 */
export function findCandidates(text: string, marks: QuoteMark[]): Candidate[] {
  const out: Candidate[] = [];
  const n = text.length;
  // One pass over the characters: only a space after sentence-final punctuation, a closing quote,
  // a dash or a colon can be a candidate, so most gaps are passed over on one character test.
  for (let i = 1; i < n; i++) {
    if (!isSpace(text.charCodeAt(i)) || isSpace(text.charCodeAt(i - 1))) continue;
    const gap = i;
    let at = i + 1;
    while (at < n && isSpace(text.charCodeAt(at))) at++;
    i = at - 1;
    if (at >= n) break;
    const a = text[gap - 1]!;
    if (!LEFT_END.has(a)) continue;
    const b = text[at]!;
    const rightMark = markAt(marks, at);
    const rightIsOpen = rightMark?.role === 'open' && rightMark.level === 'outer';
    let right: RightStart;
    if (rightIsOpen) right = 'quote';
    else if (/[\p{Lu}\d]/u.test(b) || (OPENING_QUOTE.test(b) && rightMark?.role === 'open')) right = 'word';
    else continue;

    const leftMark = markAt(marks, gap - 1);
    let left: LeftEnd | undefined;
    if (leftMark && leftMark.role === 'close' && leftMark.level === 'outer') {
      // Skip back over stacked closing marks to the punctuation inside: end.’” → '.'
      let k = gap - 2;
      while (k >= 0 && /["”’'»]/.test(text[k]!)) k--;
      const p = text[k];
      if (p === ',') left = 'speech-comma';
      else if (p !== undefined && /[.!?…—–\-]/.test(p)) left = 'speech';
      else left = 'speech'; // "…a word” He — treat as the end of the speech
    } else if (leftMark && leftMark.role === 'close' && leftMark.level === 'inner') {
      // A nested quotation closed: it is a sentence end inside or outside speech.
      const inSpeech = depthAt(marks, gap) > 0;
      const p = text[gap - 2];
      if (p !== undefined && /[.!?…]/.test(p)) left = inSpeech ? 'stop-in-speech' : 'stop';
      else continue;
    } else if (/[.!?…]/.test(a) || (a === ')' && /[.!?]\)$/.test(text.slice(gap - 2, gap)))) {
      if (a === '.' && ABBREVIATION.test(text.slice(Math.max(0, gap - 8), gap))) continue;
      left = depthAt(marks, gap) > 0 ? 'stop-in-speech' : 'stop';
    } else if ((a === '—' || a === '–' || text.slice(gap - 2, gap) === '--') && right === 'quote') {
      left = 'dash';
    } else if (a === ':' && right === 'quote') {
      left = 'colon';
    }
    if (!left) continue;
    out.push({ at, gap, left, right, score: 0, rules: [] });
  }
  return out;
}

/** Characters a candidate's left side can end with: sentence-final punctuation, closing quotes, dashes, a colon, a bracket. */
const LEFT_END = new Set(['.', '!', '?', '…', '"', '”', '’', "'", '»', ')', '—', '–', '-', ':']);

/** Whether a UTF-16 code unit is whitespace as `\s` sees it. */
function isSpace(c: number): boolean {
  if (c > 32 && c < 0xa0) return false;
  return c === 32 || (c >= 9 && c <= 13) || c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff;
}

/** Words in `text[from, to)`, as runs of non-space characters (what `\S+` counts). */
function wordsBetween(text: string, from: number, to: number): number {
  let n = 0;
  let inWord = false;
  for (let i = from; i < to; i++) {
    const space = isSpace(text.charCodeAt(i));
    if (!space && !inWord) n++;
    inWord = !space;
  }
  return n;
}

/**
 * Whether a speech quote mark (of the text's own style: double, or single in
 * British dialogue) opens or closes in `text[from, to)`.
 */
function speechIn(marks: readonly QuoteMark[], from: number, to: number, role?: QuoteMark['role']): boolean {
  for (let k = firstMarkFrom(marks, from); k < marks.length; k++) {
    const m = marks[k]!;
    if (m.index >= to) return false;
    if (m.level === 'outer' && (role ? m.role === role : m.role === 'open' || m.role === 'close')) return true;
  }
  return false;
}

/** The closing mark of the speech quote that opens at `open`, if it closes before `limit`. */
function closeOf(marks: readonly QuoteMark[], open: number, limit: number): QuoteMark | undefined {
  for (let k = firstMarkFrom(marks, open + 1); k < marks.length; k++) {
    const m = marks[k]!;
    if (m.index >= limit) return undefined;
    if (m.level === 'outer' && m.role === 'close') return m;
    if (m.level === 'outer' && m.role === 'open') return undefined;
  }
  return undefined;
}

/** The last opening speech mark before `index` (looking back at most a few thousand marks). */
function openBefore(marks: readonly QuoteMark[], index: number): QuoteMark | undefined {
  const from = firstMarkFrom(marks, index) - 1;
  for (let k = from; k >= 0 && k > from - 4096; k--) {
    const m = marks[k]!;
    if (m.level === 'outer' && m.role === 'open') return m;
  }
  return undefined;
}

const leftSentence = (x: Context) => x.text.slice(x.leftSentenceStart, x.c.gap);
const rightText = (x: Context, n = 80) => x.text.slice(x.c.at, x.c.at + n);
const rightSentence = (x: Context) => x.text.slice(x.c.at, x.rightSentenceEnd);
const is = (x: Context, left: LeftEnd, right?: RightStart) => x.c.left === left && (!right || x.c.right === right);
const flag = (b: boolean) => (b ? 1 : 0);

/** What follows the closing quote of the speech the right side opens (where its tag would be). */
function afterRightSpeech(x: Context): string | undefined {
  const close = closeOf(x.marks, x.c.at, Math.min(x.text.length, x.rightSentenceEnd + 400));
  return close ? x.text.slice(close.index + 1, close.index + 80) : undefined;
}

/** The speaker of the speech the right side opens, from the tag after its closing quote. */
function rightSpeaker(x: Context): string | undefined {
  const after = afterRightSpeech(x);
  return after === undefined ? undefined : tagSpeaker(after);
}

/** Tag verbs for the same speaker going on (`he continued`, `went on Holmes`). */
const GOING_ON = /^[,;]?\s*(?:\S+\s+){0,3}?(?:continued|continues|went on|goes on|added|adds|resumed|resumes|pursued|persisted)\b/;

/** The speech the right side opens has its own tag, and the tag does not say the speaker goes on. */
function rightTagNamesNewTurn(x: Context): boolean {
  const after = afterRightSpeech(x);
  return after !== undefined && !!tagSpeaker(after) && !GOING_ON.test(after);
}

/** The speaker of the last speech in the left sentence, from its tag (after or before it). */
function leftSpeaker(x: Context): string | undefined {
  const sentence = leftSentence(x);
  const m = /[”"’]\s+([^“”"]*)$/.exec(afterLastQuote(sentence, 0));
  if (m) {
    const s = tagSpeaker(m[1]!);
    if (s) return s;
  }
  const before = tagBefore(x.text, x.leftSentenceStart);
  return before ? before[1]!.toLowerCase() : undefined;
}

/**
 * The tail of `s` from `back` characters before its last double quote mark:
 * an end-anchored pattern that cannot match across a double quote gives the
 * same answer on it, without trying every earlier position.
 */
function afterLastQuote(s: string, back: number): string {
  const last = Math.max(s.lastIndexOf('“'), s.lastIndexOf('”'), s.lastIndexOf('"'));
  return last > back ? s.slice(last - back) : s;
}

/** TAG_BEFORE on the 120 characters before `end`; it must end in a comma or colon, checked first. */
function tagBefore(text: string, end: number): RegExpExecArray | null {
  let k = end - 1;
  while (k >= 0 && isSpace(text.charCodeAt(k))) k--;
  if (k < 0 || (text[k] !== ',' && text[k] !== ':')) return null;
  return TAG_BEFORE.exec(text.slice(Math.max(0, end - 120), end));
}

/** The left sentence is `“…,” said he.` — speech followed by its tag. */
function leftIsTaggedSpeech(x: Context): boolean {
  const m = /[,!?…—–-][”"’]\s+([^“”"]*)$/.exec(afterLastQuote(leftSentence(x), 1));
  return !!m && TAG_AFTER.test(m[1]!);
}

/**
 * Sentences of narration since the current paragraph's last speech closed
 * (a tag right after it not counted); 0 when the paragraph has no speech.
 */
function narrationSinceSpeech(x: Context): number {
  const from = firstMarkFrom(x.marks, x.c.gap) - 1;
  for (let k = from; k >= 0 && k > from - 4096; k--) {
    const m = x.marks[k]!;
    if (m.index < x.paragraphStart) return 0;
    if (m.level !== 'outer' || m.role !== 'close') continue;
    const after = x.text.slice(m.index + 1, x.c.gap);
    // Sentence ends inside, plus the sentence that ends at the candidate.
    const n = 1 + (after.match(/[.!?…]\s/g) ?? []).length;
    return TAG_AFTER.test(after) ? n - 1 : n;
  }
  return 0;
}

function speakers(x: Context): 'same' | 'different' | 'maybe' | 'unknown' {
  const a = leftSpeaker(x);
  const b = rightSpeaker(x);
  if (!a || !b) return 'unknown';
  if (a === b) return 'same';
  // "he" and "Mr. Darcy" may be one person; two names or two pronouns are two people.
  return PRONOUNS.has(a) !== PRONOUNS.has(b) ? 'maybe' : 'different';
}

/** Letters a name is made of: ASCII and Latin-1 to Latin Extended-B. */
function isNameLetter(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (c >= 0xc0 && c <= 0x24f);
}

/** Proper names of a text: capitalised words seen mid-sentence and never in lower case. */
export function properNames(text: string): Set<string> {
  const upper = new Set<string>();
  const lower = new Set<string>();
  // One pass over the words: a capitalised word after a lower-case word or a comma is a name
  // candidate; every lower-case word rules its capitalised twin out.
  let prevLower = false;
  const n = text.length;
  for (let i = 0; i < n; ) {
    const c = text.charCodeAt(i);
    if (isNameLetter(c)) {
      let j = i + 1;
      while (j < n && isNameLetter(text.charCodeAt(j))) j++;
      const w = text.slice(i, j);
      i = j;
      const isUpper = (c >= 65 && c <= 90) || (c >= 0xc0 && c <= 0xde);
      if (isUpper) {
        if (prevLower && w.length > 1 && w.slice(1) === w.slice(1).toLowerCase()) upper.add(w);
        prevLower = false;
      } else {
        lower.add(w);
        prevLower = true;
      }
    } else if (c === 44 || c === 59) {
      prevLower = true;
      i++;
    } else if (isSpace(c)) i++;
    else {
      // A run of other characters (digits, punctuation, quotes) breaks the sequence.
      let j = i + 1;
      for (let d = text.charCodeAt(j); j < n && !isNameLetter(d) && !isSpace(d) && d !== 44 && d !== 59; d = text.charCodeAt(++j));
      prevLower = false;
      i = j;
    }
  }
  const out = new Set<string>();
  for (const w of upper) if (!lower.has(w.toLowerCase())) out.add(w);
  for (const t of ['Mr', 'Mrs', 'Miss', 'Ms', 'Dr', 'Lady', 'Sir', 'Lord', 'Colonel', 'Captain']) out.add(t);
  return out;
}

const firstWord = (s: string) => (/^[\p{L}’']+/u.exec(s)?.[0] ?? '').replace(/[’']s$/, '');

/** Subject of a narrative sentence, when it opens with a name or a pronoun. */
function subjectOf(sentence: string, names: ReadonlySet<string>): string | undefined {
  const m = /^(?:(?:Mr|Mrs|Miss|Ms|Dr|Lady|Sir|Lord|Colonel|Captain)\.?\s+)?(\p{Lu}[\p{L}’']*)/u.exec(sentence);
  if (!m) return undefined;
  const w = m[1]!.replace(/[’']s$/, '');
  if (/^(?:He|She|They|I|We|You)$/.test(w)) return w.toLowerCase();
  return names.has(w) ? w.toLowerCase() : undefined;
}

/** The speaker of the speech that closes right before `gap`: a tag inside or just before it. */
function closedSpeechSpeaker(x: Context): string | undefined {
  const open = openBefore(x.marks, x.c.gap);
  if (!open) return undefined;
  // Tags between the parts of an interrupted speech: “I do not wish,” said he, “to …”
  const inner = x.text.slice(open.index, x.c.gap);
  for (const m of inner.matchAll(/[,!?—–-][”"’]\s+/g)) {
    const sp = tagSpeaker(inner.slice(m.index + m[0].length));
    if (sp) return sp;
  }
  const before = tagBefore(x.text, open.index);
  return before ? before[1]!.toLowerCase() : undefined;
}

/** Whether two speaker references can be one person (the same name or the same pronoun). */
function samePerson(a: string, b: string): boolean {
  const last = (s: string) => s.split(/\s+/).pop()!;
  return a === b || last(a) === last(b);
}

/** Log-scaled length so long paragraphs count more without swamping everything else. */
const logWords = (n: number) => Math.log2(1 + n / 20);

/**
 * The named rules, in order: each measures one piece of evidence and weighs
 * it. Weights are log-odds: they were fitted once by L2-regularised logistic
 * regression over the candidates of paragraphed public-domain prose (Austen,
 * Conan Doyle), rounded, and features that earned no weight were dropped. A
 * candidate whose total passes THRESHOLD becomes a paragraph break.
 */
export const RULES: readonly Rule[] = [
  // — The kind of boundary: what ends the left side and what starts the right.
  { id: 'speech-then-speech', description: 'closed speech followed by new speech: a dialogue turn', weight: 4.7, feature: (x) => flag(is(x, 'speech', 'quote')) },
  { id: 'speech-then-narration', description: 'closed speech followed by a capitalised sentence', weight: 2.5, feature: (x) => flag(is(x, 'speech', 'word')) },
  { id: 'narration-then-speech', description: 'narration followed by speech', weight: 0.5, feature: (x) => flag(is(x, 'stop', 'quote')) },
  { id: 'narration-then-narration', description: 'one narrative sentence after another', weight: -3.3, feature: (x) => flag(is(x, 'stop', 'word')) },
  { id: 'reopened-speech', description: 'a speech quote opens while the last never closed: the same speaker goes on in a new paragraph', weight: 1.5, feature: (x) => flag(is(x, 'stop-in-speech', 'quote')) },
  { id: 'inside-speech', description: 'a sentence ends inside someone’s speech and the speech goes on', weight: -5.3, feature: (x) => flag(is(x, 'stop-in-speech', 'word')) },
  { id: 'comma-before-close', description: '“Hell,” — a comma before the closing quote: a tag or more speech follows in the same sentence', weight: -0.9, feature: (x) => flag(is(x, 'speech-comma')) },
  { id: 'dash-into-speech', description: 'narration ending in a dash that introduces speech set off as its own paragraph', weight: 2.7, feature: (x) => flag(is(x, 'dash')) },
  { id: 'colon-into-speech', description: 'narration ending in a colon before speech (a letter, a quotation)', weight: 0.4, feature: (x) => flag(is(x, 'colon')) },
  { id: 'said-colon-into-speech', description: '`Ben said:` `he thus went on:` — narration (no speech in the sentence) ending in a speech verb and a colon introduces speech set off as its own paragraph (after `“…,” said Jane:` the same speaker goes on instead)', weight: 1, feature: (x) => flag(is(x, 'colon') && SAID_COLON.test(x.text.slice(Math.max(x.leftSentenceStart, x.c.gap - 60), x.c.gap)) && !speechIn(x.marks, x.leftSentenceStart, x.c.gap)) },

  // — After speech, before narration.
  { id: 'tag-follows-speech', description: 'the sentence after the speech is its tag (`“Seven!” I answered.`)', weight: -0.5, feature: (x) => flag(is(x, 'speech', 'word') && TAG_AFTER.test(rightText(x))) },
  { id: 'tag-after-exclamation', description: '`“Hux?” Kylo asks`, `“My neighbour—” I began` — after `?”`, `!”` or a broken-off `—”` a capitalised name or pronoun and a speech verb is the tag (weighted by hand: modern prose writes tags this way, the fitting text did not)', weight: -4, feature: (x) => flag(is(x, 'speech', 'word') && /[?!—–…][”"’]$/.test(x.text.slice(x.c.gap - 2, x.c.gap)) && TAG_AFTER.test(rightText(x))) },
  { id: 'connective-after-speech', description: '`And taking her hand, he…` — narration that carries on from the speech', weight: -1.5, feature: (x) => flag(is(x, 'speech', 'word') && /^(?:And\s|(?:Then|But)\s+\p{Ll})/u.test(rightText(x, 20))) },
  { id: 'pronoun-after-speech', description: 'a pronoun after speech (`He bowed.`) is often the speaker acting in the same paragraph', weight: -0.6, feature: (x) => flag(is(x, 'speech', 'word') && PRONOUN_START.test(rightText(x, 20))) },
  { id: 'inline-quotation', description: 'the closed quote was opened inside a sentence (“stupid, disagreeable fellows.”): a quotation, not speech', weight: -1.6, feature: (x) => flag(is(x, 'speech') && !!openBefore(x.marks, x.c.gap)?.inline) },

  // — After narration, before speech.
  { id: 'speaker-just-tagged', description: 'after `“…,” said he.` the same speaker often goes on', weight: -0.3, feature: (x) => flag(is(x, 'stop', 'quote') && leftIsTaggedSpeech(x)) },
  { id: 'reply-tagged', description: 'after `“…,” said he.` the next speech carries its own tag (`“Nothing,” she answered.`): a second tag in a row names a new speaker (not `he continued`)', weight: 2, feature: (x) => flag(is(x, 'stop', 'quote') && leftIsTaggedSpeech(x) && rightTagNamesNewTurn(x)) },
  { id: 'question-asked', description: 'the last speech was a tagged question (`“…?” asked Holmes.`): the answer is someone else’s', weight: 0.9, feature: (x) => flag(is(x, 'stop', 'quote') && leftIsTaggedSpeech(x) && /\?[”"’]\s+[^“”"]*$/.test(afterLastQuote(leftSentence(x), 1))) },
  { id: 'different-speaker', description: 'the speech on both sides is tagged with different speakers: a new speaker takes a new paragraph (a near-universal convention; rare in the fitting text, so weighted by hand)', weight: 3, feature: (x) => flag((is(x, 'stop', 'quote') || is(x, 'speech', 'quote')) && speakers(x) === 'different') },
  { id: 'beat-length', description: 'how long the narration before the speech is (longer narration stands apart more)', weight: 1.3, feature: (x) => (is(x, 'stop', 'quote') && !speechIn(x.marks, x.leftSentenceStart, x.c.gap) ? logWords(wordsBetween(x.text, x.leftSentenceStart, x.c.gap)) : 0) },
  { id: 'beat-after-speech', description: 'the paragraph’s last speech was followed by two or more sentences of narration (its tag not counted): the next speech is a new turn', weight: 1.5, feature: (x) => flag(is(x, 'stop', 'quote') && narrationSinceSpeech(x) >= 2) },
  { id: 'speech-paragraph-before-speech', description: 'the paragraph so far already holds speech', weight: -0.9, feature: (x) => flag(is(x, 'stop', 'quote') && x.paragraphHasSpeech) },
  { id: 'tag-before-speech', description: 'the narration ends by introducing the speech (`…she said.` `thus began.`)', weight: -0.3, feature: (x) => flag(is(x, 'stop', 'quote') && /\b(?:began|said|added|continued|replied|answered|cried|spoke|exclaimed|explained|thus|these words|as follows)\W*$/.test(leftSentence(x))) },

  // — Between narrative sentences.
  { id: 'paragraph-length', description: 'a paragraph that has run long is more likely to end (log of its words)', weight: 0.4, feature: (x) => (is(x, 'stop', 'word') ? logWords(x.paragraphWords) : 0) },
  { id: 'long-paragraph', description: 'a paragraph past 300 words: prose rarely runs longer, so a sentence boundary there is more likely a break (log of how far past)', weight: 1, feature: (x) => (is(x, 'stop', 'word') && x.paragraphWords > 300 ? Math.log2(x.paragraphWords / 300) : 0) },
  { id: 'transition-opener', description: 'a sentence opening with a step in time or place (After breakfast, The next morning, When…)', weight: 1.2, feature: (x) => flag(is(x, 'stop', 'word') && TRANSITION.test(rightText(x, 40))) },
  { id: 'pronoun-opener', description: 'a sentence opening with a pronoun carries on the paragraph’s subject', weight: -0.7, feature: (x) => flag(is(x, 'stop', 'word') && PRONOUN_START.test(rightText(x, 20))) },
  { id: 'connective-opener', description: 'a sentence opening with But, And, Yet, So… carries on the argument', weight: -0.7, feature: (x) => flag(is(x, 'stop', 'word') && CONNECTIVE_START.test(rightText(x, 20))) },
  { id: 'narration-after-speech-paragraph', description: 'narration after a paragraph that holds speech', weight: 0.6, feature: (x) => flag(is(x, 'stop', 'word') && x.paragraphHasSpeech) },
  { id: 'narration-leads-into-speech', description: 'the next sentence introduces speech (`Elizabeth turned to him. “…`)', weight: -0.3, feature: (x) => flag(is(x, 'stop', 'word') && speechIn(x.marks, x.c.at, x.rightSentenceEnd, 'open')) },
  { id: 'short-sentence-before', description: 'a very short sentence before (log of its words)', weight: 0.7, feature: (x) => (is(x, 'stop', 'word') ? logWords(wordsBetween(x.text, x.leftSentenceStart, x.c.gap)) : 0) },
  { id: 'new-name', description: 'the sentence names someone the paragraph has not mentioned yet', weight: 0.7, feature: (x) => {
    if (!is(x, 'stop', 'word')) return 0;
    for (const m of rightSentence(x).matchAll(/\p{Lu}\p{Ll}+/gu)) if (x.names.has(m[0]) && !x.paragraphNames.has(m[0])) return 1;
    return 0;
  } },
  { id: 'beat-by-other-person', description: 'the narration before the speech is about someone other than the next speaker', weight: 0.9, feature: (x) => {
    if (!is(x, 'stop', 'quote') || speechIn(x.marks, x.leftSentenceStart, x.c.gap)) return 0;
    const a = subjectOf(leftSentence(x), x.names);
    const b = rightSpeaker(x);
    return flag(!!a && !!b && !samePerson(a, b) && PRONOUNS.has(a) === PRONOUNS.has(b));
  } },
  { id: 'other-person-acts', description: 'the narration after the speech is about someone other than its speaker', weight: -0.2, feature: (x) => {
    if (!is(x, 'speech', 'word')) return 0;
    const a = closedSpeechSpeaker(x);
    const b = subjectOf(rightText(x), x.names);
    return flag(!!a && !!b && !samePerson(a, b) && PRONOUNS.has(a) === PRONOUNS.has(b));
  } },
];

/**
 * A candidate breaks when its score passes this threshold. Above zero on
 * purpose: a wrong break splits one paragraph in two, which a reader notices
 * more than a missed one, so the decision leans towards precision.
 */
export const THRESHOLD = 1;

export interface Decision {
  candidates: Candidate[];
  /** Indices in the text where new paragraphs start. */
  breaks: number[];
}

/** Score one candidate: the weighted sum of its rules' features. */
function scoreCandidate(x: Context, rules: readonly Rule[]): void {
  for (const rule of rules) {
    const f = rule.feature(x);
    if (f !== 0 && rule.weight !== 0) {
      x.c.score += f * rule.weight;
      x.c.rules.push([rule.id, Math.round(f * rule.weight * 100) / 100]);
    }
  }
}

/**
 * Score every candidate of `text` and choose the breaks, left to right, so
 * paragraph-level features (words so far, speech so far) see the breaks
 * already chosen. `oracle` replaces the choices with known breaks (used to
 * measure features against paragraphed text).
 */
export function decideBoundaries(text: string, rules: readonly Rule[] = RULES, oracle?: ReadonlySet<number>): Decision & { contexts: Context[] } {
  const { marks } = analyzeQuotes(text);
  const candidates = findCandidates(text, marks);
  const breaks: number[] = [];
  const contexts: Context[] = [];
  const names = properNames(text);
  let paragraphStart = 0;
  let paragraphSentences = 0;
  // Words and speech of the current paragraph, counted as the decision moves along (linear in the text).
  let counted = 0;
  let paragraphWords = 0;
  let paragraphHasSpeech = false;
  let paragraphNames = new Set<string>();
  // A speech tag (`“Seven!” I answered.`) is part of its sentence, not the start of one.
  const isTag = candidates.map((c) => c.left === 'speech' && c.right === 'word' && TAG_AFTER.test(text.slice(c.at, c.at + 80)));
  candidates.forEach((c, i) => {
    let p = i - 1;
    while (p >= 0 && isTag[p]) p--;
    const prev = candidates[p];
    const next = candidates[i + 1];
    const segment = text.slice(counted, c.gap);
    paragraphWords += wordsBetween(text, counted, c.gap);
    paragraphHasSpeech ||= speechIn(marks, counted, c.gap);
    counted = c.gap;
    for (const m of segment.matchAll(/\p{Lu}\p{Ll}+/gu)) if (names.has(m[0])) paragraphNames.add(m[0]);
    const x: Context = {
      text,
      marks,
      c,
      leftSentenceStart: prev ? prev.at : 0,
      rightSentenceEnd: next ? next.gap : text.length,
      paragraphWords,
      paragraphHasSpeech,
      paragraphStart,
      paragraphSentences: paragraphSentences + 1,
      names,
      paragraphNames,
    };
    scoreCandidate(x, rules);
    contexts.push(x);
    const isBreak = oracle ? oracle.has(c.at) : c.score > THRESHOLD;
    if (isBreak) {
      breaks.push(c.at);
      paragraphStart = c.at;
      paragraphSentences = 0;
      paragraphWords = 0;
      paragraphHasSpeech = false;
      paragraphNames = new Set();
      counted = c.at;
    } else if (!isTag[i]) paragraphSentences++;
  });
  return { candidates, breaks, contexts };
}

/** Split flat text into paragraph texts. */
export function splitFlatText(text: string, rules: readonly Rule[] = RULES): string[] {
  const { breaks } = decideBoundaries(text, rules);
  const out: string[] = [];
  let start = 0;
  for (const b of breaks) {
    out.push(text.slice(start, b).trim());
    start = b;
  }
  out.push(text.slice(start).trim());
  return out.filter(Boolean);
}
