import { createHash } from 'node:crypto';
import type { Metadata } from '../model/types.js';

/** Namespace for Quire's name-based (v5) UUIDs. */
const NAMESPACE = 'quire-book-identity-v1';

/**
 * A stable `urn:uuid:` from what identifies a book (see BookPlan.identity: a
 * work's source URL, else its title and authors; a series' name), so that
 * fixing a typo and rebuilding keeps the same book in a reader's library.
 */
export function bookIdentifier(identity: string): string {
  return `urn:uuid:${uuidV5(identity)}`;
}

/** Name-based UUID (RFC 4122 version 5 layout over SHA-1). */
export function uuidV5(name: string): string {
  const h = createHash('sha1').update(NAMESPACE).update('\u0000').update(name).digest();
  h[6] = (h[6]! & 0x0f) | 0x50;
  h[8] = (h[8]! & 0x3f) | 0x80;
  const hex = h.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

/** Used when neither SOURCE_DATE_EPOCH nor the work gives a date: fixed, so builds stay reproducible. */
const FALLBACK_DATE = new Date('2000-01-01T00:00:00Z');

/**
 * The build's timestamp: `SOURCE_DATE_EPOCH` (seconds) when set, else the
 * work's updated or published date, else a fixed date. Never the clock.
 */
export function buildTimestamp(metadata: Metadata, sourceDateEpoch?: number): Date {
  if (sourceDateEpoch !== undefined && Number.isFinite(sourceDateEpoch)) return new Date(sourceDateEpoch * 1000);
  const d = metadata.updated ?? metadata.published;
  return d ? new Date(`${d}T00:00:00Z`) : FALLBACK_DATE;
}

/** `2021-03-04T00:00:00Z` — the form `dcterms:modified` requires. */
export function isoSeconds(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}
