import { networkInterfaces } from "node:os";
import { createServer } from "node:http";
import { once } from "node:events";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { graphError } from "../support/fake-platform.js";
import { startHarness, type Harness } from "../support/harness.js";
import { postWhatsApp, waText } from "../support/payloads.js";

/** One sample of the exposition text: name, labels, value. */
type Sample = { name: string; labels: Record<string, string>; value: number };

/** Parses Prometheus text format (what a scraper reads), so the test sees what Prometheus sees. */
function parseExposition(text: string): Sample[] {
  const samples: Sample[] = [];
  for (const line of text.split("\n")) {
    if (line === "" || line.startsWith("#")) continue;
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m) throw new Error(`not Prometheus text format: ${line}`);
    const labels: Record<string, string> = {};
    for (const l of (m[2] ?? "").matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) labels[l[1]!] = l[2]!;
    samples.push({ name: m[1]!, labels, value: Number(m[3]) });
  }
  return samples;
}

function value(samples: Sample[], name: string, labels: Record<string, string> = {}): number | undefined {
  return samples.find((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))?.value;
}

async function scrape(h: Harness, headers: Record<string, string> = {}): Promise<Sample[]> {
  const res = await fetch(`${h.url}/metrics`, { headers });
  expect(res.status).toBe(200);
  expect(res.headers.get("content-type")).toMatch(/^text\/plain; version=0\.0\.4/);
  return parseExposition(await res.text());
}

/** Label names the Naast metrics may use: none of them can hold a resident, an address or a message. */
const NAAST_LABELS = new Set(["channel", "outcome", "result", "reason", "queue", "scope", "le"]);

const PHONE = "31612345678";
const TEXT = "mijn geheime vraag over geld";
const TOKEN = "m".repeat(40);

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ METRICS_TOKEN: TOKEN });
});
afterAll(async () => {
  await h?.close();
});

