import express, { type Request, type Router } from "express";
import { z } from "zod";
import { toWallClock } from "../activities/local-time.js";
import type { InsightReader } from "../insights/insight-reader.js";
import { INSIGHT_LANGUAGES, INSIGHT_NEIGHBOURHOODS } from "../insights/insight-metrics.js";
import { parseInsightFilters } from "../insights/insight-report.js";
import { shiftMonth } from "../insights/insight-period.js";
import type { AuditLog } from "./audit-log.js";
import { filterQuery, insightsCsv, insightsPage, insightsReportPage, populationPage, type PanelText } from "./insights-page.js";
import type { PanelKit } from "./panel-kit.js";

/**
 * Insights for the neighbourhood team (issue 15): admins and the read-only wijkregie see aggregate, suppressed
 * figures, a printable monthly report and its CSV (each export in the audit log); admins enter the population.
 */
export function insightsRoutes(opts: { kit: PanelKit; reader: InsightReader; audit: AuditLog; clock: () => Date }): Router {
  const { kit, reader, audit, clock } = opts;
  const { tr, page, send, requireRole, checkCsrf, csrfField, saved } = kit;
  const router = express.Router();
  const form = express.urlencoded({ extended: false, limit: "8kb" });
  const readers = requireRole("admin", "wijkregie");
  const adminOnly = requireRole("admin");
  const text = (req: Request): PanelText => (key, params) => tr(req, key, params);
  const thisMonth = () => toWallClock(clock()).date.slice(0, 7);
  const filters = (req: Request) => parseInsightFilters(req.query, thisMonth());
  const actor = (req: Request) => ({ userId: req.staff!.userId, displayName: req.staff!.displayName, email: req.staff!.email });

  // The wijkregie's start page is Insights: the rest of the panel is not theirs.
  router.get("/admin", (req, res, next) => {
    if (req.staff?.role === "wijkregie" && req.staff.complete && !req.staff.needsTotpSetup) return res.redirect(303, "/admin/insights");
    next();
  });

  router.get("/admin/insights", readers, async (req, res) => {
    const report = await reader.report(filters(req));
    const monthChoices = Array.from({ length: 24 }, (_, i) => shiftMonth(thisMonth(), -i));
    send(res, page(req, tr(req, "nav_insights"), insightsPage({ report, monthChoices, canEditPopulation: req.staff!.role === "admin" }, text(req))));
  });

  router.get("/admin/insights/report", readers, async (req, res) => {
    const f = filters(req);
    const report = await reader.report({ ...f, months: 1 });
    await audit.record(actor(req), "export", { type: "page" }, `insights report ${f.month} (${filterQuery(f)})`);
    const at = toWallClock(clock());
    send(res, page(req, tr(req, "ins_report_title", { month: f.month }), insightsReportPage(report, text(req), `${at.date} ${at.time}`)));
  });

  router.get("/admin/insights/report.csv", readers, async (req, res) => {
    const f = filters(req);
    const report = await reader.report({ ...f, months: 1 });
    await audit.record(actor(req), "export", { type: "page" }, `insights CSV ${f.month} (${filterQuery(f)})`);
    res.status(200).type("text/csv; charset=utf-8").set("content-disposition", `attachment; filename="naast-insights-${f.month}.csv"`);
    res.send(insightsCsv(report, "hidden"));
  });

  const populationView = async (req: Request, error?: string) =>
    page(req, tr(req, "ins_population_title"), populationPage({ rows: await reader.population(), csrf: csrfField(req), saved: saved(req), ...(error ? { error } : {}) }, text(req)));

  router.get("/admin/insights/population", adminOnly, async (req, res) => send(res, await populationView(req)));

  const populationSchema = z.object({
    neighbourhood: z.enum(INSIGHT_NEIGHBOURHOODS),
    language: z.union([z.enum(INSIGHT_LANGUAGES), z.literal("all")]),
    count: z.coerce.number().int().min(0).max(1_000_000),
    source: z.string().trim().min(2).max(200),
    asOf: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  });
  router.post("/admin/insights/population", form, checkCsrf, adminOnly, async (req, res) => {
    const body = populationSchema.safeParse(req.body);
    if (!body.success) return send(res, await populationView(req, tr(req, "ins_population_invalid")), 400);
    await reader.setPopulation(body.data, req.staff!.userId);
    await audit.record(actor(req), "population-change", { type: "page" }, `population ${body.data.neighbourhood}/${body.data.language} = ${body.data.count}`);
    res.redirect(303, "/admin/insights/population?saved=population");
  });

  return router;
}
