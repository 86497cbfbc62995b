import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WhatsAppSender } from "../../src/channels/whatsapp/whatsapp-sender.js";
import { Cipher } from "../../src/crypto/cipher.js";
import { MessageIds } from "../../src/crypto/pseudonymizer.js";
import { createLogger } from "../../src/logger.js";
import { inboundJobSchema, outboundJobSchema, statusJobSchema } from "../../src/queues/job-schemas.js";
import { MemoryJobQueue } from "../../src/queues/memory-job-queue.js";
import { OutboundWorker } from "../../src/queues/outbound-worker.js";
import { RecoverySweeper } from "../../src/queues/recovery-sweeper.js";
import { StatusRecorder } from "../../src/queues/status-recorder.js";
import { InboxStore } from "../../src/storage/inbox-store.js";
import { OutboxStore } from "../../src/storage/outbox-store.js";
import { WebMailboxStore } from "../../src/storage/web-mailbox-store.js";
import { FakeWhatsApp } from "../support/fake-platform.js";
import { openTestDatabase } from "../support/test-database.js";
import { writeSendRecord } from "../support/send-record.js";

const cipher = new Cipher("c".repeat(64));
const WAIT_MS = 5 * 60_000;
let db: Awaited<ReturnType<typeof openTestDatabase>>;
let fake: FakeWhatsApp;
let outbox: OutboxStore;
let worker: OutboundWorker;
let queue: MemoryJobQueue<{ outboundId: string }>;
let statuses: StatusRecorder;
let sweeper: RecoverySweeper;
let offsetMs = 0;
const resolved: string[] = [];

beforeAll(async () => {
  db = await openTestDatabase();
  fake = await new FakeWhatsApp().start();
  outbox = new OutboxStore(db, new MessageIds("c".repeat(64)));
  worker = new OutboundWorker({ outbox, sender: new WhatsAppSender({ token: "t", phoneNumberId: "1", apiBaseUrl: fake.url }), cipher, log: createLogger("silent") });
  queue = new MemoryJobQueue("outbound-whatsapp", (d) => outboundJobSchema.parse(d));
  queue.process((job) => worker.handle(job), { concurrency: 2 });
  statuses = new StatusRecorder(outbox, new MemoryJobQueue("status", (d) => statusJobSchema.parse(d)), (_c, outcome) => resolved.push(outcome));
  sweeper = new RecoverySweeper({
    inbox: new InboxStore(db),
    outbox,
    mailbox: new WebMailboxStore(db.prisma),
    inbound: new MemoryJobQueue("inbound", (d) => inboundJobSchema.parse(d)),
    outbound: new Map([["whatsapp", queue]]),
    log: createLogger("silent"),
    inDoubtResend: { channels: ["whatsapp"], afterMs: WAIT_MS, clock: () => new Date(Date.now() + offsetMs), observe: (_c, outcome) => resolved.push(outcome) },
  });
});
afterAll(async () => {
  await queue.close();
  await fake.stop();
  await db.drop();
});

const record = (id: string, residentId: string | null = null) => writeSendRecord(db.prisma, cipher, id, residentId, `bericht ${id}`);
const job = (id: string) => ({ id: `out_${id}`, data: { outboundId: id }, attemptsMade: 0, dueAt: Date.now() });
const sends = (id: string) => fake.messages().filter((r) => r.body.biz_opaque_callback_data === id);
const row = (id: string) => db.prisma.outboundMessage.findUniqueOrThrow({ where: { id } });
const status = (id: string, wamid: string, s: string) => ({ id: wamid, status: s, timestamp: String(Math.floor(Date.now() / 1000)), recipient_id: "31600000000", biz_opaque_callback_data: id });

/** Sweeps as if `ms` had passed on Naast's clock, and waits for what the sweep queued. */
async function sweepLater(ms: number) {
  offsetMs = ms;
  try {
    await sweeper.sweep(1);
    await queue.drained();
  } finally {
    offsetMs = 0;
  }
}

/** A send whose connection was reset after the Graph API received it: in doubt, its id in the request. */
async function sendInDoubt(id: string) {
  await record(id);
  fake.dropNext(1);
  await worker.handle(job(id));
  expect(sends(id)).toHaveLength(1);
  const r = await row(id);
  expect(r.status).toBe("unknown");
  expect(r.errorCode).toBe("in-doubt");
  expect(r.payloadEnc).not.toBeNull(); // kept until the doubt is resolved
}

