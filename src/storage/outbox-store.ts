import type { MessageIds } from "../crypto/pseudonymizer.js";
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

/**
 * Status order for status callbacks: a late "delivered" never undoes "read". A Map, because the status
 * name comes from the platform: `RANK["constructor"]` on a plain object finds a function.
 */
const RANK: ReadonlyMap<string, number> = new Map([["pending", 0], ["sending", 1], ["sent", 2], ["delivered", 3], ["read", 4]]);

/** Days after sending during which a platform may still report a status (WhatsApp keeps trying to deliver for 30 days). */
export const STATUS_WINDOW_DAYS = 30;

/** Send records: checked before every send so that a retry never sends twice. */
export class OutboxStore {
  constructor(
    private readonly prisma: PrismaClient,
    /** Platform ids are stored only as keyed hashes. */
    private readonly messageIds: MessageIds,
  ) {}

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

  /**
   * Records a send as done. The platform's id is kept as a keyed hash, for status callbacks; not at all for a
   * message to nobody-any-more (the goodbye after an erasure, whose resident row is gone).
   */
  async markSent(id: string, channel: string, platformMessageId: string): Promise<void> {
    await this.prisma.$executeRawUnsafe(
      `UPDATE outbound_message SET status = 'sent', sent_at = now(), payload_enc = NULL, error_reason = NULL,
         platform_message_id = CASE WHEN resident_id IS NULL AND broadcast_id IS NULL THEN NULL ELSE $2 END
       WHERE id = $1`,
      id,
      this.messageIds.hash(channel, platformMessageId),
    );
  }

  /**
   * After the status window: platform ids are forgotten, and finished replies (not broadcasts, whose rows
   * are their progress) are deleted. Returns how many rows changed.
   */
  async pruneAfterStatusWindow(days = STATUS_WINDOW_DAYS): Promise<number> {
    const forgotten = await this.prisma.$executeRawUnsafe(
      `UPDATE outbound_message SET platform_message_id = NULL
       WHERE platform_message_id IS NOT NULL AND coalesce(sent_at, created_at) < now() - ($1 || ' days')::interval`,
      String(days),
    );
    const deleted = await this.prisma.$executeRawUnsafe(
      `DELETE FROM outbound_message
       WHERE broadcast_id IS NULL AND status NOT IN ('pending', 'sending') AND created_at < now() - ($1 || ' days')::interval`,
      String(days),
    );
    return forgotten + deleted;
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
    const hashed = this.messageIds.hash(channel, platformMessageId);
    if (status === "failed") {
      return this.prisma.$executeRawUnsafe(
        `UPDATE outbound_message SET status = 'failed', failed_at = $3, error_code = $4, error_reason = $5
         WHERE channel = $1 AND platform_message_id = $2 AND status <> 'read'`,
        channel,
        hashed,
        at,
        error?.code ?? null,
        error?.reason?.slice(0, 500) ?? null,
      );
    }
    const rank = RANK.get(status);
    if (rank === undefined || rank < RANK.get("sent")!) return 0;
    const column = status === "delivered" ? "delivered_at" : status === "read" ? "read_at" : "sent_at";
    const lower = [...RANK].filter(([, r]) => r < rank).map(([s]) => `'${s}'`).join(", ");
    return this.prisma.$executeRawUnsafe(
      `UPDATE outbound_message SET ${column} = coalesce(${column}, $3),
         status = CASE WHEN status IN (${lower}) THEN $4 ELSE status END
       WHERE channel = $1 AND platform_message_id = $2`,
      channel,
      hashed,
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
