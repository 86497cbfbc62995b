import { describe, expect, it } from "vitest";
import { sharedContent } from "../support/content.js";
import { FlowEngine, type StepResult } from "../../src/engine/engine.js";
import { newSessionState, type SessionState } from "../../src/engine/session-state.js";

const content = await sharedContent();
const NOW = new Date("2026-11-01T10:00:00Z");

/** A resident in `language` at the main menu, waiting since a minute ago. */
function atMenu(language: string): SessionState {
  return { ...newSessionState({ language, onboarded: true }), at: { flow: "menu", node: "main" }, waitingSince: new Date(NOW.getTime() - 60_000).toISOString() };
}
const typed = (engine: FlowEngine, language: string, text: string): StepResult => engine.step(atMenu(language), { kind: "text", text }, NOW);
const entered = (r: StepResult): string[] => r.events.flatMap((e) => (e.type === "flow_entered" ? [e.flow] : []));

// The engine remembers each choice's typed label per language (input-routing.ts); one engine serves every language.
describe("typed choice labels, remembered per language", () => {
  it("a label typed in the resident's language picks its choice", () => {
    const engine = new FlowEngine(content.engine);
    expect(entered(typed(engine, "en", "Caring for someone"))).toEqual(["caregiving"]);
    expect(entered(typed(engine, "nl", "Zorg voor iemand"))).toEqual(["caregiving"]);
    expect(entered(typed(engine, "tr", content.engine.translate("tr", "menu:caregiving")!))).toEqual(["caregiving"]);
  });

  it("what one language's labels were never leaks into another's: the same steps as on an engine that saw only that language", () => {
    const texts = ["Caring for someone", "Zorg voor iemand", "Money worries", "Geldzorgen", "Housing", "Wonen", "Something else", "Iets anders"];
    for (const [first, then] of [["en", "nl"], ["nl", "en"], ["ar", "nl"], ["nl", "uk"]] as const) {
      const shared = new FlowEngine(content.engine);
      for (const t of texts) typed(shared, first, t);
      for (const t of texts) {
        const fresh = new FlowEngine(content.engine);
        expect(typed(shared, then, t), `${first} then ${then}: ${t}`).toEqual(typed(fresh, then, t));
      }
    }
    // The English label is not a Dutch one, nor the Dutch an English one, whichever was typed first.
    const engine = new FlowEngine(content.engine);
    expect(typed(engine, "en", "Something else").state.at).toEqual({ flow: "menu", node: "other" });
    expect(typed(engine, "nl", "Something else").state.at).toEqual({ flow: "menu", node: "main" });
    expect(typed(engine, "nl", "Iets anders").state.at).toEqual({ flow: "menu", node: "other" });
    expect(typed(engine, "en", "Iets anders").state.at).toEqual({ flow: "menu", node: "main" });
  });
});
