import type { Request, RequestHandler, Response } from "express";
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from "prom-client";
import type { Channel } from "../channels/inbound-message.js";
import type { ChannelSender, SendResult } from "../channels/send-result.js";
import type { Job } from "../queues/job-queue.js";
import { PauseQueue, RetryLater } from "../queues/job-queue.js";
import type { Backlog } from "../storage/backlog-store.js";

/** What happened to a webhook delivery, from the status Naast answered. */
export type WebhookOutcome = "accepted" | "unauthorized" | "invalid" | "unavailable" | "error";

/** Maps an HTTP status to a webhook outcome; a small fixed set, so it can be a label. */
export function webhookOutcome(status: number): WebhookOutcome {
  if (status < 400) return "accepted";
  if (status === 401 || status === 403) return "unauthorized";
  if (status === 503) return "unavailable";
  if (status < 500) return "invalid";
  return "error";
}

/**
 * A send result as two labels. Reasons are platform error codes (`whatsapp-131026`, `telegram-403`),
 * the rate limit's scope, or the kind of transient failure: a bounded set, never free text (a
 * platform's description may quote what was sent).
 */
export function sendLabels(result: SendResult): { result: string; reason: string } {
  if (result.ok) return { result: "sent", reason: "ok" };
  if (result.kind === "rate_limited") return { result: "rate_limited", reason: result.scope };
  if (result.kind === "rejected") return { result: result.blocked ? "blocked" : "rejected", reason: /^[a-z]+-[0-9a-z_]{1,16}$/.test(result.code) ? result.code : "other" };
  if (result.kind === "in_doubt") return { result: "in_doubt", reason: "network" };
  return { result: "transient", reason: / network: /.test(result.reason) ? "network" : "platform" };
}

/** Seconds; from a quick webhook answer to a send that waited out a minute-long rate limit. */
const LATENCY_BUCKETS = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300];

/**
 * Naast's Prometheus metrics, in a registry of its own (so several instances in one test process do
 * not collide). Labels are channels, queues, outcomes and platform error codes only: never a
 * resident, pseudonym, address, phone number or message. The backlog gauges read the database when
 * scraped (at most once a second, shared by all of them); they are the same in every process of a
 * deployment, so aggregate them with max(), not sum().
 */
export class NaastMetrics {
  readonly registry = new Registry();
  readonly #webhooks: Counter<"channel" | "outcome">;
  readonly #inbound: Counter<"channel" | "result">;
  readonly #sends: Counter<"channel" | "result" | "reason">;
  readonly #rateLimited: Counter<"channel" | "scope">;
  readonly #jobDuration: Histogram<"queue" | "outcome">;
  readonly #jobLatency: Histogram<"queue">;
  readonly #maintenanceReplies: Counter<"channel">;
  #snapshot: { at: number; backlog: Promise<Backlog | undefined> } | undefined;

