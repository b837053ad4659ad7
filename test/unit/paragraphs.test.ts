import { describe, expect, it } from 'vitest';
import { decideBoundaries, findCandidates, splitFlatText, tagSpeaker } from '../../src/normalize/boundaries.js';
import { parseEmphasis } from '../../src/normalize/emphasis.js';
import { analyzeQuotes, detectStyle } from '../../src/normalize/quotes.js';
import { splitSceneBreaks } from '../../src/normalize/scene-breaks.js';

describe('quote analysis', () => {
  it('classifies straight and curly marks, nested quotes and apostrophes', () => {
    const text = `"I don't know," she said. “He told me ‘never’ twice.”`;
    const roles = analyzeQuotes(text).marks.map((m) => `${m.char}${m.role[0]}${m.level[0]}`);
    expect(roles).toEqual(['"oo', "'ai", '"co', '“oo', '‘oi', '’ci', '”co']);
  });

  it('marks a reopened quote (speech running over several paragraphs)', () => {
    const marks = analyzeQuotes('“I went on and on. “And then I stopped.”').marks;
    expect(marks[1]!.reopen).toBe(true);
  });

  it('detects British single-quote dialogue', () => {
    expect(detectStyle("'Come in,' she said. 'Sit.' 'Thank you.' 'Tea?'")).toBe('single');
    expect(detectStyle('"Come in," she said.')).toBe('double');
  });
});

describe('paragraph recovery', () => {
  const split = (t: string) => splitFlatText(t);

  it('breaks at each new speaker', () => {
    expect(split('"Where are you?" Mara asked. "At the harbour," Sol said. "Come quickly."')).toEqual([
      '"Where are you?" Mara asked.',
      '"At the harbour," Sol said. "Come quickly."',
    ]);
  });

  it('keeps a speaker’s speech around a tag in one paragraph', () => {
    expect(split('"Hell," I said, "why go?" "Because," she said.')).toEqual(['"Hell," I said, "why go?"', '"Because," she said.']);
  });

  it('keeps a tag after an exclamation or question with its speech', () => {
    expect(split('“Hux?” Kylo asks with a worried tone. “What’s that?”')).toEqual(['“Hux?” Kylo asks with a worried tone. “What’s that?”']);
  });

  it('keeps interrupted speech (—”) and ellipses inside one turn', () => {
    expect(split('“I thought—” “You thought wrong.” “Well… perhaps.”')).toEqual(['“I thought—”', '“You thought wrong.”', '“Well… perhaps.”']);
  });

  it('never breaks inside speech or after a comma before the closing quote', () => {
    const d = decideBoundaries('“It was late. The tide was in. We waited,” she said.');
    expect(d.breaks).toEqual([]);
  });

  it('does not break after an abbreviation', () => {
    expect(findCandidates('Mr. Darcy bowed. Mrs. Bennet smiled.', []).map((c) => c.at)).toEqual([17]);
  });

  it('treats a quotation inside narration as narration', () => {
    expect(split('The officers had become “stupid, disagreeable fellows.” Some of them dined there.')).toHaveLength(1);
  });

  it('reads speech tags and their speakers', () => {
    expect(tagSpeaker(' said he, laughing.')).toBe('he');
    expect(tagSpeaker(' Elizabeth quietly replied.')).toBe('elizabeth');
    expect(tagSpeaker(' replied her sister.')).toBe('sister');
    expect(tagSpeaker(' He walked away.')).toBeUndefined();
  });

  it('starts a new turn when narration has moved on since the paragraph’s speech', () => {
    const text = '“Hand me the lamp,” Mara said. The wick had burned down to a stub. Oswin turned it over twice in the dark. “It will not last the night.”';
    const d = decideBoundaries(text);
    const at = text.indexOf('“It will');
    expect(d.candidates.find((c) => c.at === at)!.rules.map((r) => r[0])).toContain('beat-after-speech');
    expect(split(text)).toEqual(['“Hand me the lamp,” Mara said. The wick had burned down to a stub. Oswin turned it over twice in the dark.', '“It will not last the night.”']);
    // Right after the tag the speaker may go on: the rule stays silent.
    const short = '“Hand me the lamp,” Mara said. “It will not last the night.”';
    expect(decideBoundaries(short).candidates.flatMap((c) => c.rules.map((r) => r[0]))).not.toContain('beat-after-speech');
  });

  it('breaks a run of narration that has gone on far past 300 words, even without other evidence', () => {
    const sentences = ['The tide came in over the flats.', 'Gulls rose from the mud and settled again.', 'A boat knocked against the pier.', 'Rain had been promised all week, and none came.'];
    const text = Array.from({ length: 200 }, (_, i) => sentences[i % sentences.length]).join(' ');
    const d = decideBoundaries(text);
    expect(d.candidates.some((c) => c.rules.some((r) => r[0] === 'long-paragraph'))).toBe(true);
    expect(d.breaks.length).toBeGreaterThan(0);
    // Short narration is left alone.
    expect(decideBoundaries(sentences.join(' ')).candidates.flatMap((c) => c.rules.map((r) => r[0]))).not.toContain('long-paragraph');
  });

  it('paragraphs British single-quote dialogue as it does double-quote dialogue (apostrophes are not speech)', () => {
    const curly =
      'The harbour master’s lamp was lit. Tobin’s boat came in late, and the men’s voices carried over the water. He tied up and climbed the ladder slowly, counting the rungs under his breath. “You’re late,” said Nell. The fog had come down over the point. The gulls’ cries had stopped. “I know,” Tobin said. “The tide turned early.”';
    const british = curly.replaceAll('“', '‘').replaceAll('”', '’');
    const toBritish = (p: string) => p.replaceAll('“', '‘').replaceAll('”', '’');
    expect(split(british)).toEqual(split(curly).map(toBritish));
    expect(split(curly).length).toBeGreaterThan(1);
  });

  it('breaks when a tagged speech is answered by another tagged speech, not when the tag says the speaker goes on', () => {
    const reply = '“The boat is in,” said Maren. “It came in an hour ago,” he answered.';
    expect(split(reply)).toEqual(['“The boat is in,” said Maren.', '“It came in an hour ago,” he answered.']);
    const goesOn = '“The boat is in,” said Maren. “It came in an hour ago,” she went on.';
    expect(decideBoundaries(goesOn).candidates.flatMap((c) => c.rules.map((r) => r[0]))).not.toContain('reply-tagged');
  });

  it('sets speech announced by `X said:` apart, but not the same speaker going on after a colon', () => {
    const announced = 'Odile leaned on the rail and watched the gulls. Then she said: “We sail at dawn.”';
    expect(split(announced)).toEqual(['Odile leaned on the rail and watched the gulls. Then she said:', '“We sail at dawn.”']);
    // A colon after a sentence that already holds her speech: she goes on.
    const goesOn = '“Listen,” said Odile: “we sail at dawn.”';
    expect(split(goesOn)).toHaveLength(1);
    // A colon that announces a list, not speech from a verb: no rule fires.
    const rules = decideBoundaries('She heard the words: “Rope, now!”').candidates.flatMap((c) => c.rules.map((r) => r[0]));
    expect(rules).not.toContain('said-colon-into-speech');
  });

  it('does not take an action verb with an object for a speech tag', () => {
    expect(tagSpeaker(' The oar continued to creak.')).toBeUndefined();
    expect(tagSpeaker(' Pell resumed his mending.')).toBeUndefined();
    expect(tagSpeaker(' Pell resumed, quieter now.')).toBe('pell');
    // So narration after a question starts its own paragraph.
    expect(split('“Are you coming or not?” The oar continued to creak in the lock.')).toHaveLength(2);
  });

  it('keeps a tag after broken-off speech and less common tag verbs with their speech', () => {
    expect(split('“The harbour master said the boat was—” I began.')).toHaveLength(1);
    expect(split('“Is the tide turning?” I inquired politely.')).toHaveLength(1);
  });

  it('keeps narration that goes on with `And` after the speech it follows', () => {
    const text = 'The heron called out, “Not here, not now!” And Teodor was so startled that he dropped the net.';
    expect(decideBoundaries(text).candidates.flatMap((c) => c.rules.map((r) => r[0]))).toContain('connective-after-speech');
  });

  it('reads speech after `said to herself` as speech, not an inline quotation', () => {
    const marks = analyzeQuotes('She said to herself “Now it is done.”').marks;
    expect(marks[0]!.inline).toBeFalsy();
    expect(analyzeQuotes('They called him “the Captain” at home.').marks[0]!.inline).toBe(true);
  });

  it('explains each decision with the rules that fired', () => {
    const d = decideBoundaries('“Go.” “No.”');
    expect(d.candidates[0]!.rules.map((r) => r[0])).toContain('speech-then-speech');
  });
});

