import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { CONTROL_FILE, controlFileSchema } from "../../src/http/control-file.js";
import { spawnNaast } from "../support/spawn-naast.js";
import { freePort } from "../support/free-port.js";

const run = promisify(execFile);
const ROOT = path.resolve(import.meta.dirname, "..", "..");

/** One of the npm scripts' entry points, as `npm run` starts it, with this environment. */
async function cli(script: string, args: string[], env: Record<string, string>): Promise<{ code: number; out: string }> {
  try {
    const r = await run(process.execPath, ["--import", "tsx", script, ...args], { cwd: ROOT, env: { ...process.env, DATABASE_URL: "", REDIS_URL: "", ...env }, timeout: 60_000 });
    return { code: 0, out: r.stdout + r.stderr };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === "number" ? e.code : 1, out: `${e.stdout ?? ""}${e.stderr ?? ""}` };
  }
}

async function until(cond: () => boolean, ms: number, output: () => string): Promise<void> {
  const deadline = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out; Naast's output so far:\n${output().slice(-4000)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe("a first run that makes sense (npm start's own process, the embedded database)", () => {
  it("prints a first-admin link; admin:invite and demo work while it runs; the demo's professional is matched; the door is loopback and token only", { timeout: 330_000 }, async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "naast-first-"));
    const port = String(await freePort());
    const env = { PORT: port, DATA_DIR: dir, LOG_LEVEL: "info", TELEGRAM_BOT_TOKEN: "", WHATSAPP_TOKEN: "" };
    const p = spawnNaast({ DATABASE_URL: "", REDIS_URL: "", ...env });
    const base = `http://127.0.0.1:${port}`;
    try {
      // Up to 3 minutes to start: on a 2-core machine shared with a benchmark it took over 90 s (18 s alone).
      await until(() => p.output().includes("Create the first one here"), 180_000, p.output);
      expect(p.output()).toContain("none is linked to a panel account yet");
      const first = /(http:\/\/localhost:\d+\/admin\/invite\/[A-Za-z0-9_-]{43})/.exec(p.output())![1]!;
      expect((await fetch(first.replace("localhost", "127.0.0.1"))).status).toBe(200);
      const control = controlFileSchema.parse(JSON.parse(await readFile(path.join(dir, CONTROL_FILE), "utf8")));
      expect((await stat(path.join(dir, CONTROL_FILE))).mode & 0o777).toBe(0o600);

      // While the server holds the embedded database, the command asks it: the printed link works at once.
      const invited = await cli("src/cli/admin-invite.ts", ["--email", "coordinator@example.org", "--name", "Kim", "--role", "coordinator"], env);
      expect(invited.code, invited.out).toBe(0);
      const link = /(http:\/\/localhost:\d+\/admin\/invite\/[A-Za-z0-9_-]{43})/.exec(invited.out)![1]!;
      const page = await fetch(link.replace("localhost", "127.0.0.1"));
      expect(page.status).toBe(200);
      expect(await page.text()).toContain("coordinator@example.org");
      // A key figure without an organisation is refused by the running server, with the reason.
      const refused = await cli("src/cli/admin-invite.ts", ["--email", "kf@example.org", "--name", "Noor", "--role", "keyfigure"], env);
      expect(refused.code).toBe(1);
      expect(refused.out).toContain("a key figure belongs to an organisation");

      const demo = await cli("src/cli/demo.ts", [], env);
      expect(demo.code, demo.out).toBe(0);
      expect(demo.out).toContain("Demo-wijkteam (DEMO)");
      const password = /professional@naast-demo\.invalid\s+password: (\S+)/.exec(demo.out)![1]!;
      // The demo professional signs in (and is asked to set up a second step first).
      const login = await fetch(`${base}/admin/login`);
      const csrf = /naast_csrf=([^;]+)/.exec(login.headers.get("set-cookie") ?? "")![1]!;
      const signedIn = await fetch(`${base}/admin/login`, {
        method: "POST",
        headers: { cookie: `naast_csrf=${csrf}`, "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ _csrf: decodeURIComponent(csrf), email: "professional@naast-demo.invalid", password }),
        redirect: "manual",
      });
      expect(signedIn.status).toBe(303);

      // A resident on the web chat who asks to talk to someone now meets the demo professional, Sam.
      const session = (await (await fetch(`${base}/chat/api/sessions`, { method: "POST" })).json()) as { token: string };
      const auth = { authorization: `Bearer ${session.token}`, "content-type": "application/json" };
      let cursor = 0;
      const say = async (body: Record<string, unknown>) => {
        await fetch(`${base}/chat/api/messages`, { method: "POST", headers: auth, body: JSON.stringify({ id: crypto.randomUUID(), ...body }) });
        let all = "";
        for (let i = 0; i < 20; i++) {
          const res = (await (await fetch(`${base}/chat/api/messages?after=${cursor}&wait=2`, { headers: auth })).json()) as { messages: { text: string; choices: { payload: string }[] }[]; cursor: number };
          cursor = res.cursor;
          all += res.messages.map((m) => `${m.text}\n${m.choices.map((c) => c.payload).join(" ")}`).join("\n");
          if (res.messages.length > 0) break;
        }
        return all;
      };
      const hello = await say({ start: true });
      await say({ choice: hello.includes("c|onboarding|ask-language|nl") ? "c|onboarding|ask-language|nl" : "c|onboarding|confirm-language|yes" });
      await say({ choice: "c|onboarding|about|korvel" });
      await say({ choice: "c|menu|main|money" });
      expect(await say({ choice: "c|money|start|person" })).toContain("Sam");

      // The door itself: no token, a wrong token, or a request a local proxy forwarded, all get 404.
      const ask = (headers: Record<string, string>) => fetch(`${base}/internal/cli/invite`, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: JSON.stringify({ email: "x@example.org", name: "X" }) });
      expect((await ask({})).status).toBe(404);
      expect((await ask({ authorization: `Bearer ${"0".repeat(64)}` })).status).toBe(404);
      expect((await ask({ authorization: `Bearer ${control.token}`, "x-forwarded-for": "203.0.113.9" })).status).toBe(404);
      expect((await ask({ authorization: `Bearer ${control.token}` })).status).toBe(201);

      p.child.kill("SIGTERM");
      expect(await p.exited).toBe(0);
      // Stopped: the control file is gone, and the command opens the database itself again.
      await expect(stat(path.join(dir, CONTROL_FILE))).rejects.toThrow();
      const offline = await cli("src/cli/admin-invite.ts", ["--email", "later@example.org", "--name", "Later"], env);
      expect(offline.code, offline.out).toBe(0);
    } finally {
      p.child.kill("SIGKILL");
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("refuses the demo in production", { timeout: 60_000 }, async () => {
    const r = await cli("src/cli/demo.ts", [], { NODE_ENV: "production", PSEUDONYM_KEY: "a".repeat(64), ENCRYPTION_KEY: "b".repeat(64), DATABASE_URL: "postgresql://127.0.0.1:9/none" });
    expect(r.code).toBe(1);
    expect(r.out).toContain("refused in production");
  });
});
