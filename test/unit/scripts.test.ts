import { describe, expect, it } from 'vitest';
import { renderInlines } from '../../src/write/epub/xhtml.js';
import { isRtlLanguage } from '../../src/write/language.js';
import { embeddingLevels, mirrored, paragraphRtl, visualOrder } from '../../src/write/pdf/bidi.js';
import { breakOpportunities } from '../../src/write/pdf/breaks.js';
import { clusterScript, languageMatches } from '../../src/write/pdf/script.js';

/** The text cut at its break opportunities. */
const pieces = (text: string) => {
  let at = 0;
  return breakOpportunities(text).map(({ pos }) => {
    const s = text.slice(at, pos);
    at = pos;
    return s;
  });
};

describe('line break opportunities', () => {
  it('breaks CJK between characters but keeps closing punctuation off the line start (kinsoku)', () => {
    const p = pieces('我们走吧。“你好，”他说。');
    expect(p.some((s) => /^[。，”]/.test(s))).toBe(false);
    expect(p).toContain('我');
    expect(p.join('')).toBe('我们走吧。“你好，”他说。');
  });

  it('keeps small kana and the prolonged sound mark with what precedes them', () => {
    const p = pieces('ちょっとコーヒーを');
    for (const s of p) expect(s).not.toMatch(/^[ょっー]/);
  });

  it('breaks Thai between dictionary words', () => {
    expect(pieces('ฉันกินข้าว')).toEqual(['ฉัน', 'กิน', 'ข้าว']);
  });

  it('breaks Latin after spaces and hyphens, never inside an emoji sequence', () => {
    // After a compound's own hyphen (drawn as U+2010 at a line's end, which text extraction keeps),
    // when both sides keep two letters: never `e-|mail` or `X-|ray`.
    expect(pieces('a well-known word')).toEqual(['a ', 'well-', 'known ', 'word']);
    expect(pieces('an e-mail and an X-ray')).toEqual(['an ', 'e-mail ', 'and ', 'an ', 'X-ray']);
    const family = '👨‍👩‍👧';
    expect(pieces(`go${family}go`).some((s) => s.includes('\u200d') && s.length < family.length)).toBe(false);
  });
});

describe('bidi', () => {
  it('resolves levels and reorders a line right to left', () => {
    const levels = embeddingLevels('שלום world', true)!;
    expect(levels[0]).toBe(1);
    expect(levels[6]).toBe(2);
    const order = visualOrder([
      { level: 1, t: 'a' },
      { level: 1, t: 'b' },
      { level: 2, t: 'c' },
      { level: 2, t: 'd' },
    ]).map((x) => x.t);
    expect(order).toEqual(['c', 'd', 'b', 'a']);
  });

  it('takes the paragraph direction from the work unless the text has none of it', () => {
    expect(paragraphRtl('Hello', true)).toBe(false);
    expect(paragraphRtl('שלום Harry', true)).toBe(true);
    expect(paragraphRtl('שלום', false)).toBe(true);
    expect(paragraphRtl('Harry said שלום', false)).toBe(false);
  });

  it('mirrors brackets', () => {
    expect(mirrored('(a) «b»')).toBe(')a( »b«');
  });

  it('knows right-to-left languages', () => {
    expect(['ar', 'he', 'fa-IR', 'ur', 'yi', 'az-Arab'].every(isRtlLanguage)).toBe(true);
    expect(['en', 'zh-Hant', 'hi', 'ku-Latn'].some(isRtlLanguage)).toBe(false);
  });
});

describe('scripts and languages', () => {
  it('finds the script of a cluster, emoji and neutral characters apart', () => {
    expect(clusterScript('漢')).toBe('Han');
    expect(clusterScript('ש')).toBe('Hebrew');
    expect(clusterScript('👍🏽')).toBe('Emoji');
    expect(clusterScript('1️⃣')).toBe('Emoji');
    expect(clusterScript('❤')).toBe(null);
    expect(clusterScript('。')).toBe(null);
  });

  it('matches language tags by their subtags', () => {
    expect(languageMatches('zh-Hant-TW', 'zh-Hant')).toBe(true);
    expect(languageMatches('zh-TW', 'zh-TW')).toBe(true);
    expect(languageMatches('zh-CN', 'zh-Hant')).toBe(false);
    expect(languageMatches('ja', 'zh')).toBe(false);
  });
});

describe('language spans in the EPUB', () => {
  it('writes lang, xml:lang and dir on a span the source marked', () => {
    expect(renderInlines([{ type: 'span', lang: 'he', dir: 'rtl', children: [{ type: 'text', value: 'שלום' }] }])).toBe(
      '<span lang="he" xml:lang="he" dir="rtl">שלום</span>',
    );
  });
});
