import { readFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { LANGUAGES } from "../../src/content/vocabulary.js";
import { openDatabase } from "../../src/storage/database.js";
import type { Recorded } from "../support/fake-platform.js";
import { startHarness, TG_TOKEN, type Harness } from "../support/harness.js";
import { postTelegram, postWhatsApp, tgText, waText } from "../support/payloads.js";
import { describeWith } from "../support/services.js";
import { TcpProxy } from "../support/tcp-proxy.js";
import { openFreshDatabase, type FreshDatabase } from "../support/test-database.js";

const LOCALES = path.resolve(import.meta.dirname, "..", "..", "locales");
const noteFile = z.object({ offline: z.string() });
const notes = Object.fromEntries(
  await Promise.all(LANGUAGES.map(async (l) => [l, noteFile.parse(JSON.parse(await readFile(path.join(LOCALES, l, "maintenance.json"), "utf8"))).offline] as const)),
);

const tgSent = (chat: number) => (r: Recorded[]) => r.filter((x) => x.path === `/bot${TG_TOKEN}/sendMessage` && Number(x.body.chat_id) === chat);
const waSent = (phone: string) => (r: Recorded[]) => r.filter((x) => x.path.endsWith("/messages") && x.body.to === phone);
/** The text of a WhatsApp message the fake received (a text message, or an interactive one's body). */
function waTextOf(r: Recorded): string {
  const body = r.body;
  if (body.type === "text" && typeof body.text === "object" && body.text && "body" in body.text) return String(body.text.body);
  return JSON.stringify(body);
}

async function metricsText(h: Harness): Promise<string> {
  return (await fetch(`${h.url}/metrics`)).text();
}

describe("the maintenance note texts", () => {
  it("exist in all six languages, short, each with the emergency number 112", () => {
    for (const l of LANGUAGES) {
      expect(notes[l], l).toContain("112");
      expect(notes[l]!.length, l).toBeLessThanOrEqual(110);
    }
  });
});

describe("planned maintenance (MAINTENANCE_MODE)", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ MAINTENANCE_MODE: "true" });
  });
  afterAll(async () => {
    await h?.close();
  });

  it("stores nothing, answers 503 with Retry-After so the platform delivers again later, and tells the resident once, in all six short lines when the language is unknown", async () => {
    const phone = "31611110000";
    const res = await postWhatsApp(h.url, waText(phone, "wamid.maint1", "hallo"));
    expect(res.status).toBe(503);
    expect(res.headers.get("retry-after")).toBe("60");
    await h.whatsapp.waitFor((r) => waSent(phone)(r).length === 1);
    const text = waTextOf(waSent(phone)(h.whatsapp.requests)[0]!);
    expect(text.split("\n")).toEqual(LANGUAGES.map((l) => notes[l]));
    // The platform redelivers a few minutes later: still refused, but the resident is not told twice.
    expect((await postWhatsApp(h.url, waText(phone, "wamid.maint1", "hallo"))).status).toBe(503);
    expect((await postWhatsApp(h.url, waText(phone, "wamid.maint2", "hallo?"))).status).toBe(503);
    await h.naast.idle();
    expect(waSent(phone)(h.whatsapp.requests)).toHaveLength(1);
    expect(await h.db.prisma.inboundMessage.count()).toBe(0);
  });

  it("answers in the resident's language when the platform tells it (Telegram language_code, the browser's Accept-Language)", async () => {
    expect((await postTelegram(h.url, tgText(9001, 880, "merhaba", "tr"))).status).toBe(503);
    await h.telegram.waitFor((r) => tgSent(880)(r).length === 1);
    expect(tgSent(880)(h.telegram.requests)[0]!.body.text).toBe(notes.tr);

    const { token } = z.object({ token: z.string() }).parse(await (await fetch(`${h.url}/chat/api/sessions`, { method: "POST" })).json());
    const web = await fetch(`${h.url}/chat/api/messages`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${token}`, "accept-language": "ar-MA,ar;q=0.9" },
      body: JSON.stringify({ id: "5c0d9c4e-8f1a-4a53-9b0e-2d1f6c3a7b10", text: "مرحبا" }),
    });
    expect(web.status).toBe(503);
    expect(await web.json()).toMatchObject({ error: "unavailable", notice: { language: "ar", rtl: true, text: notes.ar } });

    const m = await metricsText(h);
    expect(m).toMatch(/naast_maintenance_replies_total\{channel="whatsapp"\} 1\n/);
    expect(m).toMatch(/naast_maintenance_replies_total\{channel="telegram"\} 1\n/);
    expect(m).toMatch(/naast_maintenance_replies_total\{channel="web"\} 1\n/);
    expect(m).toMatch(/naast_webhook_requests_total\{channel="whatsapp",outcome="unavailable"\} 3\n/);
    expect((await fetch(`${h.url}/healthz`)).status).toBe(200);
  });
});

describeWith("DATABASE_URL", "the database goes away while Naast runs", () => {
  let fresh: FreshDatabase;
  let proxy: TcpProxy;
  let h: Harness;
  beforeAll(async () => {
    fresh = await openFreshDatabase({ url: process.env.DATABASE_URL, prefix: "naast_maint" });
    const target = new URL(process.env.DATABASE_URL!);
    proxy = await new TcpProxy(target.hostname, Number(target.port || 5432)).start();
    const viaProxy = new URL(target);
    viaProxy.host = `127.0.0.1:${proxy.port}`;
    viaProxy.pathname = `/${fresh.dbName}`;
    const db = await openDatabase({ databaseUrl: viaProxy.toString(), dataDir: "unused", migrate: false });
    h = await startHarness({}, { db: { ...db, drop: () => db.close() } });
  });
  afterAll(async () => {
    await h?.close();
    await h?.db.close().catch(() => undefined);
    await proxy?.stop();
    await fresh?.drop();
  });

  it("tells residents kindly (in the language Naast last wrote to them in), answers 503 while it is away, keeps /metrics and /healthz up, and handles the redelivered message once it is back", async () => {
    const chat = 881;
    expect((await postTelegram(h.url, tgText(9101, chat, "/start", "en"))).status).toBe(200);
    await h.telegram.waitFor((r) => tgSent(chat)(r).length >= 1);
    // Cut only once Naast has recorded its reply as sent: a send in flight during the cut stays "in
    // doubt" and, rightly, holds back later replies to this resident until its lease runs out.
    await expect.poll(() => h.db.prisma.outboundMessage.count({ where: { status: { in: ["pending", "sending"] } } }), { timeout: 10_000 }).toBe(0);
    const before = tgSent(chat)(h.telegram.requests).length;

    await proxy.cut();
    // The update says Dutch, but Naast knows it has been writing to this resident in English.
    const update = tgText(9102, chat, "hallo?", "nl");
    expect((await postTelegram(h.url, update)).status).toBe(503);
    await h.telegram.waitFor((r) => tgSent(chat)(r).length === before + 1);
    expect(tgSent(chat)(h.telegram.requests).at(-1)!.body.text).toBe(notes.en);

    const stranger = "31622220000";
    expect((await postWhatsApp(h.url, waText(stranger, "wamid.away1", "hoi"))).status).toBe(503);
    await h.whatsapp.waitFor((r) => waSent(stranger)(r).length === 1);
    expect(waTextOf(waSent(stranger)(h.whatsapp.requests)[0]!).split("\n")).toHaveLength(LANGUAGES.length);

    expect((await fetch(`${h.url}/healthz`)).status).toBe(200);
    const ready = await fetch(`${h.url}/readyz`);
    expect(ready.status).toBe(503);
    expect(await ready.json()).toMatchObject({ status: "not ready" });
    await new Promise((r) => setTimeout(r, 1_100));
    const m = await metricsText(h);
    expect(m).toMatch(/naast_backlog_up 0\n/);
    expect(m).toMatch(/naast_webhook_requests_total\{channel="telegram",outcome="unavailable"\} 1\n/);

    await proxy.restore();
    // Telegram delivers the same update again: now it is stored and answered, not lost.
    await expect.poll(async () => (await postTelegram(h.url, update)).status, { timeout: 15_000, interval: 500 }).toBe(200);
    await h.telegram.waitFor((r) => tgSent(chat)(r).length >= before + 2, 15_000);
    expect(tgSent(chat)(h.telegram.requests).at(-1)!.body.text).not.toBe(notes.en);
    expect(await h.db.prisma.inboundMessage.count({ where: { channel: "telegram", platformMessageId: h.naast.messageIds.hash("telegram", "u9102") } })).toBe(1);
  }, 60_000);
});
