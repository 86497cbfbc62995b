import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { WebMailboxStore } from "../../src/storage/web-mailbox-store.js";
import { startHarness, type Harness } from "../support/harness.js";

let h: Harness;
beforeAll(async () => {
  // Small limits, so the test can reach them; the defaults are in README.
  h = await startHarness({ WEB_CHAT_MESSAGES_PER_MINUTE: "20", WEB_CHAT_SESSIONS_PER_MINUTE: "15", WEB_CHAT_REQUESTS_PER_MINUTE: "400", WEB_CHAT_MAX_POLLS: "6" });
});
afterAll(async () => {
  await h?.close();
});

async function session(): Promise<string> {
  const r = await fetch(`${h.url}/chat/api/sessions`, { method: "POST" });
  expect(r.status).toBe(201);
  return ((await r.json()) as { token: string }).token;
}
const say = (token: string, text = "hallo") =>
  fetch(`${h.url}/chat/api/messages`, { method: "POST", headers: { "content-type": "application/json", authorization: `Bearer ${token}` }, body: JSON.stringify({ id: randomUUID(), text }) });
const poll = (token: string, wait = 0, after = "0") => fetch(`${h.url}/chat/api/messages?after=${after}&wait=${wait}`, { headers: { authorization: `Bearer ${token}` } });

describe("web chat limits", () => {
  it("accepts only tokens the server issued", async () => {
    // A real token with its last character changed (to one it is not: "x" would match 1 token in 64).
    const real = await session();
    const altered = `${real.slice(0, 42)}${real.endsWith("x") ? "y" : "x"}`;
    for (const forged of ["a".repeat(43), "b".repeat(64), altered]) {
      expect((await say(forged)).status).toBe(401);
      expect((await poll(forged)).status).toBe(401);
    }
    expect(await h.db.prisma.inboundMessage.count()).toBe(0);
  });

  it("limits messages per token (429 with Retry-After)", async () => {
    const token = await session();
    const statuses: number[] = [];
    let retryAfter: string | null = null;
    for (let i = 0; i < 30; i++) {
      const r = await say(token, `bericht ${i}`);
      statuses.push(r.status);
      if (r.status === 429) retryAfter ??= r.headers.get("retry-after");
    }
    console.log(`web chat, one token: ${statuses.filter((s) => s === 202).length} accepted, ${statuses.filter((s) => s === 429).length} refused of 30`);
    expect(statuses.slice(0, 20).every((s) => s === 202)).toBe(true);
    expect(statuses.slice(20).every((s) => s === 429)).toBe(true);
    expect(Number(retryAfter)).toBeGreaterThan(0);
  });

  it("limits new sessions per address", async () => {
    const results = await Promise.all(Array.from({ length: 40 }, () => fetch(`${h.url}/chat/api/sessions`, { method: "POST" })));
    const created = results.filter((r) => r.status === 201).length;
    console.log(`web chat, one address: ${created} sessions of 40 in a burst`);
    expect(created).toBeLessThanOrEqual(15);
    const refused = results.find((r) => r.status === 429)!;
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);
  });

  it("caps concurrent long polls per token and in total", async () => {
    await new Promise((r) => setTimeout(r, 0));
    const token = await h.naast.webTokens.issue();
    const a = poll(token, 3);
    const b = poll(token, 3);
    await new Promise((r) => setTimeout(r, 200));
    const third = await poll(token, 3);
    expect(third.status).toBe(429);
    expect(Number(third.headers.get("retry-after"))).toBeGreaterThan(0);
    expect((await a).status).toBe(200);
    expect((await b).status).toBe(200);
    const tokens = await Promise.all(Array.from({ length: 7 }, () => h.naast.webTokens.issue()));
    const polls = tokens.slice(0, 6).map((t) => poll(t, 3));
    await new Promise((r) => setTimeout(r, 200));
    const over = await poll(tokens[6]!, 3);
    expect(over.status).toBe(429);
    expect(over.headers.get("retry-after")).not.toBeNull();
    expect((await Promise.all(polls)).map((r) => r.status)).toEqual([200, 200, 200, 200, 200, 200]);
  });

  it("a waiting long poll does not poll the database; it wakes when the reply is there", async () => {
    const token = await h.naast.webTokens.issue();
    const collect = vi.spyOn(WebMailboxStore.prototype, "collect");
    const started = Date.now();
    const idle = await poll(token, 2);
    expect(idle.status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1_900);
    expect(collect.mock.calls.length).toBeLessThanOrEqual(1);
    collect.mockClear();
    const waiting = poll(token, 20);
    await new Promise((r) => setTimeout(r, 300));
    const t0 = Date.now();
    expect((await say(token, "hallo")).status).toBe(202);
    const r = await waiting;
    const body = (await r.json()) as { messages: unknown[] };
    expect(body.messages.length).toBeGreaterThan(0);
    expect(Date.now() - t0).toBeLessThan(5_000);
    expect(collect.mock.calls.length).toBeLessThanOrEqual(2);
    collect.mockRestore();
  });
});
