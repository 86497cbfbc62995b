import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { totpCode, totpStep } from "../../src/admin/totp.js";
import { startHarness, type Harness } from "../support/harness.js";
import { PanelClient } from "../support/panel-client.js";

let h: Harness;
let admin: PanelClient;
let pro: PanelClient;
let kf: PanelClient;

async function signUp(role: "admin" | "professional" | "keyfigure", email: string, organisationId: string | null = null) {
  const token = await h.naast.staffAuth.invite({ email, displayName: email.split("@")[0]!, role, organisationId, createdById: null });
  const c = new PanelClient(h.url);
  await c.get(`/admin/invite/${token}`);
  await c.post(`/admin/invite/${token}`, { password: "a long enough password" });
  if (role !== "keyfigure") {
    const secret = /<code>([A-Z2-7 ]+)<\/code>/.exec((await c.get("/admin/2fa/setup")).text)![1]!.replace(/ /g, "");
    await c.post("/admin/2fa/setup", { code: totpCode(secret, totpStep(new Date())) });
  }
  return c;
}

beforeAll(async () => {
  h = await startHarness();
  admin = await signUp("admin", "admin@example.org");
  pro = await signUp("professional", "mehmet@example.org");
  const org = (await h.db.prisma.organisation.create({ data: { name: "Moskee", kind: "house-of-worship" } })).id;
  kf = await signUp("keyfigure", "kf@example.org", org);
});
afterAll(async () => {
  await h?.close();
});

describe("professionals in the panel", () => {
  it("are managed by admins only; the example people are marked and not matched without an account", async () => {
    for (const path of ["/admin/professionals", "/admin/professionals/new"]) {
      expect((await pro.get(path)).status).toBe(403);
      expect((await kf.get(path)).status).toBe(403);
    }
    expect((await kf.get("/admin/handoffs")).status).toBe(403);
    const list = await admin.get("/admin/professionals");
    expect(list.status).toBe(200);
    expect(list.text).toContain("Fatima");
    expect(list.text).toContain("Voorbeeld");
    expect(list.text).toContain("Geen account");
    expect(await h.naast.handoffs.match(h.db.prisma, { topic: "money", language: "nl", neighbourhood: "korvel" })).toBeUndefined();
  });

  it("an admin links a real account with hours, languages and an introduction; then matching chooses them", async () => {
    const mehmetId = (await h.db.prisma.staffUser.findUniqueOrThrow({ where: { email: "mehmet@example.org" } })).id;
    const example = await h.db.prisma.professional.findFirstOrThrow({ where: { name: "Mehmet" } });
    const form = await admin.get(`/admin/professionals/${example.id}`);
    expect(form.text).toContain("voorbeeldpersoon");
    const bad = await admin.post(`/admin/professionals/${example.id}`, { name: "", organisationId: example.organisationId, topics: [], languages: ["nl"], neighbourhoods: ["korvel"], maxOpenCases: "8", intro_nl: "" });
    expect(bad.status).toBe(400);
    expect(bad.text).toContain("Kies minstens één onderwerp.");
    expect(bad.text).toContain("Vul minstens één dag met een begin- en eindtijd in.");
    const ok = await admin.post(`/admin/professionals/${example.id}`, {
      name: "Mehmet", organisationId: example.organisationId, staffUserId: mehmetId, backupId: "", topics: ["money", "housing"], languages: ["nl", "tr"], neighbourhoods: ["korvel"],
      maxOpenCases: "6", active: "yes", from_1: "09:00", to_1: "17:00", from_3: "09:00", to_3: "12:00", intro_nl: "Mehmet helpt met geld en wonen.", walkin_nl: "Woensdag 10:00", intro_tr: "Mehmet para ve ev konularında yardım eder.", walkin_tr: "",
    });
    expect(ok.status).toBe(303);
    const saved = await h.db.prisma.professional.findUniqueOrThrow({ where: { id: example.id }, include: { texts: true } });
    expect(saved).toMatchObject({ staffUserId: mehmetId, example: false, maxOpenCases: 6, topics: ["money", "housing"], languages: ["nl", "tr"] });
    expect(saved.availability).toEqual([{ day: 1, from: "09:00", to: "17:00" }, { day: 3, from: "09:00", to: "12:00" }]);
    expect(saved.texts.map((t) => t.language).sort()).toEqual(["nl", "tr"]);
    const m = await h.naast.handoffs.match(h.db.prisma, { topic: "money", language: "tr", neighbourhood: "korvel" });
    expect(m?.candidate.name).toBe("Mehmet");
    // His inbox works now; the admin's overview shows counts, never content.
    expect((await pro.get("/admin/handoffs")).text).toContain("Nieuwe aanvragen: 0");
    const overview = await admin.get("/admin/handoffs");
    expect(overview.text).toContain("Alleen aantallen");
  });
});
