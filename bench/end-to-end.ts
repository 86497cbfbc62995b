/**
 * (b) End-to-end messages per second: webhook → inbox → inbound worker → engine → outbox → send
 * job → the fake Graph API receiving the reply.
 *
 * A burst of BENCH_RESIDENTS (1000; 2000 for a longer run) distinct residents each write "Hallo";
 * each answers "1" as soon as the reply is in (so 2000 inbound messages). Measured from the first
 * POST to the moment the fake has received every expected reply, or to BENCH_TIMEOUT_S (60 s),
 * whichever comes first (a cut-off run says so and counts what was answered by then). The webhooks and the fake Graph API live in a child
 * process ("Meta", bench/meta-sim.ts); Naast runs alone in this process, with its workers on.
 *
 *   npx tsx bench/end-to-end.ts
 *   DATABASE_URL=postgresql://... REDIS_URL=redis://... npx tsx bench/end-to-end.ts
 *
 * Knobs: BENCH_RESIDENTS (1000), BENCH_TIMEOUT_S (60), BENCH_CONCURRENCY (64 webhook connections), BENCH_WA_RATE
 * (WHATSAPP_RATE_PER_SECOND, 1000 here; Naast's default 80 would cap replies at 80/s),
 * BENCH_WORKER_CONCURRENCY (Naast's default), BENCH_SETUPS, BENCH_CPU_PROFILE=1.
 */
import { performance as perf } from "node:perf_hooks";
import { createNaast } from "../src/naast.js";
import type { RunRequest, RunResult, WarmedReply, WarmupRequest } from "./meta-sim.js";
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
const WA_RATE = envNumber("BENCH_WA_RATE", 1000);
const WORKER_CONCURRENCY = process.env.BENCH_WORKER_CONCURRENCY ? envNumber("BENCH_WORKER_CONCURRENCY", 32) : undefined;
const WARM_RESIDENTS = 40;
/** The burst is cut off after this long; throughput is then what was answered by the deadline. */
const TIMEOUT_MS = envNumber("BENCH_TIMEOUT_S", 60) * 1000;

const pgProfiler = installPgProfiler();

type Summary = { setup: Setup; result: RunResult; k1: number; k2: number };

