import express, { type Router } from "express";

/** `/healthz`: the process answers. `/readyz`: every dependency answers (503 naming the one that does not). */
export function healthRoutes(checks: Record<string, () => Promise<void>>): Router {
  const router = express.Router();
  router.get("/healthz", (_req, res) => {
    res.json({ status: "ok" });
  });
  router.get("/readyz", async (_req, res) => {
    const results: Record<string, string> = {};
    await Promise.all(
      Object.entries(checks).map(async ([name, check]) => {
        try {
          await Promise.race([check(), new Promise((_, reject) => setTimeout(() => reject(new Error("timed out after 2 s")), 2_000))]);
          results[name] = "ok";
        } catch (err) {
          results[name] = err instanceof Error ? err.message : String(err);
        }
      }),
    );
    const ok = Object.values(results).every((r) => r === "ok");
    res.status(ok ? 200 : 503).json({ status: ok ? "ready" : "not ready", checks: results });
  });
  return router;
}
