import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WhatsAppResident } from "../support/chat-driver.js";
import { startHarness, type Harness } from "../support/harness.js";

/**
 * A fresh Naast has no professional linked to a panel account yet, so nobody can be matched for any topic.
 * What the resident hears then must be said once, point to help that exists, and not loop.
 */
let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.close();
});

describe("“talk to someone” when nobody can be found", () => {
  let r: WhatsAppResident;

  it("says it once after the relationship check: the wijkteam, a walk-in nearby, and no second Veilig Thuis card or old question", async () => {
    r = new WhatsAppResident(h.url, h.whatsapp, "31677700031", h.naast);
    await r.say("hallo");
    await r.tap("c|onboarding|ask-language|nl");
    await r.tap("c|onboarding|about|korvel");
    await r.tap("c|menu|main|relationships");
    await r.tap("c|relationships|topics|check");
    await r.tap("c|relationships|q-respect|no");
    await r.tap("c|relationships|q-jealousy|yes");
    await r.tap("c|relationships|q-control|yes");
    await r.tap("c|relationships|q-money|yes");
    await r.tap("c|relationships|q-fear|yes");
    const serious = await r.tap("c|relationships|fear|continue");
    expect(serious.at(-1)!.ids).toContain("c|relationships|serious|person");

    const none = await r.tap("c|relationships|serious|person");
    const text = none.map((m) => m.text).join("\n");
    const count = (s: string) => text.split(s).length - 1;
    expect(count("Op dit moment kan ik niemand vinden")).toBe(1);
    expect(count("📍 Wijkteam")).toBe(1);
    expect(count("📍 Buurthuis Korvel")).toBe(1);
    expect(count("📍 Veilig Thuis")).toBe(0); // the question before is not told again
    expect(text).not.toContain("Wat je beschrijft, is niet oké");
    // One set of buttons, and no "talk to someone" that would fail again.
    const buttons = none.filter((m) => m.ids.length > 0);
    expect(buttons).toHaveLength(1);
    expect(buttons[0]!.ids).toEqual(["c|handoff|none-next|back", "c|handoff|none-next|menu", "g|emergency"]);
    expect(await h.db.prisma.handoff.count()).toBe(0);
  });

  it("“back” returns to the result, without the offer that just failed", async () => {
    const back = await r.tap("c|handoff|none-next|back");
    const buttons = back.filter((m) => m.ids.length > 0);
    expect(buttons).toHaveLength(1);
    expect(buttons[0]!.ids).toEqual(["c|relationships|serious|safety", "c|relationships|serious|menu", "g|emergency"]);
    expect(back.map((m) => m.text).join("\n")).toContain("📍 Veilig Thuis");
  });

  it("from money, a resident from elsewhere gets the wijkteam without a walk-in card", async () => {
    const e = new WhatsAppResident(h.url, h.whatsapp, "31677700032", h.naast);
    await e.say("hello");
    await e.tap("c|onboarding|ask-language|en");
    await e.tap("c|onboarding|about|elsewhere");
    await e.tap("c|menu|main|money");
    const none = await e.tap("c|money|start|person");
    const text = none.map((m) => m.text).join("\n");
    expect(text).toContain("Right now I can't find anyone");
    expect(text).toContain("📍 Wijkteam");
    expect(text).not.toContain("📍 Buurthuis");
    expect(text).not.toContain("Lots of people worry about money"); // the money question is not told again
    const back = await e.tap("c|handoff|none-next|back");
    expect(back.at(-1)!.ids).toEqual(["c|money|start|bills", "c|money|start|income", "c|money|start|food", "c|money|start|things", "g|emergency"]);
  });
});
