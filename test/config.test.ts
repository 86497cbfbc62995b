import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../src/config.js";

describe("configuration", () => {
  it("has working defaults: PGlite, in-process queue, no channels", () => {
    const c = loadConfig({});
    expect(c.port).toBe(3000);
    expect(c.dataDir).toBe("./data");
    expect(c.databaseUrl).toBeUndefined();
    expect(c.redisUrl).toBeUndefined();
    expect(c.telegram).toBeUndefined();
    expect(c.whatsapp).toBeUndefined();
  });

  it("names each bad variable", () => {
    try {
      loadConfig({ PORT: "eighty", DATABASE_URL: "mysql://x", REDIS_URL: "http://x", PSEUDONYM_KEY: "short", TELEGRAM_API_ROOT: "not a url" });
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      const msg = (err as ConfigError).message;
      for (const name of ["PORT", "DATABASE_URL", "REDIS_URL", "PSEUDONYM_KEY", "TELEGRAM_API_ROOT"]) expect(msg).toContain(name);
    }
  });

  it("requires keys and a database in production", () => {
    expect(() => loadConfig({ NODE_ENV: "production" })).toThrow(/PSEUDONYM_KEY[\s\S]*ENCRYPTION_KEY[\s\S]*DATABASE_URL/);
  });

  it("turns a channel on only with all its credentials, and says which are missing", () => {
    const c = loadConfig({ WHATSAPP_TOKEN: "t", WHATSAPP_PHONE_NUMBER_ID: "1" });
    expect(c.whatsapp).toBeUndefined();
    expect(c.channelNotes.join(" ")).toMatch(/WHATSAPP_APP_SECRET, WHATSAPP_VERIFY_TOKEN missing/);
    const t = loadConfig({ TELEGRAM_BOT_TOKEN: "1:x", TELEGRAM_API_ROOT: "http://127.0.0.1:9/" });
    expect(t.telegram?.apiRoot).toBe("http://127.0.0.1:9");
    expect(t.telegram?.webhookSecret).toBeUndefined();
    expect(loadConfig({}).whatsapp).toBeUndefined();
    expect(loadConfig({}).channelNotes).toEqual([]);
  });

  it("pins the Graph API version in the default WhatsApp base URL", () => {
    const c = loadConfig({ WHATSAPP_TOKEN: "t", WHATSAPP_PHONE_NUMBER_ID: "1", WHATSAPP_APP_SECRET: "s", WHATSAPP_VERIFY_TOKEN: "v" });
    expect(c.whatsapp?.apiBaseUrl).toMatch(/^https:\/\/graph\.facebook\.com\/v\d+\.\d+$/);
  });

  it("reads the production knobs: LOW_MEMORY and MAINTENANCE_MODE as yes/no, LOG_FORMAT, and a METRICS_TOKEN long enough to be a secret", () => {
    const d = loadConfig({});
    expect(d).toMatchObject({ lowMemory: "auto", maintenance: false, logFormat: "auto", metricsToken: undefined });
    for (const no of ["false", "0", "no", "OFF", " False "]) expect(loadConfig({ LOW_MEMORY: no }).lowMemory).toBe(false);
    expect(loadConfig({ LOW_MEMORY: "yes" }).lowMemory).toBe(true);
    for (const yes of ["true", "1", "yes", "on"]) expect(loadConfig({ MAINTENANCE_MODE: yes }).maintenance).toBe(true);
    expect(loadConfig({ MAINTENANCE_MODE: "" }).maintenance).toBe(false);
    expect(loadConfig({ LOG_FORMAT: "pretty" }).logFormat).toBe("pretty");
    expect(loadConfig({ METRICS_TOKEN: "t".repeat(32) }).metricsToken).toBe("t".repeat(32));
    expect(loadConfig({ METRICS_TOKEN: "" }).metricsToken).toBeUndefined();
    const bad = () => loadConfig({ LOW_MEMORY: "maybe", LOG_FORMAT: "xml", METRICS_TOKEN: "short" });
    expect(bad).toThrow(/LOW_MEMORY: must be auto, true or false/);
    expect(bad).toThrow(/LOG_FORMAT: /);
    expect(bad).toThrow(/METRICS_TOKEN: must be at least 32/);
  });
});
