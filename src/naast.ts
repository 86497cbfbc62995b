import type { RequestListener } from "node:http";
import express, { type Express } from "express";
import helmet from "helmet";
import type { Config } from "./config.js";
import { ENTRY_FLOWS, loadContent, type Content } from "./content/content.js";
import { ConversationService } from "./conversation/conversation-service.js";
import { Cipher } from "./crypto/cipher.js";
import { SealedHandover } from "./crypto/sealed-handover.js";
import type { InboundMessage } from "./channels/inbound-message.js";
import type { OutboundPayload } from "./outbox/outbound-payload.js";
import { resolveKeys } from "./crypto/keys.js";
import { MessageIds, Pseudonymizer } from "./crypto/pseudonymizer.js";
import { FlowEngine } from "./engine/engine.js";
import { healthRoutes } from "./http/health-routes.js";
import { clientErrorAnswer, webhookListener, type WebhookAnswer } from "./http/webhook-lane.js";
import { metricsRoutes } from "./http/metrics-routes.js";
import { NaastMetrics } from "./metrics/naast-metrics.js";
import { LanguageMemory } from "./maintenance/language-memory.js";
import { MaintenanceDesk, ServiceUnavailableError } from "./maintenance/maintenance-desk.js";
import { BacklogStore } from "./storage/backlog-store.js";
import type { Logger } from "./logger.js";
import { broadcastJobSchema, inboundJobSchema, jobIds, sendJobSchema, statusJobSchema, type BroadcastJob, type InboundJob, type SendJob, type StatusJob } from "./queues/job-schemas.js";
import { BroadcastService } from "./broadcasts/broadcast-service.js";
import { DirectoryOverrides } from "./content/directory-overrides.js";
import { HandoffDesk } from "./handoffs/handoff-desk.js";
import { ActivityDesk } from "./activities/activity-desk.js";
import { Outbox } from "./outbox/outbox.js";
import { HandoffService } from "./handoffs/handoff-service.js";
import { InsightCounters } from "./insights/insight-counters.js";
import { InsightsDesk } from "./insights/insights-desk.js";
import { InsightReader } from "./insights/insight-reader.js";
import { ResidentMessenger } from "./handoffs/resident-messenger.js";
import { seedExampleProfessionals } from "./handoffs/example-professionals.js";
import type { JobQueue, QueueFactory } from "./queues/job-queue.js";
import { BullmqQueueFactory } from "./queues/bullmq-job-queue.js";
import { MemoryQueueFactory } from "./queues/memory-job-queue.js";
import { Ingest } from "./queues/ingest.js";
import { InboundWorker } from "./queues/inbound-worker.js";
import { MemoryKeyedRateLimiter, RedisKeyedRateLimiter, type KeyedRateLimiter } from "./queues/keyed-rate-limiter.js";
import { FailoverKeyedRateLimiter } from "./queues/failover-job-queue.js";
import { OutboundWorker } from "./queues/outbound-worker.js";
import { UnsettledSends } from "./queues/unsettled-sends.js";
import { StatusRecorder } from "./queues/status-recorder.js";
import { RecoverySweeper } from "./queues/recovery-sweeper.js";
import { isDatabaseUnreachable, openDatabase, pingDatabase, type Database } from "./storage/database.js";
import { InboxStore } from "./storage/inbox-store.js";
import { OutboxStore } from "./storage/outbox-store.js";
import { WebMailboxStore } from "./storage/web-mailbox-store.js";
import type { ChannelContext, ChannelModule } from "./channels/channel-module.js";
import type { ChannelSender } from "./channels/send-result.js";
import { telegramChannel } from "./channels/telegram/telegram-channel.js";
import { whatsappChannel } from "./channels/whatsapp/whatsapp-channel.js";
import { webChannel } from "./channels/web/web-channel.js";
import { WebTokens } from "./channels/web/web-tokens.js";
import { forgetInactiveResidents } from "./storage/resident-retention.js";
import { pruneRateLimits } from "./storage/rate-limit-store.js";
import { adminRoutes } from "./admin/admin-routes.js";
import { StaffAuth } from "./admin/staff-auth.js";
import { StaffNotifier } from "./admin/staff-notifier.js";
import { StaffNotices } from "./admin/staff-notices.js";
import { SmtpMailer, type Mailer } from "./admin/staff-mailer.js";
import { ActivityReports } from "./activities/activity-reports.js";
import { controlRoutes } from "./http/control-routes.js";
import { newControlToken } from "./http/control-file.js";
import { inviteStaff, seedDemo } from "./admin/setup-actions.js";

