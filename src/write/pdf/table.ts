import type { Inline, TableRow } from '../../model/types.js';
import type { SetLines, Setter, TextStyle } from './typeset.js';

/**
 * A table, drawn as one: columns as wide as their content wants, shrunk in
 * proportion (never below their longest word) when the measure is too
 * narrow; cells wrapped in their column; a rule above and below, and under
 * a header row; a row never split across pages, the header row kept with
 * the first row and set again (as an artifact) at the top of a page the
 * table continues on, with the rules closing and opening the table there.
 */
export function setTable(s: Setter, rows: readonly TableRow[], style: TextStyle, parent: PDFKit.PDFStructureElement, inset: number): void {
  const doc = s.doc;
  const cellStyle: TextStyle = { ...style, size: style.size * 0.9, leading: style.leading * 0.9, align: 'left', indent: 0, paragraphGap: 0, grid: false };
  const cols = Math.max(1, ...rows.map((r) => r.cells.length));
  const gutter = cellStyle.size * 1.1;
  const avail = s.width - inset;
  const content = (row: TableRow, k: number): Inline[] => {
    const c = row.cells[k] ?? [];
    return row.header ? [{ type: 'strong', children: c }] : c;
  };
  const natural = new Array<number>(cols).fill(0);
  const minimum = new Array<number>(cols).fill(0);
  const space = s.measure(' ', 'regular', cellStyle.size);
  for (const row of rows) {
    for (let k = 0; k < cols; k++) {
      const { lines } = s.layout(content(row, k), { ...cellStyle, hyphenate: false }, 1e6);
      for (const line of lines) {
        natural[k] = Math.max(natural[k]!, line.width + space * Math.max(0, line.words.length - 1));
        for (const w of line.words) minimum[k] = Math.max(minimum[k]!, w.width);
      }
    }
  }
  const room = avail - gutter * (cols - 1);
  let widths = natural.map((n) => Math.max(n, cellStyle.size));
  const total = widths.reduce((a, w) => a + w, 0);
  if (total > room) {
    // The widest columns give way first: every column gets what it wants up to a common cap (never
    // less than its longest word), the cap as high as the measure allows — so a column of short
    // entries (`Watch 20`, `58 minutes`) keeps them on one line and the column of sentences wraps.
    const floor = minimum.map((m) => Math.min(m, room / cols));
    const at = (cap: number) => widths.map((w, k) => Math.max(floor[k]!, Math.min(w, cap)));
    const sum = (ws: number[]) => ws.reduce((a, w) => a + w, 0);
    let lo = 0;
    let hi = Math.max(...widths);
    for (let i = 0; i < 40; i++) {
      const mid = (lo + hi) / 2;
      if (sum(at(mid)) > room) hi = mid;
      else lo = mid;
    }
    widths = at(lo);
    // What the floors leave over (the cap never binds the narrow ones) goes to the capped columns.
    const spare = room - sum(widths);
    const capped = widths.filter((w, k) => w < natural[k]! - 0.01).length;
    if (spare > 0 && capped) widths = widths.map((w, k) => (w < natural[k]! - 0.01 ? w + spare / capped : w));
  }
  const tableWidth = widths.reduce((a, w) => a + w, 0) + gutter * (cols - 1);
  const leftOf = () => s.insetLeft(inset) + Math.max(0, (avail - tableWidth) / 2);
  const laid = rows.map((row) => Array.from({ length: cols }, (_, k) => s.layout(content(row, k), cellStyle, widths[k]!)));
  const heightOf = (cells: SetLines[]) => Math.max(1, ...cells.map((c) => c.lines.length)) * cellStyle.leading + cellStyle.leading * 0.35;
  const header = rows[0]?.header ? 0 : -1;
  const rule = (y: number, weight: number) => {
    const left0 = leftOf();
    doc.markContent('Artifact', { type: 'Layout' });
    doc.save().lineWidth(weight).moveTo(left0, y).lineTo(left0 + tableWidth, y).stroke().restore();
    doc.endMarkedContent();
  };
  const el = doc.struct('Table');
  parent.add(el);
  // Structure made in reading order now; each row's content is marked when it is drawn.
  const cellsOf = rows.map((row) => {
    const tr = doc.struct('TR');
    el.add(tr);
    return Array.from({ length: cols }, () => {
      const cell = doc.struct(row.header ? 'TH' : 'TD');
      tr.add(cell);
      return cell;
    });
  });
  s.space(style.leading * 0.4);
  let headerBox: ReturnType<Setter['box']> | undefined;
  rows.forEach((row, i) => {
    // A page that starts at this row starts at its index (see page-map.ts).
    s.offsetAt(i);
    const cells = laid[i]!;
    const height = heightOf(cells);
    const box = s.box({
      height,
      keep: i === header,
      ...(headerBox ? { repeat: headerBox } : {}),
      draw: (top, _h, at) => {
        if (i === 0 || at.first) rule(top, 0.8);
        let x = leftOf();
        for (let k = 0; k < cols; k++) {
          doc.y = top + cellStyle.leading * 0.175;
          if (at.repeated) doc.markContent('Artifact', { type: 'Pagination' });
          const marked = at.repeated ? undefined : doc.markStructureContent(row.header ? 'TH' : 'TD');
          for (const line of cells[k]!.lines) s.drawLine(line, cellStyle, x, widths[k]!, cells[k]!.rtl);
          doc.endMarkedContent();
          if (marked) cellsOf[i]![k]!.add(marked);
          x += widths[k]! + gutter;
        }
        if (row.header) rule(top + height, 0.5);
        if (i === rows.length - 1 || (at.last && !at.repeated)) rule(top + height, 0.8);
      },
    });
    if (i === header) headerBox = box;
  });
  s.space(style.leading * 0.6);
}
