import { once } from "node:events";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Cipher } from "../../src/crypto/cipher.js";
import { createLogger } from "../../src/logger.js";
import { WhatsAppSender } from "../../src/channels/whatsapp/whatsapp-sender.js";
import { OutboundWorker } from "../../src/queues/outbound-worker.js";
import { UnsettledSends } from "../../src/queues/unsettled-sends.js";
import { RetryLater, PauseQueue } from "../../src/queues/job-queue.js";
import { MessageIds } from "../../src/crypto/pseudonymizer.js";
import { OutboxStore } from "../../src/storage/outbox-store.js";
import { FakeWhatsApp, graphError } from "../support/fake-platform.js";
import { openTestDatabase } from "../support/test-database.js";
import { writeSendRecord } from "../support/send-record.js";

const cipher = new Cipher("c".repeat(64));
let db: Awaited<ReturnType<typeof openTestDatabase>>;
let fake: FakeWhatsApp;
let worker: OutboundWorker;
let outbox: OutboxStore;

beforeAll(async () => {
  db = await openTestDatabase();
  fake = await new FakeWhatsApp().start();
  outbox = new OutboxStore(db, new MessageIds("c".repeat(64)));
  worker = new OutboundWorker({ outbox, sender: new WhatsAppSender({ token: "t", phoneNumberId: "1", apiBaseUrl: fake.url }), cipher, log: createLogger("silent") });
});
afterAll(async () => {
  await fake.stop();
  await db.drop();
});

const record = (id: string, residentId: string | null = null) => writeSendRecord(db.prisma, cipher, id, residentId, `bericht ${id}`);
const job = (id: string) => ({ id: `out_${id}`, data: { outboundId: id }, attemptsMade: 0, dueAt: Date.now() });
const sentWith = (id: string) => fake.messages().filter((r) => JSON.stringify(r.body).includes(`bericht ${id}`)).length;

