import express, { type Request, type Router } from "express";
import { z } from "zod";
import { inviteRequestSchema, SetupError, type DemoResult, type InviteRequest } from "../admin/setup-actions.js";
import type { Logger } from "../logger.js";
import { safeEqual } from "./safe-equal.js";

/** The peer itself is on this machine: 127.0.0.0/8 or ::1 (also IPv4-mapped). Not `req.ip`, which a proxy setting can change. */
function fromLoopback(req: Request): boolean {
  const ip = req.socket.remoteAddress ?? "";
  const v4 = ip.startsWith("::ffff:") ? ip.slice(7) : ip;
  return v4 === "::1" || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(v4);
}

/**
 * What `npm run admin:invite` and `npm run demo` ask of a running Naast, so they work while `npm start`
 * holds the embedded database (a second process opening it would write where the server never looks).
 * Only from the loopback itself (a request a local reverse proxy forwarded, with `X-Forwarded-For` or
 * `Forwarded`, is refused) and only with the token from the owner-only control file in DATA_DIR.
 */
export function controlRoutes(opts: {
  token: string;
  invite: (req: InviteRequest) => Promise<string>;
  demo: () => Promise<DemoResult>;
  linkBase: string;
  log: Logger;
}): Router {
  const router = express.Router();
  const json = express.json({ limit: "4kb" });
  router.post("/internal/cli/:action", json, async (req, res) => {
    const bearer = /^Bearer (.+)$/.exec(req.get("authorization") ?? "")?.[1];
    if (!fromLoopback(req) || req.get("x-forwarded-for") !== undefined || req.get("forwarded") !== undefined || !safeEqual(bearer, opts.token)) {
      return void res.status(404).json({ error: "not found" });
    }
    const action = z.enum(["invite", "demo"]).safeParse(req.params.action);
    if (!action.success) return void res.status(404).json({ error: "not found" });
    try {
      if (action.data === "invite") {
        const body = inviteRequestSchema.safeParse(req.body);
        if (!body.success) return void res.status(400).json({ error: body.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ") });
        const token = await opts.invite(body.data);
        opts.log.info({ role: body.data.role }, "invitation made for the command line");
        return void res.status(201).json({ link: `${opts.linkBase}/admin/invite/${token}` });
      }
      const result = await opts.demo();
      opts.log.info({ organisation: result.organisation }, "demo data seeded for the command line");
      res.status(201).json(result);
    } catch (err) {
      if (err instanceof SetupError) return void res.status(409).json({ error: err.message });
      throw err;
    }
  });
  return router;
}
