import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makePng } from '../helpers/png.js';
import { blockText } from '../../src/model/text.js';
import type { Block } from '../../src/model/types.js';
import { htmlToBlocks } from '../../src/read/html-blocks.js';
import { readHtml } from '../../src/read/ao3-html.js';

const ctx = () => ({ file: 'story.html', baseDir: tmpdir(), diagnostics: [] as { code: string }[] }) as Parameters<typeof htmlToBlocks>[1];
const blocks = (html: string) => htmlToBlocks(html, ctx());

describe('author HTML → model', () => {
  it('keeps emphasis, strong, underline, strike, links and line breaks', () => {
    expect(blocks('<p><i>a</i> <b>b</b> <u>c</u> <s>d</s> <a href="https://x.org/">e</a><br>f</p>')).toEqual([
      {
        type: 'paragraph',
        children: [
          { type: 'emphasis', children: [{ type: 'text', value: 'a' }] },
          { type: 'text', value: ' ' },
          { type: 'strong', children: [{ type: 'text', value: 'b' }] },
          { type: 'text', value: ' ' },
          { type: 'underline', children: [{ type: 'text', value: 'c' }] },
          { type: 'text', value: ' ' },
          { type: 'strike', children: [{ type: 'text', value: 'd' }] },
          { type: 'text', value: ' ' },
          { type: 'link', url: 'https://x.org/', children: [{ type: 'text', value: 'e' }] },
          { type: 'lineBreak' },
          { type: 'text', value: 'f' },
        ],
      },
    ]);
  });

  it('repairs invalid nesting: <em><p>, text straight in <ul>, <li> outside a list', () => {
    expect(blocks('<em><p>one</p><p>two</p></em>')).toEqual([
      { type: 'paragraph', children: [{ type: 'emphasis', children: [{ type: 'text', value: 'one' }] }] },
      { type: 'paragraph', children: [{ type: 'emphasis', children: [{ type: 'text', value: 'two' }] }] },
    ]);
    const list = blocks('<ul>loose<li>item</li></ul>')[0] as Extract<Block, { type: 'list' }>;
    expect(list.items.map((i) => blockText(i))).toEqual(['loose', 'item']);
    expect(blocks('<li>orphan</li>')[0]!.type).toBe('list');
  });

  it('removes scripts, handlers, dangerous URLs, frames, objects, forms and styles', () => {
    const out = JSON.stringify(
      blocks(
        '<p onclick="x()" style="background:url(https://t.example/)">ok <a href="javascript:alert(1)">js</a> <a href="data:text/html,x">data</a> <a href="file:///etc/passwd">file</a></p>' +
          '<script>alert(1)</script><iframe src="https://t.example/">if</iframe><object>ob</object><embed src="x"><form><input value="pw"></form>' +
          '<svg onload="alert(1)"><script>alert(2)</script></svg><style>*{}</style><link rel="stylesheet" href="https://t.example/x.css">',
      ),
    );
    for (const bad of ['alert', 'javascript', 'onclick', 'https://t.example', 'data:', 'file:', 'if', 'ob', 'pw', 'url(']) expect(out).not.toContain(bad);
    expect(out).toContain('ok js data file');
  });

  it('keeps centred and right-aligned text, scene breaks, headings and simple tables', () => {
    const b = blocks('<p align="center">c</p><p style="text-align:right">r</p><hr><h3>h</h3><table><tr><th>A</th></tr><tr><td><p>1</p></td></tr></table>');
    expect(b.map((x) => x.type)).toEqual(['paragraph', 'paragraph', 'sceneBreak', 'heading', 'table']);
    expect(b[0]).toMatchObject({ align: 'center' });
    expect(b[1]).toMatchObject({ align: 'right' });
  });

  it('keeps local images, drops remote, data: and broken ones with a warning', () => {
    const dir = mkdtempSync(join(tmpdir(), 'quire-img-'));
    writeFileSync(join(dir, 'map.png'), makePng(4, 3));
    // Only a PNG's signature: not an image a book can hold.
    writeFileSync(join(dir, 'fake.png'), Buffer.from('89504e470d0a1a0a', 'hex'));
    const c = { ...ctx(), baseDir: dir };
    const b = htmlToBlocks('<p><img src="map.png" alt="A map"><img src="https://t.example/x.png"><img src="data:image/png;base64,AA"><img src="fake.png"></p>', c);
    expect(b).toEqual([{ type: 'image', src: join(dir, 'map.png'), alt: 'A map' }]);
    expect(c.diagnostics.map((d) => d.code)).toEqual(['html/remote-image', 'html/data-image', 'html/broken-image']);
  });

  it('survives very deep nesting without recursion', () => {
    const deep = '<div><em>'.repeat(10000) + 'bottom' + '</em></div>'.repeat(10000);
    expect(blockText(blocks(deep))).toBe('bottom');
  });
});

describe('AO3 download reader', () => {
  it('reads a single-chapter download and plain HTML', () => {
    const ao3 = readHtml(
      '<div id="preface"><div class="meta"><dl class="tags"><dt>Fandom:</dt><dd><a>F</a></dd></dl><h1>T</h1><div class="byline">by <a rel="author">W</a></div></div></div><div id="chapters" class="userstuff"><div class="userstuff"><p>Body.</p></div></div>',
      'a.html',
      tmpdir(),
    );
    expect([ao3.titleHint, ao3.authors, ao3.meta.tags, ao3.chapters.length, blockText(ao3.chapters[0]!.blocks)]).toEqual(['T', ['W'], [{ kind: 'fandom', name: 'F' }], 1, 'Body.']);
    const plain = readHtml('<html><head><title>Page</title></head><body><h1>Story</h1><p>Text.</p></body></html>', 'b.html', tmpdir());
    expect([plain.titleHint, blockText(plain.chapters[0]!.blocks)]).toEqual(['Story', 'Text.']);
  });
});
