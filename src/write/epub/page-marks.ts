import { countable, type Flow, type PageMap } from '../page-map.js';

/**
 * The print edition's page breaks in the EPUB: a `pagebreak` marker where
 * each page of the PDF begins (see page-map.ts), placed while the pages are
 * rendered. A page that starts inside a word is marked after that word.
 */

/** One page's marker, relative to the block list it is handed to. */
export interface Mark {
  /** The page number, as the PDF's folio prints it. */
  label: string;
  /** Where in the block list (see PageStart.path); empty: before the list's first block. */
  path: number[];
  offset: number;
}

/** A section's marks, by flow. */
export type SectionMarks = ReadonlyMap<Flow, readonly Mark[]>;

/** The id of page `label`'s marker (page-list links point at it). */
export const pageId = (label: string) => `page-${label}`;

/** The marker itself: empty, named by its page number for assistive technology. */
export function markHtml(m: Mark): string {
  return `<span epub:type="pagebreak" role="doc-pagebreak" id="${pageId(m.label)}" aria-label="${m.label}"></span>`;
}

/** Every page's marks, by section. */
export function marksBySection(map: PageMap): Map<string, Map<Flow, Mark[]>> {
  const out = new Map<string, Map<Flow, Mark[]>>();
  map.starts.forEach((start, i) => {
    let flows = out.get(start.section);
    if (!flows) out.set(start.section, (flows = new Map()));
    const list = flows.get(start.flow) ?? [];
    list.push({ label: String(i + 1), path: start.path, offset: start.offset });
    flows.set(start.flow, list);
  });
  return out;
}

/** Markers for the start of a flow (path empty), as HTML. */
export function flowStart(marks: readonly Mark[] | undefined): string {
  return marks ? marks.filter((m) => !m.path.length).map(markHtml).join('') : '';
}

/** The marks of block `index` of a list: those on the block itself and those inside it (their paths shortened by one). */
export function marksOf(marks: readonly Mark[] | undefined, index: number): { own: Mark[]; inner: Mark[] } | undefined {
  if (!marks?.length) return undefined;
  const own: Mark[] = [];
  const inner: Mark[] = [];
  for (const m of marks) {
    if (m.path[0] !== index) continue;
    if (m.path.length === 1) own.push(m);
    else inner.push({ ...m, path: m.path.slice(1) });
  }
  return own.length || inner.length ? { own, inner } : undefined;
}

/**
 * Inserting markers into a block's text as it is rendered: characters are
 * counted as the PDF counts them (`countable`) and each marker goes before
 * the first word that starts at or after its offset.
 */
export class MarkCursor {
  private count = 0;
  /** The last character rendered (across elements): a marker never splits a word. */
  private prev = ' ';
  private readonly pending: Mark[];
  constructor(marks: readonly Mark[]) {
    this.pending = [...marks].sort((a, b) => a.offset - b.offset);
  }

  /** Text with markers put in, escaped by `escape`. */
  text(value: string, escape: (s: string) => string): string {
    if (!this.pending.length) {
      for (const ch of value) if (countable(ch)) this.count++;
      if (value) this.prev = value.slice(-1);
      return escape(value);
    }
    let out = '';
    let run = '';
    for (const ch of value) {
      if (countable(ch)) {
        if (this.pending.length && this.count >= this.pending[0]!.offset && !countable(this.prev)) {
          out += escape(run);
          run = '';
          while (this.pending.length && this.count >= this.pending[0]!.offset) out += markHtml(this.pending.shift()!);
        }
        this.count++;
      }
      run += ch;
      this.prev = ch;
    }
    return out + escape(run);
  }

  /** Something counted but not text (a footnote mark): `n` characters. */
  skip(n: number): void {
    this.count += n;
    this.prev = 'x';
  }

  /** Markers still waiting (past the end of the text), to put at its end. */
  rest(): string {
    return this.pending.splice(0).map(markHtml).join('');
  }
}
