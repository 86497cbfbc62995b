import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WhatsAppResident } from "../support/chat-driver.js";
import { startHarness, type Harness } from "../support/harness.js";

/**
 * "Answers by Thursday 20:31" promised a time the professional does not work. The time a resident is told
 * is within the professional's weekly hours, and the reminder timer keeps that same time.
 */
let h: Harness;
beforeAll(async () => {
  h = await startHarness();
  // Wednesday 2 December 2026, 20:31 in Amsterdam: an evening message.
  h.advance(new Date("2026-12-02T19:31:00Z").getTime() - Date.now());
  const org = await h.db.prisma.organisation.create({ data: { name: "IMW Wandelbos-team", kind: "welfare" } });
  const user = await h.db.prisma.staffUser.create({ data: { email: "sanne@imw.example.org", displayName: "Sanne", role: "professional", passwordHash: "not-used-here" } });
  await h.db.prisma.professional.create({
    data: {
      name: "Sanne", organisationId: org.id, staffUserId: user.id, topics: ["money"], languages: ["nl"], neighbourhoods: ["korvel"],
      availability: [1, 2, 3, 4, 5].map((day) => ({ day, from: "09:00", to: "17:00" })), maxOpenCases: 5,
      texts: { create: [{ language: "nl", intro: "Sanne helpt met geldzaken." }] },
    },
  });
});
afterAll(async () => {
  await h?.close();
});

describe("the promised answer time", () => {
  it("asked on Wednesday evening, Sanne (Mon–Fri 9–17) answers by Thursday 17:00, and is reminded then", async () => {
    const r = new WhatsAppResident(h.url, h.whatsapp, "31677700041", h.naast);
    await r.say("hallo");
    await r.tap("c|onboarding|ask-language|nl");
    await r.tap("c|onboarding|about|korvel");
    await r.tap("c|menu|main|money");
    const intro = (await r.tap("c|money|start|person")).map((m) => m.text).join("\n");
    expect(intro).toContain("Sanne reageert uiterlijk donderdag 3 december 2026, 17:00");
    expect(intro).not.toContain("20:31");
    await r.tap("c|handoff|how|chat");
    const sent = (await r.tap("c|handoff|consent|yes")).map((m) => m.text).join("\n");
    expect(sent).toContain("uiterlijk donderdag 3 december 2026, 17:00");
    const ho = await h.db.prisma.handoff.findFirstOrThrow();
    expect(ho.acceptBy.toISOString()).toBe("2026-12-03T16:00:00.000Z");
    expect(ho.nextActionAt?.toISOString()).toBe("2026-12-03T16:00:00.000Z");

    h.advance(ho.acceptBy.getTime() - h.clock().getTime() - 60_000);
    expect(await h.naast.handoffs.runDue()).toBe(0);
    h.advance(2 * 60_000);
    expect(await h.naast.handoffs.runDue()).toBe(1);
    expect((await h.db.prisma.handoff.findUniqueOrThrow({ where: { id: ho.id } })).remindedAt).not.toBeNull();
  });
});
