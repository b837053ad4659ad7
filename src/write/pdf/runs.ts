/**
 * Text runs written straight into a page's content stream: words shaped once
 * per process, encoded once per document, and shown with one TJ operator per
 * run. This is what pdfkit's text() does for a run, without shaping the run
 * again on every call, and it reaches into pdfkit's font and page objects
 * (pinned version; the parts used are typed below).
 */

type Doc = PDFKit.PDFDocument;

/** Words kept per font before the table is dropped (a bound on memory in huge batches). */
const MAX_SHAPES = 200_000;

/** The parts of pdfkit's document and font objects the run writer uses (not in its typings). */
interface FontkitFont {
  unitsPerEm: number;
  layout(text: string): {
    glyphs: Array<{ id: number; advanceWidth: number; codePoints: number[] }>;
    positions: Array<{ xAdvance: number; xOffset: number; yOffset: number }>;
  };
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

/** A word shaped by fontkit, in thousandths of an em. */
interface Shaped {
  ids: number[];
  /** Each glyph's own advance. */
  advances: number[];
  /** Each glyph's kerning: its advance in the run minus its own. */
  kerns: number[];
  codePoints: number[][];
  /** The word's advance (with kerning). */
  width: number;
  /** A glyph sits off the baseline (marks): left to pdfkit's text(). */
  offset: boolean;
}

/**
 * Shaped words, per parsed font: the fonts are parsed once per process
 * (fonts.ts), so a word is shaped once however many books and sizes use it.
 * Measuring and drawing share the shape (pdfkit would shape it again for
 * every document).
 */
const SHAPES = new WeakMap<FontkitFont, Map<string, Shaped>>();

function shape(font: FontkitFont, word: string): Shaped {
  let table = SHAPES.get(font);
  if (!table) SHAPES.set(font, (table = new Map()));
  let s = table.get(word);
  if (s) return s;
  const run = font.layout(word);
  const scale = 1000 / font.unitsPerEm;
  s = { ids: [], advances: [], kerns: [], codePoints: [], width: 0, offset: false };
  run.glyphs.forEach((g, i) => {
    const p = run.positions[i]!;
    s!.ids.push(g.id);
    s!.advances.push(g.advanceWidth * scale);
    s!.kerns.push((p.xAdvance - g.advanceWidth) * scale);
    s!.codePoints.push(g.codePoints);
    s!.width += p.xAdvance * scale;
    if (p.xOffset || p.yOffset) s!.offset = true;
  });
  if (table.size > MAX_SHAPES) table.clear();
  table.set(word, s);
  return s;
}

/** A word as TJ operands (`(glyphs) kern (glyphs)`), or null when its glyphs are positioned off the baseline. */
type Encoded = string | null;

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

/** What pdfkit's font.encode does for one word: add its glyphs to the document's subset, with their widths and text. */
function encodeWord(font: PdfkitFont, word: string): Encoded {
  let table = ENCODED.get(font);
  if (!table) ENCODED.set(font, (table = new Map()));
  let e = table.get(word);
  if (e !== undefined) return e;
  const s = shape(font.font, word);
  if (s.offset) e = null;
  else {
    const parts: string[] = [];
    let glyphs = '';
    for (let i = 0; i < s.ids.length; i++) {
      const gid = font.subset.includeGlyph(s.ids[i]!);
      font.widths[gid] ??= s.advances[i]!;
      font.unicode[gid] ??= s.codePoints[i]!;
      glyphs += glyphBytes(gid);
      const kern = s.kerns[i]!;
      if (kern !== 0) {
        parts.push(`(${glyphs}) ${num(-kern)}`);
        glyphs = '';
      }
    }
    if (glyphs) parts.push(`(${glyphs})`);
    e = parts.join(' ');
  }
  table.set(word, e);
  return e;
}

/**
 * Show a run of words in the current font with one TJ operator: each word's
 * glyphs (kerned as pdfkit would), a real space glyph between words (so text
 * extraction and reflow see spaces) and the justification as a displacement.
 * What pdfkit's text() writes for the same run, without re-laying-out the
 * whole run on every call. Returns false (and writes nothing) when a glyph
 * needs positioning off the baseline, which pdfkit's text() handles.
 */
export function showRun(doc: Doc, words: readonly string[], x: number, baseline: number, size: number, extra: number): boolean {
  const d = doc as unknown as PdfkitInternals;
  const font = d._font;
  const space = words.length > 1 ? encodeWord(font, ' ') : '';
  if (space === null) return false;
  const gap = Math.abs(extra) > 0.001 ? ` ${num((-extra * 1000) / size)} ` : ' ';
  let tj = '';
  for (let i = 0; i < words.length; i++) {
    const e = encodeWord(font, words[i]!);
    if (e === null) return false;
    tj += i === 0 ? e : space + gap + e;
  }
  if (d.page.fonts[font.id] == null) d.page.fonts[font.id] = font.ref();
  // pdfkit's page space runs top-down (its page content opens with a flip): a text matrix that
  // flips back sets the glyphs upright at the baseline, as pdfkit's own q/cm/Tm/Q sequence does.
  d.page.write(Buffer.from(`BT\n1 0 0 -1 ${num(x)} ${num(baseline)} Tm\n/${font.id} ${num(size)} Tf\n[${tj}] TJ\nET\n`, 'latin1'));
  return true;
}

/** The width of one word (no spaces) in the document's current font, in points. */
export function wordWidth(doc: Doc, word: string, size: number): number {
  return (shape((doc as unknown as PdfkitInternals)._font.font, word).width * size) / 1000;
}
