import { Prisma, type PrismaClient } from "../generated/prisma/client.js";
import { z } from "zod";
import { bigintTextSchema } from "./bigint-text.js";
import type { Db } from "./db-client.js";
import type { SqlRunner } from "./sql-runner.js";

/** A row to put in the inbox: channel + platform id is the dedupe key. */
export type InboxRow = { channel: string; platformMessageId: string; pseudonym: string; payloadEnc: string };

/** A resident with a message waiting: the oldest one's channel and keyed platform id (stable across a database restore, unlike `seq`). */
export type Accepted = { pseudonym: string; channel: string; keyedId: string };

/** A row one insert accepted (duplicates are left out): `key` is channel and keyed platform id joined, to tell which deliveries were new. */
export type Inserted = Accepted & { seq: string; key: string };

/** What an inbox insert returns for each new row. */
const insertedSchema = z.array(z.object({ seq: bigintTextSchema, pseudonym: z.string(), channel: z.string(), pmid: z.string() }));

/** The durable inbox: webhooks write here before answering, workers drain per resident in `seq` order. */
export class InboxStore {
  private readonly prisma: PrismaClient;
  private readonly sql: SqlRunner;

  constructor(db: { prisma: PrismaClient; sql: SqlRunner }) {
    this.prisma = db.prisma;
    this.sql = db.sql;
  }

  /** Inserts many rows in one statement; a platform id seen before is skipped, so redelivery is a no-op. */
  async insertMany(rows: readonly InboxRow[]): Promise<Inserted[]> {
    if (rows.length === 0) return [];
    const params: string[] = [];
    const values: string[] = [];
    for (const r of rows) {
      const at = params.length;
      params.push(r.channel, r.platformMessageId, r.pseudonym, r.payloadEnc);
      values.push(`($${at + 1}, $${at + 2}, $${at + 3}, $${at + 4})`);
    }
    // Raw: ON CONFLICT DO NOTHING … RETURNING tells which rows were new; Prisma's createMany returns only a count.
    // Through the SqlRunner, not Prisma's $queryRaw: this is every webhook's write, and Prisma's query engine cost as
    // much again as the insert itself (26 rows a statement on PGlite: 56–84 against 42–47 µs of CPU a row).
    const inserted = insertedSchema.parse(
      await this.sql.query(
        `INSERT INTO inbound_message (channel, platform_message_id, pseudonym, payload_enc) VALUES ${values.join(", ")}
         ON CONFLICT (channel, platform_message_id) DO NOTHING RETURNING seq, pseudonym, channel, platform_message_id AS pmid`,
        params,
      ),
    );
    return inserted.map((r) => ({ seq: r.seq, pseudonym: r.pseudonym, channel: r.channel, keyedId: r.pmid, key: `${r.channel}\u0000${r.pmid}` }));
  }

  /** Residents with messages waiting longer than `olderThanMs`, for the recovery sweep: a page of `limit` in pseudonym order after `after`. */
  async stalePseudonyms(olderThanMs: number, limit = 500, after = ""): Promise<Accepted[]> {
    // Raw: the age is measured on the database's clock (now() - interval), the clock that stamped received_at;
    // DISTINCT ON picks each resident's oldest waiting row, which Prisma's client cannot say in one query.
    const rows = await this.prisma.$queryRaw<{ pseudonym: string; channel: string; pmid: string }[]>(
      Prisma.sql`SELECT DISTINCT ON (pseudonym) pseudonym, channel, platform_message_id AS pmid FROM inbound_message
       WHERE processed_at IS NULL AND pseudonym IS NOT NULL AND pseudonym > ${after} AND received_at < now() - (${String(olderThanMs)} || ' milliseconds')::interval
       ORDER BY pseudonym, seq LIMIT ${Number(limit)}`,
    );
    return rows.map((r) => ({ pseudonym: r.pseudonym, channel: r.channel, keyedId: r.pmid }));
  }

  /** Forgets dedupe keys older than `days` (platforms do not redeliver that late). */
  async prune(days: number): Promise<number> {
    // Raw: the age is measured on the database's clock (now() - interval), the clock that stamped received_at.
    return this.prisma.$executeRaw(
      Prisma.sql`DELETE FROM inbound_message WHERE processed_at IS NOT NULL AND received_at < now() - (${String(days)} || ' days')::interval`,
    );
  }
}

/**
 * The oldest two waiting messages of one resident, locked for this transaction: the one to handle, and whether
 * another follows. The row lock keeps a batch (`claimInbound`) off them; a row a batch holds is waited for, and
 * left out once that batch has handled it. With each its channel and keyed platform id, the stable name of its
 * replies (a restored database hands `seq` out again).
 */
export async function nextInbound(db: Db, pseudonym: string): Promise<{ seq: bigint; channel: string; platformMessageId: string; payloadEnc: string | null }[]> {
  // Raw: FOR UPDATE, a row lock Prisma's client cannot take.
  const rows = await db.$queryRaw<{ seq: bigint | number | string; channel: string; pmid: string; payload_enc: string | null }[]>(
    Prisma.sql`SELECT seq, channel, platform_message_id AS pmid, payload_enc FROM inbound_message WHERE pseudonym = ${pseudonym} AND processed_at IS NULL ORDER BY seq LIMIT 2 FOR UPDATE`,
  );
  return rows.map((r) => ({ seq: BigInt(r.seq), channel: r.channel, platformMessageId: r.pmid, payloadEnc: r.payload_enc }));
}

