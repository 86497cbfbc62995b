/**
 * Shared pieces of the benchmarks: the setups to run on, a fresh database per run, the Naast
 * configuration, child processes, statistics, and a few cheap profilers (SQL statements per
 * message, Redis commands, CPU per process). Nothing here is a test: benchmarks print figures.
 */
import { fork, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { appendFileSync, readdirSync, readFileSync } from "node:fs";
import { once } from "node:events";
import { createServer, type Server, type RequestListener } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { Writable } from "node:stream";
import { Redis } from "ioredis";
import pg from "pg";
import { loadConfig, type Config } from "../src/config.js";
import { createLogger, type Logger } from "../src/logger.js";
import { openFreshDatabase, type FreshDatabase } from "../test/support/test-database.js";
import { WA } from "../test/support/harness.js";

export { WA };

export const BENCH_DIR = import.meta.dirname;

// ---------------------------------------------------------------------------------------------
// Setups

/** Where a run stores its data and queues its jobs. */
export type Setup = {
  /** Short name for tables: "embedded" or "postgres+redis". */
  name: string;
  /** Longer description for headings. */
  label: string;
  databaseUrl: string | undefined;
  redisUrl: string | undefined;
};

/**
 * The embedded default always; PostgreSQL (+ Redis when REDIS_URL is set) when DATABASE_URL is set.
 * BENCH_SETUPS=embedded or BENCH_SETUPS=postgres runs only one of them.
 */
export function benchSetups(): Setup[] {
  const only = process.env.BENCH_SETUPS?.trim();
  const list: Setup[] = [];
  if (!only || only.startsWith("embed")) {
    list.push({ name: "embedded", label: "embedded default (PGlite in memory, in-process queue)", databaseUrl: undefined, redisUrl: undefined });
  }
  const databaseUrl = process.env.DATABASE_URL?.trim() || undefined;
  const redisUrl = process.env.REDIS_URL?.trim() || undefined;
  if ((!only || only.startsWith("postgres")) && (databaseUrl || redisUrl)) {
    const name = databaseUrl && redisUrl ? "postgres+redis" : databaseUrl ? "postgres" : "pglite+redis";
    const label = `${databaseUrl ? "PostgreSQL" : "PGlite in memory"} + ${redisUrl ? "Redis (BullMQ)" : "in-process queue"}`;
    list.push({ name, label, databaseUrl, redisUrl });
  }
  return list;
}

/** A fresh, migrated database: a new database on the server (dropped afterwards), or an in-memory PGlite. */
export function openBenchDatabase(setup: Setup, poolSize?: number): Promise<FreshDatabase> {
  return openFreshDatabase({ url: setup.databaseUrl, prefix: "naast_bench", ...(poolSize ? { poolSize } : {}) });
}

/** Naast's configuration for a benchmark run: WhatsApp on (against `whatsappUrl`), quiet logs. */
export function benchConfig(
  setup: Setup,
  opts: { whatsappUrl?: string; ratePerSecond?: number; workerConcurrency?: number; role?: Config["role"]; redisPrefix?: string } = {},
): Config {
  return loadConfig({
    NODE_ENV: "test",
    PSEUDONYM_KEY: "a".repeat(64),
    ENCRYPTION_KEY: "b".repeat(64),
    WHATSAPP_TOKEN: WA.token,
    WHATSAPP_PHONE_NUMBER_ID: WA.phoneNumberId,
    WHATSAPP_APP_SECRET: WA.appSecret,
    WHATSAPP_VERIFY_TOKEN: WA.verifyToken,
    // Nothing is sent when workers are off; port 9 (discard) makes any stray send fail fast.
    WHATSAPP_API_BASE_URL: opts.whatsappUrl ?? "http://127.0.0.1:9",
    REDIS_URL: setup.redisUrl ?? "",
    REDIS_PREFIX: opts.redisPrefix ?? `naast-bench-${randomBytes(4).toString("hex")}`,
    ...(opts.role ? { ROLE: opts.role } : {}),
    LOG_LEVEL: "warn",
    ...(opts.ratePerSecond ? { WHATSAPP_RATE_PER_SECOND: String(opts.ratePerSecond) } : {}),
    ...(opts.workerConcurrency ? { WORKER_CONCURRENCY: String(opts.workerConcurrency) } : {}),
  });
}

/** A logger at `warn` that keeps what it wrote, so a run can say whether anything went wrong. */
export function benchLogger(): { log: Logger; lines: () => string[] } {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk, _enc, cb) {
      for (const l of String(chunk).split("\n")) if (l.trim()) lines.push(l);
      cb();
    },
  });
  return { log: createLogger("warn", sink), lines: () => lines };
}

