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

/** The cover's faces, regular and bold: the text face, its fallbacks, then every script's (as in the PDF). */
function faces(fonts: CoverFonts, weight: 'regular' | 'bold'): string[] {
  const specs = [fonts.font[weight], ...fonts.fallbackFonts.map((f) => f[weight]), ...fonts.scriptFonts.map((f) => f.faces[weight] ?? f.faces.regular)];
  return specs.filter((s): s is string => !!s);
}

const cache = new Map<string, { regular: (t: string) => number; bold: (t: string) => number; files: string[] }>();

function setup(fonts: CoverFonts) {
  const key = JSON.stringify(fonts);
  let c = cache.get(key);
  if (!c) {
    const load = (specs: string[]) => specs.map(loadFont).filter((f): f is Font => !!f);
    const regular = faces(fonts, 'regular');
    const bold = faces(fonts, 'bold');
    c = {
      regular: measureWith(load(regular)),
      bold: measureWith(load(bold)),
      files: [...new Set([...regular, ...bold])].map(fontPath).filter((p): p is string => !!p),
    };
    cache.set(key, c);
  }
  return c;
}

/** The cover's SVG, with the fonts Quire embeds measured for fitting. */
export function coverDocument(text: CoverText, fonts: CoverFonts): string {
  const m = setup(fonts);
  return coverSvg(text, (t, bold) => (bold ? m.bold(t) : m.regular(t)), { serif: 'Literata' });
}

/**
 * A book's generated cover as a JPEG of 1600 × 2400 px (Kindle and Apple
 * Books show no PNG covers in their libraries): the SVG design rendered by
 * resvg with the fonts the PDF embeds (never the system's; a character the
 * text face lacks comes from the face of its script), encoded by libjpeg
 * (through sharp) at quality 90 with full-resolution colour, so small type
 * stays sharp. The same text gives the same bytes.
 */
export async function renderCover(text: CoverText, fonts: CoverFonts): Promise<Uint8Array> {
  const svg = coverDocument(text, fonts);
  const { Resvg: R } = resvg();
  const image = new R(svg, {
    font: { fontFiles: setup(fonts).files, loadSystemFonts: false, defaultFontFamily: 'Literata' },
    fitTo: { mode: 'original' },
    shapeRendering: 2,
    textRendering: 1,
  }).render();
  if (image.width !== COVER_WIDTH || image.height !== COVER_HEIGHT) throw new Error(`cover rendered at ${image.width}×${image.height}`);
  const jpeg = await sharp()(image.pixels, { raw: { width: image.width, height: image.height, channels: 4 } })
    .removeAlpha()
    .jpeg({ quality: 90, chromaSubsampling: '4:4:4', mozjpeg: false, progressive: false })
    .toBuffer();
  return new Uint8Array(jpeg.buffer, jpeg.byteOffset, jpeg.byteLength);
}
