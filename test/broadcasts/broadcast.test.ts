import { sentWamid } from "../support/fake-platform.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BroadcastError } from "../../src/broadcasts/broadcast-service.js";
import { totpCode, totpStep } from "../../src/admin/totp.js";
import { startHarness, type Harness } from "../support/harness.js";
import { PanelClient } from "../support/panel-client.js";
import { seen } from "../support/chat-driver.js";
import { seedSubscribers } from "../support/seed-audience.js";
import { postTelegram, postWhatsApp, tgTap, waNotification } from "../support/payloads.js";

let h: Harness;
let mosque: string;
let activity: string;
let other: string;

const until = async (cond: () => Promise<boolean>, ms = 20_000) => {
  const deadline = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > deadline) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 50));
  }
};

beforeAll(async () => {
  h = await startHarness({ TELEGRAM_RATE_PER_CHAT_PER_SECOND: "5" });
  const p = h.db.prisma;
  mosque = (await p.organisation.create({ data: { name: "Moskee Selimiye", kind: "house-of-worship", requiresApproval: false } })).id;
  const otherOrg = (await p.organisation.create({ data: { name: "Kerk", kind: "house-of-worship" } })).id;
  const startsAt = new Date(Date.now() + 5 * 86_400_000);
  activity = (
    await p.activity.create({
      data: {
        organisationId: mosque, neighbourhood: "korvel", status: "approved", startsAt, place: "Moskee, Korvelseweg 2", topic: "food", audience: "everyone",
        texts: { create: [{ language: "nl", title: "Iftar voor de buurt", description: "Samen eten." }, { language: "ar", title: "إفطار للحي", description: "نأكل معا." }] },
      },
    })
  ).id;
  other = (await p.activity.create({ data: { organisationId: otherOrg, neighbourhood: "korvel", status: "pending", startsAt, place: "Kerk", topic: "food", audience: "everyone", texts: { create: [{ language: "nl", title: "Nog niet", description: "x" }] } } })).id;
  const old = new Date(Date.now() - 3 * 86_400_000);
  await seedSubscribers(h.db.prisma, h.naast.cipher, h.naast.pseudonymizer, [
    { channel: "telegram", address: "5001", subscription: { topic: "food" } },
    { channel: "telegram", address: "5002", language: "ar", subscription: { organisationId: mosque } },
    { channel: "telegram", address: "5003", subscription: {} }, // everything, both neighbourhoods
    { channel: "whatsapp", address: "31650000001", subscription: { topic: "food", neighbourhood: "korvel" } },
    { channel: "whatsapp", address: "31650000002", language: "ar", lastInboundAt: old, subscription: { topic: "food" } }, // window closed → template
    { channel: "whatsapp", address: "31650000003", language: null, lastInboundAt: null, subscription: { organisationId: mosque } },
    { channel: "whatsapp", address: "31650000004", quiet: true, subscription: { topic: "food" } }, // never message first
    { channel: "whatsapp", address: "31650000005", subscription: { topic: "health" } }, // another topic
    { channel: "whatsapp", address: "31650000006", subscription: { topic: "food", neighbourhood: "wandelbos-noord" } }, // another neighbourhood
    { channel: "telegram", address: "5004", subscription: { organisationId: otherOrg } }, // another organisation
  ]);
});
afterAll(async () => {
  await h?.close();
});

