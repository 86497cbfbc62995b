import { Prisma, type PrismaClient } from "../generated/prisma/client.js";
import type { Db } from "./db-client.js";

/** Who a broadcast of an activity is for: its organisation, its subscription topic ("-" for none) and neighbourhood. */
export type AudienceMatch = { organisationId: string; topic: string; neighbourhood: string };

/** A broadcast's audience: residents subscribed to the activity, on the channels that can send now. */
export type Audience = { match: AudienceMatch; channels: readonly string[] };

/** One recipient of a broadcast, as fan-out reads them. */
export type AudienceRow = { id: string; channel: string; language: string | null; last_inbound_at: Date | null; address_enc: string; quiet: boolean };

/** Residents on these channels subscribed to the activity (its organisation, or its topic in its neighbourhood). */
function audience({ match: m, channels }: Audience): Prisma.Sql {
  return Prisma.sql`EXISTS (SELECT 1 FROM subscription s WHERE s.resident_id = r.id AND (
      s.organisation_id = ${m.organisationId}::uuid
      OR (s.organisation_id IS NULL AND (s.topic IS NULL OR s.topic = ${m.topic})
          AND (s.neighbourhood IS NULL OR ${m.neighbourhood} = 'both' OR s.neighbourhood = ${m.neighbourhood}))))
    AND r.channel = ANY(${[...channels]}::text[])`;
}

/**
 * The audience counted by channel, language, quiet and whether WhatsApp's window closed before `windowStart`.
 * Raw: it groups by a computed column (the closed window) and counts; Prisma's groupBy takes only stored columns.
 */
export async function audienceCounts(
  prisma: PrismaClient,
  a: Audience,
  windowStart: Date,
): Promise<{ channel: string; language: string | null; quiet: boolean; closed: boolean; n: bigint }[]> {
  return prisma.$queryRaw(
    Prisma.sql`SELECT r.channel, r.language, r.quiet, (r.channel = 'whatsapp' AND (r.last_inbound_at IS NULL OR r.last_inbound_at < ${windowStart})) AS closed, count(*) AS n
       FROM resident r WHERE ${audience(a)}
       GROUP BY 1, 2, 3, 4`,
  );
}

/**
 * The next `limit` recipients after resident id `after`, in id order.
 * Raw: the topic and neighbourhood rules compare a subscription's columns with each other's NULLs and with
 * 'both', an OR of correlated conditions Prisma's relation filters do not express in one EXISTS.
 */
export async function audienceBatch(prisma: PrismaClient, a: Audience, after: string, limit: number): Promise<AudienceRow[]> {
  return prisma.$queryRaw(
    Prisma.sql`SELECT r.id, r.channel, r.language, r.last_inbound_at, r.address_enc, r.quiet FROM resident r
       WHERE ${audience(a)} AND r.id > ${after}::uuid
       ORDER BY r.id LIMIT ${limit}`,
  );
}

/**
 * The broadcast's status under a share lock, so a cancel waits until this transaction has written its batch.
 * Raw: SELECT … FOR SHARE, a row lock Prisma's client cannot take.
 */
export async function broadcastStatusForShare(tx: Db, id: string): Promise<string | undefined> {
  const rows = await tx.$queryRaw<{ status: string }[]>(Prisma.sql`SELECT status FROM broadcast WHERE id = ${id}::uuid FOR SHARE`);
  return rows[0]?.status;
}

/**
 * Marks a fanned-out broadcast done if nothing is waiting or on its way; true for the one call that did.
 * Raw: a conditional UPDATE on another table's rows (NOT EXISTS) with RETURNING, so exactly one caller sees it happen.
 */
export async function finishBroadcast(prisma: PrismaClient, id: string): Promise<boolean> {
  const done = await prisma.$queryRaw<{ id: string }[]>(
    Prisma.sql`UPDATE broadcast SET status = 'done', finished_at = now()
       WHERE id = ${id}::uuid AND status = 'sending' AND fanned_out_at IS NOT NULL
         AND NOT EXISTS (SELECT 1 FROM outbound_message WHERE broadcast_id = ${id}::uuid AND status IN ('pending', 'sending'))
       RETURNING id::text AS id`,
  );
  return done.length > 0;
}

/**
 * A broadcast's send records counted by status, failures (and sends in doubt that were resolved) also by error code with one reason each.
 * Raw: it groups by a CASE expression (the code only for failures) and takes min(error_reason); Prisma's groupBy takes only columns.
 */
export async function broadcastStatusCounts(prisma: PrismaClient, id: string): Promise<{ status: string; code: string | null; reason: string | null; n: bigint }[]> {
  return prisma.$queryRaw(
    Prisma.sql`SELECT status, CASE WHEN status IN ('failed', 'blocked', 'unknown') OR error_code IN ('in-doubt-confirmed', 'in-doubt-resent') THEN error_code END AS code,
              CASE WHEN status IN ('failed', 'blocked', 'unknown') THEN min(error_reason) END AS reason, count(*) AS n
       FROM outbound_message WHERE broadcast_id = ${id}::uuid GROUP BY 1, 2`,
  );
}
