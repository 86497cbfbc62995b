import type { MessageIds } from "../crypto/pseudonymizer.js";
import { z } from "zod";
import { bigintTextSchema } from "./bigint-text.js";
import { Prisma, type PrismaClient } from "../generated/prisma/client.js";
import type { Db } from "./db-client.js";
import type { SqlRunner } from "./sql-runner.js";

/** A send record as the send worker sees it. */
export type OutboxRow = {
  id: string;
  seq: string;
  channel: string;
  status: string;
  residentId: string | null;
  payloadEnc: string | null;
  claimedAt: Date | null;
  /** Which claim holds the record while it is `sending` (see {@link OutboxStore.claim}). */
  claimToken: string | null;
  /** `in-doubt-resent` marks a send put back after it was left in doubt (see {@link IN_DOUBT}). */
  errorCode: string | null;
  /** Claims made so far; names the send job of a record given back (`jobIds.outbound`). */
  attempts: number;
};

type RawOutboxRow = Omit<OutboxRow, "seq"> & { seq: bigint | string };

/** Send records as the SqlRunner returns them (see {@link OutboxStore.getMany}). */
const outboxRowsSchema = z.array(
  z.object({
    id: z.string(),
    seq: bigintTextSchema,
    channel: z.string(),
    status: z.string(),
    residentId: z.string().nullable(),
    payloadEnc: z.string().nullable(),
    claimedAt: z.date().nullable(),
    claimToken: z.string().nullable(),
    errorCode: z.string().nullable(),
    attempts: z.number(),
  }),
);

/** Rows of one text column `id` (RETURNING id, or a resident's id as text). */
const idRowsSchema = z.array(z.object({ id: z.string() }));

/** A send record as written: `pending` with its sealed payload, or `failed` already with why. */
export type NewSendRow = {
  id: string;
  residentId: string | null;
  channel: string;
  kind: string;
  broadcastId: string | null;
  payloadEnc: string | null;
  failed: { at: Date; code: string; reason: string } | null;
};

/**
 * Writes send records in one statement and returns how many are new. With `skipDuplicates` a record whose id
 * exists is left as it is; without it a duplicate throws. Raw for the same reason as the inbound batch's other
 * writes (conversation-store.ts): the client's `createMany` costs its query compiler several times the statement.
 * `created_at` is when the row was written (as the client wrote it), not when the transaction began.
 */
export async function insertSendRows(db: Db, rows: readonly NewSendRow[], opts: { skipDuplicates: boolean }): Promise<number> {
  if (rows.length === 0) return 0;
  const col = <T>(f: (r: NewSendRow) => T): T[] => rows.map(f);
  // Raw: the client's createMany runs its query compiler on every call, several times this statement's cost.
  return db.$executeRaw(
    Prisma.sql`INSERT INTO outbound_message (id, resident_id, channel, kind, broadcast_id, payload_enc, status, failed_at, error_code, error_reason, created_at)
      SELECT *, clock_timestamp() AT TIME ZONE 'UTC' FROM unnest(${col((r) => r.id)}::text[], ${col((r) => r.residentId)}::uuid[], ${col((r) => r.channel)}::text[], ${col((r) => r.kind)}::text[],
        ${col((r) => r.broadcastId)}::uuid[], ${col((r) => r.payloadEnc)}::text[], ${col((r) => (r.failed ? "failed" : "pending"))}::text[],
        ${col((r) => r.failed?.at.toISOString() ?? null)}::timestamp[], ${col((r) => r.failed?.code ?? null)}::text[], ${col((r) => r.failed?.reason ?? null)}::text[])
      ${opts.skipDuplicates ? Prisma.sql`ON CONFLICT DO NOTHING` : Prisma.empty}`,
  );
}

/**
 * Error codes of a send whose outcome was unknown (status `unknown` while open). WhatsApp sends keep their
 * payload while `open`, so the resolver can send them again once no status webhook has proved them.
 */
