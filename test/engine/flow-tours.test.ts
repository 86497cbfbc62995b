import { describe, expect, it } from "vitest";
import { sharedContent } from "../support/content.js";
import { tourFlow } from "../support/tour.js";

const content = await sharedContent();

/** Each flow in Dutch and in one other language, through WhatsApp's and Telegram's rendering. */
const TOURS: [flow: string, other: string][] = [
  ["money", "ar"],
  ["housing", "tr"],
  ["caregiving", "pl"],
  ["parenting", "uk"],
  ["meeting", "en"],
  ["relationships", "ar"],
  ["safety", "en"],
  ["erase", "tr"],
  ["language", "pl"],
  ["welcome-back", "uk"],
  ["onboarding", "en"],
  ["menu", "ar"],
  ["whats-on", "pl"],
  ["updates", "tr"],
  ["unsubscribe", "ar"],
  ["activity-draft", "en"],
  ["handoff", "ar"],
  ["handoff-chat", "uk"],
  ["crisis", "tr"],
  ["hint", "pl"],
  ["safe-use", "ar"],
];

describe("golden tours of every flow, rendered for WhatsApp and Telegram", () => {
  it("covers every flow", () => {
    expect(TOURS.map(([f]) => f).sort()).toEqual([...content.engine.flows.keys()].sort());
  });
  for (const [flow, other] of TOURS) {
    for (const language of ["nl", other]) {
      it(`${flow} in ${language}`, async () => {
        const tour = tourFlow(content, flow, language);
        expect(tour.problems).toEqual([]);
        await expect(tour.text).toMatchFileSnapshot(`../golden/tours/${flow}.${language}.txt`);
      });
    }
  }
});
