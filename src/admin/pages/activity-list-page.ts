import { formatWhen } from "../../activities/local-time.js";
import { ACTIVITY_STATUSES, missingLanguages, type ActivityStatus } from "../activity-form.js";
import { html, type SafeHtml } from "../html.js";
import type { PanelLanguage } from "../panel-kit.js";
import { dutchTitle, languageList } from "./activity-parts.js";
import type { PanelText } from "./page-parts.js";

/** What the activity list shows. */
export type ActivityListView = {
  language: PanelLanguage;
  /** Admins see every organisation's activities (with a column for it) and how many wait for approval. */
  isAdmin: boolean;
  pendingCount: number;
  /** The status filter chosen, or "" for all. */
  chosen: ActivityStatus | "";
  rows: readonly {
    id: string;
    texts: readonly { language: string; title: string }[];
    startsAt: Date;
    endsAt: Date | null;
    organisation: string;
    status: string;
  }[];
};

/** /admin/activities: the filter, and a table of activities with their status and missing languages (or the empty state). */
export function activityListPage(v: ActivityListView, t: PanelText): SafeHtml {
  const statusText = (status: string) => t(`status_${status}`);
  return html`<p><a href="/admin/activities/new">${t("activity_new")}</a></p>
        ${v.isAdmin ? html`<p><a href="/admin/activities?status=pending">${t("pending_count", { count: String(v.pendingCount) })}</a></p>` : ""}
        <form method="get" action="/admin/activities" class="filter" role="search" aria-label="${t("activities_filter")}">
          <label for="f-status">${t("filter_status")}</label>
          <select id="f-status" name="status"><option value="">${t("filter_all")}</option>${ACTIVITY_STATUSES.map(
            (s) => html`<option value="${s}"${v.chosen === s ? html` selected` : ""}>${statusText(s)}</option>`,
          )}</select>
          <button type="submit">${t("filter_apply")}</button></form>
        ${
          v.rows.length === 0
            ? html`<p>${t("activities_empty")}</p>`
            : html`<table><caption>${t("activities_caption")}${v.chosen ? ` · ${statusText(v.chosen)}` : ""}</caption>
          <thead><tr><th scope="col">${t("col_title")}</th><th scope="col">${t("col_when")}</th>${v.isAdmin ? html`<th scope="col">${t("organisation")}</th>` : ""}<th scope="col">${t("col_status")}</th><th scope="col">${t("col_missing")}</th></tr></thead>
          <tbody>${v.rows.map((a) => {
            const missing = missingLanguages(a.texts.map((x) => x.language));
            return html`<tr><td><a href="/admin/activities/${a.id}">${dutchTitle(a)}</a></td><td>${formatWhen(a.startsAt, a.endsAt, v.language)}</td>${v.isAdmin ? html`<td>${a.organisation}</td>` : ""}<td><span class="status status-${a.status}">${statusText(a.status)}</span></td><td>${missing.length ? languageList(t, missing) : "—"}</td></tr>`;
          })}</tbody></table>`
        }`;
}
