import { isSpace, SPACE_CODES, type Candidate, type LeftEnd, type RightStart } from './candidates.js';
import { firstMarkFrom, type QuoteMark } from './quotes.js';
import { PRONOUNS, tagBeforeSpeaker, tagSpeaker } from './speech-tags.js';

/**
 * What the boundary rules see at one candidate: the text around it, the
 * quote analysis, and the state of the paragraph being built (which depends
 * on the breaks already chosen to its left). Derived facts are computed on
 * first use and kept, so rules that ask the same question pay once.
 */

/** The kind of a candidate, as the rules and the lexical tables group them. */
export type Kind = 'SQ' | 'SW' | 'SM' | 'NQ' | 'NW' | 'NM' | 'IQ' | 'IW' | 'C' | 'DQ' | 'DW' | 'OQ' | 'OW' | 'MQ' | 'MW' | 'MM' | 'X';

export function kindOf(left: LeftEnd, right: RightStart): Kind {
  switch (left) {
    case 'speech':
      return right === 'quote' ? 'SQ' : right === 'word' ? 'SW' : 'SM';
    case 'stop':
      return right === 'quote' ? 'NQ' : right === 'word' ? 'NW' : 'NM';
    case 'stop-in-speech':
      return right === 'quote' ? 'IQ' : right === 'word' ? 'IW' : 'X';
    case 'speech-comma':
      return 'C';
    case 'dash':
      return right === 'quote' ? 'DQ' : 'DW';
    case 'colon':
      return right === 'quote' ? 'OQ' : 'OW';
    case 'mark':
      return right === 'quote' ? 'MQ' : right === 'word' ? 'MW' : 'MM';
  }
}

/** Facts about the whole text, found once before the decisions. */
export interface DocumentFacts {
  /** Proper names: capitalised mid-sentence and never in lower case. */
  names: ReadonlySet<string>;
  /** Names whose sentences use he/his (m) or she/her (f) only. */
  genders: ReadonlyMap<string, 'm' | 'f'>;
  /** Speech tags read so far, by the position they start at (several rules ask about the same tag). */
  tags: Map<number, string | null>;
}

export interface Context {
  text: string;
  marks: readonly QuoteMark[];
  doc: DocumentFacts;
  candidates: readonly Candidate[];
  /** Index of this candidate in `candidates`. */
  i: number;
  c: Candidate;
  kind: Kind;
  /** Start of the left sentence: the previous candidate that starts a sentence (speech tags do not). */
  leftSentenceStart: number;
  /** End of the right sentence (the next candidate's `gap`, or the text's end). */
  rightSentenceEnd: number;
  /** Start of the current paragraph (the last chosen break). */
  paragraphStart: number;
  /** Words since the last chosen break. */
  paragraphWords: number;
  /** Sentences in the current paragraph so far (tags not counted). */
  paragraphSentences: number;
  /** Whether the current paragraph has speech. */
  paragraphHasSpeech: boolean;
  /** Who speaks or acts in the current paragraph, as far as tags and beats tell (normalized). */
  paragraphSpeaker: string | undefined;
  /** Whether the candidate's right side is a speech tag (`“Seven!” I answered.`). */
  rightIsTag: boolean;
  /** The speaker that tag names, when it is one. */
  rightTagSpeaker: string | undefined;
  /** Words of the left sentence and of the right one. */
  leftWordCount: number;
  rightWordCount: number;
  /** Facts derived on first use. */
  memo: Memo;
}

export interface Memo {
  leftSentence?: string;
  rightSentence?: string;
  rightSpeaker?: string | null;
  afterRightSpeech?: string | null;
  leftSpeaker?: string | null;
  leftSubject?: string | null;
  rightSubject?: string | null;
  leftTagged?: boolean;
  /** The first two words of the right side (the first from its first letter on; `''` when none). */
  right1?: string;
  right2?: string;
  rightLex1?: string | null;
  endMarks?: string;
  leftTagSpeaker?: string | null;
  /** Whether a speech quote opens or closes in the left sentence. */
  leftHasSpeech?: boolean;
  /** Whether a speech quote opens in the right sentence (or just after it). */
  rightIntoSpeech?: boolean;
  /** The speaker relations the speaker rules share (see `readAhead`). */
  beatAndSpeech?: Relation;
  speechAndActor?: Relation;
  speakers?: Relation;
  paragraphAndSpeech?: Relation;
  subjects?: Relation;
  sinceSpeech?: number;
}

