import { readFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { NaastMetrics } from "../../src/metrics/naast-metrics.js";

const ROOT = path.resolve(import.meta.dirname, "..", "..");

const panelSchema = z.object({
  type: z.string(),
  title: z.string().min(1),
  gridPos: z.object({ x: z.number(), y: z.number(), w: z.number(), h: z.number() }),
  targets: z.array(z.object({ expr: z.string().min(1), refId: z.string() })).optional(),
});
const dashboardSchema = z.object({ title: z.string(), uid: z.string(), schemaVersion: z.number(), panels: z.array(panelSchema).min(10) });

/** Histograms and summaries are scraped as these series, beside their own name. */
const SUFFIXES = ["", "_bucket", "_count", "_sum"];

describe("docs/ops/grafana-dashboard.json", () => {
  it("is a Grafana dashboard whose queries name only metrics Naast exposes, covering each kind the issue asked for", async () => {
    const dashboard = dashboardSchema.parse(JSON.parse(await readFile(path.join(ROOT, "docs", "ops", "grafana-dashboard.json"), "utf8")));
    // Only the names are read here; nothing is collected, so the readers are never called.
    const never = () => Promise.reject(new Error("not scraped in this test"));
    const metrics = new NaastMetrics(never, never);
    const known = new Set(metrics.registry.getMetricsAsArray().flatMap((m) => SUFFIXES.map((s) => `${m.name}${s}`)));
    const exprs = dashboard.panels.flatMap((p) => p.targets ?? []).map((t) => t.expr);
    const used = new Set(exprs.flatMap((e) => [...e.matchAll(/\b((?:naast|nodejs|process)_[a-z0-9_]+)\b/g)].map((m) => m[1]!)));
    for (const name of used) expect(known, `the dashboard queries ${name}, which Naast does not expose`).toContain(name);
    for (const name of ["naast_webhook_requests_total", "naast_inbox_depth", "naast_outbox_depth", "naast_sends_total", "naast_platform_rate_limited_total", "naast_job_latency_seconds_bucket", "naast_handoffs_waiting", "naast_handoffs_overdue", "naast_broadcasts_in_progress", "nodejs_eventloop_lag_p99_seconds"]) {
      expect(used, `the dashboard shows ${name}`).toContain(name);
    }
  });
});
