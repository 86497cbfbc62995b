import express, { type Request, type Response, type Router } from "express";
import { z } from "zod";
import { formatWhen, fromWallClock, toWallClock } from "../activities/local-time.js";
import { BroadcastError, type BroadcastProgress, type BroadcastService } from "../broadcasts/broadcast-service.js";
import type { PrismaClient } from "../generated/prisma/client.js";
import { html, type SafeHtml } from "./html.js";
import type { AuditLog } from "./audit-log.js";
import type { PanelKit } from "./panel-kit.js";

const planSchema = z.discriminatedUnion("when", [
  z.object({ when: z.literal("now") }),
  z.object({ when: z.literal("later"), date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/), time: z.string().regex(/^\d{2}:\d{2}$/) }),
]);

/** Codes whose plain-words explanation the panel knows; anything else shows the platform's own words. */
const KNOWN_REASONS = new Set(["blocked", "no-template", "in-doubt", "in-doubt-again", "gave-up", "cancelled", "whatsapp-131026", "whatsapp-131047", "whatsapp-132001", "whatsapp-131049", "telegram-400", "telegram-403"]);

/** The counts the progress page shows, in this order: the happy path first, then what went wrong. */
const SHOWN = ["sent", "delivered", "read", "failed", "blocked", "unknown", "cancelled"] as const;

/**
 * Broadcasting an approved activity: audience preview (counts only), send now or plan, cancel, and a
 * progress page that updates itself (a small script polling a JSON view; a refresh without script).
 */
