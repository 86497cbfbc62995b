import { createHash, createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import type { RateLimiterAbstract } from "rate-limiter-flexible";
import { databaseLimiter, refusalWaitMs } from "../storage/rate-limit-store.js";
import type { SqlRunner } from "../storage/sql-runner.js";

/** Password attempts one client may make on one account per window: 5 per 15 minutes. */
export const ACCOUNT_CLIENT_ATTEMPTS = 5;
/** Password attempts one client may make over all accounts per window: 20 per 15 minutes. */
export const CLIENT_ATTEMPTS = 20;
/** Password attempts on one account from browsers it has not signed in on before: 40 per hour. */
export const ACCOUNT_ATTEMPTS = 40;
/** Second-factor codes one account may try per window: 5 per 15 minutes (a code has 10^6 values). */
export const CODE_ATTEMPTS = 5;
const WINDOW_S = 15 * 60;

/** How long a browser stays "known" after a complete sign-in (ms): 90 days. */
export const KNOWN_DEVICE_MS = 90 * 86_400_000;

const sha = (s: string) => createHash("sha256").update(s).digest("hex").slice(0, 32);

/** Thrown (with how long to wait) when an attempt is refused before anything is checked. */
export class ThrottledError extends Error {
  override name = "ThrottledError";
  constructor(readonly retryAfterMs: number) {
    super(`throttled for ${retryAfterMs} ms`);
  }
}

/**
 * Slows down guessing without handing anyone a way to lock the owner out. Every attempt is counted
 * *before* the password or code is checked, in one atomic statement per counter (rate-limiter-flexible on
 * the `rate_limit` table), so parallel attempts cannot slip past: at most the allowed number are checked.
 *
 * - per account and client (5 / 15 min): a guesser at one address is slowed, the owner elsewhere is not;
 * - per client (20 / 15 min): one address trying many accounts;
 * - per account (40 / hour): guesses spread over many addresses. Browsers that completed a sign-in for
 *   this account before carry a signed "known device" cookie and skip this counter, so the owner still
 *   gets in during such an attack;
 * - per account for second-factor codes (5 / 15 min).
 *
 * The client is the address Express reports, which follows `TRUST_PROXY` (off by default: the socket).
 */
export class LoginThrottle {
  readonly #accountClient: RateLimiterAbstract;
  readonly #client: RateLimiterAbstract;
  readonly #account: RateLimiterAbstract;
  readonly #code: RateLimiterAbstract;
  readonly #deviceKey: Buffer;

  constructor(sql: SqlRunner, deviceSecret: string) {
    this.#accountClient = databaseLimiter(sql, "login-ac", ACCOUNT_CLIENT_ATTEMPTS, WINDOW_S);
    this.#client = databaseLimiter(sql, "login-c", CLIENT_ATTEMPTS, WINDOW_S);
    this.#account = databaseLimiter(sql, "login-a", ACCOUNT_ATTEMPTS, 3600);
    this.#code = databaseLimiter(sql, "totp", CODE_ATTEMPTS, WINDOW_S);
    this.#deviceKey = createHmac("sha256", Buffer.from(deviceSecret, "hex")).update("naast known-device cookie").digest();
  }

  /** Counts a password attempt; throws ThrottledError when any counter is spent. */
  async passwordAttempt(email: string, client: string, knownDevice: boolean): Promise<void> {
    const account = sha(email.trim().toLowerCase());
    const from = sha(client);
    const counters: [RateLimiterAbstract, string][] = [
      [this.#accountClient, `${account}:${from}`],
      [this.#client, from],
      ...(knownDevice ? [] : [[this.#account, account] as [RateLimiterAbstract, string]]),
    ];
    await consumeAll(counters);
  }

  /** After a correct password: this client's count for the account starts again. */
  async passwordSucceeded(email: string, client: string): Promise<void> {
    await this.#accountClient.delete(`${sha(email.trim().toLowerCase())}:${sha(client)}`);
  }

  /** Counts a second-factor code attempt for a user (sign-in or set-up); throws ThrottledError. */
  async codeAttempt(userId: string): Promise<void> {
    await consumeAll([[this.#code, userId]]);
  }

  async codeSucceeded(userId: string): Promise<void> {
    await this.#code.delete(userId);
  }

  /** A new known-device cookie value for this user: random, and signed so it cannot be made up. */
  deviceToken(userId: string): string {
    const nonce = randomBytes(16).toString("base64url");
    return `${nonce}.${this.#mac(userId, nonce)}`;
  }

  /** True when `token` is a known-device cookie this server gave the user. */
  isKnownDevice(userId: string, token: string | undefined): boolean {
    const m = token ? /^([A-Za-z0-9_-]{22})\.([A-Za-z0-9_-]{43})$/.exec(token) : null;
    if (!m) return false;
    const given = Buffer.from(m[2]!, "base64url");
    const expected = Buffer.from(this.#mac(userId, m[1]!), "base64url");
    return given.length === expected.length && timingSafeEqual(given, expected);
  }

  #mac(userId: string, nonce: string): string {
    return createHmac("sha256", this.#deviceKey).update(`${userId}.${nonce}`).digest("base64url");
  }
}

async function consumeAll(counters: readonly [RateLimiterAbstract, string][]): Promise<void> {
  let wait = 0;
  for (const [limiter, key] of counters) {
    try {
      await limiter.consume(key);
    } catch (err) {
      const ms = refusalWaitMs(err);
      if (ms === undefined) throw err;
      wait = Math.max(wait, ms);
    }
  }
  if (wait > 0) throw new ThrottledError(wait);
}
