import { afterAll, describe, expect, it } from "vitest";
import { startHarness, TG_TOKEN, type Harness } from "../support/harness.js";
import { FakeTelegram } from "../support/fake-platform.js";
import { tgText } from "../support/payloads.js";

let h: Harness | undefined;
let telegram: FakeTelegram | undefined;
afterAll(async () => {
  await h?.close();
  await telegram?.stop();
});

describe("Telegram without a webhook secret", () => {
  it("long-polls getUpdates at TELEGRAM_API_ROOT and answers, with no webhook route", async () => {
    telegram = await new FakeTelegram().start();
    telegram.pendingUpdates.push(tgText(7001, 8801, "/start", "en"));
    h = await startHarness({ TELEGRAM_WEBHOOK_SECRET: "" }, { telegram, polling: true });
    const fake = telegram;
    await fake.waitFor((r) => r.some((x) => x.path === `/bot${TG_TOKEN}/sendMessage` && Number(x.body.chat_id) === 8801), 15_000);
    expect(fake.calls("deleteWebhook").length).toBeGreaterThanOrEqual(1);
    expect(fake.calls("getUpdates").length).toBeGreaterThanOrEqual(1);
    const reply = fake.calls("sendMessage").find((x) => Number(x.body.chat_id) === 8801)!;
    expect(reply.body.text).toContain("I'll write in English");
    expect((await fetch(`${h.url}/webhooks/telegram`, { method: "POST", body: "{}" })).status).toBe(404);
    // The next poll asks for updates after the one it handled.
    await fake.waitFor((r) => r.some((x) => x.path.endsWith("/getUpdates") && Number(x.body.offset) === 7002), 15_000);
  });
});
