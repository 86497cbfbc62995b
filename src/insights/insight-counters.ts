import type { Db } from "../storage/db-client.js";
import { InsightStore } from "../storage/insight-store.js";
import { insightKey, INSIGHT_METRICS, type InsightDims, type InsightMetric } from "./insight-metrics.js";
import { monthStart, weekStart } from "./insight-period.js";

/** A resident who wrote at `at`, with the week and month they were last counted in (their row's, as loaded). */
export type ActiveResident = { residentId: string; at: Date; insightWeek: Date | null; insightMonth: Date | null; dims: InsightDims };

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
    // In key order: two transactions that count the same cells lock them in the same order, so neither waits on the other in a circle.
    await this.store.increment(db, [...merged.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, r]) => r));
  }

  /**
   * Counts residents' first message of a week (new or returning) and of a month (reached), from the week and
   * month they were last counted in (as loaded with their row), and stores the new week and month on their
   * rows: one statement per distinct week and month (one, except across a boundary). Returns what to count, for
   * the caller to count with the rest of its transaction's counts (`count`). Call inside the residents'
   * conversation transaction.
   */
  async residentsActive(db: Db, active: readonly ActiveResident[]): Promise<{ at: Date; counts: InsightCount[] }[]> {
    const marks = new Map<string, { week: string; month: string; ids: string[] }>();
    const counts = new Map<number, { at: Date; counts: InsightCount[] }>();
    for (const r of active) {
      const week = weekStart(r.at);
      const month = monthStart(r.at);
      const add: InsightCount[] = [];
      if (dayOf(r.insightWeek) !== week) add.push({ metric: r.insightWeek === null ? "residents_new" : "residents_returning", dims: r.dims });
      if (dayOf(r.insightMonth) !== month) add.push({ metric: "residents_reached", dims: r.dims });
      if (add.length === 0) continue;
      const key = `${week}|${month}`;
      const mark = marks.get(key) ?? { week, month, ids: [] };
      mark.ids.push(r.residentId);
      marks.set(key, mark);
      const bucket = counts.get(r.at.getTime()) ?? { at: r.at, counts: [] };
      bucket.counts.push(...add);
      counts.set(r.at.getTime(), bucket);
    }
    for (const m of marks.values()) {
      await db.resident.updateMany({ where: { id: { in: m.ids } }, data: { insightWeek: asDate(m.week), insightMonth: asDate(m.month) } });
    }
    return [...counts.values()];
  }

  /** Counts something that happened to a handoff, split by its resident's neighbourhood and channel and its language and topic. */
  async handoff(db: Db, handoffId: string, at: Date, metric: InsightMetric, option?: string): Promise<void> {
    const h = await db.handoff.findUnique({ where: { id: handoffId }, select: { topic: true, language: true, resident: { select: { neighbourhood: true, channel: true } } } });
    if (!h) return;
    await this.count(db, at, [{ metric, dims: { neighbourhood: h.resident.neighbourhood, channel: h.resident.channel, language: h.language, topic: h.topic, option: option ?? null } }]);
  }
}
