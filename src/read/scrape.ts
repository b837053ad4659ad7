import { diagnostic, type Diagnostic } from '../diagnostics.js';
import { countWords } from '../model/text.js';
import type { Notes, SeriesMembership, Tag, TagKind } from '../model/types.js';
import { readStats, splitTitleByline } from './ao3-meta.js';
import { emptyChapter, type Draft, type DraftChapter, type SourceMetadata } from './draft.js';
import { normalizeLanguage } from './metadata-input.js';
import { readPlainText, splitAtHeadings } from './plain-text.js';
import { textToBlocks } from './text-blocks.js';
import { parseSeriesTrailer } from './trailer.js';
import { mergeSeries } from './series-merge.js';

export { mergeSeries } from './series-merge.js';

export type { Draft, DraftChapter, SourceMetadata } from './draft.js';
export { readStats } from './ao3-meta.js';

/**
 * Reader for text saved from an AO3 work page — flattened to one line, or
 * with its line breaks — and, through `readPlainText`, for prose with none of
 * AO3's structure.
 *
 * AO3's labels are positional, and are read only where AO3 puts them:
 *
 *   header    the meta block (`Rating:` … `Stats: … Hits: N`), the title and
 *             byline, `Summary:`, `Notes:`, `(See the end of the work for notes.)`
 *   chapters  `Work Text:`, or per chapter `Chapter N: Title`, its `Summary:`
 *             and `Notes:`, `(See the end of the chapter for notes.)`, the
 *             `Chapter Text` landmark, the text, and its end `Notes:` — which
 *             exist only when the chapter's preface said so
 *   trailer   the work's end `Notes:` (only when the header said so, or a
 *             bare scrape ends with them), `Series this work belongs to:`,
 *             `Works inspired by this one:` — possibly repeated
 *
 * Anywhere else those words are the story's. Paragraphs inside flat text
 * are recovered later by a normalize pass; here a flat stretch stays one
 * paragraph.
 */

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

type LabelKind = 'summary' | 'notes' | 'seeEnd' | 'workText' | 'chapterText' | 'chapter' | 'series' | 'inspired' | 'meta';

