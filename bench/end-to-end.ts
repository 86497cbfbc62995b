/**
 * (b) End-to-end messages per second: webhook → inbox → inbound worker → engine → outbox → send
 * job → the fake Graph API receiving the reply; and, in the same run with the same load, the
 * reference pipeline (bench/reference-pipeline.ts: the least work that keeps the same promises), so
 * Naast's figures stand beside what this machine can do.
 *
 * Burst (the default): BENCH_RESIDENTS (1000; 2000 for a longer run) distinct residents each write
 * "Hallo"; each answers "1" as soon as the reply is in (so 2000 inbound messages). Measured from the
 * first POST to the moment the fake has received every expected reply, or to BENCH_TIMEOUT_S (60 s),
 * whichever comes first (a cut-off run says so and counts what was answered by then).
 *
 * Steady (`--steady 50,200,500 [--seconds 30]`, or BENCH_STEADY / BENCH_STEADY_S): messages arrive
 * at a fixed rate whatever the answers do; prints arrival → reply p50/p99 per rate and whether the
 * pipeline kept up (every message answered within BENCH_STEADY_GRACE_S, 5 s, of the last arrival).
 * Arrivals stop early once a message has waited BENCH_STEADY_FALL_BEHIND_S (10 s), and a rate that
 * was not kept up ends that pipeline's series (the higher rates are "not tried").
 *
 * The webhooks and the fake Graph API live in a child process ("Meta", bench/meta-sim.ts); the
 * pipeline runs alone in this process (Naast with its workers on).
 *
 *   node --import ./bench/ship-loader.mjs bench/end-to-end.ts
 *   node --import ./bench/ship-loader.mjs bench/end-to-end.ts --steady 50,200,500 --seconds 30
 *   DATABASE_URL=postgresql://... REDIS_URL=redis://... node --import ./bench/ship-loader.mjs bench/end-to-end.ts
 *
 * Knobs: BENCH_RESIDENTS (1000), BENCH_TIMEOUT_S (60), BENCH_CONCURRENCY (64 webhook connections), BENCH_WA_RATE
 * (WHATSAPP_RATE_PER_SECOND, 10000 here: the pipeline is measured, not the platform's ceiling; one WhatsApp number
 * sends at most 1,000 messages/s, inbound and outbound counted together, and Naast's default 80 caps replies at 80/s),
 * BENCH_WORKER_CONCURRENCY (Naast's default), BENCH_REFERENCE=0 (Naast alone) or =only (the reference alone),
 * BENCH_SPLIT=1 (on PostgreSQL + Redis, Naast also as a web and a worker process, as compose.yaml deploys it),
 * BENCH_SETUPS, BENCH_CPU_PROFILE=1.
 */
import type { ChildProcess } from "node:child_process";
import { performance as perf } from "node:perf_hooks";
import { createNaast } from "../src/naast.js";
import type { Database } from "../src/storage/database.js";
import type { Config } from "../src/config.js";
import type { RunRequest, RunResult, SteadyRequest, SteadyResult, WarmedReply, WarmupRequest } from "./meta-sim.js";
import type { WorkerStart, WorkerStats } from "./naast-worker.js";
import { startReference } from "./reference-pipeline.js";
import {
  benchConfig,
  benchLogger,
  benchSetups,
  clearRedisPrefix,
  cpuByProcess,
  cpuShare,
  diffRedisStats,
  envNumber,
  fmt,
  forkBench,
  installPgProfiler,
  listen,
  machineNote,
  ms,
  nextMessage,
  openBenchDatabase,
  PROFILE_CPU,
  recordResult,
  redisCommandStats,
  startCpuProfile,
  stopChild,
  table,
  WA,
  waitForQuiet,
  type LatencySummary,
  type Setup,
} from "./support.js";