describe("broadcasting an approved activity", () => {
  it("previews the audience as counts by channel and language, never a list", async () => {
    const preview = await h.naast.broadcasts.preview(activity);
    expect(preview).toEqual({ total: 6, byChannel: { telegram: 3, whatsapp: 3 }, byLanguage: { nl: 4, ar: 2 }, template: 2, quiet: 1 });
  });

  it("refuses an activity that is not approved, a moment in the past, and a second one at once", async () => {
    await expect(h.naast.broadcasts.create(other, null, null)).rejects.toThrow(BroadcastError);
    await expect(h.naast.broadcasts.create(activity, null, new Date(Date.now() - 3_600_000))).rejects.toMatchObject({ reason: "in_past" });
  });

  it("sends once to each subscriber, in their language, with a template outside WhatsApp's window, skipping quiet mode", async () => {
    const id = await h.naast.broadcasts.create(activity, null, null);
    await expect(h.naast.broadcasts.create(activity, null, null)).rejects.toMatchObject({ reason: "already_running" });
    await until(async () => (await h.naast.broadcasts.progress(id))!.status === "done");
    const p = (await h.naast.broadcasts.progress(id))!;
    expect(p).toMatchObject({ recipients: 6, done: 6, counts: { sent: 6, failed: 0, pending: 0 } });
    expect((await h.db.prisma.broadcast.findUnique({ where: { id } }))!.skippedQuiet).toBe(1);

    const tg = h.telegram.calls("sendMessage");
    const tgTo = (chat: string) => tg.filter((c) => String(c.body.chat_id) === chat);
    expect(tgTo("5001")).toHaveLength(1);
    expect(String(tgTo("5001")[0]!.body.text)).toContain("Iftar voor de buurt");
    expect(JSON.stringify(tgTo("5001")[0]!.body.reply_markup)).toContain("g|unsubscribe");
    expect(String(tgTo("5002")[0]!.body.text)).toContain("إفطار للحي");
    expect(tgTo("5003")).toHaveLength(1);
    expect(tgTo("5004")).toHaveLength(0);

    const wa = (to: string) => h.whatsapp.messages().filter((r) => r.body.to === to).map(seen);
    expect(wa("31650000001")).toHaveLength(1);
    expect(wa("31650000001")[0]!.text).toContain("Iftar voor de buurt");
    const template = wa("31650000002")[0]!.template!;
    expect(template).toMatchObject({ name: "naast_activity", language: "ar" });
    expect(template.params[0]).toBe("إفطار للحي");
    expect(template.params[2]).toBe("Moskee, Korvelseweg 2");
    expect(template.params.every((x) => !x.includes("\n"))).toBe(true);
    expect(wa("31650000003")[0]!.template).toMatchObject({ language: "nl" }); // never wrote: template, default language
    for (const n of ["31650000004", "31650000005", "31650000006"]) expect(wa(n)).toHaveLength(0);
  });

  it("counts delivered and read from WhatsApp's status callbacks, and shows failures in plain words", async () => {
    const b = await h.db.prisma.broadcast.findFirstOrThrow({ where: { activityId: activity } });
    const rows = await h.db.prisma.outboundMessage.findMany({ where: { broadcastId: b.id, channel: "whatsapp" }, orderBy: { id: "asc" } });
    const ts = String(Math.floor(Date.now() / 1000));
    const status = (id: string, s: string, extra = {}) => ({ id, status: s, timestamp: ts, recipient_id: "x", ...extra });
    // Naast keeps only a keyed hash of each id: the callbacks name the ids the platform answered with.
    const idOf = async (row: (typeof rows)[number]) => {
      const r = await h.db.prisma.resident.findUniqueOrThrow({ where: { id: row.residentId! } });
      const phone = h.naast.cipher.decrypt(r.addressEnc);
      const id = sentWamid(h.whatsapp.requests.filter((x) => x.body.to === phone).at(-1)!);
      expect(row.platformMessageId).toBe(h.naast.messageIds.hash("whatsapp", id));
      return id;
    };
    await postWhatsApp(h.url, waNotification({ statuses: [status(await idOf(rows[0]!), "delivered"), status(await idOf(rows[1]!), "read"), status(await idOf(rows[2]!), "failed", { errors: [{ code: 131026, title: "Message undeliverable" }] })] }));
    await until(async () => (await h.naast.broadcasts.progress(b.id))!.counts.failed === 1);
    const p = (await h.naast.broadcasts.progress(b.id))!;
    expect(p.counts).toMatchObject({ delivered: 1, read: 1, failed: 1, sent: 3 });
    expect(p.failures).toMatchObject([{ status: "failed", code: "whatsapp-131026", count: 1 }]);
  });

  it("counts a send in doubt that a status webhook proved as resolved, not as a failure", async () => {
    const b = await h.db.prisma.broadcast.findFirstOrThrow({ where: { activityId: activity } });
    const row = await h.db.prisma.outboundMessage.findFirstOrThrow({ where: { broadcastId: b.id, channel: "whatsapp", status: "delivered" } });
    // As after a connection reset once the request was written (test/queues/in-doubt-resolution.test.ts).
    await h.db.prisma.outboundMessage.update({ where: { id: row.id }, data: { status: "unknown", errorCode: "in-doubt", platformMessageId: null } });
    expect((await h.naast.broadcasts.progress(b.id))!.counts.unknown).toBe(1);
    const ts = String(Math.floor(Date.now() / 1000));
    const res = await postWhatsApp(h.url, waNotification({ statuses: [{ id: "wamid.lost-answer", status: "delivered", timestamp: ts, recipient_id: "x", biz_opaque_callback_data: row.id }] }));
    expect(res.status).toBe(200);
    await until(async () => (await h.naast.broadcasts.progress(b.id))!.inDoubtResolved.confirmed === 1);
    const p = (await h.naast.broadcasts.progress(b.id))!;
    expect(p.counts).toMatchObject({ unknown: 0, delivered: 1, read: 1 });
    expect(p.failures).toMatchObject([{ status: "failed", code: "whatsapp-131026", count: 1 }]);
    const scrape = (await h.naast.metrics.scrape()).body;
    expect(scrape).toMatch(/naast_sends_total\{[^}]*result="in_doubt_confirmed"[^}]*\} 1/);
  });

  it("a tap on the message's “stop” button ends that resident's subscriptions", async () => {
    const before = await h.db.prisma.subscription.count();
    await postTelegram(h.url, tgTap(77001, 5001, "g|unsubscribe"));
    await until(async () => (await h.db.prisma.subscription.count()) === before - 1);
    // The reply says so (and is counted before the next test measures what was sent).
    await h.telegram.waitFor((r) => r.filter((c) => c.path.endsWith("/sendMessage") && String(c.body.chat_id) === "5001").length === 2);
  });

  it("a planned broadcast can be cancelled before it starts, and then sends nothing", async () => {
    const sentBefore = h.telegram.calls("sendMessage").length + h.whatsapp.messages().length;
    const id = await h.naast.broadcasts.create(activity, null, new Date(Date.now() + 3_600_000));
    expect((await h.naast.broadcasts.progress(id))!.status).toBe("scheduled");
    await h.naast.broadcasts.cancel(id);
    await h.naast.broadcasts.fanOut(id); // a late job does nothing
    expect((await h.naast.broadcasts.progress(id))!).toMatchObject({ status: "cancelled", recipients: 0 });
    expect(h.telegram.calls("sendMessage").length + h.whatsapp.messages().length).toBe(sentBefore);
    await expect(h.naast.broadcasts.cancel(id)).rejects.toMatchObject({ reason: "not_cancellable" });
  });
});

