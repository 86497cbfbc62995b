import { createServer, type RequestListener } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { webhookListener, type WebhookAnswer, type WebhookLane } from "../../src/http/webhook-lane.js";

const servers: { close(): void }[] = [];
afterEach(() => {
  for (const s of servers.splice(0)) s.close();
});

async function serve(handler: RequestListener): Promise<string> {
  const server = createServer(handler).listen(0, "127.0.0.1");
  await new Promise((r) => server.once("listening", r));
  servers.push({ close: () => server.close() });
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

function setup(handle: WebhookLane["handle"]) {
  const answered: [string, number][] = [];
  const failures: unknown[] = [];
  const fallback: RequestListener = (req, res) => {
    res.writeHead(299, { "content-type": "text/plain" });
    res.end(`fallback ${req.method} ${req.url}`);
  };
  const handler = webhookListener([{ channel: "whatsapp", path: "/hook", handle }], fallback, {
    answered: (channel, status) => answered.push([channel, status]),
    failed: async (err): Promise<WebhookAnswer> => {
      failures.push(err);
      return { status: 503, body: { error: "unavailable" }, headers: { "retry-after": "60" } };
    },
  });
  return { handler, answered, failures };
}

describe("webhookListener", () => {
  it("answers a POST to a lane's path from the lane, with its body read, and counts it; a query string does not matter", async () => {
    const { handler, answered } = setup(async (req) => ({ status: 200, body: { got: (await req.body()).toString("utf8"), sig: req.headers["x-sig"] ?? null } }));
    const url = await serve(handler);
    const res = await fetch(`${url}/hook?x=1`, { method: "POST", body: "hello", headers: { "x-sig": "abc" } });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/json; charset=utf-8");
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    expect(await res.json()).toEqual({ got: "hello", sig: "abc" });
    expect(answered).toEqual([["whatsapp", 200]]);
  });

  it("hands every other request to the fallback: another method, another path", async () => {
    const { handler, answered } = setup(async () => ({ status: 200, body: {} }));
    const url = await serve(handler);
    const get = await fetch(`${url}/hook?hub.mode=subscribe`);
    expect([get.status, await get.text()]).toEqual([299, "fallback GET /hook?hub.mode=subscribe"]);
    const other = await fetch(`${url}/hooks`, { method: "POST", body: "x" });
    expect([other.status, await other.text()]).toEqual([299, "fallback POST /hooks"]);
    expect(answered).toEqual([]);
  });

  it("answers 413 to a body over 1 MB without asking `failed`, and says so", async () => {
    const { handler, answered, failures } = setup(async (req) => {
      await req.body();
      return { status: 200, body: { ok: true } };
    });
    const url = await serve(handler);
    const res = await fetch(`${url}/hook`, { method: "POST", body: "x".repeat(1024 * 1024 + 1) });
    expect(res.status).toBe(413);
    expect(await res.json()).toMatchObject({ error: "bad request" });
    expect(answered).toEqual([["whatsapp", 413]]);
    expect(failures).toEqual([]);
  });

  it("answers what `failed` says when a lane throws (the database away: 503 with Retry-After)", async () => {
    const boom = new Error("connection refused");
    const { handler, answered, failures } = setup(async () => {
      throw boom;
    });
    const url = await serve(handler);
    const res = await fetch(`${url}/hook`, { method: "POST", body: "{}" });
    expect(res.status).toBe(503);
    expect(res.headers.get("retry-after")).toBe("60");
    expect(await res.json()).toEqual({ error: "unavailable" });
    expect(failures).toEqual([boom]);
    expect(answered).toEqual([["whatsapp", 503]]);
  });
});
