import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";

/** Thrown when a ciphertext is malformed or was not made with this key. */
export class DecryptError extends Error {
  override name = "DecryptError";
}

const VERSION = "v1";

/** AES-256-GCM for addresses and message payloads at rest; output is `v1.<iv>.<tag>.<data>` in base64url. */
export class Cipher {
  readonly #key: Buffer;

  constructor(keyHex: string) {
    this.#key = Buffer.from(keyHex, "hex");
    if (this.#key.length !== 32) throw new RangeError("Cipher key must be 32 bytes");
  }

  encrypt(plain: string): string {
    const iv = randomBytes(12);
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
