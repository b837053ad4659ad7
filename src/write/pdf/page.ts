/** Page geometry for the PDF writer: presets from the theme, or a custom `WxH` in millimetres. */

export const MM = 72 / 25.4;

export interface PagePreset {
  size: [number, number];
  margins: { top: number; bottom: number; inner: number; outer: number };
  fontSize: number;
  /** Printed sizes get mirrored margins and chapters on right-hand pages. */
  print: boolean;
}

export interface PageGeometry {
  name: string;
  /** Points. */
  width: number;
  height: number;
  margins: { top: number; bottom: number; inner: number; outer: number };
  fontSize: number;
  print: boolean;
}

/** Smallest and largest custom page edge we accept, in mm. */
const MIN_MM = 50;
const MAX_MM = 1000;

/**
 * Resolve `--page-size`: a preset name (`a4`, `letter`, `a5`, `6x9`, `5x8`,
 * `ereader`) or `WxH` in millimetres (`140x216`). Custom sizes take margins
 * and type size scaled from the printed preset nearest in width. Returns a message
 * for a size it cannot use.
 */
export function resolvePageSize(spec: string, presets: Record<string, PagePreset>, maxMeasureEm: number): PageGeometry | string {
  const key = spec.trim().toLowerCase();
  let name = key;
  let preset = presets[key];
  let size: [number, number];
  if (preset) size = preset.size;
  else {
    const m = /^(\d+(?:\.\d+)?)\s*[x×]\s*(\d+(?:\.\d+)?)(?:\s*mm)?$/.exec(key);
    if (!m) return `unknown page size '${spec}' (use ${Object.keys(presets).join(', ')} or WxH in mm, e.g. 140x216)`;
    const w = Number(m[1]);
    const h = Number(m[2]);
    if (w < MIN_MM || h < MIN_MM || w > MAX_MM || h > MAX_MM) return `page size '${spec}' is outside ${MIN_MM}–${MAX_MM} mm`;
    size = [w, h];
    name = `${w}x${h}mm`;
    // A size given by hand is a page to print (a binder's trim, a cell of an imposed sheet): the nearest printed preset.
    const printed = Object.values(presets).filter((p) => p.print);
    const nearest = (printed.length ? printed : Object.values(presets)).reduce((best, p) => (Math.abs(p.size[0] - w) < Math.abs(best.size[0] - w) ? p : best));
    const scale = w / nearest.size[0];
    preset = {
      size,
      margins: {
        top: nearest.margins.top * scale,
        bottom: nearest.margins.bottom * scale,
        inner: nearest.margins.inner * scale,
        outer: nearest.margins.outer * scale,
      },
      fontSize: Math.min(12, Math.max(7, Math.round(nearest.fontSize * Math.sqrt(scale) * 2) / 2)),
      print: nearest.print,
    };
  }
  const width = size[0] * MM;
  const height = size[1] * MM;
  const margins = {
    top: preset.margins.top * MM,
    bottom: preset.margins.bottom * MM,
    inner: preset.margins.inner * MM,
    outer: preset.margins.outer * MM,
  };
  // Keep the line to a readable measure: wider pages get wider margins, not longer lines.
  const measure = width - margins.inner - margins.outer;
  const maxMeasure = maxMeasureEm * preset.fontSize;
  if (measure > maxMeasure) {
    const extra = measure - maxMeasure;
    margins.inner += extra * 0.55;
    margins.outer += extra * 0.45;
  }
  return { name, width, height, margins, fontSize: preset.fontSize, print: preset.print };
}

/** The theme fields page geometry needs. */
export interface PageTheme {
  pageSizes: Record<string, PagePreset>;
  defaultPageSize: string;
  maxMeasureEm: number;
}

/** Resolve the page geometry for options, or throw a one-line error. */
export function pageGeometry(theme: PageTheme, pageSize?: string): PageGeometry {
  const g = resolvePageSize(pageSize ?? theme.defaultPageSize, theme.pageSizes, theme.maxMeasureEm);
  if (typeof g === 'string') throw new Error(g);
  return g;
}
