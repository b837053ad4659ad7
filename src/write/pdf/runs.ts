/**
 * Text runs written straight into a page's content stream: words shaped once
 * per process, encoded once per document, and shown with one TJ operator per
 * run. This is what pdfkit's text() does for a run, without shaping the run
 * again on every call, and with what pdfkit's text() lacks: a direction for
 * right-to-left runs, marks placed off the baseline (Thai tone marks, Hebrew
 * points, Arabic harakat) and the real text of a word whose glyphs do not
 * spell it (Devanagari vowel signs drawn before their consonant, a ligature,
 * an emoji with a skin tone) as ActualText. It reaches into pdfkit's font
 * and page objects (pinned version; the parts used are typed below).
 */

type Doc = PDFKit.PDFDocument;

/** Words kept per font before the table is dropped (a bound on memory in huge batches). */
const MAX_SHAPES = 200_000;

/** The parts of pdfkit's document and font objects the run writer uses (not in its typings). */
interface FontkitFont {
  unitsPerEm: number;
  layout(
    text: string,
    features?: string[],
    script?: string,
    language?: string,
    direction?: 'ltr' | 'rtl',
  ): {
    glyphs: Array<{ id: number; advanceWidth: number; codePoints: number[] }>;
    positions: Array<{ xAdvance: number; xOffset: number; yOffset: number }>;
  };
  glyphForCodePoint(cp: number): { id: number };
}
interface PdfkitFont {
  id: string;
  font: FontkitFont;
  subset: { includeGlyph(id: number): number };
  widths: number[];
  unicode: number[][];
  ref(): unknown;
}
interface PdfkitInternals {
  _font: PdfkitFont;
  page: { height: number; fonts: Record<string, unknown>; write(chunk: Uint8Array): void };
}

/** A word shaped by fontkit, in thousandths of an em, glyphs in drawing (visual) order. */
interface Shaped {
  ids: number[];
  /** Each glyph's own advance. */
  advances: number[];
  /** Each glyph's advance in the run minus its own (kerning, zeroed marks). */
  kerns: number[];
  /** Offsets of glyphs placed off their pen position (marks). */
  dx: number[];
  dy: number[];
  codePoints: number[][];
  /** The word's advance (with kerning). */
  width: number;
}

/**
 * Shaped words, per parsed font: the fonts are parsed once per process
 * (fonts.ts), so a word is shaped once however many books and sizes use it.
 * Measuring and drawing share the shape. A shape depends only on the font,
 * the word and its direction; what a document makes of it (subset glyph
 * ids, ToUnicode entries) lives in that document's own tables below.
 */
const SHAPES = new WeakMap<FontkitFont, Map<string, Shaped>>();

function shape(font: FontkitFont, word: string, rtl: boolean): Shaped {
  let table = SHAPES.get(font);
  if (!table) SHAPES.set(font, (table = new Map()));
  const key = rtl ? `\u0001${word}` : word;
  let s = table.get(key);
  if (s) return s;
  const run = rtl ? font.layout(word, [], undefined, undefined, 'rtl') : font.layout(word);
  const scale = 1000 / font.unitsPerEm;
  const space = font.glyphForCodePoint(0x20).id;
  s = { ids: [], advances: [], kerns: [], dx: [], dy: [], codePoints: [], width: 0 };
  run.glyphs.forEach((g, i) => {
    const p = run.positions[i]!;
    // fontkit draws default-ignorables (ZWJ, ZWNJ, variation selectors) as a zero-width space
    // glyph: leave it out, or the text layer would get a space inside the word.
    if (g.id === space && p.xAdvance === 0 && word.codePointAt(0) !== 0x20) return;
    s!.ids.push(g.id);
    s!.advances.push(g.advanceWidth * scale);
    s!.kerns.push((p.xAdvance - g.advanceWidth) * scale);
    s!.dx.push(p.xOffset * scale);
    s!.dy.push(p.yOffset * scale);
    s!.codePoints.push(g.codePoints);
    s!.width += p.xAdvance * scale;
  });
  if (table.size > MAX_SHAPES) table.clear();
  table.set(key, s);
  return s;
}

