import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import type { InboundMessage } from "../../src/channels/inbound-message.js";
import { MAX_INBOUND_ATTEMPTS } from "../../src/conversation/conversation-service.js";
import { lockResident } from "../../src/storage/advisory-locks.js";
import { claimInbound, InboxStore, nextInbound } from "../../src/storage/inbox-store.js";
import { startHarness, type Harness } from "../support/harness.js";
import { postWhatsApp, waText } from "../support/payloads.js";
import { openTestDatabase } from "../support/test-database.js";

const onPostgres = Boolean(process.env.DATABASE_URL);
const P = (c: string) => c.repeat(64);

describe("claiming a batch of inbound messages", () => {
  const dbs: { drop(): Promise<void> }[] = [];
  afterAll(async () => {
    for (const db of dbs) await db.drop();
  });

  async function seeded() {
    const db = await openTestDatabase();
    dbs.push(db);
    const inbox = new InboxStore(db);
    // a: two messages, b: one, c: three, stored interleaved.
    const order = ["a", "b", "c", "a", "c", "c"];
    const rows = await inbox.insertMany(order.map((r, i) => ({ channel: "whatsapp", platformMessageId: `m${i}`, pseudonym: P(r), payloadEnc: `x${i}` })));
    return { db, seqs: rows.map((r) => BigInt(r.seq)) };
  }

  it("takes the oldest waiting message of each resident, in arrival order, one per resident", async () => {
    const { db, seqs } = await seeded();
    const all = await db.prisma.$transaction((tx) => claimInbound(tx, 50));
    // a's and c's later messages wait behind the ones taken: the worker must claim again after this batch.
    expect(all.behind).toBe(true);
    expect(all.rows.map((r) => [r.seq, r.pseudonym, r.locked])).toEqual([
      [seqs[0], P("a"), true],
      [seqs[1], P("b"), true],
      [seqs[2], P("c"), true],
    ]);
    const two = await db.prisma.$transaction((tx) => claimInbound(tx, 2));
    expect(two.rows.map((r) => r.seq)).toEqual([seqs[0], seqs[1]]);
    // Once a's first message is handled, its second is the one to take (and c's first still holds c's others back).
    await db.prisma.inboundMessage.update({ where: { seq: seqs[0]! }, data: { processedAt: new Date() } });
    const next = await db.prisma.$transaction((tx) => claimInbound(tx, 50));
    expect(next.rows.map((r) => r.seq)).toEqual([seqs[1], seqs[2], seqs[3]]);
    // With every resident's earlier messages handled, the last claim takes all that waits and says so.
    await db.prisma.inboundMessage.updateMany({ where: { seq: { in: [seqs[1]!, seqs[2]!, seqs[3]!, seqs[4]!] } }, data: { processedAt: new Date() } });
    const last = await db.prisma.$transaction((tx) => claimInbound(tx, 50));
    expect(last.rows.map((r) => r.seq)).toEqual([seqs[5]]);
    expect(last.behind).toBe(false);
  });

  it.runIf(onPostgres)("skips a resident whose oldest message another transaction holds, with all their later ones, and says whose lock it could not take", async () => {
    const { db, seqs } = await seeded();
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let held!: () => void;
    const holding = new Promise<void>((r) => (held = r));
    // One transaction works on a (as handleNext does: lock, then its rows), another holds b's advisory lock only.
    const other = db.prisma.$transaction(
      async (tx) => {
        await lockResident(tx, P("a"));
        await nextInbound(tx, P("a"));
        await lockResident(tx, P("b"));
        held();
        await gate;
      },
      { timeout: 20_000 },
    );
    await holding;
    try {
      const claimed = await db.prisma.$transaction((tx) => claimInbound(tx, 50));
      expect(claimed.rows.map((r) => [r.seq, r.pseudonym, r.locked])).toEqual([
        [seqs[1], P("b"), false],
        [seqs[2], P("c"), true],
      ]);
    } finally {
      release();
      await other;
    }
  });
});