  /**
   * @param backlog reads the backlog; a failure (database away) leaves the backlog gauges out of the
   *   scrape and sets `naast_backlog_up` to 0, so /metrics keeps answering.
   * @param queueDepth jobs waiting, delayed or running, per queue.
   */
  constructor(
    private readonly backlog: () => Promise<Backlog>,
    private readonly queueDepth: () => Promise<Map<string, number>>,
  ) {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry, eventLoopMonitoringPrecision: 10 });
    this.#webhooks = new Counter({ name: "naast_webhook_requests_total", help: "Deliveries to the webhooks and the web chat's message endpoint, by channel and outcome (accepted, unauthorized, invalid, unavailable, error).", labelNames: ["channel", "outcome"], registers });
    this.#inbound = new Counter({ name: "naast_inbound_messages_total", help: "Messages from residents stored in the inbox (new) or recognised as a platform's redelivery (duplicate).", labelNames: ["channel", "result"], registers });
    this.#sends = new Counter({ name: "naast_sends_total", help: "Send attempts by channel, result (sent, rate_limited, rejected, blocked, transient, in_doubt; in_doubt_confirmed and in_doubt_resent when a send in doubt is resolved) and reason (platform error code, rate-limit scope, or network/platform).", labelNames: ["channel", "result", "reason"], registers });
    this.#rateLimited = new Counter({ name: "naast_platform_rate_limited_total", help: "Times a platform said 'too many' (HTTP 429 or a throttling error code), by channel and scope (chat or channel).", labelNames: ["channel", "scope"], registers });
    this.#jobDuration = new Histogram({ name: "naast_job_duration_seconds", help: "Time a job handler ran, by queue and outcome (done, retry_later, failed).", labelNames: ["queue", "outcome"], buckets: LATENCY_BUCKETS, registers });
    this.#jobLatency = new Histogram({ name: "naast_job_latency_seconds", help: "From when a job fell due until it was done, waits for rate limits and retries included, by queue.", labelNames: ["queue"], buckets: LATENCY_BUCKETS, registers });
    this.#maintenanceReplies = new Counter({ name: "naast_maintenance_replies_total", help: "Residents answered with the maintenance note because the database was away or maintenance mode was on, by channel.", labelNames: ["channel"], registers });

    const snapshot = () => this.#backlogSnapshot();
    new Gauge({
      name: "naast_backlog_up",
      help: "1 when the backlog could be read from the database at this scrape, else 0.",
      registers,
      async collect() {
        this.set((await snapshot()) ? 1 : 0);
      },
    });
    new Gauge({
      name: "naast_inbox_depth",
      help: "Messages from residents stored but not yet handled.",
      registers,
      async collect() {
        const b = await snapshot();
        if (b) this.set(b.inbox.depth);
      },
    });
    new Gauge({
      name: "naast_inbox_oldest_age_seconds",
      help: "Age of the oldest message not yet handled (0 when none).",
      registers,
      async collect() {
        const b = await snapshot();
        if (b) this.set(b.inbox.oldestAgeSeconds);
      },
    });
    const channels = ["telegram", "whatsapp", "web"];
    new Gauge({
      name: "naast_outbox_depth",
      help: "Send records not yet accepted by the platform (pending or being sent), by channel.",
      labelNames: ["channel"],
      registers,
      async collect() {
        const b = await snapshot();
        if (b) for (const c of channels) this.set({ channel: c }, b.outbox.get(c)?.depth ?? 0);
      },
    });
    new Gauge({
      name: "naast_outbox_oldest_age_seconds",
      help: "Age of the oldest send record not yet sent, by channel (0 when none).",
      labelNames: ["channel"],
      registers,
      async collect() {
        const b = await snapshot();
        if (b) for (const c of channels) this.set({ channel: c }, b.outbox.get(c)?.oldestAgeSeconds ?? 0);
      },
    });
    new Gauge({
      name: "naast_handoffs_waiting",
      help: "Handoffs to a professional not yet accepted.",
      registers,
      async collect() {
        const b = await snapshot();
        if (b) this.set(b.handoffs.waiting);
      },
    });
    new Gauge({
      name: "naast_handoffs_overdue",
      help: "Handoffs not yet accepted and past their accept-by time.",
      registers,
      async collect() {
        const b = await snapshot();
        if (b) this.set(b.handoffs.overdue);
      },
    });
    new Gauge({
      name: "naast_broadcasts_in_progress",
      help: "Broadcasts being fanned out or sent.",
      registers,
      async collect() {
        const b = await snapshot();
        if (b) this.set(b.broadcastsInProgress);
      },
    });
    const depth = () => this.queueDepth();
    new Gauge({
      name: "naast_queue_jobs",
      help: "Jobs waiting, delayed or running, by queue (this process's in-process queues, or the shared BullMQ queues).",
      labelNames: ["queue"],
      registers,
      async collect() {
        this.reset();
        for (const [queue, n] of await depth().catch(() => new Map<string, number>())) this.set({ queue }, n);
      },
    });
  }

  /** One backlog read per second at most, shared by every gauge of a scrape; undefined when it failed. */
  #backlogSnapshot(): Promise<Backlog | undefined> {
    const now = Date.now();
    if (!this.#snapshot || now - this.#snapshot.at > 1_000) {
      const read = this.backlog();
      const timeout = new Promise<undefined>((resolve) => {
        const timer: NodeJS.Timeout = setTimeout(() => resolve(undefined), 2_000);
        timer.unref();
      });
      this.#snapshot = { at: now, backlog: Promise.race([read.catch(() => undefined), timeout]) };
    }
    return this.#snapshot.backlog;
  }

  /** Counts messages posted to the web chat by the status they were answered with (the platforms' webhooks count themselves). */
  webhookCounter(): RequestHandler {
    return (req: Request, res: Response, next) => {
      if (req.method === "POST" && req.path === "/chat/api/messages") res.on("finish", () => this.webhookAnswered("web", res.statusCode));
      next();
    };
  }

  /** A delivery to a message endpoint was answered with `status`. */
  webhookAnswered(channel: Channel, status: number): void {
    this.#webhooks.inc({ channel, outcome: webhookOutcome(status) });
  }

  /** A message reached the inbox (`fresh`) or was a redelivery. */
  inboundStored(channel: Channel, fresh: boolean): void {
    this.#inbound.inc({ channel, result: fresh ? "new" : "duplicate" });
  }

  /**
   * A send left in doubt was resolved: proved by a status webhook (`in_doubt_confirmed`) or sent once more
   * after no status came (`in_doubt_resent`). Counted in `naast_sends_total` with reason `resolved`.
   */
  inDoubtResolved(channel: string, outcome: "in_doubt_confirmed" | "in_doubt_resent"): void {
    this.#sends.inc({ channel, result: outcome, reason: outcome === "in_doubt_confirmed" ? "status" : "no_status" });
  }

  /** A resident was answered with the maintenance note. */
  maintenanceReply(channel: Channel): void {
    this.#maintenanceReplies.inc({ channel });
  }

  /** A sender that counts every result (and every platform 429) before handing it back. */
  instrumentSender(sender: ChannelSender): ChannelSender {
    const count = (result: SendResult) => {
      this.#sends.inc({ channel: sender.channel, ...sendLabels(result) });
      if (!result.ok && result.kind === "rate_limited") this.#rateLimited.inc({ channel: sender.channel, scope: result.scope });
      return result;
    };
    return {
      channel: sender.channel,
      send: async (address, message, ref) => count(await sender.send(address, message, ref)),
      ...(sender.acknowledge ? { acknowledge: sender.acknowledge.bind(sender) } : {}),
    };
  }

  /** A job handler that records how long it ran and, once done, how long after falling due. */
  timeJobs<T>(queue: string, handler: (job: Job<T>) => Promise<void>): (job: Job<T>) => Promise<void> {
    return async (job) => {
      const started = performance.now();
      let outcome = "done";
      try {
        await handler(job);
      } catch (err) {
        outcome = err instanceof RetryLater || err instanceof PauseQueue ? "retry_later" : "failed";
        throw err;
      } finally {
        this.#jobDuration.observe({ queue, outcome }, (performance.now() - started) / 1000);
        if (outcome === "done") this.#jobLatency.observe({ queue }, Math.max(0, Date.now() - job.dueAt) / 1000);
      }
    };
  }

  /** The scrape: Prometheus text format. */
  async scrape(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}
