import { loadFont } from './fonts.js';
import type { Face, Piece } from './layout.js';
import { clusterScript, clusters, IGNORABLE, languageMatches, languageScript, type Script } from './script.js';

/**
 * The font chain: which font draws each character. Text is cut into grapheme
 * clusters; each takes its script (neutral ones — spaces, punctuation,
 * digits, marks — the script of the text before them, else after them, else
 * the language's own), and the first font that has every glyph of the
 * cluster draws it: the theme's font for that script and language (Japanese
 * text in Noto Serif JP, Traditional Chinese in Noto Sans TC, Hebrew in
 * Frank Ruhl Libre, …), then the main face and its fallbacks (Literata,
 * DejaVu), then every other script font. Fonts are loaded and registered
 * with the document only when a character needs them, so an English book
 * never opens a CJK font. What no font has is collected as missing.
 */

const EMOJI_PRESENTATION = /\p{Emoji_Presentation}/u;

/** True when every character beyond U+024F passes `has` (and none starts an emoji sequence). */
function simple(text: string, has: (ch: string) => boolean): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x250) continue;
    // Surrogates (emoji, CJK extensions) and the characters that join or restyle: the full path.
    if ((c >= 0xd800 && c <= 0xdfff) || c === 0x200d || c === 0xfe0f || c === 0xfe0e || c === 0x20e3) return false;
    // Invisible controls (word joiner, zero-width space, bidi marks) need no glyph.
    if (c === 0x2060 || c === 0xfeff || (c >= 0x200b && c <= 0x200f) || (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069)) continue;
    if (!has(text[i]!)) return false;
  }
  return true;
}

const CJK = new Set(['Han', 'Hiragana', 'Katakana', 'Hangul', 'Bopomofo']);
const CJK_PUNCTUATION = /^[\u3000-\u303f\u30fb\u30fc\uff01-\uff65]/;

export type FaceName = 'regular' | 'italic' | 'bold' | 'boldItalic' | 'mono';
/** Font files for the four faces; a face left out takes the nearest one given (italic → regular, boldItalic → bold). */
export type FaceFiles = Partial<Record<Exclude<FaceName, 'mono'>, string>> & { regular: string };

/** One script font of the theme. */
export interface ScriptFont {
  /** A short name, used in the PDF's font resource names. */
  name: string;
  /** Unicode script names it draws (`Han`, `Hiragana`, `Arabic`, …; `Emoji`). */
  scripts: string[];
  /** BCP 47 tags it is the first choice for among fonts of the same script (`ja`, `zh-Hant`, `zh-TW`). */
  languages?: string[];
  faces: FaceFiles;
}

export interface ChainTheme {
  font: Record<Exclude<FaceName, 'mono'>, string>;
  /** The fixed-width face of preformatted text (`mono`); its fallbacks and script fonts use their regular faces. */
  monoFont: string;
  fallbackFonts: Array<Record<Exclude<FaceName, 'mono'>, string>>;
  scriptFonts: ScriptFont[];
}

interface CoverageFont {
  hasGlyphForCodePoint(cp: number): boolean;
}

/** The face a script font uses for a requested face. */
function faceFile(faces: FaceFiles, face: FaceName): string {
  if (face === 'mono') return faces.regular;
  if (faces[face]) return faces[face]!;
  if (face === 'boldItalic' && faces.bold) return faces.bold;
  return faces.regular;
}

export interface FontChain {
  /** Split `text` (in `face`, in language `lang`) into pieces by the font that draws them; `before` is the text just before it. */
  runs(text: string, face: Face, lang: string, before?: string): Piece[];
  /** Characters no font has, in the order first met. */
  missing: Set<string>;
}

