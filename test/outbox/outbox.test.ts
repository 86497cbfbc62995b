import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Cipher } from "../../src/crypto/cipher.js";
import { openPayload } from "../../src/outbox/outbound-payload.js";
import { Outbox, type AfterCommit } from "../../src/outbox/outbox.js";
import { MemoryJobQueue } from "../../src/queues/memory-job-queue.js";
import { outboundJobSchema, type OutboundJob } from "../../src/queues/job-schemas.js";
import { openTestDatabase } from "../support/test-database.js";

const cipher = new Cipher("e".repeat(64));
const message = (text: string) => ({ language: "nl", rtl: false, text, choices: [], offset: 0 });
let db: Awaited<ReturnType<typeof openTestDatabase>>;
let telegram: MemoryJobQueue<OutboundJob>;
let web: MemoryJobQueue<OutboundJob>;
let outbox: Outbox;

beforeAll(async () => {
  db = await openTestDatabase();
  telegram = new MemoryJobQueue("outbound-telegram", (d) => outboundJobSchema.parse(d));
  web = new MemoryJobQueue("outbound-web", (d) => outboundJobSchema.parse(d));
  outbox = new Outbox(cipher, new Map([["telegram", telegram], ["web", web]]));
});
afterAll(async () => {
  await telegram.close();
  await web.close();
  await db.drop();
});

describe("the outbox", () => {
  it("writes records with their payload encrypted, skips a duplicate when asked, and refuses one otherwise", async () => {
    const records = [
      { id: "t-1", residentId: null, channel: "telegram", kind: "reply", address: "4242", message: message("hallo") },
      { id: "t-2", residentId: null, channel: "web", kind: "reply", failed: { at: new Date(), code: "no-template", reason: "none" } },
    ];
    expect(await outbox.write(db.prisma, records, { skipDuplicates: true })).toBe(2);
    expect(await outbox.write(db.prisma, records, { skipDuplicates: true })).toBe(0);
    await expect(outbox.write(db.prisma, records.slice(0, 1), { skipDuplicates: false })).rejects.toThrow();

    const [sent, failed] = await Promise.all(["t-1", "t-2"].map((id) => db.prisma.outboundMessage.findUniqueOrThrow({ where: { id } })));
    expect(sent!.payloadEnc).not.toContain("hallo");
    expect(openPayload(cipher, sent!.payloadEnc!)).toMatchObject({ address: "4242", message: { text: "hallo" } });
    expect(failed).toMatchObject({ status: "failed", payloadEnc: null, errorCode: "no-template" });
    expect(() => openPayload(cipher, cipher.encryptJson({ address: 1, message: {} }))).toThrow();
  });

  it("queues at once, or only when the caller says its transaction committed; a record already there is not queued again", async () => {
    expect(await outbox.send(db.prisma, { id: "s-1", residentId: null, channel: "telegram", kind: "reply", address: "1", message: message("a") })).toBe(true);
    expect(await telegram.count()).toBe(1);

    const afterCommit: AfterCommit = [];
    await db.prisma.$transaction(async (tx) => {
      await outbox.send(tx, { id: "s-2", residentId: null, channel: "web", kind: "reply", address: "2", message: message("b") }, afterCommit);
      expect(await web.count()).toBe(0);
    });
    expect(afterCommit).toEqual([{ id: "s-2", channel: "web" }]);
    await outbox.queue(afterCommit);
    expect(await web.count()).toBe(1);

    expect(await outbox.send(db.prisma, { id: "s-1", residentId: null, channel: "telegram", kind: "reply", address: "1", message: message("a") })).toBe(false);
    await outbox.queue([{ id: "s-9", channel: "switched-off" }]);
    expect(await telegram.count()).toBe(1);
  });
});
