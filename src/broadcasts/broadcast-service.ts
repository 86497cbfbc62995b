import { activityTexts, type ActivityItem } from "../activities/activity-feed.js";
import type { InsightCounters } from "../insights/insight-counters.js";
import { activityTemplateParams, activityText } from "../activities/activity-text.js";
import { subscriptionTopicOf } from "../activities/subscription-topics.js";
import type { RenderedMessage } from "../channels/rendered-message.js";
import { templateLanguage, windowClosed, windowOpenSince } from "../channels/whatsapp/whatsapp-window.js";
import { DEFAULT_LANGUAGE, RTL_LANGUAGES } from "../content/vocabulary.js";
import type { Cipher } from "../crypto/cipher.js";
import { encodePayload } from "../engine/payload.js";
import type { PrismaClient } from "../generated/prisma/client.js";
import type { Translator } from "../i18n/translator.js";
import type { Logger } from "../logger.js";
import type { Outbox, OutboundRef, SendRecord } from "../outbox/outbox.js";
import type { JobQueue } from "../queues/job-queue.js";
import { jobIds, type BroadcastJob } from "../queues/job-schemas.js";
import { lockActivity } from "../storage/advisory-locks.js";
import { audienceBatch, audienceCounts, broadcastStatusCounts, broadcastStatusForShare, finishBroadcast, type Audience, type AudienceRow } from "../storage/broadcast-store.js";
import { IN_DOUBT } from "../storage/outbox-store.js";

/** Recipients written and queued per round of fan-out. */
export const FANOUT_BATCH = 500;
/** Replies to residents go before broadcast messages on the same send queue (BullMQ: higher is later). */
export const BROADCAST_PRIORITY = 10;

/** Who would receive a broadcast: counts only, never a list of people. */
export type AudiencePreview = {
  total: number;
  byChannel: Record<string, number>;
  byLanguage: Record<string, number>;
  /** WhatsApp recipients whose 24-hour window is closed: they get the approved template. */
  template: number;
  /** Subscribers who asked never to be messaged first. */
  quiet: number;
};

/** Where a broadcast stands, counted from its send records. */
export type BroadcastProgress = {
  id: string;
  status: string;
  scheduledFor: Date;
  recipients: number;
  fannedOut: boolean;
  counts: Record<(typeof PROGRESS_STATUSES)[number], number>;
  /** Failures grouped by their code, with the platform's reason. */
  failures: { status: string; code: string; reason: string; count: number }[];
  /** Messages handled (anything but waiting or on the way) out of all. */
  done: number;
  /** Sends that were in doubt and are resolved (also counted under their status): proved by a status webhook, or sent once more. */
  inDoubtResolved: { confirmed: number; resent: number };
};

export const PROGRESS_STATUSES = ["pending", "sending", "sent", "delivered", "read", "failed", "blocked", "unknown", "cancelled"] as const;

/** Thrown for a broadcast request that cannot be carried out; `reason` is a panel text key. */
export class BroadcastError extends Error {
  override name = "BroadcastError";
  constructor(readonly reason: "not_approved" | "already_running" | "not_cancellable" | "not_found" | "in_past") {
    super(`broadcast: ${reason}`);
  }
}

/** What a BroadcastService needs. */
export type BroadcastServiceOptions = {
  prisma: PrismaClient;
  cipher: Cipher;
  translator: Translator;
  queues: { broadcast: JobQueue<BroadcastJob>; outbox: Outbox };
  /** The approved WhatsApp template for a closed 24-hour window; none means such recipients are recorded as not sent. */
  whatsappTemplates?: { activity: string; languages: readonly string[] } | undefined;
  log: Logger;
  /** Defaults to the system clock. */
  clock?: (() => Date) | undefined;
  /** Called once when a broadcast is done (every message sent or settled): the key figure hears the reach. */
  onFinished?: (broadcastId: string) => Promise<void>;
  /** The insights' counters: news messages written, per channel, once per broadcast. */
  insights?: InsightCounters | undefined;
};

/**
 * Sends an approved activity to the residents who asked for it. Fan-out writes one send record per
 * recipient with a deterministic id (`bc-<broadcast>-<resident>`) and queues one job per record, so
 * running it twice — after a crash, a restart, a duplicate job — adds nobody twice and loses nobody.
 * The send queue's own rate limit, order and claim-before-send rules then apply unchanged.
 */
