const ARABIC_DIGITS = /[\u0660-\u0669\u06F0-\u06F9]/g;

/** Letters that Unicode does not decompose but residents type interchangeably. */
const LETTER_FOLDS: ReadonlyMap<string, string> = new Map([
  // Turkish dotless i; Polish ł; German ß (typed by some Polish and Dutch keyboards)
  ["ı", "i"],
  ["ł", "l"],
  ["ß", "ss"],
  // Arabic: hamza carriers and alef forms, alef maqsura, ta marbuta, Persian keyboard forms
  ["أ", "ا"],
  ["إ", "ا"],
  ["آ", "ا"],
  ["ٱ", "ا"],
  ["ؤ", "و"],
  ["ئ", "ي"],
  ["ى", "ي"],
  ["ة", "ه"],
  ["ک", "ك"],
  // Iraqi and Gulf gaf for qaf ("گال" is "قال", said)
  ["گ", "ق"],
  ["ی", "ي"],
  ["ـ", ""],
  // Cyrillic: Ukrainian and Russian spellings of the same word meet (б'є, бʼє, бє, бьет)
  ["і", "и"],
  ["ї", "и"],
  ["ы", "и"],
  ["є", "е"],
  ["э", "е"],
  ["ґ", "г"],
  ["ь", ""],
  ["ъ", ""],
]);

/** Latin letters that look like Cyrillic ones, typed inside a Cyrillic word on a mixed keyboard ("вiн", "менi"). */
const LATIN_LOOKALIKES: ReadonlyMap<string, string> = new Map([
  ["a", "а"],
  ["c", "с"],
  ["e", "е"],
  ["i", "і"],
  ["o", "о"],
  ["p", "р"],
  ["x", "х"],
  ["y", "у"],
  ["k", "к"],
]);
const MIXED_CYRILLIC_WORD = /\p{L}*\p{Script=Cyrillic}\p{L}*/gu;

const ASCII = /^[\x00-\x7f]*$/u;

const FOLDABLE = new RegExp(`[${[...LETTER_FOLDS.keys()].join("")}]`, "gu");
/** Every apostrophe-like mark, dropped so that "don't", "dont" and "don’t" (and б'є, бʼє) are one word. */
const APOSTROPHES = /['’‘`´ʼʹ′]/gu;

/**
 * Folds text the way residents type it, so that spelling variants meet: lower case, no accents or
 * Arabic vowel marks, no apostrophes, one form per letter where keyboards differ (Turkish ı, Polish ł,
 * Arabic alef and hamza carriers, Ukrainian/Russian і/и/ї/ы, є/е, soft signs), Arabic-Indic digits as
 * 0–9, a letter typed three or more times as one ("bangggg", "noooo"), punctuation as spaces.
 * Idempotent: folding a folded text changes nothing.
 */
export function foldText(s: string): string {
  // Plain ASCII (most Dutch and English messages) needs no Unicode work.
  if (ASCII.test(s)) {
    return s
      .toLowerCase()
      .replace(/[`'´]/gu, "")
      .replace(/([a-z])\1{2,}/gu, "$1")
      .replace(/[^a-z0-9 ]+/gu, " ")
      .replace(/\s+/g, " ")
      .trim();
  }
  return s
    .replace(ARABIC_DIGITS, (d) => String((d.charCodeAt(0) - (d.charCodeAt(0) >= 0x06f0 ? 0x06f0 : 0x0660)) % 10))
    .normalize("NFKD")
    .replace(/\p{M}/gu, "")
    .toLowerCase()
    .replace(MIXED_CYRILLIC_WORD, (w) => (/[a-z]/u.test(w) ? w.replace(/[a-z]/gu, (c) => LATIN_LOOKALIKES.get(c) ?? c) : w))
    .replace(FOLDABLE, (c) => LETTER_FOLDS.get(c) ?? c)
    .replace(APOSTROPHES, "")
    .replace(/(\p{L})\1{2,}/gu, "$1")
    .replace(/[^\p{L}\p{N} ]+/gu, " ")
    .replace(/\s+/g, " ")
    .trim();
}

/** Characters that end a clause: a signal never reaches across one. */
export const CLAUSE_BREAK = /[.!?;,،؛\n()"“”«»]+|(?<!\d):|:(?!\d)|\s[-–—]\s/u;

/** The folded words of each clause of a text, clauses in order. */
export function foldedClauses(text: string): string[][] {
  const out: string[][] = [];
  for (const clause of text.split(CLAUSE_BREAK)) {
    const folded = foldText(clause);
    if (folded !== "") out.push(folded.split(" "));
  }
  return out;
}
