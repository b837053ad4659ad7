import { volumeLine, type BookPlan } from '../plan.js';
import type { CoverText } from './design.js';

/**
 * What a book's cover says, from its plan — the EPUB's cover image, the
 * PDF's cover page and the front of the wrap cover alike: the title, the
 * authors, and above the title the series and part (`Kettle Lane · Part 2`;
 * an omnibus says how many parts it holds) and, for one volume of a book
 * split by `--volumes`, its label (`Vol. 1 of 3`). The seed is the book's
 * identity, so the same book keeps its look across rebuilds and a new book
 * gets its own; the volumes of one book share the whole book's identity as
 * their seed, so they come out as a set: the same colours and motif, each
 * with its own label.
 */
export function coverText(plan: BookPlan): CoverText {
  const m = plan.metadata;
  const first = m.series[0];
  const parts = plan.series?.parts.length ?? 0;
  const series = plan.kind === 'omnibus' ? `The series in ${parts} part${parts === 1 ? '' : 's'}` : first ? `${first.name} · Part ${first.part}` : '';
  const over = [series, plan.volume ? volumeLine(plan.volume) : ''].filter(Boolean);
  const seed = plan.volume ? plan.identity.replace(/\u0000volume \d+ of \d+$/, '') : plan.identity;
  return { title: m.title, authors: m.authors, seed, language: m.language, ...(over.length ? { series: over.join(' · ') } : {}) };
}
