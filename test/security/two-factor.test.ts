import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { totpCode, totpStep } from "../../src/admin/totp.js";
import { startHarness, type Harness } from "../support/harness.js";
import { PanelClient } from "../support/panel-client.js";
import { postTelegram, tgText } from "../support/payloads.js";
import { nextCode, passwordOnly, PASSWORD, signIn, signUp } from "./panel-helpers.js";

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.close();
});

describe("the second factor cannot be bypassed with the password alone", () => {
  it("after a password login, POST /admin/2fa/setup neither replaces the secret nor shows a new one", async () => {
    const owner = await signUp(h, "admin", "owner@example.org");
    const before = await h.db.prisma.staffUser.findUniqueOrThrow({ where: { email: owner.email } });
    const attacker = await passwordOnly(h, owner.email);
    const wrong = await attacker.post("/admin/2fa/setup", { code: "000000" });
    expect(wrong.status).not.toBe(200);
    expect(wrong.text).not.toMatch(/<code>[A-Z2-7 ]{20,}<\/code>/);
    expect((await attacker.get("/admin/2fa/setup")).location).not.toBe(null);
    const after = await h.db.prisma.staffUser.findUniqueOrThrow({ where: { email: owner.email } });
    expect(after.totpSecretEnc).toBe(before.totpSecretEnc);
    expect(after.totpEnabledAt?.getTime()).toBe(before.totpEnabledAt?.getTime());
    // Still half signed in: every page asks for the code.
    expect((await attacker.get("/admin")).location).toBe("/admin/login/code");
    // The owner's authenticator still works.
    expect((await signIn(h, owner)).jar.size).toBeGreaterThan(0);
  });

  it("set-up is throttled and a set-up code cannot be used again to sign in", async () => {
    const token = await h.naast.staffAuth.invite({ email: "new@example.org", displayName: "New", role: "professional", organisationId: null, createdById: null });
    const c = new PanelClient(h.url);
    await c.get(`/admin/invite/${token}`);
    await c.post(`/admin/invite/${token}`, { password: PASSWORD });
    const secret = /<code>([A-Z2-7 ]+)<\/code>/.exec((await c.get("/admin/2fa/setup")).text)![1]!.replace(/ /g, "");
    const statuses: number[] = [];
    for (let i = 0; i < 8; i++) statuses.push((await c.post("/admin/2fa/setup", { code: String(100000 + i) })).status);
    expect(statuses).toContain(429);
    // The secret shown first stays the one to confirm (a wrong code does not roll it).
    const user = await h.db.prisma.staffUser.findUniqueOrThrow({ where: { email: "new@example.org" } });
    expect(h.naast.cipher.decrypt(user.totpSecretEnc!)).toBe(secret);
  });

  it("a code the owner just used, replayed to the set-up route from a password-only session, completes nothing", async () => {
    const owner = await signUp(h, "admin", "replay@example.org");
    const code = await nextCode(h, owner.email, owner.secret!);
    const ownerBrowser = await passwordOnly(h, owner.email);
    expect((await ownerBrowser.post("/admin/login/code", { code })).status).toBe(303);
    const attacker = await passwordOnly(h, owner.email);
    await attacker.post("/admin/2fa/setup", { code });
    await attacker.post("/admin/login/code", { code });
    expect((await attacker.get("/admin")).location).toBe("/admin/login/code");
  });
});

describe("2FA reset is an explicit, logged admin action, and the user is told", () => {
  it("an admin resets a professional's second factor; the audit log has it; the professional sees why on the next sign-in", async () => {
    const admin = await signUp(h, "admin", "reset-admin@example.org");
    const pro = await signUp(h, "professional", "reset-pro@example.org");
    // The professional linked their own Telegram, so they hear of it there too.
    const code = /koppel ([A-Z0-9]{4}-[A-Z0-9]{4})/.exec((await pro.client.post("/admin/chat-link", {})).text)![1]!;
    const chat = 880001;
    const sent = () => h.telegram.calls("sendMessage").filter((c) => Number(c.body.chat_id) === chat);
    await postTelegram(h.url, tgText(88001, chat, `koppel ${code}`));
    await h.telegram.waitFor(() => sent().length > 0);
    const before = sent().length;
    const people = await admin.client.get("/admin/people");
    expect(people.text).toContain(`/admin/people/${pro.userId}/reset-2fa`);
    // Not for other roles.
    expect((await pro.client.post(`/admin/people/${admin.userId}/reset-2fa`, {})).status).toBe(403);
    const r = await admin.client.post(`/admin/people/${pro.userId}/reset-2fa`, {});
    expect(r.status).toBe(303);
    const user = await h.db.prisma.staffUser.findUniqueOrThrow({ where: { id: pro.userId } });
    expect(user.totpEnabledAt).toBeNull();
    // Their sessions ended: the old browser is signed out.
    expect((await pro.client.get("/admin")).location).toBe("/admin/login");
    const fresh = await passwordOnly(h, pro.email);
    const setup = await fresh.get("/admin/2fa/setup");
    expect(setup.status).toBe(200);
    expect(setup.text).toMatch(/reset-admin/);
    await h.telegram.waitFor(() => sent().length > before);
    expect(String(sent().at(-1)!.body.text)).toMatch(/reset-admin.*tweestapsverificatie/);
    const audit = await h.db.prisma.auditEvent.findMany({ where: { action: "2fa-reset" } });
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actorId: admin.userId, subjectId: pro.userId });
  });

  it("an admin cannot reset their own second factor (another admin must)", async () => {
    const admin = await signUp(h, "admin", "self-admin@example.org");
    expect((await admin.client.post(`/admin/people/${admin.userId}/reset-2fa`, {})).status).toBe(400);
    expect((await h.db.prisma.staffUser.findUniqueOrThrow({ where: { id: admin.userId } })).totpEnabledAt).not.toBeNull();
    expect(await nextCode(h, admin.email, admin.secret!)).toMatch(/^\d{6}$/);
  });
});
