/**
 * (d) Memory: resident set size (RSS) of the Naast process right after start and after 10,000
 * residents have written, started exactly as people start it:
 *
 *   - embedded default: `npm start`'s command (read from package.json), on a new DATA_DIR (the first
 *     start, when the database is created), then again on the same DATA_DIR once 10,000 residents
 *     are in it;
 *   - PostgreSQL (+ Redis when REDIS_URL is set): the image's command (read from the Dockerfile) in
 *     the production build (`npm run build:release`, as the image holds it), NODE_ENV=production;
 *     and `npm start`'s command against the same database, for comparison.
 *
 * Each resident is a new WhatsApp number writing "Hallo" through the signed webhook (32 at a time);
 * the run waits until the fake Graph API has received a reply for every one of them. RSS is read
 * from /proc/<pid>/status (VmRSS, and VmHWM for the peak) 5 s after the process said it listens,
 * 5 s after the last reply, and a minute after that, when V8 has had time to give memory back. `npm start` itself adds an npm process of ~50 MB around Naast; it is not
 * counted here (run `node --max-semi-space-size=8 scripts/start.mjs` directly to spare it).
 *
 *   npx tsx bench/memory.ts
 *   DATABASE_URL=postgresql://... REDIS_URL=redis://... npx tsx bench/memory.ts
 *
 * Knobs: BENCH_RESIDENTS (10000), BENCH_CONCURRENCY (32), BENCH_SETUPS, LOW_MEMORY (passed on).
 */
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { z } from "zod";
import { buildRelease } from "../scripts/build-release.js";
import { signWhatsAppBody } from "../src/channels/whatsapp/whatsapp-signature.js";
import { execForm, parseDockerfile } from "../test/support/dockerfile.js";
import { FakeWhatsApp } from "../test/support/fake-platform.js";
import { waText } from "../test/support/payloads.js";
import { benchSetups, clearRedisPrefix, envNumber, fmt, machineNote, recordResult, table, WA, type Setup } from "./support.js";

const ROOT = path.resolve(import.meta.dirname, "..");
const RESIDENTS = envNumber("BENCH_RESIDENTS", 10_000);
const CONCURRENCY = envNumber("BENCH_CONCURRENCY", 32);
/** The issue's targets for RSS after start (MB). */
const TARGET_MB = { embedded: 250, postgres: 150 };

/** `npm start`'s command line, from package.json, without the leading `node`. */
async function npmStartArgs(): Promise<string[]> {
  const pkg = z.object({ scripts: z.object({ start: z.string() }) }).parse(JSON.parse(await readFile(path.join(ROOT, "package.json"), "utf8")));
  const [program, ...args] = pkg.scripts.start.split(/\s+/);
  if (program !== "node") throw new Error(`npm start runs ${program}, not node: measure it another way`);
  return args;
}

/** The image's CMD, from the Dockerfile, without the leading `node`. */
async function imageArgs(): Promise<string[]> {
  const stages = parseDockerfile(await readFile(path.join(ROOT, "Dockerfile"), "utf8"));
  const cmd = stages.at(-1)!.instructions.filter((i) => i.keyword === "CMD").at(-1)!;
  const [program, ...args] = execForm(cmd.args);
  if (program !== "node") throw new Error(`the image runs ${program}, not node`);
  return args;
}

type Memory = { rssMb: number; peakMb: number };

/** VmRSS and VmHWM of a process, in MB (Linux). */
function memoryOf(pid: number): Memory {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(status)?.[1] ?? NaN);
  return { rssMb: kb("VmRSS") / 1024, peakMb: kb("VmHWM") / 1024 };
}

type Running = { child: ChildProcess; url: string; startSeconds: number; stop(): Promise<void>; output(): string };