const RESIDENTS = envNumber("BENCH_RESIDENTS", 1000);
const CONCURRENCY = envNumber("BENCH_CONCURRENCY", 64);
const WA_RATE = envNumber("BENCH_WA_RATE", 10_000);
const WORKER_CONCURRENCY = process.env.BENCH_WORKER_CONCURRENCY ? envNumber("BENCH_WORKER_CONCURRENCY", 32) : undefined;
const WARM_RESIDENTS = 40;
/** The burst is cut off after this long; throughput is then what was answered by the deadline. */
const TIMEOUT_MS = envNumber("BENCH_TIMEOUT_S", 60) * 1000;

/** `--name value` from the command line, else the environment variable. */
function option(name: string, env: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : process.env[env];
}
/** Arrival rates (messages/s) for the steady mode; empty for the burst. */
const STEADY_RATES = (option("steady", "BENCH_STEADY") ?? "")
  .split(",")
  .map(Number)
  .filter((n) => Number.isFinite(n) && n > 0);
const STEADY_SECONDS = Number(option("seconds", "BENCH_STEADY_S")) || 30;
const FALL_BEHIND_S = envNumber("BENCH_STEADY_FALL_BEHIND_S", 10);
const GRACE_S = envNumber("BENCH_STEADY_GRACE_S", 5);
/** BENCH_REFERENCE=0: Naast alone; =only: the reference alone (replies per message 1 and 1, Naast's today). */
const WITH_REFERENCE = process.env.BENCH_REFERENCE !== "0";
const WITH_NAAST = process.env.BENCH_REFERENCE !== "only";
/** BENCH_SPLIT=1: on PostgreSQL + Redis, Naast also as compose.yaml runs it, a web and a worker process (startNaastSplit). */
const WITH_SPLIT = process.env.BENCH_SPLIT === "1";

const pgProfiler = installPgProfiler();

/**
 * A pipeline under test, listening at `url`, on a fresh database of its own: Naast in one process, Naast as
 * compose.yaml runs it (a web process and a worker process: "naast web+worker"), or the reference.
 */
type Pipeline = {
  name: "naast" | "naast web+worker" | "reference";
  url: string;
  /** One line on how it runs (queue, concurrency, batch size). */
  describe: string;
  /** SQL statements sent so far, by all its processes; undefined where they are not counted (Naast on PGlite: not through `pg`). */
  statements(): Promise<number | undefined>;
  /** Its processes other than this one, by name, for the CPU figures. */
  pids?: Record<string, number | undefined>;
  /** Inbound messages handled since `since` (from the rows' own timestamps). */
  handledSince(since: Date): Promise<number>;
  /** Whether it uses Redis (Redis commands per message are read from the server's INFO commandstats). */
  usesRedis: boolean;
  /** Detail printed after a burst: phases, leftovers, warnings. */
  report(startedAt: Date): Promise<void>;
  close(): Promise<void>;
};

/** Per inbound message handled in the window (handled, not answered: a cut-off run handled more than it answered). */
type Counts = { handled: number; sqlPerMessage: number | undefined; redisPerMessage: number | undefined };
type Outcome = {
  setup: Setup;
  pipeline: Pipeline["name"];
  k1: number;
  k2: number;
  burst?: { result: RunResult } & Counts;
  steady: ({ result: SteadyResult } & Counts)[];
  /** Rates not tried because a lower one was not kept up. */
  skipped: number[];
};

/** Naast's inbound messages handled since `since`, from the rows' own timestamps. */
async function handledSince(db: Database, since: Date): Promise<number> {
  return Number((await db.sql.query("SELECT count(*)::int AS n FROM inbound_message WHERE processed_at >= $1", [since.toISOString()]))[0]?.n);
}

