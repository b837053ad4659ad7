import { describe, expect, it } from 'vitest';
import { TYPOGRAPHY, typographize } from '../../src/normalize/typography.js';

const rule = (id: string) => {
  const r = TYPOGRAPHY.find((x) => x.id === id);
  if (!r) throw new Error(id);
  return (text: string, lang = 'en') => r.apply(text, lang);
};

describe('typography rules', () => {
  it('space-before-punctuation removes scrape spaces but not French spacing', () => {
    const f = rule('space-before-punctuation');
    expect(f('on the Finalizer , Kylo said')).toBe('on the Finalizer, Kylo said');
    expect(f('Crashing ? No .')).toBe('Crashing? No.');
    expect(f('Quoi ? Oui .', 'fr')).toBe('Quoi ? Oui.');
  });

  it('space-inside-quotes closes up quotes around lost italics', () => {
    const f = rule('space-inside-quotes');
    expect(f('“ Kill him twice as hard?”')).toBe('“Kill him twice as hard?”');
    expect(f('Kylo frowns. “ Crashing ?”')).toBe('Kylo frowns. “Crashing ?”');
    expect(f('He said " Go away " and left.')).toBe('He said "Go away" and left.');
  });

  it('smart-quotes curls quotes by role and apostrophes everywhere', () => {
    const f = rule('smart-quotes');
    expect(f('"Hello," she said. "It\'s late."')).toBe('“Hello,” she said. “It’s late.”');
    expect(f("'Tis the season; stay 'til the '90s. Rock 'n' roll.")).toBe('’Tis the season; stay ’til the ’90s. Rock ’n’ roll.');
    expect(f('"He said \'no\' to me," she said.')).toBe('“He said ‘no’ to me,” she said.');
    expect(f("the dogs' bowls")).toBe('the dogs’ bowls');
    expect(f('“Already curly,” she said.')).toBe('“Already curly,” she said.');
  });

  it('em-dash and ellipsis', () => {
    expect(rule('em-dash')('nine days-- and counting--')).toBe('nine days—and counting—');
    expect(rule('em-dash')('a well-known fact')).toBe('a well-known fact');
    expect(rule('ellipsis')('Ren...I am. . . tired')).toBe('Ren…I am… tired');
  });

  it('nbsp-after-abbreviation keeps titles with names', () => {
    expect(rule('nbsp-after-abbreviation')('Mr. Darcy and Dr. Watson')).toBe('Mr.\u00a0Darcy and Dr.\u00a0Watson');
  });

  it('runs in order and honours skipped rules', () => {
    expect(typographize('" Hi" -- she said ...', 'en')).toBe('“Hi”—she said …');
    expect(typographize('"Hi" -- ok', 'en', new Set(['smart-quotes', 'em-dash']))).toBe('"Hi" -- ok');
  });
});
