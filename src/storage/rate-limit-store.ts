import { RateLimiterPostgres, RateLimiterRes } from "rate-limiter-flexible";
import type { SqlRunner } from "./sql-runner.js";

/** The table the migration creates for rate-limiter-flexible (key, points, expire). */
export const RATE_LIMIT_TABLE = "rate_limit";

/**
 * rate-limiter-flexible's PostgreSQL store speaks to a `pg` client (`query({ text, values })` →
 * `{ rows, rowCount }`). This gives it our SqlRunner instead, so one limiter works on PostgreSQL and on
 * PGlite alike (PGlite's own `query` has another signature and returns int8 as BigInt). The atomic part,
 * one `INSERT … ON CONFLICT DO UPDATE … RETURNING` per consume, is the library's.
 */
export function rateLimitClient(sql: SqlRunner) {
  return {
    async query(q: { text: string; values?: unknown[] }): Promise<{ rows: Record<string, unknown>[]; rowCount: number }> {
      const rows = (await sql.query(q.text, q.values ?? [])).map((r) => ({
        ...r,
        ...("points" in r ? { points: Number(r.points) } : {}),
        ...("expire" in r ? { expire: r.expire === null ? null : Number(r.expire) } : {}),
      }));
      return { rows, rowCount: rows.length };
    },
  };
}

/** A limiter over the `rate_limit` table: `points` per `durationSeconds` for each key under `keyPrefix`. */
export function databaseLimiter(sql: SqlRunner, keyPrefix: string, points: number, durationSeconds: number): RateLimiterPostgres {
  return new RateLimiterPostgres({
    storeClient: rateLimitClient(sql),
    storeType: "client",
    tableName: RATE_LIMIT_TABLE,
    tableCreated: true,
    // Expired rows are deleted by the recovery sweep (`pruneRateLimits`), not by a timer per limiter.
    clearExpiredByTimeout: false,
    keyPrefix,
    points,
    duration: durationSeconds,
  });
}

/** Deletes counters whose window has passed; returns how many. */
export async function pruneRateLimits(sql: SqlRunner, now = Date.now()): Promise<number> {
  const rows = await sql.query(`DELETE FROM ${RATE_LIMIT_TABLE} WHERE expire IS NOT NULL AND expire < $1 RETURNING 1 AS one`, [now]);
  return rows.length;
}

/** The wait (ms) a refusal carries, or undefined when `err` is a store failure rather than a refusal. */
export function refusalWaitMs(err: unknown): number | undefined {
  return err instanceof RateLimiterRes ? Math.max(1, err.msBeforeNext) : undefined;
}
