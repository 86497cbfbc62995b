import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { InboundMessage } from "../../src/channels/inbound-message.js";
import { Cipher } from "../../src/crypto/cipher.js";
import { MessageIds, Pseudonymizer } from "../../src/crypto/pseudonymizer.js";
import { Ingest, WAKE_GAP_MS } from "../../src/queues/ingest.js";
import type { JobQueue, NewJob } from "../../src/queues/job-queue.js";
import { inboundJobSchema, type InboundJob } from "../../src/queues/job-schemas.js";
import { MemoryJobQueue } from "../../src/queues/memory-job-queue.js";
import { InboxStore } from "../../src/storage/inbox-store.js";
import { openTestDatabase } from "../support/test-database.js";

let db: Awaited<ReturnType<typeof openTestDatabase>>;
beforeAll(async () => {
  db = await openTestDatabase();
});
afterAll(async () => {
  await db.drop();
});

/** The in-process queue, with each add recorded (when, and which job) and optionally held until `release`. */
class RecordingQueue extends MemoryJobQueue<InboundJob> {
  readonly adds: { at: number; ids: string[] }[] = [];
  hold: Promise<void> | undefined;

  constructor() {
    super(`ingest-${randomBytes(3).toString("hex")}`, (d) => inboundJobSchema.parse(d));
  }

  override async add(jobs: readonly NewJob<InboundJob>[]): Promise<void> {
    this.adds.push({ at: performance.now(), ids: jobs.map((j) => j.id) });
    if (this.hold) await this.hold;
    await super.add(jobs);
  }
}

function ingestWith(queue: JobQueue<InboundJob>): Ingest {
  const key = "d".repeat(64);
  return new Ingest({ inbox: new InboxStore(db), queue, cipher: new Cipher(key), pseudonymizer: new Pseudonymizer(key), messageIds: new MessageIds(key) });
}

const message = (tag: string, n: number): InboundMessage => ({
  channel: "whatsapp",
  platformMessageId: `wamid.${tag}.${n}`,
  platformUserId: `3161${tag}${n % 7}`,
  address: `3161${tag}${n % 7}`,
  input: { kind: "text", text: `bericht ${n}` },
});

describe("Ingest: stores first, then wakes a worker", () => {
  it("wakes at once for the first message after a quiet spell", async () => {
    const queue = new RecordingQueue();
    const ingest = ingestWith(queue);
    expect(await ingest.accept([message("q1", 1)])).toBe(1);
    // Added in the same turn as the webhook's answer: not held back by the gap between wake-ups.
    expect(queue.adds).toHaveLength(1);
    await queue.close();
  });

  it("under a steady stream wakes a worker at most every WAKE_GAP_MS, not once per message, and the last wake-up comes after the last message", async () => {
    const queue = new RecordingQueue();
    const ingest = ingestWith(queue);
    const started = performance.now();
    // 60 messages, one every 2 ms, each in a request of its own.
    const accepted: Promise<number>[] = [];
    for (let n = 0; n < 60; n++) {
      accepted.push(ingest.accept([message("s2", n)]));
      await new Promise((r) => setTimeout(r, 2));
    }
    expect((await Promise.all(accepted)).reduce((a, b) => a + b, 0)).toBe(60);
    const storedBy = performance.now();
    await new Promise((r) => setTimeout(r, WAKE_GAP_MS + 50));
    const spanMs = storedBy - started;
    // At most one wake-up per WAKE_GAP_MS (plus the first), however fast the database stores them.
    expect(queue.adds.length).toBeLessThanOrEqual(Math.ceil(spanMs / WAKE_GAP_MS) + 2);
    // A worker takes everything stored before its claim: one wake-up after the last insert covers them all.
    expect(queue.adds.at(-1)!.at).toBeGreaterThanOrEqual(storedBy - 20);
    // WAKE_GAP_MS apart, less a timer firing up to a millisecond early and the moment between deciding and recording an add.
    for (let i = 1; i < queue.adds.length; i++) expect(queue.adds[i]!.at - queue.adds[i - 1]!.at).toBeGreaterThanOrEqual(WAKE_GAP_MS - 3);
    expect(await db.prisma.inboundMessage.count({ where: { platformMessageId: { not: "" }, processedAt: null } })).toBeGreaterThanOrEqual(60);
    await queue.close();
  });

  it("answers from the database alone when the queue hangs (Redis away), and adds the next wake-up without waiting for the hung one forever", async () => {
    const queue = new RecordingQueue();
    let release!: () => void;
    queue.hold = new Promise<void>((r) => (release = r));
    const ingest = ingestWith(queue);
    const t0 = performance.now();
    expect(await ingest.accept([message("h3", 1)])).toBe(1);
    expect(await ingest.accept([message("h3", 2)])).toBe(1);
    expect(performance.now() - t0).toBeLessThan(1_500); // stored and answered while the first add still hangs
    // The second wake-up is added once the first has waited its 2 s, not never.
    await expect.poll(() => queue.adds.length, { timeout: 5_000 }).toBe(2);
    expect(queue.adds[1]!.at - queue.adds[0]!.at).toBeGreaterThanOrEqual(1_900);
    release();
    await queue.close();
  });
});
