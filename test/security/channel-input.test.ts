import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signWhatsAppBody } from "../../src/channels/whatsapp/whatsapp-signature.js";
import { startHarness, WA, type Harness } from "../support/harness.js";
import { postTelegram, postWhatsApp, tgText, tgTap, waNotification } from "../support/payloads.js";

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.close();
});

const now = () => String(Math.floor(Date.now() / 1000));

describe("WhatsApp webhook input", () => {
  it("a status named after an Object property is answered 200 and changes nothing", async () => {
    for (const status of ["constructor", "toString", "__proto__", "hasOwnProperty", "valueOf"]) {
      const r = await postWhatsApp(h.url, waNotification({ statuses: [{ id: "wamid.S1", status, timestamp: now(), recipient_id: "31600000000" }] }));
      expect(r.status, status).toBe(200);
    }
    expect(h.logs()).not.toMatch(/syntax error/i);
  });

  it("messages the worker would reject are not stored: non-numeric timestamp, empty or too long from/id", async () => {
    const bad = [
      { from: "31611111111", id: "wamid.T1", timestamp: "yesterday", type: "text", text: { body: "hallo" } },
      { from: "", id: "wamid.T2", timestamp: now(), type: "text", text: { body: "hallo" } },
      { from: "3".repeat(300), id: "wamid.T3", timestamp: now(), type: "text", text: { body: "hallo" } },
      { from: "31611111112", id: "", timestamp: now(), type: "text", text: { body: "hallo" } },
      { from: "31611111113", id: "w".repeat(300), timestamp: now(), type: "text", text: { body: "hallo" } },
    ];
    for (const m of bad) {
      const r = await postWhatsApp(h.url, waNotification({ messages: [m] }));
      expect([200, 400]).toContain(r.status);
    }
    expect(await h.db.prisma.inboundMessage.count()).toBe(0);
    expect(h.logs()).toMatch(/ignored/);
    // A good message in the same delivery as a bad one still gets through.
    const r = await postWhatsApp(h.url, waNotification({ messages: [bad[0], { from: "31611111119", id: "wamid.GOOD", timestamp: now(), type: "text", text: { body: "hallo" } }] }));
    expect(r.status).toBe(200);
    expect(await h.db.prisma.inboundMessage.count()).toBe(1);
  });

  it("a signature with non-hex characters after a valid one is refused", async () => {
    const raw = JSON.stringify(waNotification({ messages: [{ from: "31622222222", id: "wamid.SIG", timestamp: now(), type: "text", text: { body: "hallo" } }] }));
    const sig = signWhatsAppBody(raw, WA.appSecret);
    for (const s of [`${sig}zzzz`, `${sig}0`, `${sig.slice(0, -1)}`, sig.toUpperCase(), `sha256=${"0".repeat(64)}`]) {
      expect((await postWhatsApp(h.url, raw, s)).status, s).toBe(401);
    }
    expect((await postWhatsApp(h.url, raw, sig)).status).toBe(200);
  });
});

describe("Telegram webhook input", () => {
  it("updates the worker would reject are answered 200 and not stored", async () => {
    const before = await h.db.prisma.inboundMessage.count();
    const longLang = tgText(5001, 7001, "hallo", "x".repeat(40));
    const floatDate = tgText(5002, 7002, "hallo");
    floatDate.message.date = 1.5;
    const tap = tgTap(5003, 7003, "c|menu|main|money");
    tap.callback_query.id = "q".repeat(300);
    for (const u of [longLang, floatDate, tap]) expect((await postTelegram(h.url, u)).status).toBe(200);
    expect(await h.db.prisma.inboundMessage.count()).toBe(before);
  });
});
