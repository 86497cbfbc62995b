import { spawn } from "node:child_process";
import { once } from "node:events";
import { createServer } from "node:http";
import { mkdtemp, readdir, rm, stat, writeFile } from "node:fs/promises";
import { hostname, tmpdir } from "node:os";
import path from "node:path";
import { create as createTar } from "tar";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { loadConfig } from "../../src/config.js";
import { Cipher } from "../../src/crypto/cipher.js";
import { resolveKeys } from "../../src/crypto/keys.js";
import { Pseudonymizer } from "../../src/crypto/pseudonymizer.js";
import { createLogger } from "../../src/logger.js";
import { createNaast } from "../../src/naast.js";
import { openDatabase } from "../../src/storage/database.js";
import { LOCK_FILE } from "../../src/storage/data-dir-lock.js";

const ROOT = path.resolve(import.meta.dirname, "..", "..");

/** Runs one of the npm CLIs (`src/cli/<name>.ts`) as `npm run` does, with this environment. */
function cli(name: "backup" | "restore", args: string[], env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([k]) => !["DATABASE_URL", "PSEUDONYM_KEY", "ENCRYPTION_KEY", "DATA_DIR"].includes(k)));
  const child = spawn(process.execPath, ["--import", "tsx", `src/cli/${name}.ts`, ...args], {
    cwd: ROOT,
    env: { ...inherited, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout.on("data", (d: Buffer) => (output += d.toString()));
  child.stderr.on("data", (d: Buffer) => (output += d.toString()));
  return new Promise((resolve) => child.on("exit", (code) => resolve({ code, output })));
}

/** The web chat token the resident got: their address, which the restored database must still know. */
let webToken: string;
let work: string;
let source: string;
let file: string;

beforeAll(async () => {
  work = await mkdtemp(path.join(tmpdir(), "naast-backup-test-"));
  source = path.join(work, "data");
  file = path.join(work, "naast.tar");
  // A Naast on the embedded default with its own data folder and generated keys: a resident writes
  // in the web chat, a case is opened for them and an activity is planned.
  const config = loadConfig({ NODE_ENV: "test", DATA_DIR: source, LOG_LEVEL: "silent" });
  const naast = await createNaast(config, createLogger("silent"), { workers: true, polling: false });
  const server = createServer(naast.handler).listen(0, "127.0.0.1");
  await once(server, "listening");
  const address = server.address();
  const url = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`;
  try {
    const session = await fetch(`${url}/chat/api/sessions`, { method: "POST" });
    if (session.status !== 201) throw new Error(`the web chat refused a session: ${session.status}`);
    webToken = z.object({ token: z.string() }).parse(await session.json()).token;
    const res = await fetch(`${url}/chat/api/messages`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${webToken}` },
      body: JSON.stringify({ id: "0b6f1d8e-2c4a-4f7b-9e3d-5a1c8b7e6f20", start: true }),
    });
    if (res.status !== 202) throw new Error(`the web chat answered ${res.status}`);
    for (const deadline = Date.now() + 20_000; (await naast.db.prisma.resident.count()) === 0; ) {
      if (Date.now() > deadline) throw new Error("the resident was not created");
      await new Promise((r) => setTimeout(r, 100));
    }
    const p = naast.db.prisma;
    const resident = await p.resident.findFirstOrThrow();
    const professional = await p.professional.findFirstOrThrow();
    await p.handoff.create({ data: { residentId: resident.id, professionalId: professional.id, topic: "money", language: "nl", mode: "call", phoneEnc: naast.cipher.encrypt("0612345678"), summary: { topic: "money" }, matchReason: "backup test", acceptBy: new Date(Date.now() + 86_400_000) } });
    const org = await p.organisation.create({ data: { name: "Buurthuis Korvel (backup test)", kind: "other" } });
    await p.activity.create({ data: { organisationId: org.id, neighbourhood: "korvel", status: "approved", startsAt: new Date(Date.now() + 86_400_000), place: "Buurthuis", topic: "meeting", audience: "everyone", texts: { create: [{ language: "nl", title: "Koffieochtend", description: "Iedereen welkom" }] } } });
  } finally {
    server.closeAllConnections();
    server.close();
    await naast.close();
  }
}, 120_000);

afterAll(async () => {
  if (work) await rm(work, { recursive: true, force: true });
});

