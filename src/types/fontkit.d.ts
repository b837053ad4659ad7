/** The little of fontkit (a pdfkit dependency) that Quire uses: parse a font once, hand it to pdfkit. */
declare module 'fontkit' {
  export interface FontkitFont {
    hasGlyphForCodePoint(codePoint: number): boolean;
    layout(text: string): unknown;
  }
  export function create(buffer: Uint8Array, postscriptName?: string): FontkitFont;
}