async function runSetup(setup: Setup): Promise<Summary> {
  console.log(`\n## Naast on ${setup.label}`);
  const meta = forkBench("meta-sim.ts");
  const { fakeUrl } = await nextMessage<{ type: "ready"; fakeUrl: string }>(meta, "ready", 60_000);
  const db = await openBenchDatabase(setup);
  const config = benchConfig(setup, { whatsappUrl: fakeUrl, ratePerSecond: WA_RATE, ...(WORKER_CONCURRENCY ? { workerConcurrency: WORKER_CONCURRENCY } : {}) });
  const { log, lines } = benchLogger();
  const naast = await createNaast(config, log, { database: db, polling: false, sweepSeconds: 3600 });
  const srv = await listen(naast.app);
  try {
    console.log(`  queue: ${naast.queues.kind}; worker concurrency ${config.workerConcurrency} per queue; WhatsApp send limit ${config.whatsapp!.ratePerSecond}/s; DB pool ${db.kind === "postgres" ? 20 : 1}`);
    const warmReq: WarmupRequest = { type: "warmup", naastUrl: srv.url, residents: WARM_RESIDENTS, concurrency: CONCURRENCY, appSecret: WA.appSecret };
    meta.send(warmReq);
    const warmed = await nextMessage<WarmedReply>(meta, "warmed", 120_000);
    console.log(`  warm-up: ${WARM_RESIDENTS} residents in ${warmed.seconds.toFixed(1)} s; "Hallo" gets ${warmed.k1} reply message(s), "1" gets ${warmed.k2}`);

    await waitForQuiet("the burst");
    // Profilers over the measured burst only.
    pgProfiler.reset();
    const redisBefore = setup.redisUrl ? await redisCommandStats(setup.redisUrl) : undefined;
    const cpuBefore = cpuByProcess({ "meta (loadgen + fake)": meta.pid });
    const elu0 = perf.eventLoopUtilization();
    const startedAt = new Date(Date.now() - 50);
    const profiler = PROFILE_CPU ? await startCpuProfile(`end-to-end-${setup.name}`) : undefined;
    const t0 = performance.now();
    const runReq: RunRequest = { type: "run", residents: RESIDENTS, concurrency: CONCURRENCY, timeoutMs: TIMEOUT_MS };
    meta.send(runReq);
    const result = await nextMessage<RunResult>(meta, "result", TIMEOUT_MS + 60_000);
    const wall = (performance.now() - t0) / 1000;
    const profile = await profiler?.stop();
    const elu = perf.eventLoopUtilization(elu0);
    const cpu = cpuShare(cpuBefore, cpuByProcess({ "meta (loadgen + fake)": meta.pid }), wall);
    const sql = pgProfiler.total();
    const sqlTop = pgProfiler.stats();
    const redisDiff = redisBefore && setup.redisUrl ? diffRedisStats(redisBefore, await redisCommandStats(setup.redisUrl)) : undefined;

    const expectedMessages = 2 * RESIDENTS;
    console.log(
      `  ${fmt(result.messagesDone)} of ${fmt(expectedMessages)} inbound messages answered in ${result.seconds.toFixed(2)} s: ${fmt(result.messagesPerSecond)} messages/s (${fmt(result.repliesPerSecond)} replies/s)${result.timedOut ? ` — CUT OFF after ${TIMEOUT_MS / 1000} s` : ""}`,
    );
    console.log(`  POST → reply: ${lat(result.latency)}`);
    console.log(`    "Hallo" (new resident): ${lat(result.round1)}`);
    console.log(`    "1" (answer):           ${lat(result.round2)}`);
    console.log(`  webhook POST alone: ${lat(result.webhook)}; non-200: ${result.non200}, network errors: ${result.postErrors}, unexpected replies: ${result.unexpectedReplies}`);
    console.log(`  replies per second over the burst: ${result.timeline.join(" ")}`);
    console.log(`  CPU (cores busy during the burst): ${cpu}; Naast event loop ${(elu.utilization * 100).toFixed(0)}% busy`);

    // Where the time went, from the rows' own timestamps (database clock = this machine's clock).
    const phases = await phaseBreakdown(db.sql.query.bind(db.sql), startedAt);
    if (phases) console.log(`  phases per message (p50 / p99, from row timestamps):\n${phases}`);
    const leftovers = await db.sql.query(
      `SELECT (SELECT count(*)::int FROM inbound_message WHERE processed_at IS NULL) AS unprocessed,
              (SELECT count(*)::int FROM outbound_message WHERE status <> 'sent') AS unsent,
              (SELECT count(*)::int FROM outbound_message) AS outbound`,
    );
    console.log(`  after the burst: ${JSON.stringify(leftovers[0])}`);

    if (sql.n > 0) {
      const begins = sqlTop.find(([k]) => k === "BEGIN")?.[1].n ?? 0;
      console.log(
        `  SQL during the burst: ${fmt(sql.n)} statements (${(sql.n / Math.max(1, result.messagesDone)).toFixed(1)} per inbound message, ${(begins / Math.max(1, result.messagesDone)).toFixed(2)} transactions per message), client-side time ${fmt(sql.ms / 1000, 1)} s summed:`,
      );
      for (const [k, v] of sqlTop.slice(0, 16)) console.log(`    ${fmt(v.n).padStart(7)} × ${(v.ms / v.n).toFixed(2).padStart(6)} ms  ${k}`);
    }
    if (redisDiff) {
      const calls = redisDiff.reduce((a, [, v]) => a + v.calls, 0);
      const usec = redisDiff.reduce((a, [, v]) => a + v.usec, 0);
      console.log(
        `  Redis during the burst: ${fmt(calls)} commands (${(calls / Math.max(1, result.messagesDone)).toFixed(1)} per inbound message, commands inside Lua scripts included), ${fmt(usec / 1000)} ms server time: ${redisDiff
          .slice(0, 8)
          .map(([k, v]) => `${k} ${fmt(v.calls)}`)
          .join(", ")}`,
      );
    }
    if (profile) console.log(profile);
    if (lines().length > 0) console.log(`  naast logged ${lines().length} warn/error lines, first: ${lines()[0]!.slice(0, 300)}`);
    return { setup, result, k1: warmed.k1, k2: warmed.k2 };
  } finally {
    await srv.close();
    await naast.close();
    await db.drop();
    if (setup.redisUrl) await clearRedisPrefix(setup.redisUrl, config.redisPrefix);
    await stopChild(meta);
  }
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
       JOIN outbound_message o ON o.channel = 'whatsapp' AND split_part(o.id, '-', 2) = i.seq::text AND split_part(o.id, '-', 3) = '0'
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
  console.log(`# ${fmt(RESIDENTS)} residents × ("Hallo", then "1" once the reply is in) = ${fmt(2 * RESIDENTS)} inbound messages; ${CONCURRENCY} webhook connections`);
  const summaries: Summary[] = [];
  for (const setup of benchSetups()) summaries.push(await runSetup(setup));
  console.log(`\n## Summary`);
  console.log(
    table(
      ["setup", "messages/s", "replies/s", "seconds", "p50 POST→reply", "p99 POST→reply", "answered"],
      summaries.map(({ setup, result }) => [
        setup.name,
        fmt(result.messagesPerSecond),
        fmt(result.repliesPerSecond),
        result.seconds.toFixed(2),
        ms(result.latency.p50),
        ms(result.latency.p99),
        `${fmt(result.messagesDone)}/${fmt(2 * RESIDENTS)}`,
      ]),
    ),
  );
  for (const { setup, result } of summaries) {
    recordResult({
      bench: "end-to-end",
      setup: setup.name,
      messagesPerSecond: result.messagesPerSecond,
      p50: result.latency.p50,
      p99: result.latency.p99,
      answered: result.messagesDone,
      expected: 2 * RESIDENTS,
    });
  }
}

await main();
process.exit(0);
