import { createHmac, timingSafeEqual } from "node:crypto";

/**
 * Checks Meta's `X-Hub-Signature-256: sha256=<hex>` over the raw request body with the app secret,
 * in constant time. False for a missing or malformed header.
 */
export function verifyWhatsAppSignature(rawBody: Buffer, header: string | undefined, appSecret: string): boolean {
  if (!header?.startsWith("sha256=")) return false;
  const given = Buffer.from(header.slice(7), "hex");
  const expected = createHmac("sha256", appSecret).update(rawBody).digest();
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** The header value Meta would send for this body; for tests and benchmarks. */
export function signWhatsAppBody(rawBody: Buffer | string, appSecret: string): string {
  return `sha256=${createHmac("sha256", appSecret).update(rawBody).digest("hex")}`;
}
