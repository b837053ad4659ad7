import { analyzeQuotes } from './quotes.js';

/**
 * Typography, in the manner of Standard Ebooks' typogrify: an ordered list
 * of small named rules over the text of one paragraph. Each says why it
 * exists, is tested alone, and can be switched off by id
 * (`quire build --skip smart-quotes`).
 */
export interface TypographyRule {
  id: string;
  description: string;
  /** Rewrite a paragraph's text. `lang` is the work's language. */
  apply: (text: string, lang: string) => string;
}

/** Replace characters by index, keeping the string's length (for quote marks). */
function replaceAt(text: string, changes: ReadonlyMap<number, string>): string {
  if (!changes.size) return text;
  let out = '';
  for (let i = 0; i < text.length; i++) out += changes.get(i) ?? text[i];
  return out;
}

export const TYPOGRAPHY: readonly TypographyRule[] = [
  {
    id: 'space-before-punctuation',
    description: 'remove the space a scrape leaves where inline markup was lost: `Finalizer ,` → `Finalizer,` (not in French, which spaces `; : ! ?`)',
    apply: (text, lang) =>
      lang.startsWith('fr')
        ? text.replace(/([\p{L}\p{N}’'”"*_)]) +([,.](?![.\d]))/gu, '$1$2')
        : text.replace(/([\p{L}\p{N}’'”"*_)]) +([,.;:!?](?![.\d]))/gu, '$1$2'),
  },
  {
    id: 'space-inside-quotes',
    description: 'remove the space a scrape leaves inside quotes around lost italics: `“ Kill him` → `“Kill him`, `Crashing ?”` → `Crashing?”`',
    apply: (text) => {
      const { marks } = analyzeQuotes(text);
      const drop = new Set<number>();
      for (const m of marks) {
        if (m.role === 'open') {
          for (let k = m.index + 1; k < text.length && text[k] === ' '; k++) if (/[\p{L}\p{N}]/u.test(text[k + 1] ?? '') || text[k + 1] === ' ') drop.add(k);
        } else if (m.role === 'close') {
          for (let k = m.index - 1; k > 0 && text[k] === ' '; k--) if (/[\p{L}\p{N}.,!?…—]/u.test(text[k - 1] ?? '') || text[k - 1] === ' ') drop.add(k);
        }
      }
      if (!drop.size) return text;
      let out = '';
      for (let i = 0; i < text.length; i++) if (!drop.has(i)) out += text[i];
      return out;
    },
  },
  {
    id: 'smart-quotes',
    description: 'straight quotes become curly by their role: "…" → “…”, \'…\' → ‘…’, and apostrophes → ’ (don’t, ’til, ’90s, rock ’n’ roll)',
    apply: (text) => {
      if (!/["']/.test(text)) return text;
      const { marks } = analyzeQuotes(text);
      const changes = new Map<number, string>();
      for (const m of marks) {
        if (m.char === '"') changes.set(m.index, m.role === 'close' ? '”' : '“');
        else if (m.char === "'") {
          changes.set(m.index, m.role === 'open' ? '‘' : '’');
        }
      }
      return replaceAt(text, changes);
    },
  },
  {
    id: 'em-dash',
    description: 'two or three hyphens are a dash: `days-- and counting--` → `days—and counting—`',
    apply: (text) => text.replace(/ *-{2,3} */g, '—'),
  },
  {
    id: 'ellipsis',
    description: 'three full stops are an ellipsis: `...` and `. . .` → `…`',
    apply: (text) => text.replace(/\.\s?\.\s?\./g, '…'),
  },
  {
    id: 'nbsp-after-abbreviation',
    description: 'a no-break space keeps a title with its name and a number with its label: `Mr.\u00a0Darcy`, `No.\u00a07`',
    apply: (text) => text.replace(/\b(Mr|Mrs|Ms|Mx|Dr|St|Prof|Capt|Col|Gen|Lt|Sgt|Rev|No|Vol|pp?)\. (?=[\p{Lu}\d])/gu, '$1.\u00a0'),
  },
];

/** Apply the typography rules (except those skipped) to one paragraph's text. */
export function typographize(text: string, lang: string, skip: ReadonlySet<string> = new Set()): string {
  let out = text;
  for (const rule of TYPOGRAPHY) if (!skip.has(rule.id)) out = rule.apply(out, lang);
  return out;
}
