import { Prisma } from "../generated/prisma/client.js";
import type { Db } from "./db-client.js";

/** One counter row as stored (`period_start` as `YYYY-MM-DD`). */
export type InsightRow = {
  metric: string;
  periodStart: string;
  neighbourhood: string;
  language: string;
  channel: string;
  topic: string;
  option: string;
  count: number;
};

/** The insight counters' SQL (table `insight_counter`). */
export class InsightStore {
  /**
   * Adds to counters. Raw SQL because an increment must be one atomic upsert (`ON CONFLICT DO UPDATE SET
   * count = count + n`): two conversations counting the same cell at once must both count, which Prisma's
   * `upsert` (read, then write) does not promise.
   */
  async increment(db: Db, rows: readonly (Omit<InsightRow, "periodStart"> & { period: string; periodStart: string })[]): Promise<void> {
    if (rows.length === 0) return;
    // Raw: an atomic increment (ON CONFLICT DO UPDATE SET count = count + n); Prisma's upsert reads, then writes.
    const values = rows.map(
      (r) => Prisma.sql`(${r.period}, ${r.periodStart}::date, ${r.neighbourhood}, ${r.language}, ${r.channel}, ${r.topic}, ${r.metric}, ${r.option}, ${r.count})`,
    );
    await db.$executeRaw(Prisma.sql`INSERT INTO insight_counter (period, period_start, neighbourhood, language, channel, topic, metric, option, count)
      VALUES ${Prisma.join(values)}
      ON CONFLICT (period, period_start, neighbourhood, language, channel, topic, metric, option)
      DO UPDATE SET count = insight_counter.count + EXCLUDED.count`);
  }

  /**
   * Counters of some metrics with a period start in [from, to] (`YYYY-MM-DD`). Raw SQL to read the date
   * column as text, so no time zone can shift a week's Monday.
   */
  async read(db: Db, metrics: readonly string[], from: string, to: string): Promise<InsightRow[]> {
    if (metrics.length === 0) return [];
    // Raw: the date column read as text (to_char), so no time zone can shift a week's Monday.
    const rows = await db.$queryRaw<{ metric: string; period_start: string; neighbourhood: string; language: string; channel: string; topic: string; option: string; count: number }[]>(
      Prisma.sql`SELECT metric, to_char(period_start, 'YYYY-MM-DD') AS period_start, neighbourhood, language, channel, topic, option, count
        FROM insight_counter WHERE metric IN (${Prisma.join([...metrics])}) AND period_start BETWEEN ${from}::date AND ${to}::date`,
    );
    return rows.map((r) => ({ metric: r.metric, periodStart: r.period_start, neighbourhood: r.neighbourhood, language: r.language, channel: r.channel, topic: r.topic, option: r.option, count: Number(r.count) }));
  }
}
