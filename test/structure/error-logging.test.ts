import { readdirSync, readFileSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";

/**
 * Errors are logged whole, `log.error({ err }, "…")`, so pino's error serializer keeps their type and
 * stack; `err.message` or `String(err)` in a log call loses where it happened.
 */
const SRC = resolve(import.meta.dirname, "../../src");
const FLATTENED = /\blog\w*\.(?:trace|debug|info|warn|error|fatal)\(\{[^}]*\b(?:err|error|reason): *(?:\w+ instanceof Error \? )?[\w.]*(?:\.message\b|String\()/;

function tsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = join(dir, e.name);
    if (e.isDirectory()) return e.name === "generated" ? [] : tsFiles(full);
    return e.name.endsWith(".ts") ? [full] : [];
  });
}

describe("error logging", () => {
  it("recognises an error flattened to its message", () => {
    expect(FLATTENED.test(`this.log.error({ err: err instanceof Error ? err.message : String(err) }, "failed");`)).toBe(true);
    expect(FLATTENED.test(`log.warn({ handoff: id, err: String(err) }, "failed");`)).toBe(true);
    expect(FLATTENED.test(`opts.log.error({ err: err.error.message }, "failed");`)).toBe(true);
    expect(FLATTENED.test(`this.log.error({ handoff: id, err }, "failed");`)).toBe(false);
    expect(FLATTENED.test(`log.warn({ check: name, reason }, "not ready");`)).toBe(false);
  });

  it("src/ logs every error whole", () => {
    const flattened = tsFiles(SRC).flatMap((file) =>
      readFileSync(file, "utf8")
        .split("\n")
        .flatMap((line, i) => (FLATTENED.test(line) ? [`${relative(SRC, file)}:${i + 1}`] : [])),
    );
    expect(flattened).toEqual([]);
  });
});
