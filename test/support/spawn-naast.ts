import { spawn } from "node:child_process";
import path from "node:path";

const ROOT = path.resolve(import.meta.dirname, "..", "..");

/**
 * Naast as its own process with this environment, so tests can signal or kill it: `src/main.ts` through
 * tsx by default, or exactly as `npm start` runs it (`entry: "npm start"`: scripts/start.mjs transpiles
 * src/ into .start/ and runs it from there).
 */
export function spawnNaast(env: Record<string, string>, entry: "src" | "npm start" = "src") {
  const args = entry === "npm start" ? ["--max-semi-space-size=8", "--expose-gc", "scripts/start.mjs"] : ["--import", "tsx", "src/main.ts"];
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  child.stdout.on("data", (d: Buffer) => (out += d.toString()));
  child.stderr.on("data", (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return { child, output: () => out, exited };
}
