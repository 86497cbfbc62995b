import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startHarness, type Harness } from "../support/harness.js";

describe("security headers", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h?.close();
  });

  it("/chat has a CSP that forbids framing and foreign scripts", async () => {
    const r = await fetch(`${h.url}/chat`);
    const csp = r.headers.get("content-security-policy") ?? "";
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("default-src 'self'");
    expect(r.headers.get("x-frame-options")).toBe("DENY");
    expect(r.headers.get("referrer-policy")).toBe("no-referrer");
  });

  it("every answer carries the basic headers; no HSTS outside production", async () => {
    for (const path of ["/healthz", "/admin/login", "/chat/api/new-id", "/nope"]) {
      const r = await fetch(`${h.url}${path}`);
      expect(r.headers.get("x-content-type-options"), path).toBe("nosniff");
      expect(r.headers.get("content-security-policy"), path).toContain("frame-ancestors 'none'");
      expect(r.headers.get("strict-transport-security"), path).toBeNull();
    }
  });
});

describe("security headers in production", () => {
  let h: Harness;
  beforeAll(async () => {
    // The harness hands Naast its own database; production only insists that DATABASE_URL is named.
    h = await startHarness({ NODE_ENV: "production", DATABASE_URL: process.env.DATABASE_URL || "postgresql://unused.invalid/naast" });
  });
  afterAll(async () => {
    await h?.close();
  });

  it("sends HSTS", async () => {
    for (const path of ["/chat", "/admin/login", "/healthz"]) {
      const r = await fetch(`${h.url}${path}`);
      expect(r.headers.get("strict-transport-security"), path).toMatch(/max-age=\d{7,}/);
    }
  });
});
