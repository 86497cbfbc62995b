/**
 * (a) WhatsApp webhook ingestion throughput.
 *
 * Signed POST → signature check → schema → dedupe + durable insert (group commit) → enqueue, with
 * queue workers off so that nothing is processed, compared with a bare express 5 app whose POST
 * endpoint answers 200, measured right before and right after each setup (the ratio is against their mean).
 * Same load generator (a separate process), same concurrency, same body size.
 *
 *   node --import ./bench/ship-loader.mjs bench/webhook-ingest.ts
 *   DATABASE_URL=postgresql://... REDIS_URL=redis://... node --import ./bench/ship-loader.mjs bench/webhook-ingest.ts
 *
 * Knobs: BENCH_CONCURRENCY (64), BENCH_WARMUP_S (5), BENCH_SECONDS (10), BENCH_SETUPS (embedded|postgres).
 */
import { randomBytes } from "node:crypto";
import express from "express";
import { createNaast } from "../src/naast.js";
import { InboxStore } from "../src/storage/inbox-store.js";
import type { LoadRequest, LoadResult } from "./loadgen-webhook.js";
import {
  benchConfig,
  benchLogger,
  benchSetups,
  clearRedisPrefix,
  cpuByProcess,
  cpuShare,
  envNumber,
  fmt,
  forkBench,
  listen,
  machineNote,
  ms,
  nextMessage,
  openBenchDatabase,
  PROFILE_CPU,
  recordResult,
  startCpuProfile,
  stopChild,
  table,
  WA,
  waitForQuiet,
} from "./support.js";

const CONCURRENCY = envNumber("BENCH_CONCURRENCY", 64);
const WARMUP_MS = envNumber("BENCH_WARMUP_S", 5) * 1000;
const DURATION_MS = envNumber("BENCH_SECONDS", 10) * 1000;
const PATH = "/webhooks/whatsapp";

/** Group-commit instrument: rows and time per inbox insert statement (wraps InboxStore#insertMany). */
const inserts = { statements: 0, rows: 0, ms: 0, maxRows: 0 };
{
  const orig = InboxStore.prototype.insertMany;
  InboxStore.prototype.insertMany = async function (this: InboxStore, rows) {
    const t = performance.now();
    try {
      return await orig.call(this, rows);
    } finally {
      inserts.statements += 1;
      inserts.rows += rows.length;
      inserts.maxRows = Math.max(inserts.maxRows, rows.length);
      inserts.ms += performance.now() - t;
    }
  };
}

/** One measured server; `bareRps` is the mean of the bare runs just before and after it (Naast rows only). */
type Row = { name: string; result: LoadResult; cpu: string; note: string; bareRps?: number };

async function measure(loadgen: ReturnType<typeof forkBench>, url: string, profileName?: string): Promise<{ result: LoadResult; cpu: string; profile?: string }> {
  const tag = randomBytes(3).toString("hex").toUpperCase();
  const req: LoadRequest = { type: "run", url, path: PATH, concurrency: CONCURRENCY, warmupMs: WARMUP_MS, durationMs: DURATION_MS, tag, appSecret: WA.appSecret };
  const pids = { loadgen: loadgen.pid };
  await waitForQuiet("this server");
  loadgen.send(req);
  // CPU shares over the measured window only.
  await new Promise((r) => setTimeout(r, WARMUP_MS));
  const before = cpuByProcess(pids);
  const t0 = performance.now();
  const profiler = profileName && PROFILE_CPU ? await startCpuProfile(profileName) : undefined;
  await new Promise((r) => setTimeout(r, DURATION_MS));
  const profile = await profiler?.stop();
  const after = cpuByProcess(pids);
  const seconds = (performance.now() - t0) / 1000;
  const result = await nextMessage<LoadResult>(loadgen, "result");
  return { result, cpu: cpuShare(before, after, seconds), ...(profile ? { profile } : {}) };
}

