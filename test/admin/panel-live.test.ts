import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { WhatsAppResident } from "../support/chat-driver.js";
import { startHarness, type Harness } from "../support/harness.js";
import { PanelClient } from "../support/panel-client.js";
import { PASSWORD, signIn as signInNow, signUp, type Staff } from "../security/panel-helpers.js";

// Whole journeys with several sign-ins (scrypt, 32 MiB each): generous on a busy 2-core machine.
vi.setConfig({ testTimeout: 120_000, hookTimeout: 180_000 });

let h: Harness;
let imw: string;
let mosque: string;
const staff = new Map<string, Staff>();
let fatimaPro: string;
const signIn = (s: Staff) => {
  h.advance(31_000);
  return signInNow(h, s);
};

beforeAll(async () => {
  h = await startHarness();
  h.advance(new Date("2026-12-01T08:00:00Z").getTime() - Date.now()); // a Tuesday morning
  const p = h.db.prisma;
  imw = (await p.organisation.create({ data: { name: "IMW Korvel-team", kind: "welfare" } })).id;
  mosque = (await p.organisation.create({ data: { name: "Moskee Selimiye", kind: "house-of-worship" } })).id;
  staff.set("admin", await signUp(h, "admin", "admin@example.org"));
  staff.set("fatima", await signUp(h, "professional", "fatima@example.org"));
  staff.set("hatice", await signUp(h, "keyfigure", "hatice@example.org", mosque));
}, 180_000);
afterAll(async () => {
  await h?.close();
});

describe("the start page shows what needs attention for each role", () => {
  it("an admin is warned while no professional can be matched, and sees activities waiting for approval", async () => {
    const admin = await signIn(staff.get("admin")!);
    await h.db.prisma.activity.create({ data: { organisationId: mosque, status: "pending", startsAt: new Date(h.clock().getTime() + 5 * 86_400_000), place: "Moskee", neighbourhood: "korvel", topic: "meeting", audience: "everyone", texts: { create: [{ language: "nl", title: "Iftar voor de buurt", description: "Samen eten." }] } } });
    const home = await admin.get("/admin");
    expect(home.text).toContain("Er is nog geen professional gekoppeld aan een account");
    expect(home.text).toMatch(/data-count="activities_pending">1</);
    expect(home.text).toMatch(/data-count="requests_waiting">0</);
  });

  it("a key figure sees their organisation's activities with status and reach", async () => {
    const kf = await signIn(staff.get("hatice")!);
    const home = await kf.get("/admin");
    expect(home.text).toContain("Activiteiten van je organisatie");
    expect(home.text).toContain("Iftar voor de buurt");
    expect(home.text).toContain("Wacht op goedkeuring");
  });
});

