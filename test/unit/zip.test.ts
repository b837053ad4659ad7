import JSZip from 'jszip';
import { describe, expect, it } from 'vitest';
import { constantEntry, crc32, packEntry, writeZip } from '../../src/write/epub/zip.js';

describe('zip writer', () => {
  it('computes the standard CRC-32', () => {
    expect(crc32(Buffer.from('123456789'))).toBe(0xcbf43926);
    expect(crc32(new Uint8Array(0))).toBe(0);
  });

  it('writes archives other readers open: mimetype first and stored, the rest deflated, fixed dates', async () => {
    const date = new Date(Date.UTC(2024, 4, 6, 7, 8, 10));
    const text = 'A line of the story. '.repeat(200);
    const zip = writeZip(
      [constantEntry('mimetype', 'application/epub+zip', true), { name: 'OEBPS/ch1.xhtml', data: Buffer.from(text) }, constantEntry('OEBPS/style.css', 'p { margin: 0 }')],
      date,
    );
    expect(zip.subarray(30, 38).toString()).toBe('mimetype');
    expect(zip.readUInt16LE(8)).toBe(0); // stored
    const read = await JSZip.loadAsync(zip);
    expect(Object.keys(read.files)).toEqual(['mimetype', 'OEBPS/ch1.xhtml', 'OEBPS/style.css']);
    expect(await read.file('mimetype')!.async('string')).toBe('application/epub+zip');
    expect(await read.file('OEBPS/ch1.xhtml')!.async('string')).toBe(text);
    expect(await read.file('OEBPS/style.css')!.async('string')).toBe('p { margin: 0 }');
    expect(read.file('OEBPS/ch1.xhtml')!.date.toISOString()).toBe(date.toISOString());
  });

  it('packs a constant entry once and gives the same bytes as packing it afresh', () => {
    const a = constantEntry('OEBPS/style.css', 'body { color: black }');
    expect(constantEntry('OEBPS/style.css', 'body { color: black }')).toBe(a);
    const fresh = packEntry({ name: 'OEBPS/style.css', data: Buffer.from('body { color: black }') });
    expect(Buffer.from(a.body).equals(Buffer.from(fresh.body))).toBe(true);
    expect(a.crc).toBe(fresh.crc);
    // A changed stylesheet is packed again, not served stale.
    expect(constantEntry('OEBPS/style.css', 'body { color: navy }').size).toBe('body { color: navy }'.length);
  });
});