describe("a WhatsApp send in doubt is resolved with evidence", () => {
  it("a status webhook carrying the send's id proves it: recorded as delivered, never resent", async () => {
    await sendInDoubt("d1");
    await statuses.record("whatsapp", [status("d1", "wamid.D1", "delivered")]);
    const r = await row("d1");
    expect(r.status).toBe("delivered");
    expect(r.errorCode).toBe("in-doubt-confirmed");
    expect(r.payloadEnc).toBeNull();
    expect(r.deliveredAt).not.toBeNull();
    expect(resolved).toContain("in_doubt_confirmed");
    await sweepLater(WAIT_MS + 60_000);
    expect(sends("d1")).toHaveLength(1);
    expect((await row("d1")).status).toBe("delivered");
  });

  it("no status within the wait on Naast's clock: sent once more, exactly once, and later statuses send nothing", async () => {
    resolved.length = 0;
    await sendInDoubt("d2");
    await sweeper.sweep(1); // not yet: the wait has not passed
    await queue.drained();
    expect(sends("d2")).toHaveLength(1);
    offsetMs = WAIT_MS + 60_000;
    try {
      // Two sweeping processes at once: the database gives the send to one of them.
      const before = new Date(Date.now() + offsetMs - WAIT_MS);
      const taken = (await Promise.all([outbox.takeInDoubtForResend("whatsapp", before), outbox.takeInDoubtForResend("whatsapp", before)])).flat();
      expect(taken.map((t) => t.id)).toEqual(["d2"]);
      await queue.add(taken.map((t) => ({ id: `out_${t.id}_a${t.attempts}`, data: { outboundId: t.id } })));
      await queue.drained();
      expect(sends("d2")).toHaveLength(2);
      const r = await row("d2");
      expect(r.status).toBe("sent");
      expect(r.errorCode).toBe("in-doubt-resent");
      await sweeper.sweep(1);
      await queue.drained();
    } finally {
      offsetMs = 0;
    }
    // A late status for the first copy and one for the resend: recorded, nothing sent again.
    await statuses.record("whatsapp", [status("d2", "wamid.D2-first", "delivered"), status("d2", "wamid.D2-second", "read")]);
    await sweepLater(WAIT_MS * 3);
    expect(sends("d2")).toHaveLength(2);
    expect((await row("d2")).status).toBe("sent");
  });

  it("a status that beats the send's own answer (late, cut off, or its process stopped) proves it at once: never in doubt, never resent", async () => {
    resolved.length = 0;
    await record("d4");
    // The worker claimed it and the request went out; the answer has not come yet when Meta's status does.
    expect(await outbox.claim("d4", "t4")).toBe(true);
    await statuses.record("whatsapp", [status("d4", "wamid.D4", "sent")]);
    let r = await row("d4");
    expect(r.status).toBe("sent");
    expect(r.errorCode).toBeNull();
    expect(r.payloadEnc).toBeNull();
    // The answer then times out, or the claim runs out: the proof stands.
    expect(await outbox.markInDoubt("d4", "Graph API network: timeout")).toBe(0);
    await worker.settleInDoubt("d4");
    await sweepLater(WAIT_MS * 2);
    r = await row("d4");
    expect(r.status).toBe("sent");
    expect(sends("d4")).toHaveLength(0); // claimed by hand above: the fake never saw a request, and no resend came
  });

  it("a status that came while its send was between states is tried again with the send's id: the send in doubt it proves is never resent", async () => {
    resolved.length = 0;
    await record("d6");
    // Meta's status comes while the record is neither claimed nor in doubt (its claim given back, its answer being written).
    await statuses.record("whatsapp", [status("d6", "wamid.D6", "sent")]);
    expect((await row("d6")).status).toBe("pending");
    // Then the send is in doubt; the status's retry carries the send's id and proves it.
    expect(await outbox.claim("d6", "t6")).toBe(true);
    expect(await outbox.markInDoubt("d6", "Graph API network: socket reset")).toBe(1);
    const data = statusJobSchema.parse({ channel: "whatsapp", platformMessageId: "wamid.D6", status: "sent", at: Date.now(), sendId: "d6", tries: 1 });
    await statuses.handle({ id: "st_d6", data, attemptsMade: 0, dueAt: Date.now() });
    const r = await row("d6");
    expect(r.status).toBe("sent");
    expect(r.errorCode).toBe("in-doubt-confirmed");
    expect(resolved).toEqual(["in_doubt_confirmed"]);
    await sweepLater(WAIT_MS * 2);
    expect(sends("d6")).toHaveLength(0);
  });

  it("a resend that is in doubt again is left for good: never a third copy", async () => {
    resolved.length = 0;
    await sendInDoubt("d3");
    offsetMs = WAIT_MS + 60_000;
    try {
      fake.dropNext(1);
      await sweeper.sweep(1);
      await queue.drained();
      expect(sends("d3")).toHaveLength(2);
      expect(resolved.filter((o) => o === "in_doubt_resent")).toHaveLength(1);
      const r = await row("d3");
      expect(r.status).toBe("unknown");
      expect(r.errorCode).toBe("in-doubt-again");
      expect(r.payloadEnc).toBeNull();
      offsetMs = WAIT_MS * 4;
      await sweeper.sweep(1);
      await queue.drained();
    } finally {
      offsetMs = 0;
    }
    expect(sends("d3")).toHaveLength(2);
  });
});
