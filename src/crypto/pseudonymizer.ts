import { createHmac } from "node:crypto";

/** Keyed hash of channel + platform id: stable per resident, meaningless without PSEUDONYM_KEY. */
export class Pseudonymizer {
  readonly #key: Buffer;

  constructor(keyHex: string) {
    this.#key = Buffer.from(keyHex, "hex");
    if (this.#key.length !== 32) throw new RangeError("Pseudonym key must be 32 bytes");
  }

  /** 64 hex characters. */
  pseudonym(channel: string, platformId: string): string {
    return createHmac("sha256", this.#key).update(`${channel}:${platformId}`).digest("hex");
  }
}

/** The short form staff and logs see: enough to tell residents apart, not to find them. */
export function shortPseudonym(pseudonym: string): string {
  return pseudonym.slice(0, 10);
}

/**
 * Keyed hashes of platform message ids. A WhatsApp id (`wamid.…`) carries the sender's number, and a web
 * id carried the session, so only this hash is stored: redelivery of the same id still finds the same
 * row (dedupe), status callbacks still find their send record, and nobody can read an id back out.
 * The key is derived from PSEUDONYM_KEY, apart from the pseudonym's own use of it.
 */
export class MessageIds {
  readonly #key: Buffer;

  constructor(pseudonymKeyHex: string) {
    this.#key = createHmac("sha256", Buffer.from(pseudonymKeyHex, "hex")).update("naast platform message ids").digest();
  }

  /** 64 hex characters for a platform's id on a channel. */
  hash(channel: string, platformMessageId: string): string {
    return createHmac("sha256", this.#key).update(`${channel}\u0000${platformMessageId}`).digest("hex");
  }
}