describe("outbound worker", () => {
  it("sends once even when the same job runs twice at the same time, and again later", async () => {
    await record("o1");
    await Promise.all([worker.handle(job("o1")), worker.handle(job("o1")).catch((e: unknown) => e)]);
    await worker.handle(job("o1"));
    expect(sentWith("o1")).toBe(1);
    const row = await db.prisma.outboundMessage.findUniqueOrThrow({ where: { id: "o1" } });
    expect(row.status).toBe("sent");
    expect(row.payloadEnc).toBeNull();
    // A send record without a resident (as after an erasure) keeps no platform id at all; with a resident
    // it is a keyed hash (test/security/privacy.test.ts).
    expect(row.platformMessageId).toBeNull();
  });

  it("does not resend a message whose sender died mid-send; it is recorded as in doubt", async () => {
    await record("o2");
    await db.prisma.outboundMessage.update({ where: { id: "o2" }, data: { status: "sending", claimedAt: new Date(Date.now() - 120_000) } });
    await worker.handle(job("o2"));
    expect(sentWith("o2")).toBe(0);
    expect((await db.prisma.outboundMessage.findUniqueOrThrow({ where: { id: "o2" } })).status).toBe("unknown");
  });

  it("turns a throughput error into a queue pause (no failure) and a pair-rate error into a per-job wait", async () => {
    await record("o3");
    fake.failNext(1, graphError(130429, "Rate limit hit"));
    await expect(worker.handle(job("o3"))).rejects.toBeInstanceOf(PauseQueue);
    expect((await db.prisma.outboundMessage.findUniqueOrThrow({ where: { id: "o3" } })).status).toBe("pending");
    fake.failNext(1, graphError(131056, "pair rate limit hit"));
    const err = await worker.handle(job("o3")).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RetryLater);
    expect((err as RetryLater).delayMs).toBe(6_000);
    await worker.handle(job("o3"));
    expect((await db.prisma.outboundMessage.findUniqueOrThrow({ where: { id: "o3" } })).status).toBe("sent");
  });

  it("fails a refusal at once with its reason, and retries a server error", async () => {
    await record("o4");
    fake.failNext(1, graphError(100, "Invalid parameter", 400));
    await worker.handle(job("o4"));
    const failed = await db.prisma.outboundMessage.findUniqueOrThrow({ where: { id: "o4" } });
    expect(failed.status).toBe("failed");
    expect(failed.errorReason).toContain("Invalid parameter");
    await record("o5");
    fake.failNext(1, { status: 503, body: { error: { message: "Service unavailable", code: 2 } } });
    await expect(worker.handle(job("o5"))).rejects.toThrow(/Service unavailable/);
    expect((await db.prisma.outboundMessage.findUniqueOrThrow({ where: { id: "o5" } })).status).toBe("pending");
    await worker.handle(job("o5"));
    expect((await db.prisma.outboundMessage.findUniqueOrThrow({ where: { id: "o5" } })).status).toBe("sent");
  });

  it("records a send whose answer was lost (connection reset after the request) as in doubt and never sends it again", async () => {
    await record("o8");
    fake.dropNext(1);
    await worker.handle(job("o8"));
    await worker.handle(job("o8"));
    expect(sentWith("o8")).toBe(1);
    const row = await db.prisma.outboundMessage.findUniqueOrThrow({ where: { id: "o8" } });
    expect(row.status).toBe("unknown");
    expect(row.errorReason).toMatch(/network.*not resent/);
  });

  it("gives back a claim whose answer was lost before anything was sent, and records a send whose sent mark failed: neither ends in doubt", async () => {
    // The database took the statement but its answer never came (a connection cut as PostgreSQL stops): the claim is made,
    // nothing was sent. Another statement that fails after running is the same for the worker as one that never ran.
    class LostAnswers extends OutboxStore {
      lose = new Set<string>();
      async #lost<T>(what: string, run: () => Promise<T>): Promise<T> {
        const out = await run();
        if (this.lose.delete(what)) throw new Error(`Client has encountered a connection error (${what})`);
        return out;
      }
      override claim(id: string, token: string) { return this.#lost("claim", () => super.claim(id, token)); }
      override markSent(id: string, channel: string, platformId: string) { return this.#lost("sent", () => super.markSent(id, channel, platformId)); }
    }
    const flaky = new LostAnswers(db, new MessageIds("c".repeat(64)));
    const unsettled = new UnsettledSends();
    const lossy = new OutboundWorker({ outbox: flaky, sender: new WhatsAppSender({ token: "t", phoneNumberId: "1", apiBaseUrl: fake.url }), cipher, log: createLogger("silent"), unsettled });
    await record("o10");
    flaky.lose.add("claim");
    await expect(lossy.handle(job("o10"))).rejects.toThrow(/connection error \(claim\)/);
    expect((await db.prisma.outboundMessage.findUniqueOrThrow({ where: { id: "o10" } })).status).toBe("sending");
    expect(sentWith("o10")).toBe(0);
    await lossy.handle(job("o10"));
    expect(sentWith("o10")).toBe(1);
    expect((await db.prisma.outboundMessage.findUniqueOrThrow({ where: { id: "o10" } })).status).toBe("sent");

    await record("o11");
    flaky.lose.add("sent");
    // The sent mark fails after running: this test's store runs it first, so undo it to stand for a mark that never ran.
    await expect(lossy.handle(job("o11"))).rejects.toThrow(/connection error \(sent\)/);
    await db.prisma.outboundMessage.update({ where: { id: "o11" }, data: { status: "sending", sentAt: null } });
    expect(unsettled.size).toBe(1);
    await lossy.handle(job("o11"));
    expect(sentWith("o11")).toBe(1);
    expect((await db.prisma.outboundMessage.findUniqueOrThrow({ where: { id: "o11" } })).status).toBe("sent");
    expect(unsettled.size).toBe(0);

    // Another process's claim is not this process's to settle: it stays claimed until its lease runs out.
    await record("o12");
    flaky.lose.add("claim");
    await expect(lossy.handle(job("o12"))).rejects.toThrow(/claim/);
    await db.prisma.outboundMessage.update({ where: { id: "o12" }, data: { claimToken: "another process" } });
    await expect(lossy.handle(job("o12"))).rejects.toBeInstanceOf(RetryLater);
    expect(sentWith("o12")).toBe(0);
  });

  it("retries a send that never left (connection refused): no copy can have arrived", async () => {
    await record("o9");
    // A port that was just free: nothing listens there.
    const probe = createServer().listen(0, "127.0.0.1");
    await once(probe, "listening");
    const port = (probe.address() as AddressInfo).port;
    await new Promise((r) => probe.close(r));
    const closed = new WhatsAppSender({ token: "t", phoneNumberId: "1", apiBaseUrl: `http://127.0.0.1:${port}` });
    const offline = new OutboundWorker({ outbox, sender: closed, cipher, log: createLogger("silent") });
    await expect(offline.handle(job("o9"))).rejects.toThrow(/ECONNREFUSED/);
    expect((await db.prisma.outboundMessage.findUniqueOrThrow({ where: { id: "o9" } })).status).toBe("pending");
    await worker.handle(job("o9"));
    expect(sentWith("o9")).toBe(1);
  });

  it("keeps one resident's messages in order: a later one waits for an earlier one", async () => {
    const resident = await db.prisma.resident.create({ data: { pseudonym: "f".repeat(64), channel: "whatsapp", addressEnc: cipher.encrypt("31600000000") } });
    await record("o6", resident.id);
    await record("o7", resident.id);
    await expect(worker.handle(job("o7"))).rejects.toBeInstanceOf(RetryLater);
    await worker.handle(job("o6"));
    await worker.handle(job("o7"));
    const order = fake.messages().map((r) => JSON.stringify(r.body)).filter((b) => b.includes("bericht o6") || b.includes("bericht o7"));
    expect(order[0]).toContain("o6");
    expect(order[1]).toContain("o7");
  });

  it("does not hold a resident's next reply back behind a reply in doubt: neither a dead process's claim nor a resend", async () => {
    const resident = await db.prisma.resident.create({ data: { pseudonym: "e".repeat(64), channel: "whatsapp", addressEnc: cipher.encrypt("31600000000") } });
    await record("h1", resident.id);
    await record("h2", resident.id);
    await record("h3", resident.id);
    // h1 was claimed by a process that died a lease ago: in doubt, whether or not the sweep has settled it yet.
    await db.prisma.outboundMessage.update({ where: { id: "h1" }, data: { status: "sending", claimedAt: new Date(Date.now() - 120_000) } });
    await worker.handle(job("h2"));
    expect(sentWith("h2")).toBe(1);
    // h1 put back to be sent once more after no status came: the next reply does not wait for it either.
    await db.prisma.outboundMessage.update({ where: { id: "h1" }, data: { status: "pending", claimedAt: null, errorCode: "in-doubt-resent" } });
    await worker.handle(job("h3"));
    expect(sentWith("h3")).toBe(1);
    // A claim still within its lease keeps the order.
    await record("h4", resident.id);
    await record("h5", resident.id);
    await db.prisma.outboundMessage.update({ where: { id: "h4" }, data: { status: "sending", claimedAt: new Date() } });
    await expect(worker.handle(job("h5"))).rejects.toBeInstanceOf(RetryLater);
  });
});
