import type { PrismaClient } from "../generated/prisma/client.js";
import { IN_DOUBT } from "./outbox-store.js";

/**
 * How the sends of a period ended, for the panel: accepted (sent, delivered or read), refused (failed or
 * blocked), still waiting, and what became of sends whose outcome was unknown. `waitingForProof` are WhatsApp
 * sends in doubt whose status may still come (or that will be sent once more when none does);
 * `inDoubtForGood` are sends nobody can resolve (Telegram and the web chat cannot be asked, or the one
 * resend was in doubt too).
 */
export type DeliverySummary = { sent: number; refused: number; waiting: number; waitingForProof: number; provedByStatus: number; sentOnceMore: number; inDoubtForGood: number };

const REACHED: ReadonlySet<string> = new Set(["sent", "delivered", "read"]);

/** How the sends created since `since` ended; one grouped query over the send records. */
export async function deliverySummary(prisma: PrismaClient, since: Date): Promise<DeliverySummary> {
  const groups = await prisma.outboundMessage.groupBy({ by: ["channel", "status", "errorCode"], where: { createdAt: { gte: since } }, _count: { _all: true } });
  const out: DeliverySummary = { sent: 0, refused: 0, waiting: 0, waitingForProof: 0, provedByStatus: 0, sentOnceMore: 0, inDoubtForGood: 0 };
  for (const g of groups) {
    const n = g._count._all;
    const reached = REACHED.has(g.status);
    if (reached) out.sent += n;
    else if (g.status === "failed" || g.status === "blocked") out.refused += n;
    else if (g.status === "pending" || g.status === "sending") out.waiting += n;
    if (g.errorCode === IN_DOUBT.confirmed) out.provedByStatus += n;
    else if (g.errorCode === IN_DOUBT.resent && reached) out.sentOnceMore += n;
    else if (g.status === "unknown" && g.errorCode === IN_DOUBT.open && g.channel === "whatsapp") out.waitingForProof += n;
    else if (g.status === "unknown") out.inDoubtForGood += n;
  }
  return out;
}
