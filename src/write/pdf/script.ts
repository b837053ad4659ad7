/**
 * Scripts and languages, as the PDF writer needs them: which script a
 * character (a grapheme cluster) is written in, which script a language is
 * mostly written in, and which languages run right to left. Pure functions
 * over Unicode properties (the regular expressions' `\p{Script=…}`), no I/O.
 */
import { primaryLanguage } from '../language.js';

export { isRtlLanguage, primaryLanguage } from '../language.js';

/** Scripts Quire names (Unicode script names as `\p{Script=…}` spells them), plus `Emoji`. */
export type Script = string;

/** Characters that take the script of the text around them (UAX #24: Common and Inherited). */
const NEUTRAL = /^[\p{Script=Common}\p{Script=Inherited}]/u;
/** Invisible format characters: never drawn, never reported as missing (ZWJ, ZWNJ, variation selectors, bidi controls, soft hyphen). */
export const IGNORABLE = /\p{Default_Ignorable_Code_Point}/u;
const EMOJI_PRESENTATION = /^\p{Emoji_Presentation}/u;
const PICTOGRAPHIC = /^\p{Extended_Pictographic}/u;

/** The scripts Quire looks up one by one, most common first (a short list keeps the lookup fast). */
const SCRIPTS = [
  'Latin',
  'Han',
  'Hiragana',
  'Katakana',
  'Hangul',
  'Cyrillic',
  'Arabic',
  'Hebrew',
  'Devanagari',
  'Thai',
  'Greek',
  'Bopomofo',
  'Bengali',
  'Tamil',
  'Telugu',
  'Gujarati',
  'Gurmukhi',
  'Kannada',
  'Malayalam',
  'Sinhala',
  'Lao',
  'Khmer',
  'Myanmar',
  'Tibetan',
  'Georgian',
  'Armenian',
  'Ethiopic',
  'Syriac',
  'Thaana',
] as const;
const SCRIPT_RE = SCRIPTS.map((s) => [s, new RegExp(`^\\p{Script=${s}}`, 'u')] as const);

const scriptCache = new Map<string, Script | null>();

/**
 * The script of a grapheme cluster, or null for a neutral one (spaces,
 * punctuation, digits, combining marks alone) that takes its neighbours'.
 * Emoji are their own script: a cluster shown as an emoji (emoji
 * presentation, a VS16, a keycap, a ZWJ sequence); a pictograph without
 * emoji presentation (❤ © ☺) is neutral, so a text font that has it draws it.
 */
export function clusterScript(cluster: string): Script | null {
  let s = scriptCache.get(cluster);
  if (s !== undefined) return s;
  if (cluster.includes('\ufe0f') || cluster.includes('\u20e3') || (EMOJI_PRESENTATION.test(cluster) && !cluster.includes('\ufe0e'))) s = 'Emoji';
  else if (PICTOGRAPHIC.test(cluster) && /[\u200d\u{1f3fb}-\u{1f3ff}]/u.test(cluster)) s = 'Emoji';
  else if (NEUTRAL.test(cluster)) s = null;
  else s = SCRIPT_RE.find(([, re]) => re.test(cluster))?.[0] ?? 'Other';
  if (scriptCache.size > 50_000) scriptCache.clear();
  scriptCache.set(cluster, s);
  return s;
}

// Made when first needed: creating a segmenter loads ICU break data.
let graphemes: Intl.Segmenter | undefined;

/** Grapheme clusters of a text (a base with its marks, an emoji sequence): what must stay in one font. */
export function clusters(text: string): string[] {
  const out: string[] = [];
  for (const { segment } of (graphemes ??= new Intl.Segmenter('en', { granularity: 'grapheme' })).segment(text)) out.push(segment);
  return out;
}

/** The script a language is mostly written in: what neutral text with no strong neighbour is set in. */
const LANGUAGE_SCRIPT: Record<string, Script> = {
  zh: 'Han',
  ja: 'Han',
  ko: 'Hangul',
  ar: 'Arabic',
  fa: 'Arabic',
  ur: 'Arabic',
  ps: 'Arabic',
  sd: 'Arabic',
  ug: 'Arabic',
  ckb: 'Arabic',
  he: 'Hebrew',
  iw: 'Hebrew',
  yi: 'Hebrew',
  hi: 'Devanagari',
  mr: 'Devanagari',
  ne: 'Devanagari',
  sa: 'Devanagari',
  th: 'Thai',
  ru: 'Cyrillic',
  uk: 'Cyrillic',
  bg: 'Cyrillic',
  sr: 'Cyrillic',
  el: 'Greek',
};

export function languageScript(lang: string): Script {
  return LANGUAGE_SCRIPT[primaryLanguage(lang)] ?? 'Latin';
}

/**
 * True when a language tag matches a pattern from the theme: `zh` matches
 * `zh`, `zh-CN`, `zh-Hans`; `zh-Hant` matches `zh-Hant`, `zh-Hant-TW`; a
 * region pattern `zh-TW` matches `zh-TW` and `zh-Hant-TW`.
 */
export function languageMatches(lang: string, pattern: string): boolean {
  const tag = lang.toLowerCase().split(/[-_]/);
  const pat = pattern.toLowerCase().split(/[-_]/);
  if (tag[0] !== pat[0]) return false;
  return pat.slice(1).every((sub) => tag.slice(1).includes(sub));
}

/** Code points in the CJK and other scripts written without spaces, where a line may break between any two characters and justification spreads the slack between them. */
const SPACELESS = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Bopomofo}\p{Script=Thai}\p{Script=Lao}\p{Script=Khmer}\p{Script=Myanmar}\u3000-\u303f\uff01-\uff65]/u;

/** True when `ch` belongs to text set without spaces between words (CJK, Thai, Lao, Khmer, Burmese). */
export function isSpaceless(ch: string): boolean {
  return SPACELESS.test(ch);
}