async function main(): Promise<void> {
  console.log(`# Webhook ingestion (a) — ${machineNote()}`);
  console.log(`# ${CONCURRENCY} keep-alive connections, ${WARMUP_MS / 1000} s warm-up (not counted), ${DURATION_MS / 1000} s measured, load generator in its own process`);
  const loadgen = forkBench("loadgen-webhook.ts");
  await nextMessage(loadgen, "ready", 60_000);
  const rows: Row[] = [];

  try {
    // Baseline: express 5, POST answers 200 with a small JSON body; the request body is not parsed. Measured
    // before and after every setup: this machine's speed drifts by up to half from minute to minute (other tenants),
    // so each setup is compared with the mean of the two bare runs beside it.
    const bareRun = async (): Promise<LoadResult> => {
      const app = express();
      app.disable("x-powered-by");
      app.post(PATH, (_req, res) => {
        res.status(200).json({ ok: true });
      });
      const srv = await listen(app);
      console.log(`\n## bare express 5 (POST ${PATH} → 200)`);
      const { result, cpu } = await measure(loadgen, srv.url);
      await srv.close();
      rows.push({ name: "bare express", result, cpu, note: "" });
      printOne(result, cpu);
      return result;
    };
    let bareBefore = await bareRun();

    for (const setup of benchSetups()) {
      console.log(`\n## Naast on ${setup.label}, workers off`);
      const db = await openBenchDatabase(setup);
      const config = benchConfig(setup);
      const { log, lines } = benchLogger();
      const naast = await createNaast(config, log, { database: db, workers: false, polling: false, sweepSeconds: 3600 });
      const srv = await listen(naast.handler);
      let note = "";
      let own: Row | undefined;
      try {
        Object.assign(inserts, { statements: 0, rows: 0, ms: 0, maxRows: 0 });
        const { result, cpu, profile } = await measure(loadgen, srv.url, `webhook-ingest-${setup.name}`);
        const perStmt = inserts.statements ? `${inserts.statements} insert statements, ${(inserts.rows / inserts.statements).toFixed(1)} rows each (max ${inserts.maxRows}), ${(inserts.ms / inserts.statements).toFixed(1)} ms each` : "no inserts";
        // What the 200s promised must be stored: one inbox row per accepted request.
        const stored = Number((await db.sql.query("SELECT count(*)::int AS n FROM inbound_message"))[0]?.n ?? -1);
        const queued = await naast.inbound.count().catch(() => NaN);
        note = `stored ${fmt(stored)} rows for ${fmt(result.ok200Total)} × 200 (${stored === result.ok200Total ? "match" : "MISMATCH"}); ${fmt(queued)} jobs queued`;
        own = { name: `naast ${setup.name}`, result, cpu, note };
        rows.push(own);
        printOne(result, cpu);
        console.log(`  check: ${note}`);
        console.log(`  group commit (whole run incl. warm-up): ${perStmt}`);
        if (profile) console.log(profile);
        if (lines().length > 0) console.log(`  naast logged ${lines().length} warn/error lines, first: ${lines()[0]!.slice(0, 300)}`);
      } finally {
        await srv.close();
        await naast.close();
        await db.drop();
        if (setup.redisUrl) await clearRedisPrefix(setup.redisUrl, config.redisPrefix);
      }
      const bareAfter = await bareRun();
      if (own) own.bareRps = (bareBefore.rps + bareAfter.rps) / 2;
      bareBefore = bareAfter;
    }
  } finally {
    await stopChild(loadgen);
  }

  const bare = rows[0]!.result;
  console.log(`\n## Summary (body ${bare.bodyBytes} bytes, ${CONCURRENCY} connections, ${DURATION_MS / 1000} s measured, 2xx only counted; a bare run before and after each setup, ours/bare against their mean)`);
  console.log(
    table(
      ["server", "req/s", "ours/bare", "p50", "p90", "p99", "max", "non-200", "errors"],
      rows.map(({ name, result, bareRps }) => [
        name,
        fmt(result.rps),
        bareRps === undefined ? "–" : (result.rps / bareRps).toFixed(2),
        ms(result.latency.p50),
        ms(result.latency.p90),
        ms(result.latency.p99),
        ms(result.latency.max),
        fmt(Object.entries(result.statuses).filter(([s]) => s !== "200").reduce((a, [, n]) => a + n, 0)),
        fmt(result.errors),
      ]),
    ),
  );
  for (const r of rows) {
    if (r.bareRps === undefined) continue;
    recordResult({
      bench: "webhook-ingest",
      setup: r.name.replace(/^naast /, ""),
      rps: r.result.rps,
      bareRps: r.bareRps,
      ratio: r.result.rps / r.bareRps,
      p50: r.result.latency.p50,
      p99: r.result.latency.p99,
    });
  }
}

function printOne(r: LoadResult, cpu: string): void {
  const non200 = Object.entries(r.statuses).filter(([s]) => s !== "200");
  console.log(
    `  ${fmt(r.rps)} req/s (${fmt(r.requests)} in ${r.seconds} s); latency p50 ${ms(r.latency.p50)}, p90 ${ms(r.latency.p90)}, p99 ${ms(r.latency.p99)}, max ${ms(r.latency.max)}`,
  );
  console.log(`  CPU (cores busy while measuring): ${cpu || "n/a"}`);
  if (non200.length > 0 || r.errors > 0) console.log(`  non-200: ${JSON.stringify(Object.fromEntries(non200))}; network errors: ${r.errors}${r.firstError ? ` (${r.firstError})` : ""}`);
}

await main();
process.exit(0);
