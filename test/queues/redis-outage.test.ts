import { afterAll, beforeAll, expect, it } from "vitest";
import type { Recorded } from "../support/fake-platform.js";
import { startHarness, TG_TOKEN, type Harness } from "../support/harness.js";
import { postTelegram, tgText } from "../support/payloads.js";
import { describeWith } from "../support/services.js";
import { TcpProxy } from "../support/tcp-proxy.js";

const tgSent = (chat: number) => (r: Recorded[]) => r.filter((x) => x.path === `/bot${TG_TOKEN}/sendMessage` && Number(x.body.chat_id) === chat);

describeWith("REDIS_URL", "Redis goes away while Naast runs", () => {
  let proxy: TcpProxy;
  let h: Harness;
  beforeAll(async () => {
    const target = new URL(process.env.REDIS_URL!);
    proxy = await new TcpProxy(target.hostname, Number(target.port || 6379)).start();
    const viaProxy = new URL(target);
    viaProxy.host = `127.0.0.1:${proxy.port}`;
    h = await startHarness({ REDIS_URL: viaProxy.toString(), RECOVERY_SWEEP_SECONDS: "2" });
  });
  afterAll(async () => {
    await proxy?.restore().catch(() => undefined);
    await h?.close();
    await proxy?.stop();
  });

  it("answers the webhook as soon as the message is stored, replies while Redis is away (work runs in the process), and sends nothing twice once it is back", { timeout: 60_000 }, async () => {
    const chat = 771;
    expect((await postTelegram(h.url, tgText(9201, chat, "/start", "en"))).status).toBe(200);
    await h.telegram.waitFor((r) => tgSent(chat)(r).length >= 1, 15_000);
    const before = tgSent(chat)(h.telegram.requests).length;

    await proxy.cut();
    const started = Date.now();
    expect((await postTelegram(h.url, tgText(9202, chat, "menu", "en"))).status).toBe(200);
    // Stored is what the platform needs to hear; waking a worker through Redis may wait, the webhook not long.
    expect(Date.now() - started).toBeLessThan(3_500);
    // Redis is still away: the reply comes from this process's own runner (every step is claimed in the database).
    await h.telegram.waitFor((r) => tgSent(chat)(r).length > before, 20_000);
    const during = tgSent(chat)(h.telegram.requests).length;

    await proxy.restore();
    // Jobs that waited for Redis now run in BullMQ too, and find their work done.
    await new Promise((r) => setTimeout(r, 5_000));
    expect(tgSent(chat)(h.telegram.requests).length).toBe(during);
    // And the next message is answered as before (its wake-up and send batch run in this process, Redis or not).
    expect((await postTelegram(h.url, tgText(9203, chat, "menu", "en"))).status).toBe(200);
    await h.telegram.waitFor((r) => tgSent(chat)(r).length > during, 15_000);
  });
});
