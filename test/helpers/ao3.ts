/**
 * AO3's files, made the way otwarchive makes them, from original test
 * stories: the HTML download (downloads/show and its partials) and — through
 * calibre's ebook-convert with DownloadWriter's arguments — the EPUB download.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import JSZip from 'jszip';

export interface Ao3Chapter {
  title?: string;
  summary?: string;
  notes?: string;
  endNotes?: string;
  /** The chapter's text as author HTML. */
  html: string;
}

export interface Ao3Work {
  id: number;
  title: string;
  authors: string[];
  rating: string;
  warnings: string[];
  categories?: string[];
  fandoms: string[];
  relationships?: string[];
  characters?: string[];
  freeforms?: string[];
  language?: string;
  series?: Array<{ name: string; part: number; id: number }>;
  published: string;
  completed?: string;
  words: number;
  summary?: string;
  notes?: string;
  endNotes?: string;
  chapters: Ao3Chapter[];
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const tagLinks = (tags: readonly string[]) => tags.map((t) => `<a href="https://archiveofourown.org/tags/${encodeURIComponent(t)}">${esc(t)}</a>`).join(', ');

/** The HTML download of a work, as downloads/show renders it. */
export function ao3Download(w: Ao3Work): string {
  const url = `https://archiveofourown.org/works/${w.id}`;
  const dt = (one: string, many: string, tags: readonly string[] | undefined) => (tags?.length ? `<dt>${tags.length === 1 ? one : many}:</dt>\n<dd>${tagLinks(tags)}</dd>\n` : '');
  let html = `<!DOCTYPE html>\n<html>\n<head>\n<meta charset="UTF-8">\n<title>${esc(w.title)}</title>\n</head>\n<body>\n<div id="preface">\n<h2 class="toc-heading">Preface</h2>\n`;
  html += `<p class="message">\n<b>${esc(w.title)}</b><br/>\nPosted originally on the <a href="https://archiveofourown.org/">Archive of Our Own</a> at <a href="${url}">${url}</a>.\n</p>\n`;
  html += '<div class="meta">\n<dl class="tags">\n';
  html += dt('Rating', 'Ratings', [w.rating]) + dt('Archive Warning', 'Archive Warnings', w.warnings) + dt('Category', 'Categories', w.categories);
  html += dt('Fandom', 'Fandoms', w.fandoms) + dt('Relationship', 'Relationships', w.relationships) + dt('Character', 'Characters', w.characters) + dt('Additional Tag', 'Additional Tags', w.freeforms);
  html += `<dt>Language:</dt>\n<dd>${esc(w.language ?? 'English')}</dd>\n`;
  if (w.series?.length) html += `<dt>Series:</dt>\n<dd>${w.series.map((s) => `Part ${s.part} of\n<a href="https://archiveofourown.org/series/${s.id}">${esc(s.name)}</a>`).join(', ')}</dd>\n`;
  const total = w.chapters.length;
  html += `<dt>Stats:</dt>\n<dd>\nPublished: ${w.published}\n${w.completed ? `Completed: ${w.completed}\n` : ''}Words: ${w.words.toLocaleString('en-US')}\nChapters: ${total}/${total}\n</dd>\n</dl>\n`;
  html += `<h1>${esc(w.title)}</h1>\n<div class="byline">by ${w.authors.map((a) => `<a rel="author" href="https://archiveofourown.org/users/${a}/pseuds/${a}">${esc(a)}</a>`).join(', ')}</div>\n`;
  if (w.summary) html += `<p>Summary</p>\n<blockquote class="userstuff">${w.summary}</blockquote>\n`;
  if (w.notes || w.endNotes) {
    html += '<p>Notes</p>\n';
    if (w.notes) html += `<blockquote class="userstuff">${w.notes}</blockquote>\n`;
    if (w.endNotes) html += `<div class="endnote-link">\nSee the end of the work for ${w.notes ? 'more ' : ''}<a href="#endnotes">notes</a>\n</div>\n`;
  }
  html += '</div>\n</div>\n<div id="chapters" class="userstuff">\n';
  if (total > 1) {
    w.chapters.forEach((c, i) => {
      html += `<div class="meta group">\n<h2 class="heading">Chapter ${i + 1}${c.title ? `: ${esc(c.title)}` : ''}</h2>\n`;
      if (c.summary) html += `<p>Chapter Summary</p>\n<blockquote class="userstuff">${c.summary}</blockquote>\n`;
      if (c.notes || c.endNotes) {
        html += '<p>Chapter Notes</p>\n';
        if (c.notes) html += `<blockquote class="userstuff">${c.notes}</blockquote>\n`;
        if (c.endNotes) html += `<div class="endnote-link">\nSee the end of the chapter for <a href="#endnotes${i + 1}">${c.notes ? 'more notes' : 'notes'}</a>\n</div>\n`;
      }
      html += `</div>\n\n<!--chapter content-->\n<div class="userstuff">\n${c.html}\n</div>\n<!--/chapter content-->\n`;
      if (c.endNotes) html += `<div class="meta" id="endnotes${i + 1}">\n<p>Chapter End Notes</p>\n<blockquote class="userstuff">${c.endNotes}</blockquote>\n</div>\n`;
    });
  } else html += `<div class="userstuff">\n${w.chapters[0]!.html}\n</div>\n`;
  html += '</div>\n<div id="afterword">\n<h2 class="toc-heading">Afterword</h2>\n';
  if (w.endNotes) html += `<div class="meta">\n<div id="endnotes">\n<p>End Notes</p>\n<blockquote class="userstuff">${w.endNotes}</blockquote>\n</div>\n</div>\n`;
  html += `<p class="message">Please <a href="${url}/comments/new">drop by the Archive and comment</a> to let the creator know if you enjoyed their work!</p>\n</div>\n</body>\n</html>\n`;
  return html;
}

/** Whether calibre's ebook-convert is on this machine. */
export function hasCalibre(): boolean {
  return spawnSync('ebook-convert', ['--version'], { encoding: 'utf8' }).status === 0;
}

/**
 * The EPUB download of a work, made as otwarchive's DownloadWriter makes it:
 * the HTML download zipped, then `ebook-convert` with AO3's arguments.
 */
export async function ao3Epub(w: Ao3Work, out: string): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'quire-ao3-'));
  const name = w.title.replace(/[^\w]+/g, '_');
  const zip = new JSZip();
  zip.file(`${name}/${name}.html`, ao3Download(w));
  const zipPath = join(dir, `${name}.zip`);
  writeFileSync(zipPath, await zip.generateAsync({ type: 'uint8array' }));
  const tags = ['Fanworks', w.rating, ...w.warnings, ...(w.categories ?? []), ...w.fandoms, ...(w.relationships ?? []), ...(w.characters ?? []), ...(w.freeforms ?? [])].join(', ');
  const series = w.series?.length ? ['--series', w.series[0]!.name, '--series-index', String(w.series[0]!.part)] : [];
  const r = spawnSync(
    'ebook-convert',
    [
      zipPath,
      out,
      '--input-encoding', 'utf-8',
      '--toc-threshold', '0',
      '--use-auto-toc',
      '--title', w.title,
      '--title-sort', w.title,
      '--authors', w.authors.join(', '),
      '--author-sort', w.authors.join(', '),
      '--comments', w.summary ?? '',
      '--tags', tags,
      '--pubdate', w.completed ?? w.published,
      '--publisher', 'Archive of Our Own',
      '--language', 'en',
      '--chapter',
      "//h:body/h:div[@id='chapters']/h:h2[@class='toc-heading'] | //h:body/h:div[@id='chapters']/h:div[@class='meta group']/h:h2[@class='heading'] | //h:body/h:div[@id='preface' or @id='afterword']/h:h2[@class='toc-heading']",
      ...series,
      '--no-default-epub-cover',
    ],
    { encoding: 'utf8', env: { ...process.env, QTWEBENGINE_DISABLE_SANDBOX: '1', QT_QPA_PLATFORM: 'offscreen' }, timeout: 600_000 },
  );
  if (r.status !== 0) throw new Error(`ebook-convert failed: ${r.stderr || r.stdout}`);
  readFileSync(out); // it is there
}
