import { createHash, randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startHarness, type Harness } from "../support/harness.js";
import { PanelClient } from "../support/panel-client.js";
import { nextCode, passwordOnly, PASSWORD, signUp, type Staff } from "./panel-helpers.js";

let h: Harness;
let orgId: string;
let admin: Staff;
beforeAll(async () => {
  h = await startHarness({ PUBLIC_URL: "https://naast.example.org/", TRUST_PROXY: "loopback", READYZ_TOKEN: "r".repeat(32) });
  orgId = (await h.db.prisma.organisation.create({ data: { name: "Moskee Korvel", kind: "house-of-worship" } })).id;
  admin = await signUp(h, "admin", "admin@example.org");
});
afterAll(async () => {
  await h?.close();
});

describe("panel input", () => {
  it("a malformed cookie gets the page, not a 500", async () => {
    for (const cookie of ["naast_lang=%ZZ", "naast_csrf=%E0%A4%A; naast_admin=%", "__proto__=x; constructor=y; naast_lang=en"]) {
      const r = await fetch(`${h.url}/admin/login`, { headers: { cookie } });
      expect(r.status, cookie).toBe(200);
    }
  });
});

describe("CSRF tokens are bound to the session", () => {
  it("the token from before login does not work after it, and a session's token dies with the session", async () => {
    const c = new PanelClient(h.url);
    await c.get("/admin/login");
    const before = c.csrf();
    expect((await c.post("/admin/login", { email: admin.email, password: PASSWORD })).status).toBe(303);
    expect(c.csrf()).not.toBe(before);
    expect((await c.post("/admin/login/code", { code: await nextCode(h, admin.email, admin.secret!) }, before)).status).toBe(403);
    expect((await c.post("/admin/login/code", { code: await nextCode(h, admin.email, admin.secret!) })).status).toBe(303);
    const inSession = c.csrf();
    expect((await c.post("/admin/logout", {})).status).toBe(303);
    expect(c.csrf()).not.toBe(inSession);
    // Signed in again (a new session): the old session's token is refused.
    await c.post("/admin/login", { email: admin.email, password: PASSWORD });
    await c.post("/admin/login/code", { code: await nextCode(h, admin.email, admin.secret!) });
    expect((await c.post("/admin/organisations", { name: "Kerk", kind: "house-of-worship" }, inSession)).status).toBe(403);
    expect(await h.db.prisma.organisation.count({ where: { name: "Kerk" } })).toBe(0);
    const session = await h.db.prisma.staffSession.findFirstOrThrow({ where: { userId: admin.userId }, orderBy: { createdAt: "desc" } });
    expect(session.csrfToken).toBe(c.csrf());
  });
});

describe("invitations", () => {
  it("the link is built from PUBLIC_URL, never from the request's Host or X-Forwarded-Proto", async () => {
    const cookie = [...admin.client.jar].map(([k, v]) => `${k}=${v}`).join("; ");
    const r = await fetch(`${h.url}/admin/people/invite`, {
      method: "POST",
      headers: { cookie, host: "evil.example", "x-forwarded-proto": "http", "x-forwarded-host": "evil.example", "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ _csrf: admin.client.csrf(), displayName: "Nadia", email: "nadia@example.org", role: "keyfigure", organisationId: orgId }).toString(),
    });
    const text = await r.text();
    expect(text).toMatch(/https:\/\/naast\.example\.org\/admin\/invite\/[A-Za-z0-9_-]{43}/);
    expect(text).not.toContain("evil.example");
  });

  it("re-inviting an existing e-mail does not replace that account's password or role", async () => {
    const kf = await signUp(h, "keyfigure", "existing@example.org", orgId);
    const before = await h.db.prisma.staffUser.findUniqueOrThrow({ where: { id: kf.userId } });
    const r = await admin.client.post("/admin/people/invite", { displayName: "Existing", email: "Existing@example.org", role: "admin", organisationId: "" });
    expect(r.status).toBe(409);
    expect(await h.db.prisma.staffInvite.count({ where: { email: "existing@example.org", usedAt: null } })).toBe(0);
    // An invitation made before the account existed cannot take it over either.
    await expect(h.naast.staffAuth.invite({ email: "existing@example.org", displayName: "X", role: "admin", organisationId: null, createdById: null })).rejects.toThrow("account-exists");
    const token = randomBytes(32).toString("base64url");
    await h.db.prisma.staffInvite.create({ data: { tokenHash: createHash("sha256").update(token).digest("hex"), email: "existing@example.org", displayName: "X", role: "admin", expiresAt: new Date(h.clock().getTime() + 86_400_000) } });
    const c = new PanelClient(h.url);
    await c.get(`/admin/invite/${token}`);
    expect((await c.post(`/admin/invite/${token}`, { password: "an attacker's new password" })).status).not.toBe(303);
    const after = await h.db.prisma.staffUser.findUniqueOrThrow({ where: { id: kf.userId } });
    expect(after.passwordHash).toBe(before.passwordHash);
    expect(after.role).toBe("keyfigure");
    await passwordOnly(h, kf.email);
  });
});

describe("key figures need a second factor to broadcast", () => {
  it("with a password only the broadcast is refused; after enrolling TOTP and using it, it goes", async () => {
    const kf = await signUp(h, "keyfigure", "kf-bc@example.org", orgId);
    const activity = await h.db.prisma.activity.create({
      data: {
        organisationId: orgId, startsAt: new Date(h.clock().getTime() + 7 * 86_400_000), place: "Moskee", neighbourhood: "korvel", topic: "meeting", audience: "everyone", status: "approved",
        texts: { create: [{ language: "nl", title: "Koffie", description: "Koffie en thee" }] },
      },
    });
    const refused = await kf.client.post(`/admin/activities/${activity.id}/broadcast`, { when: "now" });
    expect(refused.status).not.toBe(303);
    expect(await h.db.prisma.broadcast.count({ where: { activityId: activity.id } })).toBe(0);
    // The key figure sets up a second step (offered on the broadcast page).
    const page = await kf.client.get(`/admin/activities/${activity.id}/broadcast`);
    expect(page.text).toContain("/admin/2fa/setup");
    const setup = await kf.client.get("/admin/2fa/setup");
    const secret = /<code>([A-Z2-7 ]+)<\/code>/.exec(setup.text)![1]!.replace(/ /g, "");
    expect((await kf.client.post("/admin/2fa/setup", { code: await nextCode(h, kf.email, secret) })).status).toBe(303);
    const sent = await kf.client.post(`/admin/activities/${activity.id}/broadcast`, { when: "now" });
    expect(sent.status).toBe(303);
    expect(await h.db.prisma.auditEvent.count({ where: { action: "broadcast", actorId: kf.userId } })).toBe(1);
  });
});

describe("/readyz", () => {
  it("gives details only on the loopback or with the token", async () => {
    const outside = await fetch(`${h.url}/readyz`, { headers: { "x-forwarded-for": "203.0.113.9" } });
    const body = await outside.json();
    expect(body).toEqual({ status: "ready" });
    const withToken = await fetch(`${h.url}/readyz`, { headers: { "x-forwarded-for": "203.0.113.9", authorization: `Bearer ${"r".repeat(32)}` } });
    expect(await withToken.json()).toMatchObject({ checks: { database: "ok" } });
    const local = await fetch(`${h.url}/readyz`);
    expect(await local.json()).toMatchObject({ checks: { database: "ok" } });
  });
});
