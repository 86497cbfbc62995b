import { Prisma } from "../generated/prisma/client.js";
import type { Db } from "./db-client.js";

/** A resident as a conversation needs them, with their conversation (`revision` null: none stored yet). */
export type LoadedResident = {
  id: string;
  pseudonym: string;
  insightWeek: Date | null;
  insightMonth: Date | null;
  state: Prisma.JsonValue | null;
  stateEnc: string | null;
  revision: number | null;
};

/** What one step changes on a resident's row; a field left out is left as it is. */
export type ResidentChange = { id: string; language?: string | undefined; neighbourhood?: string | null | undefined; quiet?: boolean | undefined };

/** A conversation state to store over the `revision` it was loaded with. */
export type ConversationWrite = { residentId: string; revision: number; stateEnc: string };

const day = (d: string | null) => (d ? new Date(`${d}T00:00:00Z`) : null);

/** Residents by pseudonym with their conversations, in one statement (a missing pseudonym is left out). */
export async function loadResidents(db: Db, pseudonyms: readonly string[]): Promise<LoadedResident[]> {
  if (pseudonyms.length === 0) return [];
  // Raw: one statement for residents and their conversations (Prisma's include reads them with two), with the
  // date columns as text so no time zone can shift a week's Monday.
  const rows = await db.$queryRaw<
    { id: string; pseudonym: string; insight_week: string | null; insight_month: string | null; state: Prisma.JsonValue | null; state_enc: string | null; revision: number | null }[]
  >(
    Prisma.sql`SELECT r.id::text AS id, r.pseudonym, to_char(r.insight_week, 'YYYY-MM-DD') AS insight_week, to_char(r.insight_month, 'YYYY-MM-DD') AS insight_month,
        c.state, c.state_enc, c.revision
      FROM resident r LEFT JOIN conversation c ON c.resident_id = r.id
      WHERE r.pseudonym IN (${Prisma.join(pseudonyms.map((p) => Prisma.sql`${p}`))})`,
  );
  return rows.map((r) => ({
    id: r.id,
    pseudonym: r.pseudonym,
    insightWeek: day(r.insight_week),
    insightMonth: day(r.insight_month),
    state: r.state,
    stateEnc: r.state_enc,
    revision: r.revision === null ? null : Number(r.revision),
  }));
}

/** Stores what each resident's step changed on their row (language, neighbourhood, quiet), in one statement. */
export async function updateResidents(db: Db, changes: readonly ResidentChange[]): Promise<void> {
  if (changes.length === 0) return;
  const values = changes.map(
    (c) =>
      Prisma.sql`(${c.id}::uuid, ${c.language !== undefined}::boolean, ${c.language ?? null}::text, ${c.neighbourhood !== undefined}::boolean, ${c.neighbourhood ?? null}::text, ${c.quiet ?? null}::boolean)`,
  );
  // Raw: a different value per row in one UPDATE … FROM (VALUES …); Prisma's client updates many rows only with one value.
  await db.$executeRaw(
    Prisma.sql`UPDATE resident r SET language = CASE WHEN v.set_language THEN v.language ELSE r.language END,
        neighbourhood = CASE WHEN v.set_neighbourhood THEN v.neighbourhood ELSE r.neighbourhood END,
        quiet = COALESCE(v.quiet, r.quiet)
      FROM (VALUES ${Prisma.join(values)}) AS v(id, set_language, language, set_neighbourhood, neighbourhood, quiet)
      WHERE r.id = v.id`,
  );
}

/**
 * Stores conversation states over the revisions they were loaded with, in one statement. Returns the residents
 * whose row was written; one missing means their conversation changed underneath.
 */
export async function updateConversations(db: Db, writes: readonly ConversationWrite[]): Promise<Set<string>> {
  if (writes.length === 0) return new Set();
  const values = writes.map((w) => Prisma.sql`(${w.residentId}::uuid, ${w.revision}::int, ${w.stateEnc}::text)`);
  // Raw: a different state and revision check per row in one UPDATE … FROM (VALUES …) … RETURNING; Prisma's
  // updateMany sets one value for all rows and returns only a count.
  const rows = await db.$queryRaw<{ resident_id: string }[]>(
    Prisma.sql`UPDATE conversation c SET state = NULL, state_enc = v.state_enc, revision = c.revision + 1, updated_at = now()
      FROM (VALUES ${Prisma.join(values)}) AS v(resident_id, revision, state_enc)
      WHERE c.resident_id = v.resident_id AND c.revision = v.revision
      RETURNING c.resident_id::text AS resident_id`,
  );
  return new Set(rows.map((r) => r.resident_id));
}

/**
 * Raw beside the client for the few writes every inbound batch makes: Prisma's `createMany` and `updateMany` go
 * through its query compiler on each call, 6–9 ms of CPU for a batch of 30 rows on the benchmark machine against
 * 1–3 ms for the same rows as arrays (`unnest`), which also keeps the statement's text the same for every batch.
 * Timestamps are written as the UTC wall time Prisma writes (the columns have no time zone); a row's `created_at`
 * is when it was written, as the client set it, not when the transaction began.
 */
const utc = (d: Date) => d.toISOString();

/** Notes that these residents wrote at `at`, in one statement. */
export async function touchResidents(db: Db, ids: readonly string[], at: Date): Promise<void> {
  if (ids.length === 0) return;
  // Raw: the client's updateMany would run its query compiler on every inbound batch (see above).
  await db.$executeRaw(Prisma.sql`UPDATE resident SET last_inbound_at = ${utc(at)}::timestamp WHERE id = ANY(${[...ids]}::uuid[])`);
}

/** A resident's first message: their row, with the address sealed. */
export type NewResident = { id: string; pseudonym: string; channel: string; addressEnc: string; lastInboundAt: Date };

/** Creates residents in one statement; a pseudonym that exists makes it throw (the caller holds their inbox rows). */
export async function insertResidents(db: Db, rows: readonly NewResident[]): Promise<void> {
  if (rows.length === 0) return;
  // Raw: the client's createMany would run its query compiler on every inbound batch (see above).
  await db.$executeRaw(
    Prisma.sql`INSERT INTO resident (id, pseudonym, channel, address_enc, last_inbound_at, created_at)
      SELECT *, clock_timestamp() AT TIME ZONE 'UTC' FROM unnest(${rows.map((r) => r.id)}::uuid[], ${rows.map((r) => r.pseudonym)}::text[], ${rows.map((r) => r.channel)}::text[],
        ${rows.map((r) => r.addressEnc)}::text[], ${rows.map((r) => utc(r.lastInboundAt))}::timestamp[])`,
  );
}

/** Stores first conversation states (revision 0 or as given) in one statement. */
export async function insertConversations(db: Db, rows: readonly { residentId: string; stateEnc: string; revision: number }[]): Promise<void> {
  if (rows.length === 0) return;
  // Raw: the client's createMany would run its query compiler on every inbound batch (see above).
  await db.$executeRaw(
    Prisma.sql`INSERT INTO conversation (resident_id, state_enc, revision, updated_at)
      SELECT r, s, v, now() FROM unnest(${rows.map((r) => r.residentId)}::uuid[], ${rows.map((r) => r.stateEnc)}::text[], ${rows.map((r) => r.revision)}::int[]) AS x(r, s, v)`,
  );
}
