import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type SharpType from 'sharp';
import { lazy } from '../../lazy.js';
import { authorList, type BookPlan } from '../plan.js';
import type { CoverFonts } from './render.js';
import { coverText } from './text.js';

const sharp = lazy<typeof SharpType>('sharp');

/** A book's cover, ready for any writer: JPEG bytes and what the picture shows, in words. */
export interface BookCover {
  jpeg: Uint8Array;
  /** The image's alternative text. */
  alt: string;
  /** Quire drew it (its text is the book's title, series and authors), rather than the user giving a picture. */
  generated: boolean;
}

/** The alternative text of a cover: the words on it (a generated cover is only its text). */
function altText(plan: BookPlan, generated: boolean): string {
  const m = plan.metadata;
  const t = coverText(plan);
  const by = m.authors.length ? `, by ${authorList(m.authors)}` : '';
  return `Cover of ${m.title}${by}${generated && t.series ? ` (${t.series})` : ''}`;
}

/** Covers made in this process, by what they were made from: the EPUB, kepub and PDF of a book share one. */
const made = new Map<string, Promise<Uint8Array>>();
const MAX_MADE = 16;

function remember(key: string, make: () => Promise<Uint8Array>): Promise<Uint8Array> {
  let hit = made.get(key);
  if (!hit) {
    hit = make();
    if (made.size >= MAX_MADE) made.delete(made.keys().next().value!);
    made.set(key, hit);
    // A failure is not kept: the next book tries again.
    hit.catch(() => made.delete(key));
  }
  return hit;
}

/**
 * The book's cover as a JPEG (Kindle and Apple Books show no PNG covers in
 * their libraries): the picture the user gave — a PNG re-encoded as JPEG on
 * white — or, without one, the generated typographic cover (see
 * render.ts), drawn in the PDF theme's fonts — or `drawn`, the same cover
 * drawn by an earlier build. Deterministic.
 */
export async function bookCover(plan: BookPlan, fonts: CoverFonts, drawn?: Uint8Array): Promise<BookCover> {
  if (plan.cover) {
    const file = plan.cover;
    const bytes = readFileSync(file);
    const isJpeg = bytes[0] === 0xff && bytes[1] === 0xd8;
    const key = `file\u0000${createHash('sha256').update(bytes).digest('hex')}`;
    const jpeg = isJpeg
      ? new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength)
      : await remember(key, async () => {
          const out = await sharp()(bytes).flatten({ background: '#ffffff' }).jpeg({ quality: 92, chromaSubsampling: '4:4:4' }).toBuffer();
          return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
        });
    return { jpeg, alt: altText(plan, false), generated: false };
  }
  // Drawn before (kept by the build between runs): the same bytes drawing would give.
  if (drawn) return { jpeg: drawn, alt: altText(plan, true), generated: true };
  const text = coverText(plan);
  const key = `drawn\u0000${JSON.stringify(text)}\u0000${JSON.stringify(fonts)}`;
  const jpeg = await remember(key, async () => (await import('./render.js')).renderCover(text, fonts));
  return { jpeg, alt: altText(plan, true), generated: true };
}
