import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { chooseLogFormat, createProcessLogger } from "../src/logger.js";

function sink() {
  let text = "";
  const stream = new Writable({
    write(chunk, _enc, cb) {
      text += String(chunk);
      cb();
    },
  });
  return { stream, text: () => text };
}

describe("logs", () => {
  it("are readable at a terminal outside production and JSON everywhere else, unless LOG_FORMAT says otherwise", () => {
    expect(chooseLogFormat("auto", { isTTY: true, production: false })).toBe("pretty");
    expect(chooseLogFormat("auto", { isTTY: false, production: false })).toBe("json");
    expect(chooseLogFormat("auto", { isTTY: true, production: true })).toBe("json");
    expect(chooseLogFormat("json", { isTTY: true, production: false })).toBe("json");
    expect(chooseLogFormat("pretty", { isTTY: false, production: true })).toBe("pretty");
  });

  it("pretty: one readable line with time, level and message, fields after it, and the same redaction as JSON", async () => {
    const out = sink();
    const log = await createProcessLogger("info", "pretty", out.stream);
    log.info({ resident: "3f2a9c01de", text: "mijn adres is Korvelseweg 1" }, "message handled");
    log.debug("not shown at info");
    const line = out.text().trim();
    expect(line.split("\n")).toHaveLength(1);
    expect(line).toMatch(/^\[\d{2}:\d{2}:\d{2}\] INFO: message handled/);
    expect(line).toContain('"resident":"3f2a9c01de"');
    expect(line).not.toContain("Korvelseweg");
    expect(line).toContain("[redacted]");
    expect(() => JSON.parse(line)).toThrow();
  });

  it("json: one JSON object a line", async () => {
    const out = sink();
    const log = await createProcessLogger("info", "json", out.stream);
    log.warn({ phone: "+31612345678" }, "hello");
    const entry: unknown = JSON.parse(out.text().trim());
    expect(entry).toMatchObject({ level: 40, msg: "hello", app: "naast", phone: "[redacted]" });
  });

  it("an error keeps its type, message and stack, but not the request or the client a library attached to it", async () => {
    const out = sink();
    const log = await createProcessLogger("info", "json", out.stream);
    const client = { memory: new Uint8Array(20_000_000) };
    const err = Object.assign(new Error("Call to 'sendMessage' failed! (400: Bad Request)"), { payload: { chat_id: 5550123, text: "mijn man slaat me" }, client });
    log.error({ err }, "telegram call failed");
    const entry = z.object({ err: z.object({ type: z.string(), message: z.string(), stack: z.string() }).strict() }).parse(JSON.parse(out.text().trim()));
    expect(entry.err).toMatchObject({ type: "Error", message: err.message });
    expect(entry.err.stack).toContain("logger.test.ts");
    expect(out.text()).not.toContain("5550123");
    expect(out.text()).not.toContain("slaat");
    expect(out.text().length).toBeLessThan(5_000);
  });
});
