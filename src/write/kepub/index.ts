/**
 * Kobo's EPUB (`NAME.kepub.epub`): Quire's EPUB with each content document
 * rewritten the way Kobo's own books are, which is what kepubify (the tool
 * Kobo users run on sideloaded books) does, so that Kobo's reader uses its
 * better engine, with highlights, bookmarks and reading statistics:
 *
 *   - every sentence of the body's text in `<span class="koboSpan"
 *     id="kobo.P.S">` (P counts the paragraphs, headings, lists and tables;
 *     S the sentences in each), every image in a span of its own;
 *   - the body's content inside `div#book-columns > div#book-inner`, the
 *     elements Kobo sets its pagination on;
 *   - the `kobostylehacks` style those wrappers need.
 *
 * The package (the cover already `properties="cover-image"`, the series in
 * both calibre's and EPUB 3's metadata, which Kobo reads for kepubs) is the
 * EPUB's. Works on Quire's own well-formed XHTML: tags and text alternate,
 * text is escaped, so the rewrite is a pass over the tokens.
 */

/** The style Kobo's books carry for the wrappers (kepubify's trimmed form of it). */
const KOBO_STYLE = '<style type="text/css" class="kobostylehacks">div#book-inner { margin-top: 0; margin-bottom: 0; }</style>';

/** Elements whose text stays as it is (kepubify's list). */
const VERBATIM = new Set(['script', 'style', 'pre', 'audio', 'video', 'svg', 'math']);

/** Elements that open a new Kobo paragraph (counted when their first span is made). */
const PARAGRAPHS = new Set(['p', 'ol', 'ul', 'table', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6']);

const isSpace = (s: string) => !/[^\s]/.test(s);

/**
 * Split text into Kobo's sentences: each runs to a `.`, `!` or `?` (with one
 * closing quote or ellipsis after it, if any) and the spaces after that;
 * whatever follows the last such end is a sentence too. The pieces join back
 * to the text.
 */
export function koboSentences(text: string): string[] {
  const out: string[] = [];
  let start = 0;
  type State = 'in' | 'punct' | 'extra' | 'space';
  let state = 'in' as State;
  let i = 0;
  for (const ch of text) {
    const kind = ch === '.' || ch === '!' || ch === '?' ? 'punct' : `'"”’“…`.includes(ch) ? 'extra' : ch === ' ' || ch === '\t' || ch === '\n' || ch === '\r' || ch === '\f' ? 'space' : 'any';
    if (state === 'space' && kind !== 'space') {
      out.push(text.slice(start, i));
      start = i;
      state = 'in';
    }
    const was: State = state;
    if (kind === 'punct') state = 'punct';
    else if (kind === 'extra') state = was === 'punct' ? 'extra' : 'in';
    else if (kind === 'space') state = was === 'in' ? 'in' : 'space';
    else state = 'in';
    i += ch.length;
  }
  if (start < text.length || !out.length) out.push(text.slice(start));
  return out;
}

/** One content document (XHTML as Quire writes it) → its Kobo form. */
export function koboPage(xhtml: string): string {
  const bodyOpen = /<body\b[^>]*>/.exec(xhtml);
  const bodyClose = xhtml.lastIndexOf('</body>');
  if (!bodyOpen || bodyClose < 0) return xhtml;
  const bodyStart = bodyOpen.index + bodyOpen[0].length;
  const head = xhtml.slice(0, bodyStart).replace('</head>', `${KOBO_STYLE}\n</head>`);
  const body = xhtml.slice(bodyStart, bodyClose);
  let para = 0;
  let seg = 0;
  let nextPara = false;
  const span = (content: string) => `<span class="koboSpan" id="kobo.${para}.${seg}">${content}</span>`;
  const stack: string[] = [];
  let verbatim = 0;
  let out = '';
  for (const token of body.split(/(<[^>]*>)/)) {
    if (!token) continue;
    if (token.startsWith('<')) {
      if (token.startsWith('<!--') || token.startsWith('<?') || token.startsWith('<!')) {
        out += token;
        continue;
      }
      const name = /^<\/?([A-Za-z][\w:-]*)/.exec(token)?.[1]?.toLowerCase() ?? '';
      if (token.startsWith('</')) {
        // Close up to the matching element (Quire's XHTML is well formed: it is the top one).
        const at = stack.lastIndexOf(name);
        if (at >= 0) for (const closed of stack.splice(at)) if (VERBATIM.has(closed)) verbatim--;
        out += token;
        continue;
      }
      const selfClosing = token.endsWith('/>');
      if (name === 'img' && !verbatim) {
        // An image is a paragraph of its own, in a span.
        para++;
        seg = 1;
        nextPara = false;
        out += span(token);
        continue;
      }
      if (!selfClosing) {
        stack.push(name);
        if (VERBATIM.has(name)) verbatim++;
        if (PARAGRAPHS.has(name)) nextPara = true;
      }
      out += token;
      continue;
    }
    if (verbatim) {
      out += token;
      continue;
    }
    const parent = stack[stack.length - 1];
    for (const sentence of koboSentences(token)) {
      // Spaces between elements stay as they are; inside a paragraph they get a span like any text (as in Kobo's books).
      if (isSpace(sentence) && parent !== 'p') {
        out += sentence;
        continue;
      }
      if (nextPara) {
        para++;
        seg = 0;
        nextPara = false;
      }
      seg++;
      out += span(sentence);
    }
  }
  return `${head}\n<div id="book-columns"><div id="book-inner">${out}</div></div>\n${xhtml.slice(bodyClose)}`;
}