describe("npm run backup / npm run restore (embedded default)", () => {
  it("backs up to one owner-only file and warns that the keys in it are needed and must be kept safe", async () => {
    const r = await cli("backup", ["--out", file], { DATA_DIR: source });
    expect(r.code, r.output).toBe(0);
    expect(r.output).toMatch(/1 residents, 1 cases, 1 activities/);
    expect(r.output).toMatch(/holds keys\.json/);
    expect(r.output).toMatch(/Without these keys a restore is\s+!?\s*useless/);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
  }, 60_000);

  it("restores into a fresh data folder where Naast finds the residents, cases and activities again, readable with the restored keys", async () => {
    const fresh = path.join(work, "restored");
    const r = await cli("restore", [file], { DATA_DIR: fresh });
    expect(r.code, r.output).toBe(0);
    expect(r.output).toMatch(/1 residents, 1 cases, 1 activities: all rows counted and matching/);
    expect((await stat(path.join(fresh, "keys.json"))).mode & 0o777).toBe(0o600);

    const { keys } = await resolveKeys({ dataDir: fresh, pseudonymKey: undefined, encryptionKey: undefined });
    const db = await openDatabase({ databaseUrl: undefined, dataDir: fresh });
    try {
      const resident = await db.prisma.resident.findFirstOrThrow();
      const cipher = new Cipher(keys.encryptionKey);
      expect(cipher.decrypt(resident.addressEnc)).toBe(webToken);
      expect(resident.pseudonym).toBe(new Pseudonymizer(keys.pseudonymKey).pseudonym("web", webToken));
      const handoff = await db.prisma.handoff.findFirstOrThrow({ include: { professional: true } });
      expect(handoff.residentId).toBe(resident.id);
      expect(cipher.decrypt(handoff.phoneEnc!)).toBe("0612345678");
      const activity = await db.prisma.activity.findFirstOrThrow({ include: { texts: true } });
      expect(activity.texts.map((t) => t.title)).toEqual(["Koffieochtend"]);
      expect(await db.prisma.conversation.count()).toBe(1);
    } finally {
      await db.close();
    }
  }, 60_000);

  it("does not overwrite data without --force, and with it moves the old data aside instead of deleting it", async () => {
    const target = path.join(work, "restored");
    const refused = await cli("restore", [file], { DATA_DIR: target });
    expect(refused.code).toBe(1);
    expect(refused.output).toMatch(/already exist.*--force/);
    const forced = await cli("restore", [file, "--force"], { DATA_DIR: target });
    expect(forced.code, forced.output).toBe(0);
    const entries = await readdir(target);
    expect(entries.filter((e) => e.startsWith("pglite.before-restore-"))).toHaveLength(1);
    expect(entries.filter((e) => e.startsWith("keys.before-restore-"))).toHaveLength(1);
  }, 60_000);

  it("refuses while a Naast process has the data folder open, and refuses a file that is not a Naast backup", async () => {
    const sleeper = spawn(process.execPath, ["-e", "setTimeout(() => {}, 60000)"], { stdio: "ignore" });
    try {
      await writeFile(path.join(source, LOCK_FILE), JSON.stringify({ pid: sleeper.pid, host: hostname(), since: new Date().toISOString() }));
      const busy = await cli("backup", ["--out", path.join(work, "busy.tar")], { DATA_DIR: source });
      expect(busy.code).toBe(1);
      expect(busy.output).toMatch(new RegExp(`in use by Naast process ${sleeper.pid}`));
    } finally {
      sleeper.kill();
      await rm(path.join(source, LOCK_FILE), { force: true });
    }

    const evil = path.join(work, "evil");
    await writeFile(path.join(work, "manifest.json"), "{}");
    await createTar({ file: evil, cwd: work, portable: true }, ["manifest.json"]);
    const bad = await cli("restore", [evil], { DATA_DIR: path.join(work, "other") });
    expect(bad.code).toBe(1);
    expect(bad.output).toMatch(/not a Naast backup/);
    const notTar = path.join(work, "not-a-tar");
    await writeFile(notTar, "hello");
    expect((await cli("restore", [notTar], { DATA_DIR: path.join(work, "other") })).output).toMatch(/not a Naast backup/);
  }, 60_000);
});
