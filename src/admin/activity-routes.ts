import express, { type Request, type Response, type Router } from "express";
import type { InsightCounters } from "../insights/insight-counters.js";
import { z } from "zod";
import type { PrismaClient } from "../generated/prisma/client.js";
import { formValues, parseActivityForm, rejectSchema, storedValues, type ActivityFormValues, type FormProblem } from "./activity-form.js";
import { activityStatusSchema, editable, editNeedsReapproval } from "../activities/activity-lifecycle.js";
import { ActivityService, type ActivityOutcome, type ActivityRecord } from "../activities/activity-service.js";
import type { BroadcastService } from "../broadcasts/broadcast-service.js";
import type { PanelKit } from "./panel-kit.js";
import type { ActivityReports } from "../activities/activity-reports.js";
import type { Logger } from "../logger.js";
import { activityListPage } from "./pages/activity-list-page.js";
import { activityFormPage, activityFormTitle } from "./pages/activity-form-page.js";
import { activityDetailPage, activityDetailTitle, type ActivityDetailView } from "./pages/activity-detail-page.js";

/** Notices shown after a redirect (`?notice=`). */
const NOTICES = ["saved", "pending", "approved", "rejected", "cancelled"] as const;

/**
 * Activities in the panel: key figures create and submit their organisation's activities (Dutch
 * required, other languages optional, the missing ones listed); admins see all, approve or reject them
 * with a reason. A new organisation's activities wait for approval until an admin switches that off.
 * Key figures only ever see their own organisation's: another's is a 404, so ids do not leak.
 * Professionals have no access (403). The rules live in `ActivityService` and `activity-lifecycle.ts`,
 * the HTML in `pages/activity-*-page.ts`; a route parses, calls the service and renders.
 */
