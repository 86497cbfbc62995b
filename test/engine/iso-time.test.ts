import { describe, expect, it } from "vitest";
import { isoOf, parseIso } from "../../src/engine/iso-time.js";

describe("isoOf", () => {
  it("is toISOString, also when the same time comes again or another Date has it", () => {
    const a = new Date("2026-11-01T10:00:00.123Z");
    expect(isoOf(a)).toBe(a.toISOString());
    expect(isoOf(new Date(a.getTime()))).toBe(a.toISOString());
    const b = new Date(a.getTime() + 1);
    expect(isoOf(b)).toBe("2026-11-01T10:00:00.124Z");
    a.setTime(0);
    expect(isoOf(a)).toBe("1970-01-01T00:00:00.000Z");
  });

  it("throws for an invalid date, as toISOString does", () => {
    expect(() => isoOf(new Date(Number.NaN))).toThrow(RangeError);
    expect(() => isoOf(new Date(Number.NaN))).toThrow(RangeError);
  });
});

describe("parseIso", () => {
  it("is Date.parse on every time toISOString writes", () => {
    let seed = 11;
    const rand = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32);
    for (let n = 0; n < 20_000; n++) {
      const t = Math.floor(rand() * 253402300799999); // up to 9999-12-31
      const iso = new Date(t).toISOString();
      expect(parseIso(iso), iso).toBe(Date.parse(iso));
      expect(parseIso(iso)).toBe(t);
    }
  });

  it("is Date.parse on texts of other forms and on ones that only look right", () => {
    const texts = [
      "",
      "x",
      "2026-11-01",
      "2026-11-01T10:00:00Z",
      "2026-11-01T10:00:00.000+01:00",
      "2026-11-01T10:00:00.0000",
      "2026-02-29T10:00:00.000Z",
      "2028-02-29T10:00:00.000Z",
      "2026-02-30T10:00:00.000Z",
      "2026-04-31T10:00:00.000Z",
      "2026-13-01T10:00:00.000Z",
      "2026-00-10T10:00:00.000Z",
      "2026-11-00T10:00:00.000Z",
      "2026-11-01T24:00:00.000Z",
      "2026-11-01T23:60:00.000Z",
      "2026-11-01T23:59:60.000Z",
      "1969-12-31T23:59:59.999Z",
      "0099-01-01T00:00:00.000Z",
      "0000-01-01T00:00:00.000Z",
      "2026-1a-01T10:00:00.000Z",
      "2026-11-01T10:00:00.00aZ",
      "2026-11-01t10:00:00.000Z",
      "2026-11-01T10:00:00.000z",
      "2026/11/01T10:00:00.000Z",
      "+02026-11-01T10:00:00.000Z",
      "２026-11-01T10:00:00.000Z",
    ];
    for (const t of texts) expect(Object.is(parseIso(t), Date.parse(t)), t).toBe(true);
  });
});