/** Where the time went, from the rows' own timestamps (database clock = this machine's clock), and what was left. */
async function reportRows(db: Database, startedAt: Date): Promise<void> {
  const phases = await phaseBreakdown(db.sql.query.bind(db.sql), startedAt);
  if (phases) console.log(`  phases per message (p50 / p99, from row timestamps):\n${phases}`);
  const leftovers = await db.sql.query(
    `SELECT (SELECT count(*)::int FROM inbound_message WHERE processed_at IS NULL) AS unprocessed,
            (SELECT count(*)::int FROM outbound_message WHERE status <> 'sent') AS unsent,
            (SELECT count(*)::int FROM outbound_message) AS outbound`,
  );
  console.log(`  after the burst: ${JSON.stringify(leftovers[0])}`);
}

/** Naast in this process on `db`, listening, with its warn/error lines kept. */
async function listenNaast(config: Config, db: Database) {
  const { log, lines } = benchLogger();
  const naast = await createNaast(config, log, { database: db, polling: false, sweepSeconds: 3600 });
  return { naast, srv: await listen(naast.handler), lines };
}

async function startNaast(setup: Setup, fakeUrl: string): Promise<Pipeline> {
  const db = await openBenchDatabase(setup);
  const config = benchConfig(setup, { whatsappUrl: fakeUrl, ratePerSecond: WA_RATE, ...(WORKER_CONCURRENCY ? { workerConcurrency: WORKER_CONCURRENCY } : {}) });
  const { naast, srv, lines } = await listenNaast(config, db);
  return {
    name: "naast",
    url: srv.url,
    describe: `queue: ${naast.queues.kind}; worker concurrency ${config.workerConcurrency} per queue; WhatsApp send limit ${config.whatsapp!.ratePerSecond}/s; DB pool ${db.kind === "postgres" ? 20 : 1}`,
    statements: async () => (db.kind === "postgres" ? pgProfiler.total().n : undefined),
    handledSince: (since) => handledSince(db, since),
    usesRedis: Boolean(setup.redisUrl),
    async report(startedAt) {
      await reportRows(db, startedAt);
      if (lines().length > 0) console.log(`  naast logged ${lines().length} warn/error lines, first: ${lines()[0]!.slice(0, 300)}`);
    },
    async close() {
      await srv.close();
      await naast.close();
      await db.drop();
      if (setup.redisUrl) await clearRedisPrefix(setup.redisUrl, config.redisPrefix);
    },
  };
}

/**
 * Naast as compose.yaml runs it on PostgreSQL + Redis: this process is the web role (webhooks, inbox, queueing),
 * a child process (bench/naast-worker.ts) the worker role (inbound batches, engine, sends), on one database and
 * one Redis prefix. Only where Redis is set: the in-process queue serves one process.
 */
async function startNaastSplit(setup: Setup, fakeUrl: string): Promise<Pipeline> {
  const db = await openBenchDatabase(setup);
  if (!setup.databaseUrl || !setup.redisUrl || !db.dbName) throw new Error("web+worker needs PostgreSQL and Redis");
  const opts = { whatsappUrl: fakeUrl, ratePerSecond: WA_RATE, ...(WORKER_CONCURRENCY ? { workerConcurrency: WORKER_CONCURRENCY } : {}) };
  const config = benchConfig(setup, { ...opts, role: "web" });
  const worker = forkBench("naast-worker.ts");
  await nextMessage(worker, "started", 60_000);
  const url = new URL(setup.databaseUrl);
  url.pathname = `/${db.dbName}`;
  const start: WorkerStart = { type: "start", setup, databaseUrl: url.toString(), redisPrefix: config.redisPrefix, ...opts };
  worker.send(start);
  await nextMessage(worker, "ready", 60_000);
  const workerStats = async () => {
    worker.send({ type: "stats" });
    return nextMessage<WorkerStats>(worker, "stats", 10_000);
  };
  const { naast, srv, lines } = await listenNaast(config, db);
  return {
    name: "naast web+worker",
    url: srv.url,
    describe: `web process (this one) + worker process (bench/naast-worker.ts), as compose.yaml runs them; queue: ${naast.queues.kind}; worker concurrency ${config.workerConcurrency} per queue; WhatsApp send limit ${config.whatsapp!.ratePerSecond}/s; DB pool 20 each`,
    statements: async () => pgProfiler.total().n + (await workerStats()).statements,
    pids: { "naast worker (node)": worker.pid },
    handledSince: (since) => handledSince(db, since),
    usesRedis: true,
    async report(startedAt) {
      await reportRows(db, startedAt);
      const w = await workerStats();
      const logged = lines().length + w.logLines;
      if (logged > 0) console.log(`  naast logged ${logged} warn/error lines, first: ${(lines()[0] ?? w.firstLogLine ?? "").slice(0, 300)}`);
    },
    async close() {
      await srv.close();
      await naast.close();
      await stopChild(worker);
      await db.drop();
      await clearRedisPrefix(setup.redisUrl!, config.redisPrefix);
    },
  };
}

