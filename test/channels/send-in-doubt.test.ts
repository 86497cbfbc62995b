import { once } from "node:events";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TelegramSender } from "../../src/channels/telegram/telegram-sender.js";
import { WhatsAppSender } from "../../src/channels/whatsapp/whatsapp-sender.js";
import type { RenderedMessage } from "../../src/channels/rendered-message.js";
import { FakeTelegram, FakeWhatsApp } from "../support/fake-platform.js";

const message: RenderedMessage = { language: "nl", rtl: false, text: "Hallo", choices: [], offset: 0 };
let telegram: FakeTelegram;
let whatsapp: FakeWhatsApp;
let closedUrl: string;

beforeAll(async () => {
  telegram = await new FakeTelegram().start();
  whatsapp = await new FakeWhatsApp().start();
  const probe = createServer().listen(0, "127.0.0.1");
  await once(probe, "listening");
  closedUrl = `http://127.0.0.1:${(probe.address() as AddressInfo).port}`;
  await new Promise((r) => probe.close(r));
});
afterAll(async () => {
  await telegram.stop();
  await whatsapp.stop();
});

describe("a send whose outcome is unknown is in doubt, one that never left is transient", () => {
  it("Telegram: the request arrived and the connection was reset before the answer", async () => {
    telegram.dropNext(1);
    const result = await new TelegramSender("123:abc", telegram.url).send("42", message);
    expect(telegram.calls("sendMessage")).toHaveLength(1);
    expect(result).toMatchObject({ ok: false, kind: "in_doubt" });
  });

  it("WhatsApp: the request arrived and the connection was reset before the answer", async () => {
    whatsapp.dropNext(1);
    const result = await new WhatsAppSender({ token: "t", phoneNumberId: "1", apiBaseUrl: whatsapp.url }).send("31600000000", message);
    expect(whatsapp.messages()).toHaveLength(1);
    expect(result).toMatchObject({ ok: false, kind: "in_doubt" });
  });

  it("both: nothing listening (connection refused) is transient, so it is retried", async () => {
    expect(await new TelegramSender("123:abc", closedUrl).send("42", message)).toMatchObject({ ok: false, kind: "transient", reason: expect.stringMatching(/ECONNREFUSED/) });
    expect(await new WhatsAppSender({ token: "t", phoneNumberId: "1", apiBaseUrl: closedUrl }).send("31600000000", message)).toMatchObject({ ok: false, kind: "transient", reason: expect.stringMatching(/ECONNREFUSED/) });
  });
});
