import { hasContent, textParagraph } from '../model/text.js';
import type { Block, Inline, Work } from '../model/types.js';
import type { BookPlan, EndnoteEntry, Section } from './plan.js';

/**
 * Where a book puts its authors' notes (`--notes`, `--pdf-notes`):
 *
 *   keep  where the source put them: the work's notes before its first
 *         chapter, each chapter's notes and end notes beside it (AO3's way);
 *   end   all of them gathered at the back of each work, in reading order, as
 *         endnotes: each chapter keeps a link to its notes, each note a link
 *         back — for readers who skip notes, and for print;
 *   none  left out (summaries stay, and "Works inspired by this one").
 *
 * A pure transform of a planned book: the writers render what it gives them.
 */
export type NotesMode = 'keep' | 'end' | 'none';

export const NOTES_MODES: readonly NotesMode[] = ['keep', 'end', 'none'];

/** Where a format puts the authors' notes: its own setting (`--pdf-notes`), else `--notes`, else where the source put them. */
export function notesFor(options: { notes?: NotesMode; formatNotes?: Partial<Record<string, NotesMode>> }, format: string): NotesMode {
  return options.formatNotes?.[format] ?? options.notes ?? 'keep';
}

export function arrangeNotes(plan: BookPlan, mode: NotesMode): BookPlan {
  if (mode === 'keep') return plan;
  // Each work's notes, chapter and end-notes sections are rearranged together (in an omnibus, part by part);
  // the rest of the book (title pages, contents) stays where it is.
  const ofWork = (s: Section) => (s.kind === 'notes' || s.kind === 'chapter' || s.kind === 'endnotes' ? s.work : undefined);
  const runs = new Map<Work, Section[]>();
  for (const s of plan.sections) {
    const w = ofWork(s);
    if (w) runs.set(w, [...(runs.get(w) ?? []), s]);
  }
  const replaced = new Map<Work, Section[]>();
  for (const [w, run] of runs) replaced.set(w, mode === 'none' ? withoutNotes(run) : notesAtEnd(run));
  const sections: Section[] = [];
  const placed = new Set<Work>();
  for (const s of plan.sections) {
    const w = ofWork(s);
    if (!w) sections.push(s);
    else if (!placed.has(w) && s.kind !== 'notes') {
      // The work's sections go where its first chapter stood (after the contents, which follow its notes).
      placed.add(w);
      sections.push(...replaced.get(w)!);
    }
  }
  return { ...plan, sections };
}

/** "Works inspired by this one", which is no author's note and stays. */
function inspired(work: Work): Block[] {
  const by = work.metadata.inspiredBy;
  // A heading one level below the page's (h2 under the page's h1), so headings go down in order.
  return by ? [{ type: 'heading', level: 1, children: [{ type: 'text', value: 'Works inspired by this one' }] }, textParagraph(by)] : [];
}

function withoutNotes(run: Section[]): Section[] {
  const out: Section[] = [];
  for (const s of run) {
    if (s.kind === 'notes') continue;
    if (s.kind === 'chapter') out.push({ ...s, chapter: { ...s.chapter, notes: { before: [], after: [] } } });
    else if (s.kind === 'endnotes') {
      const blocks = inspired(s.work);
      if (blocks.length) out.push({ ...s, label: 'Works Inspired by This One', heading: 'Works Inspired by This One', blocks });
    } else out.push(s);
  }
  return out;
}

const link = (url: string, text: string, rel: 'noteref' | 'backlink'): Inline => ({ type: 'link', url, rel, children: [{ type: 'text', value: text }] });

function notesAtEnd(run: Section[]): Section[] {
  const first = run[0]!;
  const work = (first as Extract<Section, { work: Work }>).work;
  const depth = first.depth;
  // The section the notes go to takes the work's end-notes id (`endnotes`, or `p2-endnotes` in an omnibus).
  const prefix = first.id.replace(/(?:endnotes|notes|ch\d+)$/, '');
  const target = `${prefix}endnotes`;
  const collected: Block[] = [];
  const entries: EndnoteEntry[] = [];
  const out: Section[] = [];
  const entry = (anchor: string, label: string, back: string | undefined, parts: Array<[string | undefined, Block[]]>) => {
    const from = collected.length;
    collected.push({ type: 'heading', level: 1, id: anchor, children: [{ type: 'text', value: label }] });
    for (const [sub, blocks] of parts) {
      if (!hasContent(blocks)) continue;
      if (sub) collected.push({ type: 'paragraph', children: [{ type: 'emphasis', children: [{ type: 'text', value: sub }] }] });
      collected.push(...blocks);
    }
    if (back) collected.push({ type: 'paragraph', children: [link(`#${back}`, `↩ Back to ${label}`, 'backlink')] });
    entries.push({ id: anchor, from, to: collected.length });
  };
  for (const s of run) {
    if (s.kind === 'notes') entry('n-notes', 'Notes on the Work', undefined, [[undefined, s.blocks]]);
    else if (s.kind === 'chapter') {
      const { before, after } = s.chapter.notes;
      if (!hasContent(before) && !hasContent(after)) {
        out.push(s);
        continue;
      }
      const anchor = `n-${s.id}`;
      entry(anchor, s.label, s.id, [
        [hasContent(before) && hasContent(after) ? 'Before the chapter' : undefined, before],
        [hasContent(before) && hasContent(after) ? 'After the chapter' : undefined, after],
      ]);
      // The chapter keeps a pointer where its notes were.
      const pointer: Block = { type: 'paragraph', children: [link(`#${target}/${anchor}`, 'At the end of the book', 'noteref')] };
      out.push({ ...s, chapter: { ...s.chapter, notes: { before: [pointer], after: [] } } });
    } else if (s.kind === 'endnotes') {
      if (hasContent(work.notes.after)) entry('n-end', 'End Notes', undefined, [[undefined, work.notes.after]]);
      collected.push(...inspired(work));
    } else out.push(s);
  }
  if (!run.some((s) => s.kind === 'endnotes')) collected.push(...inspired(work));
  if (collected.length) out.push({ kind: 'endnotes', id: target, label: 'Notes', heading: 'Notes', blocks: collected, depth, work, entries });
  return out;
}