interface Label {
  kind: LabelKind;
  start: number;
  end: number;
  /**
   * Whether it stands where a label can start (after a sentence, in flat
   * text): common words (`Notes:`, `Summary:`) inside the story count only
   * there; inside a header or a chapter's preface they count anywhere.
   */
  anchored: boolean;
  /** For `meta`: the field; for `seeEnd`: `work` or `chapter`. */
  key?: string;
  /** For `seeEnd`: whether end notes exist (the marker may point at inspired works alone). */
  notes?: boolean;
  /** For `chapter`: its number, and (text with line breaks) its title. */
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

/** Words authors' notes are made of: thanks, kudos, comments, betas, prompts, updates, links to elsewhere. */
const AUTHOR_TALK =
  /\b(?:thanks?|thank you|thx|ty|kudos|comments?|commenting|reviews?|tumblr|twitter|discord|patreon|ko-?fi|instagram|beta(?:'?d|ed|ing)?|prompts?|fic|fics|fanfic(?:tion)?|chapters?|updates?|updating|posted|posting|written|writing|wrote|enjoy(?:ed)?|inspired|sequel|headcanons?|fandom|translat(?:ed|ion)|originally|a\/n|author'?s? notes?|hope you|let me know|next (?:part|chapter|time)|gracias|merci|danke|obrigad[oa]|grazie|спасибо)\b|谢谢|感谢|ありがとう|감사/i;

/** The longest chapter title AO3 allows, with room for spacing. */
const MAX_CHAPTER_TITLE = 300;

/** Where a label may start: the text's start, a line start, or (flat text) after a sentence. */
function anchored(s: string, index: number, flat: boolean): boolean {
  if (index === 0) return true;
  const before = s.slice(Math.max(0, index - 3), index);
  if (/\n[ \t]*$/.test(before)) return true;
  if (!flat) return false;
  return /(?:^|[.!?"”’')\]…*~:;\u00a0 ])\s$/.test(before) || /^\s*$/.test(s.slice(0, index));
}

/** Kinds whose words are distinctive enough to be labels wherever they stand in flat text. */
const DISTINCT: ReadonlySet<LabelKind> = new Set(['seeEnd', 'workText', 'chapterText', 'series', 'inspired']);

/** Every place AO3's label words stand, in order; which of them are labels is decided by position later. */
function findLabels(s: string, flat: boolean): Label[] {
  const labels: Label[] = [];
  const scan = (re: RegExp, kind: LabelKind, extra?: (m: RegExpExecArray) => Partial<Label>) => {
    for (const m of s.matchAll(re)) {
      const start = m.index;
      const at = anchored(s, start, flat);
      // In text with line breaks every label starts a line.
      if (!flat && !at) continue;
      labels.push({ kind, start, end: start + m[0].length, anchored: at || DISTINCT.has(kind), ...(extra ? extra(m as RegExpExecArray) : {}) });
    }
  };
  scan(/Summary:/g, 'summary');
  scan(/Notes:/g, 'notes');
  scan(/\(\s*See the end of the (work|chapter) for\s+(?:(?:more\s+)?notes)?(?:\s*and\s*)?(?:other works inspired by this one)?\s*\.?\s*\)/g, 'seeEnd', (m) => ({
    key: m[1]!,
    notes: /notes/.test(m[0]),
  }));
  scan(flat ? /Work Text:/g : /Work Text:[ \t]*(?=\n|$)/g, 'workText');
  scan(flat ? /Chapter Text\b/g : /Chapter Text[ \t]*(?=\n|$)/g, 'chapterText');
  scan(/Series this work belongs to:/g, 'series');
  scan(/Works inspired by this one:/g, 'inspired');
  for (const [label, key] of META_LABELS) scan(new RegExp(`${label}:`, 'g'), 'meta', () => ({ key }));
  if (flat) {
    scan(/Chapter (\d{1,4})(?::\s*)?/g, 'chapter', (m) => ({ number: Number(m[1]) }));
  } else {
    // A whole line `Chapter 3` or `Chapter 3: Title`.
    scan(/Chapter (\d{1,4})(?:: *([^\n]*))?[ \t]*(?=\n|$)/g, 'chapter', (m) => ({ number: Number(m[1]), title: (m[2] ?? '').trim() }));
  }
  labels.sort((a, b) => a.start - b.start || b.end - a.end);
  const out: Label[] = [];
  for (const l of labels) {
    const prev = out[out.length - 1];
    if (prev && l.start < prev.end) continue;
    out.push(l);
  }
  return out;
}

/**
 * Whether text with line breaks is an AO3 page scrape: a landmark, the
 * series trailer or an end-notes marker somewhere, or AO3's header at the top.
 */
function hasAo3Structure(s: string, labels: readonly Label[]): boolean {
  if (labels.some((l) => l.kind === 'workText' || l.kind === 'chapterText' || l.kind === 'series' || l.kind === 'inspired' || l.kind === 'seeEnd')) return true;
  const first = labels[0];
  return !!first && first.start === s.search(/\S/) && (first.kind === 'meta' || first.kind === 'summary' || first.kind === 'notes');
}

/** Parse a scrape (or plain text) into a draft work. */
export function readScrape(text: string, file: string): Draft {
  const flat = isFlat(text);
  const labels = findLabels(text, flat);
  if (!flat && !hasAo3Structure(text, labels)) return readPlainText(text);
  return new ScrapeReader(text, labels, flat, file).read();
}

interface Header {
  /** Whether the page's header was there at all. */
  present: boolean;
  /** Where the header ends. */
  end: number;
  /** What its notes module said of end notes: true, false, or (no header) unknown. */
  endNotes?: boolean;
}

class ScrapeReader {
  private readonly diagnostics: Diagnostic[] = [];
  private readonly meta: SourceMetadata = {};
  private readonly notes: Notes = { before: [], after: [] };
  private draft: Partial<Draft> = {};
  /**
   * Whether the scrape carries AO3's `(See the end of the … for notes.)`
   * markers at all: then they are trusted, and end notes exist only where a
   * marker announced them. A scrape without any (trimmed by hand) falls back
   * on where notes stand and how long they are.
   */
  private readonly markers: boolean;

  constructor(
    private readonly s: string,
    private readonly labels: readonly Label[],
    private readonly flat: boolean,
    private readonly file: string,
  ) {
    this.markers = labels.some((l) => l.kind === 'seeEnd');
  }

  private blocks(a: number, b: number) {
    return textToBlocks(this.s.slice(a, b));
  }

  private between(a: number, b: number, kinds?: readonly LabelKind[], anchoredOnly = false): Label[] {
    return this.labels.filter((l) => l.start >= a && l.start < b && (!kinds || kinds.includes(l.kind)) && (!anchoredOnly || l.anchored));
  }

  read(): Draft {
    const s = this.s;
    const header = this.readHeader();
    const landmarks = this.landmarks(header);
    const lastLandmarkEnd = landmarks.length ? landmarks[landmarks.length - 1]!.landmark.end : header.end;

    // The trailer: from the first series or inspired-works label after the story's last landmark.
    const trailerStart = this.labels.find((l) => (l.kind === 'series' || l.kind === 'inspired') && l.start >= lastLandmarkEnd)?.start ?? s.length;
    const repeatedNotes = this.readTrailer(trailerStart);

    // The work's end notes: where the header said there are some, or (no header) at the end of a bare scrape.
    let storyEnd = trailerStart;
    const candidates = this.between(lastLandmarkEnd, trailerStart, ['notes'], true);
    const last = landmarks[landmarks.length - 1];
    let workNotes: Label | undefined;
    if (header.endNotes === true) workNotes = candidates[candidates.length - 1];
    else if (header.endNotes === undefined) {
      // No header to say: the last `Notes:` (after the last chapter's own, when it has them) if it is short enough for notes.
      const own = last?.endNotes === true || (last?.endNotes === undefined && candidates.length >= 2) ? 1 : 0;
      workNotes = candidates.length > own ? this.plausibleEndNotes(candidates[candidates.length - 1], lastLandmarkEnd, trailerStart, trailerStart < s.length) : undefined;
    }
    if (workNotes) {
      this.notes.after = this.blocks(workNotes.end, trailerStart);
      storyEnd = workNotes.start;
    }
    // A repeated trailer's notes are the same end notes again; anything new in them is kept.
    const seen = new Set(this.notes.after.map((b) => JSON.stringify(b)));
    for (const r of repeatedNotes) for (const b of r) if (!seen.has(JSON.stringify(b))) this.notes.after.push(b);

    const chapters: DraftChapter[] = [];
    if (!landmarks.length) {
      // No landmarks: the story is everything between the header and its end (split at heading lines in text that has them).
      if (this.flat) chapters.push({ ...emptyChapter(), blocks: this.blocks(header.end, storyEnd) });
      else chapters.push(...splitAtHeadings(s.slice(header.end, storyEnd)));
    }
    landmarks.forEach((lm, i) => {
      const next = landmarks[i + 1];
      const bodyStart = lm.landmark.end;
      const bodyEnd = next ? (next.head?.start ?? next.landmark.start) : storyEnd;
      const ch: DraftChapter = { ...emptyChapter(), ...lm.chapter };
      let textEnd = bodyEnd;
      if (lm.endNotes !== false) {
        // Said by the chapter's preface, or (a scrape without AO3's markers) the last `Notes:` if short enough for notes.
        let end = this.between(bodyStart, bodyEnd, ['notes'], true).pop();
        if (lm.endNotes === undefined) end = this.plausibleEndNotes(end, bodyStart, bodyEnd, false);
        if (end) {
          ch.notes.after = this.blocks(end.end, bodyEnd);
          textEnd = end.start;
        }
      }
      ch.blocks = this.blocks(bodyStart, textEnd);
      chapters.push(ch);
    });
    return { flat: this.flat, meta: this.meta, notes: this.notes, chapters, diagnostics: this.diagnostics, ...this.draft };
  }

  /**
   * The work's header at the top: the meta block (and after it, on a full
   * work page, the title and byline), `Summary:`, `Notes:` and the
   * end-notes marker. Without a landmark after it, a header value ends at the
   * first blank line, or (flat text) where the story seems to begin.
   */
  private readHeader(): Header {
    const s = this.s;
    const start = Math.max(0, s.search(/\S/));
    const kinds: readonly LabelKind[] = ['meta', 'summary', 'notes', 'seeEnd'];
    const stops: readonly LabelKind[] = ['workText', 'chapterText', 'chapter'];
    const header: Header = { present: false, end: start };
    const tags: Tag[] = [];
    let pos = start;
    let i = this.labels.findIndex((l) => l.start >= start);
    if (i < 0) return header;
    let byline = false;
    let pastMeta = false;
    // Bounded by the chapters' landmark, a header's labels count wherever they stand; else only where a label can start.
    const bounded = this.landmarkFollows(i);
    while (i < this.labels.length) {
      const l = this.labels[i]!;
      if (!l.anchored && !bounded) {
        i++;
        continue;
      }
      if (!kinds.includes(l.kind) || (l.kind === 'seeEnd' && l.key !== 'work')) break;
      if (/\S/.test(s.slice(pos, l.start))) break;
      // The meta block comes first: a meta label after the summary or notes is the story's.
      if (l.kind === 'meta' && pastMeta) break;
      if (l.kind !== 'meta') pastMeta = true;
      header.present = true;
      if (l.kind === 'seeEnd') {
        header.endNotes = !!l.notes;
        pos = l.end;
        break;
      }
      // A value runs to the next label of the header, or to the landmark the chapters start at;
      // with no landmark ahead, to where the story seems to start.
      let k = i + 1;
      const counts = (x: Label) => (x.anchored || bounded) && (kinds.includes(x.kind) || stops.includes(x.kind));
      while (k < this.labels.length && !counts(this.labels[k]!)) k++;
      const next = this.labels[k];
      const limit = next?.start ?? s.length;
      const landmarked = next !== undefined && this.landmarkFollows(k);
      const valueEnd = landmarked ? limit : this.unboundedValueEnd(l.end, limit);
      const value = s.slice(l.end, valueEnd);
      if (l.kind === 'summary') this.meta.summary = [...(this.meta.summary ?? []), ...textToBlocks(value)];
      else if (l.kind === 'notes') this.notes.before = [...this.notes.before, ...textToBlocks(value)];
      else if (l.key === 'stats') {
        // On a work page the title and byline follow the stats.
        const rest = readStats(value, this.meta);
        if (rest.trim() && !byline) {
          byline = true;
          this.titleAndByline(rest);
        }
      } else this.readMetaField(l.key!, value, tags);
      pos = valueEnd;
      i = k;
    }
    if (tags.length) this.meta.tags = tags;
    // The notes module shows the end-notes marker whenever the work has end notes: a header that shows
    // the page's title, summary or notes without one says there are none.
    // (Only in a scrape that has AO3's markers at all: a hand-trimmed one may have lost them.)
    if (this.markers && header.present && header.endNotes === undefined && (byline || this.notes.before.length || this.meta.summary)) header.endNotes = false;
    header.end = pos;
    return header;
  }

  /** Whether a landmark follows label `k` with only header labels and chapter headings before it: the header is bounded by the chapters. */
  private landmarkFollows(k: number): boolean {
    for (let j = k; j < this.labels.length; j++) {
      const kind = this.labels[j]!.kind;
      if (kind === 'workText' || kind === 'chapterText') return true;
      if (kind === 'series' || kind === 'inspired') return false;
    }
    return false;
  }

  /**
   * Where a header value ends when no label bounds it: at a blank line (text
   * with line breaks) or, in flat text, at the first sentence that opens
   * with a quote — the best guess when a scrape has no `Work Text:` landmark.
   */
  private unboundedValueEnd(from: number, limit: number): number {
    const region = this.s.slice(from, limit);
    if (!this.flat) {
      const m = /\S[^\n]*(?:\n(?![ \t]*\n)[^\n]*)*/.exec(region);
      return m ? from + m.index + m[0].length : limit;
    }
    const m = /\S[\s\S]*?[.!?…](?=\s+["“])/.exec(region) ?? /^[^\n]*/.exec(region);
    return m ? from + m.index + m[0].length : limit;
  }

  private titleAndByline(text: string): void {
    const split = splitTitleByline(text);
    if (!split) return;
    if (split.title) this.draft.titleHint = split.title;
    if (split.authors.length) this.draft.authors = split.authors;
    if (split.guessed) this.draft.titleByline = text.replace(/\s+/g, ' ').trim();
  }

  /**
   * The chapters' landmarks in order, each with its heading and preface.
   * `Chapter Text` is a landmark only right after a chapter heading (its
   * title short, then only the chapter's summary and notes); `Work Text:`
   * only right after the header. Elsewhere the words are the story's.
   */
  private landmarks(header: Header): Array<{ landmark: Label; head?: Label; chapter: Partial<DraftChapter>; endNotes?: boolean }> {
    const out: ReturnType<ScrapeReader['landmarks']> = [];
    const s = this.s;
    let prevEnd = header.end;
    const preface: readonly LabelKind[] = ['summary', 'notes', 'seeEnd'];
    for (let i = 0; i < this.labels.length; i++) {
      const lm = this.labels[i]!;
      if (lm.start < prevEnd || (lm.kind !== 'workText' && lm.kind !== 'chapterText')) continue;
      const atHeaderEnd = !/\S/.test(s.slice(prevEnd, lm.start));
      if (lm.kind === 'workText') {
        if (!out.length && atHeaderEnd) {
          out.push({ landmark: lm, chapter: {}, endNotes: false }); // a one-chapter work's end notes are the work's
          break; // a one-chapter work has one landmark
        }
        continue;
      }
      // The earliest chapter heading after the previous chapter from which only a title and a preface lead here.
      const heads = this.between(prevEnd, lm.start, ['chapter']);
      let head: Label | undefined;
      let titleEnd = 0;
      for (const h of heads) {
        const after = this.between(h.end, lm.start);
        const firstPreface = after.findIndex((l) => preface.includes(l.kind));
        const titleStop = after[0]?.start ?? lm.start;
        if (after.length && !preface.includes(after[0]!.kind)) continue;
        if (firstPreface > 0) continue;
        if (titleStop - h.end > MAX_CHAPTER_TITLE) continue;
        // Inside the preface, other words are the summary's and notes' own.
        head = h;
        titleEnd = titleStop;
        break;
      }
      // A chapter's text without its heading (one chapter's page) only right after the work's header.
      if (!head && !(atHeaderEnd && header.present && !out.length)) continue;
      const chapter: Partial<DraftChapter> = {};
      // Whether the chapter has end notes: its preface's marker says, in a scrape that has AO3's markers.
      let endNotes: boolean | undefined = this.markers ? false : undefined;
      if (head) {
        chapter.label = `Chapter ${head.number}`;
        chapter.title = (head.title ?? s.slice(head.end, titleEnd)).replace(/\s+/g, ' ').trim();
        const notes: Notes = { before: [], after: [] };
        const labels = this.between(titleEnd, lm.start, preface);
        labels.forEach((l, k) => {
          const valueEnd = labels[k + 1]?.start ?? lm.start;
          if (l.kind === 'seeEnd') endNotes = !!l.notes;
          else if (l.kind === 'summary') chapter.summary = [...(chapter.summary ?? []), ...this.blocks(l.end, valueEnd)];
          else notes.before.push(...this.blocks(l.end, valueEnd));
        });
        chapter.notes = notes;
      }
      out.push({ landmark: lm, ...(head ? { head } : {}), chapter, endNotes });
      prevEnd = lm.end;
    }
    return out;
  }

  /** The trailer: every series named (once each) and the inspired works; returns the end notes a repeated trailer holds. */
  private readTrailer(from: number): Array<ReturnType<typeof textToBlocks>> {
    const s = this.s;
    const labels = this.between(from, s.length, ['series', 'inspired', 'notes']);
    const repeated: Array<ReturnType<typeof textToBlocks>> = [];
    const series: SeriesMembership[] = [];
    labels.forEach((l, i) => {
      const value = s.slice(l.end, labels[i + 1]?.start ?? s.length).trim();
      if (l.kind === 'series') {
        const parsed = parseSeriesTrailer(value);
        series.push(...parsed.series);
        for (const r of parsed.rejected) {
          this.diagnostics.push(diagnostic('warning', 'series/bad-part', this.file, `series trailer names '${r}', which is not a sane part number; ignored it`));
        }
        if (!parsed.series.length && !parsed.rejected.length) {
          this.diagnostics.push(diagnostic('warning', 'series/unreadable-trailer', this.file, `could not read a series from '${value.slice(0, 80)}'`));
        }
      } else if (l.kind === 'inspired') {
        if (value && !this.meta.inspiredBy) this.meta.inspiredBy = value.replace(/\s+/g, ' ');
      } else repeated.push(textToBlocks(value));
    });
    if (series.length) this.meta.series = mergeSeries(this.meta.series ?? [], series);
    return repeated;
  }

  /**
   * Where nothing says whether end notes exist, the last `Notes:` of a
   * stretch opens them when what follows is as short as notes are (at most
   * 200 words, or a third of the text before it) and reads like notes: the
   * series trailer follows it, or it talks like an author to readers. A
   * `Notes:` in the story (a shopping list) has neither.
   */
  private plausibleEndNotes(label: Label | undefined, storyStart: number, end: number, trailerFollows: boolean): Label | undefined {
    if (!label) return undefined;
    const text = this.s.slice(label.end, end);
    const notes = countWords(text);
    const story = countWords(this.s.slice(storyStart, label.start));
    if (story === 0 || notes > Math.max(200, story / 3)) return undefined;
    return trailerFollows || AUTHOR_TALK.test(text) ? label : undefined;
  }

  private readMetaField(key: string, value: string, tags: Tag[]): void {
    const v = value.replace(/\s+/g, ' ').trim();
    if (!v) return;
    const list = () => (v.includes(',') ? v.split(',') : [v]).map((x) => x.trim()).filter(Boolean);
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
        if (lang) this.meta.language = lang;
        else this.diagnostics.push(diagnostic('warning', 'metadata/bad-language', this.file, `unknown language '${v}'; using 'en'`));
        break;
      }
      case 'seriesMeta': {
        const parsed = parseSeriesTrailer(v);
        if (parsed.series.length) this.meta.series = mergeSeries(this.meta.series ?? [], parsed.series);
        break;
      }
      case 'collections':
        this.meta.collections = v.split(',').map((c) => c.trim()).filter(Boolean);
        break;
    }
  }
}
