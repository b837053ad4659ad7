import type { BoundaryModel, Weights } from './boundaries.js';

/**
 * The paragraph-recovery model, written by `npm run fit` (scripts/fit.ts) from
 * ../shared/corpus/train and dev-modern: modern rows weighing 3.5× the classic ones, author balance 0.5, L2 0.000001 (lexical 0.001), lexical keys seen ≥ 20 times in ≥ 3 authors, walls 250/500 words.
 * Do not edit by hand: change the rules or the fit and run it again.
 *
 * Kept as JSON text, parsed when a style is first used (a JSON string parses
 * faster than the same object literal, and a work needs one style).
 */
const STYLE = `{
 "bias": -2.535,
 "features": {
  "contractions": {
   "mean": 1.955,
   "scale": 1.024,
   "weight": 0.767
  },
  "sentence-length": {
   "mean": 2.709,
   "scale": 0.302,
   "weight": 0.105
  },
  "archaic": {
   "mean": 0.978,
   "scale": 0.637,
   "weight": -1.159
  },
  "modern": {
   "mean": 0.101,
   "scale": 0.34,
   "weight": 0.765
  },
  "present-tags": {
   "mean": 0.063,
   "scale": 0.156,
   "weight": 0.373
  },
  "semicolons": {
   "mean": 1.703,
   "scale": 0.781,
   "weight": -1.11
  }
 }
}`;
const MODERN = `{
 "threshold": -0.125,
 "wallWords": 250,
 "rules": {
  "beat-after-speech": 0.304,
  "beat-between-speech": -0.116,
  "beat-by-other-person": -0.582,
  "beat-length": 0.114,
  "beat-subject-may-speak": -1.031,
  "beat-subject-speaks": -1.088,
  "bracket-line-after@NM": 3.591,
  "bracket-line-after@SM": 3.512,
  "chat-line@IW": -0.024,
  "chat-line@MM": 6.616,
  "chat-line@NM": 4.735,
  "chat-line@NW": 1.222,
  "chat-line@SM": 3.526,
  "chat-line@SW": 0.536,
  "colon-into-speech": -0.3,
  "colon-then-word": -2.571,
  "comma-before-close": -4.942,
  "comma-speech-after@NW": 1.055,
  "comma-speech-after@SW": 1.515,
  "connective-after-speech": -0.584,
  "connective-opener": -0.082,
  "dash-into-speech": 2.81,
  "dash-then-word": -0.216,
  "different-speaker@NQ": 0.546,
  "different-speaker@SQ": -1.717,
  "inline-quotation@SM": -2.957,
  "inline-quotation@SQ": -2.003,
  "inline-quotation@SW": -2.696,
  "inside-speech": -4.958,
  "mark-then-any@MM": -2.879,
  "mark-then-any@MQ": 0.476,
  "mark-then-any@MW": 0.956,
  "marked-line-after@MM": 1.186,
  "marked-line-after@NM": 0.867,
  "marked-line-after@SM": 2.937,
  "marked-line-before@MM": -0.917,
  "marked-line-before@MQ": 0.743,
  "marked-line-before@MW": -0.164,
  "narration-after-speech-paragraph": 0.159,
  "narration-before-speech": 1.116,
  "narration-leads-into-speech": 0.145,
  "narration-then-mark": 0.373,
  "narration-then-narration": -0.613,
  "narration-then-speech": 0.075,
  "new-name": 0.378,
  "one-line-after@NW": 0.293,
  "one-line-after@SW": -0.064,
  "one-line-before": 0.34,
  "other-person-acts": 1.23,
  "paragraph-length-before-speech": 0.754,
  "paragraph-length@NW": 0.055,
  "paragraph-speaker-other": 1.738,
  "paragraph-speaker-speaks": -0.179,
  "pronoun-after-speech": -0.827,
  "pronoun-opener": -0.534,
  "question-asked": 1.371,
  "reopened-speech": 1.51,
  "reply-tagged": 0.972,
  "said-colon-into-speech": 1.045,
  "same-speaker@NQ": -0.981,
  "same-speaker@SQ": 0.01,
  "short-sentence-after@NW": -0.462,
  "short-sentence-after@SW": 0.232,
  "short-sentence-before@NW": 0.17,
  "short-sentence-before@SW": 0.675,
  "short-speech-before": 0.318,
  "speaker-acts": -0.729,
  "speaker-may-act": -1.126,
  "speech-paragraph-before-speech": -0.286,
  "speech-paragraph-sentences@SQ": 0.749,
  "speech-paragraph-sentences@SW": 0.135,
  "speech-then-mark": 0.887,
  "speech-then-narration": -0.717,
  "speech-then-speech": 3.961,
  "subject-changes": -0.139,
  "subject-stays": -0.213,
  "tag-after-exclamation": -0.951,
  "tag-before-speech": 0.352,
  "tag-follows-speech": -1.196,
  "thought-after@MM": 3.001,
  "thought-after@NM": -0.56,
  "thought-after@SM": 2.041,
  "transition-opener": 0.272,
  "untagged-speech": -1.598
 },
 "lexical": {
  "lex-left-marks": {
   "NW|!": -0.26,
   "O|)": 0.26,
   "S|.”": 0.34,
   "S|?”": 0.44
  },
  "lex-marks-opener": {
   "NW|...|cap": -0.26,
   "NW|.|cap": -0.29,
   "NW|?|cap": -0.37
  },
  "lex-right-first": {
   "NW|<name>": 0.31,
   "NW|his": -0.26,
   "NW|she": 0.4
  },
  "lex-right-second": {
   "NQ|<name>": 0.35,
   "NW|can": -0.3,
   "NW|felt": 0.25,
   "NW|has": -0.27,
   "NW|i": -0.46
  }
 }
}`;
const CLASSIC = `{
 "threshold": 0.5,
 "wallWords": 500,
 "rules": {
  "beat-after-speech": 0.196,
  "beat-between-speech": -0.579,
  "beat-by-other-person": -0.02,
  "beat-length": 0.622,
  "beat-subject-may-speak": -0.574,
  "beat-subject-speaks": -0.761,
  "bracket-line-after@NM": -1.362,
  "bracket-line-after@SM": -0.044,
  "chat-line@IW": -0.062,
  "chat-line@NW": 2.715,
  "chat-line@SM": -0.918,
  "chat-line@SW": 1.023,
  "colon-into-speech": -0.125,
  "colon-then-word": -1.714,
  "comma-before-close": -5.159,
  "comma-speech-after@SW": -0.484,
  "connective-after-speech": -1.156,
  "connective-opener": -0.297,
  "dash-into-speech": 5.332,
  "dash-then-word": 3.999,
  "different-speaker@NQ": 0.683,
  "different-speaker@SQ": -1.783,
  "inline-quotation@SM": -2.001,
  "inline-quotation@SQ": -2.966,
  "inline-quotation@SW": -1.611,
  "inside-speech": -5.496,
  "mark-then-any@MQ": -0.181,
  "mark-then-any@MW": -1.882,
  "marked-line-before@MQ": -1.632,
  "marked-line-before@MW": -0.831,
  "narration-after-speech-paragraph": 0.974,
  "narration-before-speech": -0.952,
  "narration-leads-into-speech": 0.033,
  "narration-then-mark": -2.12,
  "narration-then-narration": -1.237,
  "narration-then-speech": 0.868,
  "new-name": 0.416,
  "one-line-after@SW": -0.321,
  "one-line-before": 0.183,
  "other-person-acts": 0.927,
  "paragraph-length-before-speech": 0.09,
  "paragraph-length@MW": 0.052,
  "paragraph-length@NM": 0.35,
  "paragraph-length@NW": 0.06,
  "paragraph-speaker-other": 0.876,
  "paragraph-speaker-speaks": -0.125,
  "pronoun-after-speech": -0.635,
  "pronoun-opener": -0.38,
  "question-asked": 1.416,
  "reopened-speech": 5.061,
  "reply-tagged": 1.563,
  "said-colon-into-speech": 0.824,
  "same-speaker@NQ": -1.279,
  "same-speaker@SQ": 0.048,
  "short-sentence-after@NW": -0.274,
  "short-sentence-after@SW": 0.442,
  "short-sentence-before@NW": 0.512,
  "short-sentence-before@SW": 0.053,
  "short-speech-before": 0.781,
  "speaker-acts": -0.507,
  "speaker-just-tagged": -0.383,
  "speaker-may-act": -0.101,
  "speech-paragraph-before-speech": -1.07,
  "speech-then-mark": -2.045,
  "speech-then-narration": 0.488,
  "speech-then-speech": 3.947,
  "subject-changes": -0.054,
  "subject-stays": -0.483,
  "tag-after-exclamation": -2.698,
  "tag-before-speech": -0.481,
  "tag-follows-speech": 0.045,
  "transition-opener": 0.602,
  "untagged-speech": -1.052
 },
 "lexical": {
  "lex-left-marks": {
   "NW|.": -0.38,
   "NW|?": -0.43,
   "S|.”": 0.51,
   "S|?”": 0.46
  },
  "lex-marks-opener": {
   "NW|.|cap": -0.28,
   "NW|?|cap": -0.36
  },
  "lex-right-first": {
   "NQ|yes": 0.32,
   "NW|as": 0.26,
   "NW|we": 0.42,
   "O|i": -0.32,
   "S|he": -0.26
  },
  "lex-right-second": {
   "NW|could": -0.25,
   "NW|he": -0.29,
   "NW|would": -0.31
  }
 }
}`;

let modern: Weights | undefined;
let classic: Weights | undefined;

export const MODEL: BoundaryModel = {
  style: JSON.parse(STYLE),
  get modern() {
    return (modern ??= JSON.parse(MODERN) as Weights);
  },
  get classic() {
    return (classic ??= JSON.parse(CLASSIC) as Weights);
  },
};