/** Removes every Redis key under `prefix` (BullMQ queues of one run). */
export async function clearRedisPrefix(redisUrl: string, prefix: string): Promise<void> {
  const r = new Redis(redisUrl, { maxRetriesPerRequest: 1, lazyConnect: false });
  try {
    let cursor = "0";
    do {
      const [next, keys] = await r.scan(cursor, "MATCH", `${prefix}:*`, "COUNT", 1000);
      cursor = next;
      if (keys.length > 0) await r.del(...keys);
    } while (cursor !== "0");
  } finally {
    r.disconnect();
  }
}

// ---------------------------------------------------------------------------------------------
// HTTP

/** Listens on 127.0.0.1 on a free port. */
export async function listen(handler: RequestListener): Promise<{ server: Server; url: string; close(): Promise<void> }> {
  const server = createServer(handler);
  server.keepAliveTimeout = 65_000;
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    server,
    url,
    async close() {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Child processes

/** The loader that runs TypeScript as Naast ships it (esbuild without tsx's `keepNames`); see ship-loader.mjs. */
export const SHIP_LOADER = pathToFileURL(path.join(BENCH_DIR, "ship-loader.mjs")).href;

/**
 * Starts `bench/<file>` in its own Node process (own event loop, own core) with an IPC channel, under the
 * parent's loader flags (the ship loader, or tsx when the parent was started with it), else the ship loader.
 */
export function forkBench(file: string): ChildProcess {
  const execArgv = process.execArgv.some((a) => a.includes("tsx") || a.includes("ship-loader")) ? process.execArgv : ["--import", SHIP_LOADER];
  return fork(path.join(BENCH_DIR, file), [], { execArgv, stdio: ["ignore", "inherit", "inherit", "ipc"] });
}

/** Waits for the next IPC message of `type` from a child (rejects if the child exits first). */
export function nextMessage<T extends { type: string }>(child: ChildProcess, type: string, timeoutMs = 600_000): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => done(new Error(`child: no "${type}" within ${timeoutMs} ms`)), timeoutMs);
    const onMessage = (m: unknown) => {
      const msg = m as { type?: string; message?: string };
      if (msg?.type === type) done(undefined, m as T);
      else if (msg?.type === "error") done(new Error(`child failed: ${msg.message ?? "?"}`));
    };
    const onExit = (code: number | null) => done(new Error(`child exited (${code}) before sending "${type}"`));
    function done(err?: Error, value?: T) {
      clearTimeout(timer);
      child.off("message", onMessage);
      child.off("exit", onExit);
      if (err) reject(err);
      else resolve(value!);
    }
    child.on("message", onMessage);
    child.on("exit", onExit);
  });
}

/** Ends a child we started, by its own handle. */
export async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, "exit");
  child.send({ type: "exit" });
  const timer = setTimeout(() => child.kill("SIGTERM"), 3000);
  await exited;
  clearTimeout(timer);
}

// ---------------------------------------------------------------------------------------------
// Statistics and formatting

/** Percentile (nearest rank) of values; `sorted` must be ascending. */
export function percentile(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i]!;
}

export type LatencySummary = { n: number; p50: number; p90: number; p99: number; max: number; mean: number };

export function summarize(values: number[] | Float64Array): LatencySummary {
  const s = Float64Array.from(values).sort();
  let sum = 0;
  for (const v of s) sum += v;
  return { n: s.length, p50: percentile(s, 50), p90: percentile(s, 90), p99: percentile(s, 99), max: s.length ? s[s.length - 1]! : NaN, mean: s.length ? sum / s.length : NaN };
}

export const fmt = (n: number, digits = 0) => (Number.isFinite(n) ? n.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits }) : "—");
export const ms = (n: number) => (Number.isFinite(n) ? (n >= 100 ? `${fmt(n)} ms` : `${fmt(n, n >= 10 ? 1 : 2)} ms`) : "—");

/** Prints rows as an aligned text table. */
export function table(headers: string[], rows: (string | number)[][]): string {
  const cells = [headers, ...rows.map((r) => r.map(String))];
  const widths = headers.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? "").length)));
  const line = (r: string[]) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join("  ");
  return [line(cells[0]!), widths.map((w) => "-".repeat(w)).join("  "), ...cells.slice(1).map(line)].join("\n");
}

/** A one-line machine description for the printed header. */
export function machineNote(): string {
  const cpus = readCpuModel();
  return `node ${process.version}, ${navigatorCores()} cores${cpus ? ` (${cpus})` : ""}`;
}