export const IN_DOUBT = {
  /** Outcome unknown, not resolved yet (on Telegram and the web chat: for good). */
  open: "in-doubt",
  /** A status webhook carrying the send's id proved it arrived: not resent. */
  confirmed: "in-doubt-confirmed",
  /** No status came within the wait: put back and sent once more. */
  resent: "in-doubt-resent",
  /** The one resend was in doubt too: left for good, never a third send. */
  again: "in-doubt-again",
} as const;

/**
 * Status order for status callbacks: a late "delivered" never undoes "read". A Map, because the status
 * name comes from the platform: `RANK["constructor"]` on a plain object finds a function.
 */
const RANK: ReadonlyMap<string, number> = new Map([["pending", 0], ["sending", 1], ["sent", 2], ["delivered", 3], ["read", 4]]);

/** Days after sending during which a platform may still report a status (WhatsApp keeps trying to deliver for 30 days). */
export const STATUS_WINDOW_DAYS = 30;

/** Send records: checked before every send so that a retry never sends twice. */
export class OutboxStore {
  private readonly prisma: PrismaClient;
  private readonly sql: SqlRunner;

  constructor(
    db: { prisma: PrismaClient; sql: SqlRunner },
    /** Platform ids are stored only as keyed hashes. */
    private readonly messageIds: MessageIds,
  ) {
    this.prisma = db.prisma;
    this.sql = db.sql;
  }

  async get(id: string): Promise<OutboxRow | undefined> {
    // Raw: read for every send job, duplicates a sweep queued included; on PostgreSQL the client's findUnique took
    // 0.8 ms a read against 0.3 ms for this statement (2000 reads, 3 Dec 2026; on PGlite 1.2 against 1.0).
    const rows = await this.prisma.$queryRaw<RawOutboxRow[]>(
      Prisma.sql`SELECT id, seq, channel, status, resident_id AS "residentId", payload_enc AS "payloadEnc", claimed_at AS "claimedAt", claim_token AS "claimToken", error_code AS "errorCode", attempts
       FROM outbound_message WHERE id = ${id}`,
    );
    const r = rows[0];
    return r ? { ...r, seq: String(r.seq) } : undefined;
  }

  /** The records of a send batch that still exist, in `seq` order (one statement for the whole batch). */
  async getMany(ids: readonly string[]): Promise<OutboxRow[]> {
    if (ids.length === 0) return [];
    // Raw, through the SqlRunner: the same plain read as `get` for a whole send batch. This and the batch's other three
    // statements (residentsWithEarlierUnsent, claimMany, markSentMany) run for every batch of replies, where Prisma's
    // query engine around a raw statement cost about as much CPU as the statement's own round trip (see bench/README.md).
    return outboxRowsSchema.parse(
      await this.sql.query(
        `SELECT id, seq, channel, status, resident_id::text AS "residentId", payload_enc AS "payloadEnc", claimed_at AS "claimedAt", claim_token AS "claimToken", error_code AS "errorCode", attempts
         FROM outbound_message WHERE id = ANY($1::text[]) ORDER BY seq`,
        [[...ids]],
      ),
    );
  }

  /**
   * True when an earlier message to the same resident is still waiting or on its way. Not counted: a claim
   * older than `leaseMs` (its process died: the send is in doubt, and a lease must not hold later replies
   * back until the sweep settles it) and a send put back after it was in doubt (it goes when it can;
   * later replies do not wait minutes for it).
   */
  async hasEarlierUnsent(residentId: string, seq: string, leaseMs: number): Promise<boolean> {
    // Raw: checked before every send, like `get`, where a plain statement costs a third of the client's query on PostgreSQL.
    const rows = await this.prisma.$queryRaw<{ one: number }[]>(
      Prisma.sql`SELECT 1 AS one FROM outbound_message WHERE resident_id = ${residentId}::uuid AND seq < ${seq}::bigint
         AND (status = 'pending' OR (status = 'sending' AND claimed_at >= now() - (${String(leaseMs)} || ' milliseconds')::interval))
         AND error_code IS DISTINCT FROM ${IN_DOUBT.resent} LIMIT 1`,
    );
    return rows.length > 0;
  }

