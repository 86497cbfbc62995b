import { describe, expect, it } from "vitest";
import { Pseudonymizer } from "../../src/crypto/pseudonymizer.js";
import { LanguageMemory } from "../../src/maintenance/language-memory.js";

describe("LanguageMemory", () => {
  const pseudonymizer = new Pseudonymizer("a".repeat(64));

  it("recalls the language a resident was last written to in, and ignores what is not a language", () => {
    const m = new LanguageMemory(pseudonymizer, 10);
    m.remember("whatsapp", "31600000001", "tr");
    m.remember("whatsapp", "31600000001", "ar");
    m.remember("whatsapp", "31600000002", "xx");
    expect(m.recall("whatsapp", "31600000001")).toBe("ar");
    expect(m.recall("telegram", "31600000001")).toBeUndefined();
    expect(m.recall("whatsapp", "31600000002")).toBeUndefined();
  });

  it("keeps at most its capacity, forgetting the longest unwritten first", () => {
    const m = new LanguageMemory(pseudonymizer, 4);
    for (let i = 0; i < 4; i++) m.remember("telegram", String(i), "nl");
    // Written to again: kept past the ones that were not.
    m.remember("telegram", "0", "pl");
    for (let i = 4; i < 6; i++) m.remember("telegram", String(i), "en");
    expect(m.size).toBeLessThanOrEqual(4);
    expect(m.recall("telegram", "0")).toBe("pl");
    expect(m.recall("telegram", "1")).toBeUndefined();
    expect(m.recall("telegram", "5")).toBe("en");
    for (let i = 0; i < 1_000; i++) m.remember("telegram", `x${i}`, "uk");
    expect(m.size).toBeLessThanOrEqual(4);
  });
});