function navigatorCores(): number {
  try {
    return Number(readFileSync("/proc/cpuinfo", "utf8").match(/^processor\s*:/gm)?.length) || 0;
  } catch {
    return 0;
  }
}

function readCpuModel(): string | undefined {
  try {
    return readFileSync("/proc/cpuinfo", "utf8").match(/^model name\s*:\s*(.+)$/m)?.[1]?.trim();
  } catch {
    return undefined;
  }
}

/** Appends one result for bench/run-all.ts when BENCH_RESULT_FILE is set. */
export function recordResult(result: Record<string, unknown>): void {
  const file = process.env.BENCH_RESULT_FILE;
  if (file) appendFileSync(file, `${JSON.stringify(result)}\n`);
}

/** Seconds from the environment, with a default. */
export function envNumber(name: string, fallback: number): number {
  const v = Number(process.env[name]);
  return Number.isFinite(v) && v > 0 ? v : fallback;
}

// ---------------------------------------------------------------------------------------------
// Profilers

type QueryStat = { n: number; ms: number };

const sqlKeys = new Map<string, string>();

/** Short, stable name for a SQL statement: Prisma's column lists and batched VALUES folded. */
function sqlKey(text: string): string {
  let k = sqlKeys.get(text);
  if (k === undefined) {
    k = makeSqlKey(text);
    if (sqlKeys.size < 10_000) sqlKeys.set(text, k);
  }
  return k;
}

