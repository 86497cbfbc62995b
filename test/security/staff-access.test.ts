import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startHarness, type Harness } from "../support/harness.js";
import { signUp, type Staff } from "./panel-helpers.js";

let h: Harness;
let admin: Staff;
let anouk: Staff;
let fatima: Staff;
let mallory: Staff;
let orgId: string;
const pro = { anouk: "", fatima: "" };
const CHAT = 5550001;
let handoffId: string;

/** The professional form as the panel posts it, with only the account changed. */
function form(name: string, staffUserId: string): Record<string, string | string[]> {
  return { name, organisationId: orgId, staffUserId, backupId: "", topics: ["relationships"], languages: ["nl"], neighbourhoods: ["korvel"], maxOpenCases: "5", active: "yes", from_1: "09:00", to_1: "17:00", intro_nl: `${name} helpt.`, walkin_nl: "" };
}

beforeAll(async () => {
  h = await startHarness();
  orgId = (await h.db.prisma.organisation.create({ data: { name: "IMW", kind: "welfare" } })).id;
  admin = await signUp(h, "admin", "admin@example.org");
  anouk = await signUp(h, "professional", "anouk@example.org");
  fatima = await signUp(h, "professional", "fatima@example.org");
  // An account the admin controls.
  mallory = await signUp(h, "professional", "mallory@example.org");
  const weekdays = [1, 2, 3, 4, 5].map((day) => ({ day, from: "09:00", to: "17:00" }));
  for (const [key, name, staffUserId] of [["anouk", "Anouk", anouk.userId], ["fatima", "Fatima", fatima.userId]] as const) {
    pro[key] = (await h.db.prisma.professional.create({ data: { name, organisationId: orgId, staffUserId, topics: ["relationships"], languages: ["nl"], neighbourhoods: ["korvel"], availability: weekdays, texts: { create: [{ language: "nl", intro: `${name} helpt.` }] } } })).id;
  }
  // A resident on Telegram with an open case at Anouk, who asked to be called.
  const resident = await h.db.prisma.resident.create({
    data: { pseudonym: h.naast.pseudonymizer.pseudonym("telegram", String(CHAT)), channel: "telegram", addressEnc: h.naast.cipher.encrypt(String(CHAT)), language: "nl", lastInboundAt: h.clock() },
  });
  handoffId = (
    await h.db.prisma.handoff.create({
      data: { residentId: resident.id, professionalId: pro.anouk, topic: "relationships", language: "nl", mode: "call", phoneEnc: h.naast.cipher.encrypt("06 5555 0001"), summary: { topic: "relationships", answers: [] }, matchReason: "test", status: "accepted", acceptBy: h.clock() },
    })
  ).id;
});
afterAll(async () => {
  await h?.close();
});

describe("re-linking a professional record is accountable", () => {
  it("an admin cannot move a professional with open cases to an account they control; nothing changes", async () => {
    const r = await admin.client.post(`/admin/professionals/${pro.anouk}`, form("Anouk", mallory.userId));
    expect(r.status).toBe(409);
    expect(r.text).toContain(`/admin/professionals/${pro.anouk}/reassign`);
    expect((await h.db.prisma.professional.findUniqueOrThrow({ where: { id: pro.anouk } })).staffUserId).toBe(anouk.userId);
    // Mallory sees nothing of Anouk's case.
    expect((await mallory.client.get(`/admin/handoffs/${handoffId}`)).status).toBe(404);
    expect((await admin.client.get(`/admin/handoffs/${handoffId}`)).status).toBe(403);
  });

  it("open cases are reassigned first; the resident is told the new name; then the re-link goes through", async () => {
    const before = h.telegram.calls("sendMessage").length;
    const r = await admin.client.post(`/admin/professionals/${pro.anouk}/reassign`, { to: pro.fatima });
    expect(r.status).toBe(303);
    const moved = await h.db.prisma.handoff.findUniqueOrThrow({ where: { id: handoffId } });
    expect(moved.professionalId).toBe(pro.fatima);
    expect(moved.status).toBe("new");
    await h.telegram.waitFor(() => h.telegram.calls("sendMessage").slice(before).some((c) => Number(c.body.chat_id) === CHAT && String(c.body.text).includes("Fatima")));
    const relinked = await admin.client.post(`/admin/professionals/${pro.anouk}`, form("Anouk", mallory.userId));
    expect(relinked.status).toBe(303);
    expect((await mallory.client.get(`/admin/handoffs/${handoffId}`)).status).toBe(404);
  });

  it("every staff view of a case, re-link, reassignment, role change and export is in the audit log, without resident content", async () => {
    expect((await fatima.client.get(`/admin/handoffs/${handoffId}`)).status).toBe(200);
    const role = await admin.client.post(`/admin/people/${mallory.userId}/role`, { role: "keyfigure", organisationId: orgId });
    expect(role.status).toBe(303);
    expect((await h.db.prisma.staffUser.findUniqueOrThrow({ where: { id: mallory.userId } })).role).toBe("keyfigure");
    const csv = await admin.client.get("/admin/audit.csv");
    expect(csv.status).toBe(200);
    const events = await h.db.prisma.auditEvent.findMany({ orderBy: { id: "asc" } });
    const actions = events.map((e) => e.action);
    for (const a of ["relink-refused", "reassign", "relink", "case-view", "role-change", "export"]) expect(actions, a).toContain(a);
    const view = events.find((e) => e.action === "case-view")!;
    expect(view).toMatchObject({ actorId: fatima.userId, subjectType: "handoff", subjectId: handoffId });
    const all = JSON.stringify(events.map((e) => ({ ...e, id: String(e.id) })));
    for (const secret of ["5555", String(CHAT), h.naast.pseudonymizer.pseudonym("telegram", String(CHAT)).slice(0, 6).toUpperCase()]) expect(all).not.toContain(secret);
    // Admins see it in the panel; nobody else does.
    const page = await admin.client.get("/admin/audit");
    expect(page.status).toBe(200);
    expect(page.text).toContain("fatima@example.org");
    expect((await fatima.client.get("/admin/audit")).status).toBe(403);
    expect(csv.text.split("\n")[0]).toContain("action");
  });
});
