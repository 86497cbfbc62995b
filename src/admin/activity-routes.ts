import express, { type Request, type Response, type Router } from "express";
import type { InsightCounters } from "../insights/insight-counters.js";
import { z } from "zod";
import type { Prisma, PrismaClient } from "../generated/prisma/client.js";
import {
  ACTIVITY_LANGUAGES,
  AUDIENCES,
  DESCRIPTION_MAX,
  PLACE_MAX,
  REASON_MAX,
  TITLE_MAX,
  ACTIVITY_STATUSES,
  activityStatusSchema,
  formValues,
  missingLanguages,
  parseActivityForm,
  rejectSchema,
  storedValues,
  type ActivityFormValues,
  type ActivityInput,
  type ActivityLanguage,
  type ActivityStatus,
  type FormProblem,
} from "./activity-form.js";
import { html, type SafeHtml } from "./html.js";
import { formatWhen } from "../activities/local-time.js";
import type { BroadcastService } from "../broadcasts/broadcast-service.js";
import type { PanelKit } from "./panel-kit.js";
import type { ActivityReports } from "../activities/activity-reports.js";
import type { Logger } from "../logger.js";
import { ACTIVITY_AREAS, ACTIVITY_TOPICS, RTL_LANGUAGES } from "../content/vocabulary.js";

/** Each language's own name, shown next to the panel's name for it. */
const NATIVE_NAMES: Record<ActivityLanguage, string> = { nl: "Nederlands", en: "English", tr: "Türkçe", ar: "العربية", pl: "Polski", uk: "Українська" };

/** Notices shown after a redirect (`?notice=`). */
const NOTICES = ["saved", "pending", "approved", "rejected", "cancelled"] as const;

/** Statuses a key figure (or admin) may still submit from. */
const SUBMITTABLE: ActivityStatus[] = ["draft", "rejected"];
/** Statuses an admin may reject from (an approved activity can be taken back). */
const REJECTABLE: ActivityStatus[] = ["pending", "approved"];
const CANCELLABLE: ActivityStatus[] = ["draft", "pending", "approved", "rejected"];

const withTexts = { texts: true, organisation: { select: { name: true, requiresApproval: true } } } satisfies Prisma.ActivityInclude;
type ActivityRecord = Prisma.ActivityGetPayload<{ include: typeof withTexts }>;

/**
 * Activities in the panel: key figures create and submit their organisation's activities (Dutch
 * required, other languages optional, the missing ones listed); admins see all, approve or reject them
 * with a reason. A new organisation's activities wait for approval until an admin switches that off.
 * Key figures only ever see their own organisation's: another's is a 404, so ids do not leak.
 * Professionals have no access (403).
 */
