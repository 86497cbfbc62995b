import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { totpCode, totpStep } from "../../src/admin/totp.js";
import { addWorkingDays } from "../../src/handoffs/working-time.js";
import { createLogger } from "../../src/logger.js";
import { createNaast } from "../../src/naast.js";
import { startHarness, type Harness } from "../support/harness.js";
import { PanelClient } from "../support/panel-client.js";
import { WhatsAppResident } from "../support/chat-driver.js";
import { postTelegram, tgTap, tgText } from "../support/payloads.js";

let h: Harness;
let imw: string;
const staff = new Map<string, { client: PanelClient; secret: string; email: string; userId: string }>();
const pros = new Map<string, string>(); // name → professional id

/** A professional's panel account, signed in with a password and a second factor at Naast's clock. */
async function signUp(name: string): Promise<void> {
  const email = `${name.toLowerCase()}@imw.example.org`;
  const token = await h.naast.staffAuth.invite({ email, displayName: name, role: "professional", organisationId: null, createdById: null });
  const client = new PanelClient(h.url);
  await client.get(`/admin/invite/${token}`);
  expect((await client.post(`/admin/invite/${token}`, { password: "a long enough password" })).status).toBe(303);
  const secret = /<code>([A-Z2-7 ]+)<\/code>/.exec((await client.get("/admin/2fa/setup")).text)![1]!.replace(/ /g, "");
  expect((await client.post("/admin/2fa/setup", { code: totpCode(secret, totpStep(h.clock())) })).status).toBe(303);
  const user = await h.db.prisma.staffUser.findUniqueOrThrow({ where: { email } });
  staff.set(name, { client, secret, email, userId: user.id });
}

/** Signs in again after the clock moved past the session's idle time. */
async function signIn(name: string): Promise<PanelClient> {
  const s = staff.get(name)!;
  const client = new PanelClient(h.url);
  await client.get("/admin/login");
  expect((await client.post("/admin/login", { email: s.email, password: "a long enough password" })).status).toBe(303);
  const user = await h.db.prisma.staffUser.findUniqueOrThrow({ where: { email: s.email } });
  const step = Math.max(totpStep(h.clock()), Number(user.totpLastStep ?? 0) + 1);
  expect((await client.post("/admin/login/code", { code: totpCode(s.secret, step) })).status).toBe(303);
  s.client = client;
  return client;
}

const tgSent = (chat: number) => h.telegram.calls("sendMessage").filter((c) => Number(c.body.chat_id) === chat);

beforeAll(async () => {
  h = await startHarness({ TELEGRAM_RATE_PER_CHAT_PER_SECOND: "20" });
  // Start on a Monday morning (Amsterdam), so working days are easy to follow.
  const monday = new Date("2026-11-30T08:00:00Z");
  h.advance(monday.getTime() - Date.now());
  imw = (await h.db.prisma.organisation.create({ data: { name: "IMW Korvel-team", kind: "welfare" } })).id;
  await signUp("Fatima");
  await signUp("Anouk");
  const weekdays = [1, 2, 3, 4, 5].map((day) => ({ day, from: "09:00", to: "17:00" }));
  for (const [name, languages, topics] of [
    ["Fatima", ["nl", "ar", "en"], ["money", "relationships"]],
    ["Anouk", ["nl", "en"], ["relationships", "general"]],
  ] as const) {
    const p = await h.db.prisma.professional.create({
      data: {
        name, organisationId: imw, staffUserId: staff.get(name)!.userId, topics: [...topics], languages: [...languages], neighbourhoods: ["korvel", "wandelbos-noord"], availability: weekdays, maxOpenCases: 5,
        texts: { create: [{ language: "nl", intro: `${name} is maatschappelijk werker.`, walkIn: "Dinsdag 10:00–12:00, buurthuis Korvel" }, { language: "ar", intro: `${name} أخصائية اجتماعية.` }] },
      },
    });
    pros.set(name, p.id);
  }
  await h.db.prisma.professional.update({ where: { id: pros.get("Anouk")! }, data: { backupId: pros.get("Fatima")! } });
});
afterAll(async () => {
  await h?.close();
});

