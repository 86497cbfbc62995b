import { describe, expect, it } from "vitest";
import { renderEvents } from "../../src/conversation/render-events.js";
import type { EngineEvent } from "../../src/engine/events.js";
import { sharedContent } from "../support/content.js";

/** Ready text (an activity, a professional's message) and ready labels render as they are; keys are translated. */
const { translator } = await sharedContent();

describe("rendering ready text beside i18n keys", () => {
  it("joins a text event with the messages around it and carries its choices, tagged key or text", () => {
    const events: EngineEvent[] = [
      { type: "message", key: "common:choose_again" },
      {
        type: "text",
        text: "Koffieochtend {{niet vertaald}} <b>",
        choices: [
          { kind: "key", payload: "g|menu", label: "common:to_menu" },
          { kind: "text", payload: "h|r|1", label: "=Schrijf Samira" },
        ],
        safety: true,
      },
    ];
    const [m, ...rest] = renderEvents(events, "nl", translator);
    expect(rest).toEqual([]);
    expect(m!.text).toBe(`${translator.t("nl", "common:choose_again")}\n\nKoffieochtend {{niet vertaald}} <b>`);
    // A ready label is shown as it is, even one that starts with "=" (no prefix is stripped any more).
    expect(m!.choices).toEqual([
      { payload: "g|menu", label: translator.t("nl", "common:to_menu") },
      { payload: "h|r|1", label: "=Schrijf Samira" },
    ]);
    expect(m!.safety?.label).toBe(translator.t("nl", "common:safety_button"));
  });

  it("a text event without choices is plain text", () => {
    expect(renderEvents([{ type: "text", text: "• Eten (Korvel)" }], "ar", translator).map((m) => [m.text, m.rtl, m.choices])).toEqual([["• Eten (Korvel)", true, []]]);
  });
});
