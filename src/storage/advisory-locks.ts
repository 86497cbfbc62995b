import { Prisma } from "../generated/prisma/client.js";
import type { Db } from "./db-client.js";

/**
 * Transaction-scoped advisory locks. The key is a 64-bit hash of a text id; the second argument of
 * `hashtextextended` (the seed) keeps the namespaces apart: 0 residents, 1 activities.
 * Raw: advisory locks are a PostgreSQL function, which Prisma's client has no call for.
 */
async function lock(tx: Db, id: string, namespace: 0 | 1): Promise<void> {
  await tx.$executeRaw(Prisma.sql`SELECT pg_advisory_xact_lock(hashtextextended(${id}, ${Prisma.raw(String(namespace))}))`);
}

/** Serialises everything done for one resident (their pseudonym) until the transaction ends. */
export async function lockResident(tx: Db, pseudonym: string): Promise<void> {
  await lock(tx, pseudonym, 0);
}

/** Serialises planning broadcasts of one activity until the transaction ends. */
export async function lockActivity(tx: Db, activityId: string): Promise<void> {
  await lock(tx, activityId, 1);
}
