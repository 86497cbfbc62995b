import type { PrismaClient } from "../generated/prisma/client.js";

/** A send record as the send worker sees it. */
export type OutboxRow = {
  id: string;
  seq: string;
  channel: string;
  status: string;
  residentId: string | null;
  payloadEnc: string | null;
  claimedAt: Date | null;
};

/** Status order for status callbacks: a late "delivered" never undoes "read". */
const RANK: Record<string, number> = { pending: 0, sending: 1, sent: 2, delivered: 3, read: 4 };

/** Send records: checked before every send so that a retry never sends twice. */
export class OutboxStore {
  constructor(private readonly prisma: PrismaClient) {}

  async get(id: string): Promise<OutboxRow | undefined> {
    const rows = await this.prisma.$queryRawUnsafe<(Omit<OutboxRow, "seq"> & { seq: bigint | string })[]>(
      `SELECT id, seq, channel, status, resident_id AS "residentId", payload_enc AS "payloadEnc", claimed_at AS "claimedAt"
       FROM outbound_message WHERE id = $1`,
      id,
    );
    const r = rows[0];
    return r ? { ...r, seq: String(r.seq) } : undefined;
  }

  /** True when an earlier message to the same resident is still waiting or on its way. */
  async hasEarlierUnsent(residentId: string, seq: string): Promise<boolean> {
    const rows = await this.prisma.$queryRawUnsafe<{ one: number }[]>(
      `SELECT 1 AS one FROM outbound_message WHERE resident_id = $1::uuid AND seq < $2::bigint AND status IN ('pending', 'sending') LIMIT 1`,
      residentId,
      seq,
    );
    return rows.length > 0;
  }

  /** Moves pending → sending; false if someone else claimed it or it was already handled. */
  async claim(id: string): Promise<boolean> {
    const n = await this.prisma.$executeRawUnsafe(
      `UPDATE outbound_message SET status = 'sending', claimed_at = now(), attempts = attempts + 1 WHERE id = $1 AND status = 'pending'`,
      id,
    );
    return n === 1;
  }

  /** Gives a claim back (rate limited or a transient failure): it will be tried again. */
  async release(id: string, reason?: string): Promise<void> {
    await this.prisma.$executeRawUnsafe(
      `UPDATE outbound_message SET status = 'pending', claimed_at = NULL, error_reason = coalesce($2, error_reason) WHERE id = $1 AND status = 'sending'`,
      id,
      reason ?? null,
    );
  }

  async markSent(id: string, platformMessageId: string): Promise<void> {
    await this.prisma.$executeRawUnsafe(
      `UPDATE outbound_message SET status = 'sent', sent_at = now(), platform_message_id = $2, payload_enc = NULL, error_reason = NULL WHERE id = $1`,
      id,
      platformMessageId,
    );
  }

  /** A final refusal or too many failures: recorded with its reason, never retried. */
  async markFailed(id: string, status: "failed" | "blocked" | "unknown", code: string, reason: string): Promise<void> {
    await this.prisma.$executeRawUnsafe(
      `UPDATE outbound_message SET status = $2, failed_at = now(), error_code = $3, error_reason = $4, payload_enc = NULL WHERE id = $1`,
      id,
      status,
      code,
      reason.slice(0, 500),
    );
  }

  /** Applies a platform status callback (sent, delivered, read, failed) to the message it names. */
  async applyStatus(channel: string, platformMessageId: string, status: string, at: Date, error?: { code: string; reason: string }): Promise<number> {
    if (status === "failed") {
      return this.prisma.$executeRawUnsafe(
        `UPDATE outbound_message SET status = 'failed', failed_at = $3, error_code = $4, error_reason = $5
         WHERE channel = $1 AND platform_message_id = $2 AND status <> 'read'`,
        channel,
        platformMessageId,
        at,
        error?.code ?? null,
        error?.reason?.slice(0, 500) ?? null,
      );
    }
    const rank = RANK[status];
    if (rank === undefined) return 0;
    const column = status === "delivered" ? "delivered_at" : status === "read" ? "read_at" : "sent_at";
    const lower = Object.entries(RANK).filter(([, r]) => r < rank).map(([s]) => `'${s}'`).join(", ");
    return this.prisma.$executeRawUnsafe(
      `UPDATE outbound_message SET ${column} = coalesce(${column}, $3),
         status = CASE WHEN status IN (${lower}) THEN $4 ELSE status END
       WHERE channel = $1 AND platform_message_id = $2`,
      channel,
      platformMessageId,
      at,
      status,
    );
  }

  /** Pending messages older than `olderThanMs`, for the recovery sweep; and stale claims to settle. */
  async stale(olderThanMs: number, limit = 1000): Promise<{ id: string; channel: string; status: string; kind: string }[]> {
    return this.prisma.$queryRawUnsafe(
      `SELECT id, channel, status, kind FROM outbound_message
       WHERE (status = 'pending' AND created_at < now() - ($1 || ' milliseconds')::interval)
          OR (status = 'sending' AND claimed_at < now() - ($1 || ' milliseconds')::interval)
       ORDER BY seq LIMIT ${Number(limit)}`,
      String(olderThanMs),
    );
  }
}
