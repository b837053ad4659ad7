/**
 * What a PDF's pages hold, as poppler reads them back: every word with its
 * box (`pdftotext -bbox`), and the checks the layout tests make on them.
 */
import { tool } from './tools.js';

export interface WordBox {
  text: string;
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

export interface PageWords {
  /** 1-based. */
  number: number;
  width: number;
  height: number;
  words: WordBox[];
}

const decode = (s: string) => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&');

/** Every page's words with their boxes (points, from the top left). */
export async function pageWords(file: string): Promise<PageWords[]> {
  const r = await tool('pdftotext', ['-bbox', file, '-']);
  if (r.code !== 0) throw new Error(`pdftotext -bbox ${file}: ${r.stderr}`);
  const pages: PageWords[] = [];
  for (const m of r.stdout.matchAll(/<page width="([\d.]+)" height="([\d.]+)">([\s\S]*?)<\/page>/g)) {
    const words = [...m[3]!.matchAll(/<word xMin="([-\d.]+)" yMin="([-\d.]+)" xMax="([-\d.]+)" yMax="([-\d.]+)">([^<]*)<\/word>/g)].map((w) => ({
      x0: Number(w[1]),
      y0: Number(w[2]),
      x1: Number(w[3]),
      y1: Number(w[4]),
      text: decode(w[5]!),
    }));
    pages.push({ number: pages.length + 1, width: Number(m[1]), height: Number(m[2]), words });
  }
  return pages;
}

/**
 * Words drawn over each other: boxes that meet across more than half a
 * point, and whose middle bands — the middle 40 % of each box's height,
 * where the x-height of the type sits — meet too. (poppler's boxes are the
 * font's full height, taller than a tight line, and follow a word's first
 * glyph, which cursive Arabic sets off the baseline: whole boxes of
 * neighbouring lines may meet where no ink does; two lines set at one
 * height share their middles.)
 */
export function overlaps(page: PageWords): Array<[WordBox, WordBox]> {
  const out: Array<[WordBox, WordBox]> = [];
  const band = (w: WordBox): [number, number] => {
    const h = w.y1 - w.y0;
    return [w.y0 + 0.3 * h, w.y1 - 0.3 * h];
  };
  const words = [...page.words].sort((a, b) => a.y0 - b.y0);
  for (let i = 0; i < words.length; i++) {
    const a = words[i]!;
    const [a0, a1] = band(a);
    for (let j = i + 1; j < words.length; j++) {
      const b = words[j]!;
      if (b.y0 >= a.y1) break;
      const [b0, b1] = band(b);
      const dx = Math.min(a.x1, b.x1) - Math.max(a.x0, b.x0);
      if (dx > 0.5 && Math.min(a1, b1) > Math.max(a0, b0)) out.push([a, b]);
    }
  }
  return out;
}

/** Words not wholly on the page. */
export function outside(page: PageWords): WordBox[] {
  return page.words.filter((w) => w.x0 < -0.01 || w.y0 < -0.01 || w.x1 > page.width + 0.01 || w.y1 > page.height + 0.01);
}

/** Every overlap and every word off the page in a PDF, as readable lines (empty when there is none). */
export async function layoutFaults(file: string): Promise<string[]> {
  const faults: string[] = [];
  for (const page of await pageWords(file)) {
    for (const [a, b] of overlaps(page)) faults.push(`${file} p.${page.number}: “${a.text}” (${a.x0.toFixed(1)},${a.y0.toFixed(1)}) overlaps “${b.text}” (${b.x0.toFixed(1)},${b.y0.toFixed(1)})`);
    for (const w of outside(page)) faults.push(`${file} p.${page.number}: “${w.text}” lies outside the page at (${w.x0.toFixed(1)},${w.y0.toFixed(1)})`);
  }
  return faults;
}