describe('scene breaks in flat text', () => {
  it('splits at markers between sentences', () => {
    const blocks = splitSceneBreaks([{ type: 'paragraph', children: [{ type: 'text', value: 'It ended. * * * It began. ~~~ Again. o0o "Yes." # Done.' }] }]);
    expect(blocks.map((b) => b.type)).toEqual(['paragraph', 'sceneBreak', 'paragraph', 'sceneBreak', 'paragraph', 'sceneBreak', 'paragraph', 'sceneBreak', 'paragraph']);
  });

  it('leaves arithmetic and hashtags alone', () => {
    const blocks = splitSceneBreaks([{ type: 'paragraph', children: [{ type: 'text', value: 'It was 2 * 3 * 4. We won #1 spot.' }] }]);
    expect(blocks).toHaveLength(1);
  });
});

describe('emphasis in plain text', () => {
  it('reads *word* and _word_ as emphasis, **word** as strong', () => {
    expect(parseEmphasis([{ type: 'text', value: 'a *very* _long_ **day** here' }])).toEqual([
      { type: 'text', value: 'a ' },
      { type: 'emphasis', children: [{ type: 'text', value: 'very' }] },
      { type: 'text', value: ' ' },
      { type: 'emphasis', children: [{ type: 'text', value: 'long' }] },
      { type: 'text', value: ' ' },
      { type: 'strong', children: [{ type: 'text', value: 'day' }] },
      { type: 'text', value: ' here' },
    ]);
  });

  it('leaves snake_case, arithmetic and lone stars alone', () => {
    const t = [{ type: 'text' as const, value: 'snake_case_name and 2 * 3 * 4 and * * *' }];
    expect(parseEmphasis(t)).toEqual(t);
  });
});
