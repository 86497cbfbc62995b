import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { totpCode, totpStep } from "../../src/admin/totp.js";
import { startHarness, type Harness } from "../support/harness.js";
import { PanelClient } from "../support/panel-client.js";

let h: Harness;
let orgId: string;
beforeAll(async () => {
  h = await startHarness();
  orgId = (await h.db.prisma.organisation.create({ data: { name: "Moskee Korvel", kind: "house-of-worship" } })).id;
});
afterAll(async () => {
  await h?.close();
});

/** Invites, accepts and (for two-factor roles) enrols a user; returns a signed-in client. */
async function signUp(role: "admin" | "professional" | "keyfigure", email: string): Promise<{ client: PanelClient; secret?: string }> {
  const token = await h.naast.staffAuth.invite({ email, displayName: email.split("@")[0]!, role, organisationId: role === "keyfigure" ? orgId : null, createdById: null });
  const client = new PanelClient(h.url);
  expect((await client.get(`/admin/invite/${token}`)).status).toBe(200);
  const accepted = await client.post(`/admin/invite/${token}`, { password: "a long enough password" });
  expect(accepted.status).toBe(303);
  if (role === "keyfigure") return { client };
  const home = await client.get("/admin");
  expect(home.location).toBe("/admin/2fa/setup");
  const setup = await client.get("/admin/2fa/setup");
  const secret = /<code>([A-Z2-7 ]+)<\/code>/.exec(setup.text)![1]!.replace(/ /g, "");
  const done = await client.post("/admin/2fa/setup", { code: totpCode(secret, totpStep(new Date())) });
  expect(done.status).toBe(303);
  return { client, secret };
}

