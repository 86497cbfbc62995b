import { z } from "zod";

/** Graph API version Naast is written and tested against; bump deliberately. */
export const WHATSAPP_GRAPH_VERSION = "v23.0";

const optionalString = z
  .string()
  .trim()
  .transform((v) => (v === "" ? undefined : v))
  .optional();

const hexKey = z
  .string()
  .trim()
  .regex(/^[0-9a-fA-F]{64}$/, "must be 64 hex characters (32 bytes), e.g. `openssl rand -hex 32`")
  .optional();

const positiveNumber = (fallback: number) => z.coerce.number().positive().default(fallback);

/** A yes/no variable: true, false, 1, 0, yes, no, on, off (any case); empty means the default. */
const flag = (fallback: boolean) =>
  z
    .string()
    .trim()
    .toLowerCase()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined || v === "") return fallback;
      if (["true", "1", "yes", "on"].includes(v)) return true;
      if (["false", "0", "no", "off"].includes(v)) return false;
      ctx.addIssue({ code: "custom", message: "must be true or false" });
      return z.NEVER;
    });

const envSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  /** Public base URL (`https://naast.example.org`): every link Naast builds starts with it, never with a request's Host. */
  PUBLIC_URL: optionalString.pipe(z.url({ protocol: /^https?$/, error: "must be an http(s) URL such as https://naast.example.org" }).optional()),
  /**
   * Which proxies in front of Naast to believe about the client's address (`X-Forwarded-For`): off by
   * default, so nobody can pick their own address. `loopback`, a hop count (`1`), or addresses/CIDRs.
   */
  TRUST_PROXY: z
    .string()
    .trim()
    .default("")
    .pipe(
      z.union([
        z.literal("").transform(() => false as const),
        z.literal("false").transform(() => false as const),
        z.string().regex(/^\d{1,2}$/).transform(Number),
        z.string().regex(/^(loopback|linklocal|uniquelocal|[0-9a-fA-F:.]+(\/\d{1,3})?)(\s*,\s*(loopback|linklocal|uniquelocal|[0-9a-fA-F:.]+(\/\d{1,3})?))*$/, "use loopback, a hop count such as 1, or IP addresses / CIDR ranges, comma-separated"),
      ]),
    ),
  /** Days without a message after which a resident's conversation is erased by the sweep. */
  RESIDENT_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(180),
  /** Bearer token that unlocks /readyz details from outside the loopback (at least 32 characters). */
  READYZ_TOKEN: optionalString.pipe(z.string().min(32, "use at least 32 characters, e.g. `openssl rand -hex 24`").optional()),
  /** Web chat: messages one session may send per minute. */
  WEB_CHAT_MESSAGES_PER_MINUTE: z.coerce.number().int().positive().default(30),
  /** Web chat: new sessions one address may open per minute (many residents may share an address). */
  WEB_CHAT_SESSIONS_PER_MINUTE: z.coerce.number().int().positive().default(20),
  /** Web chat: API requests (messages and polls, all sessions) one address may make per minute. */
  WEB_CHAT_REQUESTS_PER_MINUTE: z.coerce.number().int().positive().default(600),
  /** Web chat: long polls this process holds open at once, over all sessions. */
  WEB_CHAT_MAX_POLLS: z.coerce.number().int().positive().default(1000),
  DATABASE_URL: optionalString.pipe(
    z.string().regex(/^postgres(ql)?:\/\//, "must be a postgresql:// URL").optional(),
  ),
  DATA_DIR: z.string().default("./data"),
  REDIS_URL: optionalString.pipe(z.string().regex(/^rediss?:\/\//, "must be a redis:// URL").optional()),
  /** Prefix for every Redis key, so several deployments (or test runs) can share one Redis. */
  REDIS_PREFIX: z.string().default("naast"),
  TELEGRAM_BOT_TOKEN: optionalString,
  TELEGRAM_WEBHOOK_SECRET: optionalString.pipe(
    z
      .string()
      .regex(/^[A-Za-z0-9_-]{1,256}$/, "Telegram allows 1-256 characters A-Z a-z 0-9 _ -")
      .optional(),
  ),
  TELEGRAM_API_ROOT: z.url().default("https://api.telegram.org"),
  WHATSAPP_TOKEN: optionalString,
  WHATSAPP_PHONE_NUMBER_ID: optionalString,
  WHATSAPP_APP_SECRET: optionalString,
  WHATSAPP_VERIFY_TOKEN: optionalString,
  WHATSAPP_API_BASE_URL: z.url().default(`https://graph.facebook.com/${WHATSAPP_GRAPH_VERSION}`),
  PSEUDONYM_KEY: hexKey,
  ENCRYPTION_KEY: hexKey,
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  /** Telegram: messages per second over all chats (Bot API FAQ: about 30). */
  TELEGRAM_RATE_PER_SECOND: positiveNumber(30),
  /** Telegram: messages per second in one chat (Bot API FAQ: about 1). */
  TELEGRAM_RATE_PER_CHAT_PER_SECOND: positiveNumber(1),
  /** WhatsApp Cloud API: messages per second per business phone number (default throughput 80). */
  WHATSAPP_RATE_PER_SECOND: positiveNumber(80),
  /** Approved template for an activity broadcast outside the 24-hour window; body {{1}} title, {{2}} when, {{3}} place. */
  WHATSAPP_ACTIVITY_TEMPLATE: z.string().trim().regex(/^[a-z0-9_]{1,512}$/, "template names are lower-case letters, digits and _").default("naast_activity"),
  /** Languages the templates are approved in (WhatsApp codes); others get the first one. */
  WHATSAPP_TEMPLATE_LANGUAGES: z
    .string()
    .default("nl,en,tr,ar,pl,uk")
    .transform((v) => v.split(",").map((l) => l.trim()).filter((l) => l.length > 0))
    .pipe(z.array(z.string().regex(/^[a-z]{2,3}(_[A-Z]{2})?$/, "language codes look like nl or en_US")).min(1)),
  /** Approved template for "you have a new message" when WhatsApp's 24-hour window is closed (nothing sensitive in it). */
  WHATSAPP_NOTICE_TEMPLATE: z.string().trim().regex(/^[a-z0-9_]{1,512}$/, "template names are lower-case letters, digits and _").default("naast_new_message"),
  /** Days after a professional accepts a handoff before the resident's one check-in. */
  HANDOFF_CHECK_IN_DAYS: positiveNumber(5),
  /** Days a closed handoff's messages and number are kept, then deleted. */
  HANDOFF_RETENTION_DAYS: positiveNumber(30),
  /** Hours after the reminder before an unaccepted handoff moves to the backup colleague. */
  HANDOFF_ESCALATE_AFTER_HOURS: positiveNumber(4),
  /** A claimed send older than this is in doubt (the process died mid-send) and is not resent (seconds). */
  CLAIM_LEASE_SECONDS: positiveNumber(60),
  /** Minutes a WhatsApp send in doubt waits for a status webhook that proves it before it is sent once more. */
  WHATSAPP_IN_DOUBT_RESEND_MINUTES: positiveNumber(5),
  /** Seconds between recovery sweeps (re-queue work a crash left behind, resume broadcasts). */
  RECOVERY_SWEEP_SECONDS: positiveNumber(30),
  /** Jobs one process works on at once, per queue. */
  WORKER_CONCURRENCY: z.coerce.number().int().positive().default(32),
  /** Run the HTTP server, the workers, or both in this process. */
  ROLE: z.enum(["all", "web", "worker"]).default("all"),
  /** `/metrics` answers loopback without a token; anyone else must send `Authorization: Bearer <METRICS_TOKEN>`. */
  METRICS_TOKEN: optionalString.pipe(z.string().min(32, "must be at least 32 characters, e.g. `openssl rand -hex 32`").optional()),
  /** `pretty` (for a person at a terminal), `json` (for a log collector), or `auto`: pretty on a terminal outside production. */
  LOG_FORMAT: z.enum(["auto", "json", "pretty"]).default("auto"),
  /**
   * V8 tuned for memory: `auto` (default) or `true` keeps WebAssembly (PGlite, Prisma's query compiler) on
   * the baseline compiler and keeps the heap small (~30 % more CPU per message in a burst); `false` neither,
   * for a deployment short of CPU rather than memory.
   */
  LOW_MEMORY: z
    .string()
    .trim()
    .toLowerCase()
    .optional()
    .transform((v, ctx): boolean | "auto" => {
      if (v === undefined || v === "" || v === "auto") return "auto";
      if (["true", "1", "yes", "on"].includes(v)) return true;
      if (["false", "0", "no", "off"].includes(v)) return false;
      ctx.addIssue({ code: "custom", message: "must be auto, true or false" });
      return z.NEVER;
    }),
  /** Planned maintenance: residents who write get a short "offline, call 112 in an emergency" reply; nothing is stored. */
  MAINTENANCE_MODE: flag(false),
  /**
   * SMTP server for staff e-mail notices (`smtp://user:password@host:587`, or `smtps://` for TLS from the
   * start); unset: no e-mail, notices go to the panel and linked chats only.
   */
  SMTP_URL: optionalString.pipe(z.string().regex(/^smtps?:\/\/[^\s]+$/, "must be an smtp:// or smtps:// URL, e.g. smtp://user:password@mail.example.org:587").optional()),
  /** Sender of staff e-mail notices (`Naast <naast@example.org>`); required with SMTP_URL. */
  MAIL_FROM: optionalString.pipe(z.string().max(200).regex(/^[^\r\n]*@[^\r\n]*$/, "must be an address such as Naast <naast@example.org>").optional()),
});

/** Every environment variable Naast reads (`.env.example` documents each one). */
export const ENV_VARIABLES: readonly string[] = Object.keys(envSchema.shape);

/** Raw, parsed environment. */
export type Env = z.infer<typeof envSchema>;

/** Thrown when the environment cannot run Naast; the message names every bad variable. */
export class ConfigError extends Error {
  override name = "ConfigError";
  constructor(readonly problems: readonly string[]) {
    super(`Configuration is not valid:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
  }
}

/** Telegram is on when a bot token is set; webhook mode when a webhook secret is set too. */
export type TelegramConfig = {
  token: string;
  apiRoot: string;
  webhookSecret: string | undefined;
  ratePerSecond: number;
  ratePerChatPerSecond: number;
};

/** WhatsApp is on only when all four credentials are set. */
export type WhatsAppConfig = {
  token: string;
  phoneNumberId: string;
  appSecret: string;
  verifyToken: string;
  apiBaseUrl: string;
  ratePerSecond: number;
  /** Approved message templates for when the 24-hour window is closed. */
  templates: { activity: string; notice: string; languages: string[] };
};

/** Everything Naast reads from its environment, with channels that are off left undefined. */
export type Config = {
  env: Env["NODE_ENV"];
  port: number;
  publicUrl: string | undefined;
  databaseUrl: string | undefined;
  dataDir: string;
  redisUrl: string | undefined;
  redisPrefix: string;
  logLevel: Env["LOG_LEVEL"];
  workerConcurrency: number;
  /** A claimed send older than this is settled as "in doubt" (ms). */
  claimLeaseMs: number;
  /** A WhatsApp send in doubt with no status webhook for this long is sent once more (ms). */
  inDoubtResendMs: number;
  /** Seconds between recovery sweeps. */
  sweepSeconds: number;
  handoff: { checkInDays: number; retentionDays: number; escalateAfterHours: number };
  role: Env["ROLE"];
  /** 32-byte keys, hex; undefined means "generate or load from DATA_DIR" (never in production). */
  pseudonymKey: string | undefined;
  encryptionKey: string | undefined;
  telegram: TelegramConfig | undefined;
  whatsapp: WhatsAppConfig | undefined;
  /** Channels with partial credentials, so start-up can say what is missing. */
  channelNotes: string[];
  /** Base of every link Naast builds: PUBLIC_URL without a trailing slash, else `http://localhost:<port>`. */
  linkBase: string;
  /** Express's `trust proxy` value: false (default), a hop count, or addresses. */
  trustProxy: false | number | string;
  /** Days without a message before a resident's conversation is erased (default 180). */
  residentRetentionDays: number;
  /** Unlocks /readyz details from outside the loopback; undefined: loopback only. */
  readyzToken: string | undefined;
  /** Web chat limits: per session and per address per minute, and long polls held at once. */
  webChat: { messagesPerMinute: number; sessionsPerMinute: number; requestsPerMinute: number; maxPolls: number };
  /** Bearer token for `/metrics` from other hosts; undefined: loopback only. */
  metricsToken: string | undefined;
  logFormat: Env["LOG_FORMAT"];
  /** V8 tuned for memory over speed: true, false, or auto (see LOW_MEMORY). */
  lowMemory: boolean | "auto";
  /** Planned maintenance: answer residents with the maintenance note and store nothing. */
  maintenance: boolean;
  /** Staff e-mail notices over SMTP; undefined: off (the default). `url` carries credentials: never log it. */
  mail: { url: string; from: string } | undefined;
};

const WHATSAPP_VARS = ["WHATSAPP_TOKEN", "WHATSAPP_PHONE_NUMBER_ID", "WHATSAPP_APP_SECRET", "WHATSAPP_VERIFY_TOKEN"] as const;

/** Parses an environment (default `process.env`); throws ConfigError naming each bad or missing variable. */
export function loadConfig(source: NodeJS.ProcessEnv = process.env): Config {
  const parsed = envSchema.safeParse(source);
  const problems: string[] = [];
  if (source.NODE_ENV === "production") {
    const missing = (k: string) => !source[k]?.trim();
    if (missing("PSEUDONYM_KEY")) problems.push("PSEUDONYM_KEY: required in production (64 hex characters)");
    if (missing("ENCRYPTION_KEY")) problems.push("ENCRYPTION_KEY: required in production (64 hex characters)");
    if (missing("DATABASE_URL")) problems.push("DATABASE_URL: required in production (the embedded database is for trying Naast out)");
  }
  if (!parsed.success) {
    throw new ConfigError([
      ...parsed.error.issues.map((i) => `${i.path.join(".") || "(environment)"}: ${i.message}`),
      ...problems,
    ]);
  }
  const e = parsed.data;
  const notes: string[] = [];
  if (e.PSEUDONYM_KEY && e.ENCRYPTION_KEY && e.PSEUDONYM_KEY.toLowerCase() === e.ENCRYPTION_KEY.toLowerCase()) {
    problems.push("ENCRYPTION_KEY: must differ from PSEUDONYM_KEY");
  }

  let telegram: TelegramConfig | undefined;
  if (e.TELEGRAM_BOT_TOKEN) {
    telegram = {
      token: e.TELEGRAM_BOT_TOKEN,
      apiRoot: e.TELEGRAM_API_ROOT.replace(/\/+$/, ""),
      webhookSecret: e.TELEGRAM_WEBHOOK_SECRET,
      ratePerSecond: e.TELEGRAM_RATE_PER_SECOND,
      ratePerChatPerSecond: e.TELEGRAM_RATE_PER_CHAT_PER_SECOND,
    };
  } else if (e.TELEGRAM_WEBHOOK_SECRET) {
    notes.push("Telegram is off: TELEGRAM_WEBHOOK_SECRET is set but TELEGRAM_BOT_TOKEN is missing");
  }

  let whatsapp: WhatsAppConfig | undefined;
  const missingWa = WHATSAPP_VARS.filter((k) => !e[k]);
  if (missingWa.length === 0 && e.WHATSAPP_TOKEN && e.WHATSAPP_PHONE_NUMBER_ID && e.WHATSAPP_APP_SECRET && e.WHATSAPP_VERIFY_TOKEN) {
    whatsapp = {
      token: e.WHATSAPP_TOKEN,
      phoneNumberId: e.WHATSAPP_PHONE_NUMBER_ID,
      appSecret: e.WHATSAPP_APP_SECRET,
      verifyToken: e.WHATSAPP_VERIFY_TOKEN,
      apiBaseUrl: e.WHATSAPP_API_BASE_URL.replace(/\/+$/, ""),
      ratePerSecond: e.WHATSAPP_RATE_PER_SECOND,
      templates: { activity: e.WHATSAPP_ACTIVITY_TEMPLATE, notice: e.WHATSAPP_NOTICE_TEMPLATE, languages: e.WHATSAPP_TEMPLATE_LANGUAGES },
    };
  } else if (missingWa.length < WHATSAPP_VARS.length) {
    const msg = `WhatsApp is off: ${missingWa.join(", ")} missing`;
    if (e.NODE_ENV === "production") problems.push(msg);
    else notes.push(msg);
  }

  if (e.SMTP_URL && !e.MAIL_FROM) problems.push("MAIL_FROM: required with SMTP_URL (the sender of staff e-mail notices, e.g. Naast <naast@example.org>)");

  if (problems.length > 0) throw new ConfigError(problems);

  return {
    env: e.NODE_ENV,
    port: e.PORT,
    publicUrl: e.PUBLIC_URL?.replace(/\/+$/, ""),
    databaseUrl: e.DATABASE_URL,
    dataDir: e.DATA_DIR,
    redisUrl: e.REDIS_URL,
    redisPrefix: e.REDIS_PREFIX,
    logLevel: e.LOG_LEVEL,
    workerConcurrency: e.WORKER_CONCURRENCY,
    claimLeaseMs: e.CLAIM_LEASE_SECONDS * 1000,
    inDoubtResendMs: e.WHATSAPP_IN_DOUBT_RESEND_MINUTES * 60_000,
    sweepSeconds: e.RECOVERY_SWEEP_SECONDS,
    handoff: { checkInDays: e.HANDOFF_CHECK_IN_DAYS, retentionDays: e.HANDOFF_RETENTION_DAYS, escalateAfterHours: e.HANDOFF_ESCALATE_AFTER_HOURS },
    role: e.ROLE,
    pseudonymKey: e.PSEUDONYM_KEY,
    encryptionKey: e.ENCRYPTION_KEY,
    telegram,
    whatsapp,
    channelNotes: notes,
    linkBase: (e.PUBLIC_URL ?? `http://localhost:${e.PORT}`).replace(/\/+$/, ""),
    trustProxy: e.TRUST_PROXY,
    residentRetentionDays: e.RESIDENT_RETENTION_DAYS,
    readyzToken: e.READYZ_TOKEN,
    webChat: {
      messagesPerMinute: e.WEB_CHAT_MESSAGES_PER_MINUTE,
      sessionsPerMinute: e.WEB_CHAT_SESSIONS_PER_MINUTE,
      requestsPerMinute: e.WEB_CHAT_REQUESTS_PER_MINUTE,
      maxPolls: e.WEB_CHAT_MAX_POLLS,
    },
    metricsToken: e.METRICS_TOKEN,
    logFormat: e.LOG_FORMAT,
    lowMemory: e.LOW_MEMORY,
    maintenance: e.MAINTENANCE_MODE,
    mail: e.SMTP_URL && e.MAIL_FROM ? { url: e.SMTP_URL, from: e.MAIL_FROM } : undefined,
  };
}

/**
 * For command-line entry points (`npm start`, backup, restore): the configuration, or its errors on stderr
 * and exit code 78 (EX_CONFIG), so a wrong setting reads the same everywhere.
 */
export function loadConfigOrExit(): Config {
  try {
    return loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(78);
    }
    throw err;
  }
}
