import { randomBytes } from "node:crypto";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { ChannelSender } from "../../src/channels/send-result.js";
import { WhatsAppSender } from "../../src/channels/whatsapp/whatsapp-sender.js";
import { Cipher } from "../../src/crypto/cipher.js";
import { MessageIds } from "../../src/crypto/pseudonymizer.js";
import { createLogger } from "../../src/logger.js";
import { Outbox } from "../../src/outbox/outbox.js";
import { BullmqQueueFactory } from "../../src/queues/bullmq-job-queue.js";
import { PauseQueue, type Job, type JobQueue, type QueueFactory } from "../../src/queues/job-queue.js";
import { jobIds, sendJobSchema, type SendJob } from "../../src/queues/job-schemas.js";
import { MemoryKeyedRateLimiter } from "../../src/queues/keyed-rate-limiter.js";
import { MemoryQueueFactory } from "../../src/queues/memory-job-queue.js";
import { OutboundWorker, type OutboundWorkerOptions } from "../../src/queues/outbound-worker.js";
import { UnsettledSends } from "../../src/queues/unsettled-sends.js";
import { OutboxStore } from "../../src/storage/outbox-store.js";
import { FakeWhatsApp, graphError } from "../support/fake-platform.js";
import { describeWith } from "../support/services.js";
import { openTestDatabase } from "../support/test-database.js";
import { writeSendRecord } from "../support/send-record.js";

const cipher = new Cipher("c".repeat(64));
let db: Awaited<ReturnType<typeof openTestDatabase>>;
let fake: FakeWhatsApp;
let outbox: OutboxStore;

beforeAll(async () => {
  db = await openTestDatabase();
  fake = await new FakeWhatsApp().start();
  outbox = new OutboxStore(db, new MessageIds("c".repeat(64)));
});
afterAll(async () => {
  await fake.stop();
  await db.drop();
});

/** A queue that only collects what a batch hands on, so a test can run those jobs itself. */
function collectingQueue(): JobQueue<SendJob> & { jobs: { id: string; data: SendJob; delayMs?: number | undefined; at: number }[] } {
  const jobs: { id: string; data: SendJob; delayMs?: number | undefined; at: number }[] = [];
  const add = async (more: readonly { id: string; data: SendJob; delayMs?: number }[]) => {
    for (const j of more) if (!jobs.some((k) => k.id === j.id)) jobs.push({ id: j.id, data: j.data, delayMs: j.delayMs, at: Date.now() });
  };
  return { name: "collect", jobs, add, requeue: add, process: () => undefined, count: async () => jobs.length, close: async () => undefined };
}

function workerWith(queue: JobQueue<SendJob>, extra: Partial<OutboundWorkerOptions> = {}): OutboundWorker {
  return new OutboundWorker({ outbox, sender: new WhatsAppSender({ token: "t", phoneNumberId: "1", apiBaseUrl: fake.url }), cipher, log: createLogger("silent"), queue, ...extra });
}

async function resident(tag: string): Promise<string> {
  const r = await db.prisma.resident.create({ data: { pseudonym: randomBytes(32).toString("hex"), channel: "whatsapp", addressEnc: cipher.encrypt(`316${tag}`) } });
  return r.id;
}

/** Send records written in this order (so their `seq` is this order). */
async function records(list: readonly [id: string, residentId: string | null][]): Promise<string[]> {
  for (const [id, residentId] of list) await writeSendRecord(db.prisma, cipher, id, residentId, `batch ${id} .`);
  return list.map(([id]) => id);
}

/** The order in which the fake accepted these records (refused and failed requests left out). */
function received(ids: readonly string[]): string[] {
  return fake
    .messages()
    .filter((r) => JSON.stringify(r.response ?? {}).includes('"messages"'))
    .map((r) => JSON.stringify(r.body))
    .flatMap((b) => ids.filter((id) => b.includes(`batch ${id} .`)));
}

const batchJob = (ids: readonly string[]): Job<SendJob> => ({ id: jobIds.outboundBatch(ids), data: { outboundIds: [...ids] }, attemptsMade: 0, dueAt: Date.now() });
const statuses = async (ids: readonly string[]) => (await db.prisma.outboundMessage.findMany({ where: { id: { in: [...ids] } }, orderBy: { seq: "asc" } })).map((r) => r.status);

