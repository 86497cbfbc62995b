import { describe, expect, it } from "vitest";
import { foldedClauses, foldText } from "../../../src/engine/recognition/fold-text.js";

describe("foldText", () => {
  it("folds case, accents and punctuation", () => {
    expect(foldText("  Ménü!!  ")).toBe("menu");
    expect(foldText("Beëindigen")).toBe("beeindigen");
    expect(foldText("Wandelbos-Noord")).toBe("wandelbos noord");
    expect(foldText("💶 Geldzorgen")).toBe("geldzorgen");
    expect(foldText("Boję się")).toBe("boje sie");
    expect(foldText("Pobił mnie")).toBe("pobil mnie");
  });

  it("folds the Turkish dotless and dotted i", () => {
    expect(foldText("KOCAM BENİ DÖVÜYOR")).toBe("kocam beni dovuyor");
    expect(foldText("korkuyorum ı")).toBe("korkuyorum i");
  });

  it("turns Arabic-Indic and Eastern Arabic-Indic digits into ASCII digits", () => {
    expect(foldText("٠١٢٣٤٥٦٧٨٩")).toBe("0123456789");
    expect(foldText("۴۲")).toBe("42");
    expect(foldText("١١٢")).toBe("112");
  });

  it("folds Arabic letter variants, hamza carriers, tatweel and vowel marks", () => {
    expect(foldText("أنا خائفة")).toBe("انا خايفه");
    expect(foldText("إلى")).toBe("الي");
    expect(foldText("مَرْحَبًا")).toBe("مرحبا");
    expect(foldText("يؤذيني")).toBe(foldText("يوذيني"));
    expect(foldText("يضـــربني")).toBe("يضربني");
  });

  it("drops apostrophes of every kind, so typed and typographic forms meet", () => {
    expect(foldText("I’m scared")).toBe("im scared");
    expect(foldText("don't")).toBe(foldText("dont"));
    expect(foldText("мене бʼє")).toBe(foldText("мене б'є"));
    expect(foldText("б'є")).toBe(foldText("бє"));
  });

  it("lets Ukrainian and Russian spellings of one word meet", () => {
    expect(foldText("боїться")).toBe(foldText("боиться"));
    expect(foldText("бьёт")).toBe("бет");
    expect(foldText("Ґанок")).toBe("ганок");
  });

  it("reads Latin look-alike letters inside a Cyrillic word as Cyrillic ('вiн', 'менi')", () => {
    expect(foldText("вiн менi")).toBe(foldText("він мені"));
    expect(foldText("Ik ben bang, він")).toBe("ik ben bang він".replace("і", "и"));
  });

  it("collapses a letter typed three or more times", () => {
    expect(foldText("bangggg")).toBe("bang");
    expect(foldText("noooo")).toBe("no");
    expect(foldText("slaat")).toBe("slaat");
  });

  it("is idempotent", () => {
    for (const s of ["Ik ben BANG!!", "أنا خائفة", "Мені страшно", "Boję się go", "KORKUYORUM"]) expect(foldText(foldText(s))).toBe(foldText(s));
  });
});

describe("foldedClauses", () => {
  it("splits at sentence marks, commas, the Arabic comma and line ends, and drops empty clauses", () => {
    expect(foldedClauses("Het gaat niet goed, hij slaat me.")).toEqual([["het", "gaat", "niet", "goed"], ["hij", "slaat", "me"]]);
    expect(foldedClauses("أنا لست بخير، زوجي يضربني")).toEqual([["انا", "لست", "بخير"], ["زوجي", "يضربني"]]);
    expect(foldedClauses("not\nhe hits me")).toEqual([["not"], ["he", "hits", "me"]]);
    expect(foldedClauses("!!! ...")).toEqual([]);
  });
});
