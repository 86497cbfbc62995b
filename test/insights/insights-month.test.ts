import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { InsightReader } from "../../src/insights/insight-reader.js";
import { parseInsightFilters, type InsightReport } from "../../src/insights/insight-report.js";
import { TelegramResident } from "../support/chat-driver.js";
import { startHarness, type Harness } from "../support/harness.js";
import { signIn, signUp, type Staff } from "../security/panel-helpers.js";

// A month of residents through the real webhook and several sign-ins (scrypt): generous on a busy machine.
vi.setConfig({ testTimeout: 240_000, hookTimeout: 240_000 });

let h: Harness;
const korvel: TelegramResident[] = [];
const wandelbos: TelegramResident[] = [];
const staff = new Map<string, Staff>();

/** Every counter row, as text, to compare before and after something. */
async function counters(): Promise<string[]> {
  const rows = await h.db.prisma.insightCounter.findMany();
  return rows.map((r) => `${r.metric}|${r.period}|${r.periodStart.toISOString().slice(0, 10)}|${r.neighbourhood}|${r.language}|${r.channel}|${r.topic}|${r.option}=${r.count}`).sort();
}
async function count(metric: string, where: Record<string, string | Date> = {}): Promise<number> {
  const rows = await h.db.prisma.insightCounter.findMany({ where: { metric, ...where } });
  return rows.reduce((a, r) => a + r.count, 0);
}
const cell = (r: InsightReport, table: string, row: string, col = 0) => r.tables.find((t) => t.id === table)!.rows.find((x) => x.code === row)!.cells[col]!;

/** A new resident on Telegram: past the first questions, into money worries, advice, and the question about home. */
async function moneyVisit(r: TelegramResident, neighbourhood: "korvel" | "wandelbos", home: "fine" | "tense" | "skip"): Promise<void> {
  await r.say("hallo");
  await r.tap("c|onboarding|confirm-language|yes");
  await r.tap(`c|onboarding|about|${neighbourhood}`);
  await r.tap("c|menu|main|money");
  await r.tap("c|money|start|bills");
  await r.tap("c|money|bills|steps");
  await r.tap("c|money|helped|yes");
  await r.tap(`c|money|home|${home}`);
}

beforeAll(async () => {
  h = await startHarness({ TELEGRAM_RATE_PER_CHAT_PER_SECOND: "50" });
  // Monday 2 November 2026, 10:00 in Amsterdam: week 45.
  h.advance(new Date("2026-11-02T09:00:00Z").getTime() - Date.now());
  for (let i = 0; i < 11; i++) korvel.push(new TelegramResident(h.url, h.telegram, 710_001 + i, "nl", h.naast));
  for (let i = 0; i < 3; i++) wandelbos.push(new TelegramResident(h.url, h.telegram, 720_001 + i, "tr", h.naast));
});
afterAll(async () => {
  await h?.close();
});

