import { describe, expect, it } from 'vitest';
import { thousands } from '../../src/write/plan.js';

describe('thousands', () => {
  it('groups digits as en-US does', () => {
    for (const n of [0, 7, 999, 1000, 12345, 100000, 999999, 1000000, 263911, 1234567890]) expect(thousands(n)).toBe(n.toLocaleString('en-US'));
  });
});
