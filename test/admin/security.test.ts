import { describe, expect, it } from "vitest";
import { DUMMY_HASH, hashPassword, verifyPassword } from "../../src/admin/password.js";
import { base32Decode, base32Encode, newTotpSecret, otpauthUri, totpCode, totpStep, verifyTotp } from "../../src/admin/totp.js";

describe("passwords", () => {
  it("hashes with scrypt, salted, and verifies only the right password", async () => {
    const a = await hashPassword("correct horse battery");
    const b = await hashPassword("correct horse battery");
    expect(a).toMatch(/^scrypt\$32768\$8\$1\$/);
    expect(a).not.toBe(b);
    expect(await verifyPassword("correct horse battery", a)).toBe(true);
    expect(await verifyPassword("correct horse batterY", a)).toBe(false);
    expect(await verifyPassword("anything", "plain-text")).toBe(false);
    expect(await verifyPassword("anything", DUMMY_HASH)).toBe(false);
  });
});

describe("TOTP (RFC 6238)", () => {
  // RFC 6238 appendix B, SHA-1, secret "12345678901234567890", 8 digits there; we use the last 6.
  const secret = base32Encode(Buffer.from("12345678901234567890"));
  it("matches the RFC test vectors", () => {
    expect(totpCode(secret, Math.floor(59 / 30))).toBe("287082");
    expect(totpCode(secret, Math.floor(1111111109 / 30))).toBe("081804");
    expect(totpCode(secret, Math.floor(1234567890 / 30))).toBe("005924");
    expect(totpCode(secret, Math.floor(2000000000 / 30))).toBe("279037");
  });
  it("round-trips base32 and accepts one step of drift, not more", () => {
    const s = newTotpSecret();
    expect(base32Encode(base32Decode(s))).toBe(s);
    const at = new Date("2026-11-29T12:00:10Z");
    const step = totpStep(at);
    expect(verifyTotp(s, totpCode(s, step), at)).toBe(step);
    expect(verifyTotp(s, totpCode(s, step - 1), at)).toBe(step - 1);
    expect(verifyTotp(s, totpCode(s, step - 2), at)).toBeUndefined();
    expect(verifyTotp(s, "12345", at)).toBeUndefined();
    expect(otpauthUri(s, "fatima@example.org")).toContain(`secret=${s}`);
  });
});