  /**
   * Of the residents named (each with the last `seq` a batch would send them), those with a message that is not
   * among `batchIds` and comes before it, still waiting or on its way: what {@link hasEarlierUnsent} asks of one
   * record, for a whole send batch in one statement. Such a resident's records of the batch must wait.
   */
  async residentsWithEarlierUnsent(last: readonly { residentId: string; seq: string }[], batchIds: readonly string[], leaseMs: number): Promise<Set<string>> {
    if (last.length === 0) return new Set();
    // Raw, through the SqlRunner (see getMany): a join against the batch's (resident, seq) pairs (unnest), which
    // Prisma's client cannot say in one query.
    const rows = idRowsSchema.parse(
      await this.sql.query(
        `SELECT DISTINCT o.resident_id::text AS id
         FROM outbound_message o JOIN unnest($1::uuid[], $2::bigint[]) AS b(resident_id, seq)
           ON o.resident_id = b.resident_id AND o.seq < b.seq
         WHERE o.id <> ALL($3::text[])
           AND (o.status = 'pending' OR (o.status = 'sending' AND o.claimed_at >= now() - ($4 || ' milliseconds')::interval))
           AND o.error_code IS DISTINCT FROM $5`,
        [last.map((l) => l.residentId), last.map((l) => l.seq), [...batchIds], String(leaseMs), IN_DOUBT.resent],
      ),
    );
    return new Set(rows.map((r) => r.id));
  }

  /**
   * Claims many records at once, as {@link claim} does one: pending → sending under `token` (one token for
   * the claims made together; each record's claim is still its own row). Returns the ids this call claimed;
   * a record someone else claimed first, or that is no longer pending, is left out.
   */
  async claimMany(ids: readonly string[], token: string): Promise<Set<string>> {
    if (ids.length === 0) return new Set();
    // Raw, through the SqlRunner (see getMany): UPDATE … RETURNING tells which rows this statement claimed, and
    // claimed_at takes the database's now().
    const rows = idRowsSchema.parse(
      await this.sql.query(
        `UPDATE outbound_message SET status = 'sending', claimed_at = now(), claim_token = $1, attempts = attempts + 1
         WHERE id = ANY($2::text[]) AND status = 'pending' RETURNING id`,
        [token, [...ids]],
      ),
    );
    return new Set(rows.map((r) => r.id));
  }

  /**
   * Moves pending → sending under `token` (unique per attempt); false if someone else claimed it or it was
   * already handled. The token lets the claimant recognise its own claim when the answer to this statement
   * was lost, so a claim that never led to a send is given back instead of ending in doubt.
   */
  async claim(id: string, token: string): Promise<boolean> {
    // Raw: claimed_at takes the database's now(), the clock the stale sweep compares it with; Prisma's client writes only values.
    const n = await this.prisma.$executeRaw(
      Prisma.sql`UPDATE outbound_message SET status = 'sending', claimed_at = now(), claim_token = ${token}, attempts = attempts + 1 WHERE id = ${id} AND status = 'pending'`,
    );
    return n === 1;
  }

  /**
   * Gives a claim back (rate limited, a transient failure, or a claim that never led to a send): it will be
   * tried again. With `token`, only that claim is given back.
   */
  async release(id: string, reason?: string, token?: string): Promise<void> {
    await this.prisma.outboundMessage.updateMany({
      where: { id, status: "sending", ...(token === undefined ? {} : { claimToken: token }) },
      data: { status: "pending", claimedAt: null, ...(reason === undefined ? {} : { errorReason: reason }) },
    });
  }