/** Options beyond the environment, for tests and benchmarks. */
export type NaastOptions = {
  /** An open database to use instead of opening one from the config. */
  database?: Database;
  /** The one clock every part reads (conversation, handoffs, broadcasts, panel, sign-in); tests move it. Default: the system clock. */
  clock?: () => Date;
  /** Start queue workers in this process (default: config.role allows). */
  workers?: boolean;
  /** Start Telegram long polling when no webhook secret is set (default true). */
  polling?: boolean;
  /** Seconds between recovery sweeps (default 30). */
  sweepSeconds?: number;
  /** Sends staff e-mail instead of SMTP_URL's server (tests). */
  mailer?: Mailer;
};

/** A running Naast: its HTTP handler, its parts, and one way to stop everything. */
export type Naast = {
  /** What the HTTP server runs: the platforms' webhooks straight from Node, everything else through `app`. */
  handler: RequestListener;
  app: Express;
  db: Database;
  content: Content;
  queues: QueueFactory;
  inbound: JobQueue<InboundJob>;
  outbound: Map<string, JobQueue<SendJob>>;
  senders: Map<string, ChannelSender>;
  pseudonymizer: Pseudonymizer;
  cipher: Cipher;
  sweeper: RecoverySweeper;
  staffAuth: StaffAuth;
  broadcasts: BroadcastService;
  broadcastQueue: JobQueue<BroadcastJob>;
  handoffs: HandoffService;
  /** Staff notices: panel, linked chat, e-mail. */
  notices: StaffNotices;
  /** Issues and checks web chat session tokens. */
  webTokens: WebTokens;
  /** Keyed hashes of platform message ids, as stored. */
  messageIds: MessageIds;
  metrics: NaastMetrics;
  maintenance: MaintenanceDesk;
  /** What start-up should tell the operator. */
  notes: string[];
  /** The token `npm run admin:invite` and `npm run demo` must show (main.ts writes it to DATA_DIR/control.json). */
  controlToken: string;
  /**
   * Resolves once no stored message waits for its wake-up, no inbound batch runs in this process, and the inbound
   * queue and every outbound queue have nothing waiting, delayed or running: everything written to Naast so far has been handled and every reply
   * handed to its platform. For tests and scripts that must wait for the replies to a message, instead of waiting
   * for a quiet moment.
   * Scheduled broadcasts and delivery-status retries are left out (a broadcast may wait for days).
   * Rejects after `timeoutMs` (default 15 000) with what is still pending.
   */
  idle(timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
};

/** Assembles Naast from its configuration: storage, content, engine, channels, queues and routes. */
export async function createNaast(config: Config, log: Logger, opts: NaastOptions = {}): Promise<Naast> {
  const notes: string[] = [...config.channelNotes];
  const { keys, generated, file } = await resolveKeys(config);
  if (generated) notes.push(`generated PSEUDONYM_KEY and ENCRYPTION_KEY into ${file} (owner-only); back it up with the data`);
  const content = await loadContent();
  // In maintenance mode the database may be away: this process touches it only when residents write.
  const db = opts.database ?? (await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, migrate: !config.maintenance }));
  const cipher = new Cipher(keys.encryptionKey);
  const pseudonymizer = new Pseudonymizer(keys.pseudonymKey);
  const engine = new FlowEngine(content.engine);

  const queues: QueueFactory = config.redisUrl ? new BullmqQueueFactory(config.redisUrl, config.redisPrefix) : new MemoryQueueFactory();
  if (queues instanceof BullmqQueueFactory) {
    // Once per queue per 10 s: an outage must show in the log without flooding it.
    const told = new Map<string, number>();
    queues.onFailover = (queue, jobs) => {
      const now = Date.now();
      if ((told.get(queue) ?? 0) > now - 10_000) return;
      told.set(queue, now);
      log.warn({ queue, jobs }, "Redis does not answer: this work runs in this process until it is back");
    };
  }
  const limiter: KeyedRateLimiter =
    queues instanceof BullmqQueueFactory
      ? new FailoverKeyedRateLimiter(new RedisKeyedRateLimiter(queues.connection, config.redisPrefix), new MemoryKeyedRateLimiter(), () => queues.redisUp())
      : new MemoryKeyedRateLimiter();

  const messageIds = new MessageIds(keys.pseudonymKey);
  const inboxStore = new InboxStore(db);
  const outbox = new OutboxStore(db, messageIds);
  const mailbox = new WebMailboxStore(db.prisma);

  const inbound = queues.create("inbound", (d) => inboundJobSchema.parse(d));
  const statusQueue = queues.create("status", (d) => statusJobSchema.parse(d));
  const webTokens = new WebTokens(keys.pseudonymKey);
  const redis = queues instanceof BullmqQueueFactory ? { connection: queues.connection, prefix: config.redisPrefix } : undefined;
  // The web chat is always on; the platforms when configured. Each has one sender and one send queue.
  const channels: ChannelModule[] = [
    webChannel({ mailbox, cipher, pseudonymizer, tokens: webTokens, limits: config.webChat, redis }),
    telegramChannel(config.telegram, { publicUrl: config.publicUrl, polling: opts.polling !== false }),
    whatsappChannel(config.whatsapp),
  ].filter((c) => c !== undefined);
  const senders = new Map<string, ChannelSender>(channels.map((c) => [c.id, c.sender]));
  const outbound = new Map<string, JobQueue<SendJob>>(channels.map((c) => [c.id, queues.create(`outbound-${c.id}`, (d) => sendJobSchema.parse(d))]));

  const clock = opts.clock ?? (() => new Date());
  const backlog = new BacklogStore(db.prisma);
  const countedQueues: { name: string; count(): Promise<number> }[] = [inbound, statusQueue, ...outbound.values()];
  const metrics = new NaastMetrics(
    () => backlog.read(clock()),
    async () => new Map(await Promise.all(countedQueues.map(async (q) => [q.name, await q.count()] as const))),
  );
  const languages = new LanguageMemory(pseudonymizer);
  const maintenance = new MaintenanceDesk({
    translator: content.translator,
    senders: new Map([...senders].filter(([channel]) => channel !== "web")),
    pseudonymizer,
    languages,
    planned: config.maintenance,
    ping: () => pingDatabase(db),
    log,
    onReply: (channel) => metrics.maintenanceReply(channel),
  });
  // What this process seals it hands to itself: its batches and sends open most of it without decrypting.
  const inboundHandover = new SealedHandover<InboundMessage>();
  const outboundHandover = new SealedHandover<OutboundPayload>();
  const ingest = new Ingest({ inbox: inboxStore, queue: inbound, cipher, pseudonymizer, messageIds, observe: (channel, fresh) => metrics.inboundStored(channel, fresh), guard: maintenance, handover: inboundHandover });
  const statuses = new StatusRecorder(outbox, statusQueue, (channel, outcome) => metrics.inDoubtResolved(channel, outcome), log);
  const sendOutbox = new Outbox(cipher, outbound, outboundHandover);
  const messenger = new ResidentMessenger(cipher, sendOutbox, config.whatsapp ? { name: config.whatsapp.templates.notice, languages: config.whatsapp.templates.languages } : undefined, clock);
  const staffNotifier = new StaffNotifier(db.prisma, messenger, content.translator);
  const mailer = opts.mailer ?? (config.mail ? new SmtpMailer(config.mail.url, config.mail.from) : undefined);
  const notices = new StaffNotices({ prisma: db.prisma, notifier: staffNotifier, translator: content.translator, mailer, linkBase: config.linkBase, log, clock });
  const insights = new InsightCounters();
  const handoffs = new HandoffService({
    prisma: db.prisma,
    cipher,
    translator: content.translator,
    messenger,
    log,
    clock,
    settings: { ...config.handoff, panelUrl: config.linkBase },
    notices,
    insights,
  });
  // Handoffs first: a resident in a chat with a professional, or with a held message, is theirs before anything else.
  // The insights' desk last: its `after` runs first and counts the engine's own events.
  const desks = [new HandoffDesk(engine, content.translator, cipher, handoffs), new ActivityDesk(engine, content.translator), new InsightsDesk(insights, content)];
  const conversations = new ConversationService({ prisma: db.prisma, engine, content, cipher, inboundHandover, outbox: sendOutbox, log, desks, clock });
  const seeded = config.maintenance ? 0 : await seedExampleProfessionals(db.prisma);
  if (seeded > 0) notes.push(`professionals: seeded ${seeded} EXAMPLE people (no panel account yet, so not matched until an admin links one)`);
  const directory = new DirectoryOverrides(db.prisma, content, log);
  if (!config.maintenance) await directory.refresh();
  const broadcastQueue = queues.create("broadcast", (d) => broadcastJobSchema.parse(d));
  countedQueues.push(broadcastQueue);
  // The reports need the service and the service reports: tied after both exist.
  let reports: ActivityReports | undefined;
  const broadcasts = new BroadcastService({
    prisma: db.prisma,
    cipher,
    translator: content.translator,
    queues: { broadcast: broadcastQueue, outbox: sendOutbox },
    whatsappTemplates: config.whatsapp?.templates,
    log,
    clock,
    onFinished: async (id) => reports?.sent(id),
    insights,
  });
  reports = new ActivityReports(db.prisma, notices, broadcasts);
  const activityReports = reports;
  const unsettled = new UnsettledSends();
  const sweeper = new RecoverySweeper({
    inbox: inboxStore,
    outbox,
    mailbox,
    inbound,
    outbound,
    log,
    claimLeaseMs: config.claimLeaseMs,
    unsettled,
    // Only WhatsApp echoes the send's id in its status webhooks; Telegram and the web chat keep a send in doubt (README).
    inDoubtResend: { channels: ["whatsapp"], afterMs: config.inDoubtResendMs, clock, observe: (channel, outcome) => metrics.inDoubtResolved(channel, outcome) },
    broadcasts: { service: broadcasts, queue: broadcastQueue },
    timers: async () => (await handoffs.runDue()) + (await notices.deliverEmails()),
    housekeeping: async () => {
      const forgotten = await forgetInactiveResidents(db.prisma, config.residentRetentionDays);
      if (forgotten > 0) log.info({ residents: forgotten, days: config.residentRetentionDays }, "inactive residents forgotten");
      await pruneRateLimits(db.sql);
    },
  });

  const app = express();
  app.disable("x-powered-by");
  // Off by default: only a proxy named in TRUST_PROXY may tell us the client's address.
  app.set("trust proxy", config.trustProxy);
  app.use((_req, res, next) => {
    res.set("x-content-type-options", "nosniff");
    next();
  });
  app.use(metrics.webhookCounter());
  const channelContext: ChannelContext = { ingest, statuses, translator: content.translator, log };
  app.use(metricsRoutes(metrics, { token: config.metricsToken }));
  app.use(
    helmet({
      // Our own scripts and styles only, no framing anywhere (the chat's quick exit must not be clickjacked).
      contentSecurityPolicy: {
        useDefaults: false,
        directives: {
          defaultSrc: ["'self'"],
          scriptSrc: ["'self'"],
          styleSrc: ["'self'"],
          imgSrc: ["'self'", "data:"],
          connectSrc: ["'self'"],
          formAction: ["'self'"],
          frameAncestors: ["'none'"],
          baseUri: ["'none'"],
          objectSrc: ["'none'"],
        },
      },
      strictTransportSecurity: config.env === "production" ? { maxAge: 31_536_000, includeSubDomains: true } : false,
      frameguard: { action: "deny" },
      referrerPolicy: { policy: "no-referrer" },
    }),
  );
  app.use(
    healthRoutes(
      {
        database: () => pingDatabase(db),
        ...(queues instanceof BullmqQueueFactory
          ? {
              redis: async () => {
                await queues.connection.ping();
              },
            }
          : {}),
      },
      { token: config.readyzToken, trustsProxy: config.trustProxy !== false, onFailure: (name, reason) => log.warn({ check: name, reason }, "not ready") },
    ),
  );
  for (const channel of channels) if (channel.routes) app.use(channel.routes(channelContext));
  const staffAuth = new StaffAuth(db.prisma, cipher, clock, { sql: db.sql, secret: keys.pseudonymKey });
  app.use(adminRoutes({ auth: staffAuth, prisma: db.prisma, t: content.translator, log, production: config.env === "production", broadcasts, content, directory, handoffs, cipher, linkBase: config.linkBase, notifier: staffNotifier, notices, reports: activityReports, insights: { counters: insights, reader: new InsightReader(db.prisma) }, clock }));
  const controlToken = newControlToken();
  app.use(
    controlRoutes({
      token: controlToken,
      invite: (req) => inviteStaff(db.prisma, staffAuth, req),
      demo: () => seedDemo(db.prisma, config.env === "production"),
      linkBase: config.linkBase,
      log,
    }),
  );
  app.get("/", (_req, res) => res.redirect(302, "/chat"));
  app.use((_req, res) => {
    res.status(404).json({ error: "not found" });
  });
  // The database away (a status webhook, a panel page while PostgreSQL restarts) is not a bug: 503 with
  // Retry-After, so the platform delivers again; a warning, not an error, in the log.
  const failureAnswer = async (err: unknown): Promise<WebhookAnswer> => {
    if (err instanceof ServiceUnavailableError) {
      const { language, rtl, text } = err.notice;
      return { status: 503, body: { error: "unavailable", detail: err.message, notice: { language, rtl, text } }, headers: { "retry-after": "60" } };
    }
    return (isDatabaseUnreachable(err) ? Promise.reject(err) : pingDatabase(db)).then(
      () => {
        log.error({ err }, "request failed");
        return { status: 500, body: { error: "internal error" } };
      },
      () => {
        log.warn({ err }, "request refused: the database is not reachable");
        return { status: 503, body: { error: "unavailable", detail: "the database is not reachable" }, headers: { "retry-after": "60" } };
      },
    );
  };
  // Malformed JSON and other request errors get a clear answer, never a stack trace.
  app.use((err: unknown, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
    void Promise.resolve(clientErrorAnswer(err) ?? failureAnswer(err)).then((a) => res.status(a.status).set(a.headers ?? {}).json(a.body));
  });
  const lanes = channels.flatMap((c) => (c.webhook ? [c.webhook(channelContext)] : []));
  const handler = webhookListener(lanes, app, { answered: (channel, status) => metrics.webhookAnswered(channel, status), failed: failureAnswer });

  // Other processes pick up directory corrections made in the panel within one sweep.
  const directoryTimer = setInterval(() => void directory.refresh().catch((err: unknown) => log.warn({ err }, "directory refresh failed")), (opts.sweepSeconds ?? config.sweepSeconds) * 1000);
  directoryTimer.unref();

  const startWorkers = !config.maintenance && (opts.workers ?? config.role !== "web");
  let inboundWorker: InboundWorker | undefined;
  if (startWorkers) {
    const counted = new Map([...senders].map(([channel, sender]) => [channel, languages.wrap(metrics.instrumentSender(sender))]));
    const worker = new InboundWorker({ conversations, outbox: sendOutbox, senders: counted, log });
    inboundWorker = worker;
    inbound.process(metrics.timeJobs(inbound.name, (job) => worker.handle(job)), { concurrency: config.workerConcurrency });
    statusQueue.process(metrics.timeJobs(statusQueue.name, (job) => statuses.handle(job)), { concurrency: 4 });
    broadcastQueue.process(metrics.timeJobs(broadcastQueue.name, (job) => broadcasts.fanOut(job.data.broadcastId)), { concurrency: 2 });
    for (const channel of channels) {
      const queue = outbound.get(channel.id)!;
      const { perSecond, perChatPerSecond } = channel.rate;
      const worker = new OutboundWorker({
        outbox,
        sender: counted.get(channel.id)!,
        cipher,
        handover: outboundHandover,
        log,
        perChat: perChatPerSecond !== undefined ? { limiter, ratePerSecond: perChatPerSecond } : undefined,
        claimLeaseMs: config.claimLeaseMs,
        unsettled,
        perChannel: perSecond ? { limiter, ratePerSecond: perSecond } : undefined,
        queue,
      });
      queue.process(metrics.timeJobs(queue.name, (job) => worker.handle(job)), {
        concurrency: config.workerConcurrency,
        limiter: perSecond ? { max: Math.max(1, Math.floor(perSecond)), durationMs: 1000 } : undefined,
      }, (job, err) => worker.giveUp(job, err));
    }
    sweeper.start(opts.sweepSeconds ?? config.sweepSeconds);
    for (const channel of channels) channel.start?.(channelContext);
  }

  if (config.maintenance) notes.push("MAINTENANCE_MODE is on: no database work and no workers; residents who write are told Naast is offline (112 in an emergency) and their platform delivers the message again later");
  notes.push(`database: ${db.kind} (${db.where}); queue: ${queues.kind === "bullmq" ? "BullMQ on Redis" : "in-process (one process only)"}`);
  notes.push(`telegram: ${config.telegram ? (config.telegram.webhookSecret ? "on, webhook at POST /webhooks/telegram" : "on, long polling") : "off (set TELEGRAM_BOT_TOKEN)"}`);
  notes.push(`whatsapp: ${config.whatsapp ? "on, webhook at /webhooks/whatsapp" : "off (set WHATSAPP_TOKEN, WHATSAPP_PHONE_NUMBER_ID, WHATSAPP_APP_SECRET, WHATSAPP_VERIFY_TOKEN)"}`);
  notes.push(`flows: ${content.engine.flows.size} loaded (${Object.values(ENTRY_FLOWS).join(", ")} among them)`);
  const matchable = await db.prisma.professional.count({ where: { active: true, staffUser: { is: { disabledAt: null } } } });
  if (matchable === 0) {
    notes.push("professionals: none is linked to a panel account yet, so residents who ask to talk to someone hear that nobody can be found. Link them in the panel (Professionals), or try Naast out with `npm run demo`");
  }
  const examples = [...content.directory.values()].filter((e) => e.example).map((e) => e.id);
  if (examples.length > 0) notes.push(`directory: ${examples.length} of ${content.directory.size} entries are EXAMPLE data to replace in directory/places.yaml (${examples.join(", ")})`);

  return {
    handler,
    app,
    db,
    content,
    queues,
    inbound,
    outbound,
    senders,
    pseudonymizer,
    cipher,
    sweeper,
    staffAuth,
    broadcasts,
    broadcastQueue,
    handoffs,
    notices,
    webTokens,
    messageIds,
    metrics,
    maintenance,
    notes,
    controlToken,
    async idle(timeoutMs = 15_000) {
      const queues = [inbound, ...outbound.values()];
      const deadline = Date.now() + timeoutMs;
      // Quiet means: no wake-up or batch under way both before and after the counts are read, twice in a row. The
      // counts are read one queue at a time; a batch that ends between them adds its replies to a queue already counted.
      const stirring = () => ingest.waking || (inboundWorker?.busy ?? false);
      let quiet = 0;
      for (;;) {
        const before = stirring();
        const counts = await Promise.all(queues.map((q) => q.count()));
        quiet = !before && !stirring() && counts.every((c) => c === 0) ? quiet + 1 : 0;
        if (quiet === 2) return;
        if (Date.now() > deadline) {
          const batching = inboundWorker?.busy ?? false;
          throw new Error(`naast.idle: still pending after ${timeoutMs} ms: ${queues.map((q, i) => `${q.name} ${counts[i]}`).join(", ")}${ingest.waking ? ", a wake-up" : ""}${batching ? ", an inbound batch" : ""}`);
        }
        await new Promise((r) => setTimeout(r, 10));
      }
    },
    async close() {
      // First the channels: the web chat's long polls answer at once, so the HTTP server can finish.
      for (const channel of channels) await channel.stop?.();
      sweeper.stop();
      clearInterval(directoryTimer);
      mailer?.close();
      await queues.close();
      await inboundWorker?.close();
      if (!opts.database) await db.close();
    },
  };
}

export { jobIds };