describe("a scripted month of activity on Naast's own clock", () => {
  it("week 1: fourteen new residents, their topics, advice and answers about home are counted; nobody is named", async () => {
    for (const [i, r] of korvel.entries()) await moneyVisit(r, "korvel", i < 10 ? "fine" : "tense");
    for (const r of wandelbos) await moneyVisit(r, "wandelbos", "skip");
    const week = { periodStart: new Date("2026-11-02T00:00:00Z") };
    expect(await count("residents_new", { ...week, neighbourhood: "korvel", language: "nl", channel: "telegram" })).toBe(11);
    expect(await count("residents_new", { ...week, neighbourhood: "wandelbos-noord", language: "tr" })).toBe(3);
    expect(await count("residents_returning")).toBe(0);
    expect(await count("residents_reached", { periodStart: new Date("2026-11-01T00:00:00Z") })).toBe(14);
    expect(await count("topic_opened", { topic: "money" })).toBe(14);
    expect(await count("advice_read", { topic: "money" })).toBe(14);
    expect(await count("home_answer", { option: "fine" })).toBe(10);
    expect(await count("home_answer", { option: "tense" })).toBe(1);
    expect(await count("home_answer", { option: "skip", language: "tr" })).toBe(3);
    // The table has codes and counts only: no resident id, pseudonym or text could be in it.
    const columns = await h.db.sql.query(`SELECT column_name FROM information_schema.columns WHERE table_name = 'insight_counter' ORDER BY column_name`);
    expect(columns.map((c) => c.column_name)).toEqual(["channel", "count", "language", "metric", "neighbourhood", "option", "period", "period_start", "topic"]);
  });

  it("week 2: four come back (returning, not reached again this month); a safety message counts per month and neighbourhood only", async () => {
    h.advance(7 * 86_400_000);
    for (const r of korvel.slice(0, 4)) await r.say("menu");
    await korvel[0]!.tap("g|emergency");
    expect(await count("residents_returning", { periodStart: new Date("2026-11-09T00:00:00Z"), neighbourhood: "korvel" })).toBe(4);
    expect(await count("residents_new", { periodStart: new Date("2026-11-09T00:00:00Z") })).toBe(0);
    expect(await count("residents_reached")).toBe(14);
    // The relationship check, started and finished (the answers themselves are never counted).
    await korvel[3]!.tap("c|menu|main|relationships");
    await korvel[3]!.tap("c|relationships|topics|check");
    for (const q of ["q-respect", "q-jealousy", "q-control", "q-money", "q-fear"]) await korvel[3]!.tap(`c|relationships|${q}|${q === "q-respect" ? "yes" : "no"}`);
    expect(await count("relationship_check_started", { neighbourhood: "korvel", language: "nl" })).toBe(1);
    expect(await count("relationship_check_finished", { neighbourhood: "korvel", language: "nl" })).toBe(1);
    expect(await count("topic_opened", { topic: "relationships" })).toBe(1);
    const safety = await h.db.prisma.insightCounter.findMany({ where: { metric: "safety_shown" } });
    expect(safety.map((s) => [s.period, s.periodStart.toISOString().slice(0, 10), s.neighbourhood, s.language, s.channel, s.topic, s.count])).toEqual([["month", "2026-11-01", "korvel", "-", "-", "-", 1]]);
  });

  it("week 3: a resident who erases themselves leaves every counter as it was", async () => {
    h.advance(7 * 86_400_000);
    await korvel[5]!.say("stop");
    const before = await counters();
    await korvel[5]!.tap("c|erase|confirm|yes");
    expect(await h.db.prisma.resident.count()).toBe(13);
    expect(await counters()).toEqual(before);
  });

  it("the month's report shows no figure under 10, and no view can be subtracted from another", async () => {
    const reader = new InsightReader(h.db.prisma);
    const all = await reader.report(parseInsightFilters({ month: "2026-11", months: "1" }, "2026-11"));
    expect(cell(all, "residents", "residents_reached")).toEqual({ kind: "value", value: 14 });
    // Wandelbos-Noord has three: shown as small, and Korvel (11) is hidden, or 14 − 11 would give it away.
    expect(cell(all, "residents-by-neighbourhood", "wandelbos-noord").kind).toBe("small");
    expect(cell(all, "residents-by-neighbourhood", "korvel").kind).toBe("hidden");
    expect(cell(all, "residents-by-neighbourhood", "total")).toEqual({ kind: "value", value: 14 });
    // The same through a filter: "Dutch only" (11) would be 14 minus the Turkish speakers.
    const dutch = await reader.report(parseInsightFilters({ month: "2026-11", months: "1", language: "nl" }, "2026-11"));
    expect(cell(dutch, "residents", "residents_reached").kind).not.toBe("value");
    const turkish = await reader.report(parseInsightFilters({ month: "2026-11", months: "1", language: "tr" }, "2026-11"));
    expect(cell(turkish, "residents", "residents_reached").kind).toBe("small");
    // Weeks: the month's returning residents (4) and each week's are small.
    expect(cell(all, "residents", "residents_returning").kind).toBe("small");
    for (const p of all.trends.find((t) => t.metric === "residents_returning")!.points) expect(p.figure.kind === "value" && p.figure.value < 10).toBe(false);
    // Safety per month and neighbourhood, never split further: a language filter does not apply to it.
    expect(dutch.tables.find((t) => t.id === "safety")!.ignores).toEqual(["language"]);
    expect(cell(all, "safety", "korvel").kind).toBe("small");
  });
});