describe("/metrics", () => {
  it("counts webhook deliveries by outcome, stored and duplicate messages, send results, platform 429s and job latency", async () => {
    const before = await scrape(h);
    expect(value(before, "naast_webhook_requests_total", { channel: "whatsapp", outcome: "accepted" }) ?? 0).toBe(0);

    h.whatsapp.failNext(1, graphError(130429, "Rate limit hit", 429));
    const body = waText(PHONE, "wamid.metrics1", TEXT);
    expect((await postWhatsApp(h.url, body)).status).toBe(200);
    expect((await postWhatsApp(h.url, body)).status).toBe(200); // the platform's redelivery
    expect((await postWhatsApp(h.url, body, "sha256=" + "0".repeat(64))).status).toBe(401);
    expect((await postWhatsApp(h.url, "{not json")).status).toBe(400);
    // Naast answers once the 429 has been waited out.
    await h.whatsapp.waitFor((r) => r.filter((x) => x.path.endsWith("/messages") && x.body.to === PHONE).length >= 2, 20_000);

    await expect
      .poll(async () => value(await scrape(h), "naast_sends_total", { channel: "whatsapp", result: "sent", reason: "ok" }) ?? 0, { timeout: 10_000 })
      .toBeGreaterThanOrEqual(1);
    const s = await scrape(h);
    expect(value(s, "naast_webhook_requests_total", { channel: "whatsapp", outcome: "accepted" })).toBe(2);
    expect(value(s, "naast_webhook_requests_total", { channel: "whatsapp", outcome: "unauthorized" })).toBe(1);
    expect(value(s, "naast_webhook_requests_total", { channel: "whatsapp", outcome: "invalid" })).toBe(1);
    expect(value(s, "naast_inbound_messages_total", { channel: "whatsapp", result: "new" })).toBe(1);
    expect(value(s, "naast_inbound_messages_total", { channel: "whatsapp", result: "duplicate" })).toBe(1);
    expect(value(s, "naast_sends_total", { channel: "whatsapp", result: "rate_limited", reason: "channel" })).toBe(1);
    expect(value(s, "naast_platform_rate_limited_total", { channel: "whatsapp", scope: "channel" })).toBe(1);
    expect(value(s, "naast_job_duration_seconds_count", { queue: "inbound", outcome: "done" })).toBeGreaterThanOrEqual(1);
    expect(value(s, "naast_job_duration_seconds_count", { queue: "outbound-whatsapp", outcome: "retry_later" })).toBeGreaterThanOrEqual(1);
    // The reply that waited out the 429 took at least that second from falling due to done.
    const slow = s.filter((x) => x.name === "naast_job_latency_seconds_bucket" && x.labels.queue === "outbound-whatsapp");
    expect(value(s, "naast_job_latency_seconds_count", { queue: "outbound-whatsapp" })).toBeGreaterThanOrEqual(1);
    expect(slow.find((x) => x.labels.le === "0.5")!.value).toBeLessThan(value(s, "naast_job_latency_seconds_count", { queue: "outbound-whatsapp" })!);
    expect(value(s, "nodejs_eventloop_lag_seconds")).toBeGreaterThanOrEqual(0);
    expect(value(s, "process_resident_memory_bytes")).toBeGreaterThan(0);
  }, 60_000);

  it("reads inbox and outbox depth and age, handoffs waiting and overdue, and broadcasts in progress from the database", async () => {
    const p = h.db.prisma;
    const minuteAgo = new Date(Date.now() - 60_000);
    await p.inboundMessage.create({ data: { channel: "telegram", platformMessageId: "metrics-waiting", pseudonym: "p-metrics", payloadEnc: "x", receivedAt: minuteAgo } });
    const resident = await p.resident.create({ data: { pseudonym: "p-metrics", channel: "telegram", addressEnc: "x" } });
    await p.outboundMessage.create({ data: { id: "metrics-out-1", residentId: resident.id, channel: "telegram", payloadEnc: "x", status: "pending", createdAt: minuteAgo } });
    const professional = await p.professional.findFirstOrThrow();
    const handoff = { residentId: resident.id, professionalId: professional.id, topic: "money", language: "nl", mode: "chat", summary: {}, matchReason: "test" };
    await p.handoff.create({ data: { ...handoff, acceptBy: new Date(Date.now() - 3_600_000) } });
    await p.handoff.create({ data: { ...handoff, acceptBy: new Date(Date.now() + 86_400_000) } });
    const org = await p.organisation.create({ data: { name: "Metrics test", kind: "other" } });
    const activity = await p.activity.create({ data: { organisationId: org.id, neighbourhood: "korvel", status: "approved", startsAt: new Date(Date.now() + 86_400_000), place: "Buurthuis", topic: "meeting", audience: "everyone" } });
    await p.broadcast.create({ data: { activityId: activity.id, status: "sending", scheduledFor: new Date() } });

    await new Promise((r) => setTimeout(r, 1_100)); // the backlog is read at most once a second
    const s = await scrape(h);
    expect(value(s, "naast_backlog_up")).toBe(1);
    expect(value(s, "naast_inbox_depth")).toBeGreaterThanOrEqual(1);
    expect(value(s, "naast_inbox_oldest_age_seconds")).toBeGreaterThanOrEqual(59);
    expect(value(s, "naast_outbox_depth", { channel: "telegram" })).toBe(1);
    expect(value(s, "naast_outbox_oldest_age_seconds", { channel: "telegram" })).toBeGreaterThanOrEqual(59);
    expect(value(s, "naast_outbox_depth", { channel: "web" })).toBe(0);
    expect(value(s, "naast_handoffs_waiting")).toBe(2);
    expect(value(s, "naast_handoffs_overdue")).toBe(1);
    expect(value(s, "naast_broadcasts_in_progress")).toBe(1);
    expect(value(s, "naast_queue_jobs", { queue: "inbound" })).toBeGreaterThanOrEqual(0);
  });

  it("carries no resident data: Naast's labels are channels, queues, outcomes and codes, and no label value holds a phone number, pseudonym or message", async () => {
    const text = await (await fetch(`${h.url}/metrics`)).text();
    const s = parseExposition(text);
    for (const sample of s.filter((x) => x.name.startsWith("naast_"))) {
      for (const label of Object.keys(sample.labels)) expect(NAAST_LABELS, `${sample.name} has label ${label}`).toContain(label);
    }
    const pseudonym = h.naast.pseudonymizer.pseudonym("whatsapp", PHONE);
    for (const needle of [PHONE, pseudonym.slice(0, 10), TEXT, "geheime"]) expect(text).not.toContain(needle);
  });

  it("answers this machine, refuses a forwarded request without the token, and lets a scraper in with it", async () => {
    const forwarded = { "x-forwarded-for": "203.0.113.7" };
    const refused = await fetch(`${h.url}/metrics`, { headers: forwarded });
    expect(refused.status).toBe(401);
    expect(refused.headers.get("www-authenticate")).toMatch(/^Bearer/);
    expect(await refused.text()).not.toContain("naast_");
    expect((await fetch(`${h.url}/metrics`, { headers: { ...forwarded, authorization: `Bearer ${"x".repeat(40)}` } })).status).toBe(401);
    await scrape(h, { ...forwarded, authorization: `Bearer ${TOKEN}` });
  });

  it("refuses every other host when no token is set, even on an interface of this machine that is not loopback", async () => {
    const open = await startHarness({}, { polling: false });
    try {
      expect((await fetch(`${open.url}/metrics`, { headers: { forwarded: "for=203.0.113.7" } })).status).toBe(403);
      const lan = Object.values(networkInterfaces())
        .flat()
        .find((i) => i && i.family === "IPv4" && !i.internal);
      if (lan) {
        const server = createServer(open.naast.handler);
        server.listen(0, lan.address);
        await once(server, "listening");
        try {
          const address = server.address();
          const port = typeof address === "object" && address ? address.port : 0;
          expect((await fetch(`http://${lan.address}:${port}/metrics`)).status).toBe(403);
          expect((await fetch(`http://${lan.address}:${port}/healthz`)).status).toBe(200);
        } finally {
          server.closeAllConnections();
          server.close();
        }
      }
    } finally {
      await open.close();
    }
  });
});
