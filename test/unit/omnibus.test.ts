import { describe, expect, it } from 'vitest';
import type { Tag } from '../../src/model/types.js';
import { omnibusTags, ratingRank } from '../../src/write/plan.js';

const rating = (name: string): Tag => ({ kind: 'rating', name });
const warning = (name: string): Tag => ({ kind: 'warning', name });
const freeform = (name: string): Tag => ({ kind: 'freeform', name });

describe('an omnibus’s tags', () => {
  it('orders ratings mildest to strictest, Not Rated between Mature and Explicit', () => {
    const order = ['General Audiences', 'Teen And Up Audiences', 'Mature', 'Not Rated', 'Explicit'].map(ratingRank);
    expect(order).toEqual([0, 1, 2, 3, 4]);
    expect(ratingRank('teen and up')).toBe(1);
    expect(ratingRank('EXPLICIT')).toBe(4);
    expect(ratingRank('PG-13')).toBe(ratingRank('Not Rated'));
  });

  it('keeps the strictest rating alone and the union of the rest', () => {
    const tags = omnibusTags([
      [rating('Teen And Up Audiences'), warning('No Archive Warnings Apply'), freeform('Tea')],
      [rating('Mature'), warning('Major Character Death'), freeform('tea'), freeform('Steam')],
      [rating('General Audiences')],
    ]);
    expect(tags).toEqual([rating('Mature'), freeform('Tea'), warning('Major Character Death'), freeform('Steam')]);
    expect(omnibusTags([[rating('Mature')], [rating('Not Rated')]])).toEqual([rating('Not Rated')]);
    expect(omnibusTags([[rating('Not Rated')], [rating('Explicit')]])).toEqual([rating('Explicit')]);
    expect(omnibusTags([[warning('No Archive Warnings Apply')], [warning('No Archive Warnings Apply')]])).toEqual([warning('No Archive Warnings Apply')]);
    expect(omnibusTags([[freeform('A')], []])).toEqual([freeform('A')]);
  });
});
