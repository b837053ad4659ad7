import type { Setter, TextStyle } from './typeset.js';

/** One line of the contents: a section's label, its link target and its nesting. */
export interface ContentsEntry {
  label: string;
  dest: string;
  depth: number;
}

/**
 * The contents as boxes of a flow: each entry indented by its depth, its
 * label wrapped in the room the page numbers leave, later lines hanging
 * under the first, the page number at the end side of the last line; an
 * entry's lines are kept together (and broken only when one entry is taller
 * than a page). Page numbers are looked up in `starts` when the boxes are
 * drawn, after the chapters have been laid out. Every line is a link to the
 * entry's destination.
 */
export function contentsItems(s: Setter, body: TextStyle, entries: readonly ContentsEntry[], starts: ReadonlyMap<string, number>, parent: PDFKit.PDFStructureElement): void {
  const { doc } = s;
  const rtl = s.rtlWork;
  const size = body.size;
  const nested = entries.some((x) => x.depth > 0);
  // Room for a page number of up to four figures; the gap keeps the label clear of it.
  const numberWidth = s.measure('0000', 'regular', size);
  const gap = size * 1.2;
  const hang = size * 1.5;
  const plain: TextStyle = { ...body, indent: -hang, align: rtl ? 'right' : 'left', hyphenate: false, face: 'regular', paragraphGap: 0, grid: false };
  for (const e of entries) {
    const depthIndent = e.depth * size * 1.5;
    const labelWidth = s.width - depthIndent - numberWidth - gap;
    const style: TextStyle = e.depth === 0 && nested ? { ...plain, face: 'bold' } : plain;
    const { lines, rtl: lineRtl } = s.layout([{ type: 'text', value: e.label }], style, labelWidth - hang);
    const item = doc.struct('TOCI');
    parent.add(item);
    const mark = { el: item, tag: 'TOCI' };
    lines.forEach((line, k) => {
      const last = k === lines.length - 1;
      s.box({
        height: body.leading,
        keep: !last,
        mark,
        draw: (top) => {
          const left = s.left;
          // The label's area: after the depth indent on the start side, before the numbers on the end side.
          const labelLeft = rtl ? left + numberWidth + gap : left + depthIndent + hang;
          s.drawLine(line, style, labelLeft, labelWidth - hang, lineRtl);
          if (last) {
            const number = String((starts.get(e.dest) ?? 0) + 1);
            const w = s.measure(number, 'regular', size);
            s.singleLine(number, { ...plain, indent: 0 }, rtl ? left : left + s.width - w, top, w + 1);
          }
          // The whole line is the link (pdfkit's annotation space is the page's, top-down).
          doc.goTo(rtl ? left : left + depthIndent, top, s.width - depthIndent, body.leading, e.dest);
        },
      });
    });
    s.space(body.leading * 0.35);
  }
}