describe("who sees the insights", () => {
  beforeAll(async () => {
    const org = await h.db.prisma.organisation.create({ data: { name: "Wijkteam", kind: "welfare" } });
    for (const [name, role] of [["anna", "admin"], ["wouter", "wijkregie"], ["pia", "professional"], ["kees", "keyfigure"], ["cor", "coordinator"]] as const) {
      staff.set(name, await signUp(h, role, `${name}@example.org`, role === "keyfigure" ? org.id : null));
    }
  });

  it("admins and the wijkregie see the page, the report and the CSV; every other role gets 403", async () => {
    for (const name of ["anna", "wouter"]) {
      const c = staff.get(name)!.client;
      const page = await c.get("/admin/insights?month=2026-11&months=1");
      expect(page.status).toBe(200);
      expect(page.text).toContain('role="img"');
      expect((await c.get("/admin/insights/report?month=2026-11")).status).toBe(200);
      expect((await c.get("/admin/insights/report.csv?month=2026-11")).status).toBe(200);
    }
    for (const name of ["pia", "kees", "cor"]) {
      const c = staff.get(name)!.client;
      for (const path of ["/admin/insights", "/admin/insights/report?month=2026-11", "/admin/insights/report.csv?month=2026-11", "/admin/insights/population"]) {
        expect((await c.get(path)).status, `${name} ${path}`).toBe(403);
      }
    }
  });

  it("the wijkregie starts on Insights and sees nothing else: no cases, people, population form or notices", async () => {
    const c = staff.get("wouter")!.client;
    const home = await c.get("/admin");
    expect(home.status).toBe(303);
    expect(home.location).toBe("/admin/insights");
    for (const path of ["/admin/handoffs", "/admin/coordination", "/admin/people", "/admin/audit", "/admin/activities", "/admin/insights/population"]) {
      expect((await c.get(path)).status, path).toBe(403);
    }
    expect((await c.post("/admin/insights/population", { neighbourhood: "korvel", language: "tr", count: "900", source: "CBS", asOf: "2024-01-01" })).status).toBe(403);
  });

  it("every export is in the audit log, and the CSV carries the same suppressed figures", async () => {
    const c = staff.get("wouter")!.client;
    const before = await h.db.prisma.auditEvent.count({ where: { action: "export" } });
    const csv = await c.get("/admin/insights/report.csv?month=2026-11");
    expect(await h.db.prisma.auditEvent.count({ where: { action: "export" } })).toBe(before + 1);
    const lines = csv.text.trim().split("\r\n");
    expect(lines[0]).toBe('"month","table","row","column","figure"');
    expect(lines).toContain('"2026-11","residents-by-neighbourhood","wandelbos-noord","residents_reached","< 10"');
    expect(lines).toContain('"2026-11","residents-by-neighbourhood","korvel","residents_reached","hidden"');
    // No figure from 1 to 9 anywhere in the CSV.
    for (const line of lines.slice(1)) expect(line).not.toMatch(/,"[1-9]"$/);
  });

  it("an admin enters the population with source and date (logged); reach is shown against it", async () => {
    const c = staff.get("anna")!.client;
    const bad = await c.post("/admin/insights/population", { neighbourhood: "korvel", language: "nl", count: "-4", source: "CBS", asOf: "2024-01-01" });
    expect(bad.status).toBe(400);
    const ok = await c.post("/admin/insights/population", { neighbourhood: "korvel", language: "all", count: "5400", source: "CBS Kerncijfers wijken en buurten 2024", asOf: "2024-01-01" });
    expect(ok.status).toBe(303);
    expect(await h.db.prisma.auditEvent.count({ where: { action: "population-change" } })).toBe(1);
    const page = await c.get("/admin/insights?month=2026-11&months=1");
    expect(page.text).toContain("CBS Kerncijfers wijken en buurten 2024, 2024-01-01");
    expect(page.text).toContain("5400");
  });
});

