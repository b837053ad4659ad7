/**
 * The languages AO3 offers, as its pages print them (each in itself), with
 * the BCP 47 tag a book needs (`dc:language`, `xml:lang`), and the English
 * names people type in front matter. AO3's own short codes are mostly
 * BCP 47 already; where they are not (`ptBR`, `slv`, `urd`, `kat`…) the tag
 * here is the standard one.
 */

/** [the name AO3 prints, its BCP 47 tag, English names] */
const LANGUAGES: ReadonlyArray<readonly [string, string, ...string[]]> = [
  ['af Soomaali', 'so', 'Somali'],
  ['Afrikaans', 'af', 'Afrikaans'],
  ['Aynu itak | アイヌ イタㇰ', 'ain', 'Ainu'],
  ['𒀝𒅗𒁺𒌑', 'akk', 'Akkadian'],
  ['العربية', 'ar', 'Arabic'],
  ['አማርኛ', 'am', 'Amharic'],
  ['𓂋𓏺𓈖 𓆎𓅓𓏏𓊖', 'egy', 'Egyptian', 'Ancient Egyptian'],
  ['Anishinaabemowin', 'oj', 'Ojibwe', 'Ojibwa'],
  ['ܐܪܡܝܐ | ארמיא', 'arc', 'Aramaic'],
  ['հայերեն', 'hy', 'Armenian'],
  ['American Sign Language', 'ase', 'ASL'],
  ['asturianu', 'ast', 'Asturian'],
  ['Azərbaycan dili | آذربایجان دیلی', 'az', 'Azerbaijani'],
  ['Bahasa Indonesia', 'id', 'Indonesian'],
  ['Bahasa Malaysia', 'ms', 'Malay'],
  ['Български', 'bg', 'Bulgarian'],
  ['বাংলা', 'bn', 'Bengali', 'Bangla'],
  ['Basa Jawa', 'jv', 'Javanese'],
  ['Башҡорт теле', 'ba', 'Bashkir'],
  ['беларуская', 'be', 'Belarusian'],
  ['Boarisch', 'bar', 'Bavarian'],
  ['Bosanski', 'bs', 'Bosnian'],
  ['Brezhoneg', 'br', 'Breton'],
  ['British Sign Language', 'bfi', 'BSL'],
  ['Буряад хэлэн | ᠪᠤᠷᠢᠶᠠᠳ ᠮᠣᠩᠭᠣᠯ ᠬᠡᠯᠡ', 'bua', 'Buryat'],
  ['Català', 'ca', 'Catalan'],
  ['Cebuano', 'ceb', 'Cebuano'],
  ['Čeština', 'cs', 'Czech'],
  ['Chinuk Wawa', 'chn', 'Chinook Jargon'],
  ['къырымтатар тили | qırımtatar tili', 'crh', 'Crimean Tatar'],
  ['Cymraeg', 'cy', 'Welsh'],
  ['Dansk', 'da', 'Danish'],
  ['Deutsch', 'de', 'German'],
  ['eesti keel', 'et', 'Estonian'],
  ['Ελληνικά', 'el', 'Greek'],
  ['𒅴𒂠', 'sux', 'Sumerian'],
  ['English', 'en', 'English'],
  ['Eald Englisċ', 'ang', 'Old English'],
  ['Español', 'es', 'Spanish', 'Castellano'],
  ['Esperanto', 'eo', 'Esperanto'],
  ['Euskara', 'eu', 'Basque'],
  ['فارسی', 'fa', 'Persian', 'Farsi'],
  ['Filipino', 'fil', 'Filipino', 'Tagalog'],
  ['Finuʼ Chamorro', 'ch', 'Chamorro'],
  ['Français', 'fr', 'French'],
  ['Friisk', 'frr', 'North Frisian'],
  ['Frysk', 'fy', 'Frisian', 'West Frisian'],
  ['Furlan', 'fur', 'Friulian'],
  ['Gaeilge', 'ga', 'Irish', 'Irish Gaelic'],
  ['Gàidhlig', 'gd', 'Scottish Gaelic', 'Gaelic'],
  ['Galego', 'gl', 'Galician'],
  ['𐌲𐌿𐍄𐌹𐍃𐌺𐌰', 'got', 'Gothic'],
  ['Creolese', 'gyn', 'Guyanese Creole'],
  ['中文-客家话', 'hak', 'Hakka'],
  ['한국어', 'ko', 'Korean'],
  ['Hausa | هَرْشَن هَوْسَ', 'ha', 'Hausa'],
  ['हिन्दी', 'hi', 'Hindi'],
  ['Hrvatski', 'hr', 'Croatian'],
  ['ʻŌlelo Hawaiʻi', 'haw', 'Hawaiian'],
  ['Interlingua', 'ia', 'Interlingua'],
  ['isiZulu', 'zu', 'Zulu'],
  ['Íslenska', 'is', 'Icelandic'],
  ['Italiano', 'it', 'Italian'],
  ['עברית', 'he', 'Hebrew'],
  ['Kalaallisut', 'kl', 'Greenlandic'],
  ['Хальмг Өөрдин келн', 'xal', 'Kalmyk'],
  ['ಕನ್ನಡ', 'kn', 'Kannada'],
  ['ქართული', 'ka', 'Georgian'],
  ['Kernewek', 'kw', 'Cornish'],
  ['ភាសាខ្មែរ', 'km', 'Khmer'],
  ['Khuzdul', 'qkz', 'Khuzdul'],
  ['Kiswahili', 'sw', 'Swahili'],
  ['kreyòl ayisyen', 'ht', 'Haitian Creole', 'Haitian'],
  ['Kurdî | کوردی', 'ku', 'Kurdish'],
  ['Кыргызча', 'ky', 'Kyrgyz'],
  ['Langue des signes québécoise', 'fcs', 'Quebec Sign Language'],
  ['Latviešu valoda', 'lv', 'Latvian', 'Latviešu'],
  ['Lëtzebuergesch', 'lb', 'Luxembourgish'],
  ['Lietuvių kalba', 'lt', 'Lithuanian', 'Lietuvių'],
  ['Lingua latina', 'la', 'Latin'],
  ['Magyar', 'hu', 'Hungarian'],
  ['македонски', 'mk', 'Macedonian'],
  ['മലയാളം', 'ml', 'Malayalam'],
  ['Malti', 'mt', 'Maltese'],
  ['ᠮᠠᠨᠵᡠ ᡤᡳᠰᡠᠨ', 'mnc', 'Manchu'],
  ["Mando'a", 'qmd', "Mando'a"],
  ['मराठी', 'mr', 'Marathi'],
  ['Mikisúkî', 'mik', 'Mikasuki'],
  ['ᠮᠣᠩᠭᠣᠯ ᠪᠢᠴᠢᠭ᠌ | Монгол Кирилл үсэг', 'mn', 'Mongolian'],
  ['မြန်မာဘာသာ', 'my', 'Burmese', 'Myanmar'],
  ['Эрзянь кель', 'myv', 'Erzya'],
  ['Nāhuatl', 'nah', 'Nahuatl'],
  ['中文-闽南话 臺語', 'nan', 'Min Nan', 'Hokkien', 'Taiwanese'],
  ['Nawat', 'ppl', 'Pipil'],
  ['Nederlands', 'nl', 'Dutch', 'Flemish'],
  ['日本語', 'ja', 'Japanese'],
  ['Norsk', 'no', 'Norwegian'],
  ['Нохчийн мотт', 'ce', 'Chechen'],
  ["O'odham Ñiok", 'ood', "O'odham"],
  ['لسان عثمانى', 'ota', 'Ottoman Turkish'],
  ['پښتو', 'ps', 'Pashto'],
  ['Plattdüütsch', 'nds', 'Low German'],
  ['Polski', 'pl', 'Polish'],
  ['Português brasileiro', 'pt-BR', 'Brazilian Portuguese'],
  ['Português europeu', 'pt-PT', 'European Portuguese'],
  ['Pulaar', 'fuc', 'Pulaar'],
  ['ਪੰਜਾਬੀ', 'pa', 'Punjabi'],
  ['qazaqşa | қазақша', 'kk', 'Kazakh'],
  ['Uncategorized Constructed Languages', 'qlq', 'Constructed Language'],
  ['Quenya', 'qya', 'Quenya'],
  ['Română', 'ro', 'Romanian'],
  ['RRomani Ćhib', 'rom', 'Romani'],
  ['Русский', 'ru', 'Russian'],
  ['Sámi', 'smi', 'Sami'],
  ['саха тыла', 'sah', 'Yakut', 'Sakha'],
  ['Scots', 'sco', 'Scots'],
  ['Shqip', 'sq', 'Albanian'],
  ['Sindarin', 'sjn', 'Sindarin'],
  ['සිංහල', 'si', 'Sinhala', 'Sinhalese'],
  ['Slovenčina', 'sk', 'Slovak'],
  ['Slovenščina', 'sl', 'Slovenian', 'Slovene'],
  ['Slověnьskъ Językъ', 'cu', 'Old Church Slavonic'],
  ['Sprēkō Þiudiskō', 'gem', 'Proto-Germanic'],
  ['Српски', 'sr', 'Serbian'],
  ['suomi', 'fi', 'Finnish'],
  ['Svenska', 'sv', 'Swedish'],
  ['தமிழ்', 'ta', 'Tamil'],
  ['татар теле', 'tt', 'Tatar'],
  ['te reo Māori', 'mi', 'Maori', 'Māori'],
  ['తెలుగు', 'te', 'Telugu'],
  ['ትግርኛ', 'ti', 'Tigrinya'],
  ['ไทย', 'th', 'Thai'],
  ['Thermian', 'tqx', 'Thermian'],
  ['བོད་སྐད་', 'bo', 'Tibetan'],
  ['Tiếng Việt', 'vi', 'Vietnamese'],
  ['ϯⲙⲉⲧⲣⲉⲙⲛ̀ⲭⲏⲙⲓ', 'cop', 'Coptic'],
  ['tlhIngan-Hol', 'tlh', 'Klingon'],
  ['toki pona', 'tok', 'Toki Pona'],
  ['Trinidadian Creole', 'trf', 'Trinidadian Creole'],
  ['τσακώνικα', 'tsd', 'Tsakonian'],
  ['ᏣᎳᎩ ᎦᏬᏂᎯᏍᏗ', 'chr', 'Cherokee'],
  ['Türkçe', 'tr', 'Turkish'],
  ['Українська', 'uk', 'Ukrainian'],
  ['Unangam Tunuu', 'ale', 'Aleut'],
  ['اُردُو', 'ur', 'Urdu'],
  ['ئۇيغۇر تىلى', 'ug', 'Uyghur', 'Uighur'],
  ['Volapük', 'vo', 'Volapük'],
  ['中文-吴语', 'wuu', 'Wu Chinese', 'Shanghainese'],
  ['יידיש', 'yi', 'Yiddish'],
  ['maayaʼ tʼàan', 'yua', 'Yucatec Maya'],
  ['中文-广东话 粵語', 'yue', 'Cantonese'],
  ['中文-普通话 國語', 'zh', 'Chinese', 'Mandarin', '中文', '普通话', '國語', '国语', '简体中文', '繁體中文'],
];