  /**
   * Records a send as done, if it is still claimed: a status webhook that proved it meanwhile (`proveInFlight`,
   * "delivered") is not moved back to "sent". The platform's id is kept as a keyed hash, for status callbacks; not at all for a
   * message to nobody-any-more (the goodbye after an erasure, whose resident row is gone).
   */
  async markSent(id: string, channel: string, platformMessageId: string): Promise<void> {
    // Raw: the stored id depends on the row's own columns (CASE) and sent_at is the database's now(); Prisma's client can say neither.
    await this.prisma.$executeRaw(
      Prisma.sql`UPDATE outbound_message SET status = 'sent', sent_at = now(), payload_enc = NULL, error_reason = NULL,
         platform_message_id = CASE WHEN resident_id IS NULL AND broadcast_id IS NULL THEN NULL ELSE ${this.messageIds.hash(channel, platformMessageId)} END
       WHERE id = ${id} AND status = 'sending'`,
    );
  }

  /**
   * {@link markSent} for many sends in one statement. Only a send still claimed: a batch marks its sends once its
   * round is over, and a status webhook that proved one meanwhile (`proveInFlight`, perhaps already "delivered")
   * must not be moved back to "sent".
   */
  async markSentMany(sent: readonly { id: string; channel: string; platformMessageId: string }[]): Promise<void> {
    if (sent.length === 0) return;
    // Raw, through the SqlRunner (see getMany): one UPDATE … FROM unnest for a whole batch; the stored id depends on
    // the row's own columns (CASE) and sent_at is the database's now().
    await this.sql.query(
      `UPDATE outbound_message o SET status = 'sent', sent_at = now(), payload_enc = NULL, error_reason = NULL,
         platform_message_id = CASE WHEN o.resident_id IS NULL AND o.broadcast_id IS NULL THEN NULL ELSE s.pmid END
       FROM unnest($1::text[], $2::text[]) AS s(id, pmid)
       WHERE o.id = s.id AND o.status = 'sending'`,
      [sent.map((s) => s.id), sent.map((s) => this.messageIds.hash(s.channel, s.platformMessageId))],
    );
  }

  /**
   * After the status window: platform ids are forgotten, and finished replies (not broadcasts, whose rows
   * are their progress) are deleted. Returns how many rows changed.
   */
  async pruneAfterStatusWindow(days = STATUS_WINDOW_DAYS): Promise<number> {
    // Raw: the age is measured on the database's clock from coalesce(sent_at, created_at), which Prisma's client cannot compare.
    const forgotten = await this.prisma.$executeRaw(
      Prisma.sql`UPDATE outbound_message SET platform_message_id = NULL
       WHERE platform_message_id IS NOT NULL AND coalesce(sent_at, created_at) < now() - (${String(days)} || ' days')::interval`,
    );
    // Raw: the age is measured on the database's clock (now() - interval), as everywhere the sweeps compare ages.
    const deleted = await this.prisma.$executeRaw(
      Prisma.sql`DELETE FROM outbound_message
       WHERE broadcast_id IS NULL AND status NOT IN ('pending', 'sending') AND created_at < now() - (${String(days)} || ' days')::interval`,
    );
    return forgotten + deleted;
  }

  /** A final refusal or too many failures: recorded with its reason, never retried. */
  async markFailed(id: string, status: "failed" | "blocked" | "unknown", code: string, reason: string): Promise<void> {
    // Raw: failed_at takes the database's now(), like every other stamp of a send's progress; Prisma's client writes only values.
    await this.prisma.$executeRaw(
      Prisma.sql`UPDATE outbound_message SET status = ${status}, failed_at = now(), error_code = ${code}, error_reason = ${reason.slice(0, 500)}, payload_enc = NULL
       WHERE id = ${id}`,
    );
  }

