import { describe, expect, it } from 'vitest';
import type { Work } from '../../src/model/types.js';
import { planBook, planOmnibus } from '../../src/write/plan.js';
import { splitVolumes, volumePlan } from '../../src/write/volumes.js';

/** A work whose chapters have these many words each. */
function work(source: string, chapterWords: number[]): Work {
  return {
    id: source,
    source,
    origin: { reader: 'markdown', flat: false },
    metadata: { title: source, authors: ['someone'], language: 'en', summary: [], tags: [], series: [], wordCount: chapterWords.reduce((a, b) => a + b, 0) },
    notes: { before: [{ type: 'paragraph', children: [{ type: 'text', value: 'before' }] }], after: [{ type: 'paragraph', children: [{ type: 'text', value: 'after' }] }] },
    chapters: chapterWords.map((n, i) => ({
      id: `ch${i + 1}`,
      label: `Chapter ${i + 1}`,
      title: '',
      number: i + 1,
      summary: [],
      notes: { before: [], after: [] },
      blocks: [{ type: 'paragraph', children: [{ type: 'text', value: 'word '.repeat(n).trim() }] }],
      footnotes: [],
    })),
  };
}

const sizes = (v: ReturnType<typeof splitVolumes>) => v.map((x) => x.words);

describe('splitVolumes', () => {
  it('leaves a book that fits whole', () => {
    expect(sizes(splitVolumes([work('a', [100, 100])], 500))).toEqual([200]);
  });

  it('splits a long work at chapters into as few volumes as fit, balanced', () => {
    // 10 chapters of 30k: 300k words under a 180k budget → two volumes of 150k, not 180k + 120k.
    expect(sizes(splitVolumes([work('a', Array(10).fill(30_000))], 180_000))).toEqual([150_000, 150_000]);
    // A chapter longer than the budget is never cut: it stands alone.
    expect(sizes(splitVolumes([work('a', [50, 400, 50])], 300))).toEqual([50, 400, 50]);
  });

  it('prefers the boundaries between parts of a series', () => {
    const parts = [1, 2, 3, 4, 5].map((p) => work(`p${p}`, [25_000, 25_000]));
    const v = splitVolumes(parts, 180_000);
    // 250k: two volumes, cut between parts (150k + 100k) rather than inside part 3 (125k + 125k).
    expect(sizes(v)).toEqual([150_000, 100_000]);
    expect(v[1]!.start).toEqual({ source: 'p4', chapterId: 'ch1' });
  });
});

describe('volumePlan', () => {
  it('gives each volume its title page, contents and its own chapters; notes open the first and end notes close the last', () => {
    const w = work('a', [10, 10, 10, 10]);
    const plan = planBook(w);
    const starts = [
      { source: 'a', chapterId: 'ch1' },
      { source: 'a', chapterId: 'ch3' },
    ];
    const ids = (n: number) => volumePlan(plan, starts, n).sections.map((s) => s.id);
    expect(ids(1)).toEqual(['title', 'contents', 'notes', 'ch1', 'ch2']);
    expect(ids(2)).toEqual(['title', 'contents', 'ch3', 'ch4', 'endnotes']);
    expect(volumePlan(plan, starts, 2).volume).toEqual({ number: 2, count: 2 });
    expect(volumePlan(plan, starts, 1).identity).not.toBe(volumePlan(plan, starts, 2).identity);
  });

  it('repeats the title page of a part cut between volumes, marked continued', () => {
    const parts = [work('p1', [10, 10]), work('p2', [10, 10])];
    const plan = planOmnibus({ key: 's', name: 'S', parts: parts.map((work, i) => ({ part: i + 1, work })), missing: [] } as unknown as Parameters<typeof planOmnibus>[0]);
    const starts = [
      { source: 'p1', chapterId: 'ch1' },
      { source: 'p2', chapterId: 'ch2' },
    ];
    const v2 = volumePlan(plan, starts, 2);
    expect(v2.sections.map((s) => s.id)).toEqual(['title', 'contents', 'p2-title', 'p2-ch2', 'p2-endnotes']);
    expect(v2.sections[2]!.label).toMatch(/\(continued\)$/);
    expect(volumePlan(plan, starts, 1).sections.map((s) => s.id)).toEqual(['title', 'contents', 'p1-title', 'p1-notes', 'p1-ch1', 'p1-ch2', 'p1-endnotes', 'p2-title', 'p2-notes', 'p2-ch1']);
  });
});