describe("promises kept, counted where they are kept", () => {
  let first: string;
  let second: string;
  /** A Korvel resident asks to talk to someone about relationships and agrees to be introduced. */
  async function ask(r: TelegramResident): Promise<string> {
    await r.say("menu");
    await r.tap("c|menu|main|relationships");
    await r.tap("c|relationships|topics|person");
    await r.tap("c|handoff|how|chat");
    await r.tap("c|handoff|consent|yes");
    return (await h.db.prisma.handoff.findFirstOrThrow({ where: { resident: { pseudonym: { not: "" } } }, orderBy: { createdAt: "desc" } })).id;
  }

  beforeAll(async () => {
    const org = await h.db.prisma.organisation.findFirstOrThrow({ where: { name: "Wijkteam" } });
    await h.db.prisma.professional.create({
      data: {
        name: "Pia", organisationId: org.id, staffUserId: staff.get("pia")!.userId, topics: ["relationships"], languages: ["nl"], neighbourhoods: ["korvel"],
        availability: [1, 2, 3, 4, 5].map((day) => ({ day, from: "09:00", to: "17:00" })), texts: { create: [{ language: "nl", intro: "Pia werkt in het wijkteam." }] },
      },
    });
  });

  it("accepted in time, accepted late after an escalation, and the check-in answer", async () => {
    first = await ask(korvel[1]!);
    expect(await count("handoff_offered", { topic: "relationships", neighbourhood: "korvel" })).toBe(1);
    expect(await count("handoff_consented", { topic: "relationships" })).toBe(1);
    const pia = staff.get("pia")!.client;
    expect((await pia.post(`/admin/handoffs/${first}/accept`, {})).status).toBe(303);
    expect(await count("handoff_accepted", { option: "in_time", topic: "relationships", language: "nl", channel: "telegram" })).toBe(1);

    second = await ask(korvel[2]!);
    expect(second).not.toBe(first);
    const ho = await h.db.prisma.handoff.findUniqueOrThrow({ where: { id: second } });
    h.advance(ho.acceptBy.getTime() - h.clock().getTime() + 60_000);
    await h.naast.handoffs.runDue(); // the reminder
    h.advance(4 * 3_600_000 + 60_000);
    await h.naast.handoffs.runDue(); // nobody else: the coordinators are told, and it counts as escalated
    expect(await count("handoff_escalated", { topic: "relationships" })).toBe(1);
    // A day later the panel session has ended: Pia signs in again.
    const piaAgain = await signIn(h, staff.get("pia")!);
    expect((await piaAgain.post(`/admin/handoffs/${second}/accept`, {})).status).toBe(303);
    expect(await count("handoff_accepted", { option: "late" })).toBe(1);

    h.advance(5 * 86_400_000 + 60_000);
    await h.naast.handoffs.runDue();
    await h.telegram.waitFor(() => korvel[1]!.sent().some((m) => JSON.stringify(m.body).includes(`h|c|${first}|helped`)));
    await korvel[1]!.tap(`h|c|${first}|helped`);
    expect(await count("checkin_answer", { option: "helped", topic: "relationships" })).toBe(1);

    // Closing counts by outcome; closing again (refused) counts nothing.
    const piaNow = await signIn(h, staff.get("pia")!);
    expect((await piaNow.post(`/admin/handoffs/${second}/close`, { outcome: "referred" })).status).toBe(303);
    expect((await piaNow.post(`/admin/handoffs/${second}/close`, { outcome: "referred" })).status).toBe(303);
    expect(await count("handoff_closed", { option: "referred", topic: "relationships", neighbourhood: "korvel" })).toBe(1);
  });

  it("the share accepted in time is shown only when both figures are 10 or more", async () => {
    const reader = new InsightReader(h.db.prisma);
    const month = await reader.report(parseInsightFilters({ month: "2026-11", months: "1" }, "2026-11"));
    expect(month.promises.accepted.kind).toBe("small");
    expect(month.promises.share).toBeUndefined();
    const page = await (await signIn(h, staff.get("wouter")!)).get("/admin/insights?month=2026-11&months=1");
    expect(page.text).toMatch(/data-figure="share-in-time">—/);
  });
});