  /**
   * Records a send whose outcome is unknown. A WhatsApp send keeps its payload (the resolver may send it
   * once more when no status proves it); a send that was already that one resend is in doubt for good.
   */
  async markInDoubt(id: string, reason: string): Promise<number> {
    // Raw: code and payload depend on the row's own channel and code (CASE), and failed_at is the database's now().
    // Only a send still being sent: one a status webhook proved meanwhile (`proveInFlight`) stays settled.
    return this.prisma.$executeRaw(
      Prisma.sql`UPDATE outbound_message SET status = 'unknown', failed_at = now(), claimed_at = NULL, error_reason = ${reason.slice(0, 500)},
         error_code = CASE WHEN error_code = ${IN_DOUBT.resent} THEN ${IN_DOUBT.again} ELSE ${IN_DOUBT.open} END,
         payload_enc = CASE WHEN channel = 'whatsapp' AND error_code IS DISTINCT FROM ${IN_DOUBT.resent} THEN payload_enc ELSE NULL END
       WHERE id = ${id} AND status = 'sending'`,
    );
  }

  /**
   * A status webhook echoed this send's id: the request arrived. A send in doubt (or put back and not sent
   * again yet) is settled as proved, with the platform's id for later statuses; returns how many rows changed
   * (0 when it was not in doubt: then the status is applied by platform id as usual).
   */
  async confirmInDoubt(id: string, channel: string, platformMessageId: string, status: string, at: Date, error?: { code: string; reason: string }): Promise<number> {
    const failed = status === "failed";
    const rank = RANK.get(status) ?? RANK.get("sent")!;
    const shown = failed ? "failed" : rank >= RANK.get("sent")! ? status : "sent";
    // Raw: one statement that matches only a send still in doubt (the row's own status and code), so a status and the resolver cannot both win.
    return this.prisma.$executeRaw(
      Prisma.sql`UPDATE outbound_message SET status = ${shown}, error_code = ${failed ? (error?.code ?? "whatsapp-failed") : IN_DOUBT.confirmed},
         error_reason = ${failed ? (error?.reason ?? "").slice(0, 500) : "a status webhook proved the send arrived; not resent"},
         payload_enc = NULL, claimed_at = NULL, failed_at = ${failed ? at : null},
         sent_at = ${failed ? null : at}, delivered_at = ${rank >= RANK.get("delivered")! && !failed ? at : null}, read_at = ${rank >= RANK.get("read")! && !failed ? at : null},
         platform_message_id = CASE WHEN resident_id IS NULL AND broadcast_id IS NULL THEN NULL ELSE ${this.messageIds.hash(channel, platformMessageId)} END
       WHERE id = ${id} AND channel = ${channel}
         AND ((status = 'unknown' AND error_code = ${IN_DOUBT.open}) OR (status = 'pending' AND error_code = ${IN_DOUBT.resent}))`,
    );
  }
  /**
   * A status webhook echoed this send's id while the send is still claimed: the platform accepted it, but its
   * answer has not come (it is late, or was cut off and Naast has not noticed yet, or the process that sent it
   * stopped). The proof is recorded at once, as sent, so the send never becomes in doubt and is never resent
   * (`markInDoubt` leaves a proved send alone). Returns how many rows changed.
   */
  async proveInFlight(id: string, channel: string, platformMessageId: string, status: string, at: Date, error?: { code: string; reason: string }): Promise<number> {
    const failed = status === "failed";
    const rank = RANK.get(status) ?? RANK.get("sent")!;
    const shown = failed ? "failed" : rank >= RANK.get("sent")! ? status : "sent";
    // Raw: one statement that matches only a send still claimed, so the worker's own outcome and this proof cannot both win.
    return this.prisma.$executeRaw(
      Prisma.sql`UPDATE outbound_message SET status = ${shown}, error_code = ${failed ? (error?.code ?? "whatsapp-failed") : null},
         error_reason = ${failed ? (error?.reason ?? "").slice(0, 500) : null},
         payload_enc = NULL, claimed_at = NULL, failed_at = ${failed ? at : null},
         sent_at = ${failed ? null : at}, delivered_at = ${rank >= RANK.get("delivered")! && !failed ? at : null}, read_at = ${rank >= RANK.get("read")! && !failed ? at : null},
         platform_message_id = CASE WHEN resident_id IS NULL AND broadcast_id IS NULL THEN NULL ELSE ${this.messageIds.hash(channel, platformMessageId)} END
       WHERE id = ${id} AND channel = ${channel} AND status = 'sending'`,
    );
  }


