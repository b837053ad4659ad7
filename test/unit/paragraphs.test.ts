import { describe, expect, it } from 'vitest';
import type { Block } from '../../src/model/types.js';
import { decideBoundaries, explainBoundaries, findCandidates, LEXICAL_RULES, MODEL, RULES, splitFlatText, tagSpeaker, weightsAt, weightsFor } from '../../src/normalize/boundaries.js';
import { normalize } from '../../src/normalize/index.js';
import { FLAT_PASSES, recoverFlatBlocks } from '../../src/normalize/paragraphs.js';
import { modernProbability } from '../../src/normalize/prose-style.js';
import { splitWalls } from '../../src/normalize/walls.js';
import { buildWork } from '../../src/read/work.js';
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

/** Every rule id that fired at any candidate of `text` (lexical rules without their key). */
const firedRules = (text: string) => explainBoundaries(text).flatMap((c) => c.rules.map((r) => r[0].replace(/\[.*$/, '')));

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
    expect(split('“Mara?” Teodor asks in a careful voice. “Is that you?”')[0]).toMatch(/^“Mara\?” Teodor asks in a careful voice\./);
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
    const at = text.indexOf('“It will');
    expect(explainBoundaries(text).find((c) => c.at === at)!.rules.map((r) => r[0])).toContain('beat-after-speech');
    // Right after the tag the speaker may go on: the rule stays silent.
    const short = '“Hand me the lamp,” Mara said. “It will not last the night.”';
    expect(firedRules(short)).not.toContain('beat-after-speech');
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
    expect(firedRules(goesOn)).not.toContain('reply-tagged');
  });

  it('sets speech announced by `X said:` apart, but not the same speaker going on after a colon', () => {
    const announced = 'Odile leaned on the rail and watched the gulls. Then she said: “We sail at dawn.”';
    expect(split(announced)).toEqual(['Odile leaned on the rail and watched the gulls. Then she said:', '“We sail at dawn.”']);
    // A colon after a sentence that already holds her speech: she goes on.
    const goesOn = '“Listen,” said Odile: “we sail at dawn.”';
    expect(split(goesOn)).toHaveLength(1);
    // A colon that announces a list, not speech from a verb: no rule fires.
    expect(firedRules('She heard the words: “Rope, now!”')).not.toContain('said-colon-into-speech');
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
    expect(firedRules(text)).toContain('connective-after-speech');
  });

  it('reads speech after `said to herself` as speech, not an inline quotation', () => {
    const marks = analyzeQuotes('She said to herself “Now it is done.”').marks;
    expect(marks[0]!.inline).toBeFalsy();
    expect(analyzeQuotes('They called him “the Captain” at home.').marks[0]!.inline).toBe(true);
  });

  it('explains each decision with the rules that fired, and keeps no explanations unless asked', () => {
    const [c] = explainBoundaries('“Go.” “No.”');
    expect(c!.rules.map((r) => r[0])).toContain('speech-then-speech');
    expect(c!.break).toBe(true);
    expect(decideBoundaries('“Go.” “No.”').explanations).toBeUndefined();
  });
});

describe('fan-fiction conventions', () => {
  const split = (t: string) => splitFlatText(t);
  // Short samples do not tell their style; these conventions are the modern weights'.
  const splitModern = (t: string) => splitFlatText(t, MODEL.modern);

  it('keeps speech in capitals with its tag, like its mixed-case form', () => {
    expect(tagSpeaker(' SHE SHOUTED.')).toBe('she');
    expect(tagSpeaker(' MARLOW YELLED BACK.')).toBe('marlow');
    expect(tagSpeaker(' THE KETTLE BOILED.')).toBeUndefined();
    const shouted = 'The gate banged shut behind him. "WHERE ARE YOU GOING?" SHE SHOUTED. "Out," he said.';
    const quiet = 'The gate banged shut behind him. "Where are you going?" she shouted. "Out," he said.';
    const lower = (ps: string[]) => ps.map((p) => p.toLowerCase());
    expect(lower(split(shouted))).toEqual(lower(split(quiet)));
    expect(split(shouted).some((p) => p.startsWith('SHE SHOUTED'))).toBe(false);
  });

  it('reads straight quotes exactly like curly ones', () => {
    const curly =
      'Wren set the lantern on the crate. “Is the ferry late again?” “It always is,” said Tamsin. “Then we wait.” Wren sat down on the cold planks and pulled her coat tight. The river slid by, black and slow. “How long?” “An hour. Maybe two,” Tamsin said.';
    const straight = curly.replaceAll('“', '"').replaceAll('”', '"');
    expect(split(straight)).toEqual(split(curly).map((p) => p.replaceAll('“', '"').replaceAll('”', '"')));
    expect(split(curly).length).toBeGreaterThan(3);
  });

  it('sets chat and text-message lines apart', () => {
    const text =
      'The phone buzzed twice on the desk, and Petra knew it was Juno before she looked. Juno: are you still at the library? Petra: yes, third floor. Juno: stay there, I am bringing snacks. She put the phone face down, and Petra went back to her book.';
    const paragraphs = splitModern(text);
    expect(paragraphs).toContain('Petra: yes, third floor.');
    expect(paragraphs.some((p) => p.startsWith('Juno: are you still'))).toBe(true);
  });

  it('gives a place-and-time heading in brackets its own paragraph', () => {
    const text = 'The lights went out across the whole block. ( Two Hours Later: The Rooftop ) Odessa counted the stars she could still see.';
    expect(splitModern(text)).toContain('( Two Hours Later: The Rooftop )');
    expect(firedRules(text)).toContain('bracket-line-after');
    // An aside in brackets is not a heading.
    expect(firedRules('The lights went out across the whole block. (Nobody was surprised, really.) Odessa counted the stars.')).not.toContain('bracket-line-after');
  });

  it('keeps a beat with the speech of the same speaker and starts a new one for another speaker', () => {
    // `Corin` is known as a name from its tag (`“…,” Corin said`), even at the start of sentences.
    const same = 'Corin stared at the broken oar while the boat drifted. "We row anyway," Corin said.';
    expect(splitModern(same)).toHaveLength(1);
    expect(firedRules(same)).toContain('beat-subject-speaks');
    const other = '"We row anyway," Corin said. Halvard shook his head slowly. "Not with that oar," Halvard said.';
    expect(splitModern(other)).toEqual(['"We row anyway," Corin said.', 'Halvard shook his head slowly. "Not with that oar," Halvard said.']);
  });
});

