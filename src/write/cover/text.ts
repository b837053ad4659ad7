import { volumeLine, type BookPlan } from '../plan.js';
import type { CoverText } from './design.js';

/**
 * What a book's cover says, from its plan: the title, the authors, and above
 * the title the series and part (`Kettle Lane · Part 2`) and, for one volume
 * of a book split by `--volumes`, its label (`Vol. 1 of 3`). The volumes of
 * one book share the whole book's identity as their seed, so they come out
 * as a set: the same colours and motif, each with its own label.
 */
export function coverText(plan: BookPlan): CoverText {
  const m = plan.metadata;
  const first = m.series[0];
  const over = [first ? `${first.name} · Part ${first.part}` : '', plan.volume ? volumeLine(plan.volume) : ''].filter(Boolean);
  const seed = plan.volume ? plan.identity.replace(/\u0000volume \d+ of \d+$/, '') : plan.identity;
  return { title: m.title, authors: m.authors, seed, language: m.language, ...(over.length ? { series: over.join(' · ') } : {}) };
}
