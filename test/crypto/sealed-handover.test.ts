import { describe, expect, it } from "vitest";
import { SealedHandover } from "../../src/crypto/sealed-handover.js";

describe("SealedHandover", () => {
  it("hands a sealed value over once; what it never kept, or gave already, is for the caller to decrypt", () => {
    const h = new SealedHandover<{ text: string }>();
    const value = { text: "hallo" };
    h.keep("v1.a.b.c", value);
    expect(h.take("v1.x.y.z")).toBeUndefined();
    expect(h.take("v1.a.b.c")).toBe(value);
    expect(h.take("v1.a.b.c")).toBeUndefined();
    expect(h.size).toBe(0);
  });

  it("keeps at most maxEntries, dropping the oldest, and nothing older than maxAgeMs", () => {
    let now = 0;
    const h = new SealedHandover<number>({ maxEntries: 3, maxAgeMs: 1_000, now: () => now });
    for (let i = 1; i <= 4; i++) h.keep(`s${i}`, i);
    expect(h.size).toBe(3);
    expect(h.take("s1")).toBeUndefined();
    expect(h.take("s2")).toBe(2);
    now = 999;
    expect(h.take("s3")).toBe(3);
    now = 1_000;
    expect(h.take("s4")).toBeUndefined(); // a second old: decrypted instead
    h.keep("s5", 5);
    now = 2_500;
    h.keep("s6", 6); // keeping drops what has aged out
    expect(h.size).toBe(1);
    expect(h.take("s6")).toBe(6);
  });

  it("frees a taken entry's place in turn, and never drops a value by the place of an earlier one under the same text", () => {
    let now = 0;
    const h = new SealedHandover<number>({ maxEntries: 2, maxAgeMs: 1_000, now: () => now });
    h.keep("a", 1);
    expect(h.take("a")).toBe(1);
    h.keep("b", 2);
    h.keep("c", 3); // a's place is the oldest: freed, b stays
    expect([h.size, h.take("b"), h.take("c")]).toEqual([2, 2, 3]);
    now = 1;
    h.keep("x", 4);
    expect(h.take("x")).toBe(4);
    now = 2;
    h.keep("x", 5);
    h.keep("y", 6); // x's first place is dropped, not the value kept again
    expect(h.take("x")).toBe(5);
  });
});
