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