  /**
   * Puts WhatsApp sends back that were in doubt before `before` with no status since: each is taken once
   * (the update matches only a send still open), so it is sent exactly once more. Returns what to queue.
   */
  async takeInDoubtForResend(channel: string, before: Date, limit = 500): Promise<{ id: string; attempts: number; kind: string }[]> {
    // Raw: UPDATE … RETURNING over a bounded set in one statement, so two sweeping processes never take the same send.
    return this.prisma.$queryRaw(
      Prisma.sql`UPDATE outbound_message SET status = 'pending', error_code = ${IN_DOUBT.resent}, failed_at = NULL, claimed_at = NULL,
         error_reason = 'in doubt and no status came: sent once more'
       WHERE id IN (SELECT id FROM outbound_message WHERE channel = ${channel} AND status = 'unknown' AND error_code = ${IN_DOUBT.open}
                    AND payload_enc IS NOT NULL AND failed_at < ${before} ORDER BY seq LIMIT ${Number(limit)})
         AND status = 'unknown' AND error_code = ${IN_DOUBT.open}
       RETURNING id, attempts, kind`,
    );
  }

  /** Applies a platform status callback (sent, delivered, read, failed) to the message it names. */
  async applyStatus(channel: string, platformMessageId: string, status: string, at: Date, error?: { code: string; reason: string }): Promise<number> {
    const hashed = this.messageIds.hash(channel, platformMessageId);
    if (status === "failed") {
      const n = await this.prisma.outboundMessage.updateMany({
        where: { channel, platformMessageId: hashed, status: { not: "read" } },
        data: { status: "failed", failedAt: at, errorCode: error?.code ?? null, errorReason: error?.reason?.slice(0, 500) ?? null },
      });
      return n.count;
    }
    const rank = RANK.get(status);
    if (rank === undefined || rank < RANK.get("sent")!) return 0;
    const column = Prisma.raw(status === "delivered" ? "delivered_at" : status === "read" ? "read_at" : "sent_at");
    const lower = [...RANK].filter(([, r]) => r < rank).map(([s]) => s);
    // Raw: keeps an earlier stamp (coalesce with the column itself) and moves the status only forward (CASE on the row's own status) in one statement.
    return this.prisma.$executeRaw(
      Prisma.sql`UPDATE outbound_message SET ${column} = coalesce(${column}, ${at}),
         status = CASE WHEN status IN (${Prisma.join(lower)}) THEN ${status} ELSE status END
       WHERE channel = ${channel} AND platform_message_id = ${hashed}`,
    );
  }

  /** Pending messages older than `olderThanMs`, for the recovery sweep; and stale claims to settle. */
  async stale(olderThanMs: number, limit = 1000): Promise<{ id: string; channel: string; status: string; kind: string; attempts: number }[]> {
    const age = String(olderThanMs);
    // Raw: ages are measured on the database's clock (now() - interval), the clock that stamped created_at and claimed_at.
    return this.prisma.$queryRaw(
      Prisma.sql`SELECT id, channel, status, kind, attempts FROM outbound_message
       WHERE (status = 'pending' AND created_at < now() - (${age} || ' milliseconds')::interval)
          OR (status = 'sending' AND claimed_at < now() - (${age} || ' milliseconds')::interval)
       ORDER BY seq LIMIT ${Number(limit)}`,
    );
  }
}
