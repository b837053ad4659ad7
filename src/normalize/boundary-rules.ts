import {
  afterLastQuote,
  afterRightSpeech,
  beatAndSpeech,
  leftHasSpeech,
  leftIsTaggedSpeech,
  leftSentence,
  leftWords,
  forEachCapitalWord,
  matchesAt,
  mentionedInParagraph,
  narrationSinceSpeech,
  openBefore,
  paragraphAndSpeech,
  rightIntoSpeech,
  rightSpeaker,
  rightLeadWord,
  rightWord1,
  rightWord2,
  rightWords,
  speakers,
  speechAndActor,
  subjects,
  type Context,
  type Kind,
} from './boundary-context.js';
import { wordsBetween } from './candidates.js';

/**
 * The named rules of paragraph recovery. Each measures one piece of evidence
 * at a candidate (usually 0 or 1) for the kinds of candidate it applies to;
 * its weight, fitted by `npm run fit` and kept in `boundary-weights.ts`, says
 * how much that evidence counts towards a break (log-odds). Lexical rules
 * name a word or mark near the candidate; their table of learned weights
 * says how each one leans.
 */
export interface Rule {
  id: string;
  description: string;
  /** The candidate kinds the rule looks at (see `kindOf`). */
  kinds: readonly Kind[];
  feature: (x: Context) => number;
}

export interface LexicalRule {
  id: string;
  description: string;
  kinds: readonly Kind[];
  /** The word or mark at this candidate, or undefined when the rule says nothing. Its table key is `lexicalKey`. */
  term: (x: Context) => string | undefined;
}

/** The group of candidate kinds a lexical table keys by: after speech, narration → speech, narration → narration, other. */
export function lexicalGroup(k: Kind): string {
  return k === 'SQ' || k === 'SW' || k === 'SM' ? 'S' : k === 'NQ' ? 'NQ' : k === 'NW' ? 'NW' : 'O';
}

/** A lexical rule's table key at a candidate (`NW|she`), or undefined. */
export function lexicalKey(rule: LexicalRule, x: Context): string | undefined {
  const t = rule.term(x);
  return t === undefined ? undefined : `${lexicalGroup(x.kind)}|${t}`;
}

/** Log-scaled length so long paragraphs count more without swamping everything else. */
const logWords = (n: number) => Math.log2(1 + n / 20);
const flag = (b: boolean) => (b ? 1 : 0);

/** Sentence openers that mark a step in time or place. */
const TRANSITION =
  /(?:When|After|Afterwards|The next|Next|Meanwhile|Later|At last|At length|In the (?:morning|evening|afternoon|meantime|course)|On (?:the|her|his|their) (?:following|next|return|arrival)|The following|Before|Soon|As soon as|That (?:evening|night|morning|afternoon)|The (?:morning|evening|day|night|week|month|rest) |Within|Several|A (?:few|week|day|month|fortnight)|By the time|Some (?:time|days|weeks|minutes|hours)|(?:Two|Three|Four|Five|Six) (?:days|weeks|hours|minutes|months|years))\b/y;

/** Sentence openers that carry on from the sentence before (`I'm` and `It's` count as I and It). */
const PRONOUN_START = new Set('He She They It I We You His Her Their Its My Our This That These Those There Here'.split(' '));
const CONNECTIVE_START = new Set('And But Yet So Then Still Nor Or For Besides However Indeed Even Now'.split(' '));
/** The word at the start of the right side without a contraction (`It's` → `It`). */
const leadStem = (x: Context) => {
  const w = rightLeadWord(x);
  let k = w.indexOf('’');
  if (k < 0) k = w.indexOf("'");
  return k > 0 ? w.slice(0, k) : w;
};
const startsWithPronoun = (x: Context) => PRONOUN_START.has(leadStem(x));

