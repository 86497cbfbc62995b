/**
 * (b) helper: Naast's worker role in a process of its own, beside a web-role Naast in the benchmark's
 * process, the way compose.yaml runs them (services `web` and `worker`, one database and one Redis).
 * Started by bench/end-to-end.ts over IPC:
 *   → { type: "start", ... }   ← { type: "ready" }
 *   → { type: "stats" }        ← { type: "stats", statements, logLines, firstLogLine }
 *   → { type: "exit" }         (closes Naast, then exits)
 */
import { createNaast, type Naast } from "../src/naast.js";
import { openDatabase, type Database } from "../src/storage/database.js";
import { benchConfig, benchLogger, installPgProfiler, type Setup } from "./support.js";

/** What the worker process needs to join the web process's database and queues. */
export type WorkerStart = {
  type: "start";
  setup: Setup;
  /** The web process's fresh database (the same server, its own database name). */
  databaseUrl: string;
  redisPrefix: string;
  whatsappUrl: string;
  ratePerSecond: number;
  workerConcurrency?: number;
};
export type WorkerStats = { type: "stats"; statements: number; logLines: number; firstLogLine?: string };

const pgProfiler = installPgProfiler();
const { log, lines } = benchLogger();
let naast: Naast | undefined;
let db: Database | undefined;

async function start(m: WorkerStart): Promise<void> {
  db = await openDatabase({ databaseUrl: m.databaseUrl, dataDir: "unused", migrate: false });
  const config = benchConfig(m.setup, {
    whatsappUrl: m.whatsappUrl,
    ratePerSecond: m.ratePerSecond,
    role: "worker",
    redisPrefix: m.redisPrefix,
    ...(m.workerConcurrency ? { workerConcurrency: m.workerConcurrency } : {}),
  });
  naast = await createNaast(config, log, { database: db, polling: false, sweepSeconds: 3600 });
}

process.on("message", (raw: unknown) => {
  const m = raw as { type?: string };
  const fail = (err: unknown) => process.send!({ type: "error", message: err instanceof Error ? err.stack : String(err) });
  if (m.type === "start") start(raw as WorkerStart).then(() => process.send!({ type: "ready" }), fail);
  else if (m.type === "stats") {
    const all = lines();
    const reply: WorkerStats = { type: "stats", statements: pgProfiler.total().n, logLines: all.length, ...(all[0] ? { firstLogLine: all[0] } : {}) };
    process.send!(reply);
  } else if (m.type === "exit") {
    void (async () => {
      await naast?.close();
      await db?.close();
      process.exit(0);
    })().catch(fail);
  }
});
process.send!({ type: "started" });
