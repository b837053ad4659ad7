/**
 * `--page-size` as the user writes it → the form the PDF writer takes: a
 * preset name (`a5`, `6x9`), or `WxH` in millimetres. Sizes may carry a unit
 * — `6x9in`, `5.5x8.5in`, `148x210mm`, `14.8x21cm`, `432x648pt` — and a size
 * that is a preset's is that preset (`148x210mm` → `a5`, `6x9in` → `6x9`), so
 * it gets the preset's own margins. A bare `WxH` is millimetres, except the
 * preset names `6x9` and `5x8`, which are inches as the trade sizes are.
 */

/** Millimetres per unit. */
const UNITS: Record<string, number> = { mm: 1, cm: 10, in: 25.4, '"': 25.4, pt: 25.4 / 72 };

/** The smallest page edge the PDF writer accepts, in mm (a smaller bare size was probably meant in inches). */
const MIN_MM = 50;

/** Sizes this close (mm) to a preset's are that preset. */
const SAME_SIZE_MM = 0.5;

/** Canonical page size for `spec`, or throws one sentence saying what is wrong and what is accepted. */
export function parsePageSize(spec: string, presets: Readonly<Record<string, { size: readonly [number, number] }>>): string {
  const key = spec.trim().toLowerCase();
  if (Object.prototype.hasOwnProperty.call(presets, key)) return key;
  const m = /^(\d+(?:\.\d+)?)\s*[x×]\s*(\d+(?:\.\d+)?)\s*(mm|cm|in|"|pt)?$/.exec(key);
  const accepted = `use ${Object.keys(presets).join(', ')}, or WxH with a unit: 6x9in, 5.5x8.5in, 148x210mm (a bare WxH is read in mm)`;
  if (!m) throw new Error(`unknown page size '${spec}' (${accepted})`);
  const unit = m[3];
  const w = Number(m[1]) * UNITS[unit ?? 'mm']!;
  const h = Number(m[2]) * UNITS[unit ?? 'mm']!;
  if (!unit && (w < MIN_MM || h < MIN_MM) && w * 25.4 >= MIN_MM && h * 25.4 >= MIN_MM) {
    throw new Error(`page size '${spec}' is read in millimetres, which is too small for a page; for inches write ${m[1]}x${m[2]}in`);
  }
  for (const [name, preset] of Object.entries(presets)) {
    if (Math.abs(preset.size[0] - w) <= SAME_SIZE_MM && Math.abs(preset.size[1] - h) <= SAME_SIZE_MM) return name;
  }
  // Two decimals of a millimetre are finer than any printer.
  const round = (n: number) => String(Math.round(n * 100) / 100);
  return `${round(w)}x${round(h)}`;
}
