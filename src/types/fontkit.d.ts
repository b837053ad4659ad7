/** The little of fontkit (a pdfkit dependency) that Quire uses: parse a font once, hand it to pdfkit. */
declare module 'fontkit' {
  export interface FontkitFont {
    hasGlyphForCodePoint(codePoint: number): boolean;
    glyphForCodePoint(codePoint: number): { advanceWidth: number; path: FontkitPath };
    readonly unitsPerEm: number;
    layout(text: string): unknown;
  }
  export interface FontkitPath {
    scale(x: number, y: number): FontkitPath;
    toSVG(): string;
  }
  export function create(buffer: Uint8Array, postscriptName?: string): FontkitFont;
}