async function startRef(setup: Setup, fakeUrl: string, k1: number, k2: number): Promise<Pipeline> {
  const ref = await startReference({
    databaseUrl: setup.databaseUrl,
    graphUrl: fakeUrl,
    appSecret: WA.appSecret,
    token: WA.token,
    phoneNumberId: WA.phoneNumberId,
    replies: { first: k1, later: k2 },
  });
  const srv = await listen(ref.app);
  return {
    name: "reference",
    url: srv.url,
    describe: `reference (bench/reference-pipeline.ts): ${setup.databaseUrl ? "PostgreSQL via pg, pool 8" : "PGlite in memory"}, no queue, up to 500 residents a transaction, 64 sends in flight; replies per message as Naast's (${k1}, then ${k2})`,
    statements: async () => ref.statements(),
    handledSince: (since) => ref.handledSince(since),
    usesRedis: false,
    async report() {
      const b = ref.batching();
      const avg = (rows: number, n: number) => (rows / Math.max(1, n)).toFixed(1);
      console.log(
        `  batching (whole run, warm-up included): ${fmt(b.inboxWrites)} inbox inserts of ${avg(b.inboxRows, b.inboxWrites)} rows, ${fmt(b.transactions)} handling transactions of ${avg(b.claimed, b.transactions)} messages, ${fmt(b.markWrites)} sent-mark updates of ${avg(b.markRows, b.markWrites)} rows`,
      );
      console.log(`  after the burst: ${JSON.stringify(await ref.leftovers())}`);
    },
    async close() {
      await srv.close();
      await ref.close();
    },
  };
}

/** Counts SQL statements and Redis commands from now on; `done` gives them per answered message. */
async function startCounting(setup: Setup, p: Pipeline) {
  const since = new Date(Date.now() - 50);
  pgProfiler.reset();
  const sql0 = await p.statements();
  const redis0 = p.usesRedis && setup.redisUrl ? await redisCommandStats(setup.redisUrl) : undefined;
  return async (): Promise<Counts & { redis?: [string, { calls: number; usec: number }][] }> => {
    const sql1 = await p.statements();
    const handled = await p.handledSince(since);
    const redis = redis0 && setup.redisUrl ? diffRedisStats(redis0, await redisCommandStats(setup.redisUrl)) : undefined;
    const per = (n: number) => n / Math.max(1, handled);
    return {
      handled,
      sqlPerMessage: sql0 !== undefined && sql1 !== undefined ? per(sql1 - sql0) : undefined,
      redisPerMessage: redis ? per(redis.reduce((a, [, v]) => a + v.calls, 0)) : p.usesRedis ? undefined : 0,
      ...(redis ? { redis } : {}),
    };
  };
}

