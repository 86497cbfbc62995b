import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { deliverySummary } from "../../src/storage/delivery-summary.js";
import { IN_DOUBT } from "../../src/storage/outbox-store.js";
import { openTestDatabase } from "../support/test-database.js";

let db: Awaited<ReturnType<typeof openTestDatabase>>;
beforeAll(async () => {
  db = await openTestDatabase();
});
afterAll(async () => {
  await db.drop();
});

describe("delivery summary", () => {
  it("counts a period's sends by how they ended, and those in doubt by how they were resolved", async () => {
    const now = new Date("2026-12-03T12:00:00Z");
    const rows: { id: string; channel: string; status: string; errorCode?: string; createdAt?: Date }[] = [
      { id: "a", channel: "whatsapp", status: "sent" },
      { id: "b", channel: "whatsapp", status: "read" },
      { id: "c", channel: "telegram", status: "blocked" },
      { id: "d", channel: "whatsapp", status: "failed" },
      { id: "e", channel: "whatsapp", status: "pending" },
      { id: "f", channel: "whatsapp", status: "unknown", errorCode: IN_DOUBT.open },
      { id: "g", channel: "whatsapp", status: "delivered", errorCode: IN_DOUBT.confirmed },
      { id: "h", channel: "whatsapp", status: "sent", errorCode: IN_DOUBT.resent },
      { id: "i", channel: "whatsapp", status: "pending", errorCode: IN_DOUBT.resent },
      { id: "j", channel: "telegram", status: "unknown", errorCode: IN_DOUBT.open },
      { id: "k", channel: "whatsapp", status: "unknown", errorCode: IN_DOUBT.again },
      { id: "old", channel: "whatsapp", status: "unknown", errorCode: IN_DOUBT.open, createdAt: new Date("2026-11-20T12:00:00Z") },
    ];
    await db.prisma.outboundMessage.createMany({ data: rows.map((r) => ({ id: r.id, channel: r.channel, status: r.status, errorCode: r.errorCode ?? null, createdAt: r.createdAt ?? now })) });
    const summary = await deliverySummary(db.prisma, new Date("2026-11-26T12:00:00Z"));
    expect(summary).toEqual({ sent: 4, refused: 2, waiting: 2, waitingForProof: 1, provedByStatus: 1, sentOnceMore: 1, inDoubtForGood: 2 });
  });
});
