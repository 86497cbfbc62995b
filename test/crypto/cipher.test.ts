import { describe, expect, it } from "vitest";
import { Cipher, DecryptError } from "../../src/crypto/cipher.js";

const KEY = "11".repeat(32);

describe("Cipher", () => {
  it("round-trips text and JSON", () => {
    const c = new Cipher(KEY);
    expect(c.decrypt(c.encrypt("hallo, ik ben het"))).toBe("hallo, ik ben het");
    expect(c.decryptJson(c.encryptJson({ a: [1, "ü", null] }))).toEqual({ a: [1, "ü", null] });
  });

  it("never uses a nonce twice, across the pooled nonces' refills", () => {
    const c = new Cipher(KEY);
    const ivs = new Set<string>();
    const n = 2_000; // several pools of 341
    for (let i = 0; i < n; i++) ivs.add(c.encrypt("same text").split(".")[1] ?? "");
    expect(ivs.size).toBe(n);
    for (const iv of ivs) expect(Buffer.from(iv, "base64url")).toHaveLength(12);
  });

  it("keeps every sealed value readable after the pool it drew from was replaced", () => {
    const c = new Cipher(KEY);
    const sealed = Array.from({ length: 800 }, (_, i) => c.encrypt(`message ${i}`));
    expect(sealed.map((s) => c.decrypt(s))).toEqual(Array.from({ length: 800 }, (_, i) => `message ${i}`));
  });

  it("refuses another key's ciphertext, a changed one and an unknown format", () => {
    const sealed = new Cipher(KEY).encrypt("geheim");
    expect(() => new Cipher("22".repeat(32)).decrypt(sealed)).toThrow(DecryptError);
    const [v, iv, tag, data] = sealed.split(".");
    const flipped = Buffer.from(data ?? "", "base64url");
    flipped[0] = (flipped[0] ?? 0) ^ 1;
    expect(() => new Cipher(KEY).decrypt([v, iv, tag, flipped.toString("base64url")].join("."))).toThrow(DecryptError);
    expect(() => new Cipher(KEY).decrypt("v2.a.b.c")).toThrow(DecryptError);
    expect(() => new Cipher("ab")).toThrow(RangeError);
  });
});