async function runPipeline(setup: Setup, which: Pipeline["name"], replies?: { k1: number; k2: number }): Promise<Outcome> {
  console.log(`\n## ${which === "naast" ? "Naast" : which === "naast web+worker" ? "Naast as compose.yaml runs it (web + worker processes)" : "Reference pipeline"} on ${setup.label}`);
  const meta = forkBench("meta-sim.ts");
  const { fakeUrl } = await nextMessage<{ type: "ready"; fakeUrl: string }>(meta, "ready", 60_000);
  const p = which === "naast" ? await startNaast(setup, fakeUrl) : which === "naast web+worker" ? await startNaastSplit(setup, fakeUrl) : await startRef(setup, fakeUrl, replies!.k1, replies!.k2);
  try {
    console.log(`  ${p.describe}`);
    const warmReq: WarmupRequest = { type: "warmup", naastUrl: p.url, residents: WARM_RESIDENTS, concurrency: CONCURRENCY, appSecret: WA.appSecret };
    meta.send(warmReq);
    const warmed = await nextMessage<WarmedReply>(meta, "warmed", 120_000);
    console.log(`  warm-up: ${WARM_RESIDENTS} residents in ${warmed.seconds.toFixed(1)} s; "Hallo" gets ${warmed.k1} reply message(s), "1" gets ${warmed.k2}`);
    const outcome: Outcome = { setup, pipeline: p.name, k1: warmed.k1, k2: warmed.k2, steady: [], skipped: [] };
    if (STEADY_RATES.length === 0) outcome.burst = await burst(setup, p, meta);
    else {
      for (const [i, rate] of STEADY_RATES.entries()) {
        const s = await steadyRate(setup, p, meta, rate);
        outcome.steady.push(s);
        if (!s.result.keptUp) {
          outcome.skipped = STEADY_RATES.slice(i + 1);
          if (outcome.skipped.length > 0) console.log(`  not tried: ${outcome.skipped.join(", ")}/s (${rate}/s was not kept up)`);
          break;
        }
        await new Promise((r) => setTimeout(r, 2000));
      }
    }
    return outcome;
  } finally {
    await p.close();
    await stopChild(meta);
  }
}

