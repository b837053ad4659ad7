/**
 * The EPUB's pages as a reader meets them, built by the real CLI: the title
 * page's metadata run in (a label never parted from its values), scene
 * breaks whose ornament is text with an accessible name (not CSS generated
 * content), letters set apart — and a publication date that calibre reads
 * as the day the story gives, in any time zone.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { readAll } from '../../src/compile.js';
import { hasCalibre } from '../helpers/ao3.js';
import { unzipText } from '../helpers/epub.js';
import { epubcheckAll, quire } from '../helpers/tools.js';

const tmp = (name: string) => mkdtempSync(join(tmpdir(), `quire-${name}-`));

const STORY = `---
title: The Lamp Room
author: Odile Marchbank
rating: Teen And Up Audiences
warnings: [No Archive Warnings Apply]
fandom: Original Work
relationships: [Agathe Strand/Mara Quell]
characters: [Agathe Strand, Mara Quell, Admiral Sir Percival Bunting]
tags: [Lighthouses, Epistolary, Found Family, Cats, Slow Burn, Weather]
published: 2023-11-01
updated: 2024-02-29
summary: A keeper, a cartographer and a cat, and a letter eleven years late.
---

# Chapter 1: The Steps

The boat put her ashore at the foot of the cliff steps.

* * *

The first letter began:

Dear Sirs,\\
I write again regarding the lamp,\\
which is lit.\\
Yours faithfully,\\
A. Strand, Keeper

Mara read it twice.

# Chapter 2: The Lamp

The lamp went round, and somebody on the water saw it.
`;

describe('EPUB pages', () => {
  const works = tmp('epub-pages-works');
  const out = tmp('epub-pages-out');
  let files: Map<string, string>;
  let epub: string;

  beforeAll(async () => {
    writeFileSync(join(works, 'lamp-room.md'), STORY);
    const r = quire(['build', works, '-o', out, '-f', 'epub']);
    expect(r.code, r.stderr).toBe(0);
    epub = join(out, 'the-lamp-room.epub');
    files = await unzipText(epub);
  }, 120_000);

  it('sets the title page metadata run in: each label with its values in one unbreakable group', () => {
    const title = files.get('OEBPS/title.xhtml')!;
    const dl = /<dl class="meta">\n([\s\S]*?)<\/dl>/.exec(title)![1]!;
    const rows = dl.trim().split('\n');
    expect(rows.map((r) => /<dt>([^<]*)<\/dt>/.exec(r)?.[1])).toEqual(['Rating:', 'Archive Warning:', 'Fandom:', 'Relationship:', 'Characters:', 'Additional Tags:', 'Language:', 'Stats:']);
    for (const row of rows) expect(row).toMatch(/^<div><dt>[^<]+<\/dt> <dd>[^<]+<\/dd><\/div>$/);
    const css = files.get('OEBPS/style.css')!;
    expect(css).toMatch(/dl\.meta dt \{[^}]*display: inline;/);
    expect(css).toMatch(/dl\.meta dd \{[^}]*display: inline;[^}]*margin: 0;/);
    expect(css).toMatch(/dl\.meta > div \{[^}]*page-break-inside: avoid;[^}]*break-inside: avoid;/);
  });

  it('draws the scene-break ornament as text, named “Scene break” for assistive technology', () => {
    const ch1 = files.get('OEBPS/ch1.xhtml')!;
    expect(ch1).toContain('<div class="scene-break" role="separator" aria-label="Scene break"><span class="ornament" aria-hidden="true">*\u2003*\u2003*</span></div>');
    expect(ch1).not.toContain('<hr');
    // No ornament made of generated content: a reader that ignores ::before/::after loses nothing.
    expect(files.get('OEBPS/style.css')!).not.toMatch(/::?(?:after|before)/);
  });

  it('sets a letter apart, unindented', () => {
    const ch1 = files.get('OEBPS/ch1.xhtml')!;
    expect(ch1).toMatch(/<p class="lines">Dear Sirs,<br\/>I write again regarding the lamp,<br\/>/);
    expect(files.get('OEBPS/style.css')!).toMatch(/p\.lines \{[^}]*text-indent: 0;[^}]*margin: 1em 0;/);
  });

  it('passes epubcheck, and reads back with its scene break and its tags by kind', async () => {
    const [r] = await epubcheckAll([epub]);
    expect({ errors: r!.errors, warnings: r!.warnings, fatals: r!.fatals }, r!.output).toEqual({ errors: 0, warnings: 0, fatals: 0 });
    const { works: back } = await readAll([epub]);
    const w = back[0]!.work;
    expect(w.chapters[0]!.blocks.map((b) => b.type)).toEqual(['paragraph', 'sceneBreak', 'paragraph', 'paragraph', 'paragraph']);
    expect(w.metadata.tags.filter((t) => t.kind === 'character').map((t) => t.name)).toEqual(['Agathe Strand', 'Mara Quell', 'Admiral Sir Percival Bunting']);
    expect(w.metadata.published).toBe('2023-11-01');
  });

  it('writes the publication day as written, at noon UTC', () => {
    expect(files.get('OEBPS/content.opf')).toContain('<dc:date>2023-11-01T12:00:00Z</dc:date>');
  });

  it.skipIf(!hasCalibre())('is read by calibre as published on the day the story gives, in any time zone', () => {
    // calibre 6 reads a bare `2023-11-01` as 2 November; noon UTC keeps the day east and west of Greenwich.
    for (const tz of ['UTC', 'America/Los_Angeles', 'Asia/Tokyo']) {
      const r = spawnSync('ebook-meta', [epub], { encoding: 'utf8', env: { ...process.env, TZ: tz, QTWEBENGINE_DISABLE_SANDBOX: '1', QT_QPA_PLATFORM: 'offscreen' }, timeout: 120_000 });
      expect(r.status, r.stderr).toBe(0);
      expect(/^Published\s*:\s*(\S+)/m.exec(r.stdout)?.[1], tz).toMatch(/^2023-11-01T/);
    }
    expect(readFileSync(epub).length).toBeGreaterThan(0);
  }, 300_000);
});
