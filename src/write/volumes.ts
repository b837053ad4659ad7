import { storyWordCount } from '../model/text.js';
import type { Work } from '../model/types.js';
import type { BookPlan, Section } from './plan.js';

/**
 * Volumes (`--volumes WORDS`): a book longer than a bound volume holds
 * (binders stop at about 175–200k words) split at part or chapter
 * boundaries into volumes of balanced length, each a book of its own with
 * its own title page, contents and cover, labelled "Vol. 1 of 3". Pure:
 * the split is decided from the works' chapters, and each volume's plan is
 * made from the whole book's plan.
 */

/** Where a volume starts: the first chapter of its first work. */
export interface VolumeStart {
  source: string;
  chapterId: string;
}

/** A chapter as the split sees it. */
interface Unit {
  words: number;
  /** A new work (a part of a series) starts with this chapter. */
  partStart: boolean;
  at: VolumeStart;
}

/**
 * Split `works` (in reading order) into as few volumes as keep each within
 * `budget` words; among the splits with that many, the fewest cuts inside a
 * work, then the longest volume as short as possible (the longer first). A chapter is never
 * cut, so one longer than the budget makes a volume of its own. Returns each
 * volume's start, in order, and its words; a book that fits is one volume.
 */
export function splitVolumes(works: readonly Work[], budget: number): Array<{ start: VolumeStart; words: number }> {
  const units: Unit[] = [];
  for (const [w, work] of works.entries()) {
    work.chapters.forEach((ch, i) => units.push({ words: storyWordCount([ch]), partStart: i === 0 && w > 0, at: { source: work.source, chapterId: ch.id } }));
  }
  if (!units.length) return [];
  const n = units.length;
  const prefix = [0];
  for (const u of units) prefix.push(prefix[prefix.length - 1]! + u.words);
  const total = prefix[n]!;
  const words = (a: number, b: number) => prefix[b]! - prefix[a]!;
  if (total <= budget) return [{ start: units[0]!.at, words: total }];
  // best[k][i]: the best split of units[0, i) into k volumes, as [cuts inside a work, longest volume].
  type Cost = { inner: number; longest: number; over: number };
  const better = (a: Cost, b: Cost) => a.over - b.over || a.inner - b.inner || a.longest - b.longest;
  for (let k = Math.max(2, Math.ceil(total / budget)); k <= n; k++) {
    const best: Array<Array<{ cost: Cost; from: number } | undefined>> = [[{ cost: { inner: 0, longest: 0, over: 0 }, from: -1 }]];
    for (let v = 1; v <= k; v++) {
      best[v] = [];
      for (let i = v; i <= n - (k - v); i++) {
        let pick: { cost: Cost; from: number } | undefined;
        for (let j = v - 1; j < i; j++) {
          const prev = best[v - 1]![j];
          if (!prev) continue;
          const w = words(j, i);
          const cost: Cost = {
            over: prev.cost.over + Math.max(0, w - budget),
            inner: prev.cost.inner + (j > 0 && !units[j]!.partStart ? 1 : 0),
            longest: Math.max(prev.cost.longest, w),
          };
          // Equals: the later cut, so the longer volumes come first (as the larger signatures do).
          if (!pick || better(cost, pick.cost) <= 0) pick = { cost, from: j };
        }
        best[v]![i] = pick;
      }
    }
    const end = best[k]![n];
    // Only a chapter longer than the budget can leave a volume over it: then one volume per such chapter is the best there is.
    const unavoidable = units.reduce((o, u) => o + Math.max(0, u.words - budget), 0);
    if (end && (end.cost.over <= unavoidable || k === n)) {
      const starts: number[] = [];
      let i = n;
      for (let v = k; v >= 1; v--) {
        const from = best[v]![i]!.from;
        starts.unshift(from);
        i = from;
      }
      return starts.map((s, v) => ({ start: units[s]!.at, words: words(s, starts[v + 1] ?? n) }));
    }
  }
  return [{ start: units[0]!.at, words: total }];
}

/**
 * Volume `number` of `starts.length` of a planned book: its own title page
 * (the book's, labelled with the volume) and contents, then the sections
 * from its first chapter to the next volume's. A work's notes open its first
 * volume and its end notes close its last; a part of an omnibus cut between
 * volumes has its title page again, marked continued, in the next.
 */
export function volumePlan(plan: BookPlan, starts: readonly VolumeStart[], number: number): BookPlan {
  const index = (v: VolumeStart | undefined) =>
    v === undefined ? plan.sections.length : plan.sections.findIndex((s) => s.kind === 'chapter' && s.work.source === v.source && s.chapter.id === v.chapterId);
  const chapterAt = index(starts[number - 1]);
  const nextAt = index(starts[number]);
  if (chapterAt < 0 || nextAt < 0) throw new Error(`volume ${number} starts at a chapter the book does not have`);
  // A volume takes the sections that lead into its first chapter (a part's title page, a work's notes).
  const lead = (at: number) => {
    let i = at;
    while (i > 0 && i < plan.sections.length) {
      const prev = plan.sections[i - 1]!;
      if (prev.kind === 'notes' || (prev.kind === 'title' && prev.part !== undefined)) i--;
      else break;
    }
    return i;
  };
  const from = number === 1 ? plan.sections.findIndex((s) => s.kind !== 'title' && s.kind !== 'seriesTitle' && s.kind !== 'contents' || (s.kind === 'title' && s.part !== undefined)) : lead(chapterAt);
  const to = number === starts.length ? plan.sections.length : lead(nextAt);
  const body = plan.sections.slice(Math.max(0, from), to).filter((s) => s.kind !== 'contents');
  // A part cut by the volume before: its title page again, continued.
  const first = body[0];
  if (plan.kind === 'omnibus' && first?.kind === 'chapter' && first.work.chapters[0]?.id !== first.chapter.id) {
    const title = plan.sections.find((s): s is Extract<Section, { kind: 'title' }> => s.kind === 'title' && s.part !== undefined && s.work === first.work);
    if (title) body.unshift({ ...title, label: `${title.label} (continued)` });
  }
  const own = plan.sections.find((s) => s.kind === 'title' || s.kind === 'seriesTitle');
  const front: Section[] = own && (own.kind === 'seriesTitle' || own.part === undefined) ? [own] : [];
  front.push({ kind: 'contents', id: 'contents', label: 'Contents', depth: 0 });
  const works = [...new Set(body.flatMap((s) => ('work' in s ? [s.work] : [])))];
  const volume = { number, count: starts.length };
  return { ...plan, identity: `${plan.identity}\u0000volume ${number} of ${starts.length}`, works: works.length ? works : plan.works, sections: [...front, ...body], hasContents: true, volume };
}
