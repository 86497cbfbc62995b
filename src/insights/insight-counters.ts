import type { Prisma, PrismaClient } from "../generated/prisma/client.js";
import { InsightStore } from "../storage/insight-store.js";
import { insightKey, INSIGHT_METRICS, type InsightDims, type InsightMetric } from "./insight-metrics.js";
import { monthStart, weekStart } from "./insight-period.js";

type Db = Prisma.TransactionClient | PrismaClient;

/** One thing that happened, to be counted. */
export type InsightCount = { metric: InsightMetric; dims: InsightDims; n?: number };

const asDate = (day: string) => new Date(`${day}T00:00:00Z`);
const dayOf = (d: Date | null) => (d ? d.toISOString().slice(0, 10) : null);

/**
 * Counts what happens into the weekly (and, for safety figures, monthly) counters, in the caller's transaction
 * where there is one, so a counted thing and its counter commit together. Nothing here remembers who: the
 * only per-resident trace is the week and month they were last counted in, on their own row (erased with it).
 */
export class InsightCounters {
  constructor(private readonly store: InsightStore = new InsightStore()) {}

  /** Adds one (or `n`) to each metric's counter for the week or month of `at` (Europe/Amsterdam). */
  async count(db: Db, at: Date, counts: readonly InsightCount[]): Promise<void> {
    const rows = counts
      .filter((c) => (c.n ?? 1) > 0)
      .map((c) => {
        const key = insightKey(c.metric, c.dims);
        const periodStart = INSIGHT_METRICS[c.metric].period === "week" ? weekStart(at) : monthStart(at);
        return { metric: c.metric, ...key, periodStart, count: c.n ?? 1 };
      });
    // One row per key: a statement that names the same key twice cannot upsert it.
    const merged = new Map<string, (typeof rows)[number]>();
    for (const r of rows) {
      const id = [r.metric, r.period, r.periodStart, r.neighbourhood, r.language, r.channel, r.topic, r.option].join("|");
      const seen = merged.get(id);
      if (seen) seen.count += r.count;
      else merged.set(id, { ...r });
    }
    await this.store.increment(db, [...merged.values()]);
  }

  /**
   * Counts a resident's first message of a week (new or returning) and of a month (reached), using the week
   * and month they were last counted in. Call inside the resident's conversation transaction.
   */
  async residentActive(db: Db, residentId: string, at: Date, dims: InsightDims): Promise<void> {
    const resident = await db.resident.findUnique({ where: { id: residentId }, select: { insightWeek: true, insightMonth: true } });
    if (!resident) return;
    const week = weekStart(at);
    const month = monthStart(at);
    const counts: InsightCount[] = [];
    if (dayOf(resident.insightWeek) !== week) counts.push({ metric: resident.insightWeek === null ? "residents_new" : "residents_returning", dims });
    if (dayOf(resident.insightMonth) !== month) counts.push({ metric: "residents_reached", dims });
    if (counts.length === 0) return;
    await db.resident.update({ where: { id: residentId }, data: { insightWeek: asDate(week), insightMonth: asDate(month) } });
    await this.count(db, at, counts);
  }

  /** Counts something that happened to a handoff, split by its resident's neighbourhood and channel and its language and topic. */
  async handoff(db: Db, handoffId: string, at: Date, metric: InsightMetric, option?: string): Promise<void> {
    const h = await db.handoff.findUnique({ where: { id: handoffId }, select: { topic: true, language: true, resident: { select: { neighbourhood: true, channel: true } } } });
    if (!h) return;
    await this.count(db, at, [{ metric, dims: { neighbourhood: h.resident.neighbourhood, channel: h.resident.channel, language: h.language, topic: h.topic, option: option ?? null } }]);
  }
}