describe("a warm handoff on WhatsApp: introduced, consented, accepted, talked through, checked in on", () => {
  const resident = () => new WhatsAppResident(h.url, h.whatsapp, "31677700001", h.naast);
  let r: WhatsAppResident;
  let handoffId: string;

  it("Fatima links her own Telegram with a code from the panel, to hear of new requests", async () => {
    const page = await staff.get("Fatima")!.client.post("/admin/chat-link", {});
    const code = /koppel ([A-Z0-9]{4}-[A-Z0-9]{4})/.exec(page.text)![1]!;
    await postTelegram(h.url, tgText(70001, 990001, `koppel ${code}`));
    await h.telegram.waitFor(() => tgSent(990001).some((c) => String(c.body.text).includes("Fatima")));
  });

  it("introduces a named professional who speaks the resident's language, and shares nothing before yes", async () => {
    r = resident();
    await r.say("مرحبا");
    await r.tap("c|onboarding|ask-language|ar");
    await r.tap("c|onboarding|about|korvel");
    await r.tap("c|menu|main|money");
    const intro = await r.tap("c|money|start|person");
    const text = intro.map((m) => m.text).join("\n");
    expect(text).toContain("Fatima");
    expect(text).toContain("أخصائية اجتماعية"); // her introduction in Arabic
    expect(text).toContain("IMW Korvel-team");
    expect(intro.at(-1)!.ids).toEqual(["c|handoff|how|chat", "c|handoff|how|call", "c|handoff|how|visit", "c|handoff|how|later", "g|emergency"]);
    expect(await h.db.prisma.handoff.count()).toBe(0);

    const preview = await r.tap("c|handoff|how|chat");
    const shown = preview.map((m) => m.text).join("\n");
    const pseudonym = h.naast.pseudonymizer.pseudonym("whatsapp", "31677700001");
    expect(shown).toContain(pseudonym.slice(0, 6).toUpperCase()); // the code name she will see
    expect(await h.db.prisma.handoff.count()).toBe(0);

    const sent = await r.tap("c|handoff|consent|yes");
    const ho = await h.db.prisma.handoff.findFirstOrThrow({ include: { professional: true } });
    handoffId = ho.id;
    expect(ho).toMatchObject({ status: "new", mode: "chat", topic: "money", language: "ar", phoneEnc: null });
    expect(ho.professional.name).toBe("Fatima");
    expect(ho.matchReason).toContain("speaks ar");
    // Said once, with one set of buttons: "write to Fatima", the menu and SOS; not the money question again.
    const withButtons = sent.filter((m) => m.ids.length > 0);
    expect(withButtons).toHaveLength(1);
    expect(withButtons[0]!.ids).toEqual([`h|r|${ho.id}`, "c|handoff|sent|menu", "g|emergency"]);
    expect(sent.some((m) => m.ids.some((id) => id.startsWith("c|money|")))).toBe(false);
    expect(sent.map((m) => m.text).join("\n")).toContain("Fatima");
    // One working day to answer: Tuesday, same time.
    expect(ho.acceptBy.toISOString()).toBe(addWorkingDays(h.clock(), 1).toISOString().slice(0, 17) + ho.acceptBy.toISOString().slice(17));
    // Fatima hears of it on her own Telegram, without anything about the resident.
    await h.telegram.waitFor(() => tgSent(990001).some((c) => String(c.body.text).includes("nieuwe aanvraag")));
    expect(JSON.stringify(tgSent(990001))).not.toContain("31677700001");
  });

  it("Fatima accepts in the panel; messages go both ways with her name on each, stored encrypted", async () => {
    const fatima = staff.get("Fatima")!.client;
    const inbox = await fatima.get("/admin/handoffs");
    expect(inbox.text).toContain(`/admin/handoffs/${handoffId}`);
    expect(inbox.text).not.toContain("31677700001");
    expect((await staff.get("Anouk")!.client.get(`/admin/handoffs/${handoffId}`)).status).toBe(404);

    const before = r.sent().length;
    expect((await fatima.post(`/admin/handoffs/${handoffId}/accept`, {})).status).toBe(303);
    await h.whatsapp.waitFor(() => r.sent().length > before);
    expect((await h.db.prisma.handoff.findUniqueOrThrow({ where: { id: handoffId } })).status).toBe("accepted");

    const n = r.sent().length;
    expect((await fatima.post(`/admin/handoffs/${handoffId}/message`, { text: "مرحبا، أنا فاطمة. كيف يمكنني مساعدتك؟" })).status).toBe(303);
    await h.whatsapp.waitFor(() => r.sent().length > n);
    const relayed = r.sent().slice(n).map((x) => JSON.stringify(x.body)).join("");
    expect(relayed).toContain("Fatima (IMW Korvel-team)");
    expect(relayed).toContain("كيف يمكنني مساعدتك");
    expect(relayed).toContain(`h|r|${handoffId}`);

    await r.tap(`h|r|${handoffId}`);
    const ack = await r.say("عندي ديون كثيرة");
    expect(ack[0]!.text).toContain("Fatima");
    const page = await fatima.get(`/admin/handoffs/${handoffId}`);
    expect(page.text).toContain("عندي ديون كثيرة");
    const rows = await h.db.prisma.handoffMessage.findMany({ where: { handoffId } });
    expect(rows).toHaveLength(2);
    for (const m of rows) expect(m.bodyEnc).not.toMatch(/ديون|فاطمة/);
    // SOS still works in the middle of the chat (it goes to the safety flow, not to Fatima) ...
    const sos = await r.say("SOS");
    expect(sos.map((m) => m.text).join(" ")).toContain("112");
    expect(await h.db.prisma.handoffMessage.count({ where: { handoffId } })).toBe(2);
    // ... and words of danger reach both: the safety message, and Fatima.
    await r.tap(`h|r|${handoffId}`);
    const danger = await r.say("he hits me");
    expect(danger.map((m) => m.text).join(" ")).toContain("112");
    expect(await h.db.prisma.handoffMessage.count({ where: { handoffId } })).toBe(3);
  });

  it("a typed answer to Fatima's message reaches her without tapping “reply”; a word leaves the chat", async () => {
    const fatima = staff.get("Fatima")!.client;
    await r.say("menu"); // somewhere else entirely
    const n = r.sent().length;
    expect((await fatima.post(`/admin/handoffs/${handoffId}/message`, { text: "Wanneer kun je langskomen?" })).status).toBe(303);
    await h.whatsapp.waitFor(() => r.sent().length > n);
    const ack = await r.say("dinsdag na school kan ik");
    expect(ack[0]!.text).toContain("Fatima");
    expect(ack[0]!.ids).toContain("c|handoff-chat|chatting|done");
    expect((await fatima.get(`/admin/handoffs/${handoffId}`)).text).toContain("dinsdag na school kan ik");
    // In the chat, everything typed goes to her, until a word or the button leaves it; a sentence that
    // happens to contain a "done" word is still a message.
    await r.say("en ik neem mijn dochter mee");
    await r.say("خلصت من الأوراق، شكرا");
    expect(await h.db.prisma.handoffMessage.count({ where: { handoffId, author: "resident" } })).toBe(5);
    const left = await r.tap("c|handoff-chat|chatting|done");
    expect(left.map((m) => m.text).join(" ")).not.toContain("Fatima");
    expect(await h.db.prisma.handoffMessage.count({ where: { handoffId, author: "resident" } })).toBe(5);
    // A number that answers the question on screen is not sent to her.
    await r.say("1");
    expect(await h.db.prisma.handoffMessage.count({ where: { handoffId, author: "resident" } })).toBe(5);
  });

  it("after five days the resident gets one check-in; “it did not help” reopens the case", async () => {
    h.advance(5 * 86_400_000 + 60_000);
    await r.say("مرحبا"); // keeps WhatsApp's window open
    const before = r.sent().length;
    expect(await h.naast.handoffs.runDue()).toBeGreaterThanOrEqual(1);
    await h.whatsapp.waitFor(() => r.sent().length > before);
    const checkIn = r.sent().slice(before).map((x) => JSON.stringify(x.body)).join("");
    expect(checkIn).toContain(`h|c|${handoffId}|helped`);
    expect(await h.naast.handoffs.runDue()).toBe(0); // once
    const reply = await r.tap(`h|c|${handoffId}|not_helped`);
    // The answer alone, with its own choices and SOS; not the question the resident was at again.
    expect(reply).toHaveLength(1);
    expect(reply[0]!.ids).toEqual([`h|o|${handoffId}`, `h|k|${handoffId}`, "g|emergency"]);
    const ho = await h.db.prisma.handoff.findUniqueOrThrow({ where: { id: handoffId } });
    expect(ho).toMatchObject({ checkInAnswer: "not_helped", outcome: null });
    expect(["accepted", "in_contact"]).toContain(ho.status);
    // "No, this is fine": said in a word, with the way to the menu, and the same professional stays.
    const kept = await r.tap(`h|k|${handoffId}`);
    expect(kept).toHaveLength(1);
    expect(kept[0]!.text).toContain("Fatima");
    expect(kept[0]!.ids).toEqual(["g|menu", "g|emergency"]);
    expect((await h.db.prisma.handoff.findUniqueOrThrow({ where: { id: handoffId }, include: { professional: true } })).professional.name).toBe("Fatima");
  });

  it("outside WhatsApp's 24-hour window a reply goes as the neutral template, and follows when the resident writes", async () => {
    h.advance(2 * 86_400_000);
    const fatima = await signIn("Fatima");
    const before = r.sent().length;
    const res = await fatima.post(`/admin/handoffs/${handoffId}/message`, { text: "Heb je morgen tijd om te bellen?" });
    expect(res.location).toContain("notice=held");
    await h.whatsapp.waitFor(() => r.sent().length > before);
    const notice = r.sent().slice(before);
    expect(notice).toHaveLength(1);
    expect(notice[0]!.body).toMatchObject({ type: "template", template: { name: "naast_new_message", language: { code: "ar" } } });
    expect(JSON.stringify(notice[0]!.body)).not.toContain("bellen"); // nothing sensitive in the template
    const after = await r.say("ok");
    expect(after[0]!.text).toContain("Heb je morgen tijd om te bellen?");
    expect(after[0]!.text).toContain("Fatima");
  });
});

