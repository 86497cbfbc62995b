import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { graphError, type Recorded } from "../support/fake-platform.js";
import { startHarness, type Harness } from "../support/harness.js";
import { postWhatsApp, waText } from "../support/payloads.js";

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.close();
});

/** How many messages a new resident's "hallo" gets (the first test counts them). */
let replies = 0;
const to = (phone: string) => h.whatsapp.messages().filter((r: Recorded) => r.body.to === phone);

describe("naast.idle()", () => {
  it("resolves once a message is handled and every reply has been handed to the platform", async () => {
    const phone = "31699900001";
    expect((await postWhatsApp(h.url, waText(phone, "wamid.idle1", "hallo"))).status).toBe(200);
    await h.naast.idle();
    replies = to(phone).length;
    expect(replies).toBeGreaterThan(0);
    expect(await h.db.prisma.inboundMessage.count({ where: { processedAt: null } })).toBe(0);
    expect(await h.db.prisma.outboundMessage.count({ where: { status: { in: ["pending", "sending"] } } })).toBe(0);
    for (const q of [h.naast.inbound, ...h.naast.outbound.values()]) expect(await q.count()).toBe(0);
  });

  it("waits for a reply held back by the platform's rate limit, and says what is pending when it gives up", async () => {
    const phone = "31699900002";
    h.whatsapp.failNext(1, graphError(130429, "Rate limit hit", 400));
    expect((await postWhatsApp(h.url, waText(phone, "wamid.idle2", "hallo"))).status).toBe(200);
    await expect(h.naast.idle(50)).rejects.toThrow(/naast\.idle: still pending after 50 ms: inbound \d+, outbound-/);
    await h.naast.idle();
    // The refused attempt as well as every reply, with nothing left over.
    expect(to(phone)).toHaveLength(replies + 1);
    expect(await h.db.prisma.outboundMessage.count({ where: { status: { in: ["pending", "sending"] } } })).toBe(0);
  });
});
