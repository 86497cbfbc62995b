import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { codeName } from "../../src/handoffs/handoff-service.js";
import { TelegramResident } from "../support/chat-driver.js";
import { startHarness, type Harness } from "../support/harness.js";
import { mailText } from "../support/mail-text.js";
import { postTelegram, tgText } from "../support/payloads.js";
import { SmtpCatcher } from "../support/smtp-catcher.js";
import { signIn as signInNow, signUp, type Staff } from "../security/panel-helpers.js";

// Whole journeys with several sign-ins (scrypt, 32 MiB each): generous on a busy 2-core machine.
vi.setConfig({ testTimeout: 120_000, hookTimeout: 180_000 });

let h: Harness;
/** Signs in again a time step later (a TOTP code works once; a step holds one sign-in of each person). */
const signIn = (hh: Harness, s: Staff) => {
  hh.advance(31_000);
  return signInNow(hh, s);
};
let smtp: SmtpCatcher;
const staff = new Map<string, Staff>();
const pros = new Map<string, string>();
let imw: string;
let other: string;
const tgSent = (chat: number) => h.telegram.calls("sendMessage").filter((c) => Number(c.body.chat_id) === chat);

/** Links a staff member's own Telegram chat with a code from the panel. */
async function linkTelegram(s: Staff, chat: number): Promise<void> {
  const page = await s.client.post("/admin/chat-link", {});
  const code = /koppel ([A-Z0-9]{4}-[A-Z0-9]{4})/.exec(page.text)![1]!;
  const before = tgSent(chat).length;
  await postTelegram(h.url, tgText(chat * 10, chat, `koppel ${code}`));
  await h.telegram.waitFor(() => tgSent(chat).length > before);
}

beforeAll(async () => {
  smtp = await new SmtpCatcher().start();
  h = await startHarness({ TELEGRAM_RATE_PER_CHAT_PER_SECOND: "20", SMTP_URL: smtp.url, MAIL_FROM: "Naast <naast@example.org>" });
  h.advance(new Date("2026-12-01T08:00:00Z").getTime() - Date.now()); // a Tuesday morning
  const p = h.db.prisma;
  imw = (await p.organisation.create({ data: { name: "IMW Korvel-team", kind: "welfare" } })).id;
  other = (await p.organisation.create({ data: { name: "Schuldhulp Zuid", kind: "welfare" } })).id;
  for (const [name, role, org] of [
    ["samira", "professional", null],
    ["joost", "professional", null],
    ["ella", "professional", null],
    ["kim", "coordinator", imw],
    ["wim", "coordinator", null],
    ["otto", "coordinator", other],
    ["hatice", "keyfigure", other],
  ] as const) {
    staff.set(name, await signUp(h, role, `${name}@example.org`, org));
  }
  const weekdays = [1, 2, 3, 4, 5].map((day) => ({ day, from: "09:00", to: "17:00" }));
  for (const [name, org, topics] of [
    ["Samira", imw, ["relationships"]],
    ["Joost", imw, ["money"]],
    ["Ella", other, ["money"]],
  ] as const) {
    const pro = await p.professional.create({
      data: { name, organisationId: org, staffUserId: staff.get(name.toLowerCase())!.userId, topics: [...topics], languages: ["nl"], neighbourhoods: ["korvel"], availability: weekdays, texts: { create: [{ language: "nl", intro: `${name} helpt je verder.` }] } },
    });
    pros.set(name, pro.id);
  }
  await linkTelegram(staff.get("kim")!, 880001);
}, 180_000);
afterAll(async () => {
  await h?.close();
  await smtp?.stop();
});

describe("a coordinator role", () => {
  it("needs a second factor, and sees only what is theirs", async () => {
    expect(staff.get("kim")!.secret).toBeDefined();
    const kim = staff.get("kim")!.client;
    expect((await kim.get("/admin/coordination")).status).toBe(200);
    expect((await kim.get("/admin/people")).status).toBe(403);
    expect((await kim.get("/admin/handoffs")).status).toBe(403);
    expect((await staff.get("samira")!.client.get("/admin/coordination")).status).toBe(403);
    expect((await staff.get("hatice")!.client.get("/admin/coordination")).status).toBe(403);
    const home = await kim.get("/admin");
    expect(home.text).toContain("Coördinator");
    expect(home.text).toContain("IMW Korvel-team");
    expect((await staff.get("wim")!.client.get("/admin")).text).toContain("Wijkregie (alle organisaties)");
  });
});