/** A word as content-stream operations inside a text object: TJ arrays, rises for raised marks, ActualText around it when its glyphs do not spell it. */
type Encoded = string;

/** Encoded words, per embedded font object (so per document: glyph ids belong to its subset). */
const ENCODED = new WeakMap<PdfkitFont, Map<string, Encoded>>();

const num = (n: number) => String(Math.round(n * 1000) / 1000);
/** A glyph id as the two bytes of a PDF literal string (Identity-H), escaped where the string syntax needs it. */
function glyphBytes(gid: number): string {
  return byte(gid >> 8) + byte(gid & 0xff);
}
function byte(b: number): string {
  if (b === 0x28 || b === 0x29 || b === 0x5c) return '\\' + String.fromCharCode(b);
  if (b === 0x0a || b === 0x0d) return b === 0x0a ? '\\n' : '\\r';
  return String.fromCharCode(b);
}

/** A PDF text string in UTF-16BE hex (for ActualText). */
function utf16Hex(s: string): string {
  let hex = 'FEFF';
  for (let i = 0; i < s.length; i++) hex += s.charCodeAt(i).toString(16).padStart(4, '0').toUpperCase();
  return `<${hex}>`;
}

/**
 * What pdfkit's font.encode does for one word: add its glyphs to the
 * document's subset, with their widths and text; then the TJ operations
 * that show it. The word is wrapped in an ActualText span when the text its
 * glyphs map to (in reading order) is not the word itself.
 */
function encodeWord(font: PdfkitFont, word: string, rtl: boolean, size: number): Encoded {
  let table = ENCODED.get(font);
  if (!table) ENCODED.set(font, (table = new Map()));
  const key = `${rtl ? 'R' : 'L'}${size}|${word}`;
  let e = table.get(key);
  if (e !== undefined) return e;
  const s = shape(font.font, word, rtl);
  const ops: string[] = [];
  let parts: string[] = [];
  let glyphs = '';
  let rise = 0;
  const spelled: string[] = [];
  const flushTj = () => {
    if (glyphs) parts.push(`(${glyphs})`);
    glyphs = '';
    if (parts.length) ops.push(`[${parts.join(' ')}] TJ`);
    parts = [];
  };
  const shift = (n: number) => {
    if (Math.abs(n) < 0.0005) return;
    if (glyphs) parts.push(`(${glyphs})`);
    glyphs = '';
    parts.push(num(-n));
  };
  for (let i = 0; i < s.ids.length; i++) {
    const gid = font.subset.includeGlyph(s.ids[i]!);
    font.widths[gid] ??= s.advances[i]!;
    font.unicode[gid] ??= s.codePoints[i]!;
    spelled.push(String.fromCodePoint(...font.unicode[gid]!));
    const dy = (s.dy[i]! * size) / 1000;
    if (Math.abs(dy - rise) > 0.0005) {
      flushTj();
      ops.push(`${num(dy)} Ts`);
      rise = dy;
    }
    // A glyph set off its pen position: move to it, draw, and come back to where the next glyph starts.
    shift(s.dx[i]!);
    glyphs += glyphBytes(gid);
    shift(s.kerns[i]! - s.dx[i]!);
  }
  flushTj();
  if (rise !== 0) ops.push('0 Ts');
  const reading = (rtl ? spelled.reverse() : spelled).join('');
  e = ops.join(' ');
  // Text extraction follows glyph positions: a mark set off its pen position (a Thai tone mark,
  // a Hebrew point) can land after the next letter or open a gap. Such words, and words whose
  // glyphs do not spell them, carry their text as ActualText.
  const placed = s.dx.some((x) => Math.abs(x) > 0.5) || s.dy.some((y) => Math.abs(y) > 0.5);
  if ((placed || reading !== word.replace(/\p{Default_Ignorable_Code_Point}/gu, '')) && word.trim()) e = `/Span <</ActualText ${utf16Hex(word)}>> BDC ${e} EMC`;
  table.set(key, e);
  return e;
}

