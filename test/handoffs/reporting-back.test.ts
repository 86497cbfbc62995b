import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { WhatsAppResident } from "../support/chat-driver.js";
import { startHarness, type Harness } from "../support/harness.js";
import { postTelegram, tgText } from "../support/payloads.js";
import { nextCode, signIn as signInNow, signUp, type Staff } from "../security/panel-helpers.js";
import { PanelClient } from "../support/panel-client.js";

// Whole journeys with several sign-ins (scrypt, 32 MiB each): generous on a busy 2-core machine.
vi.setConfig({ testTimeout: 120_000, hookTimeout: 180_000 });

let h: Harness;
let imw: string;
let buurt: string;
const staff = new Map<string, Staff>();
/** Signs in again a time step later (a TOTP code works once; a step holds one sign-in of each person). */
const signIn = (hh: Harness, s: Staff) => {
  hh.advance(31_000);
  return signInNow(hh, s);
};
const tgSent = (chat: number) => h.telegram.calls("sendMessage").filter((c) => Number(c.body.chat_id) === chat);
const texts = (chat: number, from = 0) => tgSent(chat).slice(from).map((c) => String(c.body.text));

beforeAll(async () => {
  h = await startHarness({ TELEGRAM_RATE_PER_CHAT_PER_SECOND: "20" });
  h.advance(new Date("2026-12-01T08:00:00Z").getTime() - Date.now()); // a Tuesday morning
  const p = h.db.prisma;
  imw = (await p.organisation.create({ data: { name: "IMW Korvel-team", kind: "welfare" } })).id;
  buurt = (await p.organisation.create({ data: { name: "Buurtvereniging Korvel", kind: "residents-association" } })).id;
  staff.set("fatima", await signUp(h, "professional", "fatima@example.org"));
  staff.set("kim", await signUp(h, "coordinator", "kim@example.org", imw));
  staff.set("admin", await signUp(h, "admin", "admin@example.org"));
  staff.set("hatice", await signUp(h, "keyfigure", "hatice@example.org", buurt));
  await p.professional.create({
    data: {
      name: "Fatima", organisationId: imw, staffUserId: staff.get("fatima")!.userId, topics: ["money", "general"], languages: ["nl"], neighbourhoods: ["korvel"],
      availability: [1, 2, 3, 4, 5].map((day) => ({ day, from: "09:00", to: "17:00" })), texts: { create: [{ language: "nl", intro: "Fatima is maatschappelijk werker." }] },
    },
  });
}, 180_000);
afterAll(async () => {
  await h?.close();
});

/** A WhatsApp resident who asks Fatima for help about money, by chat. Returns the case id. */
async function request(r: WhatsAppResident): Promise<string> {
  await r.say("hallo");
  await r.tap("c|onboarding|ask-language|nl");
  await r.tap("c|onboarding|about|korvel");
  await r.tap("c|menu|main|money");
  await r.tap("c|money|start|person");
  await r.tap("c|handoff|how|chat");
  const before = new Set((await h.db.prisma.handoff.findMany({ select: { id: true } })).map((x) => x.id));
  await r.tap("c|handoff|consent|yes");
  return (await h.db.prisma.handoff.findMany()).find((x) => !before.has(x.id))!.id;
}

