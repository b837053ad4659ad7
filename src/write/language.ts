/**
 * Facts about languages both writers need, from BCP 47 tags alone: the
 * primary subtag, and whether the language runs right to left (the PDF
 * mirrors its pages, the EPUB sets `dir` and the spine's
 * page-progression-direction).
 */

/** The primary subtag of a BCP 47 tag, lower-cased (`zh-Hant-TW` → `zh`). */
export function primaryLanguage(lang: string): string {
  return lang.toLowerCase().split(/[-_]/)[0] ?? '';
}

/** Languages written right to left (their primary subtags). */
const RTL_LANGUAGES = new Set(['ar', 'arc', 'ckb', 'dv', 'fa', 'he', 'iw', 'ks', 'nqo', 'ps', 'sd', 'syr', 'ug', 'ur', 'yi']);

/** True when a language is written right to left (`ar`, `he`, `fa`, `ur`, `yi`, …; `az-Arab` by its script subtag). */
export function isRtlLanguage(lang: string): boolean {
  const tag = lang.toLowerCase();
  if (/-(arab|hebr|syrc|thaa|nkoo|adlm|rohg)\b/.test(tag)) return true;
  if (/-(latn|cyrl)\b/.test(tag)) return false;
  return RTL_LANGUAGES.has(primaryLanguage(tag));
}