/**
 * Counts a failed attempt on a resident's oldest waiting message and, at `maxAttempts`, sets it aside (done, payload
 * gone, error kept) in the same statement; returns that message's number, attempts so far and whether it was set aside.
 */
export async function recordInboundFailure(db: Db, pseudonym: string, reason: string, maxAttempts: number): Promise<{ seq: bigint; attempts: number; setAside: boolean } | undefined> {
  // Raw: finds the oldest waiting message (min in a subquery), counts the attempt and sets it aside in one statement.
  // "processed_at IS NULL" again outside the subquery: two failures of the same message at once (a batch's fallback
  // and a job of its own) then count once each until it is set aside, never past it (PostgreSQL re-checks the row).
  const rows = await db.$queryRaw<{ seq: bigint; attempts: number; set_aside: boolean }[]>(
    Prisma.sql`UPDATE inbound_message SET attempts = attempts + 1, error = ${reason},
         processed_at = CASE WHEN attempts + 1 >= ${maxAttempts} THEN now() ELSE NULL END,
         payload_enc = CASE WHEN attempts + 1 >= ${maxAttempts} THEN NULL ELSE payload_enc END
       WHERE seq = (SELECT min(seq) FROM inbound_message WHERE pseudonym = ${pseudonym} AND processed_at IS NULL) AND processed_at IS NULL
       RETURNING seq, attempts, processed_at IS NOT NULL AS set_aside`,
  );
  const row = rows[0];
  return row && { seq: row.seq, attempts: row.attempts, setAside: row.set_aside };
}

/** An erased resident: the inbox keeps only dedupe keys, unlinked from the pseudonym. */
export async function unlinkInbound(db: Db, pseudonym: string): Promise<void> {
  await db.inboundMessage.updateMany({ where: { pseudonym }, data: { pseudonym: null, payloadEnc: null } });
}

/**
 * A waiting message claimed for a batch: `keyedId` (its keyed platform id) names its replies, stable across a
 * database restore unlike `seq`; `locked` whether the resident's lock was free (else another transaction has them).
 */
export type ClaimedInbound = { seq: bigint; pseudonym: string; keyedId: string; payloadEnc: string | null; locked: boolean };

/** A batch claim: its messages, and whether any waiting message was left unclaimed when it ran (`behind`). */
export type InboundClaim = { rows: ClaimedInbound[]; behind: boolean };

/**
 * Claims the oldest waiting message of up to `limit` residents, in arrival order, for this transaction: one
 * message per resident, so their order holds. A message another transaction has claimed is skipped, and so is
 * every later message of that resident (the claimed one stays the oldest waiting until that transaction
 * commits). Each claimed resident's advisory lock (`lockResident`) is tried too: `locked: false` means someone
 * else works on that resident (their one-message path, the retention sweep) and the row must be left alone.
 */
export async function claimInbound(db: Db, limit: number): Promise<InboundClaim> {
  // Raw: FOR UPDATE SKIP LOCKED, a correlated min() per resident and pg_try_advisory_xact_lock in one statement;
  // Prisma's client can take no row lock and call no function. `behind` (the same on every row) tells the worker
  // whether to claim again after this batch, so a batch that took all there was costs no second, empty claim.
  const rows = await db.$queryRaw<{ seq: bigint | number | string; pseudonym: string; pmid: string; payload_enc: string | null; locked: boolean; behind: boolean }[]>(
    Prisma.sql`WITH claimed AS MATERIALIZED (
        SELECT m.seq, m.pseudonym, m.platform_message_id, m.payload_enc FROM inbound_message m
        WHERE m.processed_at IS NULL AND m.pseudonym IS NOT NULL
          AND m.seq = (SELECT min(o.seq) FROM inbound_message o WHERE o.pseudonym = m.pseudonym AND o.processed_at IS NULL)
        ORDER BY m.seq LIMIT ${Number(limit)}
        FOR UPDATE OF m SKIP LOCKED)
      SELECT seq, pseudonym, platform_message_id AS pmid, payload_enc, pg_try_advisory_xact_lock(hashtextextended(pseudonym, 0)) AS locked,
        EXISTS (SELECT 1 FROM inbound_message w WHERE w.processed_at IS NULL AND w.pseudonym IS NOT NULL AND w.seq NOT IN (SELECT seq FROM claimed)) AS behind
      FROM claimed ORDER BY seq`,
  );
  return {
    rows: rows.map((r) => ({ seq: BigInt(r.seq), pseudonym: r.pseudonym, keyedId: r.pmid, payloadEnc: r.payload_enc, locked: r.locked === true })),
    behind: rows.some((r) => r.behind === true),
  };
}

/** Messages handled: processed now (the database's clock, like `received_at`), payload gone, error cleared; one statement. */
export async function markInboundDoneMany(db: Db, seqs: readonly bigint[]): Promise<void> {
  if (seqs.length === 0) return;
  // Raw: processed_at takes the database's now(), the clock received_at was stamped with; Prisma's client writes only values.
  await db.$executeRaw(
    Prisma.sql`UPDATE inbound_message SET processed_at = now(), payload_enc = NULL, error = NULL WHERE seq IN (${Prisma.join(seqs.map((s) => Prisma.sql`${s}`))})`,
  );
}
