import { describe, expect, it } from 'vitest';
import { diagnostic, diagnosticLines } from '../../src/diagnostics.js';

describe('diagnostic lines', () => {
  const many = Array.from({ length: 6 }, (_, i) => diagnostic('warning', 'metadata/no-title', `w/${i}.txt`, 'no title; using the file name', { hint: 'add a title' }));

  it('lists a few alike one by one and summarises many in one line, in the order found', () => {
    const few = many.slice(0, 3);
    expect(diagnosticLines(few).lines).toHaveLength(3);
    const err = diagnostic('error', 'input/empty', 'w/e.txt', 'the file has no text');
    const { lines, summarized } = diagnosticLines([err, ...many]);
    expect(summarized).toBe(1);
    expect(lines).toEqual(['w/e.txt: error: the file has no text [input/empty]', 'w/0.txt, w/1.txt, w/2.txt and 3 more files: warning: no title; using the file name (add a title) [metadata/no-title]']);
  });

  it('never summarises errors, and lists everything when verbose', () => {
    const errors = many.map((d) => ({ ...d, severity: 'error' as const }));
    expect(diagnosticLines(errors).lines).toHaveLength(6);
    expect(diagnosticLines(many, true).lines).toHaveLength(6);
  });

  it('counts repeats within one file', () => {
    const same = Array.from({ length: 5 }, (_, i) => diagnostic('warning', 'x/y', 'a.txt', 'odd', { line: i + 1 }));
    expect(diagnosticLines(same).lines).toEqual(['a.txt (5 times): warning: odd [x/y]']);
  });
});
