import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { toWallClock } from "../../src/activities/local-time.js";
import { startHarness, type Harness } from "../support/harness.js";
import { PanelClient } from "../support/panel-client.js";
import { WhatsAppResident } from "../support/chat-driver.js";
import { postTelegram, tgText } from "../support/payloads.js";

let h: Harness;
let mosque: string;
let church: string;

beforeAll(async () => {
  h = await startHarness();
  const p = h.db.prisma;
  mosque = (await p.organisation.create({ data: { name: "Moskee Selimiye", kind: "house-of-worship", requiresApproval: false } })).id;
  church = (await p.organisation.create({ data: { name: "Kerk Wandelbos", kind: "house-of-worship" } })).id;
  const soon = (days: number) => new Date(Date.now() + days * 86_400_000);
  const activity = (organisationId: string, neighbourhood: string, status: string, days: number, texts: { language: string; title: string; description: string }[]) =>
    p.activity.create({ data: { organisationId, neighbourhood, status, startsAt: soon(days), place: "Buurthuis", topic: "meeting", audience: "women", texts: { create: texts } } });
  await activity(mosque, "korvel", "approved", 3, [
    { language: "nl", title: "Koffieochtend voor vrouwen", description: "Koffie en kennismaken." },
    { language: "tr", title: "Kadınlar için kahve sabahı", description: "Kahve ve tanışma." },
  ]);
  await activity(church, "wandelbos-noord", "approved", 4, [{ language: "nl", title: "Soepavond Wandelbos", description: "Soep voor iedereen." }]);
  await activity(church, "korvel", "pending", 5, [{ language: "nl", title: "Nog niet goedgekeurd", description: "x" }]);
  await activity(mosque, "korvel", "approved", 60, [{ language: "nl", title: "Ver weg", description: "x" }]);
});
afterAll(async () => {
  await h?.close();
});