describe("the broadcast pages", () => {
  let admin: PanelClient;
  let kf: PanelClient;
  let kfOther: PanelClient;
  let pro: PanelClient;
  const signUp = async (role: "admin" | "professional" | "keyfigure", email: string, organisationId: string | null) => {
    const token = await h.naast.staffAuth.invite({ email, displayName: email.split("@")[0]!, role, organisationId, createdById: null });
    const c = new PanelClient(h.url);
    await c.get(`/admin/invite/${token}`);
    expect((await c.post(`/admin/invite/${token}`, { password: "a long enough password" })).status).toBe(303);
    // Key figures too: sending to every subscriber takes a second factor.
    {
      const secret = /<code>([A-Z2-7 ]+)<\/code>/.exec((await c.get("/admin/2fa/setup")).text)![1]!.replace(/ /g, "");
      expect((await c.post("/admin/2fa/setup", { code: totpCode(secret, totpStep(new Date())) })).status).toBe(303);
    }
    return c;
  };

  beforeAll(async () => {
    admin = await signUp("admin", "admin@example.org", null);
    kf = await signUp("keyfigure", "imam@example.org", mosque);
    const church = (await h.db.prisma.organisation.findFirstOrThrow({ where: { name: "Kerk" } })).id;
    kfOther = await signUp("keyfigure", "koster@example.org", church);
    pro = await signUp("professional", "pro@example.org", null);
  });

  it("refuses the wrong role, another organisation's key figure, a missing CSRF token and the anonymous", async () => {
    const b = await h.db.prisma.broadcast.findFirstOrThrow({ where: { activityId: activity, status: "done" } });
    for (const path of [`/admin/activities/${activity}/broadcast`, `/admin/broadcasts/${b.id}`, `/admin/broadcasts/${b.id}/progress`]) {
      expect((await pro.get(path)).status).toBe(403);
      expect((await kfOther.get(path)).status).toBe(404);
      expect((await new PanelClient(h.url).get(path)).status).toBe(303);
      expect((await kf.get(path)).status).toBe(200);
    }
    expect((await pro.post(`/admin/activities/${activity}/broadcast`, { when: "now" })).status).toBe(403);
    expect((await kfOther.post(`/admin/activities/${activity}/broadcast`, { when: "now" })).status).toBe(404);
    expect((await kf.post(`/admin/activities/${activity}/broadcast`, { when: "now" }, "forged")).status).toBe(403);
    expect((await kf.post(`/admin/broadcasts/${b.id}/cancel`, {}, null)).status).toBe(403);
  });

  it("shows counts only, plans a broadcast for later, and cancels it from its page", async () => {
    const plan = await kf.get(`/admin/activities/${activity}/broadcast`);
    expect(plan.text).toMatch(/Bewoners die om dit soort nieuws vroegen: 5\b/); // one stopped with the button above
    expect(plan.text).not.toMatch(/3165000000\d|500[1-4]/); // no numbers or chat ids, ever
    const later = new Date(Date.now() + 2 * 3_600_000);
    const { toWallClock } = await import("../../src/activities/local-time.js");
    const wall = toWallClock(later);
    const created = await kf.post(`/admin/activities/${activity}/broadcast`, { when: "later", date: wall.date, time: wall.time });
    expect(created.status).toBe(303);
    const page = await kf.get(created.location!);
    expect(page.text).toContain("Gepland");
    expect(page.text).toContain("<progress");
    expect((await kf.post(`${created.location!}/cancel`, {})).status).toBe(303);
    expect((await kf.get(created.location!)).text).toContain("Geannuleerd");
    expect((await admin.post(`/admin/activities/${activity}/broadcast`, { when: "later", date: "2020-01-01", time: "10:00" })).status).toBe(409);
    expect((await admin.post(`/admin/activities/${activity}/broadcast`, { when: "sometime" })).status).toBe(400);
    // The first broadcast's progress shows the send in doubt a status proved (see above) as resolved.
    const first = await h.db.prisma.broadcast.findFirstOrThrow({ where: { activityId: activity, status: "done" } });
    expect((await admin.get(`/admin/broadcasts/${first.id}/progress`)).text).toContain("Eerst onzeker, daarna opgelost: 1 bleken aangekomen");
  });
});
