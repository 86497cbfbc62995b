import { z } from "zod";
import type { InsightRow } from "../storage/insight-store.js";
import { INSIGHT_CHANNELS, INSIGHT_LANGUAGES, INSIGHT_METRICS, INSIGHT_NEIGHBOURHOODS, type InsightDimension, type InsightMetric } from "./insight-metrics.js";
import { monthOfWeek, monthPattern, shiftMonth, weeksOfMonth } from "./insight-period.js";
import { K_ANONYMITY, suppressCube, type Shown, type SuppressedCube } from "./suppression.js";

/** The filters of the Insights page and report; an absent filter is "all". */
export const insightFiltersSchema = z.object({
  /** The month reported (`YYYY-MM`); the trend charts end with it. */
  month: z.string().regex(monthPattern),
  /** How many months the weekly trend charts cover (1, 3, 6 or 12). */
  months: z.union([z.literal(1), z.literal(3), z.literal(6), z.literal(12)]),
  neighbourhood: z.enum(INSIGHT_NEIGHBOURHOODS).optional(),
  language: z.enum(INSIGHT_LANGUAGES).optional(),
  channel: z.enum(INSIGHT_CHANNELS).optional(),
});
export type InsightFilters = z.infer<typeof insightFiltersSchema>;

/** Reads the page's query string; anything unknown falls back to "all" or the given month. */
export function parseInsightFilters(query: Record<string, unknown>, currentMonth: string): InsightFilters {
  const text = (v: unknown) => (typeof v === "string" && v !== "" && v !== "all" ? v : undefined);
  const month = text(query.month);
  const months = Number(query.months);
  const pick = <T extends readonly string[]>(list: T, v: unknown): T[number] | undefined => {
    const s = text(v);
    return s !== undefined && (list as readonly string[]).includes(s) ? s : undefined;
  };
  return {
    month: month && monthPattern.test(month) && month <= currentMonth ? month : currentMonth,
    months: months === 1 || months === 6 || months === 12 ? months : 3,
    ...optional("neighbourhood", pick(INSIGHT_NEIGHBOURHOODS, query.neighbourhood)),
    ...optional("language", pick(INSIGHT_LANGUAGES, query.language)),
    ...optional("channel", pick(INSIGHT_CHANNELS, query.channel)),
  };
}

function optional<K extends string, V>(key: K, v: V | undefined): { [P in K]?: V } {
  return (v === undefined ? {} : { [key]: v }) as { [P in K]?: V };
}

/** One table of the report: rows of cells, each a suppressed figure; codes, worded by the page. */
export type InsightTable = {
  id: string;
  /** What the rows are: a dimension, or "metric" (each row a metric). */
  rowKind: InsightDimension | "metric";
  /** What the columns are (codes), worded like the rows. */
  columnKind: InsightDimension | "metric" | "total";
  columns: string[];
  rows: { code: string; cells: Shown[] }[];
  /** This table is not split by some of the chosen filters (safety figures: month and neighbourhood only). */
  ignores: InsightDimension[];
};

/** A weekly series for a chart. */
export type InsightTrend = { metric: InsightMetric; points: { week: string; figure: Shown }[] };

/** Population of a neighbourhood's language group, as an admin entered it. */
export type PopulationFigure = { neighbourhood: string; language: string; count: number; source: string; asOf: string };

/** Reach of one group against its population; the share only when the figure is shown. */
export type ReachRow = { neighbourhood: string; language: string; reached: Shown; population?: PopulationFigure; share?: number };

/** Everything the page, the printable report and the CSV show for one set of filters. */
export type InsightReport = {
  filters: InsightFilters;
  k: number;
  weeks: string[];
  trends: InsightTrend[];
  tables: InsightTable[];
  promises: { acceptedInTime: Shown; accepted: Shown; share?: number; escalated: Shown; consented: Shown };
  reach: ReachRow[];
};

/** The metrics drawn as weekly charts. */
export const TREND_METRICS = ["residents_new", "residents_returning", "topic_opened", "handoff_consented", "handoff_accepted"] as const satisfies readonly InsightMetric[];

/** The metrics the report splits by topic (its topic tables); every other one is read over all topics. */
export const TOPIC_METRICS = ["topic_opened", "advice_read"] as const satisfies readonly InsightMetric[];