/** AO3's own short codes that are not the standard tags (as its URLs write them: `/languages/ptBR`). */
const AO3_CODES: Record<string, string> = {
  ptbr: 'pt-BR', ptpt: 'pt-PT', slv: 'sl', urd: 'ur', kat: 'ka', tel: 'te', mri: 'mi', amh: 'am', bod: 'bo', uig: 'ug', tat: 'tt',
  kaz: 'kk', mon: 'mn', azj: 'az', oji: 'oj', bos: 'bs', cha: 'ch', fry: 'fy', hau: 'ha', kal: 'kl', kan: 'kn', cor: 'kw', khm: 'km',
  kir: 'ky', tir: 'ti', vol: 'vo', afr: 'af', sla: 'cu',
};

/** How names are compared: case, spacing, and curly or straight apostrophes do not matter. */
const key = (s: string) => s.normalize('NFC').replace(/[’ʼ`]/g, "'").replace(/\s+/g, ' ').trim().toLowerCase();

const BY_NAME = new Map<string, string>();
const NAME_OF = new Map<string, string>();
for (const [native, tag, ...english] of LANGUAGES) {
  for (const n of [native, ...english, ...native.split(' | ')]) if (!BY_NAME.has(key(n))) BY_NAME.set(key(n), tag);
  NAME_OF.set(tag, native);
}
// The names AO3 used before it renamed them, and common short forms.
for (const [n, tag] of [
  ['Português', 'pt'],
  ['Portuguese', 'pt'],
  ['Latviešu', 'lv'],
  ['Lietuvių', 'lt'],
  ['Kurdî', 'ku'],
  ['Bahasa Melayu', 'ms'],
] as const)
  if (!BY_NAME.has(key(n))) BY_NAME.set(key(n), tag);
NAME_OF.set('pt', 'Português');

/** A language name as AO3 or a person writes it (`עברית`, `Hebrew`, `Tiếng Việt`) → its BCP 47 tag. */
export function languageTag(name: string): string | undefined {
  return BY_NAME.get(key(name)) ?? AO3_CODES[key(name)];
}

/** A BCP 47 tag → the language's name as AO3 prints it (in the language itself), when AO3 has it. */
export function languageDisplayName(tag: string): string | undefined {
  return NAME_OF.get(tag) ?? NAME_OF.get(tag.split('-')[0]!);
}
