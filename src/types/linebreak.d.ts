/** The `linebreak` package (UAX #14, a pdfkit dependency): break opportunities of a string, one at a time. */
declare module 'linebreak' {
  export default class LineBreaker {
    constructor(text: string);
    nextBreak(): { position: number; required: boolean } | null;
  }
}
