import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";

/** Random bytes in a token, and bytes of its signature: 16 + 16 = 32 bytes, 43 base64url characters. */
const NONCE_BYTES = 16;
const MAC_BYTES = 16;

/**
 * Web chat session tokens that only this server can make: 16 random bytes and a 128-bit HMAC of them
 * (key derived from PSEUDONYM_KEY). Nothing is stored per session, so opening one costs no database
 * write, yet a token a client made up (`Bearer aaaa…`) is refused. The token is the resident's only
 * identity on the web; the pseudonym is the keyed hash of it, as on the other channels.
 */
export class WebTokens {
  readonly #key: Buffer;

  constructor(secretHex: string) {
    this.#key = createHmac("sha256", Buffer.from(secretHex, "hex")).update("naast web chat session token").digest();
  }

  /** A new token (43 characters, base64url). */
  issue(): string {
    const nonce = randomBytes(NONCE_BYTES);
    return Buffer.concat([nonce, this.#mac(nonce)]).toString("base64url");
  }

  /** True for a token `issue` made with this key. */
  verify(token: string): boolean {
    if (!/^[A-Za-z0-9_-]{43}$/.test(token)) return false;
    const raw = Buffer.from(token, "base64url");
    // 43 characters hold 258 bits for 256: the last character's two spare bits must be zero, as `issue` writes them.
    // Otherwise four spellings decode to the same bytes, and the pseudonym (a hash of the token as written) would
    // differ for each: one resident, four identities.
    if (raw.length !== NONCE_BYTES + MAC_BYTES || raw.toString("base64url") !== token) return false;
    return timingSafeEqual(raw.subarray(NONCE_BYTES), this.#mac(raw.subarray(0, NONCE_BYTES)));
  }

  #mac(nonce: Buffer): Buffer {
    return createHmac("sha256", this.#key).update(nonce).digest().subarray(0, MAC_BYTES);
  }
}