describe("a handoff by phone on Telegram: reminder, escalation to the backup, honest about the delay", () => {
  const user = 880001;
  let update = 5000;
  const say = async (text: string) => post(tgText(++update, user, text));
  const tap = async (data: string) => post(tgTap(++update, user, data));
  async function post(body: unknown): Promise<string[]> {
    const before = tgSent(user).length;
    expect((await postTelegram(h.url, body)).status).toBe(200);
    await h.telegram.waitFor(() => tgSent(user).length > before);
    await new Promise((res) => setTimeout(res, 200));
    return tgSent(user).slice(before).map((c) => `${String(c.body.text)} ${JSON.stringify(c.body.reply_markup ?? {})}`);
  }

  it("asks for a number, shows it before sending, keeps it encrypted and out of the session state", async () => {
    await say("hallo");
    await tap("c|onboarding|confirm-language|yes"); // Telegram said the phone is in Dutch
    await tap("c|onboarding|about|korvel");
    await tap("c|menu|main|relationships");
    const intro = (await tap("c|relationships|topics|person")).join(" ");
    expect(intro).toContain("Anouk"); // Fatima has a case open already: the one with more room
    await tap("c|handoff|how|call");
    // A phone may be answered by the person the resident fears: when to call, and whether to say who calls.
    const when = (await say("06 1234 5678")).join(" ");
    expect(when).toContain("c|handoff|call-when|evening");
    await tap("c|handoff|call-when|evening");
    const preview = (await tap("c|handoff|call-identify|no")).join(" ");
    expect(preview).toContain("06 1234 5678");
    expect(preview).toContain("'s Avonds (17-21)");
    expect(preview).toContain("niet zeggen wie er belt");
    const state = JSON.stringify((await h.db.prisma.conversation.findFirstOrThrow({ where: { resident: { pseudonym: h.naast.pseudonymizer.pseudonym("telegram", String(user)) } } })).state);
    expect(state).not.toContain("1234");
    await tap("c|handoff|consent|yes");
    const ho = await h.db.prisma.handoff.findFirstOrThrow({ where: { mode: "call" }, include: { professional: true } });
    expect(ho.professional.name).toBe("Anouk");
    expect(ho.phoneEnc).not.toContain("1234");
    expect(h.naast.cipher.decrypt(ho.phoneEnc!)).toBe("06 1234 5678");
    expect(ho.summary).toMatchObject({ call: { when: "evening", identify: false } });
    const anouk = await signIn("Anouk");
    const page = (await anouk.get(`/admin/handoffs/${ho.id}`)).text;
    expect(page).toContain("06 1234 5678");
    expect(page).toContain("&#39;s avonds (17-21)");
    expect(page).toContain("zeg niet wie je bent");
  });

  it("reminds Anouk when the working day passes, then moves the case to Fatima and tells the resident", async () => {
    const ho = await h.db.prisma.handoff.findFirstOrThrow({ where: { mode: "call" } });
    h.advance(ho.acceptBy.getTime() - h.clock().getTime() + 60_000);
    await h.naast.handoffs.runDue();
    expect((await h.db.prisma.handoff.findUniqueOrThrow({ where: { id: ho.id } })).remindedAt).not.toBeNull();
    const before = tgSent(user).length;
    h.advance(4 * 3_600_000 + 60_000);
    await h.naast.handoffs.runDue();
    await h.telegram.waitFor(() => tgSent(user).length > before);
    const told = tgSent(user).slice(before).map((c) => String(c.body.text)).join(" ");
    expect(told).toContain("Anouk");
    expect(told).toContain("Fatima");
    const moved = await h.db.prisma.handoff.findUniqueOrThrow({ where: { id: ho.id }, include: { professional: true } });
    expect(moved.professional.name).toBe("Fatima");
    expect(moved.matchReason).toContain("backup");
    // Fatima now sees the number; Anouk no longer sees the case.
    const fatima = await signIn("Fatima");
    expect((await fatima.get(`/admin/handoffs/${ho.id}`)).text).toContain("06 1234 5678");
    expect((await (await signIn("Anouk")).get(`/admin/handoffs/${ho.id}`)).status).toBe(404);
  });

  it("the timers live in the database: after a restart, a fresh Naast keeps the promise", async () => {
    const ho = await h.db.prisma.handoff.findFirstOrThrow({ where: { mode: "call" } });
    expect(ho.nextActionAt!.getTime()).toBeGreaterThan(h.clock().getTime());
    const fresh = await createNaast(h.config, createLogger("silent"), { database: h.db, workers: false, clock: h.clock });
    try {
      h.advance(ho.nextActionAt!.getTime() - h.clock().getTime() + 60_000);
      expect(await fresh.handoffs.runDue()).toBe(1);
      expect((await h.db.prisma.handoff.findUniqueOrThrow({ where: { id: ho.id } })).remindedAt).not.toBeNull();
    } finally {
      await fresh.close();
    }
    // Its notice to the professional was queued in a process without workers: the database still has it,
    // and the recovery sweep of the running process sends it.
    await h.naast.sweeper.sweep(0);
    await h.telegram.waitFor(() => h.telegram.calls("sendMessage").some((c) => String(c.body.text).includes("wacht nog op je")));
  });
});

