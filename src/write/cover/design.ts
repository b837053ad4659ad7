import { createHash } from 'node:crypto';

/**
 * A book's generated cover as SVG: typographic — the series and part at the
 * top, the title large in the middle (its size fitted so that the longest
 * title still fits, its lines balanced), a rule, the authors below — over a
 * quiet geometric motif, colours and motif chosen by the book's identity, so
 * the same book always gets the same cover and books beside each other on a
 * shelf look different. Pure: text widths come from the `measure` it is given.
 */

export interface CoverText {
  title: string;
  authors: string[];
  /** `Kettle Lane · Part 2`, shown above the title. */
  series?: string;
  /** What the cover's look is chosen by (the book's identity). */
  seed: string;
  /** BCP 47 language of the text, for the SVG's `xml:lang`. */
  language?: string;
}

/** Width of `text` at 1 px font size, in the face given (`bold` for the title). */
export type CoverMeasure = (text: string, bold: boolean) => number;

export const COVER_WIDTH = 1600;
export const COVER_HEIGHT = 2400;

interface Palette {
  background: string;
  motif: string;
  title: string;
  accent: string;
}

/** Dark grounds with light type (and one light ground with dark type): each pair reads at thumbnail size. */
const PALETTES: readonly Palette[] = [
  { background: '#1f3a4d', motif: '#2a4d63', title: '#ffffff', accent: '#e8d9b5' },
  { background: '#3b1f2b', motif: '#4d2a39', title: '#fdf4ec', accent: '#e9b8a0' },
  { background: '#1e3b2f', motif: '#284d3e', title: '#f6f8f1', accent: '#cfe0a8' },
  { background: '#2d2640', motif: '#3b3354', title: '#faf7ff', accent: '#d8c8ff' },
  { background: '#4a2f1a', motif: '#5c3b22', title: '#fff8ee', accent: '#f3cf8c' },
  { background: '#1c2a44', motif: '#253759', title: '#ffffff', accent: '#9fc6e8' },
  { background: '#40201f', motif: '#542a28', title: '#fff5f2', accent: '#f0a99b' },
  { background: '#203536', motif: '#2b4647', title: '#f3fbfb', accent: '#9fd6d2' },
  { background: '#efe6d6', motif: '#e3d6bf', title: '#2a211a', accent: '#8a3b2a' },
  { background: '#2b2b2b', motif: '#383838', title: '#fafafa', accent: '#e0c068' },
];

const esc = (s: string) => s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);

/** Numbers from the seed: the same seed, the same cover. */
function rng(seed: string): () => number {
  let state = createHash('sha256').update(seed).digest();
  let i = 0;
  return () => {
    if (i + 4 > state.length) {
      state = createHash('sha256').update(state).digest();
      i = 0;
    }
    const v = state.readUInt32BE(i);
    i += 4;
    return v / 0x100000000;
  };
}

/**
 * Break `text` into at most `maxLines` lines no wider than `width` at
 * `size`, as evenly as the words allow (no lone short word at the end).
 * Undefined when it does not fit.
 */
function fitLines(text: string, size: number, width: number, maxLines: number, measure: (s: string) => number): string[] | undefined {
  const words = text.split(/\s+/).filter(Boolean);
  if (!words.length) return [];
  const w = (s: string) => measure(s) * size;
  if (words.some((x) => w(x) > width)) return undefined;
  const greedy = (limit: number) => {
    const lines: string[] = [];
    let line = '';
    for (const word of words) {
      const next = line ? `${line} ${word}` : word;
      if (line && w(next) > limit) {
        lines.push(line);
        line = word;
      } else line = next;
    }
    if (line) lines.push(line);
    return lines;
  };
  const first = greedy(width);
  if (first.length > maxLines) return undefined;
  // Balance: the narrowest measure that still gives the same number of lines.
  let lo = 0;
  let hi = width;
  for (let k = 0; k < 16; k++) {
    const mid = (lo + hi) / 2;
    if (greedy(mid).length <= first.length) hi = mid;
    else lo = mid;
  }
  const balanced = greedy(hi);
  return balanced.length === first.length ? balanced : first;
}

/**
 * The largest size from `max` down to `min` at which `text` fits in
 * `maxLines` lines; at `min`, as many lines as fit with the rest cut short
 * with an ellipsis (a 5,000-character title still makes a cover).
 */