describe("inbound messages handled in batches", () => {
  const harnesses: Harness[] = [];
  afterAll(async () => {
    for (const h of harnesses.reverse()) await h.close();
  });

  /** Twenty residents each write "hallo" and then "1", stored directly, all at once, and one job woken: the worker must find every message itself. */
  async function twentyResidents(h: Harness, tag: string): Promise<string[]> {
    const residents = Array.from({ length: 20 }, (_, i) => `3161${tag}${String(i).padStart(4, "0")}`);
    const messages = residents.flatMap((phone) =>
      ["hallo", "1"].map((text, k): InboundMessage => ({ channel: "whatsapp", platformMessageId: `wamid.batch.${phone}.${k}`, platformUserId: phone, address: phone, input: { kind: "text", text } })),
    );
    const byRound = [...messages.filter((_, i) => i % 2 === 0), ...messages.filter((_, i) => i % 2 === 1)];
    const inserted = await new InboxStore(h.db).insertMany(
      byRound.map((m) => ({ channel: m.channel, platformMessageId: h.naast.messageIds.hash(m.channel, m.platformMessageId), pseudonym: h.naast.pseudonymizer.pseudonym(m.channel, m.platformUserId), payloadEnc: h.naast.cipher.encryptJson(m) })),
    );
    expect(inserted).toHaveLength(40);
    await h.naast.inbound.add([{ id: `batch-test-${tag}`, data: { pseudonym: inserted[0]!.pseudonym } }]);
    await h.naast.idle(30_000);
    return residents;
  }

  it("handles many residents' messages in one transaction per round, each resident's in order", { timeout: 60_000 }, async () => {
    const h = await startHarness();
    harnesses.push(h);
    const residents = await twentyResidents(h, "000");

    const rows = await h.db.prisma.inboundMessage.findMany({ orderBy: { seq: "asc" } });
    expect(rows.every((r) => r.processedAt !== null && r.payloadEnc === null && r.error === null)).toBe(true);
    // now() is the transaction's start: the first messages of all twenty share one, the second messages another.
    expect(new Set(rows.slice(0, 20).map((r) => r.processedAt!.getTime())).size).toBe(1);
    expect(new Set(rows.slice(20).map((r) => r.processedAt!.getTime())).size).toBe(1);
    expect(rows[20]!.processedAt!.getTime()).toBeGreaterThan(rows[0]!.processedAt!.getTime());

    // Every resident got the answer to "hallo" and then to "1" (the language chosen), as one at a time would give.
    const solo = await startHarness();
    harnesses.push(solo);
    await postWhatsApp(solo.url, waText("31699999999", "wamid.solo.0", "hallo"));
    await solo.naast.idle();
    await postWhatsApp(solo.url, waText("31699999999", "wamid.solo.1", "1"));
    await solo.naast.idle();
    const expected = solo.whatsapp.requests.filter((r) => r.body.to === "31699999999").map((r) => JSON.stringify(r.body.text ?? r.body.interactive));
    expect(expected.length).toBeGreaterThanOrEqual(2);
    for (const phone of residents) {
      const got = h.whatsapp.requests.filter((r) => r.body.to === phone).map((r) => JSON.stringify(r.body.text ?? r.body.interactive));
      expect(got).toEqual(expected);
    }
    const stored = await h.db.prisma.resident.findMany({ include: { conversation: true } });
    expect(stored).toHaveLength(20);
    expect(stored.every((r) => r.language === "nl" && r.lastInboundAt !== null && r.conversation?.revision === 1)).toBe(true);
  });

  it.runIf(onPostgres)("asks the database less than once per message to handle them: no desk looks anything up for residents it does not concern", { timeout: 60_000 }, async () => {
    const h = await startHarness();
    harnesses.push(h);
    const seen: string[] = [];
    const proto = pg.Client.prototype as unknown as { query: (...args: unknown[]) => unknown };
    const query = proto.query;
    proto.query = function (this: unknown, ...args: unknown[]) {
      const first = args[0];
      const text = typeof first === "string" ? first : (first as { text?: unknown } | undefined)?.text;
      if (typeof text === "string") seen.push(text);
      return query.apply(this, args);
    };
    try {
      await twentyResidents(h, "001");
    } finally {
      proto.query = query;
    }
    // The send path (reading, claiming and marking each send record) is another part of the pipeline.
    const handling = seen.filter((q) => !/outbound_message/.test(q) || /^\s*INSERT INTO "?outbound_message/i.test(q));
    expect(handling.length, handling.join("\n")).toBeLessThan(40);
    // The handoff desk's one look for the whole batch (who has something held or an open chat), once per round.
    expect(handling.filter((q) => /professional|organisation|handoff/.test(q)).length).toBeLessThanOrEqual(2);
  });

  it("sets a message that keeps failing aside after the allowed attempts, while the other residents' messages go on", { timeout: 90_000 }, async () => {
    const h = await startHarness();
    harnesses.push(h);
    // A stored message that cannot be read, from a resident who writes again later.
    const broken = h.naast.pseudonymizer.pseudonym("whatsapp", "31620000009");
    const [row] = await new InboxStore(h.db).insertMany([{ channel: "whatsapp", platformMessageId: "broken-1", pseudonym: broken, payloadEnc: "not a sealed payload" }]);
    await h.naast.inbound.add([{ id: "broken-job", data: { pseudonym: broken } }]);
    const phones = ["31620000001", "31620000002", "31620000003"];
    await Promise.all(phones.map((p, i) => postWhatsApp(h.url, waText(p, `wamid.next.${i}`, "hallo"))));
    await h.whatsapp.waitFor((r) => phones.every((p) => r.some((x) => x.body.to === p)), 30_000);

    const deadline = Date.now() + 60_000;
    for (;;) {
      const r = await h.db.prisma.inboundMessage.findUniqueOrThrow({ where: { seq: BigInt(row!.seq) } });
      if (r.processedAt) {
        expect(r.attempts).toBe(MAX_INBOUND_ATTEMPTS);
        expect(r.error).toBeTruthy();
        break;
      }
      if (Date.now() > deadline) throw new Error(`not set aside: ${r.attempts} attempts`);
      await new Promise((res) => setTimeout(res, 200));
    }
    await h.naast.idle(30_000);
    expect(h.logs()).toContain("inbound message set aside after repeated failures");
    // That resident's next message is not held behind it.
    expect(h.whatsapp.requests.filter((x) => x.body.to === "31620000009")).toHaveLength(0);
    await postWhatsApp(h.url, waText("31620000009", "wamid.next.after", "hallo"));
    await h.naast.idle(30_000);
    expect(h.whatsapp.requests.filter((x) => x.body.to === "31620000009").length).toBeGreaterThanOrEqual(1);
  });
});