function makeSqlKey(text: string): string {
  let s = text.replace(/\s+/g, " ").replace(/"public"\./g, "").replace(/"/g, "").trim();
  s = s.replace(/VALUES (\(\$\d+(, \$\d+)*\)(, )?)+/g, "VALUES (…)");
  s = s.replace(/^SELECT (.{40,}?) FROM /, "SELECT … FROM ");
  s = s.replace(/ RETURNING .*$/, " RETURNING …");
  return s.length > 110 ? `${s.slice(0, 109)}…` : s;
}

/**
 * Counts and times every statement sent through `pg` in this process (Prisma's adapter and the
 * raw pool both use pg.Client#query). Time is from the call to the result, on the client.
 */
export function installPgProfiler(): { reset(): void; stats(): [string, QueryStat][]; total(): QueryStat } {
  const stats = new Map<string, QueryStat>();
  const proto = pg.Client.prototype as unknown as { query: (...args: unknown[]) => unknown; __benchPatched?: boolean };
  if (!proto.__benchPatched) {
    const orig = proto.query;
    proto.__benchPatched = true;
    proto.query = function (this: unknown, ...args: unknown[]) {
      const first = args[0];
      const text = typeof first === "string" ? first : typeof (first as { text?: unknown })?.text === "string" ? (first as { text: string }).text : undefined;
      if (text === undefined) return orig.apply(this, args);
      const key = sqlKey(text);
      const t = performance.now();
      const done = () => {
        const s = stats.get(key) ?? { n: 0, ms: 0 };
        s.n += 1;
        s.ms += performance.now() - t;
        stats.set(key, s);
      };
      const cbIndex = args.findIndex((a) => typeof a === "function");
      if (cbIndex >= 0) {
        const cb = args[cbIndex] as (...r: unknown[]) => void;
        args[cbIndex] = (...r: unknown[]) => {
          done();
          cb(...r);
        };
        return orig.apply(this, args);
      }
      const r = orig.apply(this, args) as { then?: unknown } | undefined;
      if (r && typeof r.then === "function") {
        return (r as Promise<unknown>).then(
          (x) => {
            done();
            return x;
          },
          (e: unknown) => {
            done();
            throw e;
          },
        );
      }
      return r;
    };
  }
  return {
    reset: () => stats.clear(),
    stats: () => [...stats.entries()].sort((a, b) => b[1].n - a[1].n),
    total: () => [...stats.values()].reduce((a, s) => ({ n: a.n + s.n, ms: a.ms + s.ms }), { n: 0, ms: 0 }),
  };
}

/** Redis INFO commandstats as a map command → calls (commands run inside Lua scripts included). */
export async function redisCommandStats(redisUrl: string): Promise<Map<string, { calls: number; usec: number }>> {
  const r = new Redis(redisUrl, { maxRetriesPerRequest: 1 });
  try {
    const info = await r.info("commandstats");
    const out = new Map<string, { calls: number; usec: number }>();
    for (const m of info.matchAll(/^cmdstat_([^:]+):calls=(\d+),usec=(\d+)/gm)) out.set(m[1]!, { calls: Number(m[2]), usec: Number(m[3]) });
    return out;
  } finally {
    r.disconnect();
  }
}

export function diffRedisStats(
  before: Map<string, { calls: number; usec: number }>,
  after: Map<string, { calls: number; usec: number }>,
): [string, { calls: number; usec: number }][] {
  const out: [string, { calls: number; usec: number }][] = [];
  for (const [k, v] of after) {
    const b = before.get(k) ?? { calls: 0, usec: 0 };
    if (v.calls - b.calls > 0) out.push([k, { calls: v.calls - b.calls, usec: v.usec - b.usec }]);
  }
  return out.sort((a, b) => b[1].calls - a[1].calls);
}

const TICKS = 100; // USER_HZ on Linux

/** CPU seconds used so far by processes grouped by name (this process, its children, postgres, redis). */
export function cpuByProcess(childPids: Record<string, number | undefined> = {}): Record<string, number> {
  const out: Record<string, number> = {};
  const add = (k: string, s: number) => (out[k] = (out[k] ?? 0) + s);
  const named = new Map<number, string>([[process.pid, "naast (node)"]]);
  for (const [name, pid] of Object.entries(childPids)) if (pid) named.set(pid, name);
  let pids: string[] = [];
  try {
    pids = readdirSync("/proc").filter((p) => /^\d+$/.test(p));
  } catch {
    return out;
  }
  for (const p of pids) {
    try {
      const stat = readFileSync(`/proc/${p}/stat`, "utf8");
      const close = stat.lastIndexOf(")");
      const comm = stat.slice(stat.indexOf("(") + 1, close);
      const fields = stat.slice(close + 2).split(" ");
      const secs = (Number(fields[11]) + Number(fields[12])) / TICKS;
      const pid = Number(p);
      if (named.has(pid)) add(named.get(pid)!, secs);
      else if (comm === "postgres") add("postgres", secs);
      else if (comm.startsWith("redis-server")) add("redis", secs);
    } catch {
      // gone meanwhile
    }
  }
  out[MACHINE] = machineCpu().busy;
  return out;
}

const MACHINE = "(machine busy)";

/** Whole-machine CPU time (busy, total) in seconds, from /proc/stat. */
export function machineCpu(): { busy: number; total: number } {
  try {
    const f = readFileSync("/proc/stat", "utf8").split("\n")[0]!.trim().split(/\s+/).slice(1).map(Number);
    const idle = (f[3] ?? 0) + (f[4] ?? 0);
    const total = f.reduce((a, b) => a + b, 0);
    return { busy: (total - idle) / TICKS, total: total / TICKS };
  } catch {
    return { busy: NaN, total: NaN };
  }
}

/**
 * Difference of two cpuByProcess snapshots as "name 1.23" (cores busy) over `seconds`, plus what
 * other processes on the machine used meanwhile (they disturb the figures on a shared machine).
 */
export function cpuShare(before: Record<string, number>, after: Record<string, number>, seconds: number): string {
  const rate = (k: string) => ((after[k] ?? 0) - (before[k] ?? 0)) / seconds;
  const ours = Object.keys(after).filter((k) => k !== MACHINE);
  const parts = ours
    .map((k) => [k, rate(k)] as const)
    .filter(([, c]) => c > 0.005)
    .sort((a, b) => b[1] - a[1])
    .map(([k, c]) => `${k} ${c.toFixed(2)}`);
  const others = rate(MACHINE) - ours.reduce((a, k) => a + rate(k), 0);
  if (Number.isFinite(others)) parts.push(`other processes ${Math.max(0, others).toFixed(2)}`);
  return parts.join(", ");
}

// ---------------------------------------------------------------------------------------------
// CPU profile of this process over a window (BENCH_CPU_PROFILE=1)

type ProfileNode = { id: number; callFrame: { functionName: string; url: string; lineNumber: number } };
type CpuProfile = { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] };

/** True when BENCH_CPU_PROFILE is set: benchmarks then profile their measured window. */
export const PROFILE_CPU = Boolean(process.env.BENCH_CPU_PROFILE);

/**
 * Starts the V8 sampling profiler on this process; `stop` writes the .cpuprofile under
 * bench/.profiles/ (open it in Chrome DevTools) and returns a short text summary by package and function.
 */