describe('walls of text', () => {
  const sentences = [
    'The tide came in over the flats.',
    'Gulls rose from the mud and settled again.',
    'A boat knocked against the pier.',
    'Rain had been promised all week, and none came.',
    'Somewhere up the hill a dog barked at nothing.',
  ];
  const wall = Array.from({ length: 120 }, (_, i) => sentences[i % sentences.length]).join(' ');
  const blocks = [{ type: 'paragraph' as const, children: [{ type: 'text' as const, value: wall }] }];
  const words = (b: Block) => (b.type === 'paragraph' && b.children[0]?.type === 'text' ? b.children[0].value.split(/\s+/).length : 0);
  const weights = weightsFor(wall);

  it('splits a recovered paragraph that runs past the wall length, keeping every word', () => {
    const out = splitWalls(blocks, weights);
    expect(out.length).toBeGreaterThan(2);
    expect(Math.max(...out.map(words))).toBeLessThanOrEqual(weights.wallWords);
    expect(out.map((b) => (b.type === 'paragraph' && b.children[0]?.type === 'text' ? b.children[0].value : '')).join(' ')).toBe(wall);
  });

  it('is a pass of its own that can be skipped', () => {
    expect(FLAT_PASSES.map((p) => p.id)).toEqual(['scene-breaks', 'paragraphs', 'walls']);
    const kept = recoverFlatBlocks(blocks, new Set(['paragraphs', 'walls']), { weights });
    expect(kept).toHaveLength(1);
    expect(recoverFlatBlocks(blocks, new Set(['paragraphs']), { weights }).length).toBeGreaterThan(2);
  });

  it('leaves a short paragraph alone', () => {
    const short = [{ type: 'paragraph' as const, children: [{ type: 'text' as const, value: sentences.join(' ') }] }];
    expect(splitWalls(short, weights)).toEqual(short);
  });
});

describe('the fitted model', () => {
  it('weighs only rules and lexical rules that exist, for kinds they look at', () => {
    const ids = new Set(RULES.map((r) => r.id));
    const lexical = new Set(LEXICAL_RULES.map((r) => r.id));
    for (const w of [MODEL.modern, MODEL.classic]) {
      for (const key of Object.keys(w.rules)) {
        const [id, kind] = key.split('@') as [string, string | undefined];
        expect(ids.has(id), key).toBe(true);
        if (kind) expect(RULES.find((r) => r.id === id)!.kinds as readonly string[]).toContain(kind);
      }
      for (const id of Object.keys(w.lexical)) expect(lexical.has(id), id).toBe(true);
      expect(w.wallWords).toBeGreaterThanOrEqual(200);
    }
  });

  it('gives clearly classic prose the long classic wall length, and text of uncertain style one closer to the modern', () => {
    expect(MODEL.modern.wallWords).toBe(250);
    expect(MODEL.classic.wallWords).toBe(500);
    expect(weightsAt(0)).toBe(MODEL.classic);
    expect(weightsAt(0.9)).toBe(MODEL.modern);
    const unsure = weightsAt(0.4);
    expect(unsure.rules).toBe(MODEL.classic.rules);
    expect(unsure.wallWords).toBe(300);
    // Made once per length, so its compiled rules are reused.
    expect(weightsAt(0.4)).toBe(unsure);
  });

  it('tells modern prose from classic prose', () => {
    const modern =
      "Okay, so I'm not gonna lie, the party was a disaster. Mia texted me like six times before I even got there. I didn't answer. I'm pretty sure she's still mad about it, but honestly? I don't care. We're fine. We're always fine.";
    const classic =
      'It was upon a grey morning in the autumn that the carriage arrived at the hall; and the old steward, who had served the family for forty years, came down the steps to receive it, whilst the servants stood in a row upon the gravel, as was the custom of the house.';
    expect(modernProbability(modern.repeat(3), MODEL.style)).toBeGreaterThan(0.5);
    expect(modernProbability(classic.repeat(3), MODEL.style)).toBeLessThan(0.5);
  });
});

describe('notes are text too', () => {
  it('recovers the paragraphs of flattened end notes', () => {
    const story = 'The last lamp on the pier went out and honestly? Nobody\'s coming to light it again. "Night," the keeper said. She didn\'t even look back.';
    const notes =
      'Thank you all for reading this far! This chapter took forever because of exams. "Will there be a sequel?" Yes, I promise. The prompt came from an anonymous ask on my blog. I only own the writing.';
    const text = `${story} Notes: ${notes}`;
    const work = normalize(buildWork({ text, file: 'works/lamp.txt', kind: 'text' }).work!);
    const after = [...work.notes.after, ...work.chapters.flatMap((c) => c.notes.after)];
    expect(after.filter((b) => b.type === 'paragraph').length).toBeGreaterThan(1);
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
