import express, { type Request, type Router } from "express";
import { safeEqual } from "./safe-equal.js";

/** 127.0.0.0/8 and ::1, also as IPv4-mapped IPv6. */
function isLoopback(ip: string | undefined): boolean {
  if (!ip) return false;
  const v4 = ip.startsWith("::ffff:") ? ip.slice(7) : ip;
  return v4 === "::1" || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(v4);
}

/**
 * `/healthz`: the process answers. `/readyz`: every dependency answers (200, else 503). Which dependency
 * failed and why is only told to the loopback or to a caller with `Authorization: Bearer <READYZ_TOKEN>`:
 * error messages name hosts and versions. A request that came through a proxy Naast does not trust (an
 * `X-Forwarded-For` with `TRUST_PROXY` off) does not count as the loopback.
 */
export function healthRoutes(
  checks: Record<string, () => Promise<void>>,
  opts: { token?: string | undefined; trustsProxy?: boolean; onFailure?: (name: string, reason: string) => void } = {},
): Router {
  const router = express.Router();
  const mayKnow = (req: Request) => {
    const auth = /^Bearer (.+)$/.exec(req.get("authorization") ?? "");
    if (opts.token && auth && safeEqual(auth[1], opts.token)) return true;
    return isLoopback(req.ip) && (opts.trustsProxy === true || req.get("x-forwarded-for") === undefined);
  };
  router.get("/healthz", (_req, res) => {
    res.json({ status: "ok" });
  });
  router.get("/readyz", async (req, res) => {
    const results: Record<string, string> = {};
    await Promise.all(
      Object.entries(checks).map(async ([name, check]) => {
        let timer: NodeJS.Timeout | undefined;
        try {
          await Promise.race([check(), new Promise((_, reject) => (timer = setTimeout(() => reject(new Error("timed out after 2 s")), 2_000)))]);
          results[name] = "ok";
        } catch (err) {
          results[name] = err instanceof Error ? err.message : String(err);
          opts.onFailure?.(name, results[name]);
        } finally {
          clearTimeout(timer);
        }
      }),
    );
    const ok = Object.values(results).every((r) => r === "ok");
    res.status(ok ? 200 : 503).set("cache-control", "no-store").json(mayKnow(req) ? { status: ok ? "ready" : "not ready", checks: results } : { status: ok ? "ready" : "not ready" });
  });
  return router;
}