/**
 * A fresh memo with every field present, always in the same order: one
 * object shape for every candidate, so the rules' property reads stay fast.
 */
export function newMemo(): Memo {
  return {
    leftSentence: undefined,
    rightSentence: undefined,
    rightSpeaker: undefined,
    afterRightSpeech: undefined,
    leftSpeaker: undefined,
    leftSubject: undefined,
    rightSubject: undefined,
    leftTagged: undefined,
    right1: undefined,
    right2: undefined,
    rightLex1: undefined,
    endMarks: undefined,
    leftTagSpeaker: undefined,
    leftHasSpeech: undefined,
    rightIntoSpeech: undefined,
    beatAndSpeech: undefined,
    speechAndActor: undefined,
    speakers: undefined,
    paragraphAndSpeech: undefined,
    subjects: undefined,
    sinceSpeech: undefined,
  };
}

export const leftSentence = (x: Context) => (x.memo.leftSentence ??= x.text.slice(x.leftSentenceStart, x.c.gap));
export const rightSentence = (x: Context) => (x.memo.rightSentence ??= x.text.slice(x.c.at, x.rightSentenceEnd));
export const rightText = (x: Context, n = 80) => x.text.slice(x.c.at, x.c.at + n);
export const leftWords = (x: Context) => x.leftWordCount;
export const rightWords = (x: Context) => x.rightWordCount;

/** Whether the sticky pattern `re` matches `text` at `at` (no slicing). */
export function matchesAt(re: RegExp, text: string, at: number): boolean {
  re.lastIndex = at;
  return re.test(text);
}