describe("a resident hears when their case is closed, and can say whether it helped", () => {
  it("closed in the panel: the resident is told and asked; 'it helped' reaches Fatima; the coordinator sees the outcome", async () => {
    const r = new WhatsAppResident(h.url, h.whatsapp, "31611100001", h.naast);
    const id = await request(r);
    const fatima = await signIn(h, staff.get("fatima")!);
    await fatima.post(`/admin/handoffs/${id}/accept`, {});
    await h.whatsapp.waitFor(() => r.sent().some((x) => JSON.stringify(x.body).includes("heeft je aanvraag gelezen")));
    const n = r.sent().length;
    const closed = await fatima.post(`/admin/handoffs/${id}/close`, { outcome: "helped" });
    expect(closed.location).toBe(`/admin/handoffs/${id}?notice=closed`);
    expect((await fatima.get(closed.location!)).text).toContain("De bewoner hoort het");
    await h.whatsapp.waitFor(() => r.sent().length > n);
    const news = r.sent().slice(n).map((x) => JSON.stringify(x.body)).join("\n");
    expect(news).toContain("Fatima heeft je aanvraag afgesloten. Heeft het geholpen?");
    expect(news).toContain(`h|c|${id}|helped`);
    // Nothing of what was discussed, nothing sensitive: the same neutral words as the check-in.
    expect(news).not.toMatch(/geld|schuld/i);
    const reply = await r.tap(`h|c|${id}|helped`);
    expect(reply.map((m) => m.text).join(" ")).toContain("Fijn om te horen");
    const ho = await h.db.prisma.handoff.findUniqueOrThrow({ where: { id } });
    expect(ho).toMatchObject({ status: "closed", outcome: "helped", checkInAnswer: "helped", stage: "done", nextActionAt: null });
    expect(ho.checkInAnsweredAt).not.toBeNull();
    // Fatima sees the answer on the case and in her notices; the coordinator in the outcomes.
    expect((await fatima.get(`/admin/handoffs/${id}`)).text).toMatch(/Heeft het geholpen\?<\/dt><dd>Ja, het hielp/);
    expect((await fatima.get("/admin/notices")).text).toContain("de bewoner zegt “Ja, het hielp”");
    const kim = await signIn(h, staff.get("kim")!);
    const co = await kim.get("/admin/coordination");
    expect(co.text).toContain("Ja, het hielp");
    expect(co.text).toContain("1 geholpen");
    // No check-in days later: the question was asked once.
    h.advance(6 * 86_400_000);
    const before = r.sent().length;
    await h.naast.handoffs.runDue();
    expect(r.sent().length).toBe(before);
  });

  it("'it did not help' after closing reopens the case with Fatima, tells the coordinator, and offers someone else", async () => {
    const r = new WhatsAppResident(h.url, h.whatsapp, "31611100002", h.naast);
    const id = await request(r);
    const fatima = await signIn(h, staff.get("fatima")!);
    await fatima.post(`/admin/handoffs/${id}/accept`, {});
    await fatima.post(`/admin/handoffs/${id}/close`, { outcome: "referred" });
    await h.whatsapp.waitFor(() => r.sent().some((x) => JSON.stringify(x.body).includes(`h|c|${id}|not_helped`)));
    const reply = await r.tap(`h|c|${id}|not_helped`);
    expect(reply.flatMap((m) => m.ids)).toContain(`h|o|${id}`);
    expect(await h.db.prisma.handoff.findUniqueOrThrow({ where: { id } })).toMatchObject({ status: "accepted", checkInAnswer: "not_helped" });
    const notice = await h.db.prisma.staffNotice.findFirstOrThrow({ where: { userId: staff.get("kim")!.userId, kind: "handoff-answer", params: { path: ["answer"], equals: "not_helped" } } });
    expect(notice.link).toBe("/admin/coordination");
    const kim = await signIn(h, staff.get("kim")!);
    expect((await kim.get("/admin/notices")).text).toContain("de bewoner zegt “Het hielp niet”");
  });

  it("in quiet mode the news waits until the resident writes, and then comes with the question", async () => {
    const r = new WhatsAppResident(h.url, h.whatsapp, "31611100003", h.naast);
    const id = await request(r);
    await r.say("menu");
    await r.tap("c|menu|main|privacy");
    await r.tap("c|menu|privacy|quiet");
    await r.tap("c|menu|quiet|on");
    expect((await h.db.prisma.resident.findFirstOrThrow({ where: { handoffs: { some: { id } } } })).quiet).toBe(true);
    const fatima = await signIn(h, staff.get("fatima")!);
    await fatima.post(`/admin/handoffs/${id}/accept`, {});
    const n = r.sent().length;
    await fatima.post(`/admin/handoffs/${id}/close`, { outcome: "helped" });
    await new Promise((res) => setTimeout(res, 500));
    expect(r.sent().length).toBe(n); // nothing unasked
    expect(await h.db.prisma.handoff.findUniqueOrThrow({ where: { id } })).toMatchObject({ stage: "close_held" });
    const later = await r.say("hoi");
    expect(later.map((m) => m.text).join(" ")).toContain("Fatima heeft je aanvraag afgesloten. Heeft het geholpen?");
    expect(later.flatMap((m) => m.ids)).toContain(`h|c|${id}|no_contact`);
  });
});