describe("send batches", () => {
  it("claims and sends each record once when the same batch job runs twice at once, each resident's in order", async () => {
    const [a, b, c] = [await resident("a"), await resident("b"), await resident("c")];
    const ids = await records([["t1a1", a], ["t1b1", b], ["t1a2", a], ["t1c1", c], ["t1b2", b], ["t1a3", a], ["t1x", null]]);
    const queue = collectingQueue();
    const worker = workerWith(queue);
    await Promise.all([worker.handle(batchJob(ids)), worker.handle(batchJob(ids)), worker.handle(batchJob(ids))]);
    // Whatever one run could not send (another run held the claim) it left to that run, or to a job of its own.
    for (const j of queue.jobs) await worker.handle({ id: j.id, data: j.data, attemptsMade: 0, dueAt: Date.now() });
    expect(received(ids).sort()).toEqual([...ids].sort());
    expect(received(["t1a1", "t1a2", "t1a3"])).toEqual(["t1a1", "t1a2", "t1a3"]);
    expect(received(["t1b1", "t1b2"])).toEqual(["t1b1", "t1b2"]);
    expect(await statuses(ids)).toEqual(ids.map(() => "sent"));
    const rows = await db.prisma.outboundMessage.findMany({ where: { id: { in: ids } } });
    expect(rows.every((r) => r.payloadEnc === null && r.sentAt !== null)).toBe(true);
    // With a resident the platform id is kept as a keyed hash; without one (after an erasure) not at all.
    expect(rows.find((r) => r.id === "t1x")!.platformMessageId).toBeNull();
    expect(rows.find((r) => r.id === "t1a1")!.platformMessageId).toMatch(/^[0-9a-f]+$/);
    // Run again later: nothing is sent twice.
    await worker.handle(batchJob(ids));
    expect(received(ids).length).toBe(ids.length);
  });

  it("keeps a resident's order across batches: a later batch hands the resident's records on until the earlier ones are sent", async () => {
    const a = await resident("d");
    const first = await records([["t2a1", a], ["t2a2", a]]);
    const second = await records([["t2a3", a]]);
    const queue = collectingQueue();
    const worker = workerWith(queue);
    // The later batch runs first: its record must not go before the two earlier ones.
    await worker.handle(batchJob(second));
    expect(received(second)).toEqual([]);
    expect(queue.jobs.map((j) => j.id)).toEqual([jobIds.outbound("t2a3")]);
    expect(await statuses(second)).toEqual(["pending"]);
    await worker.handle(batchJob(first));
    // The job it was handed to sends it now that the earlier ones are sent.
    await worker.handle({ id: queue.jobs[0]!.id, data: queue.jobs[0]!.data, attemptsMade: 0, dueAt: Date.now() });
    expect(received([...first, ...second])).toEqual(["t2a1", "t2a2", "t2a3"]);
  });

  it("does not send a record before an earlier unsent one outside the batch, nor past one a claim holds", async () => {
    const a = await resident("e");
    const b = await resident("f");
    const ids = await records([["t3a1", a], ["t3b1", b], ["t3a2", a], ["t3b2", b], ["t3a3", a]]);
    const queue = collectingQueue();
    const worker = workerWith(queue);
    // t3a1 is not in the batch and still waits; t3b1 is held by another worker's fresh claim.
    await db.prisma.outboundMessage.update({ where: { id: "t3b1" }, data: { status: "sending", claimedAt: new Date() } });
    await worker.handle(batchJob(["t3a2", "t3b2", "t3a3"]));
    expect(received(ids)).toEqual([]);
    expect(queue.jobs.map((j) => j.id).sort()).toEqual(["t3a2", "t3a3", "t3b2"].map((id) => jobIds.outbound(id)).sort());
    // The one-record jobs wait for the earlier ones (RetryLater) and go once they are sent.
    const run = (id: string) => worker.handle({ id: jobIds.outbound(id), data: { outboundId: id }, attemptsMade: 0, dueAt: Date.now() });
    await expect(run("t3a2")).rejects.toThrow(/earlier message/);
    await run("t3a1");
    await run("t3a2");
    await run("t3a3");
    await db.prisma.outboundMessage.update({ where: { id: "t3b1" }, data: { status: "sent" } });
    await run("t3b2");
    expect(received(["t3a1", "t3a2", "t3a3"])).toEqual(["t3a1", "t3a2", "t3a3"]);
    expect(received(["t3b2"])).toEqual(["t3b2"]);
  });

  it("hands a record whose send failed for now to a job of its own, with the resident's later ones after it; a refusal does not hold them", async () => {
    const a = await resident("g");
    const b = await resident("h");
    const ids = await records([["t4a1", a], ["t4a2", a], ["t4b1", b], ["t4b2", b]]);
    const queue = collectingQueue();
    const worker = workerWith(queue);
    fake.failNext(1, graphError(1, "unknown error", 500));
    fake.failNext(1, graphError(100, "Invalid parameter"));
    await worker.handle(batchJob(ids));
    const rows = await db.prisma.outboundMessage.findMany({ where: { id: { in: ids } }, orderBy: { seq: "asc" } });
    const byId = new Map(rows.map((r) => [r.id, r]));
    // One of the two first records failed for now and one was refused; which one depends on which request came first.
    const [retried, refused] = byId.get("t4a1")!.status === "pending" ? ["a", "b"] : ["b", "a"];
    expect(byId.get(`t4${retried}1`)!.status).toBe("pending");
    expect(byId.get(`t4${retried}2`)!.status).toBe("pending");
    expect(byId.get(`t4${refused}1`)!.status).toBe("failed");
    expect(byId.get(`t4${refused}2`)!.status).toBe("sent");
    expect(queue.jobs.map((j) => j.id)).toEqual([jobIds.outbound(`t4${retried}1`, 1), jobIds.outbound(`t4${retried}2`)]);
    for (const j of queue.jobs) await worker.handle({ id: j.id, data: j.data, attemptsMade: 0, dueAt: Date.now() });
    expect(received([`t4${retried}1`, `t4${retried}2`])).toEqual([`t4${retried}1`, `t4${retried}2`]);
  });

  it("keeps each chat's pace: a resident's second record of a batch waits for the chat's next slot in a job of its own", async () => {
    const a = await resident("i");
    const b = await resident("j");
    const ids = await records([["t5a1", a], ["t5a2", a], ["t5b1", b]]);
    const queue = collectingQueue();
    const worker = workerWith(queue, { perChat: { limiter: new MemoryKeyedRateLimiter(), ratePerSecond: 1 } });
    await worker.handle(batchJob(ids));
    expect(received(ids).sort()).toEqual(["t5a1", "t5b1"]);
    expect(queue.jobs).toHaveLength(1);
    expect(queue.jobs[0]!.id).toBe(jobIds.outbound("t5a2"));
    expect(queue.jobs[0]!.delayMs).toBeGreaterThan(800);
    // A chat that had a message a moment ago: the claim is given back before anything is sent, and the record waits for its slot.
    const c = await resident("p");
    const more = await records([["t5c1", c]]);
    const chats = new MemoryKeyedRateLimiter();
    await chats.reserve(`whatsapp:${c}`, 1);
    const again = collectingQueue();
    await workerWith(again, { perChat: { limiter: chats, ratePerSecond: 1 } }).handle(batchJob([...more, "t5gone"]));
    expect(received(more)).toEqual([]);
    const row = await db.prisma.outboundMessage.findUniqueOrThrow({ where: { id: "t5c1" } });
    expect([row.status, row.attempts, row.claimedAt]).toEqual(["pending", 1, null]);
    expect(again.jobs.map((j) => j.id)).toEqual([jobIds.outbound("t5c1", 1)]);
    expect(again.jobs[0]!.delayMs).toBeGreaterThan(800);
  });

  it("gives back what has not gone when the platform asks the whole channel to slow down, and pauses the queue", async () => {
    const rs = await Promise.all(["q", "r", "s"].map((t) => resident(t)));
    const ids = await records(rs.map((r, i) => [`t7${i}`, r] as [string, string]));
    const queue = collectingQueue();
    // Two a second: the batch claims two records a piece (a second of the channel's pace), 500 ms apart.
    const worker = workerWith(queue, { perChannel: { limiter: new MemoryKeyedRateLimiter(), ratePerSecond: 2 } });
    fake.failNext(1, graphError(130429, "Rate limit hit"));
    await expect(worker.handle(batchJob(ids))).rejects.toBeInstanceOf(PauseQueue);
    expect(received(ids)).toEqual([]);
    expect(fake.messages().filter((r) => ids.some((id) => JSON.stringify(r.body).includes(`batch ${id} .`)))).toHaveLength(1);
    expect(await statuses(ids)).toEqual(["pending", "pending", "pending"]);
    // The first two were claimed (one asked, one given back unsent); the third, of the next piece, was never claimed.
    expect(queue.jobs.map((j) => j.id).sort()).toEqual([jobIds.outbound("t70", 1), jobIds.outbound("t71", 1), jobIds.outbound("t72")].sort());
    expect(queue.jobs.every((j) => (j.delayMs ?? 0) > 0)).toBe(true);
    for (const j of queue.jobs) await worker.handle({ id: j.id, data: j.data, attemptsMade: 0, dueAt: Date.now() });
    expect(received(ids).sort()).toEqual([...ids].sort());
  });

  it("settles a batch's lost claim and lost sent mark from what it knows: nothing in doubt, nothing sent twice", async () => {
    class LostAnswers extends OutboxStore {
      lose = new Set<string>();
      async #lost<T>(what: string, run: () => Promise<T>): Promise<T> {
        const out = await run();
        if (this.lose.delete(what)) throw new Error(`Client has encountered a connection error (${what})`);
        return out;
      }
      override claimMany(ids: readonly string[], token: string) { return this.#lost("claim", () => super.claimMany(ids, token)); }
      override markSentMany(sent: readonly { id: string; channel: string; platformMessageId: string }[]) { return this.#lost("sent", () => super.markSentMany(sent)); }
    }
    const flaky = new LostAnswers(db, new MessageIds("c".repeat(64)));
    const unsettled = new UnsettledSends();
    const queue = collectingQueue();
    const worker = workerWith(queue, { outbox: flaky, unsettled });
    const claimLost = await records([["t8a", await resident("t")], ["t8b", await resident("u")]]);
    flaky.lose.add("claim");
    await expect(worker.handle(batchJob(claimLost))).rejects.toThrow(/connection error \(claim\)/);
    expect(await statuses(claimLost)).toEqual(["sending", "sending"]);
    expect(received(claimLost)).toEqual([]);
    // The job's next attempt gives the claims back; jobs of their own send them.
    await worker.handle(batchJob(claimLost));
    expect(await statuses(claimLost)).toEqual(["pending", "pending"]);
    for (const j of queue.jobs) await worker.handle({ id: j.id, data: j.data, attemptsMade: 0, dueAt: Date.now() });
    expect(received(claimLost).sort()).toEqual([...claimLost].sort());

    const markLost = await records([["t8c", await resident("v")], ["t8d", await resident("w")]]);
    flaky.lose.add("sent");
    await expect(worker.handle(batchJob(markLost))).rejects.toThrow(/connection error \(sent\)/);
    // The store ran the mark before failing: undo it to stand for a mark that never ran.
    await db.prisma.outboundMessage.updateMany({ where: { id: { in: markLost } }, data: { status: "sending", sentAt: null } });
    expect(unsettled.size).toBe(2);
    await worker.handle(batchJob(markLost));
    expect(await statuses(markLost)).toEqual(["sent", "sent"]);
    expect(received(markLost).sort()).toEqual([...markLost].sort());
    expect(unsettled.size).toBe(0);
  });

  it("lets residents whose record has gone leave a round that waits for a send that hangs: their next records do not wait for it", async () => {
    const a = await resident("x");
    const b = await resident("y");
    const ids = await records([["t9a1", a], ["t9b1", b], ["t9a2", a], ["t9b2", b]]);
    const whatsapp = new WhatsAppSender({ token: "t", phoneNumberId: "1", apiBaseUrl: fake.url });
    let hungUntil = 0;
    const hanging: ChannelSender = {
      channel: "whatsapp",
      async send(address, message, ref) {
        if (ref?.sendId === "t9b1") await new Promise((r) => setTimeout(r, 1_000));
        const result = await whatsapp.send(address, message, ref);
        if (ref?.sendId === "t9b1") hungUntil = Date.now();
        return result;
      },
    };
    const queue = collectingQueue();
    const worker = workerWith(queue, { sender: hanging, slowRoundMs: 150 });
    await worker.handle(batchJob(ids));
    // t9a1 went at once; while t9b1 hung its sent mark was written and t9a2 handed to a job of its own.
    expect(queue.jobs.map((j) => j.id)).toEqual([jobIds.outbound("t9a2")]);
    expect(queue.jobs[0]!.at).toBeLessThan(hungUntil);
    // t9b1's resident stayed in the batch: its next record went after it, in the batch's next round.
    expect(received(["t9b1", "t9b2"])).toEqual(["t9b1", "t9b2"]);
    expect(await statuses(ids)).toEqual(["sent", "sent", "pending", "sent"]);
    await worker.handle({ id: queue.jobs[0]!.id, data: queue.jobs[0]!.data, attemptsMade: 0, dueAt: Date.now() });
    expect(received(["t9a1", "t9a2"])).toEqual(["t9a1", "t9a2"]);
  });

  it("leaves a send a status webhook proved while its round ran as the webhook said: never back from 'delivered' to 'sent'", async () => {
    const ids = await records([["t10a", await resident("z1")], ["t10b", await resident("z2")]]);
    const whatsapp = new WhatsAppSender({ token: "t", phoneNumberId: "1", apiBaseUrl: fake.url });
    const proving: ChannelSender = {
      channel: "whatsapp",
      async send(address, message, ref) {
        const result = await whatsapp.send(address, message, ref);
        // The platform's "delivered" webhook for t10a comes before the batch has written its sent marks.
        if (result.ok && ref?.sendId === "t10a") await outbox.proveInFlight("t10a", "whatsapp", result.platformMessageId, "delivered", new Date());
        return result;
      },
    };
    await workerWith(collectingQueue(), { sender: proving }).handle(batchJob(ids));
    expect(await statuses(ids)).toEqual(["delivered", "sent"]);
  });

  it("spaces a batch's sends by the channel's rate", async () => {
    const rs = await Promise.all(["k", "l", "m", "n", "o"].map((t) => resident(t)));
    const ids = await records(rs.map((r, i) => [`t6${i}`, r] as [string, string]));
    const queue = collectingQueue();
    const limiter = new MemoryKeyedRateLimiter();
    const worker = workerWith(queue, { perChannel: { limiter, ratePerSecond: 20 } });
    const started = Date.now();
    await worker.handle(batchJob(ids));
    expect(received(ids)).toHaveLength(5);
    // Five slots 50 ms apart and none sent before its slot: the i-th request arrives at least i × 50 ms after the
    // batch began (a busy event loop may bring two closer by sending one late, as it may for jobs of one record each).
    const arrivals = fake.messages().filter((r) => ids.some((id) => JSON.stringify(r.body).includes(`batch ${id} .`))).map((r) => r.at).sort((x, y) => x - y);
    arrivals.forEach((at, i) => expect(at - started).toBeGreaterThanOrEqual(i * 50));
    // …and spread out, not sent at once (allowing the first one to be up to 100 ms late).
    expect(arrivals.at(-1)! - arrivals[0]!).toBeGreaterThanOrEqual(100);
  });
});

/** Both queue adapters: a send batch job queued again after a database restore (the same record ids) runs again. */
function restoreContract(make: () => QueueFactory) {
  let factory: QueueFactory | undefined;
  afterEach(async () => {
    await factory?.close();
    factory = undefined;
  });

  it("runs a send batch again for the same records after a database restore: the old finished job drops nothing", async () => {
    factory = make();
    const tag = randomBytes(3).toString("hex");
    const queue: JobQueue<SendJob> = factory.create(`batch-out-${tag}`, (d) => sendJobSchema.parse(d));
    const worker = workerWith(queue);
    queue.process((job) => worker.handle(job), { concurrency: 2 });
    const sendOutbox = new Outbox(cipher, new Map([["whatsapp", queue]]));
    const [a, b] = [await resident(`${tag}a`), await resident(`${tag}b`)];
    const list: [string, string][] = [[`r${tag}a1`, a], [`r${tag}b1`, b], [`r${tag}a2`, a]];
    const ids = await records(list);
    await sendOutbox.queueBatches(ids.map((id) => ({ id, channel: "whatsapp" })));
    await expect.poll(() => received(ids).length, { timeout: 10_000 }).toBe(3);
    await expect.poll(() => queue.count(), { timeout: 5_000 }).toBe(0);
    // A restore brings back a database from before these were written; the conversation writes the same records again.
    await db.prisma.outboundMessage.deleteMany({ where: { id: { in: ids } } });
    await records(list);
    await sendOutbox.queueBatches(ids.map((id) => ({ id, channel: "whatsapp" })));
    await expect.poll(() => received(ids).length, { timeout: 10_000 }).toBe(6);
    // The fake records a request when it arrives; the sent marks follow once the round is over.
    await expect.poll(() => statuses(ids), { timeout: 5_000 }).toEqual(["sent", "sent", "sent"]);
    expect(received([`r${tag}a1`, `r${tag}a2`])).toEqual([`r${tag}a1`, `r${tag}a2`, `r${tag}a1`, `r${tag}a2`]);
  });
}

describe("send batches and the in-process queue", () => {
  restoreContract(() => new MemoryQueueFactory());
});

describeWith("REDIS_URL", "send batches and BullMQ", () => {
  restoreContract(() => new BullmqQueueFactory(process.env.REDIS_URL!, `naast-ob-${randomBytes(3).toString("hex")}`));
});
