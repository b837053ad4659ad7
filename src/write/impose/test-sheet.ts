import PDFDocument from 'pdfkit';
import { buildTimestamp } from '../identity.js';
import { documentBytes } from '../pdf/document.js';
import { loadFont } from '../pdf/fonts.js';
import type { PdfTheme } from '../pdf/index.js';
import { MM } from '../pdf/page.js';
import { schemeSpec } from './layout.js';
import { sheetSize, type PrintOptions } from './print.js';

/**
 * One duplex test sheet (`test-sheet.pdf`), on the paper and the way round
 * the imposed sheets are printed: the back is drawn for the flip Quire
 * imposes for (`--flip`, the short edge by default). Turned over like a page
 * of a book, its back reads the right way up, and a target on it lies
 * exactly behind the front's, when the printer flips that way; when it
 * flips on the other edge the back comes out upside down, and the line that
 * then reads the right way up says what to change.
 */
export async function writeTestSheet(print: PrintOptions, options: { theme: PdfTheme; generator: string; sourceDateEpoch?: number }): Promise<{ bytes: Uint8Array; summary: string[] }> {
  const sheet = sheetSize(print);
  const W = sheet.width * MM;
  const H = sheet.height * MM;
  const flip = print.impose.flip;
  const other = flip === 'short' ? 'long' : 'short';
  const stamp = buildTimestamp({ title: '', authors: [], language: 'en', summary: [], tags: [], series: [], wordCount: 0 }, options.sourceDateEpoch);
  const doc = new PDFDocument({
    size: [W, H],
    autoFirstPage: false,
    pdfVersion: '1.7',
    lang: 'en',
    font: loadFont(options.theme.font.regular) as unknown as string,
    info: { Title: 'Duplex test sheet', Creator: options.generator, Producer: options.generator, CreationDate: stamp, ModDate: stamp },
  });
  doc.registerFont('regular', loadFont(options.theme.font.regular) as unknown as string);
  doc.registerFont('bold', loadFont(options.theme.font.bold) as unknown as string);
  const done = documentBytes(doc);
  const u = Math.min(W, H) / 100;
  const margin = 14 * MM;
  const where = `${print.paper.name} ${sheet.landscape ? 'landscape' : 'portrait'}`;
  // The back as printed: the sheet turned over on a vertical axis (left and right swap) or a horizontal one.
  const mirrorsX = (flip === 'short') === sheet.landscape;
  const target = (x: number, y: number, label: string) => {
    doc.save().lineWidth(0.8).strokeColor('#000000');
    doc.circle(x, y, 6 * u).stroke();
    doc.circle(x, y, 3 * u).stroke();
    doc.moveTo(x - 8 * u, y).lineTo(x + 8 * u, y).stroke();
    doc.moveTo(x, y - 8 * u).lineTo(x, y + 8 * u).stroke();
    doc.restore();
    doc.font('regular').fontSize(2.4 * u).fillColor('#000000').text(label, x - 20 * u, y + 9 * u, { width: 40 * u, align: 'center' });
  };
  const front = { x: W * 0.25, y: H * 0.3 };

  // The front.
  doc.addPage({ size: [W, H], margins: { top: 0, bottom: 0, left: 0, right: 0 } });
  doc.font('bold').fontSize(9 * u).fillColor('#000000').text('FRONT', margin, margin, { width: W - 2 * margin, align: 'center', lineBreak: false });
  doc.font('regular').fontSize(3 * u).text('↑ head of the sheet ↑', margin, margin + 11 * u, { width: W - 2 * margin, align: 'center', lineBreak: false });
  target(front.x, front.y, 'Hold the sheet to the light: the target on the back should lie exactly behind this one.');
  const steps = [
    `Print this sheet on ${where}, both sides (duplex), flipping on the ${flip} edge, at 100 % (no “fit to page”).`,
    'Turn it over the way you turn a page of a book, right to left.',
    `The back reads the right way up: your printer flips as Quire’s imposed sheets need. Print the ${print.impose.scheme} sheets (NAME.imposed.pdf) with the same settings.`,
    `The back is upside down: your printer turned the paper on the ${other} edge. Choose “flip on ${flip} edge” in the print dialog, or build again with --flip ${other}.`,
  ];
  doc.font('regular').fontSize(2.6 * u);
  doc.text('', W * 0.46, H * 0.24, { width: W * 0.54 - margin });
  steps.forEach((s, i) => doc.text(`${i + 1}. ${s}`, W * 0.46, undefined, { width: W * 0.54 - margin, paragraphGap: 1.2 * u }));
  doc
    .fontSize(2.6 * u)
    .fillColor('#555555')
    .text(`Imposed as ${print.impose.scheme}: ${schemeSpec(print.impose.scheme).howToFold}.`, margin, H - margin - 6 * u, { width: W - 2 * margin, align: 'center' });

  // The back, drawn for the expected flip.
  doc.addPage({ size: [W, H], margins: { top: 0, bottom: 0, left: 0, right: 0 } });
  const behind = mirrorsX ? { x: W - front.x, y: front.y } : { x: front.x, y: H - front.y };
  doc.font('bold').fontSize(9 * u).fillColor('#000000').text('BACK', margin, margin, { width: W - 2 * margin, align: 'center', lineBreak: false });
  doc
    .font('regular')
    .fontSize(3 * u)
    .text(`This side reads the right way up: your printer flips on the ${flip} edge, as the imposed sheets need. Print them with these settings.`, W * 0.2, H * 0.5, { width: W * 0.6, align: 'center' });
  target(behind.x, behind.y, 'This target lies behind the front’s when the flip is right.');
  // Upside down, for a printer that flips the other way: then this is the line that reads upright.
  doc.save();
  doc.rotate(180, { origin: [W / 2, H / 2] });
  doc
    .font('bold')
    .fontSize(3 * u)
    .fillColor('#a01010')
    .text(`Upside down? Your printer flipped on the ${other} edge. Choose “flip on ${flip} edge”, or build with --flip ${other}.`, W * 0.15, margin, { width: W * 0.7, align: 'center' });
  doc.restore();
  doc.end();
  const bytes = await done;
  return {
    bytes: new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength),
    summary: [`one ${where} sheet, two sides: print it duplex, flipping on the ${flip} edge; turned over like a page, its back reads the right way up when your printer flips as the imposed sheets need`],
  };
}
