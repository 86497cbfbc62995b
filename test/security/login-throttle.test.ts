import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startHarness, type Harness } from "../support/harness.js";
import { PanelClient } from "../support/panel-client.js";
import { PASSWORD, signIn, signUp, type Staff } from "./panel-helpers.js";

/** A browser whose requests come through the (trusted, loopback) proxy from `address`. */
class ProxiedClient extends PanelClient {
  constructor(base: string, readonly address: string) {
    super(base);
  }
  override async post(path: string, fields: Record<string, string | string[]>) {
    const body = new URLSearchParams({ _csrf: this.csrf(), ...fields });
    const res = await fetch(this.base + path, {
      method: "POST",
      headers: { cookie: [...this.jar].map(([k, v]) => `${k}=${v}`).join("; "), "content-type": "application/x-www-form-urlencoded", "x-forwarded-for": this.address },
      body: body.toString(),
      redirect: "manual",
    });
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(";");
      const i = pair!.indexOf("=");
      this.jar.set(pair!.slice(0, i), pair!.slice(i + 1));
    }
    return { status: res.status, text: await res.text(), location: res.headers.get("location") };
  }
}

describe("login throttling without a trusted proxy (the default)", () => {
  let h: Harness;
  let kf: Staff;
  beforeAll(async () => {
    h = await startHarness();
    const org = await h.db.prisma.organisation.create({ data: { name: "Buurthuis", kind: "welfare" } });
    kf = await signUp(h, "keyfigure", "kf@example.org", org.id);
  });
  afterAll(async () => {
    await h?.close();
  });

  it("40 parallel wrong passwords: at most 5 are actually checked, the rest are told to wait", async () => {
    const c = new PanelClient(h.url);
    await c.get("/admin/login");
    const results = await Promise.all(Array.from({ length: 40 }, (_, i) => c.post("/admin/login", { email: kf.email, password: `wrong ${i}` })));
    const checked = results.filter((r) => r.status === 401).length;
    const throttled = results.filter((r) => r.status === 429).length;
    console.log(`parallel login: ${checked} checked, ${throttled} throttled of 40`);
    expect(checked).toBeLessThanOrEqual(5);
    expect(checked + throttled).toBe(40);
  });

  it("X-Forwarded-For is not trusted by default, so rotating it does not reset the count", async () => {
    await h.db.sql.query("DELETE FROM rate_limit");
    const statuses: number[] = [];
    for (let i = 0; i < 8; i++) {
      const c = new ProxiedClient(h.url, `198.51.100.${i + 1}`);
      await c.get("/admin/login");
      statuses.push((await c.post("/admin/login", { email: "nobody@example.org", password: `guess ${i}` })).status);
    }
    expect(statuses.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
    expect(statuses.slice(5)).toEqual([429, 429, 429]);
  });
});

describe("login throttling behind a trusted proxy: an attacker cannot lock the owner out", () => {
  let h: Harness;
  let admin: Staff;
  let ownerBrowser: PanelClient;
  beforeAll(async () => {
    h = await startHarness({ TRUST_PROXY: "loopback" });
    admin = await signUp(h, "admin", "owner@example.org");
    // The owner signed in on this browser before (password and code): it is a known device now.
    ownerBrowser = await signIn(h, admin);
    await ownerBrowser.post("/admin/logout", {});
  });
  afterAll(async () => {
    await h?.close();
  });

  it("failures from one address slow that address down, not the owner elsewhere", async () => {
    const attacker = new ProxiedClient(h.url, "203.0.113.7");
    await attacker.get("/admin/login");
    for (let i = 0; i < 6; i++) await attacker.post("/admin/login", { email: admin.email, password: `wrong ${i}` });
    expect((await attacker.post("/admin/login", { email: admin.email, password: PASSWORD })).status).toBe(429);
    const owner = new ProxiedClient(h.url, "192.0.2.44");
    await owner.get("/admin/login");
    expect((await owner.post("/admin/login", { email: admin.email, password: PASSWORD })).status).toBe(303);
  });

  it("a guess spread over many addresses is slowed for the account, but the owner's known browser still gets in", async () => {
    const tries = await Promise.all(
      Array.from({ length: 60 }, async (_, i) => {
        const c = new ProxiedClient(h.url, `203.0.113.${100 + i}`);
        await c.get("/admin/login");
        return (await c.post("/admin/login", { email: admin.email, password: `spray ${i}` })).status;
      }),
    );
    expect(tries.filter((s) => s === 429).length).toBeGreaterThan(0);
    const stranger = new ProxiedClient(h.url, "203.0.113.250");
    await stranger.get("/admin/login");
    expect((await stranger.post("/admin/login", { email: admin.email, password: PASSWORD })).status).toBe(429);
    // The owner's own browser, from a new address, is not locked out.
    const known = new ProxiedClient(h.url, "192.0.2.99");
    for (const [k, v] of ownerBrowser.jar) known.jar.set(k, v);
    await known.get("/admin/login");
    expect((await known.post("/admin/login", { email: admin.email, password: PASSWORD })).status).toBe(303);
  });
});
