/**
 * `npm run image:check`: builds the real image from the Dockerfile and runs it against PostgreSQL and
 * Redis containers, then checks it as the production-output test checks the build (health, readiness,
 * the web chat and its assets, the panel's CSS, /metrics, one WhatsApp round trip with the fake Graph
 * API), and that the container's own HEALTHCHECK turns healthy, that it runs as a user other than
 * root, and that it stops cleanly on SIGTERM.
 *
 * Needs docker or podman with a running engine, on Linux (the containers share the host's network, so
 * the fake Graph API on 127.0.0.1 is reachable from the image). Without an engine it says so and exits
 * 0, unless IMAGE_CHECK_REQUIRED=1 (then 1). KEEP_IMAGE=1 keeps the image it built.
 */
import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import path from "node:path";
import { promisify } from "node:util";
import { FakeWhatsApp } from "../test/support/fake-platform.js";
import { WA } from "../test/support/harness.js";
import { probeRunningNaast } from "../test/support/production-probe.js";

const ROOT = path.resolve(import.meta.dirname, "..");
const exec = promisify(execFile);
const POSTGRES_IMAGE = "postgres:15.14-alpine";
const REDIS_IMAGE = "redis:7.4.5-alpine";

async function engine(): Promise<string | undefined> {
  for (const cli of ["docker", "podman"]) {
    try {
      await exec(cli, ["info"], { timeout: 20_000 });
      return cli;
    } catch {
      // not installed, or no engine behind the client
    }
  }
  return undefined;
}

function step(message: string): void {
  console.log(`image:check: ${message}`);
}

async function until<T>(what: string, ms: number, probe: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await probe().catch(() => undefined);
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${ms / 1000} s`);
    await new Promise((r) => setTimeout(r, 1_000));
  }
}

async function main(): Promise<number> {
  const cli = await engine();
  if (!cli) {
    const required = process.env.IMAGE_CHECK_REQUIRED === "1";
    console.log(`image:check: ${required ? "FAILED" : "skipped"}: no container engine (docker or podman with a running daemon) on this machine`);
    return required ? 1 : 0;
  }
  const run = (args: string[], timeout = 120_000) => exec(cli, args, { cwd: ROOT, timeout, maxBuffer: 64 * 1024 * 1024 });
  const id = randomBytes(4).toString("hex");
  const tag = `naast:check-${id}`;
  const names = { postgres: `naast-check-pg-${id}`, redis: `naast-check-redis-${id}`, naast: `naast-check-${id}` };
  const ports = { postgres: 20000 + Math.floor(Math.random() * 10000), redis: 30000 + Math.floor(Math.random() * 10000), naast: 40000 + Math.floor(Math.random() * 10000) };
  const whatsapp = await new FakeWhatsApp().start();
  const started = Date.now();
  try {
    step(`building ${tag} with ${cli} (the Dockerfile as it is)`);
    await run(["build", "-t", tag, "."], 1_800_000);
    step(`built in ${((Date.now() - started) / 1000).toFixed(0)} s; starting ${POSTGRES_IMAGE} and ${REDIS_IMAGE}`);
    await run(["run", "-d", "--rm", "--name", names.postgres, "--network", "host", "-e", "POSTGRES_USER=naast", "-e", "POSTGRES_PASSWORD=check", "-e", "POSTGRES_DB=naast", POSTGRES_IMAGE, "-p", String(ports.postgres), "-c", "listen_addresses=127.0.0.1"], 600_000);
    await run(["run", "-d", "--rm", "--name", names.redis, "--network", "host", REDIS_IMAGE, "redis-server", "--port", String(ports.redis), "--bind", "127.0.0.1", "--save", "", "--maxmemory-policy", "noeviction"], 600_000);
    await until("PostgreSQL ready", 60_000, async () => ((await run(["exec", names.postgres, "pg_isready", "-h", "127.0.0.1", "-p", String(ports.postgres), "-U", "naast"])).stdout.includes("accepting") ? true : undefined));
    await until("Redis ready", 30_000, async () => ((await run(["exec", names.redis, "redis-cli", "-p", String(ports.redis), "ping"])).stdout.includes("PONG") ? true : undefined));

    const token = randomBytes(24).toString("hex");
    const env = {
      PORT: String(ports.naast),
      DATABASE_URL: `postgresql://naast:check@127.0.0.1:${ports.postgres}/naast`,
      REDIS_URL: `redis://127.0.0.1:${ports.redis}`,
      PSEUDONYM_KEY: randomBytes(32).toString("hex"),
      ENCRYPTION_KEY: randomBytes(32).toString("hex"),
      METRICS_TOKEN: token,
      WHATSAPP_TOKEN: WA.token,
      WHATSAPP_PHONE_NUMBER_ID: WA.phoneNumberId,
      WHATSAPP_APP_SECRET: WA.appSecret,
      WHATSAPP_VERIFY_TOKEN: WA.verifyToken,
      WHATSAPP_API_BASE_URL: whatsapp.url,
    };
    step("starting the image (NODE_ENV=production from the image, its own CMD)");
    await run(["run", "-d", "--name", names.naast, "--network", "host", ...Object.entries(env).flatMap(([k, v]) => ["-e", `${k}=${v}`]), tag]);
    const url = `http://127.0.0.1:${ports.naast}`;
    // /healthz answers 200 "starting" within a second of start; the probe needs Naast started ("ok").
    await until("Naast started (/healthz ok)", 90_000, async () => {
      const res = await fetch(`${url}/healthz`);
      return res.ok && JSON.stringify(await res.json()) === JSON.stringify({ status: "ok" }) ? true : undefined;
    });

    const report = await probeRunningNaast({ url, whatsapp, ready: ["database", "redis"], phone: "31699990000", metricsHeaders: { authorization: `Bearer ${token}` } });
    for (const check of report.checks) step(`ok: ${check}`);

    const uid = (await run(["exec", names.naast, "id", "-u"])).stdout.trim();
    if (uid === "0") throw new Error("the image runs as root");
    step(`ok: runs as uid ${uid}`);
    const health = await until("the image's HEALTHCHECK reporting healthy", 120_000, async () => {
      const status = (await run(["inspect", "--format", "{{.State.Health.Status}}", names.naast])).stdout.trim();
      return status === "healthy" ? status : undefined;
    });
    step(`ok: HEALTHCHECK ${health}`);

    await run(["stop", "-t", "30", names.naast], 60_000);
    const exitCode = (await run(["inspect", "--format", "{{.State.ExitCode}}", names.naast])).stdout.trim();
    if (exitCode !== "0") throw new Error(`the image stopped with exit code ${exitCode} on SIGTERM`);
    step("ok: stopped cleanly on SIGTERM (exit code 0)");
    step(`passed in ${((Date.now() - started) / 1000).toFixed(0)} s`);
    return 0;
  } catch (err) {
    console.error(`image:check: FAILED: ${err instanceof Error ? err.message : String(err)}`);
    const logs = await run(["logs", "--tail", "50", names.naast]).catch(() => undefined);
    if (logs) console.error(`--- last lines of the Naast container ---\n${logs.stdout}${logs.stderr}`);
    return 1;
  } finally {
    await whatsapp.stop();
    for (const name of Object.values(names)) await run(["rm", "-f", name]).catch(() => undefined);
    if (process.env.KEEP_IMAGE !== "1") await run(["rmi", "-f", tag]).catch(() => undefined);
  }
}

process.exit(await main());
