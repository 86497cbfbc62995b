import { describe, expect, it } from "vitest";
import { classifyGraphError, retryAfterMs } from "../../src/channels/whatsapp/whatsapp-sender.js";

describe("WhatsApp's Retry-After", () => {
  it("reads seconds or an HTTP date, caps it at an hour, and ignores what it cannot read", () => {
    const now = Date.parse("2026-12-03T12:00:00Z");
    expect(retryAfterMs("7", now)).toBe(7_000);
    expect(retryAfterMs("Thu, 03 Dec 2026 12:00:30 GMT", now)).toBe(30_000);
    expect(retryAfterMs("86400", now)).toBe(3_600_000);
    expect(retryAfterMs("soon", now)).toBeUndefined();
    expect(retryAfterMs(null, now)).toBeUndefined();
  });

  it("a 429 waits as long as the answer asks, not a fixed second; without the header the known waits stay", () => {
    expect(classifyGraphError(429, {}, 12_000)).toMatchObject({ kind: "rate_limited", retryAfterMs: 12_000, scope: "channel" });
    expect(classifyGraphError(429, {})).toMatchObject({ kind: "rate_limited", retryAfterMs: 1_000 });
    expect(classifyGraphError(400, { error: { message: "pair rate limit hit", code: 131056 } })).toMatchObject({ kind: "rate_limited", retryAfterMs: 6_000, scope: "chat" });
    // A Retry-After on a refusal does not make it a rate limit.
    expect(classifyGraphError(400, { error: { message: "Invalid parameter", code: 100 } }, 5_000)).toMatchObject({ kind: "rejected" });
  });
});
