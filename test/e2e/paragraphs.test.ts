/**
 * Paragraph recovery end to end through the real CLI: flat AO3 scrapes of
 * original text (test/paragraphs/) built as EPUBs, their paragraphs read back
 * from the book. Speech in capitals is paragraphed like its mixed-case form;
 * the fan-fiction conventions (straight quotes, speech introduced by a comma,
 * a beat kept with its speaker's speech, sound effects, `*thoughts*`, chat
 * lines) hold; flattened work and chapter notes get the same recovery.
 */
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { firstMissing, unzipText, words } from '../helpers/epub.js';
import { epubcheckAll, quire } from '../helpers/tools.js';

const SLOW = 600_000;
const out = mkdtempSync(join(tmpdir(), 'quire-paragraphs-'));
const books = new Map<string, Map<string, string>>();

/** The `<p>` elements of one page of a book, as their inner XHTML. */
function paragraphs(book: string, page: string): string[] {
  const xhtml = books.get(book)?.get(`OEBPS/${page}.xhtml`);
  if (xhtml === undefined) throw new Error(`${book}: no ${page}.xhtml`);
  return [...xhtml.matchAll(/<p(?: [^>]*)?>([\s\S]*?)<\/p>/g)].map((m) => m[1]!);
}
const plain = (p: string) => p.replace(/<[^>]+>/g, '');

let result: ReturnType<typeof quire>;
beforeAll(async () => {
  result = quire(['build', 'test/paragraphs', '-o', out, '-f', 'epub']);
  for (const f of readdirSync(out).filter((f) => f.endsWith('.epub'))) books.set(f.replace(/\.epub$/, ''), await unzipText(join(out, f)));
});

describe('paragraph recovery through the CLI (test/paragraphs)', () => {
  it('builds every scrape, keeps every word, and every EPUB passes epubcheck', async () => {
    expect(result.code, result.stderr).toBe(0);
    expect([...books.keys()].sort()).toEqual(['the-gate', 'the-gate-shouted', 'the-long-way-up', 'two-nights-of-fog']);
    const checks = await epubcheckAll([...books.keys()].map((b) => join(out, `${b}.epub`)));
    for (const c of checks) expect({ errors: c.errors, warnings: c.warnings, fatals: c.fatals }, c.output).toEqual({ errors: 0, warnings: 0, fatals: 0 });
    const source = readFileSync('test/paragraphs/stairwell.txt', 'utf8').replace(/\b(?:Summary|Notes|Work Text):|\(See the end of the work for more notes\.\)/g, ' ');
    // The title page's summary (after its label), the notes, the chapter, the end notes: in the scrape's order.
    const book = ['title', 'notes', 'ch1', 'endnotes'].flatMap((p) => paragraphs('the-long-way-up', p).map(plain)).join(' ');
    expect(firstMissing(words(source), words(book.replace(/^.*?Summary/, '')))).toBe(-1);
  }, SLOW);

  it('paragraphs speech in capitals like its mixed-case form: `“WHERE ARE YOU GOING?” SHE SHOUTED.` is one paragraph', () => {
    const shouted = paragraphs('the-gate-shouted', 'ch1');
    const quiet = paragraphs('the-gate', 'ch1');
    expect(shouted.map((p) => p.toLowerCase())).toEqual(quiet.map((p) => p.toLowerCase()));
    expect(shouted.length).toBeGreaterThan(3);
    expect(shouted.some((p) => p.includes('“WHERE ARE YOU GOING?” SHE SHOUTED.'))).toBe(true);
    expect(shouted.some((p) => p.includes('“OUT WHERE?” MAMAN CALLED AFTER HER.'))).toBe(true);
    expect(shouted.some((p) => /^(?:SHE SHOUTED|MAMAN CALLED|BENOIT YELLED)/.test(p))).toBe(false);
  });

  describe('fan-fiction conventions', () => {
    const story = () => paragraphs('the-long-way-up', 'ch1');

    it('reads straight quotes as speech (and sets them curly)', () => {
      expect(story().join('\n')).not.toContain('"');
      expect(story()).toContain('“Nine floors with a keyboard,” Priya said. “Nine floors with a keyboard that you said was light.”');
    });

    it('sets speech introduced by a comma apart, in one piece with its lead-in', () => {
      expect(story()).toContain('Kyle shrugged, “It’s only nine floors.”');
    });

    it('keeps a beat with its speaker’s speech', () => {
      expect(story()).toContain('Priya rolled her eyes at the ceiling. “You are impossible,” Priya said.');
    });

    it('gives a sound effect in asterisks its own paragraph', () => {
      expect(story()).toContain('<em>BANG</em>');
    });

    it('keeps a beat and the speech its subject speaks in one paragraph', () => {
      expect(story()).toContain('Kyle set his end of the box on the step and wiped his face with his sleeve. “It was light,” Kyle said. “On the first floor.”');
    });

    it('keeps a *thought* with its tag, in italics', () => {
      expect(story()).toContain('<em>Not the caretaker,</em> Priya thought.');
    });

    it('sets chat and text-message lines apart', () => {
      const p = story();
      expect(p.some((x) => x.startsWith('Priya: yes, third floor.'))).toBe(true);
      expect(p.some((x) => x.startsWith('Juno: stay there'))).toBe(true);
    });
  });

  describe('notes are text too', () => {
    it('recovers the paragraphs of flattened work notes', () => {
      const notes = paragraphs('the-long-way-up', 'notes');
      expect(notes.length).toBeGreaterThan(1);
      expect(notes[0]).toMatch(/^For the winter swap/);
    });

    it('recovers the paragraphs of flattened chapter notes, at the start and the end of a chapter', () => {
      const page = books.get('two-nights-of-fog')!.get('OEBPS/ch1.xhtml')!;
      const notes = (cls: string) => {
        const block = new RegExp(`<div class="${cls}" role="note">([\\s\\S]*?)</div>`).exec(page)?.[1] ?? '';
        return [...block.matchAll(/<p>([\s\S]*?)<\/p>/g)].map((m) => m[1]!);
      };
      const before = notes('chapter-notes');
      const after = notes('chapter-notes chapter-end-notes');
      expect(before.length).toBeGreaterThan(1);
      expect(after.length).toBeGreaterThan(1);
      expect(before.join(' ')).toBe('Hello again! This is the sequel nobody asked for, lol. “Do I need to read part one?” Not really, but it helps. Thanks to Wren for reading it first.');
      expect(after.join(' ')).toBe('Short chapter, I know, I’m sorry! The next one’s longer. “When is it coming?” Sunday, if the week behaves.');
    });

    it('recovers the paragraphs of flattened end notes', () => {
      const notes = paragraphs('the-long-way-up', 'endnotes');
      expect(notes.length).toBeGreaterThan(1);
      expect(notes.join(' ')).toContain('I only own the writing.');
    });
  });
});