/** Narration that ends by announcing speech: `Ben said:`, `answered carelessly:`, `thus addressed her:`. */
const SAID_COLON = /\b(?:said|says|asked|asks|replied|answered|cried|exclaimed|whispered|murmured|muttered|shouted|yelled|called|added|continued|observed|remarked|returned|began|repeated|explained|declared|announced|went on|told|wrote|addressed|spoke)\b(?:\s+[\p{L}’']+){0,2}\s*:$/u;

/** Tag verbs for the same speaker going on (`he continued`, `went on Holmes`). */
const GOING_ON = /^[,;]?\s*(?:\S+\s+){0,3}?(?:continued|continues|went on|goes on|added|adds|resumed|resumes|pursued|persisted)\b/;

/**
 * A chat or text-message line: `[Torino]: get here`, `<Mina> lol`,
 * `Kyouka (10:42): see you`, or `Kyouka: see you` when Kyouka is a name of
 * the text or starts another such line (so `Then: “Go on.”` and `One: I can’t` are not chat).
 */
const CHAT_BRACKETED = /(?:\[[^\]\n]{1,30}\]:?|<[^>\n]{1,30}>:?|\p{Lu}[\p{L}\d_.\-]{0,20} \(\d{1,2}:\d\d(?: ?[AaPp][Mm])?\):)\s/uy;
const CHAT_NAMED = /(\p{Lu}[\p{L}\d_\-]{0,20})(?: \p{Lu}[\p{L}\d_\-]{0,20})?:\s/uy;
function isChatLine(x: Context): boolean {
  // Cheap test first: a colon, or the `]` or `>` that closes a bracketed name, within the next 45 characters.
  const end = Math.min(x.text.length, x.c.at + 45);
  let k = x.c.at;
  while (k < end && x.text[k] !== ':' && x.text[k] !== '>' && x.text[k] !== ']') k++;
  if (k >= end) return false;
  if (matchesAt(CHAT_BRACKETED, x.text, x.c.at)) return true;
  CHAT_NAMED.lastIndex = x.c.at;
  const m = CHAT_NAMED.exec(x.text);
  return !!m && (x.doc.names.has(m[1]!) || chatHandleRepeats(x.text, m[0], x.c.at));
}

/** `Juno: are you there? … Juno: ok` — a handle that only ever speaks in chat lines starts two of them. */
let handles: { text: string; seen: Map<string, boolean> } | undefined;
function chatHandleRepeats(text: string, handle: string, at: number): boolean {
  if (handles?.text !== text) handles = { text, seen: new Map() };
  let known = handles.seen.get(handle);
  if (known === undefined) {
    // Another `Handle: ` after a sentence end, before or after this one.
    known = false;
    for (let i = text.indexOf(handle); i >= 0 && !known; i = text.indexOf(handle, i + 1)) known = i !== at && /[.!?…"”*)\]]\s$/.test(text.slice(Math.max(0, i - 2), i));
    handles.seen.set(handle, known);
  }
  return known;
}

/** Sound effects and stage marks set off in asterisks or tildes: `*Knock knock*`, `~*BANG*~`. */
const MARKED_LINE = /[*~]+[^*~\s][^*~]{0,60}[*~]+(?:\s|$)/y;

/**
 * A bracketed or parenthesised heading: a place or a time in title case, perhaps with a colon
 * (`( Ten Years Later: Tokyo Rooftop )`, `(Midoriya's Apartment)`), not an aside in a sentence.
 */
const BRACKET_LINE = /[([]\s?([^)\].,!?;"“”]{1,70}?)\s?[)\]](?:\s|$)/y;
const SMALL_WORDS = new Set('of the on to at in and a an by for from near with'.split(' '));
function isBracketHeading(x: Context): boolean {
  BRACKET_LINE.lastIndex = x.c.at;
  const m = BRACKET_LINE.exec(x.text);
  if (!m) return false;
  const words = m[1]!.split(/\s+/).filter(Boolean);
  return words.length > 0 && words.every((w, i) => /^[\p{Lu}\d]/u.test(w) || (i > 0 && SMALL_WORDS.has(w)));
}

/** `*thoughts*`: an asterisk-marked thought as its own sentence. */
const THOUGHT = /\*[^*\s][^*]{2,300}[.!?…,]\*/y;

const OPENS_QUOTE = /["“‘'«„]/;

/** The left sentence's last speech was a question (`“…?” asked Holmes.`). */
const isQuestionClose = (x: Context) => /\?[”"’']\s+[^“”"]*$/.test(afterLastQuote(leftSentence(x), 1));

/*
 * The speaker relations (`beatAndSpeech`, `speechAndActor`, `speakers`, `paragraphAndSpeech`,
 * `subjects`) are facts of the context several rules share, found once per candidate.
 */
/** `And taking her hand…`, `Then he…`, `But she…` after speech. */
const CARRIES_ON = /(?:And\s|(?:Then|But)\s+\p{Ll})/uy;

/** The rules, grouped by the kind of boundary they look at. */
export const RULES: readonly Rule[] = [
  // — The kind of boundary: what ends the left side and what starts the right (a bias for each).
  { id: 'speech-then-speech', description: 'closed speech followed by new speech: a dialogue turn', kinds: ['SQ'], feature: () => 1 },
  { id: 'speech-then-narration', description: 'closed speech followed by a capitalised sentence', kinds: ['SW'], feature: () => 1 },
  { id: 'speech-then-mark', description: 'closed speech followed by a bracket, asterisk or ellipsis', kinds: ['SM'], feature: () => 1 },
  { id: 'narration-then-speech', description: 'narration followed by speech', kinds: ['NQ'], feature: () => 1 },
  { id: 'narration-then-narration', description: 'one narrative sentence after another', kinds: ['NW'], feature: () => 1 },
  { id: 'narration-then-mark', description: 'a sentence followed by a bracket, asterisk or ellipsis', kinds: ['NM'], feature: () => 1 },
  { id: 'reopened-speech', description: 'a speech quote opens while the last never closed: the same speaker goes on in a new paragraph', kinds: ['IQ'], feature: () => 1 },
  { id: 'inside-speech', description: 'a sentence ends inside someone’s speech and the speech goes on', kinds: ['IW'], feature: () => 1 },
  { id: 'comma-before-close', description: '“Hell,” — a comma before the closing quote: a tag or more speech follows in the same sentence', kinds: ['C'], feature: () => 1 },
  { id: 'dash-into-speech', description: 'narration ending in a dash that introduces speech set off as its own paragraph', kinds: ['DQ'], feature: () => 1 },
  { id: 'dash-then-word', description: 'a dash (broken-off narration) before a capital', kinds: ['DW'], feature: () => 1 },
  { id: 'colon-into-speech', description: 'narration ending in a colon before speech (a letter, a quotation)', kinds: ['OQ'], feature: () => 1 },
  { id: 'colon-then-word', description: 'a colon before a capitalised word (a list, a letter, a label)', kinds: ['OW'], feature: () => 1 },
  { id: 'mark-then-any', description: 'a line that ends in a bracket, asterisk or tilde: a heading, a sound, a scene mark', kinds: ['MQ', 'MW', 'MM'], feature: () => 1 },
  { id: 'said-colon-into-speech', description: '`Ben said:` `he thus went on:` — narration (no speech in the sentence) ending in a speech verb and a colon introduces speech set off as its own paragraph (after `“…,” said Jane:` the same speaker goes on instead)', kinds: ['OQ'], feature: (x) => flag(SAID_COLON.test(x.text.slice(Math.max(x.leftSentenceStart, x.c.gap - 60), x.c.gap)) && !leftHasSpeech(x)) },

  // — After speech, before narration.
  { id: 'tag-follows-speech', description: 'the sentence after the speech is its tag (`“Seven!” I answered.`)', kinds: ['SW'], feature: (x) => flag(x.rightIsTag) },
  { id: 'tag-after-exclamation', description: '`“Hux?” Kylo asks`, `“My neighbour—” I began` — after `?”`, `!”` or a broken-off `—”` a name or pronoun and a speech verb is the tag', kinds: ['SW'], feature: (x) => flag(x.rightIsTag && /[?!—–…\-][”"’']$/.test(x.text.slice(x.c.gap - 2, x.c.gap))) },
  { id: 'connective-after-speech', description: '`And taking her hand, he…` — narration that carries on from the speech', kinds: ['SW'], feature: (x) => flag(matchesAt(CARRIES_ON, x.text, x.c.at)) },
  { id: 'pronoun-after-speech', description: 'a pronoun after speech (`He bowed.`) is often the speaker acting in the same paragraph', kinds: ['SW'], feature: (x) => flag(startsWithPronoun(x)) },
  { id: 'inline-quotation', description: 'the closed quote was opened inside a sentence (“stupid, disagreeable fellows.”): a quotation, not speech', kinds: ['SW', 'SQ', 'SM'], feature: (x) => flag(!!openBefore(x.marks, x.c.gap)?.inline) },
  { id: 'speaker-acts', description: 'the narration after the speech is about its own speaker (`“No,” Kyle said. Kyle shrugged.` / a tagged speaker’s pronoun): the speaker’s beat stays with the speech', kinds: ['SW'], feature: (x) => flag(!x.rightIsTag && speechAndActor(x) === 'same') },
  { id: 'speaker-may-act', description: 'the narration after the speech is about someone who can be its speaker (a name and the pronoun of its gender)', kinds: ['SW'], feature: (x) => flag(!x.rightIsTag && speechAndActor(x) === 'compatible') },
  { id: 'other-person-acts', description: 'the narration after the speech is about someone other than its speaker', kinds: ['SW'], feature: (x) => flag(!x.rightIsTag && speechAndActor(x) === 'different') },
  { id: 'comma-speech-after', description: '`“…” ‖ Kyle sighed, “…”` — the right side is narration that introduces its own speech with a comma: a new beat and speech, often a new speaker', kinds: ['SW', 'NW'], feature: (x) => {
    const open = x.candidates[x.i + 1] === undefined ? x.text.length : x.rightSentenceEnd;
    const k = x.text.indexOf(',', x.c.at);
    if (k < 0 || k > open || k - x.c.at > 120) return 0;
    let j = k + 1;
    while (j < x.text.length && x.text[j] === ' ') j++;
    return flag('"“'.includes(x.text[j] ?? '') && !x.rightIsTag);
  } },
  { id: 'beat-between-speech', description: 'the narration after the speech leads into more speech (`“Go.” Kyle smiled. “Now.”`): a beat inside one speaker’s turn', kinds: ['SW'], feature: (x) => flag(!x.rightIsTag && rightIntoSpeech(x)) },
  { id: 'short-speech-before', description: 'how long the speech before the narration is (log of its words)', kinds: ['SW'], feature: (x) => logWords(wordsBetween(x.text, openBefore(x.marks, x.c.gap)?.index ?? x.leftSentenceStart, x.c.gap)) },
  { id: 'speech-paragraph-sentences', description: 'how many sentences the paragraph already holds before narration follows the speech (log)', kinds: ['SW', 'SQ'], feature: (x) => Math.log2(1 + x.paragraphSentences) },
  { id: 'narration-before-speech', description: 'the paragraph opened with narration before its speech: a full beat–speech unit is already there', kinds: ['SW'], feature: (x) => flag(x.paragraphHasSpeech && !OPENS_QUOTE.test(x.text[x.paragraphStart] ?? '')) },

  // — After narration, before speech.
  { id: 'speaker-just-tagged', description: 'after `“…,” said he.` the same speaker often goes on', kinds: ['NQ'], feature: (x) => flag(leftIsTaggedSpeech(x)) },
  { id: 'reply-tagged', description: 'after `“…,” said he.` the next speech carries its own tag (`“Nothing,” she answered.`): a second tag in a row names a new speaker (not `he continued`)', kinds: ['NQ'], feature: (x) => {
    if (!leftIsTaggedSpeech(x)) return 0;
    const after = afterRightSpeech(x);
    return flag(after !== undefined && rightSpeaker(x) !== undefined && !GOING_ON.test(after));
  } },
  { id: 'question-asked', description: 'the last speech was a tagged question (`“…?” asked Holmes.`): the answer is someone else’s', kinds: ['NQ'], feature: (x) => flag(leftIsTaggedSpeech(x) && isQuestionClose(x)) },
  { id: 'different-speaker', description: 'the speech on both sides is tagged with different speakers: a new speaker takes a new paragraph', kinds: ['NQ', 'SQ'], feature: (x) => flag(speakers(x) === 'different') },
  { id: 'same-speaker', description: 'the speech on both sides is tagged with the same speaker: one turn', kinds: ['NQ', 'SQ'], feature: (x) => flag(speakers(x) === 'same') },
  { id: 'beat-subject-speaks', description: '`Harry frowned. “No,” Harry said.` — the narration before the speech is about its speaker: the beat and the speech are one paragraph', kinds: ['NQ'], feature: (x) => flag(beatAndSpeech(x) === 'same') },
  { id: 'beat-subject-may-speak', description: '`Harry frowned. “No,” he said.` — the narration’s subject can be the speaker (a name and its gender’s pronoun)', kinds: ['NQ'], feature: (x) => flag(beatAndSpeech(x) === 'compatible') },
  { id: 'beat-by-other-person', description: '`Harry frowned. “No,” Hermione said.` — the narration before the speech is about someone other than its speaker', kinds: ['NQ'], feature: (x) => flag(beatAndSpeech(x) === 'different') },
  { id: 'paragraph-speaker-speaks', description: 'the speech’s tag names the speaker the paragraph is already about', kinds: ['NQ'], feature: (x) => flag(paragraphAndSpeech(x) === 'same') },
  { id: 'paragraph-speaker-other', description: 'the speech’s tag names someone other than the speaker the paragraph is about', kinds: ['NQ'], feature: (x) => flag(paragraphAndSpeech(x) === 'different') },
  { id: 'untagged-speech', description: 'the speech after the narration has no tag of its own', kinds: ['NQ'], feature: (x) => flag(rightSpeaker(x) === undefined) },
  { id: 'beat-length', description: 'how long the narration before the speech is (longer narration stands apart more)', kinds: ['NQ'], feature: (x) => (!leftHasSpeech(x) ? logWords(leftWords(x)) : 0) },
  { id: 'beat-after-speech', description: 'the paragraph’s last speech was followed by two or more sentences of narration (its tag not counted): the next speech is a new turn', kinds: ['NQ'], feature: (x) => flag(narrationSinceSpeech(x) >= 2) },
  { id: 'speech-paragraph-before-speech', description: 'the paragraph so far already holds speech', kinds: ['NQ'], feature: (x) => flag(x.paragraphHasSpeech) },
  { id: 'paragraph-length-before-speech', description: 'how long the paragraph before the speech has run (log of its words)', kinds: ['NQ'], feature: (x) => logWords(x.paragraphWords) },
  { id: 'tag-before-speech', description: 'the narration ends by introducing the speech (`…she said.` `thus began.`)', kinds: ['NQ'], feature: (x) => flag(/\b(?:began|said|added|continued|replied|answered|cried|spoke|exclaimed|explained|thus|these words|as follows)\W*$/.test(leftSentence(x))) },

  // — Between narrative sentences.
  { id: 'paragraph-length', description: 'a paragraph that has run long is more likely to end (log of its words)', kinds: ['NW', 'NM', 'MW'], feature: (x) => logWords(x.paragraphWords) },
  { id: 'long-paragraph', description: 'a paragraph past 250 words: prose rarely runs longer, so a sentence boundary there is more likely a break (log of how far past)', kinds: ['NW', 'SW', 'NQ'], feature: (x) => (x.paragraphWords > 250 ? Math.log2(x.paragraphWords / 250) : 0) },
  { id: 'paragraph-sentences', description: 'how many sentences the paragraph holds so far (log)', kinds: ['NW'], feature: (x) => Math.log2(1 + x.paragraphSentences) },
  { id: 'transition-opener', description: 'a sentence opening with a step in time or place (After breakfast, The next morning, When…)', kinds: ['NW'], feature: (x) => flag(matchesAt(TRANSITION, x.text, x.c.at)) },
  { id: 'pronoun-opener', description: 'a sentence opening with a pronoun carries on the paragraph’s subject', kinds: ['NW'], feature: (x) => flag(startsWithPronoun(x)) },
  { id: 'connective-opener', description: 'a sentence opening with But, And, Yet, So… carries on the argument', kinds: ['NW'], feature: (x) => flag(CONNECTIVE_START.has(leadStem(x))) },
  { id: 'narration-after-speech-paragraph', description: 'narration after a paragraph that holds speech', kinds: ['NW'], feature: (x) => flag(x.paragraphHasSpeech) },
  { id: 'narration-leads-into-speech', description: 'the next sentence introduces speech (`Elizabeth turned to him. “…`)', kinds: ['NW'], feature: (x) => flag(rightIntoSpeech(x)) },
  { id: 'short-sentence-before', description: 'how long the sentence before is (log of its words; one-line paragraphs are short)', kinds: ['NW', 'SW'], feature: (x) => logWords(leftWords(x)) },
  { id: 'short-sentence-after', description: 'how long the sentence after is (log of its words: `Silence.` `He was done for.`)', kinds: ['NW', 'SW'], feature: (x) => logWords(rightWords(x)) },
  { id: 'one-line-after', description: 'a sentence of one to three words after narration (`Silence.` `Kyle winced.`): often a paragraph of its own', kinds: ['NW', 'SW'], feature: (x) => flag(rightWords(x) <= 3) },
  { id: 'one-line-before', description: 'a sentence of one to three words before (`Silence.`): often a paragraph of its own', kinds: ['NW'], feature: (x) => flag(leftWords(x) <= 3) },
  { id: 'new-name', description: 'the sentence names someone the paragraph has not mentioned yet', kinds: ['NW'], feature: (x) => {
    let found = 0;
    forEachCapitalWord(x.text, x.c.at, x.rightSentenceEnd, (w) => {
      if (!found && x.doc.names.has(w) && !mentionedInParagraph(x, w)) found = 1;
    });
    return found;
  } },
  { id: 'subject-changes', description: 'the two sentences are about different people (`Kyle ran. Fiona stayed.`)', kinds: ['NW'], feature: (x) => flag(subjects(x) === 'different') },
  { id: 'subject-stays', description: 'the two sentences are about the same person', kinds: ['NW'], feature: (x) => {
    const r = subjects(x);
    return flag(r === 'same' || r === 'compatible');
  } },

  // — Lines of their own: chat, sound effects, headings, thoughts.
  { id: 'chat-line', description: 'a chat or text-message line (`Kyouka: see you`, `[Torino]: get here`) starts its own paragraph', kinds: ['NW', 'SW', 'NM', 'SM', 'MW', 'MM', 'IW'], feature: (x) => flag(isChatLine(x)) },
  { id: 'marked-line-after', description: 'a sound or stage mark in asterisks or tildes follows (`*Knock knock*`)', kinds: ['NM', 'SM', 'MM'], feature: (x) => flag(matchesAt(MARKED_LINE, x.text, x.c.at)) },
  { id: 'bracket-line-after', description: 'a bracketed heading in title case follows (`( Ten Years Later: Rooftop )`): a place or time heading of its own', kinds: ['NM', 'SM', 'MM'], feature: (x) => flag(isBracketHeading(x)) },
  { id: 'thought-after', description: 'an asterisk-marked thought follows (`*What now?*`)', kinds: ['NM', 'SM', 'MM'], feature: (x) => flag(matchesAt(THOUGHT, x.text, x.c.at)) },
  { id: 'marked-line-before', description: 'the left side is a short bracketed or asterisk line of its own (a heading, a sound)', kinds: ['MQ', 'MW', 'MM'], feature: (x) => flag(leftWords(x) <= 12 && '([*~'.includes(x.text[x.leftSentenceStart]!)) },
];

const QUOTE_FOLD: Readonly<Record<string, string>> = { '"': '”', '“': '“', '”': '”', "'": '’', '‘': '‘', '’': '’', '«': '“', '»': '”' };


/** A word as the tables know it: lower case, names folded to `<name>`, numbers to `<num>`. */
function lexWord(w: string, names: ReadonlySet<string>): string | undefined {
  if (!w) return undefined;
  const c = w.charCodeAt(0);
  if (c >= 48 && c <= 57) return '<num>';
  if (names.has(w)) return '<name>';
  const possessive = w.endsWith('’s') || w.endsWith("'s");
  if (possessive && names.has(w.slice(0, -2))) return '<name>’s';
  const lower = w.toLowerCase();
  return lower.includes("'") ? lower.replaceAll("'", '’') : lower;
}

const PRONOUN_WORDS = new Set('i he she they we you it'.split(' '));
const DETERMINERS = new Set('the a an his her their my our your its this that'.split(' '));
/** The kind of the first right word: pronoun, name, determiner, other lower case, other capitalised. */
function rightClass(x: Context): string {
  const w = rightWord1(x);
  if (!w) return '-';
  const lex = rightLex1(x)!;
  if (PRONOUN_WORDS.has(lex)) return 'pron';
  if (lex === '<name>' || lex === '<name>’s') return 'name';
  if (DETERMINERS.has(lex)) return 'det';
  const c = w.charCodeAt(0);
  return (c >= 65 && c <= 90) || (c >= 0xc0 && w[0] !== w[0]!.toLowerCase()) ? 'cap' : w === w.toLowerCase() ? 'low' : 'cap';
}

/** The first right word as the tables know it (kept for the candidate: two tables ask). */
const rightLex1 = (x: Context) => {
  if (x.memo.rightLex1 === undefined) x.memo.rightLex1 = lexWord(rightWord1(x), x.doc.names) ?? null;
  return x.memo.rightLex1 ?? undefined;
};

/** The punctuation a left side ends with, quote marks folded (straight and curly alike). */
function endMarks(x: Context): string {
  if (x.memo.endMarks !== undefined) return x.memo.endMarks;
  let k = x.c.gap - 1;
  let s = '';
  while (k >= 0 && s.length < 3 && !isLetterDigitOrSpace(x.text, k)) s = (QUOTE_FOLD[x.text[k]!] ?? x.text[k]!) + s, k--;
  return (x.memo.endMarks = s);
}

/** Whether `text[k]` is a letter, a digit or whitespace (ASCII first; the rest by class). */
function isLetterDigitOrSpace(text: string, k: number): boolean {
  const c = text.charCodeAt(k);
  if (c < 128) return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 32 || (c >= 9 && c <= 13);
  return /[\p{L}\p{N}\s]/u.test(text[k]!);
}

/** Learned word tables: one weight per word or mark in a position, per kind group. */
export const LEXICAL_RULES: readonly LexicalRule[] = [
  { id: 'lex-right-first', description: 'the first word after the candidate (inside the speech when speech opens there)', kinds: ['SW', 'NW', 'NQ', 'SQ', 'IW', 'C', 'DW', 'OW', 'MW'], term: (x) => rightLex1(x) },
  { id: 'lex-right-second', description: 'the second word after the candidate (a verb after a subject: smiled, said, was)', kinds: ['SW', 'NW', 'NQ', 'C'], term: (x) => lexWord(rightWord2(x), x.doc.names) },
  { id: 'lex-marks-opener', description: 'the left side’s closing punctuation together with the kind of word that opens the right (`?”` then a pronoun, `.` then a name)', kinds: ['SW', 'NW', 'NQ', 'SQ'], term: (x) => `${endMarks(x)}|${rightClass(x)}` },
  { id: 'lex-left-marks', description: 'the punctuation that ends the left side (`?”`, `!”`, `…”`, `.`)', kinds: ['SW', 'NW', 'NQ', 'SQ', 'NM', 'SM', 'MW', 'MQ', 'MM'], term: (x) => endMarks(x) },
];