function fit(text: string, max: number, min: number, width: number, maxLines: number, measure: (s: string) => number): { size: number; lines: string[] } {
  for (let size = max; size >= min; size -= Math.max(2, Math.round(size * 0.04))) {
    const lines = fitLines(text, size, width, maxLines, measure);
    if (lines) return { size, lines };
  }
  // Too long even small: as much as the lines hold, and an ellipsis.
  const words = text.split(/\s+/).filter(Boolean);
  const lines: string[] = [];
  let line = '';
  for (const word of words) {
    const next = line ? `${line} ${word}` : word;
    if (line && measure(next) * min > width) {
      lines.push(line);
      line = word;
      if (lines.length === maxLines) break;
    } else line = measure(next) * min > width ? truncate(next, min, width, measure) : next;
  }
  if (lines.length < maxLines && line) lines.push(line);
  if (lines.length === maxLines) {
    let last = lines[maxLines - 1]!;
    while (last && measure(`${last}…`) * min > width) last = last.slice(0, -1);
    lines[maxLines - 1] = `${last.replace(/\s+\S*$/, '') || last}…`;
  }
  return { size: min, lines };
}

function truncate(text: string, size: number, width: number, measure: (s: string) => number): string {
  let t = text;
  while (t.length > 1 && measure(`${t}…`) * size > width) t = t.slice(0, -1);
  return t === text ? t : `${t}…`;
}

/** What a cover is made of, in its own units (px for the JPEG, pt for a PDF board): drawn the same by every renderer. */
export type Shape =
  | { kind: 'rect'; x: number; y: number; w: number; h: number; fill: string }
  | { kind: 'circle'; cx: number; cy: number; r: number; fill?: string; stroke?: string; strokeWidth?: number }
  | { kind: 'polygon'; points: Array<[number, number]>; fill: string }
  | { kind: 'text'; text: string; x: number; y: number; size: number; fill: string; bold: boolean; letterSpacing: number };

export interface CoverScene {
  width: number;
  height: number;
  background: string;
  shapes: Shape[];
  /** The type's colours, for what is drawn around the scene (a wrap cover's spine and back). */
  palette: { title: string; accent: string };
}

/** A background motif: large, soft shapes in a tone close to the ground, kept clear of the title. */
function motif(kind: number, r: () => number, p: Palette, W: number, H: number): Shape[] {
  switch (kind) {
    case 0:
      return [{ kind: 'circle', cx: W * (0.65 + r() * 0.3), cy: H * (0.08 + r() * 0.12), r: W * (0.28 + r() * 0.12), fill: p.motif }];
    case 1:
      return Array.from({ length: 5 }, (_, k): Shape => ({ kind: 'rect', x: 0, y: H * 0.86 + k * H * 0.029, w: W, h: H * (0.01 + k * 0.0025), fill: p.motif }));
    case 2: {
      const x = W * (0.55 + r() * 0.3);
      return [
        { kind: 'polygon', points: [[x, 0], [W, 0], [W, H * 0.35]], fill: p.motif },
        { kind: 'polygon', points: [[0, H * 0.82], [W * 0.45, H], [0, H]], fill: p.motif },
      ];
    }
    default: {
      const cx = W * (r() < 0.5 ? 0.08 : 0.92);
      const cy = H * (0.96 + r() * 0.03);
      return [4, 3, 2, 1].map((k): Shape => ({ kind: 'circle', cx, cy, r: k * W * 0.059, stroke: p.motif, strokeWidth: W * 0.019 }));
    }
  }
}

/**
 * The cover laid out for a board of `width` × `height` (a 2:3 JPEG, or a
 * print board of the book's trim size): every size and position scales with
 * the board, the title's size fitted to its text.
 */
