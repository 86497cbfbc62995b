import { createCipheriv, createDecipheriv, randomFillSync } from "node:crypto";

/** Thrown when a ciphertext is malformed or was not made with this key. */
export class DecryptError extends Error {
  override name = "DecryptError";
}

const VERSION = "v1";

/** Bytes of a GCM nonce. */
const IV_BYTES = 12;
/** Nonces drawn from the CSPRNG at a time: 4 KiB, 341 encryptions. */
const IV_POOL_BYTES = IV_BYTES * 341;

/**
 * Random GCM nonces, fetched from the operating system's CSPRNG in bulk and handed out once each, as Node's own
 * `randomUUID` does. A `randomBytes(12)` per encryption cost more than the encryption (a synchronous random job of
 * its own each time: 6 % of the webhook path's CPU); the bytes are the same random bytes, only fetched fewer times.
 */
class IvPool {
  #pool = Buffer.alloc(0);
  #at = 0;

  /** A fresh 12-byte nonce: a view of a pool that is never written again once filled (a spent pool is replaced, not refilled). */
  next(): Buffer {
    if (this.#at + IV_BYTES > this.#pool.length) {
      this.#pool = randomFillSync(Buffer.allocUnsafe(IV_POOL_BYTES));
      this.#at = 0;
    }
    const iv = this.#pool.subarray(this.#at, this.#at + IV_BYTES);
    this.#at += IV_BYTES;
    return iv;
  }
}

/** AES-256-GCM for addresses and message payloads at rest; output is `v1.<iv>.<tag>.<data>` in base64url. */
export class Cipher {
  readonly #key: Buffer;
  readonly #ivs = new IvPool();

  constructor(keyHex: string) {
    this.#key = Buffer.from(keyHex, "hex");
    if (this.#key.length !== 32) throw new RangeError("Cipher key must be 32 bytes");
  }

  encrypt(plain: string): string {
    const iv = this.#ivs.next();
    const c = createCipheriv("aes-256-gcm", this.#key, iv);
    const data = Buffer.concat([c.update(plain, "utf8"), c.final()]);
    return `${VERSION}.${iv.toString("base64url")}.${c.getAuthTag().toString("base64url")}.${data.toString("base64url")}`;
  }

  decrypt(sealed: string): string {
    const [version, iv, tag, data] = sealed.split(".");
    if (version !== VERSION || iv === undefined || tag === undefined || data === undefined) {
      throw new DecryptError("ciphertext has an unknown format");
    }
    try {
      const d = createDecipheriv("aes-256-gcm", this.#key, Buffer.from(iv, "base64url"));
      d.setAuthTag(Buffer.from(tag, "base64url"));
      return Buffer.concat([d.update(Buffer.from(data, "base64url")), d.final()]).toString("utf8");
    } catch {
      throw new DecryptError("ciphertext does not authenticate with this key");
    }
  }

  encryptJson(value: unknown): string {
    return this.encrypt(JSON.stringify(value));
  }

  decryptJson(sealed: string): unknown {
    return JSON.parse(this.decrypt(sealed));
  }
}
