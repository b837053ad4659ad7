import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { errorPosition, errorReason } from '../../src/read/parse-errors.js';

const fail = (f: () => unknown): unknown => {
  try {
    f();
  } catch (err) {
    return err;
  }
  throw new Error('did not fail');
};

describe('parse error positions', () => {
  it('puts an unclosed bracket or quote where it opens, other YAML errors where the parser stopped', () => {
    const open = 'title: A\nsummary: [never\nauthor: B\n';
    expect(errorPosition(fail(() => parse(open, { prettyErrors: false })), open)).toEqual({ line: 2, column: 10 });
    const quote = 'a: 1\nb: "x\nc: 2\n';
    expect(errorPosition(fail(() => parse(quote, { prettyErrors: false })), quote)).toEqual({ line: 2, column: 4 });
    const nested = 'a: b\n  c: d\n';
    expect(errorPosition(fail(() => parse(nested, { prettyErrors: false })), nested, 1)?.line).toBe(2);
  });

  it('reads JSON.parse positions and tidies its messages', () => {
    const token = '{\n  "a": 1,\n  "b": nope\n}\n';
    const err = fail(() => JSON.parse(token));
    expect(errorPosition(err, token)).toEqual({ line: 3, column: 9 });
    expect(errorReason(err)).toBe("unexpected 'o'");
    const cut = '{\n  "a": 1,\n';
    expect(errorPosition(fail(() => JSON.parse(cut)), cut)?.line).toBe(2);
    expect(errorPosition(new Error('somewhere'), 'x')).toBeUndefined();
  });
});