describe("quiet mode, another language, walking in, someone else, and deleting a closed case", () => {
  let r: WhatsAppResident;
  let first: string;

  it("a resident who asked never to be messaged first gets nothing unasked; it all waits until they write", async () => {
    r = new WhatsAppResident(h.url, h.whatsapp, "31677700002", h.naast);
    await r.say("cześć");
    await r.tap("c|onboarding|ask-language|pl");
    await r.tap("c|onboarding|about|korvel");
    await r.tap("c|menu|main|privacy");
    await r.tap("c|menu|privacy|quiet");
    await r.tap("c|menu|quiet|on");
    const pseudonym = h.naast.pseudonymizer.pseudonym("whatsapp", "31677700002");
    expect((await h.db.prisma.resident.findUniqueOrThrow({ where: { pseudonym } })).quiet).toBe(true);

    await r.tap("c|menu|quiet-on|menu");
    await r.tap("c|menu|main|money");
    const intro = (await r.tap("c|money|start|person")).map((m) => m.text).join("\n");
    expect(intro).toContain("Fatima");
    expect(intro).toContain("Polski"); // nobody speaks Polish for money: said honestly, with what Fatima speaks
    const visited = await r.tap("c|handoff|how|visit");
    expect(visited.map((m) => m.text).join("\n")).toContain("Dinsdag 10:00–12:00, buurthuis Korvel");
    // The walk-in details, then another way or the menu: not the money question again.
    expect(visited.at(-1)!.ids).toEqual(["c|handoff|visit|other", "c|handoff|visit|menu", "g|emergency"]);
    await r.tap("c|handoff|visit|other");
    await r.tap("c|handoff|how|chat");
    await r.tap("c|handoff|consent|yes");
    first = (await h.db.prisma.handoff.findFirstOrThrow({ where: { resident: { pseudonym } } })).id;

    const fatima = await signIn("Fatima");
    const before = r.sent().length;
    await fatima.post(`/admin/handoffs/${first}/accept`, {});
    h.advance(5 * 86_400_000 + 60_000);
    await h.naast.handoffs.runDue();
    await new Promise((res) => setTimeout(res, 500));
    expect(r.sent().length).toBe(before); // neither "accepted" nor the check-in went out
    expect((await h.db.prisma.handoff.findUniqueOrThrow({ where: { id: first } })).stage).toBe("check_in_held");

    const n = r.sent().length;
    await r.say("hej");
    // The held notice and the check-in arrive in order (with Redis, each waits for the one before).
    await h.whatsapp.waitFor(() => r.sent().slice(n).some((x) => JSON.stringify(x.body).includes(`h|c|${first}|helped`)));
    expect(r.sent().slice(n).map((x) => JSON.stringify(x.body)).join("")).toContain("Fatima");
  });

  it("“it did not help” can lead to someone else, without Fatima; sent, nothing else is told again", async () => {
    await r.tap(`h|c|${first}|not_helped`);
    const other = (await r.tap(`h|o|${first}`)).map((m) => m.text).join("\n");
    expect(other).toContain("Anouk");
    expect(other).not.toContain("Ik wil je graag voorstellen aan Fatima");
    await r.tap("c|handoff|how|chat");
    const sent = await r.tap("c|handoff|consent|yes");
    const second = await h.db.prisma.handoff.findFirstOrThrow({ where: { resident: { pseudonym: h.naast.pseudonymizer.pseudonym("whatsapp", "31677700002") }, id: { not: first } } });
    expect(sent.filter((m) => m.ids.length > 0).map((m) => m.ids)).toEqual([[`h|r|${second.id}`, "c|handoff|sent|menu", "g|emergency"]]);
  });

  it("a closed case keeps its messages for the set time, then deletes them and the number", async () => {
    const fatima = await signIn("Fatima");
    // Unanswered all this time, the call case has moved on again; its current professional closes it.
    const call = await h.db.prisma.handoff.findFirstOrThrow({ where: { mode: "call" }, include: { professional: true } });
    const owner = call.professional.name === "Fatima" ? fatima : await signIn(call.professional.name);
    expect((await owner.post(`/admin/handoffs/${call.id}/close`, { outcome: "helped" })).status).toBe(303);
    const main = await h.db.prisma.handoff.findFirstOrThrow({ where: { mode: "chat", language: "ar" } });
    await fatima.post(`/admin/handoffs/${main.id}/close`, { outcome: "referred" });
    expect(await h.db.prisma.handoffMessage.count({ where: { handoffId: main.id } })).toBeGreaterThan(0);
    h.advance(31 * 86_400_000);
    await h.naast.handoffs.runDue();
    expect(await h.db.prisma.handoffMessage.count({ where: { handoffId: main.id } })).toBe(0);
    const gone = await h.db.prisma.handoff.findUniqueOrThrow({ where: { id: call.id } });
    expect(gone.phoneEnc).toBeNull();
    expect(gone).toMatchObject({ status: "closed", outcome: "helped" }); // the outcome stays, for the figures
  });
});
