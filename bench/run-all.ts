/**
 * Runs the three benchmarks one after another, each in its own process, then prints a summary.
 * Letters pick some of them (a = webhook ingest, b = end to end, c = engine steps); every other
 * argument is passed on to each benchmark run (bench (b) reads `--steady` and `--seconds`).
 *
 *   npm run bench
 *   DATABASE_URL=postgresql://... REDIS_URL=redis://... npm run bench
 *   npm run bench -- b --steady 50,200,500 --seconds 30
 */
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { BENCH_DIR, fmt, machineNote, ms, SHIP_LOADER, table } from "./support.js";

const BENCHES = ["engine-steps.ts", "webhook-ingest.ts", "end-to-end.ts"];
const LETTERS: Record<string, string> = { a: "webhook-ingest.ts", b: "end-to-end.ts", c: "engine-steps.ts" };
const args = process.argv.slice(2);
const picked = args.filter((a) => a in LETTERS).map((a) => LETTERS[a]!);
const passOn = args.filter((a) => !(a in LETTERS));

type Result = Record<string, unknown> & { bench: string; setup: string };

function runOne(file: string, resultFile: string): Promise<{ code: number; seconds: number }> {
  return new Promise((resolve) => {
    const t0 = performance.now();
    // On the code as it ships (no tsx `keepNames` wrappers): see ship-loader.mjs.
    const child = spawn(process.execPath, ["--import", SHIP_LOADER, path.join(BENCH_DIR, file), ...passOn], {
      cwd: path.dirname(BENCH_DIR),
      env: { ...process.env, BENCH_RESULT_FILE: resultFile },
      stdio: "inherit",
    });
    child.on("exit", (code) => resolve({ code: code ?? 1, seconds: (performance.now() - t0) / 1000 }));
  });
}

async function main(): Promise<void> {
  const dir = mkdtempSync(path.join(os.tmpdir(), "naast-bench-"));
  const resultFile = path.join(dir, "results.jsonl");
  const load0 = os.loadavg()[0]!;
  const runs: { file: string; code: number; seconds: number }[] = [];
  try {
    for (const file of BENCHES.filter((f) => picked.length === 0 || picked.includes(f))) {
      console.log(`\n${"=".repeat(100)}\n> bench/${file}\n${"=".repeat(100)}`);
      runs.push({ file, ...(await runOne(file, resultFile)) });
    }
    let results: Result[] = [];
    try {
      results = readFileSync(resultFile, "utf8")
        .split("\n")
        .filter(Boolean)
        .map((l) => JSON.parse(l) as Result);
    } catch {
      // no results written
    }
    const num = (r: Result, k: string) => Number(r[k]);
    console.log(`\n${"=".repeat(100)}\n# Summary — ${machineNote()}; load average ${load0.toFixed(2)} at start, ${os.loadavg()[0]!.toFixed(2)} at end`);
    const rows: string[][] = [];
    for (const r of results) {
      if (r.bench === "engine-steps") rows.push(["(c) engine steps", r.setup, `${fmt(num(r, "stepsPerSecond"))} steps/s`, `${num(r, "usPerStep").toFixed(1)} µs/step`, ""]);
      if (r.bench === "webhook-ingest")
        rows.push(["(a) webhook ingest", r.setup, `${fmt(num(r, "rps"))} req/s`, `${num(r, "ratio").toFixed(2)} × bare (${fmt(num(r, "bareRps"))} req/s)`, `p50 ${ms(num(r, "p50"))}, p99 ${ms(num(r, "p99"))}`]);
      if (r.bench === "end-to-end")
        rows.push([
          "(b) end to end",
          r.setup,
          `${fmt(num(r, "messagesPerSecond"))} messages/s`,
          `${fmt(num(r, "answered"))}/${fmt(num(r, "expected"))} answered${r.ratio === undefined ? "" : `, ${num(r, "ratio").toFixed(2)} × reference (${fmt(num(r, "referenceMessagesPerSecond"))} messages/s)`}`,
          `POST→reply p50 ${ms(num(r, "p50"))}, p99 ${ms(num(r, "p99"))}`,
        ]);
      if (r.bench === "end-to-end-steady")
        rows.push([
          `(b) steady ${String(r.pipeline)}`,
          r.setup,
          `${fmt(num(r, "rate"))} messages/s`,
          r.keptUp ? "kept up" : "not kept up",
          `arrival→reply p50 ${ms(num(r, "p50"))}, p99 ${num(r, "unanswered") > 0 ? "≥ " : ""}${ms(num(r, "p99"))}`,
        ]);
    }
    console.log(table(["benchmark", "setup", "throughput", "", "latency"], rows));
    for (const r of runs) if (r.code !== 0) console.log(`! bench/${r.file} exited with ${r.code}`);
    console.log(`(run times: ${runs.map((r) => `${r.file} ${r.seconds.toFixed(0)} s`).join(", ")})`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  process.exit(runs.every((r) => r.code === 0) ? 0 : 1);
}

await main();
