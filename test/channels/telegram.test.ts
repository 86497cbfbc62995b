import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startHarness, TG_TOKEN, type Harness } from "../support/harness.js";
import { botApiError, type Recorded } from "../support/fake-platform.js";
import { postTelegram, tgTap, tgText } from "../support/payloads.js";

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.close();
});

const sentTo = (chat: number) => (r: Recorded[]) => r.filter((x) => x.path === `/bot${TG_TOKEN}/sendMessage` && Number(x.body.chat_id) === chat);
type Keyboard = { inline_keyboard: { text: string; callback_data: string }[][] };

describe("Telegram webhook", () => {
  it("refuses a missing or wrong secret token with 401 and stores nothing", async () => {
    expect((await postTelegram(h.url, tgText(1, 500, "hallo"), null)).status).toBe(401);
    expect((await postTelegram(h.url, tgText(1, 500, "hallo"), "wrong")).status).toBe(401);
    expect(await h.db.prisma.inboundMessage.count({ where: { channel: "telegram" } })).toBe(0);
  });

  it("answers a broken body with 400", async () => {
    const res = await fetch(`${h.url}/webhooks/telegram`, { method: "POST", headers: { "content-type": "application/json", "x-telegram-bot-api-secret-token": "tg-secret_123" }, body: "{oops" });
    expect(res.status).toBe(400);
    const res2 = await postTelegram(h.url, { hello: "world" });
    expect(res2.status).toBe(400);
  });

  it("pre-selects the language from language_code and renders choices as an inline keyboard", async () => {
    expect((await postTelegram(h.url, tgText(10, 701, "/start", "en-GB"))).status).toBe(200);
    await h.telegram.waitFor((r) => sentTo(701)(r).length >= 1);
    const first = sentTo(701)(h.telegram.requests)[0]!;
    expect(first.body.text).toContain("I'll write in English");
    const kb = first.body.reply_markup as Keyboard;
    expect(kb.inline_keyboard.map((row) => row[0]!.text)).toEqual(["Yes", "Other language", "🆘 SOS"]);
    for (const row of kb.inline_keyboard) expect(Buffer.byteLength(row[0]!.callback_data)).toBeLessThanOrEqual(64);
  });

  it("answers a tap (answerCallbackQuery) and moves on", async () => {
    const yes = ((sentTo(701)(h.telegram.requests)[0]!.body.reply_markup as Keyboard).inline_keyboard[0]![0]!).callback_data;
    await postTelegram(h.url, tgTap(11, 701, yes));
    await h.telegram.waitFor((r) => sentTo(701)(r).length >= 2);
    await h.telegram.waitFor((r) => r.some((x) => x.path.endsWith("/answerCallbackQuery") && x.body.callback_query_id === "cq11"));
    expect(sentTo(701)(h.telegram.requests)[1]!.body.text).toContain("Which neighbourhood");
  });

  it("handles a duplicate update once", async () => {
    const update = tgText(20, 702, "hallo");
    await Promise.all([postTelegram(h.url, update), postTelegram(h.url, update)]);
    await h.telegram.waitFor((r) => sentTo(702)(r).length >= 1);
    await postTelegram(h.url, update);
    await h.naast.idle();
    expect(sentTo(702)(h.telegram.requests)).toHaveLength(1);
  });

  it("ignores group chats and edited messages", async () => {
    const group = { update_id: 30, message: { message_id: 1, date: 1, chat: { id: -100, type: "group" }, from: { id: 703, is_bot: false }, text: "hi" } };
    const edited = { update_id: 31, edited_message: { message_id: 1, date: 1, chat: { id: 703, type: "private" }, text: "hi" } };
    expect((await postTelegram(h.url, group)).status).toBe(200);
    expect((await postTelegram(h.url, edited)).status).toBe(200);
    await h.naast.idle();
    expect(h.telegram.requests.filter((x) => Number(x.body.chat_id) === -100 || Number(x.body.chat_id) === 703)).toHaveLength(0);
  });

  it("waits out a 429 retry_after without counting a failure, and records 403 (blocked) at once", async () => {
    h.telegram.failNext(1, botApiError(429, "Too Many Requests: retry after 1", 1));
    await postTelegram(h.url, tgText(40, 704, "hallo"));
    await h.telegram.waitFor((r) => sentTo(704)(r).length >= 2, 15_000);
    const [a, b] = sentTo(704)(h.telegram.requests);
    expect(b!.at - a!.at).toBeGreaterThanOrEqual(900);
    const pseudonym = h.naast.pseudonymizer.pseudonym("telegram", "704");
    const resident = await h.db.prisma.resident.findUniqueOrThrow({ where: { pseudonym } });
    await expect.poll(async () => (await h.db.prisma.outboundMessage.findFirst({ where: { residentId: resident.id } }))?.status, { timeout: 8_000 }).toBe("sent");

    h.telegram.failNext(1, botApiError(403, "Forbidden: bot was blocked by the user"));
    await postTelegram(h.url, tgText(41, 704, "stop"));
    await expect.poll(async () => (await h.db.prisma.outboundMessage.findMany({ where: { residentId: resident.id, status: "blocked" } })).length, { timeout: 8_000 }).toBe(1);
    const blocked = (await h.db.prisma.outboundMessage.findMany({ where: { residentId: resident.id, status: "blocked" } }))[0]!;
    expect(blocked.errorReason).toContain("blocked by the user");
  });

  it("keeps Telegram's per-chat pace: two messages to one chat at least ~1 s apart", async () => {
    // "taal" from idle: onboarding reply; then two quick inputs produce two replies to the same chat.
    await postTelegram(h.url, tgText(50, 705, "hallo"));
    await h.telegram.waitFor((r) => sentTo(705)(r).length >= 1);
    await postTelegram(h.url, tgText(51, 705, "1"));
    await postTelegram(h.url, tgText(52, 705, "SOS"));
    await h.telegram.waitFor((r) => sentTo(705)(r).length >= 3, 15_000);
    const times = sentTo(705)(h.telegram.requests).map((r) => r.at);
    expect(times[2]! - times[1]!).toBeGreaterThanOrEqual(900);
  });
});
