import { describe, expect, it } from "vitest";
import { sharedContent } from "../support/content.js";
import { LANGUAGES } from "../../src/content/vocabulary.js";

/**
 * The recognizer (locales/<lang>/signals.yaml and the shared rules) on the sentences the old phrase
 * lists were tested with: true positives must open the safety flow; ordinary talk about films,
 * football, money, or negated fear must not. The labelled corpus in test/safety/ is the larger check.
 */
const content = await sharedContent();
const recognizer = content.engine.recognizer;
const signalsDanger = (text: string) => recognizer.recognize(text).danger;

type Cases = { danger: string[]; safe: string[] };

const CASES: Record<(typeof LANGUAGES)[number], Cases> = {
  nl: {
    danger: [
      "hij slaat mij",
      "Mijn man slaat me als hij gedronken heeft", // embedded in a longer sentence
      "Het gaat niet goed, hij slaat mij", // after a negated clause
      "ik ben bang",
      "Ik voel me niet veilig thuis",
      "Hij bedreigt mij elke dag",
      "Ik word mishandeld door mijn vriend",
      "IK BEN ZO BANG!!!",
      "Het gaat niet goed hij slaat mij", // was a todo: the negation of an earlier, unpunctuated clause silenced it
      "Niemand weet dat hij mij slaat", // was a todo: subordinate word order, and "niemand" belongs to "weet"
      "Ik wil weg omdat hij me slaat", // was a todo: subordinate word order
    ],
    safe: [
      "ik ben niet bang",
      "Ik ben niet bang voor hem",
      "Niemand slaat mij",
      "De film was eng",
      "Ik maak me zorgen over geld",
      "Ik heb schulden en weet niet wat ik moet doen",
      "Ik voel me veilig thuis",
      "Hij scoorde een doelpunt in de wedstrijd",
      "Hij slaat me niet", // was a todo: Dutch puts the negation after the verb
      "Mijn man slaat me nooit", // was a todo
      "Hij schopt de bal in het doel", // was a todo
      "Ik ben bang dat ik de huur niet kan betalen", // was a todo: "ik ben bang" as "I fear that…"
    ],
  },
  en: {
    danger: [
      "he hits me",
      "My husband hits me when he is drunk", // embedded
      "I'm not ok, he hits me", // after a negated clause
      "I’m scared", // typographic apostrophe
      "I am afraid of my husband",
      "I don't feel safe at home",
      "He threatened me again last night",
      "I'm not ok. I am afraid to go home",
      "I'm not ok he hits me", // was a todo: the negation of an earlier, unpunctuated clause silenced it
      "Nobody knows he hits me", // was a todo: the negation belongs to another verb
      "I never said he hits me", // was a todo
    ],
    safe: [
      "I'm not afraid",
      "I'm not scared of him",
      "He is not hitting me",
      "He never hits me",
      "The film was scary",
      "He hit the ball",
      "I am worried about money",
      "I feel safe at home",
      "Beats me why the bill is so high", // was a todo: "beats me" idiom
      "I'm afraid I can't pay the rent", // was a todo: "i'm afraid" idiom
      "I was so scared during that horror film", // was a todo
      "My back hurts me", // was a todo
    ],
  },
  tr: {
    danger: [
      "Kocam beni dövüyor",
      "Kocam her akşam içince beni dövüyor", // embedded
      "İyi değilim, kocam beni dövüyor", // after a negated clause
      "korkuyorum",
      "Eşimden korkuyorum, ne yapacağımı bilmiyorum",
      "Evde güvende değilim",
      "Beni tehdit ediyor",
      "kocam beni dovuyor", // typed without Turkish letters
    ],
    safe: [
      "Korkmuyorum",
      "Kocam beni dövmüyor",
      "Film çok korkutucuydu",
      "Maçta kaleci topa vurdu",
      "Faturalarımı ödeyemiyorum",
      "Paramız yetmiyor, çok endişeliyim",
      "Evde kendimi güvende hissediyorum",
      "Messi topa vuruyor", // was a todo: "vuruyor" alone
      "Güneş çok vuruyor bugün", // was a todo
      "Korkuyorum ki faturayı ödeyemeyeceğim", // was a todo: "I fear that…"
      "Şifrem güvende değil", // was a todo
    ],
  },
  ar: {
    danger: [
      "زوجي يضربني",
      "زوجي يضربني كل يوم عندما يعود إلى البيت", // embedded
      "أنا لست بخير، زوجي يضربني", // after a negated clause, Arabic comma
      "أنا خائفة",
      "انا خائفه", // typed without hamza and taa marbuta
      "أخاف من زوجي",
      "لا أشعر بالأمان في البيت",
      "يهددني كل يوم",
    ],
    safe: [
      "لست خائفة",
      "لا أخاف",
      "هو لا يضربني",
      "كان الفيلم مرعبا",
      "ضرب اللاعب الكرة",
      "عندي ديون كثيرة ولا أستطيع دفع الفواتير",
      "أشعر بالأمان في البيت",
      "أخاف من الامتحان", // was a todo: afraid of the exam
      "أخاف أن لا أستطيع دفع الإيجار", // was a todo: afraid I can't pay the rent
    ],
  },
  pl: {
    danger: [
      "on mnie bije",
      "Mąż mnie bije, gdy pije", // embedded
      "Nie jest dobrze, on mnie bije", // after a negated clause
      "boję się go", // "boję się" alone is not a danger phrase any more: see the safe rent sentence
      "boje sie go", // typed without Polish letters
      "boję się wracać do domu",
      "Boję się wrócić do domu",
      "Nie czuję się bezpiecznie w domu",
      "Mąż mi grozi",
      "Wcale nie jestem bezpieczna", // was a todo: "wcale" before a phrase that already contains "nie"
      "Nie wiem co robić, boję się go",
    ],
    safe: [
      "nie boję się",
      "On mnie nie bije",
      "Film był straszny",
      "Uderzył piłkę głową",
      "Nie mam pieniędzy na rachunki",
      "W domu czuję się bezpiecznie",
      "Mecz był bardzo nudny",
      "Boję się, że nie zapłacę czynszu", // was a todo: the reason "boję się" alone was removed
      "Piłka uderzyła mnie w głowę", // was a todo: the ball hit me
      "Nie boję się go",
    ],
  },
  uk: {
    danger: [
      "він мене б'є",
      "Чоловік мене б'є, коли п'яний", // embedded
      "Мені не добре, він мене б'є", // after a negated clause
      "Чоловік мене бʼє", // modifier-letter apostrophe
      "я боюся",
      "Я боюся йти додому",
      "Я не почуваюся в безпеці",
      "Він мені погрожує",
    ],
    safe: [
      "Я не боюся",
      "Він мене не б'є",
      "Мені не страшно",
      "Фільм був страшний",
      "Він вдарив по м'ячу",
      "У мене борги, не можу заплатити за оренду",
      "Вдома я почуваюся в безпеці",
      "Було страшно дивитися цей фільм", // was a todo: "страшно" alone
      "Боюся, що не зможу заплатити за квартиру", // was a todo
    ],
  },
};

