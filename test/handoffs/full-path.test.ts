import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { totpCode, totpStep } from "../../src/admin/totp.js";
import { startHarness, type Harness } from "../support/harness.js";
import { PanelClient } from "../support/panel-client.js";
import { seen, seenTelegram, TelegramResident, WhatsAppResident, type Seen } from "../support/chat-driver.js";
import type { Recorded } from "../support/fake-platform.js";

type Resident = { say(text: string): Promise<Seen[]>; tap(data: string): Promise<Seen[]>; sent(): Recorded[] };

/**
 * The whole promise, on each channel: "talk to someone" → a named professional → consent → nobody answers in
 * time → reminder → the backup takes over and the resident is told → accepted in the panel → messages both
 * ways → the check-in five days later → the answer recorded. The clock is Naast's own, moved by the test.
 */
describe.each(["telegram", "whatsapp"] as const)("the full handoff path on %s", (channel) => {
  let h: Harness;
  let resident: Resident;
  let handoffId: string;
  const secrets = new Map<string, string>();
  const view = (r: Recorded) => (channel === "telegram" ? seenTelegram(r) : seen(r));
  const newSince = (n: number) => resident.sent().slice(n).map(view);

  async function signIn(email: string): Promise<PanelClient> {
    const client = new PanelClient(h.url);
    await client.get("/admin/login");
    await client.post("/admin/login", { email, password: "a long enough password" });
    const user = await h.db.prisma.staffUser.findUniqueOrThrow({ where: { email } });
    const step = Math.max(totpStep(h.clock()), Number(user.totpLastStep ?? 0) + 1);
    expect((await client.post("/admin/login/code", { code: totpCode(secrets.get(email)!, step) })).status).toBe(303);
    return client;
  }

  beforeAll(async () => {
    h = await startHarness({ TELEGRAM_RATE_PER_CHAT_PER_SECOND: "20" });
    h.advance(new Date("2026-12-01T08:00:00Z").getTime() - Date.now()); // a Tuesday morning
    const org = await h.db.prisma.organisation.create({ data: { name: "Wijkteam Zuid", kind: "welfare" } });
    const ids = new Map<string, string>();
    for (const [name, topics] of [["Samira", ["relationships"]], ["Joost", ["general"]]] as const) {
      const email = `${name.toLowerCase()}@example.org`;
      const token = await h.naast.staffAuth.invite({ email, displayName: name, role: "professional", organisationId: null, createdById: null });
      const c = new PanelClient(h.url);
      await c.get(`/admin/invite/${token}`);
      await c.post(`/admin/invite/${token}`, { password: "a long enough password" });
      const secret = /<code>([A-Z2-7 ]+)<\/code>/.exec((await c.get("/admin/2fa/setup")).text)![1]!.replace(/ /g, "");
      await c.post("/admin/2fa/setup", { code: totpCode(secret, totpStep(h.clock())) });
      secrets.set(email, secret);
      const user = await h.db.prisma.staffUser.findUniqueOrThrow({ where: { email } });
      const p = await h.db.prisma.professional.create({
        data: {
          name, organisationId: org.id, staffUserId: user.id, topics: [...topics], languages: ["nl"], neighbourhoods: ["korvel"],
          availability: [1, 2, 3, 4, 5].map((day) => ({ day, from: "09:00", to: "17:00" })), texts: { create: [{ language: "nl", intro: `${name} werkt in het wijkteam.` }] },
        },
      });
      ids.set(name, p.id);
    }
    await h.db.prisma.professional.update({ where: { id: ids.get("Samira")! }, data: { backupId: ids.get("Joost")! } });
    resident = channel === "telegram" ? new TelegramResident(h.url, h.telegram, 660001, "nl", h.naast) : new WhatsAppResident(h.url, h.whatsapp, "31666600001", h.naast);
  });
  afterAll(async () => {
    await h?.close();
  });

  it("introduces Samira, and creates the handoff only after yes", async () => {
    await resident.say("hallo");
    await resident.tap(channel === "telegram" ? "c|onboarding|confirm-language|yes" : "c|onboarding|ask-language|nl");
    await resident.tap("c|onboarding|about|korvel");
    await resident.tap("c|menu|main|relationships");
    const intro = await resident.tap("c|relationships|topics|person");
    expect(intro.map((m) => m.text).join("\n")).toContain("Ik wil je graag voorstellen aan Samira.");
    await resident.tap("c|handoff|how|chat");
    expect(await h.db.prisma.handoff.count()).toBe(0);
    const done = await resident.tap("c|handoff|consent|yes");
    handoffId = (await h.db.prisma.handoff.findFirstOrThrow()).id;
    expect(done.flatMap((m) => m.ids)).toContain(`h|r|${handoffId}`);
  });

  it("nobody answers in time: Samira is reminded, then Joost takes over and the resident is told", async () => {
    const ho = await h.db.prisma.handoff.findUniqueOrThrow({ where: { id: handoffId } });
    h.advance(ho.acceptBy.getTime() - h.clock().getTime() + 60_000);
    await h.naast.handoffs.runDue();
    expect((await h.db.prisma.handoff.findUniqueOrThrow({ where: { id: handoffId } })).remindedAt).not.toBeNull();
    const n = resident.sent().length;
    h.advance(4 * 3_600_000 + 60_000);
    await h.naast.handoffs.runDue();
    if (channel === "whatsapp") {
      // A day without writing: WhatsApp's window is closed, so only the neutral template goes out.
      await h.whatsapp.waitFor(() => resident.sent().length > n);
      expect(resident.sent()[n]!.body).toMatchObject({ type: "template", template: { name: "naast_new_message" } });
      const told = await resident.say("hoi");
      expect(told.map((m) => m.text).join(" ")).toMatch(/Samira.*Joost/s);
    } else {
      await h.telegram.waitFor(() => resident.sent().length > n);
      expect(newSince(n).map((m) => m.text).join(" ")).toMatch(/Samira.*Joost/s);
    }
    expect((await h.db.prisma.handoff.findUniqueOrThrow({ where: { id: handoffId }, include: { professional: true } })).professional.name).toBe("Joost");
  });

  it("Joost accepts in the panel; messages go both ways, his name on each", async () => {
    const joost = await signIn("joost@example.org");
    let n = resident.sent().length;
    await joost.post(`/admin/handoffs/${handoffId}/accept`, {});
    await (channel === "telegram" ? h.telegram : h.whatsapp).waitFor(() => resident.sent().length > n);
    expect(newSince(n).map((m) => m.text).join(" ")).toContain("Joost heeft je aanvraag gelezen");
    n = resident.sent().length;
    await joost.post(`/admin/handoffs/${handoffId}/message`, { text: "Hoi, ik ben Joost. Wanneer schikt het?" });
    await (channel === "telegram" ? h.telegram : h.whatsapp).waitFor(() => resident.sent().length > n);
    const relayed = newSince(n)[0]!;
    expect(relayed.text).toContain("Joost (Wijkteam Zuid)");
    expect(relayed.ids).toContain(`h|r|${handoffId}`);
    await resident.tap(`h|r|${handoffId}`);
    await resident.say("Donderdagmiddag kan ik.");
    expect((await joost.get(`/admin/handoffs/${handoffId}`)).text).toContain("Donderdagmiddag kan ik.");
  });

  it("five days after acceptance: one check-in, and the answer is the outcome", async () => {
    const n = resident.sent().length;
    h.advance(5 * 86_400_000 + 60_000);
    await h.naast.handoffs.runDue();
    if (channel === "whatsapp") {
      await h.whatsapp.waitFor(() => resident.sent().length > n);
      expect(resident.sent()[n]!.body).toMatchObject({ type: "template" }); // the window closed again
      const after = await resident.say("ja?");
      expect(after.flatMap((m) => m.ids)).toContain(`h|c|${handoffId}|helped`);
    } else {
      await h.telegram.waitFor(() => resident.sent().length > n);
      expect(newSince(n).flatMap((m) => m.ids)).toContain(`h|c|${handoffId}|helped`);
    }
    await resident.tap(`h|c|${handoffId}|helped`);
    expect(await h.db.prisma.handoff.findUniqueOrThrow({ where: { id: handoffId } })).toMatchObject({ checkInAnswer: "helped", outcome: "helped" });
    expect(await h.naast.handoffs.runDue()).toBe(0); // no second check-in
  });
});