describe("panel accounts", () => {
  it("an invitation works once and asks for a long enough password", async () => {
    const token = await h.naast.staffAuth.invite({ email: "kf1@example.org", displayName: "KF", role: "keyfigure", organisationId: orgId, createdById: null });
    const c = new PanelClient(h.url);
    await c.get(`/admin/invite/${token}`);
    const weak = await c.post(`/admin/invite/${token}`, { password: "short" });
    expect(weak.status).toBe(400);
    // The same form again, saying why, still posting to this invitation.
    expect(weak.text).toMatch(/<p role="alert" class="error">Kies een wachtwoord van minstens \d+ tekens\.<\/p>/);
    expect(weak.text).toContain(`action="/admin/invite/${token}"`);
    expect((await c.post(`/admin/invite/${token}`, { password: "a long enough password" })).status).toBe(303);
    const again = new PanelClient(h.url);
    expect((await again.get(`/admin/invite/${token}`)).status).toBe(410);
    expect((await c.get("/admin")).status).toBe(200);
    const user = await h.db.prisma.staffUser.findUniqueOrThrow({ where: { email: "kf1@example.org" } });
    expect(user.passwordHash).toMatch(/^scrypt\$/);
    expect(user.passwordHash).not.toContain("a long enough password");
  });

  it("admins must set up and use a second factor; a code works once", async () => {
    const { secret } = await signUp("admin", "admin1@example.org");
    const c = new PanelClient(h.url);
    await c.get("/admin/login");
    expect((await c.post("/admin/login", { email: "admin1@example.org", password: "a long enough password" })).location).toBe("/admin");
    expect((await c.get("/admin")).location).toBe("/admin/login/code");
    expect((await c.get("/admin/people")).location).toBe("/admin/login/code");
    // The code used during set-up cannot be used again (its own time step, even if the clock has moved
    // on since); a wrong code is refused.
    const user = await h.db.prisma.staffUser.findUniqueOrThrow({ where: { email: "admin1@example.org" } });
    const used = await c.post("/admin/login/code", { code: totpCode(secret!, Number(user.totpLastStep)) });
    expect(used.status).toBe(401);
    expect((await c.post("/admin/login/code", { code: "000000" })).status).toBe(401);
    // Next step's code (within the one-step drift) is fresh.
    const fresh = totpCode(secret!, Number(user.totpLastStep) + 1);
    expect((await c.post("/admin/login/code", { code: fresh })).location).toBe("/admin");
    expect((await c.get("/admin/people")).status).toBe(200);
  });

  it("every page refuses the wrong role, and the anonymous", async () => {
    const { client: kf } = await signUp("keyfigure", "kf2@example.org");
    const { client: pro } = await signUp("professional", "pro1@example.org");
    const anon = new PanelClient(h.url);
    for (const path of ["/admin/people", "/admin/organisations", "/admin/coordination"]) {
      expect((await kf.get(path)).status).toBe(403);
      expect((await pro.get(path)).status).toBe(403);
      expect((await anon.get(path)).location).toBe("/admin/login");
    }
    expect((await anon.get("/admin/notices")).location).toBe("/admin/login");
    const someone = "00000000-0000-4000-8000-000000000000";
    for (const c of [kf, pro]) expect((await c.post(`/admin/coordination/${someone}/reassign`, { to: someone })).status).toBe(403);
    await anon.get("/admin/login");
    await kf.get("/admin");
    for (const [path, fields] of [["/admin/people/invite", { displayName: "x", email: "x@example.org", role: "admin", organisationId: "" }], ["/admin/organisations", { name: "Kerk", kind: "house-of-worship" }], [`/admin/organisations/${orgId}/approval`, { requiresApproval: "false" }]] as const) {
      expect((await kf.post(path, fields)).status).toBe(403);
      expect((await anon.post(path, fields)).location).toBe("/admin/login");
    }
    expect(await h.db.prisma.staffInvite.count({ where: { email: "x@example.org" } })).toBe(0);
    expect((await h.db.prisma.organisation.findUniqueOrThrow({ where: { id: orgId } })).requiresApproval).toBe(true);
    expect((await kf.get("/admin")).status).toBe(200);
  });

  it("refuses a form without the CSRF token, or with another browser's", async () => {
    const { client: admin } = await signUp("admin", "admin2@example.org");
    const other = new PanelClient(h.url);
    await other.get("/admin/login");
    expect((await admin.post("/admin/organisations", { name: "Kerk Wandelbos", kind: "house-of-worship" }, null)).status).toBe(403);
    expect((await admin.post("/admin/organisations", { name: "Kerk Wandelbos", kind: "house-of-worship" }, other.csrf())).status).toBe(403);
    expect(await h.db.prisma.organisation.count({ where: { name: "Kerk Wandelbos" } })).toBe(0);
    expect((await admin.post("/admin/organisations", { name: "Kerk Wandelbos", kind: "house-of-worship" })).status).toBe(303);
    expect(await h.db.prisma.organisation.count({ where: { name: "Kerk Wandelbos" } })).toBe(1);
    const anon = new PanelClient(h.url);
    await anon.get("/admin/login");
    expect((await anon.post("/admin/login", { email: "admin2@example.org", password: "a long enough password" }, "forged")).status).toBe(403);
  });

  it("slows down repeated failed logins, even with the right password afterwards", async () => {
    await signUp("keyfigure", "kf3@example.org");
    // An unknown address is answered exactly like a wrong password.
    const d = new PanelClient(h.url);
    await d.get("/admin/login");
    const unknown = await d.post("/admin/login", { email: "nobody@example.org", password: "whatever" });
    expect(unknown.status).toBe(401);
    await h.db.sql.query("DELETE FROM rate_limit");
    const c = new PanelClient(h.url);
    await c.get("/admin/login");
    for (let i = 0; i < 6; i++) {
      const r = await c.post("/admin/login", { email: "kf3@example.org", password: `wrong ${i}` });
      expect(r.status).toBe(i < 5 ? 401 : 429);
    }
    const blocked = await c.post("/admin/login", { email: "kf3@example.org", password: "a long enough password" });
    expect(blocked.status).toBe(429);
    expect(blocked.text).toMatch(/Te veel pogingen/);
    // Only this account from this client waits: the same client may still sign in to another account
    // (a shared office), until it fails too often overall (see test/security/login-throttle.test.ts).
    expect((await c.post("/admin/login", { email: "other@example.org", password: "x" })).status).toBe(401);
  });

  it("admins invite people and manage organisations from the panel", async () => {
    const { client: admin } = await signUp("admin", "admin3@example.org");
    const r = await admin.post("/admin/people/invite", { displayName: "Fatima", email: "fatima@example.org", role: "keyfigure", organisationId: orgId });
    expect(r.status).toBe(200);
    const link = /\/admin\/invite\/([A-Za-z0-9_-]{43})/.exec(r.text)![1]!;
    expect((await new PanelClient(h.url).get(`/admin/invite/${link}`)).status).toBe(200);
    expect((await admin.post("/admin/people/invite", { displayName: "X", email: "y@example.org", role: "keyfigure", organisationId: "" })).status).toBe(400);
    expect((await admin.post(`/admin/organisations/${orgId}/approval`, { requiresApproval: "false" })).status).toBe(303);
    expect((await h.db.prisma.organisation.findUniqueOrThrow({ where: { id: orgId } })).requiresApproval).toBe(false);
    const page = await admin.get("/admin/people");
    expect(page.text).toContain("admin3@example.org");
    expect(page.text).toContain("<caption>");
    // The unused invitation is listed, and withdrawing it stops its link at once.
    expect(page.text).toContain("Uitnodigingen die nog niet zijn gebruikt");
    const invite = await h.db.prisma.staffInvite.findFirstOrThrow({ where: { email: "fatima@example.org", usedAt: null } });
    expect((await admin.post(`/admin/people/invites/${invite.id}/revoke`, {})).status).toBe(303);
    expect((await new PanelClient(h.url).get(`/admin/invite/${link}`)).status).toBe(410);
    expect((await admin.get("/admin/people")).text).not.toContain("fatima@example.org");
  });
});
