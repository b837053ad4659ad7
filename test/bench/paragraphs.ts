/**
 * The paragraph stage alone, in this (fresh) process: every chapter of the
 * given corpus folders (`NAME.txt`, one flattened chapter each) as a flat
 * work of one chapter, through the flat-text passes a build runs on it
 * (scene breaks, paragraphs and, where the checkout has it, walls) — the
 * passes of `dist/normalize/index.js` picked by id, so the same script times
 * any checkout (`--root DIR`, default this one). Prints one JSON line:
 *
 * - `importMs`: loading the normalize modules;
 * - `importCpuMs`, `passMs` / `passCpuMs`: the first pass over every chapter (wall time of
 *   this thread, and CPU time of the process: V8's compiler threads too;
 *   `passMainThreadCpuMs`: of the main thread alone, where Linux tells);
 * - `warmMs`: with `--warm N`, N more passes over the same chapters.
 *
 * The first pass is the figure a build sees: a worker meets each chapter
 * once. With `--dump FILE` it writes, per chapter, where each recovered
 * paragraph starts (offsets into the text; `S` for a scene break), to compare
 * the output of two checkouts (`scripts/compare-paragraphs.sh`).
 *
 * usage: node dist/bench/paragraphs.js [--root DIR] [--warm N] [--dump FILE] CORPUS_DIR...
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';

interface FlatWork {
  id: string;
  source: string;
  origin: { reader: 'text'; flat: true };
  metadata: { title: string; authors: string[]; language: string; summary: never[]; tags: never[]; series: never[]; wordCount: number };
  notes: { before: never[]; after: never[] };
  chapters: Array<{ id: string; label: string; title: string; number: number; summary: never[]; notes: { before: never[]; after: never[] }; blocks: Block[]; footnotes: never[] }>;
}
type Block = { type: string; children?: Array<{ type: string; value?: string }> };
interface Pass {
  id: string;
  apply: (work: FlatWork, skip: ReadonlySet<string>) => FlatWork;
}

const FLAT_IDS = new Set(['scene-breaks', 'paragraphs', 'walls']);

const args = process.argv.slice(2);
const value = (name: string) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const root = resolve(value('--root') ?? fileURLToPath(new URL('../../', import.meta.url)));
const warm = Number(value('--warm') ?? 0);
const dump = value('--dump');
const dirs = args.filter((a, i) => !a.startsWith('--') && !['--root', '--warm', '--dump'].includes(args[i - 1]!));

// The input, read and shaped before anything is timed.
const samples: Array<{ name: string; text: string }> = [];
for (const dir of dirs) {
  for (const f of readdirSync(dir).filter((f) => f.endsWith('.txt')).sort()) samples.push({ name: `${dir.split('/').filter(Boolean).pop()}/${f}`, text: readFileSync(join(dir, f), 'utf8').trim() });
}
let words = 0;
for (const s of samples) words += s.text.split(/\s+/).filter(Boolean).length;
const workOf = (s: { name: string; text: string }): FlatWork => ({
  id: s.name,
  source: s.name,
  origin: { reader: 'text', flat: true },
  metadata: { title: s.name, authors: ['Bench'], language: 'en', summary: [], tags: [], series: [], wordCount: 0 },
  notes: { before: [], after: [] },
  chapters: [{ id: 'c1', label: '1', title: '', number: 1, summary: [], notes: { before: [], after: [] }, blocks: [{ type: 'paragraph', children: [{ type: 'text', value: s.text }] }], footnotes: [] }],
});
const works = samples.map(workOf);
const again = warm ? Array.from({ length: warm }, () => samples.map(workOf)) : [];
const skip = new Set<string>();
/** CPU time of this process's main thread alone, in ms (Linux: /proc; 10 ms ticks), or NaN. */
const mainThreadCpuMs = () => {
  try {
    const f = readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return ((Number(f[11]) + Number(f[12])) * 1000) / 100;
  } catch {
    return NaN;
  }
};

const t0 = performance.now();
const cpu0 = process.cpuUsage();
const main0 = mainThreadCpuMs();
const { PASSES } = (await import(pathToFileURL(join(root, 'dist', 'normalize', 'index.js')).href)) as { PASSES: readonly Pass[] };
const flat = PASSES.filter((p) => FLAT_IDS.has(p.id));
const t1 = performance.now();
const cpu1 = process.cpuUsage();
const main1 = mainThreadCpuMs();
const run = (w: FlatWork) => flat.reduce((x, p) => p.apply(x, skip), w);
const out = works.map(run);
const t2 = performance.now();
const cpu2 = process.cpuUsage();
const main2 = mainThreadCpuMs();
const cpuMs = (a: NodeJS.CpuUsage, b: NodeJS.CpuUsage) => +((b.user + b.system - a.user - a.system) / 1000).toFixed(1);
const warmMs: number[] = [];
for (const batch of again) {
  const s = performance.now();
  for (const w of batch) run(w);
  warmMs.push(performance.now() - s);
}

if (dump) {
  const lines: string[] = [];
  out.forEach((w, k) => {
    const text = samples[k]!.text;
    const starts: string[] = [];
    let from = 0;
    for (const b of w.chapters[0]!.blocks) {
      if (b.type !== 'paragraph') {
        starts.push(b.type === 'sceneBreak' ? 'S' : b.type);
        continue;
      }
      const t = (b.children ?? []).map((c) => c.value ?? '').join('');
      const at = text.indexOf(t, from);
      starts.push(at < 0 ? `?${t.length}` : String(at));
      if (at >= 0) from = at + t.length;
    }
    lines.push(`${samples[k]!.name}\t${starts.join(' ')}`);
  });
  writeFileSync(dump, lines.join('\n') + '\n');
}

console.log(
  JSON.stringify({
    chapters: samples.length,
    words,
    flatPasses: flat.map((p) => p.id),
    importMs: +(t1 - t0).toFixed(1),
    passMs: +(t2 - t1).toFixed(1),
    importCpuMs: cpuMs(cpu0, cpu1),
    passCpuMs: cpuMs(cpu1, cpu2),
    passMainThreadCpuMs: main2 - main1,
    importMainThreadCpuMs: main1 - main0,
    warmMs: warmMs.map((m) => +m.toFixed(1)),
  }),
);
