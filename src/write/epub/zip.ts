import * as zlib from 'node:zlib';

/**
 * A minimal ZIP writer for EPUB containers, on Node's native zlib: entries in
 * the order given, `mimetype` stored, the rest deflated, every entry dated
 * `date` (UTC) so the bytes are reproducible. No directories, no extras.
 */
export interface ZipEntry {
  /** ASCII path inside the archive. */
  name: string;
  data: Uint8Array;
  /** Store without compression (the EPUB `mimetype` must be). */
  store?: boolean;
}

/** An entry with its body already compressed and checksummed, ready to be written into any number of archives. */
export interface PackedEntry {
  name: Buffer;
  method: 0 | 8;
  crc: number;
  /** Uncompressed size. */
  size: number;
  body: Uint8Array;
}

/** zlib's deflate level for every deflated entry. */
export const DEFLATE_LEVEL = 6;

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

/** CRC-32 in JavaScript, for a Node 20 older than 20.15 (which has no `zlib.crc32`). */
function crc32Js(data: Uint8Array): number {
  let c = 0xffffffff;
  for (let i = 0; i < data.length; i++) c = CRC_TABLE[(c ^ data[i]!) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

const nativeCrc32 = (zlib as { crc32?: (data: Uint8Array) => number }).crc32;

/** The CRC-32 a zip entry records: zlib's own (native, about 10× the JavaScript loop) where Node has it. */
export const crc32: (data: Uint8Array) => number = nativeCrc32 ? (data) => nativeCrc32(data) >>> 0 : crc32Js;

/** Compress and checksum one entry. */
export function packEntry(e: ZipEntry): PackedEntry {
  return {
    name: Buffer.from(e.name, 'utf8'),
    method: e.store ? 0 : 8,
    crc: crc32(e.data),
    size: e.data.length,
    body: e.store ? e.data : zlib.deflateRawSync(e.data, { level: DEFLATE_LEVEL }),
  };
}

const constants = new Map<string, { data: string; packed: PackedEntry }>();

/**
 * An entry whose text is the same in every book of a run (the `mimetype`,
 * `container.xml`, the stylesheet): compressed once per process and reused;
 * compressed again only if its text changes.
 */
export function constantEntry(name: string, data: string, store = false): PackedEntry {
  const hit = constants.get(name);
  if (hit && hit.data === data) return hit.packed;
  const packed = packEntry({ name, data: Buffer.from(data, 'utf8'), store });
  constants.set(name, { data, packed });
  return packed;
}

function dos(date: Date): { time: number; day: number } {
  const y = Math.max(1980, date.getUTCFullYear());
  return {
    time: (date.getUTCHours() << 11) | (date.getUTCMinutes() << 5) | Math.floor(date.getUTCSeconds() / 2),
    day: ((y - 1980) << 9) | ((date.getUTCMonth() + 1) << 5) | date.getUTCDate(),
  };
}

/** Entries (plain or already packed) → the bytes of one zip archive. */
export function writeZip(entries: ReadonlyArray<ZipEntry | PackedEntry>, date: Date): Buffer {
  const { time, day } = dos(date);
  const packed = entries.map((e) => ('method' in e ? e : packEntry(e)));
  let localSize = 0;
  let centralSize = 0;
  for (const e of packed) {
    localSize += 30 + e.name.length + e.body.length;
    centralSize += 46 + e.name.length;
  }
  // One buffer for the whole archive: headers are written in place, bodies copied once.
  const out = Buffer.alloc(localSize + centralSize + 22);
  let at = 0;
  let cd = localSize;
  for (const e of packed) {
    const offset = at;
    out.writeUInt32LE(0x04034b50, at);
    out.writeUInt16LE(20, at + 4);
    out.writeUInt16LE(0, at + 6);
    out.writeUInt16LE(e.method, at + 8);
    out.writeUInt16LE(time, at + 10);
    out.writeUInt16LE(day, at + 12);
    out.writeUInt32LE(e.crc, at + 14);
    out.writeUInt32LE(e.body.length, at + 18);
    out.writeUInt32LE(e.size, at + 22);
    out.writeUInt16LE(e.name.length, at + 26);
    out.writeUInt16LE(0, at + 28);
    e.name.copy(out, at + 30);
    out.set(e.body, at + 30 + e.name.length);
    at += 30 + e.name.length + e.body.length;

    out.writeUInt32LE(0x02014b50, cd);
    out.writeUInt16LE(0x0314, cd + 4); // made by: UNIX, zip 2.0
    out.writeUInt16LE(20, cd + 6);
    out.writeUInt16LE(0, cd + 8);
    out.writeUInt16LE(e.method, cd + 10);
    out.writeUInt16LE(time, cd + 12);
    out.writeUInt16LE(day, cd + 14);
    out.writeUInt32LE(e.crc, cd + 16);
    out.writeUInt32LE(e.body.length, cd + 20);
    out.writeUInt32LE(e.size, cd + 24);
    out.writeUInt16LE(e.name.length, cd + 28);
    // extra, comment, disk number, internal attributes: 0 (Buffer.alloc zeroed them)
    out.writeUInt32LE((0o100644 << 16) >>> 0, cd + 38);
    out.writeUInt32LE(offset, cd + 42);
    e.name.copy(out, cd + 46);
    cd += 46 + e.name.length;
  }
  out.writeUInt32LE(0x06054b50, cd);
  out.writeUInt16LE(packed.length, cd + 8);
  out.writeUInt16LE(packed.length, cd + 10);
  out.writeUInt32LE(centralSize, cd + 12);
  out.writeUInt32LE(localSize, cd + 16);
  return out;
}