describe("a professional works live", () => {
  let r: WhatsAppResident;
  let id: string;

  it("once linked, the admin's warning goes and matching introduces Fatima; the reason is in plain words", async () => {
    const pro = await h.db.prisma.professional.create({
      data: {
        name: "Fatima", organisationId: imw, staffUserId: staff.get("fatima")!.userId, topics: ["money"], languages: ["nl", "ar"], neighbourhoods: ["korvel"],
        availability: [1, 2, 3, 4, 5].map((day) => ({ day, from: "09:00", to: "17:00" })), texts: { create: [{ language: "nl", intro: "Fatima is maatschappelijk werker." }] },
      },
    });
    fatimaPro = pro.id;
    const admin = await signIn(staff.get("admin")!);
    expect((await admin.get("/admin")).text).not.toContain("Er is nog geen professional gekoppeld");
    r = new WhatsAppResident(h.url, h.whatsapp, "31622200001", h.naast);
    await r.say("hallo");
    await r.tap("c|onboarding|ask-language|nl");
    await r.tap("c|onboarding|about|korvel");
    await r.tap("c|menu|main|money");
    await r.tap("c|money|start|person");
    await r.tap("c|handoff|how|chat");
    await r.tap("c|handoff|consent|yes");
    id = (await h.db.prisma.handoff.findFirstOrThrow()).id;
    const fatima = await signIn(staff.get("fatima")!);
    const page = await fatima.get(`/admin/handoffs/${id}`);
    expect(page.text).toContain("<li>Specialist in Geld</li><li>Spreekt Nederlands</li><li>Werkt in Korvel</li>");
    expect(page.text).not.toMatch(/topic money|speaks nl|best match/);
    const en = await fatima.get(`/admin/handoffs/${id}?lang=en`);
    expect(en.text).toContain("<li>Specialist in Money</li><li>Speaks Dutch</li>");
    await fatima.get("/admin/handoffs?lang=nl");
  });

  it("the inbox and the case update themselves: 204 while nothing changed, the new parts and an unread count when it did", async () => {
    const fatima = await signIn(staff.get("fatima")!);
    const inbox = await fatima.get("/admin/handoffs");
    expect(inbox.text).toContain('data-live-url="/admin/handoffs/live"');
    expect(inbox.text).toContain('<script src="/admin/assets/live-updates.js" defer></script>');
    const version = /data-live-version="([^"]+)"/.exec(inbox.text)![1]!;
    expect((await fatima.get(`/admin/handoffs/live?v=${version}`)).status).toBe(204);

    // The resident writes: the inbox's version changes, with an unread count, also in the navigation.
    await r.tap(`h|r|${id}`);
    await r.say("Ik heb twee aanmaningen gekregen.");
    const live = await fatima.get(`/admin/handoffs/live?v=${version}`);
    expect(live.status).toBe(200);
    const data = JSON.parse(live.text) as { version: string; parts: Record<string, string>; badges: { messages: number; notices: number } };
    expect(data.version).not.toBe(version);
    expect(data.parts.summary).toContain("Ongelezen berichten van bewoners: 1.");
    expect(data.badges.messages).toBe(1);
    expect((await fatima.get("/admin")).text).toMatch(/data-badge="messages"><span aria-hidden="true">1</);

    // The case page's live view has the message; having it on screen makes it read.
    const caseLive = await fatima.get(`/admin/handoffs/${id}/live?v=old`);
    const c = JSON.parse(caseLive.text) as { version: string; parts: Record<string, string> };
    expect(c.parts.chat).toContain("Ik heb twee aanmaningen gekregen.");
    expect(c.parts.chat).toMatch(/data-id="\d+"/);
    expect((await fatima.get(`/admin/handoffs/${id}/live?v=${c.version}`)).status).toBe(204);
    const after = JSON.parse((await fatima.get("/admin/handoffs/live?v=x")).text) as { badges: { messages: number } };
    expect(after.badges.messages).toBe(0);
  });

  it("a message is sent without leaving the page (JSON for the page's script), and reaches the resident", async () => {
    const fatima = await signIn(staff.get("fatima")!);
    await fatima.get(`/admin/handoffs/${id}`);
    const n = r.sent().length;
    const body = new URLSearchParams({ _csrf: fatima.csrf(), text: "Zullen we dinsdag samen kijken?" });
    const res = await fetch(`${h.url}/admin/handoffs/${id}/message`, {
      method: "POST",
      headers: { cookie: [...fatima.jar].map(([k, v]) => `${k}=${v}`).join("; "), "content-type": "application/x-www-form-urlencoded", "x-naast-live": "1" },
      body,
      redirect: "manual",
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true, notice: "Verstuurd." });
    await h.whatsapp.waitFor(() => r.sent().length > n);
    expect(JSON.stringify(r.sent().slice(n))).toContain("Zullen we dinsdag samen kijken?");
    // Without the header (no script): redirect-after-post with the notice.
    const plain = await fatima.post(`/admin/handoffs/${id}/message`, { text: "Tot dinsdag." });
    expect(plain.location).toBe(`/admin/handoffs/${id}?notice=sent`);
  });

  it("live views refuse other people's cases and roles", async () => {
    const admin = await signIn(staff.get("admin")!);
    expect((await admin.get("/admin/handoffs/live")).status).toBe(403);
    expect((await admin.get(`/admin/handoffs/${id}/live`)).status).toBe(403);
    expect((await new PanelClient(h.url).get(`/admin/handoffs/${id}/live`)).status).toBe(303);
  });
});

