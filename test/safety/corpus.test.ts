import { describe, expect, it } from "vitest";
import { sharedContent } from "../support/content.js";
import { LANGUAGES } from "../../src/content/vocabulary.js";
import { judge, readCorpus, type Judged } from "../../src/content/safety-evaluation.js";

/**
 * The labelled corpus in test/safety/corpus/<lang>.yaml, written as residents write: every danger
 * and crisis sentence must be recognised and no everyday sentence may raise an alarm; hints need
 * the offers for at least 95 % per language. `npm run safety:eval -- --misses` shows the details.
 */
const content = await sharedContent();
const judged = (await readCorpus()).map((s) => judge(content.engine.recognizer, s));
const show = (list: readonly Judged[]) => list.map((j) => `${j.language} ${j.label}: ${j.text} (${j.recognition.reasons.join("; ") || "nothing"})`);

describe("the safety corpus", () => {
  it.each([...LANGUAGES])("has enough sentences in %s", (language) => {
    const count = (label: string) => judged.filter((j) => j.language === language && j.label === label).length;
    const big = language === "nl" || language === "en";
    expect(count("danger")).toBeGreaterThanOrEqual(big ? 60 : 25);
    expect(count("hint")).toBeGreaterThanOrEqual(big ? 40 : 15);
    expect(count("everyday") + count("topic")).toBeGreaterThanOrEqual(big ? 60 : 25);
    expect(count("crisis")).toBeGreaterThanOrEqual(5);
  });

  it("recognises every danger and crisis sentence", () => {
    expect(show(judged.filter((j) => (j.label === "danger" || j.label === "crisis") && !j.ok))).toEqual([]);
  });

  it("raises no false alarm on everyday sentences", () => {
    expect(show(judged.filter((j) => j.falseAlarm))).toEqual([]);
  });

  for (const language of LANGUAGES) {
    it(`offers the warm choices for at least 95 percent of hints in ${language}`, () => {
      const hints = judged.filter((j) => j.language === language && j.label === "hint");
      const missed = hints.filter((j) => !j.ok);
      expect(missed.length / hints.length, show(missed).join("\n")).toBeLessThanOrEqual(0.05);
    });
  }

  it("leads topic sentences to their topic", () => {
    expect(show(judged.filter((j) => j.label === "topic" && !j.ok))).toEqual([]);
  });
});
