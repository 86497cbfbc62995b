import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { Redis } from "ioredis";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildRelease, RELEASE_INPUTS } from "../../scripts/build-release.js";
import { envPairs, execForm, parseDockerfile, splitFlags, type Stage } from "../support/dockerfile.js";
import { FakeWhatsApp } from "../support/fake-platform.js";
import { WA } from "../support/harness.js";
import { probeRunningNaast } from "../support/production-probe.js";

const ROOT = path.resolve(import.meta.dirname, "..", "..");
const stages = parseDockerfile(await readFile(path.join(ROOT, "Dockerfile"), "utf8"));
const runtime = stages.at(-1)!;

function only(stage: Stage, keyword: string) {
  return stage.instructions.filter((i) => i.keyword === keyword);
}

/** The runtime stage's one COPY: from which stage, which folder, to where. */
function runtimeCopy() {
  const copies = runtime.instructions.filter((i) => i.keyword === "COPY" || i.keyword === "ADD");
  expect(copies, "the runtime stage copies exactly one thing").toHaveLength(1);
  const { flags, rest } = splitFlags(copies[0]!.args);
  const [source, dest, ...more] = rest.split(/\s+/);
  expect(more).toEqual([]);
  return { from: flags.from, source: source!, dest: dest! };
}

describe("the Dockerfile", () => {
  it("pins every base image to an exact Node release", () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    for (const stage of stages) expect(stage.from).toMatch(/^node:\d+\.\d+\.\d+-[a-z]+(-slim)?(@sha256:[0-9a-f]{64})?$/);
    expect(new Set(stages.map((s) => s.from)).size, "build and runtime use the same Node").toBe(1);
  });

  it("copies one folder into the runtime image: the one `npm run build:release` makes in the build stage", () => {
    const copy = runtimeCopy();
    const build = stages.find((s) => s.name === copy.from);
    expect(build, `the COPY comes from the build stage (--from=${copy.from})`).toBeDefined();
    expect(only(runtime, "WORKDIR").map((w) => w.args)).toEqual([copy.dest]);
    expect(only(build!, "RUN").some((r) => r.args.includes(`npm run build:release -- --out ${copy.source}`))).toBe(true);
  });

  it("keeps every input of build:release in the build context (.dockerignore)", async () => {
    const ignored = (await readFile(path.join(ROOT, ".dockerignore"), "utf8"))
      .split("\n")
      .map((l) => l.trim().replace(/^\/+|\/+$/g, ""))
      .filter((l) => l !== "" && !l.startsWith("#"));
    for (const input of RELEASE_INPUTS) {
      for (const pattern of ignored) {
        const re = new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, "[^/]*")}(/|$)`);
        expect(re.test(input), `.dockerignore line "${pattern}" hides ${input}`).toBe(false);
      }
    }
  });
});

/** Where this run finds PostgreSQL and Redis; undefined runs the image on the embedded default. */
function services(): { databaseUrl: string; redisUrl: string } | undefined {
  const databaseUrl = process.env.DATABASE_URL;
  const redisUrl = process.env.REDIS_URL;
  if (databaseUrl && redisUrl) return { databaseUrl, redisUrl };
  if (process.env.NAAST_REQUIRE_SERVICES === "1") throw new Error("DATABASE_URL and REDIS_URL are required in this run (NAAST_REQUIRE_SERVICES=1)");
  return undefined;
}

const withServices = services();
const mode = withServices ? "against PostgreSQL and Redis, NODE_ENV=production as in the image" : "on the embedded default (NODE_ENV=development: production requires PostgreSQL)";

describe(`the production output, started as the image starts it, ${mode}`, () => {
  let release = "";
  let whatsapp: FakeWhatsApp;
  let dbName: string | undefined;
  const redisPrefix = `naast-release-${randomBytes(4).toString("hex")}`;

  beforeAll(async () => {
    release = await buildRelease(await mkdtemp(path.join(tmpdir(), "naast-release-")));
    whatsapp = await new FakeWhatsApp().start();
    if (withServices) {
      dbName = `naast_release_${randomBytes(6).toString("hex")}`;
      const admin = new pg.Client({ connectionString: withServices.databaseUrl });
      await admin.connect();
      await admin.query(`CREATE DATABASE ${dbName}`);
      await admin.end();
    }
  }, 300_000);

  afterAll(async () => {
    await whatsapp?.stop();
    if (withServices && dbName) {
      const admin = new pg.Client({ connectionString: withServices.databaseUrl });
      await admin.connect();
      await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
      await admin.end();
      const redis = new Redis(withServices.redisUrl);
      const keys = await redis.keys(`${redisPrefix}:*`);
      if (keys.length > 0) await redis.del(...keys);
      redis.disconnect();
    }
    if (release) await rm(release, { recursive: true, force: true });
  });

  it("holds only what the image copies, starts, passes its own HEALTHCHECK, answers /healthz, /readyz, /chat, the panel's CSS, /metrics and a WhatsApp message, logs JSON, and stops cleanly", async () => {
    const copy = runtimeCopy();
    const inImage = (value: string) => value.replace(new RegExp(`^${copy.dest}(?=/|$)`), release);
    const imageEnv = Object.fromEntries(only(runtime, "ENV").flatMap((e) => Object.entries(envPairs(e.args))).map(([k, v]) => [k, inImage(v)]));
    const [program, ...args] = execForm(only(runtime, "CMD").at(-1)!.args);
    expect(program).toBe("node");

    let dbUrl: string | undefined;
    if (withServices && dbName) {
      const u = new URL(withServices.databaseUrl);
      u.pathname = `/${dbName}`;
      dbUrl = u.toString();
    }
    // A container's environment: the image's ENV and what an operator passes, nothing of this test process.
    const env: Record<string, string> = {
      PATH: process.env.PATH ?? "/usr/bin:/bin",
      HOME: release,
      ...imageEnv,
      PORT: "0",
      WHATSAPP_TOKEN: WA.token,
      WHATSAPP_PHONE_NUMBER_ID: WA.phoneNumberId,
      WHATSAPP_APP_SECRET: WA.appSecret,
      WHATSAPP_VERIFY_TOKEN: WA.verifyToken,
      WHATSAPP_API_BASE_URL: whatsapp.url,
      ...(withServices && dbUrl
        ? { DATABASE_URL: dbUrl, REDIS_URL: withServices.redisUrl, REDIS_PREFIX: redisPrefix, PSEUDONYM_KEY: randomBytes(32).toString("hex"), ENCRYPTION_KEY: randomBytes(32).toString("hex") }
        : { NODE_ENV: "development" }),
    };
    const child = spawn(process.execPath, args, { cwd: release, env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
    try {
      const deadline = Date.now() + 90_000;
      let port: string | undefined;
      while (!(port = /listening on port (\d+)/.exec(stdout)?.[1])) {
        if (Date.now() > deadline || child.exitCode !== null) throw new Error(`did not start:\n${stdout}\n${stderr}`);
        await new Promise((r) => setTimeout(r, 100));
      }
      const url = `http://127.0.0.1:${port}`;
      const report = await probeRunningNaast({ url, whatsapp, ready: withServices ? ["database", "redis"] : ["database"], phone: "31687654321" });
      expect(report.checks).toHaveLength(6);

      const healthcheck = splitFlags(only(runtime, "HEALTHCHECK").at(-1)!.args).rest;
      expect(healthcheck.startsWith("CMD ")).toBe(true);
      const [hcProgram, ...hcArgs] = execForm(healthcheck.slice(4));
      expect(hcProgram).toBe("node");
      const runCheck = (p: string) =>
        new Promise<number | null>((resolve) => spawn(process.execPath, hcArgs, { cwd: release, env: { ...env, PORT: p }, stdio: "ignore" }).on("exit", resolve));
      expect(await runCheck(port), "the image's HEALTHCHECK passes").toBe(0);
      expect(await runCheck("1"), "and fails when nothing answers").toBe(1);

      child.kill("SIGTERM");
      expect(await exited).toBe(0);
      expect(stderr).toBe("");
      const lines = stdout.trim().split("\n");
      for (const line of lines) expect(() => JSON.parse(line), `a log line that is not JSON: ${line}`).not.toThrow();
      expect(lines.at(-1)).toContain('"msg":"stopped"');
    } finally {
      if (child.exitCode === null) child.kill("SIGKILL");
    }
  }, 180_000);
});