export function broadcastRoutes(opts: { prisma: PrismaClient; kit: PanelKit; broadcasts: BroadcastService; clock: () => Date; audit: AuditLog }): Router {
  const { prisma, kit, broadcasts, clock, audit } = opts;
  const actor = (req: Request) => ({ userId: req.staff!.userId, displayName: req.staff!.displayName, email: req.staff!.email });
  /** Sending to every subscriber takes more than a password: a second factor set up and used in this session. */
  const strongEnough = (req: Request) => req.staff?.strong === true;
  const { lang, tr, page, send, csrfField, checkCsrf, requireRole, forbidden, notFound, activityScope } = kit;
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
  const counts = (req: Request, m: Record<string, number>, label: (k: string) => string) =>
    Object.keys(m).length === 0
      ? html`<p>—</p>`
      : html`<ul class="counts">${Object.entries(m)
          .sort((x, y) => y[1] - x[1])
          .map(([k, n]) => html`<li><span>${label(k)}</span> <strong>${String(n)}</strong></li>`)}</ul>`;

  // ---------------------------------------------------------------- preview and plan

  async function planPage(req: Request, res: Response, status = 200, error?: string) {
    const a = await loadActivity(req, res);
    if (!a) return;
    const preview = await broadcasts.preview(a.id);
    const running = a.broadcasts.find((b) => b.status === "scheduled" || b.status === "sending");
    const soon = toWallClock(new Date(clock().getTime() + 3_600_000));
    const canSend = a.status === "approved" && !running && strongEnough(req);
    const body = html`${error ? html`<p role="alert" class="error">${error}</p>` : ""}
      <p><a href="/admin/activities/${a.id}">${title(a)}</a> · ${formatWhen(a.startsAt, a.endsAt, lang(req))}</p>
      <section aria-labelledby="audience-h"><h2 id="audience-h">${tr(req, "bc_audience")}</h2>
        <p class="big" id="audience-total">${tr(req, "bc_audience_total", { count: String(preview.total) })}</p>
        <p><small>${tr(req, "bc_audience_help")}</small></p>
        <h3>${tr(req, "bc_by_channel")}</h3>${counts(req, preview.byChannel, (k) => tr(req, `channel_${k}`))}
        <h3>${tr(req, "bc_by_language")}</h3>${counts(req, preview.byLanguage, (k) => tr(req, `lang_${k}`))}
        ${preview.template > 0 ? html`<p>${tr(req, "bc_template_note", { count: String(preview.template) })}</p>` : ""}
        ${preview.quiet > 0 ? html`<p>${tr(req, "bc_quiet_note", { count: String(preview.quiet) })}</p>` : ""}
      </section>
      ${running ? html`<p role="status" class="notice"><a href="/admin/broadcasts/${running.id}">${tr(req, "bc_running")}</a></p>` : ""}
      ${a.status !== "approved" ? html`<p role="status" class="notice">${tr(req, "bc_not_approved")}</p>` : ""}
      ${!strongEnough(req) ? html`<p role="status" class="notice">${tr(req, "bc_needs_2fa")} <a href="/admin/2fa/setup">${tr(req, "bc_setup_2fa")}</a></p>` : ""}
      ${canSend
        ? html`<form method="post" action="/admin/activities/${a.id}/broadcast" class="plan">${csrfField(req)}
          <fieldset><legend>${tr(req, "bc_when")}</legend>
            <p><input type="radio" id="when-now" name="when" value="now" checked> <label for="when-now">${tr(req, "bc_now")}</label></p>
            <p><input type="radio" id="when-later" name="when" value="later"> <label for="when-later">${tr(req, "bc_later")}</label></p>
            <p><label for="bc-date">${tr(req, "field_date")}</label><input type="date" id="bc-date" name="date" value="${soon.date}">
               <label for="bc-time">${tr(req, "field_start")}</label><input type="time" id="bc-time" name="time" value="${soon.time}"></p>
          </fieldset>
          <button type="submit"${preview.total === 0 ? html` aria-describedby="audience-total"` : ""}>${tr(req, "bc_send")}</button></form>`
        : ""}
      ${a.broadcasts.length
        ? html`<h2>${tr(req, "bc_history")}</h2><ul>${a.broadcasts.map(
            (b) => html`<li><a href="/admin/broadcasts/${b.id}">${formatWhen(b.scheduledFor, null, lang(req))}</a> — ${tr(req, `bc_status_${b.status}`)}</li>`,
          )}</ul>`
        : ""}`;
    send(res, page(req, tr(req, "bc_title"), body), status);
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

  const reasonText = (req: Request, f: BroadcastProgress["failures"][number]) => {
    if (KNOWN_REASONS.has(f.code)) return tr(req, `reason_${f.code}`);
    return f.status === "blocked" ? tr(req, "reason_blocked") : tr(req, "reason_other", { reason: f.reason || f.code });
  };

  function progressBody(req: Request, p: BroadcastProgress): SafeHtml {
    const total = Math.max(p.recipients, p.done);
    const running = p.status === "scheduled" || p.status === "sending";
    return html`<div id="progress-area" data-status="${p.status}">
      <p id="bc-status" role="status" aria-live="polite">${tr(req, `bc_status_${p.status}`)}${p.status === "scheduled" ? html` — ${formatWhen(p.scheduledFor, null, lang(req))}` : ""}</p>
      <label for="bc-progress">${tr(req, "bc_progress_label", { done: String(p.done), total: String(total) })}</label>
      <progress id="bc-progress" max="${String(Math.max(total, 1))}" value="${String(total === 0 && !running ? 1 : p.done)}">${String(p.done)} / ${String(total)}</progress>
      <dl class="counts facts">${SHOWN.map((k) => html`<dt>${tr(req, `bc_count_${k}`)}</dt><dd data-count="${k}">${String(p.counts[k])}</dd>`)}</dl>
      ${p.inDoubtResolved.confirmed + p.inDoubtResolved.resent > 0 ? html`<p id="in-doubt-resolved">${tr(req, "bc_in_doubt_resolved", { confirmed: String(p.inDoubtResolved.confirmed), resent: String(p.inDoubtResolved.resent) })}</p>` : ""}
      ${p.failures.length
        ? html`<h2>${tr(req, "bc_failures")}</h2><ul class="failures">${p.failures.map((f) => html`<li><strong>${String(f.count)}</strong> × ${reasonText(req, f)}</li>`)}</ul>`
        : ""}
    </div>`;
  }

  router.get("/admin/broadcasts/:bid", staff, async (req, res) => {
    const b = await loadBroadcast(req, res);
    if (!b) return;
    const p = (await broadcasts.progress(b.id))!;
    const running = p.status === "scheduled" || p.status === "sending";
    const body = html`<p><a href="/admin/activities/${b.activityId}">${title(b.activity)}</a></p>
      ${progressBody(req, p)}
      ${running
        ? html`<form method="post" action="/admin/broadcasts/${b.id}/cancel" class="danger" id="cancel-form">${csrfField(req)}<button type="submit">${tr(req, "bc_cancel")}</button></form>
          <noscript><meta http-equiv="refresh" content="5"></noscript>
          <script src="/admin/assets/broadcast-progress.js" defer></script>`
        : ""}
      <p><a href="/admin/activities/${b.activityId}/broadcast">${tr(req, "bc_back")}</a></p>`;
    send(res, page(req, tr(req, "bc_progress_title"), body));
  });

  router.get("/admin/broadcasts/:bid/progress", staff, async (req, res) => {
    const b = await loadBroadcast(req, res);
    if (!b) return;
    const p = (await broadcasts.progress(b.id))!;
    res.set("cache-control", "no-store").type("html").send(progressBody(req, p).value);
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