describe("what's on and activity news, in the chat", () => {
  const r = () => new WhatsAppResident(h.url, h.whatsapp, "31655500001", h.naast);
  let resident: WhatsAppResident;

  it("lists approved activities of the coming weeks in the resident's neighbourhood and language", async () => {
    resident = r();
    await resident.say("Merhaba");
    await resident.tap("c|onboarding|ask-language|tr");
    await resident.tap("c|onboarding|about|korvel");
    await resident.tap("c|menu|main|meeting");
    const list = await resident.tap("c|meeting|pick|whats-on");
    const all = list.map((m) => m.text).join("\n---\n");
    expect(all).toContain("Kadınlar için kahve sabahı"); // the Turkish text, not the Dutch one
    expect(all).toContain("Moskee Selimiye");
    expect(all).not.toContain("Soepavond Wandelbos"); // the other neighbourhood
    expect(all).not.toContain("Nog niet goedgekeurd");
    expect(all).not.toContain("Ver weg"); // beyond four weeks
    const item = list.find((m) => m.text.includes("Kadınlar"))!;
    expect(item.ids).toEqual([`s|o|${mosque}`]);
    expect(list.at(-1)!.ids).toContain("c|whats-on|start|updates");
  });

  it("follows an organisation with one tap, recording the consent with time and channel", async () => {
    const reply = await resident.tap(`s|o|${mosque}`);
    expect(reply[0]!.text).toContain("Moskee Selimiye");
    expect(reply.at(-1)!.ids).toContain("c|whats-on|start|updates"); // back where they were
    const subs = await h.db.prisma.subscription.findMany({ where: { organisationId: mosque } });
    expect(subs).toHaveLength(1);
    const consents = await h.db.prisma.consentRecord.findMany({ where: { residentId: subs[0]!.residentId } });
    expect(consents).toMatchObject([{ action: "given", scope: `o:${mosque}`, channel: "whatsapp" }]);
    expect(Date.now() - consents[0]!.at.getTime()).toBeLessThan(60_000);
  });

  it("subscribes to a topic in the resident's own neighbourhood without asking it again; asking twice changes nothing", async () => {
    await resident.tap("c|whats-on|start|updates");
    const done = await resident.tap("c|updates|start|food");
    expect(done.at(-1)!.text).toContain("Korvel"); // the neighbourhood they gave at the start, said back to them
    expect(done.at(-1)!.text).toContain("abonelikten çık"); // how to stop, in Turkish
    expect(done.at(-1)!.ids[0]).toBe("c|updates|own-korvel|change"); // and a way to change it
    const residentId = (await h.db.prisma.subscription.findFirst({ where: { organisationId: mosque } }))!.residentId;
    expect(await h.db.prisma.subscription.findMany({ where: { residentId, topic: "food" }, select: { neighbourhood: true } })).toEqual([{ neighbourhood: "korvel" }]);
    await resident.tap("c|updates|own-korvel|another");
    await resident.tap("c|updates|start|food");
    expect(await h.db.prisma.subscription.count({ where: { residentId } })).toBe(2);
  });

  it("changing the neighbourhood replaces that subscription, with the withdrawal and the consent recorded", async () => {
    const residentId = (await h.db.prisma.subscription.findFirst({ where: { organisationId: mosque } }))!.residentId;
    const asked = await resident.tap("c|updates|own-korvel|change");
    expect(asked.at(-1)!.ids).toEqual(["c|updates|change|korvel", "c|updates|change|wandelbos", "c|updates|change|both", "g|emergency"]);
    await resident.tap("c|updates|change|both");
    expect(await h.db.prisma.subscription.findMany({ where: { residentId, topic: "food" }, select: { neighbourhood: true } })).toEqual([{ neighbourhood: null }]);
    const consents = await h.db.prisma.consentRecord.findMany({ where: { residentId, scope: { startsWith: "t:food" } }, orderBy: { id: "asc" } });
    expect(consents.map((c) => `${c.action} ${c.scope}`)).toEqual(["given t:food|n:korvel", "given t:food|n:korvel", "withdrawn t:food|n:korvel", "given t:food|n:*"]);
    const mine = await resident.tap("c|updates|confirm|mine");
    const text = mine.map((m) => m.text).join("\n");
    expect(text).toContain("Moskee Selimiye");
    expect(text).toContain("birlikte yemek");
    expect(await h.db.prisma.subscription.count({ where: { residentId } })).toBe(2);
  });

  it("stops everything with one word from anywhere, and records the withdrawal", async () => {
    const residentId = (await h.db.prisma.subscription.findFirst({ where: { organisationId: mosque } }))!.residentId;
    await resident.tap("c|updates|mine|menu");
    const stopped = await resident.say("abonelikten çık");
    expect(stopped[0]!.text.length).toBeGreaterThan(10);
    expect(await h.db.prisma.subscription.count({ where: { residentId } })).toBe(0);
    const last = await h.db.prisma.consentRecord.findFirst({ where: { residentId }, orderBy: { id: "desc" } });
    expect(last).toMatchObject({ action: "withdrawn", scope: "all", channel: "whatsapp" });
    // Stopping the messages is not erasure: the resident and their language stay.
    expect(await h.db.prisma.resident.findUnique({ where: { id: residentId } })).toMatchObject({ language: "tr" });
  });

  it("erasing a resident removes their subscriptions and consent records too", async () => {
    const other = new WhatsAppResident(h.url, h.whatsapp, "31655500002", h.naast);
    await other.say("hallo");
    await other.tap("c|onboarding|ask-language|nl");
    await other.tap("c|onboarding|about|korvel");
    await other.tap("c|menu|main|meeting");
    await other.tap("c|meeting|pick|whats-on");
    await other.tap(`s|o|${mosque}`);
    expect(await h.db.prisma.subscription.count()).toBe(1);
    await other.say("stop");
    await other.tap("c|erase|confirm|yes");
    expect(await h.db.prisma.subscription.count()).toBe(0);
    expect(await h.db.prisma.consentRecord.count({ where: { action: "given", scope: `o:${mosque}` } })).toBe(1); // only the first resident's
  });
});

