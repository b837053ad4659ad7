import type * as Resvg from '@resvg/resvg-js';
import type SharpType from 'sharp';
import { lazy } from '../../lazy.js';
import { fontPath, loadFont } from '../pdf/fonts.js';
import { COVER_HEIGHT, COVER_WIDTH, coverSvg, type CoverText } from './design.js';

const resvg = lazy<typeof Resvg>('@resvg/resvg-js');
const sharp = lazy<typeof SharpType>('sharp');

/** The PDF theme's faces, as far as the cover needs them. */
export interface CoverFonts {
  font: { regular: string; bold: string };
  fallbackFonts: Array<{ regular: string; bold: string }>;
  scriptFonts: Array<{ faces: { regular?: string; bold?: string } }>;
}

type Font = NonNullable<ReturnType<typeof loadFont>>;

/**
 * A face of the chain and the file resvg reads it from, opened the first
 * time a character asks for it: a cover in Latin letters never opens the
 * CJK faces (75 MB of files to read and parse in every process).
 */
class ChainFace {
  private opened: Font | null | undefined;
  constructor(private readonly spec: string) {}
  get font(): Font | null {
    if (this.opened === undefined) this.opened = loadFont(this.spec);
    return this.opened;
  }
  get file(): string | null {
    return this.font ? fontPath(this.spec) : null;
  }
}

/** The face of a chain that draws a character: the first that has its glyph (faces after it stay unopened). */
const faceFor = (chain: readonly ChainFace[], cp: number) => chain.find((f) => f.font?.hasGlyphForCodePoint(cp));

/** Width at 1 px of `text`, glyph by glyph from the first face that has each character. */
function measureWith(chain: readonly ChainFace[]): (text: string) => number {
  return (text) => {
    let w = 0;
    for (const ch of text) {
      const face = faceFor(chain, ch.codePointAt(0)!);
      const font = face?.font;
      w += font ? font.glyphForCodePoint(ch.codePointAt(0)!).advanceWidth / font.unitsPerEm : 0.6;
    }
    return w;
  };
}

/** The cover's faces, regular and bold: the text face, its fallbacks, then every script's (as in the PDF). */
function faces(fonts: CoverFonts, weight: 'regular' | 'bold'): string[] {
  const specs = [fonts.font[weight], ...fonts.fallbackFonts.map((f) => f[weight]), ...fonts.scriptFonts.map((f) => f.faces[weight] ?? f.faces.regular)];
  return specs.filter((s): s is string => !!s);
}

interface Setup {
  regular: ChainFace[];
  bold: ChainFace[];
}

const cache = new Map<string, Setup>();

function setup(fonts: CoverFonts): Setup {
  const key = JSON.stringify(fonts);
  let c = cache.get(key);
  if (!c) {
    const chain = (specs: string[]) => specs.map((spec) => new ChainFace(spec));
    c = { regular: chain(faces(fonts, 'regular')), bold: chain(faces(fonts, 'bold')) };
    cache.set(key, c);
  }
  return c;
}

/**
 * The font files resvg needs for a cover: the text face (regular and bold)
 * and, for each character it lacks, the face that draws it — not every
 * face of the theme (the CJK fonts alone are tens of megabytes, and resvg
 * parses each file it is given: 20 ms a cover).
 */
function filesFor(text: CoverText, m: Setup): string[] {
  const files = new Set<string>();
  for (const chain of [m.regular, m.bold]) {
    if (chain[0]?.file) files.add(chain[0].file);
    const all = [text.title, ...text.authors, text.series ?? '', (text.series ?? '').toUpperCase(), '…'].join('');
    for (const ch of all) {
      const face = faceFor(chain, ch.codePointAt(0)!);
      if (face?.file) files.add(face.file);
    }
  }
  return [...files];
}

/** The cover's SVG, with the fonts Quire embeds measured for fitting. */
export function coverDocument(text: CoverText, fonts: CoverFonts): string {
  const m = setup(fonts);
  const regular = measureWith(m.regular);
  const bold = measureWith(m.bold);
  return coverSvg(text, (t, b) => (b ? bold(t) : regular(t)), { serif: 'Literata' });
}

/**
 * A book's generated cover as a JPEG of 1600 × 2400 px (Kindle and Apple
 * Books show no PNG covers in their libraries): the SVG design rendered by
 * resvg with the fonts the PDF embeds (never the system's; a character the
 * text face lacks comes from the face of its script), encoded by libjpeg
 * (through sharp) at quality 90. Colour at half resolution (4:2:0), like
 * photographs: the covers are flat colour and large type, sharpness is in
 * the luma, and at 100 % no difference from full-resolution colour shows,
 * while the file is 27 % smaller and encodes in two thirds of the time.
 * The same text gives the same bytes.
 */
export async function renderCover(text: CoverText, fonts: CoverFonts): Promise<Uint8Array> {
  const svg = coverDocument(text, fonts);
  // Rendered in libuv's thread pool, so the thread that asked goes on with the book meanwhile.
  const image = await resvg().renderAsync(svg, {
    font: { fontFiles: filesFor(text, setup(fonts)), loadSystemFonts: false, defaultFontFamily: 'Literata' },
    fitTo: { mode: 'original' },
    shapeRendering: 2,
    textRendering: 1,
  });
  if (image.width !== COVER_WIDTH || image.height !== COVER_HEIGHT) throw new Error(`cover rendered at ${image.width}×${image.height}`);
  const jpeg = await sharp()(image.pixels, { raw: { width: image.width, height: image.height, channels: 4 } })
    .removeAlpha()
    .jpeg({ quality: 90, chromaSubsampling: '4:2:0', mozjpeg: false, progressive: false })
    .toBuffer();
  return new Uint8Array(jpeg.buffer, jpeg.byteOffset, jpeg.byteLength);
}
