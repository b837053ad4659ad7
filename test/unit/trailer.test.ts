import { describe, expect, it } from 'vitest';
import { parseSeriesTrailer, seriesName } from '../../src/read/trailer.js';

describe('series trailer', () => {
  it('reads the pre-2022 form with navigation links', () => {
    expect(parseSeriesTrailer('← Previous Work Part 3 of the Salt Roads series Next Work →')).toEqual({
      series: [{ name: 'Salt Roads', part: 3 }],
      rejected: [],
    });
  });

  it('reads the current form without "the ... series"', () => {
    expect(parseSeriesTrailer('Part 12 of Winter Letters').series).toEqual([{ name: 'Winter Letters', part: 12 }]);
  });

  it('keeps a name that itself starts with "The" in the old form', () => {
    expect(parseSeriesTrailer('Part 2 of the The Long Road series Next Work →').series).toEqual([{ name: 'The Long Road', part: 2 }]);
  });

  it('reads several series, each with its own links', () => {
    const text = '← Previous Work Part 2 of the Flour and Ash series Next Work → Part 7 of Autumn Exchange 2023 ← Previous Work Part 1 of Side Stories';
    expect(parseSeriesTrailer(text).series).toEqual([
      { name: 'Flour and Ash', part: 2 },
      { name: 'Autumn Exchange 2023', part: 7 },
      { name: 'Side Stories', part: 1 },
    ]);
  });

  it('rejects part numbers that are not sane', () => {
    const r = parseSeriesTrailer('Part 0 of Nothing Part 99999 of Too Many');
    expect(r.series).toEqual([]);
    expect(r.rejected).toHaveLength(2);
  });

  it('strips the old wrapper only when both halves are there', () => {
    expect(seriesName('the Quiet series')).toBe('Quiet');
    expect(seriesName('The Quiet Years')).toBe('The Quiet Years');
    expect(seriesName('Murder series')).toBe('Murder series');
  });
});
