import { randomBytes, randomUUID } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { Cipher } from "../../src/crypto/cipher.js";
import { Pseudonymizer } from "../../src/crypto/pseudonymizer.js";
import { openDatabase, type Database } from "../../src/storage/database.js";
import { FakeTelegram, FakeWhatsApp, type Recorded } from "../support/fake-platform.js";
import { seedSubscribers } from "../support/seed-audience.js";
import { spawnNaast } from "../support/spawn-naast.js";
import { signWhatsAppBody } from "../../src/channels/whatsapp/whatsapp-signature.js";
import { waNotification } from "../support/payloads.js";
import { openFreshDatabase } from "../support/test-database.js";

const KEYS = { PSEUDONYM_KEY: "c".repeat(64), ENCRYPTION_KEY: "d".repeat(64) };
const PER_CHANNEL = 1500;
const RATE = { telegram: 150, whatsapp: 200 };
const CONCURRENCY = 16;

/**
 * Waits for `cond`; `what` is read when it fails, so it can show the process's output as it is then. With `process`,
 * fails at once when that process has exited (a start-up error, not a slow broadcast).
 */
async function until(cond: () => boolean | Promise<boolean>, ms: number, what: string | (() => string), process?: { child: { exitCode: number | null; signalCode: string | null } }): Promise<void> {
  const deadline = Date.now() + ms;
  const describe = () => (typeof what === "string" ? what : what());
  while (!(await cond())) {
    if (process && (process.child.exitCode !== null || process.child.signalCode !== null)) throw new Error(`the process exited (${process.child.exitCode ?? process.child.signalCode}) before ${describe()}`);
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${describe()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The most requests in any window of `windowMs`, by arrival time at the fake platform. */
function busiestWindow(requests: readonly Recorded[], windowMs: number): number {
  const at = requests.map((r) => r.at).sort((a, b) => a - b);
  let best = 0;
  let start = 0;
  for (let end = 0; end < at.length; end++) {
    while (at[end]! - at[start]! >= windowMs) start++;
    best = Math.max(best, end - start + 1);
  }
  return best;
}

describe("a broadcast to thousands survives its worker being killed mid-way", () => {
  it(`sends ${2 * PER_CHANNEL} messages within each channel's rate, with no second copies and nobody lost after kill -9 and a restart`, { timeout: 540_000 }, async () => {
    const telegram = await new FakeTelegram().start();
    const whatsapp = await new FakeWhatsApp().start();
    const dir = await mkdtemp(path.join(tmpdir(), "naast-bc-"));
    const pgUrl = process.env.DATABASE_URL;
    // PostgreSQL: a fresh database the process shares with this test; embedded: a PGlite folder that
    // the test and the process take turns to open.
    let fresh: (Database & { drop(): Promise<void>; dbName?: string }) | undefined;
    let db: Database;
    let databaseUrl = "";
    if (pgUrl) {
      fresh = await openFreshDatabase({ url: pgUrl, prefix: "naast_bc" });
      const u = new URL(pgUrl);
      u.pathname = `/${fresh.dbName}`;
      databaseUrl = u.toString();
      db = fresh;
    } else {
      db = await openDatabase({ databaseUrl: undefined, dataDir: dir });
    }

    const org = randomUUID();
    const activity = randomUUID();
    const broadcast = randomUUID();
    try {
      await db.prisma.organisation.create({ data: { id: org, name: "Moskee Selimiye", kind: "house-of-worship", requiresApproval: false } });
      await db.prisma.activity.create({
        data: {
          id: activity, organisationId: org, neighbourhood: "korvel", status: "approved", startsAt: new Date(Date.now() + 86_400_000),
          place: "Moskee", topic: "food", audience: "everyone", texts: { create: [{ language: "nl", title: "Iftar voor de buurt", description: "Samen eten." }] },
        },
      });
      const people = [
        ...Array.from({ length: PER_CHANNEL }, (_, i) => ({ channel: "telegram" as const, address: String(700000 + i), subscription: { topic: "food" } })),
        ...Array.from({ length: PER_CHANNEL }, (_, i) => ({ channel: "whatsapp" as const, address: String(31640000000 + i), subscription: { organisationId: org } })),
      ];
      await seedSubscribers(db.prisma, new Cipher(KEYS.ENCRYPTION_KEY), new Pseudonymizer(KEYS.PSEUDONYM_KEY), people);
      // Planned for now: the process picks it up at start-up, as it would after any restart.
      await db.prisma.broadcast.create({ data: { id: broadcast, activityId: activity, scheduledFor: new Date() } });
      if (!pgUrl) await db.close();

      const env = {
        ...KEYS,
        NODE_ENV: "test",
        PORT: "0",
        DATA_DIR: dir,
        DATABASE_URL: databaseUrl,
        REDIS_URL: process.env.REDIS_URL ?? "",
        REDIS_PREFIX: `naast-bc-${randomBytes(4).toString("hex")}`,
        TELEGRAM_BOT_TOKEN: "123456:TEST-token",
        TELEGRAM_WEBHOOK_SECRET: "tg-secret",
        TELEGRAM_API_ROOT: telegram.url,
        TELEGRAM_RATE_PER_SECOND: String(RATE.telegram),
        WHATSAPP_TOKEN: "wa-token",
        WHATSAPP_PHONE_NUMBER_ID: "1098765",
        WHATSAPP_APP_SECRET: "wa-secret",
        // A WhatsApp send in doubt (the process killed while its request was out) waits this long for a
        // status webhook carrying its id before it is sent again.
        WHATSAPP_IN_DOUBT_RESEND_MINUTES: "1",
        WHATSAPP_VERIFY_TOKEN: "wa-verify",
        WHATSAPP_API_BASE_URL: whatsapp.url,
        WHATSAPP_RATE_PER_SECOND: String(RATE.whatsapp),
        WORKER_CONCURRENCY: String(CONCURRENCY),
        CLAIM_LEASE_SECONDS: "2",
        RECOVERY_SWEEP_SECONDS: "1",
        LOG_LEVEL: "info",
      };
      const sends = () => [...telegram.calls("sendMessage"), ...whatsapp.messages()];
      const total = 2 * PER_CHANNEL;

      // As Meta does: a status webhook for every message the Graph API accepted, carrying Naast's send id
      // (biz_opaque_callback_data), to whichever process is up. A send in doubt that arrived is proved by
      // it; one that never arrived gets no status and is sent again after the minute above.
      let echoed = 0;
      let echoing = false;
      let target: { output(): string } | undefined;
      const echo = setInterval(() => {
        const port = target && /listening on port (\d+)/.exec(target.output())?.[1];
        const batch = whatsapp.messages().slice(echoed, echoed + 100);
        if (echoing || !port || batch.length === 0) return;
        echoing = true;
        const statuses = batch.map((r, i) => ({ id: `wamid.ECHO${echoed + i}`, status: "sent", timestamp: String(Math.floor(Date.now() / 1000)), recipient_id: String(r.body.to), biz_opaque_callback_data: r.body.biz_opaque_callback_data }));
        const raw = JSON.stringify(waNotification({ statuses }));
        void fetch(`http://127.0.0.1:${port}/webhooks/whatsapp`, { method: "POST", headers: { "content-type": "application/json", "x-hub-signature-256": signWhatsAppBody(raw, "wa-secret") }, body: raw })
          .then((res) => {
            if (res.ok) echoed += batch.length;
          })
          .catch(() => undefined)
          .finally(() => (echoing = false));
      }, 300);

      const first = spawnNaast(env);
      target = first;
      await until(() => sends().length >= total * 0.4, 180_000, () => `40 % of the broadcast (${first.output().slice(-2000)})`, first);
      first.child.kill("SIGKILL");
      await first.exited;
      const atKill = sends().length;
      await new Promise((r) => setTimeout(r, 300));
      expect(sends().length - atKill).toBeLessThanOrEqual(2 * CONCURRENCY); // only requests already on the wire

      const second = spawnNaast(env);
      target = second;
      try {
        // Everyone not in doubt gets their message; in-doubt claims settle after the 2 s lease.
        await until(() => sends().length >= total - 2 * CONCURRENCY, 240_000, () => `the rest of the broadcast (${second.output().slice(-2000)})`, second);
        let last = -1;
        await until(() => {
          const n = sends().length;
          const quiet = n === last;
          last = n;
          return quiet;
        }, 30_000, "sending to stop");
        // Done once every WhatsApp send in doubt is proved by its status or, after the minute, sent again.
        if (pgUrl) {
          await until(async () => (await db.prisma.broadcast.findUnique({ where: { id: broadcast } }))?.status === "done", 150_000, "the broadcast to be done");
        } else {
          // The process holds the embedded database: its own log says when it settled the broadcast.
          await until(() => second.output().includes("broadcast finished"), 180_000, "the broadcast to be done");
        }
        await until(() => echoed === whatsapp.messages().length, 30_000, "the last statuses to be echoed");
      } finally {
        clearInterval(echo);
        second.child.kill("SIGTERM");
        await second.exited;
      }
      if (!pgUrl) db = await openDatabase({ databaseUrl: undefined, dataDir: dir });

      // Nobody received two copies.
      const tgTo = telegram.calls("sendMessage").map((r) => String(r.body.chat_id));
      const waTo = whatsapp.messages().map((r) => String(r.body.to));
      expect(new Set(tgTo).size).toBe(tgTo.length);
      expect(new Set(waTo).size).toBe(waTo.length);
      for (const r of sends()) expect(JSON.stringify(r.body)).toContain("Iftar voor de buurt");

      // Nobody was lost: every recipient was sent to, or is recorded as in doubt (claimed when the process died).
      const b = await db.prisma.broadcast.findUniqueOrThrow({ where: { id: broadcast } });
      expect(b.status).toBe("done");
      expect(b.recipients).toBe(total);
      const byStatus = await db.prisma.outboundMessage.groupBy({ by: ["status"], where: { broadcastId: broadcast }, _count: true });
      const count = Object.fromEntries(byStatus.map((g) => [g.status, g._count]));
      expect(count.pending ?? 0).toBe(0);
      expect(count.sending ?? 0).toBe(0);
      const unknown = count.unknown ?? 0;
      expect(unknown).toBeLessThanOrEqual(2 * CONCURRENCY);
      expect((count.sent ?? 0) + unknown).toBe(total);
      expect(sends().length).toBeGreaterThanOrEqual(total - unknown);
      expect(sends().length).toBeLessThanOrEqual(total);

      // Each channel's rate limit held (the restart starts a fresh limiter; start-up keeps the runs seconds apart).
      // Jobs start at most `rate` per second; arrival here may bunch by up to 0.1 s of network jitter,
      // so no 0.9 s window may hold more than `rate` requests.
      const tg = telegram.calls("sendMessage");
      const wa = whatsapp.messages();
      expect(busiestWindow(tg, 900)).toBeLessThanOrEqual(RATE.telegram);
      expect(busiestWindow(wa, 900)).toBeLessThanOrEqual(RATE.whatsapp);
      console.log(`broadcast restart: ${total} recipients, ${atKill} sent before kill -9, ${unknown} in doubt, busiest second telegram ${busiestWindow(tg, 1000)}/${RATE.telegram}, whatsapp ${busiestWindow(wa, 1000)}/${RATE.whatsapp}`);
    } finally {
      await (fresh ? fresh.drop() : db.close().catch(() => undefined));
      await telegram.stop();
      await whatsapp.stop();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
