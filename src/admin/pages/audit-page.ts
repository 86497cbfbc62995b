import { formatWhen } from "../../activities/local-time.js";
import { AUDIT_ACTIONS, type AuditAction, type AuditEntry } from "../audit-log.js";
import { html, type SafeHtml } from "../html.js";
import type { PanelLanguage } from "../panel-kit.js";
import type { PanelText } from "./page-parts.js";

/** What /admin/audit shows: one page of entries, newest first, optionally only one action. */
export type AuditView = {
  language: PanelLanguage;
  /** The page number, 0 for the newest. */
  page: number;
  /** Whether there are older entries than these. */
  more: boolean;
  filter: AuditAction | undefined;
  entries: readonly AuditEntry[];
};

/** The audit log: the action filter, the CSV export link, the entries (or that there are none) and newer/older links. */
export function auditPage(v: AuditView, t: PanelText): SafeHtml {
  const link = (p: number) => `/admin/audit?page=${p}${v.filter ? `&action=${v.filter}` : ""}`;
  return html`<p>${t("audit_intro")}</p>
      <form method="get" action="/admin/audit" class="filter"><label for="audit-action">${t("audit_filter")}</label>
        <select id="audit-action" name="action"><option value="">${t("audit_all")}</option>${AUDIT_ACTIONS.map((a) => html`<option value="${a}"${a === v.filter ? html` selected` : ""}>${t(`audit_action_${a}`)}</option>`)}</select>
        <button type="submit">${t("audit_show")}</button></form>
      <p><a href="/admin/audit.csv" download>${t("audit_export")}</a></p>
      ${v.entries.length === 0
        ? html`<p>${t("audit_none")}</p>`
        : html`<table class="audit"><caption>${t("audit_caption")}</caption><thead><tr><th scope="col">${t("audit_when")}</th><th scope="col">${t("audit_who")}</th><th scope="col">${t("audit_what")}</th><th scope="col">${t("audit_subject")}</th></tr></thead>
          <tbody>${v.entries.map((e) => html`<tr><td>${formatWhen(e.at, null, v.language)}</td><td>${e.actorLabel}</td><td>${t(`audit_action_${e.action}`)}${e.detail ? html`<br><small>${e.detail}</small>` : ""}</td>
            <td>${t(`audit_subject_${e.subjectType}`)}${e.subjectId ? html`<br><small><code>${e.subjectId}</code></small>` : ""}</td></tr>`)}</tbody></table>`}
      <nav aria-label="${t("audit_pages")}" class="pager">${v.page > 0 ? html`<a href="${link(v.page - 1)}">${t("audit_newer")}</a>` : ""} ${v.more ? html`<a href="${link(v.page + 1)}">${t("audit_older")}</a>` : ""}</nav>`;
}
