import { diagnostic, type Diagnostic } from '../diagnostics.js';
import type { Block, Notes, SeriesMembership, Tag, TagKind } from '../model/types.js';
import { normalizeDate, normalizeLanguage } from './metadata-input.js';
import { textToBlocks } from './text-blocks.js';
import { parseSeriesTrailer } from './trailer.js';

/**
 * Reader for text saved from an AO3 work page — flattened to one line, or
 * with its line breaks — and for plain prose with none of AO3's labels.
 *
 * The page's labels are found by position: a header (`Rating:` ... `Stats:`,
 * `Summary:`, `Notes:`), the landmarks `Work Text:` / `Chapter Text`, chapter
 * headings, and a trailer (`Notes:`, `Series this work belongs to:`,
 * `Works inspired by this one:`). Labels become metadata and notes; only the
 * text between them is story. Paragraphs inside flat text are recovered later
 * by a normalize pass; here a flat stretch stays one paragraph.
 */

export interface SourceMetadata {
  summary?: Block[];
  tags?: Tag[];
  series?: SeriesMembership[];
  language?: string;
  published?: string;
  updated?: string;
  chapterCount?: string;
  inspiredBy?: string;
  collections?: string[];
}

export interface DraftChapter {
  title: string;
  /** The number the source gave (`Chapter 3`), when it gave one. */
  number?: number;
  summary: Block[];
  notes: Notes;
  blocks: Block[];
}

export interface Draft {
  flat: boolean;
  meta: SourceMetadata;
  notes: Notes;
  chapters: DraftChapter[];
  diagnostics: Diagnostic[];
}

/**
 * Decide whether text lost its paragraph structure: no blank lines, and only a
 * few very long lines (a page scrape) rather than one paragraph per line.
 */
export function isFlat(text: string): boolean {
  const body = text.trim();
  if (/\n[ \t]*\n/.test(body)) return false;
  const lines = body.split('\n').filter((l) => l.trim());
  if (lines.length <= 3) return true;
  const mean = lines.reduce((n, l) => n + l.length, 0) / lines.length;
  return mean > 1500;
}

type LabelKind =
  | 'summary'
  | 'notes'
  | 'seeEnd'
  | 'workText'
  | 'chapterText'
  | 'chapter'
  | 'series'
  | 'inspired'
  | 'meta';

interface Label {
  kind: LabelKind;
  start: number;
  end: number;
  /**
   * Short common words (`Notes:`, `Summary:`, `Rating:`, `Chapter 2`) count as
   * labels inside the story only where a label can start (see `anchored`);
   * inside a header region they count anywhere.
   */
  anchored: boolean;
  /** For `meta`: the tag kind or field; for `chapter`: number and title. */
  key?: string;
  number?: number;
  title?: string;
}

const META_LABELS: Array<[string, string]> = [
  ['Rating', 'rating'],
  ['Archive Warnings?', 'warning'],
  ['Categor(?:y|ies)', 'category'],
  ['Fandoms?', 'fandom'],
  ['Relationships?', 'relationship'],
  ['Characters?', 'character'],
  ['Additional Tags', 'freeform'],
  ['Language', 'language'],
  ['Series', 'seriesMeta'],
  ['Collections?', 'collections'],
  ['Stats', 'stats'],
];