/** Every metric the report reads. */
export const REPORT_METRICS = Object.keys(INSIGHT_METRICS) as InsightMetric[];

const DIMS: readonly InsightDimension[] = ["neighbourhood", "language", "channel", "topic", "option"];

/**
 * Which figures of a cube (week, neighbourhood, language, channel, topic, option) some view shows: every
 * month figure (tables, report, CSV), and per week only the totals the charts draw, under at most one of the
 * neighbourhood, language and channel filters. What no view shows needs no protection, so fewer figures
 * are hidden for the sake of others.
 */
export function publishedFigure(f: readonly (string | null)[]): boolean {
  const [week, neighbourhood, language, channel, topic, option] = f;
  if (week === null || week === undefined) return true;
  return (topic ?? null) === null && (option ?? null) === null && [neighbourhood, language, channel].filter((x) => x !== null && x !== undefined).length <= 1;
}

/** The months (`YYYY-MM`) a report with these filters needs counters of, oldest first. */
export function reportMonths(filters: InsightFilters): string[] {
  return Array.from({ length: filters.months }, (_, i) => shiftMonth(filters.month, i - filters.months + 1));
}

/** The period-start range to read for these months: the first Monday may lie before the month's first day. */
export function reportRange(months: readonly string[]): { from: string; to: string } {
  return { from: `${shiftMonth(months[0]!, -1)}-25`, to: `${shiftMonth(months.at(-1)!, 1)}-01` };
}

/**
 * Builds the report from counter rows. Every figure comes from one suppressed cube per metric and month
 * (weeks × neighbourhood × language × channel × topic × option), so the same figure is the same in every view
 * and filter, and no view can be subtracted from another.
 */
