import { posix } from 'node:path';
import type { Document, Element } from 'domhandler';
import type JSZipType from 'jszip';
import { lazy } from '../lazy.js';
import { htmlparser2 } from '../read/html-blocks.js';
import { find, findAll, text } from '../read/html-dom.js';

const JSZip = lazy<typeof JSZipType>('jszip');

/**
 * An EPUB opened for checking: its files, its package document read into
 * plain fields (metadata, manifest, spine), and the text of its content
 * documents. Lenient: a broken part is left empty and the rules report it,
 * nothing here throws on a readable zip.
 */
export interface EpubPackage {
  /** Every entry's name and size (uncompressed), in archive order. */
  files: Array<{ name: string; size: number }>;
  /** Size of the archive itself. */
  bytes: number;
  opfPath?: string;
  metadata: {
    languages: string[];
    creators: string[];
    subjects: string[];
    /** `<meta property=… >text</meta>` (EPUB 3) and `<meta name=… content=…/>` (EPUB 2), by property or name. */
    meta: Map<string, string[]>;
  };
  manifest: Array<{ id: string; href: string; path: string; type: string; properties: string[] }>;
  /** Manifest ids of the spine's items, in reading order. */
  spine: string[];
  /** Content documents (XHTML/HTML in the manifest), path → text. */
  content: Map<string, string>;
  /** The NCX's text, when the book has one. */
  ncx?: { path: string; text: string };
  /** The raw text of other files a rule may ask for (container, Apple's display options). */
  extra: Map<string, string>;
}

const parseXml = (s: string): Document => htmlparser2().parseDocument(s, { xmlMode: true, decodeEntities: true });
const local = (el: Element) => el.name.replace(/^.*:/, '').toLowerCase();

/** Open EPUB bytes for checking; throws only when they are no zip at all. */
export async function openEpub(bytes: Uint8Array): Promise<EpubPackage> {
  const zip = await JSZip().loadAsync(bytes);
  const files = Object.values(zip.files)
    .filter((f) => !f.dir)
    .map((f) => ({ name: f.name, size: (f as unknown as { _data?: { uncompressedSize?: number } })._data?.uncompressedSize ?? 0 }));
  const read = async (name: string) => (zip.file(name) ? zip.file(name)!.async('string') : undefined);
  const pkg: EpubPackage = {
    files,
    bytes: bytes.byteLength,
    metadata: { languages: [], creators: [], subjects: [], meta: new Map() },
    manifest: [],
    spine: [],
    content: new Map(),
    extra: new Map(),
  };
  for (const name of ['META-INF/container.xml', 'META-INF/com.apple.ibooks.display-options.xml']) {
    const t = await read(name);
    if (t !== undefined) pkg.extra.set(name, t);
  }
  const container = pkg.extra.get('META-INF/container.xml');
  const rootfile = container ? find(parseXml(container).children, (el) => local(el) === 'rootfile') : undefined;
  const opfPath = rootfile?.attribs['full-path'];
  const opfText = opfPath ? await read(opfPath) : undefined;
  if (!opfPath || opfText === undefined) return pkg;
  pkg.opfPath = opfPath;
  const opf = parseXml(opfText).children;
  const base = posix.dirname(opfPath);
  const m = pkg.metadata;
  for (const el of findAll(opf, (e) => /^dc:(language|creator|subject)$/i.test(e.name))) {
    const value = text(el);
    const l = local(el);
    if (l === 'language') m.languages.push(value);
    else if (l === 'creator') m.creators.push(value);
    else m.subjects.push(value);
  }
  for (const el of findAll(opf, (e) => local(e) === 'meta')) {
    const key = el.attribs.property ?? el.attribs.name;
    if (!key) continue;
    const value = el.attribs.property ? text(el) : el.attribs.content ?? '';
    m.meta.set(key, [...(m.meta.get(key) ?? []), value]);
  }
  for (const el of findAll(opf, (e) => local(e) === 'item')) {
    const href = el.attribs.href ?? '';
    pkg.manifest.push({
      id: el.attribs.id ?? '',
      href,
      path: posix.normalize(posix.join(base, decodeURIComponent(href.split('#')[0]!))),
      type: el.attribs['media-type'] ?? '',
      properties: (el.attribs.properties ?? '').split(/\s+/).filter(Boolean),
    });
  }
  for (const el of findAll(opf, (e) => local(e) === 'itemref')) pkg.spine.push(el.attribs.idref ?? '');
  for (const item of pkg.manifest) {
    if (/html/.test(item.type) || /\.x?html?$/i.test(item.path)) {
      const t = await read(item.path);
      if (t !== undefined) pkg.content.set(item.path, t);
    } else if (item.type === 'application/x-dtbncx+xml') {
      const t = await read(item.path);
      if (t !== undefined) pkg.ncx = { path: item.path, text: t };
    }
  }
  return pkg;
}