/** Starts Naast as its own process and waits until it listens (its port is read from its log). */
async function startNaast(args: string[], cwd: string, env: Record<string, string>): Promise<Running> {
  const t0 = performance.now();
  const child = spawn(process.execPath, args, { cwd, env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? cwd, ...env, PORT: "0", LOG_FORMAT: "json" }, stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  child.stdout!.on("data", (d: Buffer) => (out = (out + d.toString()).slice(-20_000)));
  child.stderr!.on("data", (d: Buffer) => (out = (out + d.toString()).slice(-20_000)));
  const exited = new Promise<number | null>((resolve) => child.on("exit", resolve));
  let port: string | undefined;
  for (const deadline = Date.now() + 180_000; !(port = /listening on port (\d+)/.exec(out)?.[1]); ) {
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(`Naast did not start:\n${out}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    child,
    url: `http://127.0.0.1:${port}`,
    startSeconds: (performance.now() - t0) / 1000,
    output: () => out,
    async stop() {
      child.kill("SIGTERM");
      const code = await exited;
      if (code !== 0) throw new Error(`Naast exited with ${code} on SIGTERM:\n${out}`);
    },
  };
}

const settle = () => new Promise((r) => setTimeout(r, 5_000));
/** V8 gives memory back once allocation has been quiet for a while (its memory reducer). */
const idle = () => new Promise((r) => setTimeout(r, 55_000));

/** RESIDENTS new WhatsApp numbers each write once; resolves when every one has had a reply. */
/** Writes as residents; when that fails, the error carries the process's last output (did it exit, and why). */
async function writeAsResidents(naast: Running, whatsapp: FakeWhatsApp, runId: string): Promise<number> {
  try {
    return await writeEach(naast.url, whatsapp, runId);
  } catch (err) {
    throw new Error(`writing as residents failed (Naast ${naast.child.exitCode === null ? "still runs" : `exited with ${naast.child.exitCode}`}): ${String(err)}\n${naast.output().slice(-4000)}`, { cause: err });
  }
}

async function writeEach(url: string, whatsapp: FakeWhatsApp, runId: string): Promise<number> {
  const t0 = performance.now();
  const phone = (i: number) => `31${runId}${String(i).padStart(6, "0")}`;
  let next = 0;
  const agents = Array.from({ length: CONCURRENCY }, async () => {
    while (next < RESIDENTS) {
      const i = next++;
      const raw = JSON.stringify(waText(phone(i), `wamid.mem-${runId}-${i}`, "Hallo"));
      const res = await fetch(`${url}/webhooks/whatsapp`, { method: "POST", headers: { "content-type": "application/json", "x-hub-signature-256": signWhatsAppBody(raw, WA.appSecret) }, body: raw });
      if (res.status !== 200) throw new Error(`webhook answered ${res.status}`);
    }
  });
  await Promise.all(agents);
  const prefix = `31${runId}`;
  const answered = () => new Set(whatsapp.messages().map((m) => String(m.body.to)).filter((to) => to.startsWith(prefix))).size;
  for (const deadline = Date.now() + 30 * 60_000; answered() < RESIDENTS; ) {
    if (Date.now() > deadline) throw new Error(`only ${answered()} of ${RESIDENTS} residents answered within 30 minutes`);
    await new Promise((r) => setTimeout(r, 500));
  }
  return (performance.now() - t0) / 1000;
}

type Row = { setup: string; command: string; when: string; mem: Memory; target?: number; note?: string };

function waEnv(whatsapp: FakeWhatsApp): Record<string, string> {
  return {
    WHATSAPP_TOKEN: WA.token,
    WHATSAPP_PHONE_NUMBER_ID: WA.phoneNumberId,
    WHATSAPP_APP_SECRET: WA.appSecret,
    WHATSAPP_VERIFY_TOKEN: WA.verifyToken,
    WHATSAPP_API_BASE_URL: whatsapp.url,
    WHATSAPP_RATE_PER_SECOND: "1000",
    ...(process.env.LOW_MEMORY ? { LOW_MEMORY: process.env.LOW_MEMORY } : {}),
  };
}

async function embedded(rows: Row[]): Promise<void> {
  const args = await npmStartArgs();
  const command = `node ${args.join(" ")} (npm start)`;
  const dataDir = await mkdtemp(path.join(tmpdir(), "naast-bench-memory-"));
  const whatsapp = await new FakeWhatsApp().start();
  try {
    const env = { DATA_DIR: dataDir, ...waEnv(whatsapp) };
    const first = await startNaast(args, ROOT, env);
    await settle();
    rows.push({ setup: "embedded", command, when: `after start, new DATA_DIR (${first.startSeconds.toFixed(1)} s)`, mem: memoryOf(first.child.pid!), target: TARGET_MB.embedded });
    const seconds = await writeAsResidents(first, whatsapp, "1");
    await settle();
    rows.push({ setup: "embedded", command, when: `after ${fmt(RESIDENTS)} residents (${seconds.toFixed(0)} s)`, mem: memoryOf(first.child.pid!) });
    await idle();
    rows.push({ setup: "embedded", command, when: "… and a minute later, idle", mem: memoryOf(first.child.pid!) });
    await first.stop();
    const again = await startNaast(args, ROOT, env);
    await settle();
    rows.push({ setup: "embedded", command, when: `after start, ${fmt(RESIDENTS)} residents in DATA_DIR (${again.startSeconds.toFixed(1)} s)`, mem: memoryOf(again.child.pid!), target: TARGET_MB.embedded });
    await again.stop();
  } finally {
    await whatsapp.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

async function postgres(setup: Setup, rows: Row[]): Promise<void> {
  const databaseUrl = setup.databaseUrl!;
  const name = `naast_bench_${randomBytes(6).toString("hex")}`;
  const admin = new pg.Client({ connectionString: databaseUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(databaseUrl);
  url.pathname = `/${name}`;
  const prefix = `naast-bench-mem-${randomBytes(4).toString("hex")}`;
  const release = await mkdtemp(path.join(tmpdir(), "naast-bench-release-"));
  const whatsapp = await new FakeWhatsApp().start();
  try {
    console.log("building the production output (npm run build:release) …");
    await buildRelease(release);
    const env = {
      NODE_ENV: "production",
      DATABASE_URL: url.toString(),
      ...(setup.redisUrl ? { REDIS_URL: setup.redisUrl, REDIS_PREFIX: prefix } : {}),
      PSEUDONYM_KEY: randomBytes(32).toString("hex"),
      ENCRYPTION_KEY: randomBytes(32).toString("hex"),
      ...waEnv(whatsapp),
    };
    const image = await imageArgs();
    const imageCommand = `node ${image.join(" ")} (the image)`;
    const naast = await startNaast(image, release, env);
    await settle();
    rows.push({ setup: setup.name, command: imageCommand, when: `after start (${naast.startSeconds.toFixed(1)} s)`, mem: memoryOf(naast.child.pid!), target: TARGET_MB.postgres });
    const seconds = await writeAsResidents(naast, whatsapp, "2");
    await settle();
    rows.push({ setup: setup.name, command: imageCommand, when: `after ${fmt(RESIDENTS)} residents (${seconds.toFixed(0)} s)`, mem: memoryOf(naast.child.pid!) });
    await idle();
    rows.push({ setup: setup.name, command: imageCommand, when: "… and a minute later, idle", mem: memoryOf(naast.child.pid!) });
    await naast.stop();

    const args = await npmStartArgs();
    const dev = await startNaast(args, ROOT, { ...env, NODE_ENV: "development" });
    await settle();
    rows.push({ setup: setup.name, command: `node ${args.join(" ")} (npm start)`, when: `after start, ${fmt(RESIDENTS)} residents in the database`, mem: memoryOf(dev.child.pid!), target: TARGET_MB.postgres });
    await dev.stop();
  } finally {
    await whatsapp.stop();
    await rm(release, { recursive: true, force: true });
    if (setup.redisUrl) await clearRedisPrefix(setup.redisUrl, prefix);
    const a = new pg.Client({ connectionString: databaseUrl });
    await a.connect();
    await a.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await a.end();
  }
}

async function main(): Promise<void> {
  if (!existsSync("/proc/self/status")) throw new Error("bench/memory.ts reads /proc/<pid>/status: run it on Linux");
  console.log(`# Memory (RSS) of the Naast process — ${machineNote()}; LOW_MEMORY=${process.env.LOW_MEMORY ?? "auto (default)"}`);
  const rows: Row[] = [];
  for (const setup of benchSetups()) {
    console.log(`\n## ${setup.databaseUrl ? setup.label : "embedded default (PGlite in a new DATA_DIR, in-process queue)"}`);
    if (setup.databaseUrl) await postgres(setup, rows);
    else await embedded(rows);
  }
  console.log(
    "\n" +
      table(
        ["setup", "command", "when", "RSS", "peak (VmHWM)", "target"],
        rows.map((r) => [r.setup, r.command, r.when, `${fmt(r.mem.rssMb)} MB`, `${fmt(r.mem.peakMb)} MB`, r.target ? `≤ ${r.target} MB ${r.mem.rssMb <= r.target ? "✓" : "✗ over"}` : ""]),
      ),
  );
  for (const r of rows) recordResult({ bench: "memory", setup: r.setup, command: r.command, when: r.when, rssMb: r.mem.rssMb, peakMb: r.mem.peakMb, targetMb: r.target ?? null });
}

await main();
