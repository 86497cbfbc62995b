import { Prisma, type PrismaClient } from "../generated/prisma/client.js";
import { lockResident } from "./advisory-locks.js";
import { unlinkInbound } from "./inbox-store.js";

/** Residents looked at per sweep; the rest wait for the next one. */
const BATCH = 200;

/**
 * Forgets residents who have not written for `days` (RESIDENT_RETENTION_DAYS, default 180): their
 * conversation state (where they were, what they answered) is deleted. A resident with nothing else
 * kept for them is erased entirely, as with `stop`; one who still has news subscriptions or an open
 * handoff keeps those (they asked for them) but loses the conversation. Each resident is handled under
 * the same advisory lock the conversation takes, so a message arriving at that moment waits or wins.
 * Returns how many residents were touched.
 */
export async function forgetInactiveResidents(prisma: PrismaClient, days: number): Promise<number> {
  // Raw: "inactive" is measured on the database's clock from coalesce(last_inbound_at, created_at), and the
  // EXISTS / NOT EXISTS mix over three tables has no Prisma filter with the same meaning on a nullable coalesce.
  const due = await prisma.$queryRaw<{ id: string; pseudonym: string }[]>(
    Prisma.sql`SELECT r.id, r.pseudonym FROM resident r
     WHERE coalesce(r.last_inbound_at, r.created_at) < now() - (${String(days)} || ' days')::interval
       AND (EXISTS (SELECT 1 FROM conversation c WHERE c.resident_id = r.id)
            OR NOT EXISTS (SELECT 1 FROM subscription s WHERE s.resident_id = r.id)
               AND NOT EXISTS (SELECT 1 FROM handoff h WHERE h.resident_id = r.id AND h.status <> 'closed'))
     LIMIT ${BATCH}`,
  );
  let touched = 0;
  for (const r of due) {
    await prisma.$transaction(async (tx) => {
      await lockResident(tx, r.pseudonym);
      // Raw: the same database-clock test as above, now under the resident's lock, with what keeps them in one row.
      const still = await tx.$queryRaw<{ keep: boolean }[]>(
        Prisma.sql`SELECT (EXISTS (SELECT 1 FROM subscription s WHERE s.resident_id = r.id)
                 OR EXISTS (SELECT 1 FROM handoff h WHERE h.resident_id = r.id AND h.status <> 'closed')) AS keep
         FROM resident r WHERE r.id = ${r.id}::uuid AND coalesce(r.last_inbound_at, r.created_at) < now() - (${String(days)} || ' days')::interval`,
      );
      const row = still[0];
      if (!row) return; // wrote in the meantime, or already gone
      if (row.keep) {
        await tx.conversation.deleteMany({ where: { residentId: r.id } });
      } else {
        await tx.resident.delete({ where: { id: r.id } });
        await unlinkInbound(tx, r.pseudonym);
        await tx.webMailbox.deleteMany({ where: { pseudonym: r.pseudonym } });
      }
      touched += 1;
    });
  }
  return touched;
}
