/**
 * Runs the three benchmarks one after another, each in its own process, then prints a summary.
 *
 *   npm run bench
 *   DATABASE_URL=postgresql://... REDIS_URL=redis://... npm run bench
 */
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { BENCH_DIR, fmt, machineNote, ms, table } from "./support.js";

const BENCHES = ["engine-steps.ts", "webhook-ingest.ts", "end-to-end.ts"];

type Result = Record<string, unknown> & { bench: string; setup: string };

function runOne(file: string, resultFile: string): Promise<{ code: number; seconds: number }> {
  return new Promise((resolve) => {
    const t0 = performance.now();
    const child = spawn("npx", ["tsx", path.join(BENCH_DIR, file)], {
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
    for (const file of BENCHES) {
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
          `${fmt(num(r, "answered"))}/${fmt(num(r, "expected"))} answered`,
          `POST→reply p50 ${ms(num(r, "p50"))}, p99 ${ms(num(r, "p99"))}`,
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