/** Where a label may start: the text's start, a line start, or (flat text) after a sentence. */
function anchored(s: string, index: number, flat: boolean): boolean {
  if (index === 0) return true;
  const before = s.slice(Math.max(0, index - 3), index);
  if (/\n[ \t]*$/.test(before)) return true;
  if (!flat) return false;
  return /(?:^|[.!?"”’')\]…*~:;\u00a0 ])\s$/.test(before) || /^\s*$/.test(s.slice(0, index));
}

/** Kinds whose words are distinctive enough to be labels wherever they stand. */
const DISTINCT: ReadonlySet<LabelKind> = new Set(['seeEnd', 'workText', 'chapterText', 'series', 'inspired']);

function findLabels(s: string, flat: boolean): Label[] {
  const labels: Label[] = [];
  const scan = (re: RegExp, kind: LabelKind, extra?: (m: RegExpExecArray) => Partial<Label>) => {
    for (const m of s.matchAll(re)) {
      const start = m.index;
      const isAnchored = anchored(s, start, flat);
      // In text with line breaks every label stands at a line start.
      if (!flat && !isAnchored) continue;
      labels.push({
        kind,
        start,
        end: start + m[0].length,
        anchored: isAnchored || DISTINCT.has(kind),
        ...(extra ? extra(m as RegExpExecArray) : {}),
      });
    }
  };
  scan(/Summary:/g, 'summary');
  scan(/Notes:/g, 'notes');
  scan(/\(See the end of the (?:work|chapter) for (?:more )?notes\.?\)/g, 'seeEnd');
  scan(/Work Text:/g, 'workText');
  scan(/Chapter Text\b/g, 'chapterText');
  scan(/Series this work belongs to:/g, 'series');
  scan(/Works inspired by this one:/g, 'inspired');
  for (const [label, key] of META_LABELS) scan(new RegExp(`${label}:`, 'g'), 'meta', () => ({ key }));
  if (flat) {
    scan(/Chapter (\d{1,4})(?::\s*)?/g, 'chapter', (m) => ({ number: Number(m[1]) }));
  } else {
    // A whole line `Chapter 3` or `Chapter 3: Title`.
    scan(/Chapter (\d{1,4})(?:: *([^\n]*))?[ \t]*(?=\n|$)/g, 'chapter', (m) => ({
      number: Number(m[1]),
      title: (m[2] ?? '').trim(),
    }));
  }
  labels.sort((a, b) => a.start - b.start || b.end - a.end);
  // Drop labels overlapping an earlier one (`Chapter Text` also matches `Chapter`? no, but be safe).
  const out: Label[] = [];
  for (const l of labels) {
    const prev = out[out.length - 1];
    if (prev && l.start < prev.end) continue;
    out.push(l);
  }
  return out;
}

/** Parse a scrape (or plain text) into a draft work. */
export function readScrape(text: string, file: string): Draft {
  const flat = isFlat(text);
  const diagnostics: Diagnostic[] = [];
  const meta: SourceMetadata = {};
  const notes: Notes = { before: [], after: [] };
  const s = text;
  let labels = findLabels(s, flat);

  // 1. The trailer: series and inspired works, after the story's last landmark.
  const lastLandmark = Math.max(-1, ...labels.filter((l) => l.kind === 'workText' || l.kind === 'chapterText').map((l) => l.start));
  const trailerLabels = labels.filter((l) => (l.kind === 'series' || l.kind === 'inspired') && l.start > lastLandmark);
  let storyEnd = s.length;
  if (trailerLabels.length) {
    // Use the last occurrence of each kind; the trailer starts at the earliest of them.
    const lastOf = (k: LabelKind) => [...trailerLabels].reverse().find((l) => l.kind === k);
    const parts = [lastOf('series'), lastOf('inspired')].filter((l): l is Label => !!l).sort((a, b) => a.start - b.start);
    storyEnd = parts[0]!.start;
    parts.forEach((l, i) => {
      const value = s.slice(l.end, i + 1 < parts.length ? parts[i + 1]!.start : s.length).trim();
      if (l.kind === 'series') {
        const parsed = parseSeriesTrailer(value);
        meta.series = parsed.series;
        for (const r of parsed.rejected) {
          diagnostics.push(
            diagnostic('warning', 'series/bad-part', file, `series trailer names '${r}', which is not a sane part number; ignored it`),
          );
        }
        if (!parsed.series.length && !parsed.rejected.length) {
          diagnostics.push(diagnostic('warning', 'series/unreadable-trailer', file, `could not read a series from '${value.slice(0, 80)}'`));
        }
      } else if (value) {
        meta.inspiredBy = value.replace(/\s+/g, ' ');
      }
    });
  }
  labels = labels.filter((l) => l.start < storyEnd);

  // 2. Split into the work header and chapters.
  const landmarks = labels.filter((l) => l.kind === 'workText' || l.kind === 'chapterText');
  const chapters: DraftChapter[] = [];
  const blocks = (a: number, b: number) => textToBlocks(s.slice(a, b));

  if (landmarks.length) {
    // Each landmark's heading is the last chapter label before it, after the previous landmark.
    const heads = landmarks.map((lm, i) => {
      const prev = i > 0 ? landmarks[i - 1]!.end : 0;
      const head = [...labels].reverse().find((l) => l.kind === 'chapter' && l.start >= prev && l.start < lm.start);
      return head;
    });
    const headerEnd = heads[0]?.start ?? landmarks[0]!.start;
    parseHeader(s, labels, 0, headerEnd, flat, meta, notes, diagnostics, file, true);
    landmarks.forEach((lm, i) => {
      const head = heads[i];
      const chapterHeaderStart = head ? head.start : lm.start;
      const bodyStart = lm.end;
      const bodyEnd = i + 1 < landmarks.length ? (heads[i + 1]?.start ?? landmarks[i + 1]!.start) : storyEnd;
      const ch: DraftChapter = { title: '', summary: [], notes: { before: [], after: [] }, blocks: [] };
      if (head) {
        ch.number = head.number;
        const afterHead = head.end;
        const nextLabel = labels.find((l) => l.start >= afterHead && l.start <= lm.start && l.kind !== 'chapter');
        const titleEnd = nextLabel ? nextLabel.start : lm.start;
        ch.title = (head.title ?? s.slice(afterHead, titleEnd)).replace(/\s+/g, ' ').trim();
        const chMeta: SourceMetadata = {};
        parseHeader(s, labels, titleEnd, lm.start, flat, chMeta, ch.notes, diagnostics, file, true);
        ch.summary = chMeta.summary ?? [];
      } else if (chapterHeaderStart < lm.start) {
        // nothing: work header already parsed
      }
      // Body, then end notes: for the last chapter the last `Notes:` is the work's, one before it the chapter's.
      const bodyNotes = labels.filter((l) => l.kind === 'notes' && l.anchored && l.start >= bodyStart && l.start < bodyEnd);
      const isLast = i === landmarks.length - 1;
      let textEnd = bodyEnd;
      if (isLast && bodyNotes.length) {
        const workNotes = bodyNotes[bodyNotes.length - 1]!;
        notes.after = blocks(workNotes.end, bodyEnd);
        textEnd = workNotes.start;
        if (bodyNotes.length > 1 && landmarks.length > 1) {
          const chNotes = bodyNotes[bodyNotes.length - 2]!;
          ch.notes.after = blocks(chNotes.end, workNotes.start);
          textEnd = chNotes.start;
        }
      } else if (bodyNotes.length) {
        const chNotes = bodyNotes[bodyNotes.length - 1]!;
        ch.notes.after = blocks(chNotes.end, bodyEnd);
        textEnd = chNotes.start;
      }
      ch.blocks = blocks(bodyStart, textEnd);
      chapters.push(ch);
    });
  } else {
    // No landmarks: an optional header at the very top, the story, optional end notes.
    const storyStart = parseHeader(s, labels, 0, storyEnd, flat, meta, notes, diagnostics, file, false);
    const rest = labels.filter((l) => l.start >= storyStart && l.anchored);
    const endNotes = [...rest].reverse().find((l) => l.kind === 'notes');
    let textEnd = storyEnd;
    if (endNotes && endNotes.start > storyStart) {
      notes.after = blocks(endNotes.end, storyEnd);
      textEnd = endNotes.start;
    }
    const headings = flat ? [] : rest.filter((l) => l.kind === 'chapter' && l.start < textEnd);
    if (headings.length) {
      const before = blocks(storyStart, headings[0]!.start);
      if (before.length) chapters.push({ title: '', summary: [], notes: { before: [], after: [] }, blocks: before });
      headings.forEach((h, i) => {
        const end = i + 1 < headings.length ? headings[i + 1]!.start : textEnd;
        chapters.push({
          title: h.title ?? '',
          number: h.number,
          summary: [],
          notes: { before: [], after: [] },
          blocks: blocks(h.end, end),
        });
      });
    } else {
      chapters.push({ title: '', summary: [], notes: { before: [], after: [] }, blocks: blocks(storyStart, textEnd) });
    }
  }
  return { flat, meta, notes, chapters, diagnostics };
}

/**
 * Read header labels in [from, to): meta fields, `Summary:` and `Notes:`.
 * When `bounded` the header fills the region; otherwise it is the run of
 * labels at the top, and the return value is where the story starts.
 */
function parseHeader(
  s: string,
  labels: Label[],
  from: number,
  to: number,
  flat: boolean,
  meta: SourceMetadata,
  notes: Notes,
  diagnostics: Diagnostic[],
  file: string,
  bounded: boolean,
): number {
  const headerKinds: LabelKind[] = ['summary', 'notes', 'meta', 'seeEnd'];
  const inRegion = labels.filter((l) => l.start >= from && l.start < to && (bounded || l.anchored));
  let pos = from;
  let i = 0;
  const tags: Tag[] = [];
  // Only a run of labels starting at the top of the region counts as a header.
  while (i < inRegion.length) {
    const l = inRegion[i]!;
    if (!headerKinds.includes(l.kind)) break;
    const between = s.slice(pos, l.start);
    if (/\S/.test(between)) {
      if (!bounded) break;
      const gap = between.replace(/\s+/g, ' ').trim();
      diagnostics.push(
        diagnostic('warning', 'scrape/unlabelled-header', file, `left out page text that is not story: '${gap.slice(0, 60)}${gap.length > 60 ? '…' : ''}'`),
      );
    }
    if (l.kind === 'seeEnd') {
      // `(See the end of the work for more notes.)` closes the header.
      pos = l.end;
      i++;
      if (!bounded) break;
      continue;
    }
    const next = inRegion[i + 1];
    const nextIsHeader = next && headerKinds.includes(next.kind);
    let valueEnd: number;
    if (nextIsHeader) valueEnd = next.start;
    else if (bounded) valueEnd = next ? next.start : to;
    else valueEnd = unboundedValueEnd(s, l.end, next ? next.start : to, flat);
    const value = s.slice(l.end, valueEnd);
    switch (l.kind) {
      case 'summary':
        meta.summary = [...(meta.summary ?? []), ...textToBlocks(value)];
        break;
      case 'notes':
        notes.before = [...notes.before, ...textToBlocks(value)];
        break;
      case 'meta':
        readMetaField(l.key!, value, meta, tags, diagnostics, file);
        break;
    }
    pos = valueEnd;
    i++;
  }
  if (tags.length) meta.tags = [...(meta.tags ?? []), ...tags];
  return pos;
}

/**
 * Where a header value ends when nothing after it is a label: at a blank line
 * (text with line breaks) or, in flat text, at the first sentence that opens
 * with a quote — the best guess when a scrape has no `Work Text:` landmark.
 */
function unboundedValueEnd(s: string, from: number, limit: number, flat: boolean): number {
  const region = s.slice(from, limit);
  if (!flat) {
    const m = /\S[^\n]*(?:\n(?![ \t]*\n)[^\n]*)*/.exec(region);
    return m ? from + m.index + m[0].length : limit;
  }
  const m = /\S[\s\S]*?[.!?…](?=\s+["“])/.exec(region) ?? /^[^\n]*/.exec(region);
  return m ? from + m.index + m[0].length : limit;
}

function readMetaField(
  key: string,
  value: string,
  meta: SourceMetadata,
  tags: Tag[],
  diagnostics: Diagnostic[],
  file: string,
): void {
  const v = value.replace(/\s+/g, ' ').trim();
  if (!v) return;
  const list = () =>
    (v.includes(',') ? v.split(',') : [v]).map((x) => x.trim()).filter(Boolean);
  switch (key) {
    case 'rating':
    case 'warning':
    case 'category':
    case 'fandom':
    case 'relationship':
    case 'character':
    case 'freeform':
      for (const name of list()) tags.push({ kind: key as TagKind, name });
      break;
    case 'language': {
      const lang = normalizeLanguage(v);
      if (lang) meta.language = lang;
      else diagnostics.push(diagnostic('warning', 'metadata/bad-language', file, `unknown language '${v}'; using 'en'`));
      break;
    }
    case 'seriesMeta': {
      const parsed = parseSeriesTrailer(v);
      if (parsed.series.length) meta.series = [...(meta.series ?? []), ...parsed.series];
      break;
    }
    case 'collections':
      meta.collections = v.split(',').map((c) => c.trim()).filter(Boolean);
      break;
    case 'stats':
      readStats(v, meta);
      break;
  }
}

/** AO3's stats line (`Published: … Updated:/Completed: … Words: … Chapters: 3/?`) → dates and chapter count. */
export function readStats(v: string, meta: SourceMetadata): void {
  const stat = (name: string) => new RegExp(`${name}:\\s*(\\S+)`).exec(v)?.[1];
  const published = normalizeDate(stat('Published') ?? '');
  const updated = normalizeDate(stat('Updated') ?? stat('Completed') ?? '');
  if (published) meta.published = published;
  if (updated) meta.updated = updated;
  const chapters = stat('Chapters');
  if (chapters && /^\d+\/(\d+|\?)$/.test(chapters)) meta.chapterCount = chapters;
}