describe("a key figure hears back, on their chat and in the panel", () => {
  const chat = 990101;
  let update = 500;
  const say = async (text: string) => {
    const before = tgSent(chat).length;
    expect((await postTelegram(h.url, tgText(++update, chat, text))).status).toBe(200);
    await h.telegram.waitFor(() => tgSent(chat).length > before);
    await h.naast.idle();
    return texts(chat, before).join("\n");
  };
  let activityId: string;

  it("links a fresh chat: no resident language question, before or after the activity", async () => {
    const page = await (await signIn(h, staff.get("hatice")!)).post("/admin/chat-link", {});
    const code = /koppel ([A-Z0-9]{4}-[A-Z0-9]{4})/.exec(page.text)![1]!;
    const linked = await say(`koppel ${code}`);
    expect(linked).toContain("Gekoppeld");
    expect(linked).not.toMatch(/taal|language/i);
    expect(await say("activiteit")).toContain("Hoe heet de activiteit");
    await say("Taalcafé");
    await say("14-12");
    await say("19:30");
    await say("Buurthuis De Poort");
    expect(await say("Korvel")).toContain("Waar gaat het over");
    // The description typed one step early is kept.
    const kept = await say("Oefenen met Nederlands praten, met koffie en thee.");
    expect(kept).toContain("Bewaard als beschrijving");
    expect(kept).toContain("Waar gaat het over");
    const done = await say("samen eten");
    expect(done).toContain("wacht op goedkeuring");
    expect(done).toContain("Je hoort hier wanneer het is goedgekeurd of afgewezen");
    // Not dropped into the resident's onboarding or menu afterwards.
    expect(done).not.toMatch(/Welke taal|Waar kan ik je mee helpen|Nederlands\?/);
    const a = await h.db.prisma.activity.findFirstOrThrow({ where: { organisationId: buurt }, include: { texts: true } });
    activityId = a.id;
    expect(a).toMatchObject({ status: "pending", topic: "food" });
    expect(a.texts[0]).toMatchObject({ title: "Taalcafé", description: "Oefenen met Nederlands praten, met koffie en thee." });
  });

  it("rejected with a reason: told on the chat and in the panel, with the reason", async () => {
    const admin = await signIn(h, staff.get("admin")!);
    const n = tgSent(chat).length;
    await admin.post(`/admin/activities/${activityId}/reject`, { reason: "Graag ook een eindtijd erbij." });
    await h.telegram.waitFor(() => tgSent(chat).length > n);
    expect(texts(chat, n).join("\n")).toContain("“Taalcafé” is afgewezen. Reden: Graag ook een eindtijd erbij.");
    const kf = await signIn(h, staff.get("hatice")!);
    const home = await kf.get("/admin");
    expect(home.text).toContain("Graag ook een eindtijd erbij.");
    expect(home.text).toMatch(/data-badge="notices"/);
  });

  it("approved: told, with how many residents asked for news like it; sent: told how many it reached", async () => {
    // Two residents asked for food news in Korvel.
    for (const phone of ["31611100011", "31611100012"]) {
      const r = new WhatsAppResident(h.url, h.whatsapp, phone, h.naast);
      await r.say("hallo");
      await r.tap("c|onboarding|ask-language|nl");
      await r.tap("c|onboarding|about|korvel");
      await r.tap("c|menu|main|meeting");
      await r.tap("c|meeting|pick|whats-on");
      await r.tap("c|whats-on|start|updates");
      await r.tap("c|updates|start|food");
      await r.tap("c|updates|area|korvel");
    }
    const kf = await signIn(h, staff.get("hatice")!);
    await kf.post(`/admin/activities/${activityId}/submit`, {});
    const admin = await signIn(h, staff.get("admin")!);
    const n = tgSent(chat).length;
    await admin.post(`/admin/activities/${activityId}/approve`, {});
    await h.telegram.waitFor(() => tgSent(chat).length > n);
    expect(texts(chat, n).join("\n")).toContain("“Taalcafé” is goedgekeurd. 2 bewoner(s) vroegen om nieuws hierover");

    // The key figure sends it (a second factor is needed to broadcast).
    const setup = await kf.get("/admin/2fa/setup");
    expect(setup.text).toContain('src="data:image/svg+xml;base64,'); // the QR code, made here
    const secret = /<code>([A-Z2-7 ]+)<\/code>/.exec(setup.text)![1]!.replace(/ /g, "");
    const hatice = { ...staff.get("hatice")!, secret };
    expect((await kf.post("/admin/2fa/setup", { code: await nextCode(h, hatice.email, secret) })).location).toBe("/admin?saved=two-factor");
    const strong = await signIn(h, hatice);
    const m = tgSent(chat).length;
    const started = await strong.post(`/admin/activities/${activityId}/broadcast`, { when: "now" });
    expect(started.status).toBe(303);
    const broadcastId = started.location!.split("/").pop()!;
    await h.whatsapp.waitFor(() => h.whatsapp.messages().filter((x) => JSON.stringify(x.body).includes("Taalcafé")).length >= 2);
    for (let i = 0; i < 50 && (await h.db.prisma.broadcast.findUniqueOrThrow({ where: { id: broadcastId } })).status !== "done"; i++) {
      await strong.get(`/admin/broadcasts/${broadcastId}/progress`);
      await new Promise((r) => setTimeout(r, 100));
    }
    await h.telegram.waitFor(() => tgSent(chat).length > m);
    expect(texts(chat, m).join("\n")).toContain("“Taalcafé” is verstuurd en heeft 2 van 2 bewoner(s) bereikt");
    const home = await new PanelClient(h.url).get("/admin"); // anonymous: to the login
    expect(home.status).toBe(303);
    const mine = await strong.get("/admin");
    expect(mine.text).toContain("2 bewoner(s) bereikt");
    // Told once, however often the progress page or the sweep settles it.
    await h.naast.broadcasts.settleRunning();
    expect(await h.db.prisma.staffNotice.count({ where: { kind: "activity-sent" } })).toBe(1);
  });
});