async function burst(setup: Setup, p: Pipeline, meta: ChildProcess): Promise<{ result: RunResult } & Counts> {
  await waitForQuiet("the burst");
  // Profilers over the measured burst only.
  const counted = await startCounting(setup, p);
  const pids = { "meta (loadgen + fake)": meta.pid, ...p.pids };
  const cpuBefore = cpuByProcess(pids);
  const elu0 = perf.eventLoopUtilization();
  const startedAt = new Date(Date.now() - 50);
  const profiler = PROFILE_CPU ? await startCpuProfile(`end-to-end-${p.name}-${setup.name}`) : undefined;
  const t0 = performance.now();
  const runReq: RunRequest = { type: "run", residents: RESIDENTS, concurrency: CONCURRENCY, timeoutMs: TIMEOUT_MS };
  meta.send(runReq);
  const result = await nextMessage<RunResult>(meta, "result", TIMEOUT_MS + 60_000);
  const wall = (performance.now() - t0) / 1000;
  const profile = await profiler?.stop();
  const elu = perf.eventLoopUtilization(elu0);
  const cpu = cpuShare(cpuBefore, cpuByProcess(pids), wall).replace("naast (node)", `${p.name === "naast web+worker" ? "naast web" : p.name} (node)`);
  const sqlTop = pgProfiler.stats();
  const counts = await counted();

  const expectedMessages = 2 * RESIDENTS;
  console.log(
    `  ${fmt(result.messagesDone)} of ${fmt(expectedMessages)} inbound messages answered in ${result.seconds.toFixed(2)} s: ${fmt(result.messagesPerSecond)} messages/s (${fmt(result.repliesPerSecond)} replies/s)${result.timedOut ? ` — CUT OFF after ${TIMEOUT_MS / 1000} s` : ""}`,
  );
  console.log(`  POST → reply: ${lat(result.latency)}`);
  console.log(`    "Hallo" (new resident): ${lat(result.round1)}`);
  console.log(`    "1" (answer):           ${lat(result.round2)}`);
  console.log(`  webhook POST alone: ${lat(result.webhook)}; non-200: ${result.non200}, network errors: ${result.postErrors}, unexpected replies: ${result.unexpectedReplies}`);
  console.log(`  replies per second over the burst: ${result.timeline.join(" ")}`);
  console.log(`  CPU (cores busy during the burst): ${cpu}; ${p.name === "naast web+worker" ? "web process's" : p.name} event loop ${(elu.utilization * 100).toFixed(0)}% busy`);
  await p.report(startedAt);
  if (counts.sqlPerMessage !== undefined) {
    const sql = pgProfiler.total();
    const begins = sqlTop.find(([k]) => k === "BEGIN")?.[1].n ?? 0;
    console.log(
      `  SQL during the burst: ${counts.sqlPerMessage.toFixed(2)} statements per inbound message handled (${fmt(counts.handled)})${sql.n > 0 ? ` (${fmt(sql.n)} in all, ${(begins / Math.max(1, counts.handled)).toFixed(2)} transactions per message, client-side time ${fmt(sql.ms / 1000, 1)} s summed):` : ""}`,
    );
    for (const [k, v] of sqlTop.slice(0, 16)) console.log(`    ${fmt(v.n).padStart(7)} × ${(v.ms / v.n).toFixed(2).padStart(6)} ms  ${k}`);
  } else console.log(`  SQL statements: not counted here (they are counted through pg, on PostgreSQL)`);
  if (counts.redis) {
    const usec = counts.redis.reduce((a, [, v]) => a + v.usec, 0);
    console.log(
      `  Redis during the burst: ${counts.redisPerMessage!.toFixed(1)} commands per inbound message handled (commands inside Lua scripts included), ${fmt(usec / 1000)} ms server time: ${counts.redis
        .slice(0, 8)
        .map(([k, v]) => `${k} ${fmt(v.calls)}`)
        .join(", ")}`,
    );
  } else if (!p.usesRedis) console.log(`  Redis: not used`);
  if (profile) console.log(profile);
  return { result, ...counts };
}

async function steadyRate(setup: Setup, p: Pipeline, meta: ChildProcess, rate: number): Promise<{ result: SteadyResult } & Counts> {
  await waitForQuiet(`${rate} messages/s`);
  const counted = await startCounting(setup, p);
  const pids = { "meta (loadgen + fake)": meta.pid, ...p.pids };
  const cpuBefore = cpuByProcess(pids);
  const t0 = performance.now();
  const req: SteadyRequest = { type: "steady", rate, seconds: STEADY_SECONDS, concurrency: CONCURRENCY, fallBehindS: FALL_BEHIND_S, graceS: GRACE_S };
  meta.send(req);
  const result = await nextMessage<SteadyResult>(meta, "steady-result", (STEADY_SECONDS + GRACE_S + 120) * 1000);
  const cpu = cpuShare(cpuBefore, cpuByProcess(pids), (performance.now() - t0) / 1000).replace("naast (node)", `${p.name === "naast web+worker" ? "naast web" : p.name} (node)`);
  const counts = await counted();
  const verdict = result.keptUp
    ? "kept up"
    : result.fellBehindAfterS !== undefined
      ? `FELL BEHIND: arrivals stopped after ${result.fellBehindAfterS.toFixed(1)} s (a message waited over ${FALL_BEHIND_S} s)`
      : `DID NOT KEEP UP: ${fmt(result.unanswered)} unanswered ${GRACE_S} s after the last arrival`;
  console.log(`  ${rate} messages/s for ${result.seconds.toFixed(1)} s: ${verdict}`);
  console.log(
    `    ${fmt(result.answered)} of ${fmt(result.sent)} answered (${fmt(result.answeredPerSecond)}/s); arrival → reply ${lat(result.latency)}${result.unanswered > 0 ? ` — unanswered ones counted at their age, so a lower bound` : ""}`,
  );
  console.log(
    `    webhook POST alone: p50 ${ms(result.webhook.p50)}, p99 ${ms(result.webhook.p99)}; non-200: ${result.non200}, network errors: ${result.postErrors}, unexpected replies: ${result.unexpectedReplies}`,
  );
  const sql = counts.sqlPerMessage !== undefined ? `${counts.sqlPerMessage.toFixed(2)} SQL statements` : "SQL not counted";
  const redis = counts.redisPerMessage !== undefined ? `${counts.redisPerMessage.toFixed(1)} Redis commands` : "Redis not counted";
  console.log(`    per inbound message handled (${fmt(counts.handled)}): ${sql}, ${redis}; CPU: ${cpu}`);
  if (counts.sqlPerMessage !== undefined && counts.handled > 0) {
    const top = pgProfiler.stats().slice(0, 12);
    console.log(`    statements a message, most frequent first: ${top.map(([k, v]) => `${(v.n / counts.handled).toFixed(2)} ${k.slice(0, 60)}`).join("; ")}`);
  }
  return { result, ...counts };
}