describe.each(LANGUAGES.map((l) => [l, CASES[l]] as const))("danger phrases in %s", (_language, cases) => {
  it("has enough cases", () => {
    expect(cases.danger.length).toBeGreaterThanOrEqual(5);
    expect(cases.safe.length).toBeGreaterThanOrEqual(5);
  });

  it.each(cases.danger)("%j signals danger", (sentence) => {
    expect(signalsDanger(sentence)).toBe(true);
  });

  it.each(cases.safe)("%j does not signal danger", (sentence) => {
    expect(signalsDanger(sentence)).toBe(false);
  });
});

describe("danger phrases, whatever the resident's language", () => {
  it("every language's phrases are active at once (a Dutch resident writing English is still heard)", () => {
    const all = LANGUAGES.flatMap((l) => CASES[l].danger);
    expect(all.filter((s) => !signalsDanger(s))).toEqual([]);
  });

  it("plain menu words and numbers are never danger", () => {
    for (const s of ["1", "2", "menu", "ja", "nee", "yes", "no", "Korvel", "Wandelbos-Noord", "stop", "taal"]) {
      expect(signalsDanger(s), s).toBe(false);
    }
  });
});

/**
 * Ordinary sentences the current phrase lists get wrong (reported; not edited here).
 * False positives: the safety flow opens for harmless talk.
 * False negatives: a real signal goes unheard.
 */
describe("misjudgements reported earlier, now right", () => {
  it.each([
    "I'm afraid of the exam",
    "I am scared of dogs",
    "Ik ben bang voor honden",
    "Ik ben bang voor de tandarts",
    "I'm afraid I can't pay the rent",
    "Ik ben bang dat ik de huur niet kan betalen",
  ])("calm: %s", (text) => {
    expect(signalsDanger(text)).toBe(false);
  });
  it.each(["I'm afraid that he will kill me", "Ik ben bang dat hij mij vermoordt", "im scared", "im afraid", "i dont feel safe"])("danger: %s", (text) => {
    expect(signalsDanger(text)).toBe(true);
  });
  it.each(["No one hits me", "I'm afraid, that I can't pay the rent", "Ik ben bang, dat ik de huur niet kan betalen"])("calm, was a todo: %s", (text) => {
    expect(signalsDanger(text)).toBe(false);
  });
});
