import { mkdtemp, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { freePort } from "../support/free-port.js";
import { spawnNaast } from "../support/spawn-naast.js";

/** Starts Naast as `npm start` does (from its transpiled .start/ folder) on a free port with its own data folder. */
function start(env: Record<string, string>) {
  return spawnNaast({ DATABASE_URL: "", REDIS_URL: "", TELEGRAM_BOT_TOKEN: "", WHATSAPP_TOKEN: "", ...env }, "npm start");
}

async function until(cond: () => boolean, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe("the process", () => {
  it("starts on the embedded default, says where to chat, serves the chat page there, answers health checks, and stops cleanly on SIGTERM", { timeout: 90_000 }, async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "naast-"));
    const port = String(await freePort());
    const p = start({ PORT: port, DATA_DIR: dir, LOG_LEVEL: "info" });
    try {
      await until(() => p.output().includes("Chat with it at"), 60_000);
      expect(p.output()).toContain(`http://localhost:${port}/chat`);
      expect(p.output()).toMatch(/telegram: off/);
      expect(p.output()).toMatch(/whatsapp: off/);
      const keys = await stat(path.join(dir, "keys.json"));
      expect(keys.mode & 0o777).toBe(0o600);
      expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
      // The page the start-up line points to, and its assets (npm start runs from the .start/ folder).
      const page = await fetch(`http://127.0.0.1:${port}/chat`);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain("/chat/assets/chat.js");
      expect((await fetch(`http://127.0.0.1:${port}/chat/assets/chat.js`)).status).toBe(200);
      const ready = await fetch(`http://127.0.0.1:${port}/readyz`);
      expect(ready.status).toBe(200);
      expect(await ready.json()).toMatchObject({ status: "ready", checks: { database: "ok" } });
      p.child.kill("SIGTERM");
      expect(await p.exited).toBe(0);
      expect(p.output()).toContain("stopped");
    } finally {
      p.child.kill("SIGKILL");
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("refuses to start with a clear message when configuration is wrong", { timeout: 30_000 }, async () => {
    const p = start({ PORT: "not-a-port", NODE_ENV: "production" });
    expect(await p.exited).toBe(78);
    expect(p.output()).toMatch(/PORT/);
    expect(p.output()).toMatch(/PSEUDONYM_KEY: required in production/);
  });
});
