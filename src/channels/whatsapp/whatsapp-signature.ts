import { createHmac, timingSafeEqual } from "node:crypto";

/**
 * Checks Meta's `X-Hub-Signature-256: sha256=<hex>` over the raw request body with the app secret,
 * in constant time. False for a missing or malformed header: exactly 64 lower-case hex digits, because
 * Node's hex decoding stops quietly at the first non-hex character (`<valid>zzzz` would decode to the valid part).
 */
export function verifyWhatsAppSignature(rawBody: Buffer, header: string | undefined, appSecret: string): boolean {
  const m = header ? /^sha256=([0-9a-f]{64})$/.exec(header) : null;
  if (!m) return false;
  const given = Buffer.from(m[1]!, "hex");
  const expected = createHmac("sha256", appSecret).update(rawBody).digest();
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** The header value Meta would send for this body; for tests and benchmarks. */
export function signWhatsAppBody(rawBody: Buffer | string, appSecret: string): string {
  return `sha256=${createHmac("sha256", appSecret).update(rawBody).digest("hex")}`;
}