/** Whether a code unit can be part of a word (letters, digits, apostrophes, hyphens). */
const isWordUnitSlow = (c: number) =>
  (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 39 || c === 0x2019 || c === 45 ||
  (c >= 0xc0 && c !== 0xd7 && c !== 0xf7 && (c < 0x2000 || c > 0x206f) && (c < 0x3000 || c > 0x303f) && (c < 0xfe30 || c > 0xfe4f) && c !== 0xfeff);
/** `isWordUnitSlow` by table below U+2000 (one read instead of a chain of comparisons inlined into every caller). */
const WORD_UNIT = new Uint8Array(0x2000);
for (const [from, to] of [[97, 123], [65, 91], [48, 58], [0xc0, 0x2000]] as const) WORD_UNIT.fill(1, from, to);
WORD_UNIT[39] = WORD_UNIT[45] = 1;
WORD_UNIT[0xd7] = WORD_UNIT[0xf7] = 0;
const isWordUnit = (c: number) => (c < 0x2000 ? WORD_UNIT[c] === 1 : isWordUnitSlow(c));
const isWordStart = (c: number) => isWordUnit(c) && c !== 39 && c !== 0x2019 && c !== 45;

/** The word starting at the first word character within `skip` characters of `from`, and where it ends. */
function wordAt(text: string, from: number, skip: number): [string, number] {
  let i = from;
  const limit = Math.min(text.length, from + skip + 1);
  while (i < limit && !isWordStart(text.charCodeAt(i))) i++;
  if (i >= limit) return ['', from];
  let j = i + 1;
  while (j < text.length && isWordUnit(text.charCodeAt(j))) j++;
  return [text.slice(i, j), j];
}

/** The first word of the right side, after any opening quote or mark (`''` when none). */
export function rightWord1(x: Context): string {
  if (x.memo.right1 === undefined) readRightWords(x);
  return x.memo.right1!;
}

/** Read the right side's first two words into the memo (`rightWord1`; the engine reads them ahead, see `readAhead`). */
function readRightWords(x: Context): void {
  const [w, end] = wordAt(x.text, x.c.at, 4);
  x.memo.right1 = w;
  x.memo.right2 = w && end < x.text.length && !isWordUnit(x.text.charCodeAt(end)) ? wordAt(x.text, end, 4)[0] : '';
}

/** The second word of the right side (`''` when none). */
export function rightWord2(x: Context): string {
  rightWord1(x);
  return x.memo.right2!;
}

/** The word at the very start of the right side (`''` when it starts with a quote mark or other sign). */
export function rightLeadWord(x: Context): string {
  const c = x.text.charCodeAt(x.c.at);
  return (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c >= 0xc0 ? rightWord1(x) : '';
}

/**
 * Whether a speech quote mark (of the text's own style: double, or single in
 * British dialogue) opens or closes in `text[from, to)`.
 */
export function speechIn(marks: readonly QuoteMark[], from: number, to: number, role?: QuoteMark['role']): boolean {
  for (let k = firstMarkFrom(marks, from); k < marks.length; k++) {
    const m = marks[k]!;
    if (m.index >= to) return false;
    if (m.level === 'outer' && (role ? m.role === role : m.role === 'open' || m.role === 'close')) return true;
  }
  return false;
}

/** The closing mark of the speech quote that opens at `open`, if it closes before `limit`. */
export function closeOf(marks: readonly QuoteMark[], open: number, limit: number): QuoteMark | undefined {
  for (let k = firstMarkFrom(marks, open + 1); k < marks.length; k++) {
    const m = marks[k]!;
    if (m.index >= limit) return undefined;
    if (m.level === 'outer' && m.role === 'close') return m;
    if (m.level === 'outer' && m.role === 'open') return undefined;
  }
  return undefined;
}

/** The last opening speech mark before `index` (looking back at most a few thousand marks). */
export function openBefore(marks: readonly QuoteMark[], index: number): QuoteMark | undefined {
  const from = firstMarkFrom(marks, index) - 1;
  for (let k = from; k >= 0 && k > from - 4096; k--) {
    const m = marks[k]!;
    if (m.level === 'outer' && m.role === 'open') return m;
  }
  return undefined;
}

/** The speaker a tag starting at `pos` in the text names (`tagSpeaker`, read once per position). */
export function tagAt(x: Context, pos: number): string | undefined {
  let t = x.doc.tags.get(pos);
  if (t === undefined) x.doc.tags.set(pos, (t = tagSpeaker(x.text, pos) ?? null));
  return t ?? undefined;
}

/** What follows the closing quote of the speech the right side opens (where its tag would be). */
export function afterRightSpeech(x: Context): string | undefined {
  if (x.memo.afterRightSpeech === undefined) readRightSpeech(x);
  return x.memo.afterRightSpeech ?? undefined;
}

/** The speaker of the speech the right side opens, from the tag after its closing quote. */
export function rightSpeaker(x: Context): string | undefined {
  if (x.memo.rightSpeaker === undefined) readRightSpeech(x);
  return x.memo.rightSpeaker ?? undefined;
}

/** Read `afterRightSpeech` and `rightSpeaker` into the memo (one search for the closing quote). */
function readRightSpeech(x: Context): void {
  const close = closeOf(x.marks, x.c.at, Math.min(x.text.length, x.rightSentenceEnd + 400));
  x.memo.afterRightSpeech = close ? x.text.slice(close.index + 1, close.index + 80) : null;
  x.memo.rightSpeaker = (close ? tagAt(x, close.index + 1) : undefined) ?? null;
}

/**
 * The tail of `s` from `back` characters before its last double quote mark:
 * an end-anchored pattern that cannot match across a double quote gives the
 * same answer on it, without trying every earlier position.
 */
export function afterLastQuote(s: string, back: number): string {
  const last = Math.max(s.lastIndexOf('“'), s.lastIndexOf('”'), s.lastIndexOf('"'));
  return last > back ? s.slice(last - back) : s;
}

/** The speaker named just before `end` by narration that introduces speech (`she said, ` / `Draco shrugged, `). */
export function speakerBefore(text: string, end: number): string | undefined {
  let k = end - 1;
  while (k >= 0 && isSpace(text.charCodeAt(k))) k--;
  if (k < 0 || (text.charCodeAt(k) !== 44 && text.charCodeAt(k) !== 58)) return undefined; // , :
  return tagBeforeSpeaker(text.slice(Math.max(0, end - 120), end));
}

/** The left sentence is `“…,” said he.` — speech followed by its tag. */
export function leftIsTaggedSpeech(x: Context): boolean {
  if (x.memo.leftTagged === undefined) x.memo.leftTagged = leftIsTaggedSpeechOf(x);
  return x.memo.leftTagged;
}

function leftIsTaggedSpeechOf(x: Context): boolean {
  const sentence = leftSentence(x);
  const tail = afterLastQuote(sentence, 1);
  const m = /[,!?…—–-][”"’']\s+([^“”"]*)$/.exec(tail);
  return !!m && tagAt(x, x.leftSentenceStart + (sentence.length - tail.length) + m.index + m[0].length - m[1]!.length) !== undefined;
}

/** The speaker of the speech that closes right before the candidate: a tag inside, before it, or the paragraph's own speaker. */
export function closedSpeechSpeaker(x: Context): string | undefined {
  if (x.memo.leftSpeaker === undefined) x.memo.leftSpeaker = closedSpeechSpeakerOf(x) ?? null;
  return x.memo.leftSpeaker ?? undefined;
}

function closedSpeechSpeakerOf(x: Context): string | undefined {
  let found: string | undefined;
  const open = openBefore(x.marks, x.c.gap);
  if (open) {
    // Tags between the parts of an interrupted speech: “I do not wish,” said he, “to …”
    const inner = x.text.slice(open.index, x.c.gap);
    for (const m of inner.matchAll(/[,!?—–-][”"’']\s+/g)) {
      found = tagAt(x, open.index + m.index + m[0].length);
      if (found) break;
    }
    found ??= speakerBefore(x.text, open.index);
  }
  // A speech in a paragraph whose beat or tag already named its speaker.
  if (!found && open && open.index >= x.paragraphStart) found = x.paragraphSpeaker;
  return found;
}

/** The speaker of the last speech in the left sentence (its tag after or before it). */
export function leftSpeaker(x: Context): string | undefined {
  if (x.memo.leftTagSpeaker === undefined) x.memo.leftTagSpeaker = findLeftSpeaker(x) ?? null;
  return x.memo.leftTagSpeaker ?? undefined;
}

function findLeftSpeaker(x: Context): string | undefined {
  // The first closing mark followed by a space after the sentence's last double quote: its tag follows.
  const sentence = leftSentence(x);
  const tail = afterLastQuote(sentence, 0);
  const offset = x.leftSentenceStart + sentence.length - tail.length;
  for (let p = 0; p + 1 < tail.length; p++) {
    const ch = tail.charCodeAt(p); // code units, not one-character strings (see `candidates.ts`)
    if ((ch === 0x201d || ch === 34 || ch === 0x2019 || ch === 39) && isSpace(tail.charCodeAt(p + 1))) { // ” " ’ '
      let q = p + 1;
      while (q < tail.length && isSpace(tail.charCodeAt(q))) q++;
      const s = q < tail.length ? tagAt(x, offset + q) : undefined;
      if (s) return s;
      break;
    }
  }
  return speakerBefore(x.text, x.leftSentenceStart);
}

const TITLE = /(?:(?:Mr|Mrs|Miss|Ms|Mx|Dr|Lady|Sir|Lord|Colonel|Captain|Professor|Madam|Aunt|Uncle)\.?\s+)/y;
const isAsciiLetter = (d: number) => (d >= 65 && d <= 90) || (d >= 97 && d <= 122);

/** The end of a capitalised word (a capital, then letters, apostrophes and hyphens) at `from`, read up to `limit`; -1 when none starts there. */
function capitalWordEnd(text: string, from: number, limit: number): number {
  const first = text.charCodeAt(from);
  if (!((first >= 65 && first <= 90) || (first >= 0xc0 && /\p{Lu}/u.test(text[from]!)))) return -1;
  let end = from + 1;
  for (let d = text.charCodeAt(end); end < limit && (isAsciiLetter(d) || d === 39 || d === 0x2019 || d === 45 || (d >= 0xc0 && /\p{L}/u.test(text[end]!))); d = text.charCodeAt(++end));
  return end;
}
const PRONOUN_SUBJECT: Readonly<Record<string, string>> = { He: 'he', She: 'she', They: 'they', I: 'i', We: 'we', You: 'you', His: 'he', Her: 'she', Their: 'they', My: 'i', Our: 'we' };

/**
 * Who a narrative sentence starting at `at` is about, when it opens with a
 * name, a pronoun or a possessive (`Harry frowned` → harry, `His hands
 * shook` → he, `Izuku's heart` → izuku); undefined otherwise.
 */
export function subjectAt(text: string, at: number, names: ReadonlySet<string>): string | undefined {
  const c = text.charCodeAt(at);
  if (!((c >= 65 && c <= 90) || c >= 0xc0)) return undefined; // not a capital: no subject (fast path)
  let from = at;
  if ('MDLSCPAU'.includes(text[at]!)) {
    TITLE.lastIndex = at;
    if (TITLE.test(text)) from = TITLE.lastIndex;
  }
  const end = capitalWordEnd(text, from, text.length);
  if (end < 0) return undefined;
  let w = text.slice(from, end);
  if (w.endsWith('’s') || w.endsWith("'s")) w = w.slice(0, -2);
  const p = PRONOUN_SUBJECT[w];
  if (p) return p;
  return names.has(w) ? w.toLowerCase() : undefined;
}

/** `subjectAt` for a sentence given as a string. */
export const subjectOf = (sentence: string, names: ReadonlySet<string>) => subjectAt(sentence, 0, names);

const leftSubjectOf = (x: Context) => subjectAt(x.text, x.leftSentenceStart, x.doc.names) ?? null;
const rightSubjectOf = (x: Context) => subjectAt(x.text, x.c.at, x.doc.names) ?? null;
export const leftSubject = (x: Context) => {
  if (x.memo.leftSubject === undefined) x.memo.leftSubject = leftSubjectOf(x);
  return x.memo.leftSubject ?? undefined;
};
export const rightSubject = (x: Context) => {
  if (x.memo.rightSubject === undefined) x.memo.rightSubject = rightSubjectOf(x);
  return x.memo.rightSubject ?? undefined;
};


/** Whether a speech quote opens or closes in the left sentence. */
export const leftHasSpeech = (x: Context) => (x.memo.leftHasSpeech ??= speechIn(x.marks, x.leftSentenceStart, x.c.gap));
/** Whether a speech quote opens in the right sentence or just after its end (`Elizabeth turned to him. “…`). */
export const rightIntoSpeech = (x: Context) => (x.memo.rightIntoSpeech ??= speechIn(x.marks, x.c.at, x.rightSentenceEnd + 2, 'open'));

/** Across narration → speech: the beat's subject against the speech's tagged speaker (`unknown` when the beat holds speech). */
export const beatAndSpeech = (x: Context) => (x.memo.beatAndSpeech ??= beatAndSpeechOf(x));
const beatAndSpeechOf = (x: Context): Relation => (leftHasSpeech(x) ? 'unknown' : relation(leftSubject(x), rightSpeaker(x), x.doc.genders));
/** Across speech → narration: the speech's speaker against the narration's subject (or the speaker its tag names). */
export const speechAndActor = (x: Context) => (x.memo.speechAndActor ??= speechAndActorOf(x));
const speechAndActorOf = (x: Context): Relation => relation(closedSpeechSpeaker(x), x.rightIsTag ? x.rightTagSpeaker : rightSubject(x), x.doc.genders);
/** The tagged speakers of the speech on both sides (`leftSpeaker` against `rightSpeaker`). */
export const speakers = (x: Context) => (x.memo.speakers ??= relation(leftSpeaker(x), rightSpeaker(x), x.doc.genders));
/** The speaker the paragraph is about against the right speech's tagged speaker. */
export const paragraphAndSpeech = (x: Context) => (x.memo.paragraphAndSpeech ??= relation(x.paragraphSpeaker, rightSpeaker(x), x.doc.genders));
/** The subjects of the two sentences. */
export const subjects = (x: Context) => (x.memo.subjects ??= relation(leftSubject(x), rightSubject(x), x.doc.genders));

/**
 * The facts the rules ask for at every candidate, read into the memo by the engine before they
 * run: the right side's first words, both sentences' subjects, whether the left sentence holds
 * speech, who the paragraph is about (`paragraphSpeaker`, when no one yet), and the speaker
 * relations its kind's rules share (only those they read at every candidate of the kind, so no
 * candidate does more work than the rules would).
 *
 * Why here: V8 compiles a function's callees into it when they have been called from there. The
 * getters find their memo filled and never call the code that derives a fact, so that code is
 * compiled once, in this function, not again inside each rule that asks first. The function is
 * kept large enough (more than V8's 460 bytes of bytecode) that it is not itself compiled into the
 * engine's loop as well. The facts are pure: reading them ahead does not change any score.
 */
export function readAhead(x: Context): void {
  const m = x.memo;
  const genders = x.doc.genders;
  readRightWords(x);
  m.leftSubject = leftSubjectOf(x);
  m.rightSubject = rightSubjectOf(x);
  m.leftHasSpeech = speechIn(x.marks, x.leftSentenceStart, x.c.gap);
  // Who the paragraph is about: the first tagged speaker or narrative subject it meets.
  if (!x.paragraphSpeaker) x.paragraphSpeaker = m.leftHasSpeech ? leftSpeaker(x) : (m.leftSubject ?? undefined);
  switch (x.kind) {
    case 'NQ': {
      readRightSpeech(x);
      const right = m.rightSpeaker ?? undefined;
      m.leftTagged = leftIsTaggedSpeechOf(x);
      m.speakers = relation(leftSpeaker(x), right, genders);
      m.beatAndSpeech = m.leftHasSpeech ? 'unknown' : relation(m.leftSubject ?? undefined, right, genders);
      m.paragraphAndSpeech = relation(x.paragraphSpeaker, right, genders);
      m.sinceSpeech = narrationSinceSpeechOf(x);
      break;
    }
    case 'SQ':
      readRightSpeech(x);
      m.speakers = relation(leftSpeaker(x), m.rightSpeaker ?? undefined, genders);
      break;
    case 'SW':
      // Its speaker rules ask only when the right side is not the speech's tag.
      if (!x.rightIsTag) {
        m.leftSpeaker = closedSpeechSpeakerOf(x) ?? null;
        m.speechAndActor = relation(m.leftSpeaker ?? undefined, m.rightSubject ?? undefined, genders);
        m.rightIntoSpeech = speechIn(x.marks, x.c.at, x.rightSentenceEnd + 2, 'open');
      }
      break;
    case 'NW':
      m.subjects = relation(m.leftSubject ?? undefined, m.rightSubject ?? undefined, genders);
      m.rightIntoSpeech = speechIn(x.marks, x.c.at, x.rightSentenceEnd + 2, 'open');
      break;
  }
}

/** How two references to people relate (`relation`). */
export type Relation = 'same' | 'compatible' | 'different' | 'unknown';

/**
 * Whether two references to people can be one person: `same` (the same name
 * or pronoun), `compatible` (a name and the pronoun its gender takes),
 * `different` (two names, he and she, a name and I) or `unknown`.
 */
export function relation(a: string | undefined, b: string | undefined, genders: ReadonlyMap<string, 'm' | 'f'>): Relation {
  if (!a || !b) return 'unknown';
  if (a === b) return 'same';
  const pa = PRONOUNS.has(a);
  const pb = PRONOUNS.has(b);
  if (pa && pb) return 'different';
  if (!pa && !pb) {
    const last = (s: string) => s.slice(s.lastIndexOf(' ') + 1);
    return last(a) === last(b) || a.startsWith(b + ' ') || b.startsWith(a + ' ') ? 'same' : 'different';
  }
  const [name, pronoun] = pa ? [b, a] : [a, b];
  if (pronoun === 'i' || pronoun === 'we' || pronoun === 'you') return 'different';
  if (pronoun !== 'he' && pronoun !== 'she') return 'unknown';
  const g = genders.get(name.slice(name.lastIndexOf(' ') + 1)) ?? genders.get(name);
  if (!g) return 'unknown';
  return (g === 'm') === (pronoun === 'he') ? 'compatible' : 'different';
}

/**
 * Sentences of narration since the current paragraph's last speech closed
 * (a tag right after it not counted); 0 when the paragraph has no speech.
 */
export function narrationSinceSpeech(x: Context): number {
  return (x.memo.sinceSpeech ??= narrationSinceSpeechOf(x));
}

function narrationSinceSpeechOf(x: Context): number {
  const from = firstMarkFrom(x.marks, x.c.gap) - 1;
  for (let k = from; k >= 0 && k > from - 4096; k--) {
    const m = x.marks[k]!;
    if (m.index < x.paragraphStart) return 0;
    if (m.level !== 'outer' || m.role !== 'close') continue;
    // Sentence ends after the close, plus the sentence that ends at the candidate.
    let n = 1;
    for (let j = m.index + 1; j < x.c.gap - 1; j++) {
      const ch = x.text.charCodeAt(j);
      if ((ch === 46 || ch === 33 || ch === 63 || ch === 0x2026) && isSpace(x.text.charCodeAt(j + 1))) n++; // . ! ? …
    }
    return tagAt(x, m.index + 1) !== undefined ? n - 1 : n;
  }
  return 0;
}

/** Whether `name` occurs in the current paragraph before the candidate (looking back at most 2,000 characters). */
export function mentionedInParagraph(x: Context, name: string): boolean {
  const k = x.text.indexOf(name, Math.max(x.paragraphStart, x.c.gap - 2000));
  return k >= 0 && k < x.c.gap;
}

/** Call `fn` with each capitalised word (a capital, then letters) in `text[from, to)`. */
export function forEachCapitalWord(text: string, from: number, to: number, fn: (word: string) => void): void {
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    const upper = (c >= 65 && c <= 90) || (c >= 0xc0 && c <= 0xde && c !== 0xd7);
    if (!upper || (i > from && isNameLetter(text.charCodeAt(i - 1)))) continue;
    let j = i + 1;
    while (j < to && isNameLetter(text.charCodeAt(j))) j++;
    if (j - i > 1) fn(text.slice(i, j));
    i = j;
  }
}

/** Letters a name is made of: ASCII and Latin-1 to Latin Extended-B. */
function isNameLetter(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (c >= 0xc0 && c <= 0x24f);
}

/**
 * Code-unit classes for `properNames`, as bits of one table: its scan over every character of a
 * text reads one entry per character (on why tables, see `candidates.ts`).
 */
const NAME_LETTER = 1; // ASCII and Latin-1 to Latin Extended-B letters (see `isNameLetter`)
const NAME_UPPER = 2; // A–Z, U+00C0–U+00DE
const NAME_CLOSING_QUOTE = 4; // " ” ’ ' »
const NAME_SPACE = 8; // what `\s` matches
const NAME_COMMA = 16; // , ;
const NAME_CLASS = new Uint8Array(0x10000);
NAME_CLASS.fill(NAME_LETTER, 97, 123);
NAME_CLASS.fill(NAME_LETTER | NAME_UPPER, 65, 91);
NAME_CLASS.fill(NAME_LETTER | NAME_UPPER, 0xc0, 0xdf);
NAME_CLASS.fill(NAME_LETTER, 0xdf, 0x250);
for (const c of [34, 0x201d, 0x2019, 39, 0xbb]) NAME_CLASS[c] = NAME_CLASS[c]! | NAME_CLOSING_QUOTE;
for (const c of SPACE_CODES) NAME_CLASS[c] = NAME_CLASS[c]! | NAME_SPACE;
NAME_CLASS[44] = NAME_CLASS[59] = NAME_COMMA;

/** Whether `text[from, to)` has no capital letter (ASCII or Latin-1). */
function restIsLower(text: string, from: number, to: number): boolean {
  for (let k = from; k < to; k++) if ((NAME_CLASS[text.charCodeAt(k)]! & NAME_UPPER) !== 0) return false;
  return true;
}

/** The end of the run of name letters from `i` (`i` itself when none starts there). */
function nameRunEnd(text: string, i: number, n: number): number {
  while (i < n && (NAME_CLASS[text.charCodeAt(i)]! & NAME_LETTER) !== 0) i++;
  return i;
}

/** Proper names of a text: capitalised words seen mid-sentence and never in lower case. */
export function properNames(text: string): Set<string> {
  // Only calls, no loop of its own: run once per text, this function is then never hot enough for
  // V8 to compile it with the passes inlined, a second copy of the scans they are compiled as alone.
  const upper = new Set<string>();
  nameCandidates(text, upper);
  // Every lower-case word rules its capitalised twin out. A second pass over the words reads only
  // the lower-case ones that start with the letter, and have the length, of some candidate's twin.
  const twins = new Map<string, boolean>();
  const keys = new Set<number>();
  twinKeys(upper, twins, keys);
  if (twins.size > 0) findTwins(text, keys, twins);
  return namesWithoutTwins(upper, twins);
}

/** Each candidate's lower-case twin in `twins` (not seen yet), and its first letter and length in `keys`. */
function twinKeys(upper: ReadonlySet<string>, twins: Map<string, boolean>, keys: Set<number>): void {
  for (const w of upper) {
    const lower = w.toLowerCase();
    twins.set(lower, false);
    keys.add(lower.charCodeAt(0) * 64 + Math.min(lower.length, 63));
  }
}

/** The candidates whose twin the text never has, and the titles. */
function namesWithoutTwins(upper: ReadonlySet<string>, twins: ReadonlyMap<string, boolean>): Set<string> {
  const out = new Set<string>();
  for (const w of upper) if (!twins.get(w.toLowerCase())) out.add(w);
  for (const t of ['Mr', 'Mrs', 'Miss', 'Ms', 'Dr', 'Lady', 'Sir', 'Lord', 'Colonel', 'Captain']) out.add(t);
  return out;
}

/*
 * The two passes of `properNames` are functions of their own that end with their loop: V8 compiles a
 * long loop while it runs (on-stack replacement), and code compiled that way is left again at the
 * first step after the loop it has no type feedback for.
 */

/** Add to `upper` every capitalised word (the rest lower case) after a lower-case word or a comma. */
function nameCandidates(text: string, upper: Set<string>): void {
  let prevLower = false;
  const n = text.length;
  for (let i = 0; i < n; ) {
    const k = NAME_CLASS[text.charCodeAt(i)]!;
    if ((k & NAME_LETTER) !== 0) {
      const j = nameRunEnd(text, i + 1, n);
      if ((k & NAME_UPPER) !== 0) {
        if (prevLower && j - i > 1 && restIsLower(text, i + 1, j)) upper.add(text.slice(i, j));
        prevLower = false;
      } else prevLower = true;
      i = j;
    } else if ((k & NAME_COMMA) !== 0) {
      prevLower = true;
      i++;
    } else if ((k & NAME_SPACE) !== 0) i++;
    else {
      // A run of other characters (digits, punctuation, quotes) breaks the sequence, except closing
      // quotes after a comma: the capitalised word after `“…,”` starts a tag (`“Go,” Corin said`).
      let j = i + 1;
      let quotesOnly = (k & NAME_CLOSING_QUOTE) !== 0;
      for (; j < n; j++) {
        const d = NAME_CLASS[text.charCodeAt(j)]!;
        if ((d & (NAME_LETTER | NAME_SPACE | NAME_COMMA)) !== 0) break;
        quotesOnly &&= (d & NAME_CLOSING_QUOTE) !== 0;
      }
      prevLower = quotesOnly && i > 0 && text.charCodeAt(i - 1) === 44;
      i = j;
    }
  }
}

/** Mark in `twins` each lower-case word of the text it lists (only words whose first letter and length some entry has, by `keys`, are read). */
function findTwins(text: string, keys: ReadonlySet<number>, twins: Map<string, boolean>): void {
  const n = text.length;
  for (let i = 0; i < n; ) {
    const k = NAME_CLASS[text.charCodeAt(i)]!;
    if ((k & NAME_LETTER) === 0) {
      i++;
      continue;
    }
    const j = nameRunEnd(text, i + 1, n);
    if ((k & NAME_UPPER) === 0 && keys.has(text.charCodeAt(i) * 64 + Math.min(j - i, 63))) {
      const w = text.slice(i, j);
      if (twins.has(w)) twins.set(w, true);
    }
    i = j;
  }
}

/**
 * The gender a text gives its names: a sentence that opens with a name and
 * then uses only he/his/him (or only she/her) counts once; a name is given
 * the gender with at least twice the other's count.
 */
export function nameGenders(text: string, candidates: readonly Candidate[], names: ReadonlySet<string>): Map<string, 'm' | 'f'> {
  const counts = new Map<string, [number, number]>();
  let start = 0;
  for (let i = 0; i <= candidates.length; i++) {
    const end = i < candidates.length ? candidates[i]!.gap : text.length;
    const wordEnd = capitalWordEnd(text, start, Math.min(text.length, start + 30));
    if (wordEnd > 0) {
      let w = text.slice(start, wordEnd);
      if (w.endsWith('’s') || w.endsWith("'s")) w = w.slice(0, -2);
      if (names.has(w)) {
        const s = text.slice(wordEnd, Math.min(end, start + 300));
        const male = /\b(?:he|his|him|himself)\b/.test(s);
        const female = /\b(?:she|her|hers|herself)\b/.test(s);
        if (male !== female) {
          const e = counts.get(w) ?? [0, 0];
          e[male ? 0 : 1]++;
          counts.set(w, e);
        }
      }
    }
    if (i < candidates.length) start = candidates[i]!.at;
  }
  const out = new Map<string, 'm' | 'f'>();
  for (const [w, [m, f]] of counts) {
    if (m >= 2 * f && m > 0) out.set(w.toLowerCase(), 'm');
    else if (f >= 2 * m && f > 0) out.set(w.toLowerCase(), 'f');
  }
  return out;
}