describe("plain words, a QR code, and every form says it saved", () => {
  it("organisation kinds and languages are words, not codes", async () => {
    const admin = await signIn(staff.get("admin")!);
    const orgs = await admin.get("/admin/organisations");
    expect(orgs.text).toContain("<td>Welzijn</td>");
    expect(orgs.text).toContain("<td>Gebedshuis</td>");
    expect(orgs.text).not.toMatch(/<td>(welfare|house-of-worship)<\/td>/);
    const pros = await admin.get("/admin/professionals");
    expect(pros.text).toContain("IMW Korvel-team · Nederlands, Arabisch");
  });

  it("the second-factor page shows a QR code made on the server, next to the key", async () => {
    const token = await h.naast.staffAuth.invite({ email: "new@example.org", displayName: "New", role: "professional", organisationId: null, createdById: null });
    const c = new PanelClient(h.url);
    await c.get(`/admin/invite/${token}`);
    await c.post(`/admin/invite/${token}`, { password: PASSWORD });
    const setup = await c.get("/admin/2fa/setup");
    const img = /<img src="data:image\/svg\+xml;base64,([A-Za-z0-9+/=]+)" alt="([^"]+)"/.exec(setup.text)!;
    const svg = Buffer.from(img[1]!, "base64").toString("utf8");
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    expect(img[2]).toContain("QR-code");
    expect(setup.text).toMatch(/<code>[A-Z2-7 ]+<\/code>/);
  });

  it("saving a professional, an organisation, a setting, a role, withdrawing an invitation and unlinking a chat each say so", async () => {
    const admin = await signIn(staff.get("admin")!);
    const saved = async (res: { status: number; location: string | null }, text: string) => {
      expect(res.status).toBe(303);
      expect(res.location).toMatch(/[?&]saved=/);
      expect((await admin.get(res.location!)).text).toContain(text);
    };
    const p = await h.db.prisma.professional.findUniqueOrThrow({ where: { id: fatimaPro }, include: { texts: true } });
    await saved(
      await admin.post(`/admin/professionals/${p.id}`, {
        name: "Fatima", organisationId: imw, staffUserId: staff.get("fatima")!.userId, backupId: "", topics: ["money", "housing"], languages: ["nl", "ar"], neighbourhoods: ["korvel"],
        maxOpenCases: "8", active: "yes", from_1: "09:00", to_1: "17:00", intro_nl: "Fatima is maatschappelijk werker.",
      }),
      "Opgeslagen. Matching gebruikt de nieuwe gegevens meteen.",
    );
    await saved(await admin.post("/admin/organisations", { name: "Buurtvereniging Korvel", kind: "residents-association" }), "Organisatie toegevoegd.");
    await saved(await admin.post(`/admin/organisations/${imw}/approval`, { requiresApproval: "false" }), "de goedkeuringsinstelling is aangepast");
    await saved(await admin.post(`/admin/people/${staff.get("hatice")!.userId}/role`, { role: "coordinator", organisationId: mosque }), "de rol is gewijzigd");
    await admin.post("/admin/people/invite", { displayName: "Piet", email: "piet@example.org", role: "coordinator", organisationId: "" });
    const invite = await h.db.prisma.staffInvite.findFirstOrThrow({ where: { email: "piet@example.org" } });
    await saved(await admin.post(`/admin/people/invites/${invite.id}/revoke`, {}), "De uitnodiging is ingetrokken");
    await saved(await admin.post("/admin/chat-link/unlink", {}), "Ontkoppeld");
    expect((await admin.get("/admin/people")).text).toContain("Coördinator");
  });
});

describe("a first start without an admin", () => {
  it("a one-time link lets whoever opens it create the first admin; once there is one, the link stops working", { timeout: 180_000 }, async () => {
    // Another Naast, with no admin yet.
    const fresh = await startHarness();
    try {
      const token = (await fresh.naast.staffAuth.firstAdminInvite())!;
      expect(token).toBeDefined();
      const c = new PanelClient(fresh.url);
      const form = await c.get(`/admin/invite/${token}`);
      expect(form.status).toBe(200);
      expect(form.text).toContain("Eerste beheerder");
      expect((await c.post(`/admin/invite/${token}`, { password: PASSWORD, displayName: "", email: "nope" })).status).toBe(400);
      const made = await c.post(`/admin/invite/${token}`, { password: PASSWORD, displayName: "Wethouder", email: "Wethouder@Tilburg.example" });
      expect(made.location).toBe("/admin?saved=welcome");
      expect(await fresh.db.prisma.staffUser.findUniqueOrThrow({ where: { email: "wethouder@tilburg.example" } })).toMatchObject({ role: "admin", displayName: "Wethouder" });
      expect((await new PanelClient(fresh.url).get(`/admin/invite/${token}`)).status).toBe(410);
      expect(await fresh.naast.staffAuth.firstAdminInvite()).toBeUndefined();
    } finally {
      await fresh.close();
    }
  });
});