/** A gap between two words of a run: a space glyph or nothing, and how much wider than that it is set (points). */
export interface RunGap {
  space: boolean;
  extra: number;
}

/**
 * Show a run of words in the current font with one text object: each word's
 * glyphs (kerned, marks placed), a real space glyph where the text has a
 * space (so text extraction and reflow see spaces) and the justification as
 * a displacement. Words are given in drawing order, left to right; a
 * right-to-left run's words are each shaped right to left.
 */
export function showRun(doc: Doc, words: readonly string[], gaps: readonly RunGap[], x: number, baseline: number, size: number, rtl = false, tracking = 0): void {
  const d = doc as unknown as PdfkitInternals;
  const font = d._font;
  let body = '';
  for (let i = 0; i < words.length; i++) {
    if (i > 0) {
      const g = gaps[i - 1] ?? { space: true, extra: 0 };
      if (g.space) body += ` ${encodeWord(font, ' ', false, size)}`;
      if (Math.abs(g.extra) > 0.001) body += ` [${num((-g.extra * 1000) / size)}] TJ`;
    }
    body += ` ${encodeWord(font, words[i]!, rtl, size)}`;
  }
  if (d.page.fonts[font.id] == null) d.page.fonts[font.id] = font.ref();
  // pdfkit's page space runs top-down (its page content opens with a flip): a text matrix that
  // flips back sets the glyphs upright at the baseline, as pdfkit's own q/cm/Tm/Q sequence does.
  // Letter-spaced text (tracking) reads to text extraction as letters with gaps between them (`C H A P T E R`):
  // it carries its words as ActualText.
  const tc = tracking ? [`/Span <</ActualText ${utf16Hex(words.join(' '))}>> BDC\n${num(tracking)} Tc\n`, '\n0 Tc\nEMC'] : ['', ''];
  d.page.write(Buffer.from(`BT\n1 0 0 -1 ${num(x)} ${num(baseline)} Tm\n/${font.id} ${num(size)} Tf\n${tc[0]}${body.trim()}${tc[1]}\nET\n`, 'latin1'));
}

/** The width of one word in the document's current font, in points. */
export function wordWidth(doc: Doc, word: string, size: number, rtl = false): number {
  return (shape((doc as unknown as PdfkitInternals)._font.font, word, rtl).width * size) / 1000;
}

/**
 * How far the ink of a text in the document's current font reaches above
 * the baseline (`top`) and, negative when below it, how low (`bottom`), in
 * points: from the glyphs' outlines, not the font's line metrics (an
 * asterisk sits high; a `p` hangs below).
 */
export function inkExtent(doc: Doc, text: string, size: number): { top: number; bottom: number } {
  const font = (doc as unknown as PdfkitInternals)._font.font as FontkitFont & { getGlyph(id: number): { bbox: { minY: number; maxY: number } } };
  // Outlines are costly to read: each text's extent is kept, per font, in font units.
  let table = INK.get(font);
  if (!table) INK.set(font, (table = new Map()));
  let ink = table.get(text);
  if (!ink) {
    const s = shape(font, text, false);
    let top = -Infinity;
    let bottom = Infinity;
    s.ids.forEach((id, i) => {
      const box = font.getGlyph(id).bbox;
      if (box.maxY <= box.minY) return; // a space
      const dy = (s.dy[i]! * font.unitsPerEm) / 1000;
      top = Math.max(top, box.maxY + dy);
      bottom = Math.min(bottom, box.minY + dy);
    });
    ink = top === -Infinity ? { top: 0, bottom: 0 } : { top: top / font.unitsPerEm, bottom: bottom / font.unitsPerEm };
    table.set(text, ink);
  }
  return { top: ink.top * size, bottom: ink.bottom * size };
}

const INK = new WeakMap<FontkitFont, Map<string, { top: number; bottom: number }>>();
