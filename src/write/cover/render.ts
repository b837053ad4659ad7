import type * as Resvg from '@resvg/resvg-js';
import type SharpType from 'sharp';
import { lazy } from '../../lazy.js';
import { fontPath, loadFont } from '../pdf/fonts.js';
import { COVER_HEIGHT, COVER_WIDTH, coverSvg, type CoverText } from './design.js';

const resvg = lazy<typeof Resvg>('@resvg/resvg-js');
const sharp = lazy<typeof SharpType>('sharp');

/**
 * The faces a cover is set in, all from npm like the PDF's: Literata, and
 * DejaVu for what Literata lacks. Families are named in this order, so a
 * glyph missing from one is taken from the next.
 */
const FACES = ['Literata_400Regular', 'Literata_700Bold', 'DejaVuSerif', 'DejaVuSerif-Bold', 'DejaVuSans', 'DejaVuSans-Bold'];
const FAMILIES = 'Literata, DejaVu Serif, DejaVu Sans';

type Font = ReturnType<typeof loadFont>;

/** Width at 1 px of `text`, glyph by glyph from the first face that has each character. */
function measureWith(faces: readonly Font[]): (text: string) => number {
  return (text) => {
    let w = 0;
    for (const ch of text) {
      const cp = ch.codePointAt(0)!;
      const font = faces.find((f) => f.hasGlyphForCodePoint(cp));
      w += font ? font.glyphForCodePoint(cp).advanceWidth / font.unitsPerEm : 0.6;
    }
    return w;
  };
}

let measures: { regular: (t: string) => number; bold: (t: string) => number } | undefined;

/** The cover's SVG, with the fonts Quire embeds measured for fitting. */
export function coverDocument(text: CoverText): string {
  measures ??= {
    regular: measureWith(['Literata_400Regular', 'DejaVuSerif', 'DejaVuSans'].map(loadFont)),
    bold: measureWith(['Literata_700Bold', 'DejaVuSerif-Bold', 'DejaVuSans-Bold'].map(loadFont)),
  };
  const m = measures;
  return coverSvg(text, (t, bold) => (bold ? m.bold(t) : m.regular(t)), { serif: FAMILIES });
}

/**
 * A book's generated cover as a JPEG of 1600 × 2400 px (Kindle and Apple
 * Books show no PNG covers in their libraries): the SVG design rendered by
 * resvg with the embedded fonts (never the system's), encoded by libjpeg
 * (through sharp) at quality 90 with full-resolution colour, so small type
 * stays sharp. The same text gives the same bytes.
 */
export async function renderCover(text: CoverText): Promise<Uint8Array> {
  const svg = coverDocument(text);
  const { Resvg: R } = resvg();
  const image = new R(svg, {
    font: { fontFiles: FACES.map(fontPath), loadSystemFonts: false, defaultFontFamily: 'Literata' },
    fitTo: { mode: 'original' },
    shapeRendering: 2,
    textRendering: 1,
  }).render();
  const jpeg = await sharp()(image.pixels, { raw: { width: image.width, height: image.height, channels: 4 } })
    .removeAlpha()
    .jpeg({ quality: 90, chromaSubsampling: '4:4:4', mozjpeg: false, progressive: false })
    .toBuffer();
  if (image.width !== COVER_WIDTH || image.height !== COVER_HEIGHT) throw new Error(`cover rendered at ${image.width}×${image.height}`);
  return new Uint8Array(jpeg.buffer, jpeg.byteOffset, jpeg.byteLength);
}