export function activityRoutes(opts: { prisma: PrismaClient; kit: PanelKit; clock: () => Date; broadcasts: BroadcastService; reports: ActivityReports; log: Logger; insights?: InsightCounters }): Router {
  const { kit, clock } = opts;
  const { lang, tr, textFor, page, send, checkCsrf, requireRole, forbidden, notFound, activityScope } = kit;
  const activities = new ActivityService(opts);
  const router = express.Router();
  const form = express.urlencoded({ extended: false, limit: "64kb" });
  const staff = requireRole("admin", "keyfigure");
  const adminOnly = requireRole("admin");
  const isAdmin = (req: Request) => req.staff!.role === "admin";

  /** The activity behind `:id` if this user may see it; otherwise answers 403/404 and returns undefined. */
  async function load(req: Request, res: Response): Promise<ActivityRecord | undefined> {
    const scope = activityScope(req);
    if (!scope) {
      forbidden(req, res);
      return undefined;
    }
    const id = z.uuid().safeParse(req.params.id);
    const activity = id.success ? await activities.find(scope, id.data) : null;
    if (!activity) {
      notFound(req, res);
      return undefined;
    }
    return activity;
  }

  // ---------------------------------------------------------------- list

  router.get("/admin/activities", staff, async (req, res) => {
    const scope = activityScope(req);
    if (!scope) return forbidden(req, res);
    const status = activityStatusSchema.safeParse(req.query.status);
    const [rows, pendingCount] = await Promise.all([activities.list(scope, status.success ? status.data : undefined), isAdmin(req) ? activities.pendingCount() : Promise.resolve(0)]);
    const view = {
      language: lang(req),
      isAdmin: isAdmin(req),
      pendingCount,
      chosen: status.success ? status.data : ("" as const),
      rows: rows.map((a) => ({ id: a.id, texts: a.texts, startsAt: a.startsAt, endsAt: a.endsAt, organisation: a.organisation.name, status: a.status })),
    };
    send(res, page(req, tr(req, "nav_activities"), activityListPage(view, textFor(req))));
  });

  // ---------------------------------------------------------------- form

  async function formPage(req: Request, state: { values: ActivityFormValues; problems?: FormProblem[]; activity?: ActivityRecord }) {
    const { activity } = state;
    const view = {
      csrf: req.csrf ?? "",
      values: state.values,
      problems: state.problems ?? [],
      activity,
      organisations: isAdmin(req) && !activity ? await activities.organisations() : undefined,
      needsReapproval: !!activity && editNeedsReapproval(activityStatusSchema.parse(activity.status), req.staff!.role, activity.organisation.requiresApproval),
    };
    return page(req, activityFormTitle(view, textFor(req)), activityFormPage(view, textFor(req)));
  }

  router.get("/admin/activities/new", staff, async (req, res) => {
    if (!activityScope(req)) return forbidden(req, res);
    send(res, await formPage(req, { values: {} }));
  });

  router.post("/admin/activities/new", form, checkCsrf, staff, async (req, res) => {
    const s = req.staff!;
    if (!activityScope(req)) return forbidden(req, res);
    const parsed = parseActivityForm(req.body, clock());
    const problems = parsed.ok ? [] : [...parsed.problems];
    let organisationId = s.organisationId;
    if (s.role === "admin") {
      const chosen = z.uuid().safeParse(req.body?.organisationId);
      organisationId = chosen.success && (await activities.organisationExists(chosen.data)) ? chosen.data : null;
      if (!organisationId) problems.unshift({ field: "organisationId", key: "err_organisation" });
    }
    if (!parsed.ok || problems.length || !organisationId) return send(res, await formPage(req, { values: formValues(req.body), problems }), 400);
    const id = await activities.create({ userId: s.userId, organisationId }, parsed.value);
    res.redirect(303, `/admin/activities/${id}?notice=saved`);
  });

  router.get("/admin/activities/:id/edit", staff, async (req, res) => {
    const activity = await load(req, res);
    if (!activity) return;
    if (!editable(activityStatusSchema.parse(activity.status))) return send(res, detailPage(req, activity, { error: tr(req, "cancelled_readonly") }), 409);
    send(res, await formPage(req, { values: storedValues(activity), activity }));
  });

  router.post("/admin/activities/:id/edit", form, checkCsrf, staff, async (req, res) => {
    const activity = await load(req, res);
    if (!activity) return;
    if (!editable(activityStatusSchema.parse(activity.status))) return send(res, detailPage(req, activity, { error: tr(req, "cancelled_readonly") }), 409);
    const parsed = parseActivityForm(req.body, clock());
    if (!parsed.ok) return send(res, await formPage(req, { values: formValues(req.body), problems: parsed.problems, activity }), 400);
    const saved = await activities.update(activity, req.staff!.role, parsed.value);
    if (!saved.ok) return conflict(req, res, activity.id);
    res.redirect(303, `/admin/activities/${activity.id}?notice=${saved.reapproved ? "pending" : "saved"}`);
  });

  // ---------------------------------------------------------------- one activity

  function detailPage(req: Request, a: ActivityRecord, extra: Pick<ActivityDetailView, "notice" | "error" | "reason" | "reasonError"> = {}) {
    const view: ActivityDetailView = {
      language: lang(req),
      csrf: req.csrf ?? "",
      isAdmin: isAdmin(req),
      activity: { ...a, status: activityStatusSchema.parse(a.status), approvedByAdmin: a.approvedById !== null },
      ...extra,
    };
    return page(req, activityDetailTitle(view), activityDetailPage(view, textFor(req)));
  }

  /** 409: the activity moved on (another tab, another admin) before this action. */
  async function conflict(req: Request, res: Response, id: string) {
    const fresh = await activities.find({}, id);
    if (!fresh) return notFound(req, res);
    send(res, detailPage(req, fresh, { error: tr(req, "err_state", { status: tr(req, `status_${fresh.status}`) }) }), 409);
  }

  /** After a status move: the page with its notice, or 409 when the activity had moved on. */
  async function after(req: Request, res: Response, a: ActivityRecord, outcome: ActivityOutcome) {
    if (!outcome.ok) return conflict(req, res, a.id);
    res.redirect(303, `/admin/activities/${a.id}?notice=${outcome.notice}`);
  }

  router.get("/admin/activities/:id", staff, async (req, res) => {
    const activity = await load(req, res);
    if (!activity) return;
    const notice = z.enum(NOTICES).safeParse(req.query.notice);
    send(res, detailPage(req, activity, notice.success ? { notice: tr(req, `notice_${notice.data}`) } : {}));
  });

  router.post("/admin/activities/:id/submit", form, checkCsrf, staff, async (req, res) => {
    const activity = await load(req, res);
    if (!activity) return;
    await after(req, res, activity, await activities.submit(activity));
  });

  router.post("/admin/activities/:id/approve", form, checkCsrf, adminOnly, async (req, res) => {
    const activity = await load(req, res);
    if (!activity) return;
    await after(req, res, activity, await activities.approve(activity, req.staff!.userId));
  });

  router.post("/admin/activities/:id/reject", form, checkCsrf, adminOnly, async (req, res) => {
    const activity = await load(req, res);
    if (!activity) return;
    const body = rejectSchema.safeParse(req.body);
    if (!body.success) {
      const typed = typeof req.body?.reason === "string" ? String(req.body.reason) : "";
      return send(res, detailPage(req, activity, { reasonError: true, reason: typed }), 400);
    }
    await after(req, res, activity, await activities.reject(activity, body.data.reason));
  });

  router.post("/admin/activities/:id/cancel", form, checkCsrf, staff, async (req, res) => {
    const activity = await load(req, res);
    if (!activity) return;
    await after(req, res, activity, await activities.cancel(activity));
  });

  return router;
}
