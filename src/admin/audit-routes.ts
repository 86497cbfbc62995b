import express, { type Router } from "express";
import { z } from "zod";
import { formatWhen } from "../activities/local-time.js";
import { AUDIT_ACTIONS, auditActionSchema, csvField, type AuditLog } from "./audit-log.js";
import { html } from "./html.js";
import type { PanelKit } from "./panel-kit.js";

/**
 * The audit log for admins: every staff view of a case, re-link, reassignment, role change, 2FA reset,
 * export and broadcast, newest first, filterable by action, and as a CSV download (itself logged).
 */
export function auditRoutes(opts: { kit: PanelKit; audit: AuditLog }): Router {
  const { kit, audit } = opts;
  const { tr, page, send, requireRole } = kit;
  const router = express.Router();
  const adminOnly = requireRole("admin");

  router.get("/admin/audit", adminOnly, async (req, res) => {
    const pageNo = z.coerce.number().int().min(0).max(100_000).catch(0).parse(req.query.page);
    const filter = auditActionSchema.optional().catch(undefined).parse(req.query.action);
    const { entries, more } = await audit.page(pageNo, filter);
    const lang = kit.lang(req);
    const link = (p: number) => `/admin/audit?page=${p}${filter ? `&action=${filter}` : ""}`;
    const body = html`<p>${tr(req, "audit_intro")}</p>
      <form method="get" action="/admin/audit" class="filter"><label for="audit-action">${tr(req, "audit_filter")}</label>
        <select id="audit-action" name="action"><option value="">${tr(req, "audit_all")}</option>${AUDIT_ACTIONS.map((a) => html`<option value="${a}"${a === filter ? html` selected` : ""}>${tr(req, `audit_action_${a}`)}</option>`)}</select>
        <button type="submit">${tr(req, "audit_show")}</button></form>
      <p><a href="/admin/audit.csv" download>${tr(req, "audit_export")}</a></p>
      ${entries.length === 0
        ? html`<p>${tr(req, "audit_none")}</p>`
        : html`<table class="audit"><caption>${tr(req, "audit_caption")}</caption><thead><tr><th scope="col">${tr(req, "audit_when")}</th><th scope="col">${tr(req, "audit_who")}</th><th scope="col">${tr(req, "audit_what")}</th><th scope="col">${tr(req, "audit_subject")}</th></tr></thead>
          <tbody>${entries.map((e) => html`<tr><td>${formatWhen(e.at, null, lang)}</td><td>${e.actorLabel}</td><td>${tr(req, `audit_action_${e.action}`)}${e.detail ? html`<br><small>${e.detail}</small>` : ""}</td>
            <td>${tr(req, `audit_subject_${e.subjectType}`)}${e.subjectId ? html`<br><small><code>${e.subjectId}</code></small>` : ""}</td></tr>`)}</tbody></table>`}
      <nav aria-label="${tr(req, "audit_pages")}" class="pager">${pageNo > 0 ? html`<a href="${link(pageNo - 1)}">${tr(req, "audit_newer")}</a>` : ""} ${more ? html`<a href="${link(pageNo + 1)}">${tr(req, "audit_older")}</a>` : ""}</nav>`;
    send(res, page(req, tr(req, "nav_audit"), body));
  });

  router.get("/admin/audit.csv", adminOnly, async (req, res) => {
    const s = req.staff!;
    await audit.record({ userId: s.userId, displayName: s.displayName, email: s.email }, "export", { type: "audit" }, "audit log exported as CSV");
    res.status(200).type("text/csv; charset=utf-8").set("content-disposition", `attachment; filename="naast-audit-${new Date().toISOString().slice(0, 10)}.csv"`);
    res.write("id,at,who,action,subject_type,subject_id,detail\n");
    for await (const e of audit.all()) {
      res.write(`${[e.id, e.at.toISOString(), e.actorLabel, e.action, e.subjectType, e.subjectId ?? "", e.detail].map(csvField).join(",")}\n`);
    }
    res.end();
  });

  return router;
}
