import { loadFont } from './fonts.js';
import type { PdfTheme } from './index.js';

type Doc = PDFKit.PDFDocument;

/** The theme's text faces, by the names Quire's typesetter asks pdfkit for. */
export const FACES = ['regular', 'italic', 'bold', 'boldItalic'] as const;

/**
 * Register the theme's four text faces on a new document. pdfkit does not
 * cache a registered name whose font it already holds as the document's
 * default (it re-parses the TTF on every switch): its cache is seeded.
 */
export function registerTextFaces(doc: Doc, theme: PdfTheme): void {
  for (const face of FACES) doc.registerFont(face, loadFont(theme.font[face]) as unknown as string);
  (doc as unknown as { _fontFamilies: Record<string, unknown>; _font: unknown })._fontFamilies.regular = (doc as unknown as { _font: unknown })._font;
}

/** A document's bytes, once it has ended: pdfkit streams them out in chunks as it writes. Call before writing. */
export function documentBytes(doc: Doc): Promise<Buffer> {
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  return new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
}
