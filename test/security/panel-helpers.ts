import { expect } from "vitest";
import { totpCode, totpStep } from "../../src/admin/totp.js";
import type { Harness } from "../support/harness.js";
import { PanelClient } from "../support/panel-client.js";

/** The password every account in these tests uses. */
export const PASSWORD = "a long enough password";

/** A signed-in panel user, with their TOTP secret when they set one up. */
export type Staff = { client: PanelClient; email: string; userId: string; secret: string | undefined };

/** The next TOTP code the server accepts for this user: a code's time step works once. */
export async function nextCode(h: Harness, email: string, secret: string): Promise<string> {
  const user = await h.db.prisma.staffUser.findUniqueOrThrow({ where: { email } });
  return totpCode(secret, Math.max(totpStep(h.clock()), Number(user.totpLastStep ?? 0) + 1));
}

/** Invites, accepts and (for admins and professionals) enrols TOTP; returns a fully signed-in client. */
export async function signUp(h: Harness, role: "admin" | "coordinator" | "professional" | "keyfigure" | "wijkregie", email: string, organisationId: string | null = null): Promise<Staff> {
  const token = await h.naast.staffAuth.invite({ email, displayName: email.split("@")[0]!, role, organisationId, createdById: null });
  const client = new PanelClient(h.url);
  expect((await client.get(`/admin/invite/${token}`)).status).toBe(200);
  expect((await client.post(`/admin/invite/${token}`, { password: PASSWORD })).status).toBe(303);
  const userId = (await h.db.prisma.staffUser.findUniqueOrThrow({ where: { email } })).id;
  if (role === "keyfigure") return { client, email, userId, secret: undefined };
  const setup = await client.get("/admin/2fa/setup");
  const secret = /<code>([A-Z2-7 ]+)<\/code>/.exec(setup.text)![1]!.replace(/ /g, "");
  expect((await client.post("/admin/2fa/setup", { code: totpCode(secret, totpStep(h.clock())) })).status).toBe(303);
  return { client, email, userId, secret };
}

/** A new browser that signs in with the password only (the second step still to come). */
export async function passwordOnly(h: Harness, email: string, password = PASSWORD): Promise<PanelClient> {
  const c = new PanelClient(h.url);
  await c.get("/admin/login");
  const r = await c.post("/admin/login", { email, password });
  expect(r.status, r.text.slice(0, 300)).toBe(303);
  return c;
}

/** A new browser signed in with password and code. */
export async function signIn(h: Harness, s: Staff): Promise<PanelClient> {
  const c = await passwordOnly(h, s.email);
  if (s.secret) {
    const r = await c.post("/admin/login/code", { code: await nextCode(h, s.email, s.secret) });
    expect(r.status, r.text.replace(/<[^>]+>/g, " ").replace(/\s+/g, " ").slice(0, 400)).toBe(303);
  }
  return c;
}