describe("a request nobody accepts: reminder, coordinator notice, reassignment, the resident told", () => {
  const resident = () => new TelegramResident(h.url, h.telegram, 770001, "nl", h.naast);
  let r: TelegramResident;
  let id: string;
  let code: string;

  it("the resident asks to talk to someone about home; Samira is introduced and the request is made", async () => {
    r = resident();
    await r.say("hallo");
    await r.tap("c|onboarding|confirm-language|yes");
    await r.tap("c|onboarding|about|korvel");
    await r.tap("c|menu|main|relationships");
    await r.tap("c|relationships|topics|person");
    await r.tap("c|handoff|how|chat");
    await r.tap("c|handoff|consent|yes");
    const ho = await h.db.prisma.handoff.findFirstOrThrow({ include: { resident: true } });
    id = ho.id;
    code = codeName(ho.resident.pseudonym);
    await r.tap(`h|r|${id}`);
    await r.say("Thuis gaat het al een tijd niet goed tussen ons.");
    // The match is stored as facts, worded by the panel.
    expect(ho.matchFacts).toMatchObject([{ kind: "match", topic: "relationships", specialist: true, speaks: true }]);
  });

  it("past the time to accept: Samira's inbox marks it overdue, and she is reminded", async () => {
    const ho = await h.db.prisma.handoff.findUniqueOrThrow({ where: { id } });
    h.advance(ho.acceptBy.getTime() - h.clock().getTime() + 60_000);
    const samira = await signIn(h, staff.get("samira")!);
    const inbox = await samira.get("/admin/handoffs");
    expect(inbox.text).toContain("Te laat");
    expect(inbox.text).toMatch(/1 aanvraag\/aanvragen wachten langer dan afgesproken/);
    await h.naast.handoffs.runDue();
    expect((await h.db.prisma.handoff.findUniqueOrThrow({ where: { id } })).remindedAt).not.toBeNull();
    // Nothing for the coordinators yet: the professional gets the first chance.
    expect(await h.db.prisma.staffNotice.count()).toBe(0);
  });

  it("still nobody, and nobody to pass it to: the resident hears a coordinator is looking, and that is true", async () => {
    const n = r.sent().length;
    h.advance(4 * 3_600_000 + 60_000);
    await h.naast.handoffs.runDue();
    await h.telegram.waitFor(() => r.sent().length > n);
    const told = r.sent().slice(n).map((x) => String(x.body.text)).join("\n");
    expect(told).toContain("een coördinator kijkt mee");
    // Kim (IMW) and Wim (wijkregie) are told in the panel; Otto (another organisation) is not.
    const notices = await h.db.prisma.staffNotice.findMany({ include: { user: true } });
    expect(notices.map((x) => x.user.email).sort()).toEqual(["kim@example.org", "wim@example.org"]);
    expect(notices.every((x) => x.kind === "handoff-stuck")).toBe(true);
    // Kim's linked Telegram, without anything about the resident.
    await h.telegram.waitFor(() => tgSent(880001).some((c) => String(c.body.text).includes("coördinator meekijkt")));
    const chat = tgSent(880001).map((c) => String(c.body.text)).join("\n");
    expect(chat).toContain("IMW Korvel-team");
    expect(chat).not.toContain(code);
    expect(chat).not.toContain("Thuis gaat het");
    // And by e-mail (the sweep sends what is due), to both.
    await h.naast.notices.deliverEmails();
    await smtp.waitFor(2);
    expect(smtp.mails.flatMap((m) => m.to).sort()).toEqual(["kim@example.org", "wim@example.org"]);
    const mail = mailText(smtp.mails[0]!);
    expect(mail.subject).toContain("een aanvraag wacht op jou");
    expect(mail.body).toContain("/admin/coordination");
    expect(mail.body).toContain("English");
    expect(mail.body).not.toContain(code);
    expect(mail.body).not.toContain("Thuis gaat het");
    expect(smtp.mails[0]!.from).toBe("naast@example.org");
    expect(await h.db.prisma.staffNotice.count({ where: { emailStatus: "sent" } })).toBe(2);
    // A second sweep sends nothing twice.
    await h.naast.notices.deliverEmails();
    expect(smtp.mails).toHaveLength(2);
  });

  it("Kim sees it in the panel: counts and the code name, no content; Otto does not see it", async () => {
    const kim = await signIn(h, staff.get("kim")!);
    const home = await kim.get("/admin");
    expect(home.text).toContain("Nieuwe meldingen");
    expect(home.text).toContain(code);
    expect(home.text).toMatch(/data-count="requests_overdue">1</);
    const page = await kim.get("/admin/coordination");
    expect(page.text).toContain(code);
    expect(page.text).toContain("Te laat");
    expect(page.text).toMatch(/data-count="stuck">1</);
    expect(page.text).not.toContain("Thuis gaat het");
    const otto = await signIn(h, staff.get("otto")!);
    const theirs = await otto.get("/admin/coordination");
    expect(theirs.text).not.toContain(code);
    expect(theirs.text).toMatch(/data-count="waiting">0</);
    // An organisation's coordinator cannot move another organisation's request.
    expect((await otto.post(`/admin/coordination/${id}/reassign`, { to: pros.get("Ella")! })).status).toBe(404);
    const audit = await h.db.prisma.auditEvent.findMany({ where: { action: "coordination-view" } });
    expect(audit.length).toBeGreaterThanOrEqual(2);
    expect(audit.map((a) => a.detail).join(" ")).not.toContain(code);
  });

  it("Kim hands it to Joost: the resident hears Joost's name, Joost is told, the reassignment is logged", async () => {
    const kim = await signIn(h, staff.get("kim")!);
    const n = r.sent().length;
    const res = await kim.post(`/admin/coordination/${id}/reassign`, { to: pros.get("Joost")! });
    expect(res.status).toBe(303);
    expect(res.location).toBe("/admin/coordination?saved=reassigned");
    expect((await kim.get(res.location!)).text).toContain("de bewoner heeft de nieuwe naam gehoord");
    await h.telegram.waitFor(() => r.sent().length > n);
    const told = r.sent().slice(n).map((x) => String(x.body.text)).join("\n");
    expect(told).toMatch(/Samira kan je vraag helaas niet verder oppakken\. Joost \(IMW Korvel-team\) neemt het over/);
    const ho = await h.db.prisma.handoff.findUniqueOrThrow({ where: { id } });
    expect(ho.professionalId).toBe(pros.get("Joost"));
    expect(ho.status).toBe("new");
    expect(ho.acceptBy.getTime()).toBeGreaterThan(h.clock().getTime());
    expect(ho.matchFacts).toMatchObject([{ kind: "match" }, { kind: "reassigned", from: "Samira", by: "coordinator" }]);
    const joost = await signIn(h, staff.get("joost")!);
    expect((await joost.get("/admin/notices")).text).toContain(`Aanvraag ${code} is aan jou overgedragen (was bij Samira)`);
    const page = await joost.get(`/admin/handoffs/${id}`);
    expect(page.text).toContain("Overgedragen door een coördinator (was Samira).");
    expect(page.text).toContain("Thuis gaat het al een tijd niet goed"); // the professional who has it reads it
    const samira = await signIn(h, staff.get("samira")!);
    expect((await samira.get(`/admin/handoffs/${id}`)).status).toBe(404);
    const audit = await h.db.prisma.auditEvent.findFirstOrThrow({ where: { action: "reassign", subjectId: id } });
    expect(audit.actorLabel).toContain("kim@example.org");
    expect(audit.detail).not.toContain(code);
  });

  it("the next working day no coordinator is told again about a request that was handed over", async () => {
    const before = await h.db.prisma.staffNotice.count({ where: { kind: "handoff-stuck" } });
    h.advance(86_400_000);
    await h.naast.handoffs.runDue();
    expect(await h.db.prisma.staffNotice.count({ where: { kind: "handoff-stuck" } })).toBe(before);
  });
});