export function activityRoutes(opts: { prisma: PrismaClient; kit: PanelKit; clock: () => Date; broadcasts: BroadcastService; reports: ActivityReports; log: Logger; insights?: InsightCounters }): Router {
  const { prisma, kit, clock, broadcasts, reports, log } = opts;
  const { lang, tr, page, send, csrfField, checkCsrf, requireRole, forbidden, notFound, activityScope } = kit;
  const router = express.Router();
  const form = express.urlencoded({ extended: false, limit: "64kb" });
  const staff = requireRole("admin", "keyfigure");
  const adminOnly = requireRole("admin");

  const scopeOf = (req: Request): Prisma.ActivityWhereInput | undefined => activityScope(req);

  /** The activity behind `:id` if this user may see it; otherwise answers 403/404 and returns undefined. */
  async function load(req: Request, res: Response): Promise<ActivityRecord | undefined> {
    const scope = scopeOf(req);
    if (!scope) {
      forbidden(req, res);
      return undefined;
    }
    const id = z.uuid().safeParse(req.params.id);
    const activity = id.success ? await prisma.activity.findFirst({ where: { ...scope, id: id.data }, include: withTexts }) : null;
    if (!activity) {
      notFound(req, res);
      return undefined;
    }
    return activity;
  }

  const statusText = (req: Request, status: string) => tr(req, `status_${status}`);
  const languageList = (req: Request, langs: readonly ActivityLanguage[]) => langs.map((l) => tr(req, `lang_${l}`)).join(", ");
  const missingLine = (req: Request, langs: readonly ActivityLanguage[]) =>
    html`<p class="missing" id="missing-languages">${langs.length ? tr(req, "missing_languages", { languages: languageList(req, langs) }) : tr(req, "no_missing_languages")}</p>`;
  const dutchTitle = (a: { texts: { language: string; title: string }[] }) => a.texts.find((t) => t.language === "nl")?.title ?? "—";

  // ---------------------------------------------------------------- list

  router.get("/admin/activities", staff, async (req, res) => {
    const scope = scopeOf(req);
    if (!scope) return forbidden(req, res);
    const status = activityStatusSchema.safeParse(req.query.status);
    const isAdmin = req.staff!.role === "admin";
    const [activities, pending] = await Promise.all([
      prisma.activity.findMany({
        where: { ...scope, ...(status.success ? { status: status.data } : {}) },
        include: { texts: { select: { language: true, title: true } }, organisation: { select: { name: true } } },
        orderBy: [{ startsAt: "asc" }, { createdAt: "asc" }],
        take: 500,
      }),
      isAdmin ? prisma.activity.count({ where: { status: "pending" } }) : Promise.resolve(0),
    ]);
    const chosen = status.success ? status.data : "";
    send(
      res,
      page(
        req,
        tr(req, "nav_activities"),
        html`<p><a href="/admin/activities/new">${tr(req, "activity_new")}</a></p>
        ${isAdmin ? html`<p><a href="/admin/activities?status=pending">${tr(req, "pending_count", { count: String(pending) })}</a></p>` : ""}
        <form method="get" action="/admin/activities" class="filter" role="search" aria-label="${tr(req, "activities_filter")}">
          <label for="f-status">${tr(req, "filter_status")}</label>
          <select id="f-status" name="status"><option value="">${tr(req, "filter_all")}</option>${ACTIVITY_STATUSES.map(
            (s) => html`<option value="${s}"${chosen === s ? html` selected` : ""}>${statusText(req, s)}</option>`,
          )}</select>
          <button type="submit">${tr(req, "filter_apply")}</button></form>
        ${
          activities.length === 0
            ? html`<p>${tr(req, "activities_empty")}</p>`
            : html`<table><caption>${tr(req, "activities_caption")}${chosen ? ` · ${statusText(req, chosen)}` : ""}</caption>
          <thead><tr><th scope="col">${tr(req, "col_title")}</th><th scope="col">${tr(req, "col_when")}</th>${isAdmin ? html`<th scope="col">${tr(req, "organisation")}</th>` : ""}<th scope="col">${tr(req, "col_status")}</th><th scope="col">${tr(req, "col_missing")}</th></tr></thead>
          <tbody>${activities.map((a) => {
            const missing = missingLanguages(a.texts.map((t) => t.language));
            return html`<tr><td><a href="/admin/activities/${a.id}">${dutchTitle(a)}</a></td><td>${formatWhen(a.startsAt, a.endsAt, lang(req))}</td>${isAdmin ? html`<td>${a.organisation.name}</td>` : ""}<td><span class="status status-${a.status}">${statusText(req, a.status)}</span></td><td>${missing.length ? languageList(req, missing) : "—"}</td></tr>`;
          })}</tbody></table>`
        }`,
      ),
    );
  });

  // ---------------------------------------------------------------- form

  type FormState = { values: ActivityFormValues; problems?: FormProblem[]; activity?: ActivityRecord };

  async function formPage(req: Request, state: FormState): Promise<SafeHtml> {
    const { values, problems = [], activity } = state;
    const isAdmin = req.staff!.role === "admin";
    const orgs = isAdmin && !activity ? await prisma.organisation.findMany({ orderBy: { name: "asc" }, select: { id: true, name: true } }) : [];
    const problemFor = (field: string) => problems.find((p) => p.field === field);
    const message = (p: FormProblem) => {
      const max = p.field.startsWith("title_") ? TITLE_MAX : p.field.startsWith("description_") ? DESCRIPTION_MAX : PLACE_MAX;
      const language = (p.language ?? (/_(\w\w)$/.exec(p.field)?.[1] as ActivityLanguage | undefined)) as ActivityLanguage | undefined;
      return tr(req, p.key, { max: String(max), language: language && (ACTIVITY_LANGUAGES as readonly string[]).includes(language) ? tr(req, `lang_${language}`) : "" });
    };
    const idOf = (field: string) => `f-${field.replace(/_/g, "-")}`;
    /** aria attributes and the inline message for one field. */
    const a11y = (field: string, hint?: string) => {
      const p = problemFor(field);
      const described = [hint, p ? `${idOf(field)}-error` : undefined].filter(Boolean).join(" ");
      return {
        attrs: html`${described ? html` aria-describedby="${described}"` : ""}${p ? html` aria-invalid="true"` : ""}`,
        error: p ? html`<p class="field-error" id="${idOf(field)}-error">${message(p)}</p>` : "",
      };
    };
    const input = (field: keyof ActivityFormValues & string, label: string, extra: SafeHtml | string = "", type = "text") => {
      const x = a11y(field);
      return html`<label for="${idOf(field)}">${label}</label>${x.error}<input id="${idOf(field)}" name="${field}" type="${type}" value="${values[field] ?? ""}"${x.attrs}${extra}>`;
    };
    const select = (field: "neighbourhood" | "topic" | "audience" | "organisationId", label: string, options: readonly { value: string; text: string }[]) => {
      const x = a11y(field);
      return html`<label for="${idOf(field)}">${label}</label>${x.error}<select id="${idOf(field)}" name="${field}" required${x.attrs}>
        <option value="">${tr(req, "choose")}</option>${options.map((o) => html`<option value="${o.value}"${values[field] === o.value ? html` selected` : ""}>${o.text}</option>`)}</select>`;
    };
    const present = ACTIVITY_LANGUAGES.filter((l) => (values[`title_${l}`] ?? "").trim() && (values[`description_${l}`] ?? "").trim());
    const languageBlock = (l: ActivityLanguage) => {
      const title = `title_${l}` as const;
      const description = `description_${l}` as const;
      const t = a11y(title, `${idOf(title)}-hint`);
      const d = a11y(description, `${idOf(description)}-hint`);
      const required = l === "nl" ? html` required` : "";
      const dir = RTL_LANGUAGES.has(l) ? "rtl" : "ltr";
      const name = tr(req, `lang_${l}`);
      return html`<fieldset class="language" id="lang-${l}"><legend>${name}${name !== NATIVE_NAMES[l] ? html` · <span lang="${l}">${NATIVE_NAMES[l]}</span>` : ""} <small>(${tr(req, l === "nl" ? "lang_required" : "lang_optional")})</small></legend>
        <label for="${idOf(title)}">${tr(req, "field_title")}</label><small id="${idOf(title)}-hint">${tr(req, "field_max", { max: String(TITLE_MAX) })}</small>${t.error}
        <input id="${idOf(title)}" name="${title}" lang="${l}" dir="${dir}" maxlength="${TITLE_MAX}" value="${values[title] ?? ""}"${required}${t.attrs}>
        <label for="${idOf(description)}">${tr(req, "field_description")}</label><small id="${idOf(description)}-hint">${tr(req, "field_max", { max: String(DESCRIPTION_MAX) })}</small>${d.error}
        <textarea id="${idOf(description)}" name="${description}" lang="${l}" dir="${dir}" rows="5" maxlength="${DESCRIPTION_MAX}"${required}${d.attrs}>${values[description] ?? ""}</textarea>
      </fieldset>`;
    };
    const action = activity ? `/admin/activities/${activity.id}/edit` : "/admin/activities/new";
    const reapproval = activity && !isAdmin && activity.status === "approved" && activity.organisation.requiresApproval;
    return page(
      req,
      tr(req, activity ? "activity_edit" : "activity_new"),
      html`${
        problems.length
          ? html`<div role="alert" class="error-summary" id="errors"><h2>${tr(req, "errors_title")}</h2><ul>${problems.map((p) => html`<li><a href="#${idOf(p.field)}">${message(p)}</a></li>`)}</ul></div>`
          : ""
      }
      ${reapproval ? html`<p class="notice">${tr(req, "edit_needs_reapproval")}</p>` : ""}
      <form method="post" action="${action}" class="activity">${csrfField(req)}
        ${isAdmin && !activity ? select("organisationId", tr(req, "organisation"), orgs.map((o) => ({ value: o.id, text: o.name }))) : ""}
        <h2>${tr(req, "texts_title")}</h2>
        <p>${tr(req, "texts_help")}</p>
        ${missingLine(req, missingLanguages(present))}
        ${ACTIVITY_LANGUAGES.map(languageBlock)}
        <fieldset><legend>${tr(req, "when_legend")}</legend>
          ${input("date", tr(req, "field_date"), html` required`, "date")}
          ${input("startTime", tr(req, "field_start"), html` required`, "time")}
          ${input("endTime", tr(req, "field_end"), "", "time")}
        </fieldset>
        ${input("place", tr(req, "field_place"), html` required maxlength="${PLACE_MAX}" autocomplete="off"`)}
        ${select("neighbourhood", tr(req, "field_neighbourhood"), ACTIVITY_AREAS.map((n) => ({ value: n, text: tr(req, `neighbourhood_${n}`) })))}
        ${select("topic", tr(req, "field_topic"), ACTIVITY_TOPICS.map((n) => ({ value: n, text: tr(req, `topic_${n}`) })))}
        ${select("audience", tr(req, "field_audience"), AUDIENCES.map((n) => ({ value: n, text: tr(req, `audience_${n}`) })))}
        <button type="submit">${tr(req, "save_activity")}</button>
      </form>
      <p><a href="${activity ? `/admin/activities/${activity.id}` : "/admin/activities"}">${tr(req, "back_to_activities")}</a></p>`,
    );
  }

  const textRows = (input: ActivityInput) => input.texts.map((t) => ({ language: t.language, title: t.title, description: t.description }));

  router.get("/admin/activities/new", staff, async (req, res) => {
    if (!scopeOf(req)) return forbidden(req, res);
    send(res, await formPage(req, { values: {} }));
  });

  router.post("/admin/activities/new", form, checkCsrf, staff, async (req, res) => {
    const s = req.staff!;
    if (!scopeOf(req)) return forbidden(req, res);
    const parsed = parseActivityForm(req.body, clock());
    const problems = parsed.ok ? [] : [...parsed.problems];
    let organisationId = s.organisationId;
    if (s.role === "admin") {
      const chosen = z.uuid().safeParse(req.body?.organisationId);
      const org = chosen.success ? await prisma.organisation.findUnique({ where: { id: chosen.data }, select: { id: true } }) : null;
      organisationId = org?.id ?? null;
      if (!org) problems.unshift({ field: "organisationId", key: "err_organisation" });
    }
    if (!parsed.ok || problems.length || !organisationId) return send(res, await formPage(req, { values: formValues(req.body), problems }), 400);
    const { texts: _texts, ...fields } = parsed.value;
    const created = await prisma.activity.create({
      data: { ...fields, organisationId, createdById: s.userId, status: "draft", texts: { create: textRows(parsed.value) } },
    });
    res.redirect(303, `/admin/activities/${created.id}?notice=saved`);
  });

  router.get("/admin/activities/:id/edit", staff, async (req, res) => {
    const activity = await load(req, res);
    if (!activity) return;
    if (activity.status === "cancelled") return send(res, await detailPage(req, activity, { error: tr(req, "cancelled_readonly") }), 409);
    send(res, await formPage(req, { values: storedValues(activity), activity }));
  });

  router.post("/admin/activities/:id/edit", form, checkCsrf, staff, async (req, res) => {
    const activity = await load(req, res);
    if (!activity) return;
    if (activity.status === "cancelled") return send(res, await detailPage(req, activity, { error: tr(req, "cancelled_readonly") }), 409);
    const parsed = parseActivityForm(req.body, clock());
    if (!parsed.ok) return send(res, await formPage(req, { values: formValues(req.body), problems: parsed.problems, activity }), 400);
    // A key figure's change to an approved activity goes back to the admin when approval is required.
    const reapprove = req.staff!.role !== "admin" && activity.status === "approved" && activity.organisation.requiresApproval;
    const { texts: _texts, ...fields } = parsed.value;
    const saved = await prisma.$transaction(async (tx) => {
      const updated = await tx.activity.updateMany({
        where: { id: activity.id, status: activity.status },
        data: { ...fields, ...(reapprove ? { status: "pending", approvedAt: null, approvedById: null } : {}) },
      });
      if (updated.count !== 1) return false;
      await tx.activityText.deleteMany({ where: { activityId: activity.id } });
      await tx.activityText.createMany({ data: textRows(parsed.value).map((t) => ({ ...t, activityId: activity.id })) });
      return true;
    });
    if (!saved) return conflict(req, res, activity.id);
    res.redirect(303, `/admin/activities/${activity.id}?notice=${reapprove ? "pending" : "saved"}`);
  });

  // ---------------------------------------------------------------- one activity

  async function detailPage(req: Request, a: ActivityRecord, extra: { notice?: string; error?: string; reason?: string; reasonError?: boolean } = {}): Promise<SafeHtml> {
    const isAdmin = req.staff!.role === "admin";
    const status = activityStatusSchema.parse(a.status);
    const texts = ACTIVITY_LANGUAGES.flatMap((l) => a.texts.filter((t) => t.language === l));
    const when = formatWhen(a.startsAt, a.endsAt, lang(req));
    const approvedLine =
      status === "approved" && a.approvedAt
        ? html`<dt>${tr(req, "status_approved")}</dt><dd>${a.approvedById ? tr(req, "approved_at", { when: formatWhen(a.approvedAt, null, lang(req)) }) : tr(req, "approved_at_once")}</dd>`
        : "";
    const post = (path: string, label: string, body: SafeHtml | string = "", cls = "") =>
      html`<form method="post" action="/admin/activities/${a.id}/${path}"${cls ? html` class="${cls}"` : ""}>${csrfField(req)}${body}<button type="submit">${label}</button></form>`;
    const actions: SafeHtml[] = [];
    if (status === "approved") actions.push(html`<p><a class="button" href="/admin/activities/${a.id}/broadcast">${tr(req, "action_broadcast")}</a></p>`);
    if (status !== "cancelled") actions.push(html`<p><a href="/admin/activities/${a.id}/edit">${tr(req, "action_edit")}</a></p>`);
    if (SUBMITTABLE.includes(status))
      actions.push(post("submit", tr(req, "action_submit"), html`<p>${tr(req, a.organisation.requiresApproval ? "submit_help_approval" : "submit_help_direct")}</p>`));
    if (isAdmin && status === "pending") actions.push(post("approve", tr(req, "action_approve")));
    if (isAdmin && REJECTABLE.includes(status)) {
      const err = extra.reasonError ? html`<p class="field-error" id="reason-error">${tr(req, "err_reason", { max: String(REASON_MAX) })}</p>` : "";
      actions.push(
        post(
          "reject",
          tr(req, "action_reject"),
          html`<label for="reason">${tr(req, "reject_reason")}</label>${err}<textarea id="reason" name="reason" rows="3" maxlength="${REASON_MAX}" required${extra.reasonError ? html` aria-invalid="true" aria-describedby="reason-error"` : ""}>${extra.reason ?? ""}</textarea>`,
          "danger",
        ),
      );
    }
    if (CANCELLABLE.includes(status)) actions.push(post("cancel", tr(req, "action_cancel"), html`<p><small>${tr(req, "cancel_help")}</small></p>`, "danger"));
    return page(
      req,
      dutchTitle(a),
      html`${extra.notice ? html`<p role="status" class="notice">${extra.notice}</p>` : ""}
      ${extra.error ? html`<p role="alert" class="error">${extra.error}</p>` : ""}
      ${extra.reasonError ? html`<p role="alert" class="error"><a href="#reason">${tr(req, "err_reason", { max: String(REASON_MAX) })}</a></p>` : ""}
      <h2 class="visually-hidden">${tr(req, "facts")}</h2>
      <dl class="facts">
        <dt>${tr(req, "col_status")}</dt><dd><span class="status status-${status}">${statusText(req, status)}</span></dd>
        ${status === "rejected" ? html`<dt>${tr(req, "rejection_reason")}</dt><dd class="prose">${a.rejectionReason ?? "—"}</dd>` : ""}
        ${approvedLine}
        <dt>${tr(req, "organisation")}</dt><dd>${a.organisation.name}</dd>
        <dt>${tr(req, "col_when")}</dt><dd>${when}</dd>
        <dt>${tr(req, "place")}</dt><dd>${a.place}</dd>
        <dt>${tr(req, "field_neighbourhood")}</dt><dd>${tr(req, `neighbourhood_${a.neighbourhood}`)}</dd>
        <dt>${tr(req, "field_topic")}</dt><dd>${tr(req, `topic_${a.topic}`)}</dd>
        <dt>${tr(req, "field_audience")}</dt><dd>${tr(req, `audience_${a.audience}`)}</dd>
      </dl>
      <h2>${tr(req, "texts_title")}</h2>
      ${missingLine(req, missingLanguages(a.texts.map((t) => t.language)))}
      ${texts.map(
        (t) => html`<section class="text" aria-labelledby="text-${t.language}"><h3 id="text-${t.language}">${tr(req, `lang_${t.language}`)}</h3>
          <div lang="${t.language}" dir="${RTL_LANGUAGES.has(t.language) ? "rtl" : "ltr"}"><p><strong>${t.title}</strong></p><p class="prose">${t.description}</p></div></section>`,
      )}
      ${actions.length ? html`<h2>${tr(req, "actions")}</h2><div class="actions">${actions}</div>` : ""}
      <p><a href="/admin/activities">${tr(req, "back_to_activities")}</a></p>`,
    );
  }

  /** 409: the activity moved on (another tab, another admin) before this action. */
  async function conflict(req: Request, res: Response, id: string) {
    const fresh = await prisma.activity.findUnique({ where: { id }, include: withTexts });
    if (!fresh) return notFound(req, res);
    send(res, await detailPage(req, fresh, { error: tr(req, "err_state", { status: statusText(req, fresh.status) }) }), 409);
  }

  router.get("/admin/activities/:id", staff, async (req, res) => {
    const activity = await load(req, res);
    if (!activity) return;
    const notice = z.enum(NOTICES).safeParse(req.query.notice);
    send(res, await detailPage(req, activity, notice.success ? { notice: tr(req, `notice_${notice.data}`) } : {}));
  });

  /**
   * Moves an activity from one of `from` to the new data atomically; 409 when it was not in `from`. Then
   * `report` tells the key figure (a failed report is logged, never undoes the change).
   */
  async function transition(req: Request, res: Response, a: ActivityRecord, from: ActivityStatus[], data: Prisma.ActivityUncheckedUpdateManyInput, notice: (typeof NOTICES)[number], report?: (id: string) => Promise<void>) {
    const moved = await prisma.activity.updateMany({ where: { id: a.id, status: { in: from } }, data });
    if (moved.count !== 1) return conflict(req, res, a.id);
    if (data.status === "approved") await opts.insights?.count(prisma, clock(), [{ metric: "activity_published", dims: { neighbourhood: a.neighbourhood, topic: a.topic } }]);
    if (report) await report(a.id).catch((err: unknown) => log.warn({ activity: a.id, err }, "could not tell the key figure"));
    res.redirect(303, `/admin/activities/${a.id}?notice=${notice}`);
  }

  router.post("/admin/activities/:id/submit", form, checkCsrf, staff, async (req, res) => {
    const activity = await load(req, res);
    if (!activity) return;
    const now = clock();
    if (activity.organisation.requiresApproval) {
      await transition(req, res, activity, SUBMITTABLE, { status: "pending", rejectionReason: null, approvedAt: null, approvedById: null }, "pending");
    } else {
      await transition(req, res, activity, SUBMITTABLE, { status: "approved", rejectionReason: null, approvedAt: now, approvedById: null }, "approved");
    }
  });

  router.post("/admin/activities/:id/approve", form, checkCsrf, adminOnly, async (req, res) => {
    const activity = await load(req, res);
    if (!activity) return;
    await transition(req, res, activity, ["pending"], { status: "approved", rejectionReason: null, approvedAt: clock(), approvedById: req.staff!.userId }, "approved", (id) => reports.approved(id));
  });

  router.post("/admin/activities/:id/reject", form, checkCsrf, adminOnly, async (req, res) => {
    const activity = await load(req, res);
    if (!activity) return;
    const body = rejectSchema.safeParse(req.body);
    if (!body.success) {
      const typed = typeof req.body?.reason === "string" ? String(req.body.reason) : "";
      return send(res, await detailPage(req, activity, { reasonError: true, reason: typed }), 400);
    }
    await transition(req, res, activity, REJECTABLE, { status: "rejected", rejectionReason: body.data.reason, approvedAt: null, approvedById: null }, "rejected", (id) => reports.rejected(id));
  });

  router.post("/admin/activities/:id/cancel", form, checkCsrf, staff, async (req, res) => {
    const activity = await load(req, res);
    if (!activity) return;
    // What has not been sent of a running broadcast stops with it.
    await broadcasts.cancelForActivity(activity.id);
    await transition(req, res, activity, CANCELLABLE, { status: "cancelled" }, "cancelled");
  });

  return router;
}
