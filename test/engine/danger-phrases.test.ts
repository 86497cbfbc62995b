import { describe, expect, it } from "vitest";
import { loadContent } from "../../src/content/content.js";
import { LANGUAGES } from "../../src/content/languages.js";

/**
 * The danger phrases in locales/<lang>/intents.json, tried on real sentences. True positives must
 * open the safety flow; false positives (ordinary talk about films, football, money, or negated
 * fear) must not. Sentences the phrase lists are known to misjudge are listed at the bottom as
 * todos rather than tested, so that the suite stays green while the lists are improved.
 */
const content = await loadContent();
const lexicon = content.engine.lexicon;

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
    ],
  },
  pl: {
    danger: [
      "on mnie bije",
      "Mąż mnie bije, gdy pije", // embedded
      "Nie jest dobrze, on mnie bije", // after a negated clause
      "boję się",
      "boje sie", // typed without Polish letters
      "Boję się wrócić do domu",
      "Nie czuję się bezpiecznie w domu",
      "Mąż mi grozi",
    ],
    safe: [
      "nie boję się",
      "On mnie nie bije",
      "Film był straszny",
      "Uderzył piłkę głową",
      "Nie mam pieniędzy na rachunki",
      "W domu czuję się bezpiecznie",
      "Mecz był bardzo nudny",
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
    ],
  },
};

describe.each(LANGUAGES.map((l) => [l, CASES[l]] as const))("danger phrases in %s", (_language, cases) => {
  it("has enough cases", () => {
    expect(cases.danger.length).toBeGreaterThanOrEqual(5);
    expect(cases.safe.length).toBeGreaterThanOrEqual(5);
  });

  it.each(cases.danger)("%j signals danger", (sentence) => {
    expect(lexicon.signalsDanger(sentence)).toBe(true);
  });

  it.each(cases.safe)("%j does not signal danger", (sentence) => {
    expect(lexicon.signalsDanger(sentence)).toBe(false);
  });
});

describe("danger phrases, whatever the resident's language", () => {
  it("every language's phrases are active at once (a Dutch resident writing English is still heard)", () => {
    const all = LANGUAGES.flatMap((l) => CASES[l].danger);
    expect(all.filter((s) => !lexicon.signalsDanger(s))).toEqual([]);
  });

  it("plain menu words and numbers are never danger", () => {
    for (const s of ["1", "2", "menu", "ja", "nee", "yes", "no", "Korvel", "Wandelbos-Noord", "stop", "taal"]) {
      expect(lexicon.signalsDanger(s), s).toBe(false);
    }
  });
});

/**
 * Ordinary sentences the current phrase lists get wrong (reported; not edited here).
 * False positives: the safety flow opens for harmless talk.
 * False negatives: a negation in an earlier, unpunctuated clause silences a real signal.
 */
describe("known misjudgements (see report)", () => {
  it.todo('nl false positive: "Hij slaat me niet" and "Mijn man slaat me nooit" (Dutch puts the negation after the verb)');
  it.todo('nl false positive: "Hij schopt de bal in het doel" ("hij schopt")');
  it.todo('nl false positive: "Ik ben bang dat ik de huur niet kan betalen" ("ik ben bang" as "I fear that…")');
  it.todo('en false positive: "Beats me why the bill is so high" ("beats me" idiom)');
  it.todo('en false positive: "I\'m afraid I can\'t pay the rent" ("i\'m afraid" idiom)');
  it.todo('en false positive: "I was so scared during that horror film" ("so scared")');
  it.todo('en false positive: "My back hurts me" ("hurts me")');
  it.todo('tr false positive: "Messi topa vuruyor" / "Güneş çok vuruyor bugün" ("vuruyor" alone)');
  it.todo('tr false positive: "Korkuyorum ki faturayı ödeyemeyeceğim" and "Şifrem güvende değil"');
  it.todo('ar false positive: "أخاف من الامتحان" (afraid of the exam) and "أخاف أن لا أستطيع دفع الإيجار" (afraid I can\'t pay the rent)');
  it.todo('pl false positive: "Boję się, że nie zapłacę czynszu" and "Piłka uderzyła mnie w głowę" (the ball hit me)');
  it.todo('uk false positive: "Було страшно дивитися цей фільм" ("страшно" alone) and "Боюся, що не зможу заплатити за квартиру"');
  it.todo('false negative: "I\'m not ok he hits me" / "Het gaat niet goed hij slaat mij" without a comma (negation window crosses the clause)');
  it.todo('false negative: "Nobody knows he hits me", "I never said he hits me" (negation belongs to another verb)');
  it.todo('false negative: "Wcale nie jestem bezpieczna" ("wcale" before a phrase that already contains "nie")');
  it.todo('false negative: Dutch subordinate order "… omdat hij me slaat" / "Niemand weet dat hij mij slaat" ("me slaat" is not listed)');
});