describe("staff e-mail keeps its own promises", () => {
  it("a refusal (5xx) fails for good, a temporary error (4xx) is tried again, a claim left by a crash is never resent", async () => {
    const kim = staff.get("kim")!;
    const make = (key: string) =>
      h.naast.notices.notify(h.db.prisma, [kim.userId], { key, kind: "handoff-stuck", params: { code: "ABCDEF", professional: "Samira", organisation: "IMW" }, link: "/admin/coordination" }, { email: true });
    const sent = smtp.mails.length;
    await make("test-refused");
    smtp.refuseNext(1, 550);
    await h.naast.notices.deliverEmails();
    expect(await h.db.prisma.staffNotice.findFirstOrThrow({ where: { key: "test-refused" } })).toMatchObject({ emailStatus: "failed", emailAttempts: 1 });
    await make("test-later");
    smtp.refuseNext(1, 451);
    await h.naast.notices.deliverEmails();
    expect(await h.db.prisma.staffNotice.findFirstOrThrow({ where: { key: "test-later" } })).toMatchObject({ emailStatus: "pending", emailAttempts: 1 });
    await h.naast.notices.deliverEmails();
    expect(await h.db.prisma.staffNotice.findFirstOrThrow({ where: { key: "test-later" } })).toMatchObject({ emailStatus: "sent", emailAttempts: 2 });
    expect(smtp.mails.length).toBe(sent + 1);
    await make("test-crash");
    await h.db.prisma.staffNotice.updateMany({ where: { key: "test-crash" }, data: { emailStatus: "sending", emailClaimedAt: new Date(h.clock().getTime() - 10 * 60_000) } });
    await h.naast.notices.deliverEmails();
    expect(await h.db.prisma.staffNotice.findFirstOrThrow({ where: { key: "test-crash" } })).toMatchObject({ emailStatus: "unknown" });
    expect(smtp.mails.length).toBe(sent + 1);
    // The same notice made twice is one notice.
    expect(await make("test-crash")).toEqual([]);
  });
});
