import express, { type Router } from "express";
import type { NaastMetrics } from "../metrics/naast-metrics.js";
import { loopbackOrToken } from "./loopback-or-token.js";

/** `GET /metrics`: Prometheus text format, for this machine or a scraper with the bearer token. */
export function metricsRoutes(metrics: NaastMetrics, opts: { token: string | undefined }): Router {
  const router = express.Router();
  router.get("/metrics", loopbackOrToken(opts.token), async (_req, res) => {
    const { contentType, body } = await metrics.scrape();
    res.set("content-type", contentType).set("cache-control", "no-store").send(body);
  });
  return router;
}