describe("a key figure sends in an activity by chat", () => {
  it("links their Telegram with a one-time code from the panel and the activity lands as a draft for approval", async () => {
    const org = (await h.db.prisma.organisation.create({ data: { name: "Buurtvereniging Korvel", kind: "residents-association" } })).id;
    const token = await h.naast.staffAuth.invite({ email: "hatice@example.org", displayName: "Hatice", role: "keyfigure", organisationId: org, createdById: null });
    const kf = new PanelClient(h.url);
    await kf.get(`/admin/invite/${token}`);
    expect((await kf.post(`/admin/invite/${token}`, { password: "a long enough password" })).status).toBe(303);
    const page = await kf.post("/admin/chat-link", {});
    expect(page.status).toBe(200);
    const code = /koppel ([A-Z0-9]{4}-[A-Z0-9]{4})/.exec(page.text)![1]!;

    const user = 777001;
    let update = 9000;
    const send = async (text: string) => {
      const before = h.telegram.calls("sendMessage").length;
      expect((await postTelegram(h.url, tgText(++update, user, text))).status).toBe(200);
      await h.telegram.waitFor(() => h.telegram.calls("sendMessage").length > before);
      await h.naast.idle();
      return h.telegram.calls("sendMessage").slice(before).map((c) => String(c.body.text));
    };

    // Not linked yet: "activiteit" is just a word to the bot, and a wrong code says so.
    await send("hallo");
    expect((await send("koppel ABCD-EFGH")).join(" ")).toContain("klopt niet");
    expect((await send(`koppel ${code}`)).join(" ")).toContain("Hatice");
    expect((await send(`koppel ${code}`)).join(" ")).toContain("klopt niet"); // used once
    expect((await kf.get("/admin/chat-link")).text).toContain("is gekoppeld");

    expect((await send("activiteit")).join(" ")).toContain("Hoe heet de activiteit");
    expect((await send("Taalcafé")).join(" ")).toContain("Op welke dag");
    expect((await send("volgende week")).join(" ")).toContain("dag-maand"); // not a date: asked again with an example
    expect((await send("14-12")).join(" ")).toContain("Hoe laat");
    expect((await send("19:30")).join(" ")).toContain("Waar is het");
    expect((await send("Buurthuis De Poort")).join(" ")).toContain("welke buurt");
    expect((await send("Korvel")).join(" ")).toContain("Waar gaat het over");
    expect((await send("samen eten")).join(" ")).toContain("paar zinnen");
    expect((await send("Oefenen met Nederlands praten.")).join(" ")).toContain("wacht op goedkeuring");

    const draft = await h.db.prisma.activity.findFirst({ where: { organisationId: org }, include: { texts: true, createdBy: true } });
    expect(draft).toMatchObject({ status: "pending", place: "Buurthuis De Poort", neighbourhood: "korvel", topic: "food", audience: "everyone" });
    expect(draft!.createdBy!.displayName).toBe("Hatice");
    expect(draft!.texts).toMatchObject([{ language: "nl", title: "Taalcafé", description: "Oefenen met Nederlands praten." }]);
    expect(toWallClock(draft!.startsAt)).toMatchObject({ time: "19:30" });
    expect(toWallClock(draft!.startsAt).date.slice(5)).toBe("12-14");
    expect(draft!.startsAt.getTime()).toBeGreaterThan(Date.now());
    expect((await kf.get("/admin/activities")).text).toContain("Taalcafé");
    // Residents see nothing of it until it is approved.
    expect(await h.db.prisma.activity.count({ where: { organisationId: org, status: "approved" } })).toBe(0);
  });

  it("a resident who types a link command or “activiteit” without being linked just talks to the bot", async () => {
    const resident = new WhatsAppResident(h.url, h.whatsapp, "31655500003", h.naast);
    await resident.say("hallo");
    await resident.tap("c|onboarding|ask-language|nl");
    const menu = await resident.tap("c|onboarding|about|korvel");
    const reply = await resident.say("activiteit");
    expect(reply.map((m) => m.text).join(" ")).not.toContain("Hoe heet de activiteit");
    expect(menu.length).toBeGreaterThan(0);
  });
});
