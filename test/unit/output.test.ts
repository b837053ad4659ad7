import { existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { OutputBatch, stopWriting, TEMP_PREFIX } from '../../src/write/output.js';

const tmp = (name: string) => mkdtempSync(join(tmpdir(), `quire-output-${name}-`));
const bytes = (s: string) => new Uint8Array(Buffer.from(s));

describe('OutputBatch', () => {
  it('writes each book in place at once, into new folders, and leaves no temp file', async () => {
    const out = tmp('batch');
    const batch = new OutputBatch(out);
    await batch.write(join(out, 'a.epub'), bytes('first'));
    // Visible before the batch is committed: a killed build keeps what it finished.
    expect(readFileSync(join(out, 'a.epub'), 'utf8')).toBe('first');
    await batch.write(join(out, 'series', 'b.epub'), bytes('second'));
    await batch.write(join(out, 'a.epub'), bytes('replaced'));
    await batch.commit();
    expect(readFileSync(join(out, 'a.epub'), 'utf8')).toBe('replaced');
    expect(readFileSync(join(out, 'series', 'b.epub'), 'utf8')).toBe('second');
    expect(readdirSync(out, { recursive: true, encoding: 'utf8' }).filter((f) => f.includes(TEMP_PREFIX))).toEqual([]);
  });

  it('replaces a symbolic link at the target instead of writing through it', async () => {
    const out = tmp('link-target');
    const outside = tmp('outside');
    symlinkSync(join(outside, 'victim.epub'), join(out, 'book.epub'));
    const batch = new OutputBatch(out);
    await batch.write(join(out, 'book.epub'), bytes('book'));
    await batch.commit();
    expect(lstatSync(join(out, 'book.epub')).isSymbolicLink()).toBe(false);
    expect(existsSync(join(outside, 'victim.epub'))).toBe(false);
  });

  it('refuses a symlinked folder and a folder where a book goes, and leaves nothing behind', async () => {
    const out = tmp('refuse');
    const outside = tmp('outside');
    symlinkSync(outside, join(out, 'planted'));
    mkdirSync(join(out, 'taken.epub'));
    writeFileSync(join(out, 'taken.epub', 'inside'), 'x');
    const batch = new OutputBatch(out);
    await expect(batch.write(join(out, 'planted', 'x.epub'), bytes('x'))).rejects.toThrow(/is a symbolic link; Quire does not write through links/);
    await expect(batch.write(join(out, 'taken.epub'), bytes('x'))).rejects.toThrow(/taken\.epub is a folder/);
    await batch.commit();
    expect(readdirSync(outside)).toEqual([]);
    expect(readdirSync(out).sort()).toEqual(['planted', 'taken.epub']);
  });

  // Last: stopping is for the rest of the process.
  it('starts no new book once writing is stopped (Ctrl-C), and leaves no temp file', async () => {
    const out = tmp('stopped');
    const batch = new OutputBatch(out);
    await batch.write(join(out, 'done.epub'), bytes('done'));
    await stopWriting(0);
    await expect(batch.write(join(out, 'late.epub'), bytes('late'))).rejects.toThrow(/interrupted/);
    await batch.commit();
    expect(readdirSync(out)).toEqual(['done.epub']);
  });
});
