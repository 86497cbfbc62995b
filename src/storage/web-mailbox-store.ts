import type { PrismaClient } from "../generated/prisma/client.js";

/** Replies for web-chat pages, kept encrypted until the page collects them. */
export class WebMailboxStore {
  constructor(private readonly prisma: PrismaClient) {}

  async append(pseudonym: string, payloadEnc: string): Promise<string> {
    const row = await this.prisma.webMailbox.create({ data: { pseudonym, payloadEnc }, select: { seq: true } });
    return String(row.seq);
  }

  /** Messages after `after`; those up to `after` were received by the page and are deleted. */
  async collect(pseudonym: string, after: bigint): Promise<{ seq: string; payloadEnc: string }[]> {
    if (after > 0n) await this.prisma.webMailbox.deleteMany({ where: { pseudonym, seq: { lte: after } } });
    const rows = await this.prisma.webMailbox.findMany({ where: { pseudonym, seq: { gt: after } }, orderBy: { seq: "asc" }, take: 50 });
    return rows.map((r) => ({ seq: String(r.seq), payloadEnc: r.payloadEnc }));
  }

  /** Forgets what no page collected within `hours`. */
  async prune(hours: number): Promise<number> {
    const r = await this.prisma.webMailbox.deleteMany({ where: { createdAt: { lt: new Date(Date.now() - hours * 3_600_000) } } });
    return r.count;
  }
}
