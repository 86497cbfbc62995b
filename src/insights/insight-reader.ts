import type { PrismaClient } from "../generated/prisma/client.js";
import { InsightStore } from "../storage/insight-store.js";
import { REPORT_METRICS, buildInsightReport, reportMonths, reportRange, type InsightFilters, type InsightReport, type PopulationFigure } from "./insight-report.js";
import { K_ANONYMITY } from "./suppression.js";

/** Reads the counters and the population for a report, and builds it (suppressed). */
export class InsightReader {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly store: InsightStore = new InsightStore(),
    /** The smallest figure shown; the team's agreed 10 unless a test says otherwise. */
    private readonly k: number = K_ANONYMITY,
  ) {}

  async report(filters: InsightFilters): Promise<InsightReport> {
    const { from, to } = reportRange(reportMonths(filters));
    const rows = await this.store.read(this.prisma, REPORT_METRICS, from, to);
    return buildInsightReport(filters, rows, await this.population(), this.k);
  }

  async population(): Promise<PopulationFigure[]> {
    const rows = await this.prisma.insightPopulation.findMany({ orderBy: [{ neighbourhood: "asc" }, { language: "asc" }] });
    return rows.map((r) => ({ neighbourhood: r.neighbourhood, language: r.language, count: r.count, source: r.source, asOf: r.asOf.toISOString().slice(0, 10) }));
  }

  /** An admin enters (or corrects) one group's population with its source and date. */
  async setPopulation(p: PopulationFigure, updatedById: string): Promise<void> {
    const data = { count: p.count, source: p.source, asOf: new Date(`${p.asOf}T00:00:00Z`), updatedById };
    await this.prisma.insightPopulation.upsert({ where: { neighbourhood_language: { neighbourhood: p.neighbourhood, language: p.language } }, create: { neighbourhood: p.neighbourhood, language: p.language, ...data }, update: data });
  }
}