export class BroadcastService {
  private readonly prisma: PrismaClient;
  private readonly cipher: Cipher;
  private readonly t: Translator;
  private readonly queues: { broadcast: JobQueue<BroadcastJob>; outbox: Outbox };
  private readonly whatsappTemplates: { activity: string; languages: readonly string[] } | undefined;
  private readonly log: Logger;
  private readonly clock: () => Date;
  private readonly onFinished: (broadcastId: string) => Promise<void>;
  private readonly insights: InsightCounters | undefined;

  constructor(opts: BroadcastServiceOptions) {
    this.prisma = opts.prisma;
    this.cipher = opts.cipher;
    this.t = opts.translator;
    this.queues = opts.queues;
    this.whatsappTemplates = opts.whatsappTemplates;
    this.log = opts.log;
    this.clock = opts.clock ?? (() => new Date());
    this.onFinished = opts.onFinished ?? (async () => undefined);
    this.insights = opts.insights;
  }

  /** Channels that can send now; subscribers on a channel that is switched off are not counted. */
  #channels(): string[] {
    return this.queues.outbox.channels;
  }

  /** Residents subscribed to this activity (its organisation, its subscription topic, its neighbourhood) on a channel that can send. */
  #audience(a: { organisationId: string; topic: string; neighbourhood: string }): Audience {
    return { match: { organisationId: a.organisationId, topic: subscriptionTopicOf(a.topic) ?? "-", neighbourhood: a.neighbourhood }, channels: this.#channels() };
  }

  async preview(activityId: string): Promise<AudiencePreview> {
    const a = await this.prisma.activity.findUnique({ where: { id: activityId } });
    if (!a) throw new BroadcastError("not_found");
    const windowStart = windowOpenSince(this.clock());
    const rows = await audienceCounts(this.prisma, this.#audience(a), windowStart);
    const out: AudiencePreview = { total: 0, byChannel: {}, byLanguage: {}, template: 0, quiet: 0 };
    for (const r of rows) {
      const n = Number(r.n);
      if (r.quiet) {
        out.quiet += n;
        continue;
      }
      out.total += n;
      out.byChannel[r.channel] = (out.byChannel[r.channel] ?? 0) + n;
      const l = r.language ?? DEFAULT_LANGUAGE;
      out.byLanguage[l] = (out.byLanguage[l] ?? 0) + n;
      if (r.closed) out.template += n;
    }
    return out;
  }

  /** Plans a broadcast now or later; one running or planned broadcast per activity at a time. */
  async create(activityId: string, createdById: string | null, scheduledFor: Date | null): Promise<string> {
    const now = this.clock();
    const when = scheduledFor ?? now;
    if (scheduledFor && scheduledFor.getTime() < now.getTime() - 60_000) throw new BroadcastError("in_past");
    const id = await this.prisma.$transaction(async (tx) => {
      await lockActivity(tx, activityId);
      const a = await tx.activity.findUnique({ where: { id: activityId } });
      if (!a) throw new BroadcastError("not_found");
      if (a.status !== "approved") throw new BroadcastError("not_approved");
      const running = await tx.broadcast.count({ where: { activityId, status: { in: ["scheduled", "sending"] } } });
      if (running > 0) throw new BroadcastError("already_running");
      const b = await tx.broadcast.create({ data: { activityId, createdById, scheduledFor: when } });
      return b.id;
    });
    await this.queues.broadcast.add([{ id: jobIds.broadcast(id), data: { broadcastId: id }, delayMs: Math.max(0, when.getTime() - now.getTime()) }]);
    this.log.info({ broadcast: id, scheduledFor: when.toISOString() }, "broadcast planned");
    return id;
  }

  /** Stops a planned or running broadcast: what has not been sent yet is not sent. */
  async cancel(id: string): Promise<void> {
    const left = await this.prisma.$transaction(async (tx) => {
      const n = await tx.broadcast.updateMany({
        where: { id, status: { in: ["scheduled", "sending"] } },
        data: { status: "cancelled", cancelledAt: this.clock() },
      });
      if (n.count !== 1) throw new BroadcastError("not_cancellable");
      const cancelled = await tx.outboundMessage.updateMany({
        where: { broadcastId: id, status: "pending" },
        data: { status: "cancelled", payloadEnc: null, errorCode: "cancelled", errorReason: "broadcast cancelled before sending" },
      });
      return cancelled.count;
    });
    this.log.info({ broadcast: id, notSent: left }, "broadcast cancelled");
  }

  /** Cancels every planned or running broadcast of an activity (the activity itself was cancelled). */
  async cancelForActivity(activityId: string): Promise<void> {
    const running = await this.prisma.broadcast.findMany({ where: { activityId, status: { in: ["scheduled", "sending"] } }, select: { id: true } });
    for (const b of running) {
      await this.cancel(b.id).catch((err: unknown) => {
        if (!(err instanceof BroadcastError)) throw err;
      });
    }
  }

  /**
   * The fan-out job: writes the send records that are missing and queues every record still waiting.
   * Safe to run any number of times; a cancelled or finished broadcast does nothing.
   */
  async fanOut(id: string): Promise<void> {
    const now = this.clock();
    const b = await this.prisma.broadcast.findUnique({ where: { id }, include: { activity: true } });
    if (!b || (b.status !== "scheduled" && b.status !== "sending")) return;
    if (b.scheduledFor.getTime() > now.getTime() + 1_000) return; // its delayed job (or a sweep) comes back then
    if (b.activity.status !== "approved") {
      await this.cancel(id).catch(() => undefined);
      return;
    }
    if (b.status === "scheduled") await this.prisma.broadcast.updateMany({ where: { id, status: "scheduled" }, data: { status: "sending", startedAt: now } });

    if (!b.fannedOutAt) {
      const texts = await activityTexts(this.prisma, b.activityId);
      let after = "00000000-0000-0000-0000-000000000000";
      let quiet = 0;
      for (;;) {
        const current = await this.prisma.broadcast.findUnique({ where: { id }, select: { status: true } });
        if (current?.status !== "sending") return; // cancelled meanwhile
        const batch = await audienceBatch(this.prisma, this.#audience(b.activity), after, FANOUT_BATCH);
        if (batch.length === 0) break;
        after = batch.at(-1)!.id;
        quiet += batch.filter((r) => r.quiet).length;
        await this.#write(id, batch.filter((r) => !r.quiet), texts, now);
      }
      const recipients = await this.prisma.outboundMessage.count({ where: { broadcastId: id } });
      const marked = await this.prisma.broadcast.updateMany({ where: { id, fannedOutAt: null }, data: { fannedOutAt: this.clock(), recipients, skippedQuiet: quiet } });
      if (marked.count === 1 && this.insights) {
        const perChannel = await this.prisma.outboundMessage.groupBy({ by: ["channel"], where: { broadcastId: id }, _count: { _all: true } });
        await this.insights.count(this.prisma, this.clock(), perChannel.map((c) => ({ metric: "broadcast_recipients", dims: { channel: c.channel }, n: c._count._all })));
      }
      this.log.info({ broadcast: id, recipients, quiet }, "broadcast fanned out");
    }
    await this.#queueWaiting(id);
    await this.settle(id);
  }

  async #write(id: string, rows: readonly AudienceRow[], texts: ReadonlyMap<string, ActivityItem>, now: Date): Promise<void> {
    const records = rows.map((r): SendRecord => {
      const language = r.language ?? DEFAULT_LANGUAGE;
      const item = texts.get(language) ?? texts.get(DEFAULT_LANGUAGE)!;
      const message = this.#message(item, language, r, now);
      const base = { id: `bc-${id}-${r.id}`, residentId: r.id, channel: r.channel, kind: "broadcast", broadcastId: id };
      if (!message) return { ...base, failed: { at: now, code: "no-template", reason: "WhatsApp's 24-hour window is closed and no approved template is configured" } };
      return { ...base, address: this.cipher.decrypt(r.address_enc), message };
    });
    // Under a share lock on the broadcast, so a cancel waits for this batch and then cancels it too.
    await this.prisma.$transaction(async (tx) => {
      if ((await broadcastStatusForShare(tx, id)) !== "sending") return;
      await this.queues.outbox.write(tx, records, { skipDuplicates: true });
    });
  }

  /** The message for one recipient; undefined when WhatsApp needs a template and none is configured. */
  #message(item: ActivityItem, language: string, r: AudienceRow, now: Date): RenderedMessage | undefined {
    const t = (key: string) => this.t.t(language, `activities:${key}`);
    const message: RenderedMessage = {
      language,
      rtl: RTL_LANGUAGES.has(language),
      text: `${activityText(item, language, this.t)}\n\n${t("broadcast_footer")}`,
      choices: [{ payload: encodePayload({ kind: "global", intent: "unsubscribe" }), label: t("unsubscribe_button") }],
      offset: 0,
    };
    if (!windowClosed(r.channel, r.last_inbound_at, now)) return message;
    if (!this.whatsappTemplates) return undefined;
    const template = { name: this.whatsappTemplates.activity, language: templateLanguage(this.whatsappTemplates.languages, language), params: activityTemplateParams(item, language) };
    return { ...message, template };
  }

  /** Queues a job for every send record of this broadcast still waiting (jobs with the same id merge). */
  async #queueWaiting(id: string): Promise<void> {
    let after = "";
    for (;;) {
      const rows: OutboundRef[] = await this.prisma.outboundMessage.findMany({
        where: { broadcastId: id, status: "pending", id: { gt: after } },
        orderBy: { id: "asc" },
        take: FANOUT_BATCH,
        select: { id: true, channel: true },
      });
      if (rows.length === 0) return;
      after = rows.at(-1)!.id;
      await this.queues.outbox.queue(rows, BROADCAST_PRIORITY);
    }
  }

  /**
   * Marks a fanned-out broadcast done once nothing is waiting or on its way; the one call that does so
   * reports it (`onFinished`), so the report goes out once whichever process gets there first.
   */
  async settle(id: string): Promise<void> {
    if (!(await finishBroadcast(this.prisma, id))) return;
    this.log.info({ broadcast: id }, "broadcast finished");
    await this.onFinished(id).catch((err: unknown) => this.log.warn({ broadcast: id, err }, "could not report a finished broadcast"));
  }

  /** Broadcasts a sweep should (re)start: due and not finished. At start-up every running one is resumed. */
  async resumable(all: boolean): Promise<{ id: string; status: string }[]> {
    const rows = await this.prisma.broadcast.findMany({
      where: {
        OR: [
          { status: "scheduled", scheduledFor: { lte: this.clock() } },
          { status: "sending", ...(all ? {} : { fannedOutAt: null }) },
        ],
      },
      select: { id: true, status: true },
    });
    return rows;
  }

  /** Running broadcasts whose last messages may have been settled since; marks them done. */
  async settleRunning(): Promise<void> {
    const rows = await this.prisma.broadcast.findMany({ where: { status: "sending", fannedOutAt: { not: null } }, select: { id: true } });
    for (const r of rows) await this.settle(r.id);
    // A report a crash interrupted is made again (reports are idempotent), for a day after finishing.
    const finished = await this.prisma.broadcast.findMany({ where: { status: "done", finishedAt: { gte: new Date(this.clock().getTime() - 86_400_000) } }, select: { id: true } });
    for (const r of finished) await this.onFinished(r.id).catch(() => undefined);
  }

  async progress(id: string): Promise<BroadcastProgress | undefined> {
    await this.settle(id);
    const b = await this.prisma.broadcast.findUnique({ where: { id } });
    if (!b) return undefined;
    const grouped = await broadcastStatusCounts(this.prisma, id);
    const counts: BroadcastProgress["counts"] = { pending: 0, sending: 0, sent: 0, delivered: 0, read: 0, failed: 0, blocked: 0, unknown: 0, cancelled: 0 };
    const failures: BroadcastProgress["failures"] = [];
    const inDoubtResolved = { confirmed: 0, resent: 0 };
    for (const g of grouped) {
      const n = Number(g.n);
      const key = PROGRESS_STATUSES.find((s) => s === g.status);
      if (key) counts[key] += n;
      // A send in doubt that was resolved is not a failure: counted apart (a resend still waiting is just pending).
      if (g.code === IN_DOUBT.confirmed || g.code === IN_DOUBT.resent) {
        if (g.status !== "pending" && g.status !== "sending") inDoubtResolved[g.code === IN_DOUBT.confirmed ? "confirmed" : "resent"] += n;
        if (g.status !== "failed") continue;
      }
      if (g.code) failures.push({ status: g.status, code: g.code, reason: g.reason ?? "", count: n });
    }
    const total = Object.values(counts).reduce((x, y) => x + y, 0);
    return {
      id: b.id,
      status: b.status,
      scheduledFor: b.scheduledFor,
      recipients: b.fannedOutAt ? b.recipients : total,
      fannedOut: b.fannedOutAt !== null,
      counts,
      failures: failures.sort((x, y) => y.count - x.count),
      done: total - counts.pending - counts.sending,
      inDoubtResolved,
    };
  }
}
