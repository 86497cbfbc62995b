import { describe, expect, it } from "vitest";
import { cyrillicReading } from "../../../src/engine/recognition/latin-cyrillic.js";
import { foldText } from "../../../src/engine/recognition/fold-text.js";

describe("Ukrainian typed in Latin letters", () => {
  it("reads each common scheme back into the folded Cyrillic the word lists hold", () => {
    const cases: [string, string][] = [
      ["xapaje", "хапає"],
      ["khapaie", "хапає"],
      ["shyju", "шию"],
      ["zhyty", "жити"],
      ["nastupnoho", "наступного"],
      ["yakshcho", "якщо"],
      ["povidomlennja", "повідомлення"],
      ["ukrajinkamy", "українками"],
    ];
    for (const [latin, cyrillic] of cases) {
      expect(cyrillicReading(latin), latin).toBe(foldText(cyrillic));
    }
  });

  it("reads only words of Latin letters alone", () => {
    expect(cyrillicReading("він")).toBeUndefined();
    expect(cyrillicReading("3am")).toBeUndefined();
    expect(cyrillicReading("a")).toBeUndefined();
  });
});