export function buildInsightReport(filters: InsightFilters, rows: readonly InsightRow[], population: readonly PopulationFigure[], k: number = K_ANONYMITY): InsightReport {
  const months = reportMonths(filters);
  const cubes = new Map<string, SuppressedCube>();
  const cube = (metric: InsightMetric, month: string): SuppressedCube => {
    const id = `${metric}|${month}`;
    let c = cubes.get(id);
    if (!c) {
      const weekly = INSIGHT_METRICS[metric].period === "week";
      const inMonth = rows.filter((r) => r.metric === metric && (weekly ? monthOfWeek(r.periodStart) === month && weeksOfMonth(month).includes(r.periodStart) : r.periodStart === `${month}-01`));
      // Topics are shown only for the topic tables; elsewhere they are summed away, as no view splits by them.
      const byTopic = (TOPIC_METRICS as readonly string[]).includes(metric);
      c = suppressCube(6, inMonth.map((r) => ({ key: [r.periodStart, r.neighbourhood, r.language, r.channel, byTopic ? r.topic : "-", r.option], count: r.count })), k, publishedFigure);
      cubes.set(id, c);
    }
    return c;
  };
  /** A figure of a metric in a month under the filters, with some dimensions pinned. */
  const figure = (metric: InsightMetric, month: string, pin: Partial<Record<InsightDimension, string>> = {}, week: string | null = null): Shown => {
    const by: readonly InsightDimension[] = INSIGHT_METRICS[metric].by;
    const key = DIMS.map((d) => {
      if (!by.includes(d)) return null;
      if (pin[d] !== undefined) return pin[d];
      return d === "neighbourhood" || d === "language" || d === "channel" ? (filters[d] ?? null) : null;
    });
    return cube(metric, month).get([week, ...key]);
  };
  const ignored = (metric: InsightMetric): InsightDimension[] => {
    const by: readonly InsightDimension[] = INSIGHT_METRICS[metric].by;
    return (["neighbourhood", "language", "channel"] as const).filter((d) => filters[d] !== undefined && !by.includes(d));
  };
  const valuesOf = (metric: InsightMetric, month: string, d: InsightDimension): string[] => {
    const index = DIMS.indexOf(d) + 1;
    return [...cube(metric, month).dims[index]!].filter((v) => v !== "-" && v !== "");
  };

  const weeks = months.flatMap((m) => weeksOfMonth(m));
  // Weekly figures are published under one filter at a time (see publishedFigure): with more, the charts say so.
  const weeklyFilters = (["neighbourhood", "language", "channel"] as const).filter((d) => filters[d] !== undefined).length;
  const trends: InsightTrend[] = weeklyFilters > 1 ? [] : TREND_METRICS.map((metric) => ({ metric, points: weeks.map((w) => ({ week: w, figure: figure(metric, monthOfWeek(w), {}, w) })) }));

  const m = filters.month;
  const metricTable = (id: string, metrics: readonly InsightMetric[]): InsightTable => ({
    id,
    rowKind: "metric",
    columnKind: "total",
    columns: ["total"],
    rows: metrics.map((metric) => ({ code: metric, cells: [figure(metric, m)] })),
    ignores: [...new Set(metrics.flatMap(ignored))],
  });
  const byTable = (id: string, metric: InsightMetric, d: InsightDimension): InsightTable => ({
    id,
    rowKind: d,
    columnKind: "metric",
    columns: [metric],
    rows: [...valuesOf(metric, m, d).map((v) => ({ code: v, cells: [figure(metric, m, { [d]: v })] })), { code: "total", cells: [figure(metric, m)] }],
    ignores: ignored(metric),
  });
  const neighbourhoods = filters.neighbourhood ? [filters.neighbourhood] : INSIGHT_NEIGHBOURHOODS.filter((n) => n !== "both");
  const safety: InsightTable = {
    id: "safety",
    rowKind: "neighbourhood",
    columnKind: "metric",
    columns: ["safety_shown", "crisis_shown", "hint_offered"],
    rows: [...neighbourhoods.map((n) => ({ code: n, cells: (["safety_shown", "crisis_shown", "hint_offered"] as const).map((metric) => figure(metric, m, { neighbourhood: n })) })), ...(filters.neighbourhood ? [] : [{ code: "total", cells: (["safety_shown", "crisis_shown", "hint_offered"] as const).map((metric) => figure(metric, m)) }])],
    ignores: ignored("safety_shown"),
  };
  const tables: InsightTable[] = [
    metricTable("residents", ["residents_new", "residents_returning", "residents_reached"]),
    byTable("residents-by-neighbourhood", "residents_reached", "neighbourhood"),
    byTable("residents-by-language", "residents_reached", "language"),
    byTable("residents-by-channel", "residents_reached", "channel"),
    byTable("topics", "topic_opened", "topic"),
    byTable("advice", "advice_read", "topic"),
    byTable("home", "home_answer", "option"),
    metricTable("relationships", ["relationship_check_started", "relationship_check_finished"]),
    metricTable("requests", ["handoff_offered", "handoff_consented", "handoff_accepted", "handoff_escalated", "handoff_closed"]),
    byTable("outcomes", "handoff_closed", "option"),
    byTable("checkins", "checkin_answer", "option"),
    metricTable("news", ["subscribed", "unsubscribed", "activity_published", "broadcast_recipients"]),
    safety,
  ];

  const acceptedInTime = figure("handoff_accepted", m, { option: "in_time" });
  const accepted = figure("handoff_accepted", m);
  const promises = {
    acceptedInTime,
    accepted,
    ...(acceptedInTime.kind === "value" && accepted.kind === "value" && accepted.value > 0 ? { share: acceptedInTime.value / accepted.value } : {}),
    escalated: figure("handoff_escalated", m),
    consented: figure("handoff_consented", m),
  };

  const reach: ReachRow[] = [];
  for (const n of neighbourhoods.filter((x) => x !== "unknown" && x !== "elsewhere")) {
    const languages = filters.language ? [filters.language] : [...INSIGHT_LANGUAGES.filter((l) => l !== "unknown"), "all"];
    for (const l of languages) {
      const reached = figure("residents_reached", m, { neighbourhood: n, ...(l === "all" ? {} : { language: l }) });
      const pop = population.find((p) => p.neighbourhood === n && p.language === l);
      if (!pop && reached.kind !== "value") continue;
      reach.push({ neighbourhood: n, language: l, reached, ...(pop ? { population: pop } : {}), ...(pop && pop.count > 0 && reached.kind === "value" ? { share: reached.value / pop.count } : {}) });
    }
  }
  return { filters, k, weeks, trends, tables, promises, reach };
}
