import type { PrismaClient } from "../generated/prisma/client.js";

/** How much work is waiting, read from the database (the truth; queues only carry work). */
export type Backlog = {
  /** Inbound messages stored but not yet handled, and the age of the oldest (seconds; 0 when none). */
  inbox: { depth: number; oldestAgeSeconds: number };
  /** Send records not yet handed to the platform (pending or being sent), per channel. */
  outbox: Map<string, { depth: number; oldestAgeSeconds: number }>;
  /** Handoffs no professional has accepted yet, and those of them past their accept-by time. */
  handoffs: { waiting: number; overdue: number };
  /** Broadcasts whose fan-out or sending is under way. */
  broadcastsInProgress: number;
};

/** Send-record states that still need work from Naast. */
const UNSENT = ["pending", "sending"];

/** Reads the backlog with a handful of indexed aggregate queries (inbox, outbox, handoff and broadcast indexes). */
export class BacklogStore {
  constructor(private readonly prisma: PrismaClient) {}

  async read(now: Date): Promise<Backlog> {
    const age = (oldest: Date | null | undefined) => (oldest ? Math.max(0, (now.getTime() - oldest.getTime()) / 1000) : 0);
    const [inbox, outbox, waiting, overdue, broadcasts] = await Promise.all([
      this.prisma.inboundMessage.aggregate({ where: { processedAt: null }, _count: { _all: true }, _min: { receivedAt: true } }),
      this.prisma.outboundMessage.groupBy({ by: ["channel"], where: { status: { in: UNSENT } }, _count: { _all: true }, _min: { createdAt: true } }),
      this.prisma.handoff.count({ where: { status: "new" } }),
      this.prisma.handoff.count({ where: { status: "new", acceptBy: { lt: now } } }),
      this.prisma.broadcast.count({ where: { status: "sending" } }),
    ]);
    return {
      inbox: { depth: inbox._count._all, oldestAgeSeconds: age(inbox._min.receivedAt) },
      outbox: new Map(outbox.map((o) => [o.channel, { depth: o._count._all, oldestAgeSeconds: age(o._min.createdAt) }])),
      handoffs: { waiting, overdue },
      broadcastsInProgress: broadcasts,
    };
  }
}