/** Register fonts with `doc` lazily, by name: `regular`, `fb0-regular`, `arabic-bold`, … */
export function fontChain(doc: PDFKit.PDFDocument, theme: ChainTheme, already: readonly string[] = []): FontChain {
  const missing = new Set<string>();
  const registered = new Map<string, CoverageFont | null>();
  const preset = new Set(already);
  /** Register a font file under a name (once); null when its package is not installed. */
  const font = (name: string, spec: string): CoverageFont | null => {
    let f = registered.get(name);
    if (f === undefined) {
      f = loadFont(spec);
      if (f && !preset.has(name)) doc.registerFont(name, f as unknown as string);
      registered.set(name, f);
    }
    return f;
  };
  const mainFile = (face: FaceName) => (face === 'mono' ? theme.monoFont : theme.font[face]);
  const main = (face: FaceName): Array<[string, string]> => [
    [face, mainFile(face)],
    ...theme.fallbackFonts.map((fb, k): [string, string] => [`fb${k}-${face}`, fb[face === 'mono' ? 'regular' : face]]),
  ];
  const scriptEntry = (sf: ScriptFont, face: FaceName): [string, string] => {
    const file = faceFile(sf.faces, face);
    // Faces that share a file share one registered font (one embedded subset).
    const key = (Object.keys(sf.faces) as Array<keyof FaceFiles>).find((k) => sf.faces[k] === file) ?? face;
    return [`${sf.name}-${key}`, file];
  };
  const orders = new Map<string, Array<[string, string]>>();
  /** Fonts to try, in order, for a cluster of `script` in `lang`. */
  const order = (script: Script, face: FaceName, lang: string): Array<[string, string]> => {
    const key = `${script}|${face}|${lang}`;
    let o = orders.get(key);
    if (!o) {
      const own = theme.scriptFonts.filter((sf) => sf.scripts.includes(script));
      // The most specific language match wins (`zh-TW` over `zh`), else the first font of the script.
      let first = own[0];
      let best = 0;
      for (const sf of own) {
        for (const l of sf.languages ?? []) {
          const specificity = l.split('-').length;
          if (languageMatches(lang, l) && specificity > best) {
            best = specificity;
            first = sf;
          }
        }
      }
      const rest = theme.scriptFonts.filter((sf) => sf !== first);
      o = [...(first ? [scriptEntry(first, face)] : []), ...main(face), ...rest.map((sf) => scriptEntry(sf, face))];
      orders.set(key, o);
    }
    return o;
  };
  const picked = new Map<string, string>();
  const pick = (cluster: string, script: Script, face: FaceName, lang: string): string => {
    const key = `${face}|${script}|${lang}|${cluster}`;
    let name = picked.get(key);
    if (name !== undefined) return name;
    const cps = [...cluster].map((c) => c.codePointAt(0)!).filter((cp) => !IGNORABLE.test(String.fromCodePoint(cp)));
    const candidates = order(script, face, lang);
    name = undefined;
    for (const [n, spec] of candidates) {
      const f = font(n, spec);
      if (f && cps.every((cp) => f.hasGlyphForCodePoint(cp))) {
        name = n;
        break;
      }
    }
    if (name === undefined) {
      // Nothing has all of it: the font that has most of it, the rest reported.
      for (const cp of cps) if (!candidates.some(([n, spec]) => font(n, spec)?.hasGlyphForCodePoint(cp))) missing.add(String.fromCodePoint(cp));
      name = candidates.find(([n, spec]) => cps.some((cp) => font(n, spec)?.hasGlyphForCodePoint(cp)))?.[0] ?? face;
      font(name, candidates.find(([n]) => n === name)?.[1] ?? mainFile(face));
    }
    if (picked.size > 100_000) picked.clear();
    picked.set(key, name);
    return name;
  };
  /** Characters beyond Latin the main face has (curly quotes, dashes, Greek, Cyrillic), per face. */
  const covered = new Map<string, boolean>();
  const mainHas = (face: FaceName, ch: string): boolean => {
    const key = face + ch;
    let has = covered.get(key);
    if (has === undefined) {
      const cp = ch.codePointAt(0)!;
      has = !EMOJI_PRESENTATION.test(ch) && !!font(face, mainFile(face))?.hasGlyphForCodePoint(cp);
      covered.set(key, has);
    }
    return has;
  };
  const runs = (text: string, face: Face, lang: string, before = ''): Piece[] => {
    const f = face as FaceName;
    font(f, mainFile(f));
    // Most text is Latin and punctuation the main face has: one run in the face itself.
    if (!/[^\u0000-\u024f]/.test(text)) return [{ text, face }];
    if (simple(text, (ch) => mainHas(f, ch))) return [{ text, face }];
    const cs = clusters(text);
    const scripts = cs.map((c) => clusterScript(c));
    // Neutral clusters take the script before them, else the one after, else the language's.
    let prev: Script | null = null;
    for (const c of before ? clusters(before).reverse() : []) {
      prev = clusterScript(c);
      if (prev) break;
    }
    const resolved: Script[] = new Array(cs.length);
    let next: Script | null = null;
    for (let i = cs.length - 1; i >= 0; i--) {
      if (scripts[i]) next = scripts[i]!;
      resolved[i] = next ?? '';
    }
    const fallback = languageScript(lang);
    const out: Piece[] = [];
    cs.forEach((c, i) => {
      let s = scripts[i];
      if (s) prev = s;
      else s = prev ?? (resolved[i] || fallback);
      // CJK punctuation and full-width forms are set in a CJK font, whatever precedes them.
      if (!scripts[i] && !CJK.has(s) && CJK_PUNCTUATION.test(c)) s = 'Han';
      // A neutral next to emoji is set in the text fonts (emoji fonts draw digits as keycaps).
      if (!scripts[i] && s === 'Emoji') s = fallback;
      const name = /^[\u0000-\u024f]$/.test(c) && s === 'Latin' ? f : pick(c, s, f, lang);
      const last = out[out.length - 1];
      if (last && last.face === name) last.text += c;
      else out.push({ text: c, face: name });
    });
    return out;
  };
  return { runs, missing };
}
