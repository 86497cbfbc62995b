import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { freePort } from "../support/free-port.js";
import { spawnNaast } from "../support/spawn-naast.js";

async function until(cond: () => boolean, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe("graceful shutdown", () => {
  it("SIGTERM answers open long polls at once and the process exits, instead of waiting out 25-second polls", { timeout: 200_000 }, async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "naast-"));
    const port = String(await freePort());
    const p = spawnNaast({ DATABASE_URL: "", REDIS_URL: "", TELEGRAM_BOT_TOKEN: "", WHATSAPP_TOKEN: "", PORT: port, DATA_DIR: dir, LOG_LEVEL: "info" });
    try {
      await until(() => p.output().includes("Chat with it at"), 150_000);
      const base = `http://127.0.0.1:${port}`;
      const tokens = await Promise.all([1, 2, 3].map(async () => ((await (await fetch(`${base}/chat/api/sessions`, { method: "POST" })).json()) as { token: string }).token));
      const polls = tokens.map((t) => fetch(`${base}/chat/api/messages?after=0&wait=25`, { headers: { authorization: `Bearer ${t}` } }).then(async (r) => ({ status: r.status, body: (await r.json()) as { messages: unknown[] } })));
      await new Promise((r) => setTimeout(r, 500));
      const t0 = Date.now();
      p.child.kill("SIGTERM");
      const answered = await Promise.all(polls);
      const took = Date.now() - t0;
      console.log(`shutdown: 3 long polls answered ${took} ms after SIGTERM`);
      expect(answered.map((a) => a.status)).toEqual([200, 200, 200]);
      expect(took).toBeLessThan(5_000);
      expect(await p.exited).toBe(0);
      expect(Date.now() - t0).toBeLessThan(10_000);
    } finally {
      p.child.kill("SIGKILL");
      await rm(dir, { recursive: true, force: true });
    }
  });
});
