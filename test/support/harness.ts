import { once } from "node:events";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { Writable } from "node:stream";
import { randomBytes } from "node:crypto";
import { loadConfig, type Config } from "../../src/config.js";
import { createLogger } from "../../src/logger.js";
import { createNaast, type Naast } from "../../src/naast.js";
import type { Database } from "../../src/storage/database.js";
import { FakeTelegram, FakeWhatsApp } from "./fake-platform.js";
import { openTestDatabase } from "./test-database.js";

export const TG_TOKEN = "123456:TEST-token";
export const TG_SECRET = "tg-secret_123";
export const WA = { token: "wa-token", phoneNumberId: "1098765", appSecret: "wa-app-secret", verifyToken: "wa-verify" };

/** A running Naast against fake platforms, a fresh database, and (when REDIS_URL is set) Redis. */
export type Harness = {
  naast: Naast;
  url: string;
  telegram: FakeTelegram;
  whatsapp: FakeWhatsApp;
  db: Database;
  config: Config;
  /** Everything Naast logged, as text, to check that nothing identifying is in it. */
  logs: () => string;
  now: { value: Date };
  /** Moves Naast's clock forward (the real clock plus this offset); timers, windows and sessions follow it. */
  advance(ms: number): Date;
  clock(): Date;
  close(): Promise<void>;
};

/** Starts the whole app; `env` overrides any variable. */
export async function startHarness(
  env: Record<string, string> = {},
  shared?: { db?: Database & { drop(): Promise<void> }; telegram?: FakeTelegram; whatsapp?: FakeWhatsApp; redisPrefix?: string; polling?: boolean },
): Promise<Harness> {
  const telegram = shared?.telegram ?? (await new FakeTelegram().start());
  const whatsapp = shared?.whatsapp ?? (await new FakeWhatsApp().start());
  const db = shared?.db ?? (await openTestDatabase());
  const config = loadConfig({
    NODE_ENV: "test",
    PSEUDONYM_KEY: "a".repeat(64),
    ENCRYPTION_KEY: "b".repeat(64),
    TELEGRAM_BOT_TOKEN: TG_TOKEN,
    TELEGRAM_WEBHOOK_SECRET: TG_SECRET,
    TELEGRAM_API_ROOT: telegram.url,
    WHATSAPP_TOKEN: WA.token,
    WHATSAPP_PHONE_NUMBER_ID: WA.phoneNumberId,
    WHATSAPP_APP_SECRET: WA.appSecret,
    WHATSAPP_VERIFY_TOKEN: WA.verifyToken,
    WHATSAPP_API_BASE_URL: whatsapp.url,
    REDIS_URL: process.env.REDIS_URL ?? "",
    REDIS_PREFIX: shared?.redisPrefix ?? `naast-test-${randomBytes(4).toString("hex")}`,
    LOG_LEVEL: "info",
    ...env,
  });
  let logged = "";
  const sink = new Writable({
    write(chunk, _enc, cb) {
      logged += String(chunk);
      cb();
    },
  });
  const now = { value: new Date() };
  let offsetMs = 0;
  const clock = () => new Date(Date.now() + offsetMs);
  const naast = await createNaast(config, createLogger("info", sink), { database: db, polling: shared?.polling ?? false, sweepSeconds: 3600, clock });
  const server: Server = createServer(naast.handler);
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    naast,
    url,
    telegram,
    whatsapp,
    db,
    config,
    logs: () => logged,
    now,
    clock,
    advance(ms: number) {
      offsetMs += ms;
      return clock();
    },
    async close() {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
      await naast.close();
      if (!shared?.db) await db.drop();
      if (!shared?.telegram) await telegram.stop();
      if (!shared?.whatsapp) await whatsapp.stop();
    },
  };
}