export async function startCpuProfile(name: string): Promise<{ stop(): Promise<string> }> {
  const { Session } = await import("node:inspector/promises");
  const session = new Session();
  session.connect();
  await session.post("Profiler.enable");
  await session.post("Profiler.setSamplingInterval", { interval: 500 });
  await session.post("Profiler.start");
  return {
    async stop() {
      const { profile } = (await session.post("Profiler.stop")) as unknown as { profile: CpuProfile };
      session.disconnect();
      const { mkdirSync, writeFileSync } = await import("node:fs");
      const dir = path.join(BENCH_DIR, ".profiles");
      mkdirSync(dir, { recursive: true });
      const file = path.join(dir, `${name}-${Date.now()}.cpuprofile`);
      writeFileSync(file, JSON.stringify(profile));
      return `${summarizeProfile(profile)}\n  (profile written to ${path.relative(process.cwd(), file)})`;
    },
  };
}

/**
 * Self time by package, with Node internals and native code (socket writes, say) charged to the
 * nearest library or source directory up the stack that caused them; plus the top functions.
 */
export function summarizeProfile(p: CpuProfile, topN = 12): string {
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of p.nodes as (ProfileNode & { children?: number[] })[]) for (const c of n.children ?? []) parent.set(c, n.id);
  const self = new Map<number, number>();
  let total = 0;
  p.samples.forEach((id, i) => {
    const d = p.timeDeltas[i] ?? 0;
    self.set(id, (self.get(id) ?? 0) + d);
    total += d;
  });
  const root = `${path.dirname(BENCH_DIR)}/`;
  /** The package of one frame, or undefined for Node internals and native code. */
  const groupOf = (cf: ProfileNode["callFrame"]): string | undefined => {
    const url = cf.url.replace(/^file:\/\//, "").replace(root, "");
    if (url.includes("deps/undici")) return "undici (fetch)";
    const parts = url.split("/");
    const nm = parts.lastIndexOf("node_modules");
    if (nm >= 0) return parts[nm + 1]!.startsWith("@") ? `${parts[nm + 1]}/${parts[nm + 2]}` : parts[nm + 1]!;
    if (url.startsWith("src/") || url.startsWith("bench/") || url.startsWith("test/")) return parts.slice(0, 2).join("/");
    if (url.startsWith("wasm")) return "wasm";
    return undefined;
  };
  const pkg = new Map<string, number>();
  const fn = new Map<string, number>();
  for (const [id, t] of self) {
    const cf = byId.get(id)!.callFrame;
    let group = groupOf(cf);
    if (!group) {
      const special = ["(idle)", "(garbage collector)", "(program)"].find((x) => x === cf.functionName);
      if (special) group = special;
      else {
        // Charge Node internals and native code to whoever called them.
        let cur = parent.get(id);
        while (cur !== undefined && !group) {
          group = groupOf(byId.get(cur)!.callFrame);
          cur = parent.get(cur);
        }
        group ??= "node internals";
      }
    }
    pkg.set(group, (pkg.get(group) ?? 0) + t);
    const f = `${cf.functionName || "(anonymous)"} ${cf.url.split("/").slice(-2).join("/")}:${cf.lineNumber + 1}`;
    fn.set(f, (fn.get(f) ?? 0) + t);
  }
  const top = (m: Map<string, number>, n: number) =>
    [...m]
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(([k, t]) => `    ${((t / total) * 100).toFixed(1).padStart(5)}%  ${k}`)
      .join("\n");
  return `  CPU profile of the Naast process, ${(total / 1e6).toFixed(1)} s sampled; self time by package (Node internals and native calls such as socket writes charged to the package that made them):\n${top(pkg, topN)}\n  top functions:\n${top(fn, 8)}`;
}

/**
 * On a shared machine, waits (up to BENCH_QUIET_WAIT_S seconds, default 0 = not at all) until the
 * machine has been nearly idle for a second, so that other work does not disturb a measurement.
 */
export async function waitForQuiet(what: string): Promise<void> {
  const max = Number(process.env.BENCH_QUIET_WAIT_S) || 0;
  if (max <= 0) return;
  const deadline = performance.now() + max * 1000;
  let waited = false;
  for (;;) {
    const a = machineCpu();
    await new Promise((r) => setTimeout(r, 1000));
    const b = machineCpu();
    const busy = (b.busy - a.busy) / Math.max(0.001, (b.total - a.total) / navigatorCores());
    if (busy < 0.25) break;
    if (performance.now() > deadline) {
      console.log(`  (machine still busy: ${busy.toFixed(2)} cores used by others; measuring ${what} anyway)`);
      return;
    }
    waited = true;
  }
  if (waited) console.log(`  (waited for other work on the machine to finish before measuring ${what})`);
}