function lat(l: LatencySummary): string {
  return `p50 ${ms(l.p50)}, p90 ${ms(l.p90)}, p99 ${ms(l.p99)}, max ${ms(l.max)} (n=${fmt(l.n)})`;
}

async function phaseBreakdown(query: (sql: string, params?: readonly unknown[]) => Promise<Record<string, unknown>[]>, since: Date): Promise<string | undefined> {
  const phases: [string, string][] = [
    ["stored → handling began (inbox queue wait)", "i.processed_at - i.received_at"],
    ["handling began → reply row written", "o.created_at - i.processed_at"],
    ["reply row → send claimed (commit, send queue)", "o.claimed_at - o.created_at"],
    ["send claimed → sent (HTTP to Graph API)", "o.sent_at - o.claimed_at"],
  ];
  const cols = phases
    .flatMap(([, expr], i) => [
      `percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM (${expr})) * 1000) AS p50_${i}`,
      `percentile_cont(0.99) WITHIN GROUP (ORDER BY extract(epoch FROM (${expr})) * 1000) AS p99_${i}`,
    ])
    .join(",\n ");
  try {
    const rows = await query(
      `SELECT ${cols}
       FROM inbound_message i
       JOIN outbound_message o ON o.id = i.channel || '-' || i.platform_message_id || '-0'
       WHERE i.received_at >= $1 AND o.sent_at IS NOT NULL`,
      [since.toISOString()],
    );
    const r = rows[0] ?? {};
    return phases.map(([name], i) => `    ${name.padEnd(48)} ${ms(Number(r[`p50_${i}`]))} / ${ms(Number(r[`p99_${i}`]))}`).join("\n");
  } catch (err) {
    return `    (breakdown failed: ${err instanceof Error ? err.message : String(err)})`;
  }
}

