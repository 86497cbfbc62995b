import express, { type Request, type Response, type Router } from "express";
import { z } from "zod";
import { fromWallClock, toWallClock } from "../activities/local-time.js";
import { BroadcastError, type BroadcastService } from "../broadcasts/broadcast-service.js";
import type { PrismaClient } from "../generated/prisma/client.js";
import { broadcastPlanPage } from "./pages/broadcast-plan-page.js";
import { broadcastProgressPage, broadcastProgressPart } from "./pages/broadcast-progress-page.js";
import type { AuditLog } from "./audit-log.js";
import type { PanelKit } from "./panel-kit.js";

const planSchema = z.discriminatedUnion("when", [
  z.object({ when: z.literal("now") }),
  z.object({ when: z.literal("later"), date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/), time: z.string().regex(/^\d{2}:\d{2}$/) }),
]);

/**
 * Broadcasting an approved activity: audience preview (counts only), send now or plan, cancel, and a
 * progress page that updates itself (a small script fetching the server-rendered progress fragment at
 * `/admin/broadcasts/:bid/progress` once a second and swapping it in; a refresh without script).
 * The HTML lives in `pages/broadcast-plan-page.ts` and `pages/broadcast-progress-page.ts`.
 */
export function broadcastRoutes(opts: { prisma: PrismaClient; kit: PanelKit; broadcasts: BroadcastService; clock: () => Date; audit: AuditLog }): Router {
  const { prisma, kit, broadcasts, clock, audit } = opts;
  const actor = (req: Request) => ({ userId: req.staff!.userId, displayName: req.staff!.displayName, email: req.staff!.email });
  /** Sending to every subscriber takes more than a password: a second factor set up and used in this session. */
  const strongEnough = (req: Request) => req.staff?.strong === true;
  const { lang, tr, textFor, page, send, checkCsrf, requireRole, forbidden, notFound, activityScope } = kit;
  const router = express.Router();
  const form = express.urlencoded({ extended: false, limit: "8kb" });
  const staff = requireRole("admin", "keyfigure");

  async function loadActivity(req: Request, res: Response) {
    const scope = activityScope(req);
    if (!scope) return void forbidden(req, res);
    const id = z.uuid().safeParse(req.params.id);
    const a = id.success
      ? await prisma.activity.findFirst({ where: { ...scope, id: id.data }, include: { texts: true, organisation: true, broadcasts: { orderBy: { createdAt: "desc" } } } })
      : null;
    if (!a) return void notFound(req, res);
    return a;
  }

  async function loadBroadcast(req: Request, res: Response) {
    const scope = activityScope(req);
    if (!scope) return void forbidden(req, res);
    const id = z.uuid().safeParse(req.params.bid);
    const b = id.success ? await prisma.broadcast.findFirst({ where: { id: id.data, activity: scope }, include: { activity: { include: { texts: true } } } }) : null;
    if (!b) return void notFound(req, res);
    return b;
  }

  const title = (a: { texts: { language: string; title: string }[] }) => a.texts.find((t) => t.language === "nl")?.title ?? "—";

  // ---------------------------------------------------------------- preview and plan

  async function planPage(req: Request, res: Response, status = 200, error?: string) {
    const a = await loadActivity(req, res);
    if (!a) return;
    const preview = await broadcasts.preview(a.id);
    const running = a.broadcasts.find((b) => b.status === "scheduled" || b.status === "sending");
    const view = {
      language: lang(req),
      csrf: req.csrf ?? "",
      error,
      activity: { id: a.id, title: title(a), status: a.status, startsAt: a.startsAt, endsAt: a.endsAt },
      preview,
      running: running ? { id: running.id } : null,
      strong: strongEnough(req),
      soon: toWallClock(new Date(clock().getTime() + 3_600_000)),
      history: a.broadcasts.map((b) => ({ id: b.id, status: b.status, scheduledFor: b.scheduledFor })),
    };
    send(res, page(req, tr(req, "bc_title"), broadcastPlanPage(view, textFor(req))), status);
  }

  router.get("/admin/activities/:id/broadcast", staff, (req, res) => planPage(req, res));

  router.post("/admin/activities/:id/broadcast", form, checkCsrf, staff, async (req, res) => {
    const a = await loadActivity(req, res);
    if (!a) return;
    if (!strongEnough(req)) return planPage(req, res, 403, tr(req, "bc_needs_2fa"));
    const plan = planSchema.safeParse(req.body);
    if (!plan.success) return planPage(req, res, 400, tr(req, "bc_err_when"));
    let at: Date | null = null;
    if (plan.data.when === "later") {
      at = fromWallClock(plan.data.date, plan.data.time) ?? null;
      if (!at) return planPage(req, res, 400, tr(req, "bc_err_when"));
    }
    try {
      const id = await broadcasts.create(a.id, req.staff!.userId, at);
      await audit.record(actor(req), "broadcast", { type: "broadcast", id }, `activity ${a.id}${at ? `, planned for ${at.toISOString()}` : ", now"}`);
      res.redirect(303, `/admin/broadcasts/${id}`);
    } catch (err) {
      if (err instanceof BroadcastError) return planPage(req, res, 409, tr(req, `bc_err_${err.reason}`));
      throw err;
    }
  });

  // ---------------------------------------------------------------- progress

  router.get("/admin/broadcasts/:bid", staff, async (req, res) => {
    const b = await loadBroadcast(req, res);
    if (!b) return;
    const progress = (await broadcasts.progress(b.id))!;
    const view = { language: lang(req), csrf: req.csrf ?? "", progress, broadcastId: b.id, activity: { id: b.activityId, title: title(b.activity) } };
    send(res, page(req, tr(req, "bc_progress_title"), broadcastProgressPage(view, textFor(req))));
  });

  router.get("/admin/broadcasts/:bid/progress", staff, async (req, res) => {
    const b = await loadBroadcast(req, res);
    if (!b) return;
    const progress = (await broadcasts.progress(b.id))!;
    res.set("cache-control", "no-store").type("html").send(broadcastProgressPart({ language: lang(req), progress }, textFor(req)).value);
  });

  router.post("/admin/broadcasts/:bid/cancel", form, checkCsrf, staff, async (req, res) => {
    const b = await loadBroadcast(req, res);
    if (!b) return;
    try {
      await broadcasts.cancel(b.id);
      await audit.record(actor(req), "broadcast-cancel", { type: "broadcast", id: b.id });
    } catch (err) {
      if (!(err instanceof BroadcastError)) throw err;
    }
    res.redirect(303, `/admin/broadcasts/${b.id}`);
  });

  return router;
}

