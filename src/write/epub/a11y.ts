import type { Block, Inline } from '../../model/types.js';
import { workBlockLists } from '../../model/text.js';
import { languageName, type BookPlan } from '../plan.js';

/**
 * The accessibility metadata of a book (schema.org's properties as EPUB
 * Accessibility 1.1 uses them), worked out from what the book holds — never
 * a fixed claim: images and their descriptions, page numbers, notes, text in
 * other languages.
 */
export interface Accessibility {
  accessModes: string[];
  /** Each entry a comma-separated set of modes that together suffice. */
  sufficient: string[];
  features: string[];
  hazards: string[];
  summary: string;
  /** `EPUB Accessibility 1.1 - WCAG 2.1 Level AA`, only when every image is described. */
  conformsTo?: string;
  certifiedBy?: string;
}

/** What the book holds, as far as its readers' access to it is concerned. */
export interface BookContents {
  /** The book opens with a cover image (described by its alternative text). */
  cover: boolean;
  /** Pages of the print edition marked, and what that edition is. */
  pages?: { count: number; edition: string };
}

/** The conformance Quire claims for a book every image of which is described: what DAISY Ace checks Quire's books against. */
export const CONFORMANCE = 'EPUB Accessibility 1.1 - WCAG 2.1 Level AA';

interface Census {
  images: number;
  described: number;
  footnotes: number;
  tables: number;
  languages: Set<string>;
}

function census(plan: BookPlan): Census {
  const c: Census = { images: 0, described: 0, footnotes: 0, tables: 0, languages: new Set() };
  const inline = (nodes: readonly Inline[]) => {
    for (const n of nodes) {
      if (n.type === 'span' && n.lang) c.languages.add(n.lang);
      if ('children' in n) inline(n.children);
    }
  };
  const blocks = (list: readonly Block[]) => {
    for (const b of list) {
      if (b.type === 'image') {
        c.images++;
        if (b.alt.trim()) c.described++;
      } else if (b.type === 'table') {
        c.tables++;
        for (const row of b.rows) for (const cell of row.cells) inline(cell);
      } else if (b.type === 'paragraph' || b.type === 'heading') inline(b.children);
      else if (b.type === 'blockquote') blocks(b.children);
      else if (b.type === 'list') b.items.forEach(blocks);
    }
  };
  for (const w of plan.works) {
    for (const list of workBlockLists(w)) blocks(list);
    for (const ch of w.chapters) c.footnotes += ch.footnotes.length;
  }
  return c;
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** The book's accessibility metadata and its summary in words. */
export function accessibility(plan: BookPlan, contents: BookContents, generator: string): Accessibility {
  const c = census(plan);
  const chapters = plan.sections.filter((s) => s.kind === 'chapter').length;
  const notes = plan.sections.some((s) => s.kind === 'notes' || (s.kind === 'endnotes' && s.work.notes.after.length) || (s.kind === 'chapter' && (s.chapter.notes.before.length || s.chapter.notes.after.length)));
  const pictures = c.images + (contents.cover ? 1 : 0);
  const allDescribed = c.described === c.images;
  const features = ['structuralNavigation', 'tableOfContents', 'readingOrder', 'displayTransformability'];
  if (pictures && allDescribed) features.push('alternativeText');
  if (contents.pages) features.push('pageBreakMarkers', 'pageNavigation');
  const sentences: string[] = [];
  const lang = languageName(plan.metadata.language);
  sentences.push(
    `Reflowable text in ${lang}${c.languages.size ? ` (passages in other languages marked as such)` : ''}: ${chapters === 1 ? '1 chapter under its heading' : `${plural(chapters, 'chapter')}, each under its own heading`}, with a table of contents${notes ? ` and the ${plan.metadata.authors.length === 1 ? "author's" : "authors'"} notes set apart as notes` : ''}.`,
  );
  if (c.footnotes) sentences.push(`${plural(c.footnotes, 'footnote')}, each linked from the text and back.`);
  if (contents.pages) sentences.push(`Page numbers of the print edition (${contents.pages.edition}, ${plural(contents.pages.count, 'page')}) are marked in the text and listed for navigation.`);
  if (c.tables) sentences.push(`${plural(c.tables, 'table')}, marked up as ${c.tables === 1 ? 'a table' : 'tables'}.`);
  if (contents.cover) sentences.push('The cover image is described by its text.');
  if (c.images) {
    sentences.push(allDescribed ? `${plural(c.images, 'image')} in the text, each with a description.` : `${plural(c.images, 'image')} in the text, ${c.images - c.described} of them without a description (marked as decoration).`);
  } else sentences.push('No images in the text.');
  sentences.push('No flashing, motion or sound.');
  // A claim about how such books are made: Quire's tests check its books with DAISY Ace (test/e2e/devices.test.ts).
  if (allDescribed) sentences.push(`Meets ${CONFORMANCE}, as assessed by Quire, whose books pass DAISY Ace's checks.`);
  const out: Accessibility = {
    accessModes: pictures ? ['textual', 'visual'] : ['textual'],
    sufficient: !pictures ? ['textual'] : allDescribed ? ['textual', 'textual,visual'] : ['textual,visual'],
    features,
    hazards: ['none'],
    summary: sentences.join(' '),
  };
  if (allDescribed) {
    out.conformsTo = CONFORMANCE;
    out.certifiedBy = generator;
  }
  return out;
}