async function main(): Promise<void> {
  console.log(`# End to end (b) — ${machineNote()}`);
  if (STEADY_RATES.length === 0) {
    console.log(`# burst: ${fmt(RESIDENTS)} residents × ("Hallo", then "1" once the reply is in) = ${fmt(2 * RESIDENTS)} inbound messages; ${CONCURRENCY} webhook connections`);
  } else {
    console.log(
      `# steady: arrivals at ${STEADY_RATES.join(", ")} messages/s for ${STEADY_SECONDS} s each (new residents' "Hallo" and answers "1", about half each); a rate is kept up when every message is answered within ${GRACE_S} s of the last arrival; arrivals stop once a message waits over ${FALL_BEHIND_S} s`,
    );
  }
  const which = [WITH_NAAST ? "Naast" : "", WITH_REFERENCE ? "the reference pipeline (bench/reference-pipeline.ts)" : ""].filter(Boolean);
  console.log(`# each setup: ${which.join(", then ")}, each with its own fake Graph API and load generator process`);
  const outcomes: Outcome[] = [];
  for (const setup of benchSetups()) {
    const naast = WITH_NAAST ? await runPipeline(setup, "naast") : undefined;
    if (naast) outcomes.push(naast);
    if (WITH_NAAST && WITH_SPLIT && setup.databaseUrl && setup.redisUrl) outcomes.push(await runPipeline(setup, "naast web+worker"));
    if (WITH_REFERENCE) outcomes.push(await runPipeline(setup, "reference", { k1: naast?.k1 ?? 1, k2: naast?.k2 ?? 1 }));
  }
  const referenceOf = (o: Outcome) => outcomes.find((r) => r.pipeline === "reference" && r.setup === o.setup);
  const perMsg = (n: number | undefined, digits: number) => (n === undefined ? "—" : n.toFixed(digits));

  console.log(`\n## Summary`);
  if (STEADY_RATES.length === 0) {
    console.log(
      table(
        ["setup", "pipeline", "messages/s", "× reference", "p50 POST→reply", "p99 POST→reply", "answered", "SQL/msg", "Redis/msg"],
        outcomes.map((o) => {
          const r = o.burst!.result;
          const ref = referenceOf(o)?.burst?.result;
          return [
            o.setup.name,
            o.pipeline,
            fmt(r.messagesPerSecond),
            ref ? (r.messagesPerSecond / ref.messagesPerSecond).toFixed(2) : "—",
            ms(r.latency.p50),
            ms(r.latency.p99),
            `${fmt(r.messagesDone)}/${fmt(2 * RESIDENTS)}`,
            perMsg(o.burst!.sqlPerMessage, 2),
            perMsg(o.burst!.redisPerMessage, 1),
          ];
        }),
      ),
    );
    for (const o of outcomes.filter((x) => x.pipeline !== "reference")) {
      const r = o.burst!.result;
      const ref = referenceOf(o)?.burst?.result;
      recordResult({
        bench: "end-to-end",
        setup: o.pipeline === "naast" ? o.setup.name : `${o.setup.name} (web+worker)`,
        messagesPerSecond: r.messagesPerSecond,
        p50: r.latency.p50,
        p99: r.latency.p99,
        answered: r.messagesDone,
        expected: 2 * RESIDENTS,
        ...(ref ? { referenceMessagesPerSecond: ref.messagesPerSecond, ratio: r.messagesPerSecond / ref.messagesPerSecond } : {}),
      });
    }
  } else {
    const rows: string[][] = [];
    for (const o of outcomes) {
      for (const s of o.steady) {
        const r = s.result;
        rows.push([
          o.setup.name,
          o.pipeline,
          `${r.rate}/s`,
          fmt(r.answeredPerSecond),
          ms(r.latency.p50),
          `${r.unanswered > 0 ? "≥ " : ""}${ms(r.latency.p99)}`,
          r.keptUp ? "yes" : r.fellBehindAfterS !== undefined ? `no (after ${r.fellBehindAfterS.toFixed(0)} s)` : `no (${fmt(r.unanswered)} left)`,
          perMsg(s.sqlPerMessage, 2),
          perMsg(s.redisPerMessage, 1),
        ]);
        recordResult({ bench: "end-to-end-steady", setup: o.setup.name, pipeline: o.pipeline, rate: r.rate, p50: r.latency.p50, p99: r.latency.p99, keptUp: r.keptUp, unanswered: r.unanswered });
      }
      for (const rate of o.skipped) rows.push([o.setup.name, o.pipeline, `${rate}/s`, "", "", "", "not tried", "", ""]);
    }
    console.log(table(["setup", "pipeline", "arrivals", "answered/s", "p50 arrival→reply", "p99 arrival→reply", "kept up", "SQL/msg", "Redis/msg"], rows));
  }
}

await main();
process.exit(0);
