import { Secret, TOTP } from "otpauth";

/** Seconds per TOTP step (RFC 6238 default). */
export const TOTP_STEP_S = 30;

const ISSUER = "Naast";

function totp(secret: string, account = ""): TOTP {
  return new TOTP({ issuer: ISSUER, label: account, algorithm: "SHA1", digits: 6, period: TOTP_STEP_S, secret: Secret.fromBase32(secret) });
}

/** RFC 4648 base32 without padding (otpauth's encoding). */
export function base32Encode(buf: Buffer): string {
  return new Secret({ buffer: Uint8Array.from(buf).buffer }).base32;
}

export function base32Decode(s: string): Buffer {
  return Buffer.from(Secret.fromBase32(s.toUpperCase().replace(/[^A-Z2-7]/g, "")).bytes);
}

/** A new 160-bit secret, base32, for an authenticator app. */
export function newTotpSecret(): string {
  return new Secret({ size: 20 }).base32;
}

/** The 6-digit code for a time step (RFC 6238, HMAC-SHA1). */
export function totpCode(secret: string, step: number): string {
  return totp(secret).generate({ timestamp: step * TOTP_STEP_S * 1000 });
}

/** The time step of a moment. */
export function totpStep(at: Date): number {
  return Math.floor(at.getTime() / 1000 / TOTP_STEP_S);
}

/**
 * The step a code matches, allowing one step of clock drift either way, or undefined. The caller
 * refuses a step at or before the last one accepted, so a code works once.
 */
export function verifyTotp(secret: string, code: string, at: Date): number | undefined {
  if (!/^\d{6}$/.test(code)) return undefined;
  const delta = totp(secret).validate({ token: code, timestamp: at.getTime(), window: 1 });
  return delta === null ? undefined : totpStep(at) + delta;
}

/** The otpauth:// URI an authenticator app reads (typed in or scanned). */
export function otpauthUri(secret: string, account: string): string {
  return totp(secret, account).toString();
}