export function coverScene(text: CoverText, measure: CoverMeasure, width = COVER_WIDTH, height = COVER_HEIGHT): CoverScene {
  const r = rng(text.seed);
  const p = PALETTES[Math.floor(r() * PALETTES.length)]!;
  const kind = Math.floor(r() * 4);
  const W = width;
  const H = height;
  // Type scales with the board's width; the vertical rhythm with its height.
  const u = W / COVER_WIDTH;
  const v = H / COVER_HEIGHT;
  const margin = 140 * u;
  const room = W - 2 * margin;
  const shapes: Shape[] = [...motif(kind, r, p, W, H)];
  const text1 = (s: string, y: number, size: number, fill: string, bold: boolean, letterSpacing = 0): Shape => ({ kind: 'text', text: s, x: W / 2, y, size, fill, bold, letterSpacing });

  // The series and part, small capitals at the top.
  if (text.series) {
    const s = fit(text.series.toUpperCase(), 62 * u, 36 * u, room, 2, (x) => measure(x, false) + x.length * 0.12);
    s.lines.forEach((l, i) => shapes.push(text1(l, 250 * v + i * s.size * 1.3, s.size, p.accent, false, s.size * 0.12)));
  }
  // The title: as large as fits, centred in its band.
  const t = fit(text.title || 'Untitled', 230 * u, 72 * u, room, 6, (x) => measure(x, true));
  const lead = t.size * 1.12;
  const bandTop = (text.series ? 520 : 420) * v;
  const bandBottom = 1600 * v;
  const blockHeight = lead * (t.lines.length - 1) + t.size * 0.72;
  const first = bandTop + (bandBottom - bandTop - blockHeight) / 2 + t.size * 0.72;
  t.lines.forEach((l, i) => shapes.push(text1(l, first + i * lead, t.size, p.title, true)));
  // A rule, then the authors.
  shapes.push({ kind: 'rect', x: margin, y: 1700 * v, w: room, h: 8 * u, fill: p.accent });
  if (text.authors.length) {
    const names = text.authors.length === 1 ? text.authors[0]! : `${text.authors.slice(0, -1).join(', ')} and ${text.authors[text.authors.length - 1]}`;
    // One line if it holds at a good size, else two.
    const oneLine = fit(names, 104 * u, 70 * u, room, 1, (x) => measure(x, false));
    const a = oneLine.lines.length === 1 && !oneLine.lines[0]!.endsWith('…') ? oneLine : fit(names, 96 * u, 48 * u, room, 2, (x) => measure(x, false));
    a.lines.forEach((l, i) => shapes.push(text1(l, 1860 * v + i * a.size * 1.25, a.size, p.accent, false)));
  }
  return { width: W, height: H, background: p.background, shapes, palette: { title: p.title, accent: p.accent } };
}

const n = (x: number) => (Math.round(x * 10) / 10).toString();

/** A cover scene as SVG, its text in the given font families (bold for the title). */
export function sceneSvg(scene: CoverScene, families: string, language?: string): string {
  let body = '';
  for (const s of scene.shapes) {
    switch (s.kind) {
      case 'rect':
        body += `<rect x="${n(s.x)}" y="${n(s.y)}" width="${n(s.w)}" height="${n(s.h)}" fill="${s.fill}"/>`;
        break;
      case 'circle':
        body += `<circle cx="${n(s.cx)}" cy="${n(s.cy)}" r="${n(s.r)}" fill="${s.fill ?? 'none'}"${s.stroke ? ` stroke="${s.stroke}" stroke-width="${n(s.strokeWidth ?? 1)}"` : ''}/>`;
        break;
      case 'polygon':
        body += `<polygon points="${s.points.map(([x, y]) => `${n(x)},${n(y)}`).join(' ')}" fill="${s.fill}"/>`;
        break;
      case 'text':
        body += `<text x="${n(s.x)}" y="${n(s.y)}" font-size="${n(s.size)}" fill="${s.fill}" text-anchor="middle"${s.bold ? ' font-weight="700"' : ''}${s.letterSpacing ? ` letter-spacing="${n(s.letterSpacing)}"` : ''}>${esc(s.text)}</text>`;
        break;
    }
  }
  const lang = language ? ` xml:lang="${esc(language)}"` : '';
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${n(scene.width)}" height="${n(scene.height)}" viewBox="0 0 ${n(scene.width)} ${n(scene.height)}"${lang} font-family="${esc(families)}"><rect width="${n(scene.width)}" height="${n(scene.height)}" fill="${scene.background}"/>${body}</svg>`;
}

/** The cover's SVG at its JPEG size. */
export function coverSvg(text: CoverText, measure: CoverMeasure, fonts: { serif: string }): string {
  return sceneSvg(coverScene(text, measure), fonts.serif, text.language);
}
