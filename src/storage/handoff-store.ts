import { Prisma, type PrismaClient } from "../generated/prisma/client.js";

/**
 * Per case of one professional, the resident messages written after the professional last had it on
 * screen (`pro_seen_at`); cases with none are left out.
 * Raw: the filter compares two columns of joined rows (m.created_at > h.pro_seen_at), which Prisma's client cannot say.
 */
export async function unreadByHandoff(prisma: PrismaClient, professionalId: string): Promise<{ id: string; n: bigint }[]> {
  return prisma.$queryRaw(
    Prisma.sql`SELECT h.id::text AS id, count(m.id) AS n FROM handoff h
       JOIN handoff_message m ON m.handoff_id = h.id AND m.author = 'resident' AND (h.pro_seen_at IS NULL OR m.created_at > h.pro_seen_at)
       WHERE h.professional_id = ${professionalId}::uuid GROUP BY h.id`,
  );
}
