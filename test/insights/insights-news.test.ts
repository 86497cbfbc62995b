import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { startHarness, type Harness } from "../support/harness.js";
import { seedSubscribers } from "../support/seed-audience.js";
import { signUp, type Staff } from "../security/panel-helpers.js";

vi.setConfig({ testTimeout: 120_000, hookTimeout: 120_000 });

let h: Harness;
let admin: Staff;
let keyfigure: Staff;
let org: string;

const count = async (metric: string, where: Record<string, string> = {}) =>
  (await h.db.prisma.insightCounter.findMany({ where: { metric, ...where } })).reduce((a, r) => a + r.count, 0);
const until = async (cond: () => Promise<boolean>, ms = 20_000) => {
  const deadline = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > deadline) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 50));
  }
};

beforeAll(async () => {
  h = await startHarness();
  org = (await h.db.prisma.organisation.create({ data: { name: "Buurthuis Korvel", kind: "residents-association" } })).id;
  admin = await signUp(h, "admin", "beheer@example.org");
  keyfigure = await signUp(h, "keyfigure", "noor@example.org", org);
  await seedSubscribers(h.db.prisma, h.naast.cipher, h.naast.pseudonymizer, [
    { channel: "telegram", address: "8001", subscription: { topic: "food" } },
    { channel: "telegram", address: "8002", subscription: {} },
    { channel: "whatsapp", address: "31680000001", subscription: { topic: "food" } },
  ]);
});
afterAll(async () => {
  await h?.close();
});

describe("news counted where it happens", () => {
  it("an approved activity counts as published (its area and topic), once; a broadcast counts its messages per channel, once", async () => {
    const startsAt = new Date(h.clock().getTime() + 5 * 86_400_000);
    const activity = await h.db.prisma.activity.create({
      data: { organisationId: org, createdById: keyfigure.userId, neighbourhood: "korvel", status: "pending", startsAt, place: "Buurthuis", topic: "food", audience: "everyone", texts: { create: [{ language: "nl", title: "Soep", description: "Samen soep eten." }] } },
    });
    expect((await admin.client.post(`/admin/activities/${activity.id}/approve`, {})).status).toBe(303);
    expect(await count("activity_published", { neighbourhood: "korvel", topic: "food" })).toBe(1);
    // Approving again is refused (409) and counts nothing.
    expect((await admin.client.post(`/admin/activities/${activity.id}/approve`, {})).status).toBe(409);
    expect(await count("activity_published")).toBe(1);

    const id = await h.naast.broadcasts.create(activity.id, null, null);
    await until(async () => (await h.naast.broadcasts.progress(id))!.status === "done");
    expect(await count("broadcast_recipients", { channel: "telegram" })).toBe(2);
    expect(await count("broadcast_recipients", { channel: "whatsapp" })).toBe(1);
    await h.naast.broadcasts.fanOut(id); // running fan-out again (as the sweep does) adds nothing
    expect(await count("broadcast_recipients")).toBe(3);
  });
});
