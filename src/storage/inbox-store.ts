import type { PrismaClient } from "../generated/prisma/client.js";

/** A row to put in the inbox: channel + platform id is the dedupe key. */
export type InboxRow = { channel: string; platformMessageId: string; pseudonym: string; payloadEnc: string };

/** A resident with a message waiting: the oldest one's inbox sequence number. */
export type Accepted = { seq: string; pseudonym: string };

/** A row one insert accepted (duplicates are left out): `key` is channel and keyed platform id joined, to tell which deliveries were new. */
export type Inserted = Accepted & { channel: string; keyedId: string; key: string };

/** The durable inbox: webhooks write here before answering, workers drain per resident in `seq` order. */
export class InboxStore {
  constructor(private readonly prisma: PrismaClient) {}

  /** Inserts many rows in one statement; a platform id seen before is skipped, so redelivery is a no-op. */
  async insertMany(rows: readonly InboxRow[]): Promise<Inserted[]> {
    if (rows.length === 0) return [];
    const values: string[] = [];
    const params: unknown[] = [];
    rows.forEach((r, i) => {
      const p = i * 4;
      values.push(`($${p + 1}, $${p + 2}, $${p + 3}, $${p + 4})`);
      params.push(r.channel, r.platformMessageId, r.pseudonym, r.payloadEnc);
    });
    const inserted = await this.prisma.$queryRawUnsafe<{ seq: bigint | number | string; pseudonym: string; channel: string; pmid: string }[]>(
      `INSERT INTO inbound_message (channel, platform_message_id, pseudonym, payload_enc) VALUES ${values.join(", ")}
       ON CONFLICT (channel, platform_message_id) DO NOTHING RETURNING seq, pseudonym, channel, platform_message_id AS pmid`,
      ...params,
    );
    return inserted.map((r) => ({ seq: String(r.seq), pseudonym: r.pseudonym, channel: r.channel, keyedId: r.pmid, key: `${r.channel}\u0000${r.pmid}` }));
  }

  /** Residents with messages waiting longer than `olderThanMs`, for the recovery sweep. */
  async stalePseudonyms(olderThanMs: number, limit = 500): Promise<Accepted[]> {
    const rows = await this.prisma.$queryRawUnsafe<{ seq: bigint | number | string; pseudonym: string }[]>(
      `SELECT min(seq) AS seq, pseudonym FROM inbound_message
       WHERE processed_at IS NULL AND pseudonym IS NOT NULL AND received_at < now() - ($1 || ' milliseconds')::interval
       GROUP BY pseudonym LIMIT ${Number(limit)}`,
      String(olderThanMs),
    );
    return rows.map((r) => ({ seq: String(r.seq), pseudonym: r.pseudonym }));
  }

  /** Forgets dedupe keys older than `days` (platforms do not redeliver that late). */
  async prune(days: number): Promise<number> {
    return this.prisma.$executeRawUnsafe(
      `DELETE FROM inbound_message WHERE processed_at IS NOT NULL AND received_at < now() - ($1 || ' days')::interval`,
      String(days),
    );
  }
}
