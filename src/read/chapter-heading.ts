/**
 * The chapter-heading grammar every reader shares: how authors head their
 * chapters — `Chapter 3`, `Chapter Three`, `CHAPTER II`, `Chapter 3: The End`,
 * `Part Two`, `Book 1 — The Sea`, `Prologue`, `Interlude II`, `Epilogue:
 * After`, `第三章 归来` — split into the label as the author wrote it (never
 * renumbered) and the title after it.
 */

export interface ChapterHeading {
  /** The numbering or section word as written: `Chapter One`, `CHAPTER II`, `Prologue`; empty when the heading is only a title. */
  label: string;
  /** The title after the label (`The End`), or the whole heading when it has no label. */
  title: string;
}

const UNITS = 'one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen';
const TENS = 'twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety';
const ORDINAL_UNITS = 'first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|eleventh|twelfth|thirteenth|fourteenth|fifteenth|sixteenth|seventeenth|eighteenth|nineteenth';
const ORDINAL_TENS = 'twentieth|thirtieth|fortieth|fiftieth|sixtieth|seventieth|eightieth|ninetieth';
/** A number as authors write it in a heading: digits (3, 3.5, 12a), a roman numeral, or English words (Three, Twenty-One, First). */
const NUMBER = [
  '\\d{1,4}(?:\\.\\d{1,2})?[a-z]?',
  // Roman numerals up to 3999; the lookahead keeps it from matching an empty string or a word like "Mild".
  '(?=[MDCLXVI])M{0,3}(?:CM|CD|D?C{0,3})(?:XC|XL|L?X{0,3})(?:IX|IV|V?I{0,3})(?![\\p{L}])',
  `(?:(?:${TENS})(?:[ -](?:${UNITS}))?|${UNITS}|hundred|(?:(?:${TENS})[ -])?(?:${ORDINAL_UNITS})|${ORDINAL_TENS})`,
].join('|');

/** Words that number a division of a story, in the languages AO3 hosts most (the number follows them). */
const NUMBERED =
  'Chapter|Chap\\.|Ch\\.|Part|Book|Volume|Vol\\.|Act|Section|Chapitre|Partie|Livre|Capítulo|Capitulo|Parte|Libro|Capitolo|Kapitel|Teil|Buch|Hoofdstuk|Deel|Rozdział|Część|Kapitola|Část|Fejezet|Bölüm|Kapittel|Kappale|Luku|Глава|Часть|Книга|Розділ|Частина|Κεφάλαιο';

/** Sections authors head with a word alone (optionally numbered or titled). */
const NAMED =
  'Prologue|Epilogue|Interlude|Intermission|Entr\'acte|Prelude|Preface|Foreword|Afterword|Introduction|Coda|Postscript|Epílogo|Prólogo|Interludio|Épilogue|Prolog|Epilog|Prologo|Epilogo|Пролог|Эпилог|Интерлюдия';

/** `第三章` / `第3話` / `제3장` / `3화`: CJK chapter numbering. */
const CJK = '(?:第\\s*[0-9０-９一二三四五六七八九十百千零〇两]+\\s*[章回话話节節部卷幕]|제\\s*\\d+\\s*[장화부]|\\d+\\s*화)';
const CJK_NAMED = '序章|序幕|楔子|终章|終章|尾声|尾聲|番外(?:篇)?|后记|後記|プロローグ|エピローグ|프롤로그|에필로그';

/** What may stand between a label and its title. */
const SEPARATOR = '\\s*[:.–—|-]\\s*|\\s+';

const HEAD = new RegExp(
  `^((?:${NUMBERED})\\s*(?:${NUMBER})|(?:${NAMED})(?:\\s+(?:${NUMBER}))?|${CJK}|${CJK_NAMED})(?:(?:${SEPARATOR})(.*))?$`,
  'iu',
);
const NUMBER_ONLY = new RegExp(`^(?:${NUMBER})\\.?$`, 'iu');

/**
 * Parse a heading the author wrote. `strict` (plain text, where any line
 * could be prose) accepts only headings with a chapter word or a named
 * section and a short title; otherwise (a Markdown or HTML heading, which is
 * a heading already) any text is a heading: one without a label is all title.
 */
export function parseChapterHeading(text: string, strict = false): ChapterHeading | undefined {
  const t = text.replace(/\s+/g, ' ').trim();
  if (!t) return strict ? undefined : { label: '', title: '' };
  const m = HEAD.exec(t);
  if (m) {
    const label = m[1]!.replace(/\s+/g, ' ').trim();
    const title = (m[2] ?? '').trim();
    // `Chapter one of my life was…` is prose: in plain text a title must look like a title.
    if (strict && title && !looksLikeTitle(title)) return undefined;
    return { label, title };
  }
  if (strict) return undefined;
  // A Markdown heading that is only a number (`# 3`, `# IV`, `# Three`) is a label.
  if (NUMBER_ONLY.test(t)) return { label: t.replace(/\.$/, ''), title: '' };
  return { label: '', title: t };
}

/** A title, not a sentence: short, and not ending like running prose. */
function looksLikeTitle(title: string): boolean {
  if (title.length > 100) return false;
  const words = title.split(' ').length;
  if (words > 14) return false;
  // Prose after `Chapter one` runs on in lower case (`Chapter one of my life was dull.`).
  if (/^\p{Ll}/u.test(title) && words > 2) return false;
  return !/[,;]$/.test(title);
}

/**
 * A heading that is a number alone (`1`, `12.`, `IV`, `XII.`), as many
 * novels head their chapters: its value, or undefined. Alone on a line such a
 * number is only a heading when others follow it in sequence (see
 * `splitAtHeadings`).
 */
export function bareNumber(text: string): number | undefined {
  const t = text.trim().replace(/\.$/, '');
  if (/^\d{1,3}$/.test(t)) return Number(t);
  if (!/^(?=[MDCLXVI])M{0,3}(?:CM|CD|D?C{0,3})(?:XC|XL|L?X{0,3})(?:IX|IV|V?I{0,3})$/.test(t)) return undefined;
  const value: Record<string, number> = { I: 1, V: 5, X: 10, L: 50, C: 100, D: 500, M: 1000 };
  let n = 0;
  for (let i = 0; i < t.length; i++) {
    const v = value[t[i]!]!;
    n += i + 1 < t.length && value[t[i + 1]!]! > v ? -v : v;
  }
  return n;
}
