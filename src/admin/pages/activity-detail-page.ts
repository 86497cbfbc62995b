import { CANCELLABLE, REJECTABLE, SUBMITTABLE, type ActivityStatus } from "../../activities/activity-lifecycle.js";
import { formatWhen } from "../../activities/local-time.js";
import { RTL_LANGUAGES } from "../../content/vocabulary.js";
import { ACTIVITY_LANGUAGES, missingLanguages, REASON_MAX } from "../activity-form.js";
import { html, type SafeHtml } from "../html.js";
import type { PanelLanguage } from "../panel-kit.js";
import { dutchTitle, missingLine } from "./activity-parts.js";
import { postButton, type PanelText } from "./page-parts.js";

/** What one activity's page shows, and the actions this user may take on it. */
export type ActivityDetailView = {
  language: PanelLanguage;
  csrf: string;
  isAdmin: boolean;
  activity: {
    id: string;
    status: ActivityStatus;
    rejectionReason: string | null;
    approvedAt: Date | null;
    /** Approved by an admin (rather than at once, for an organisation that needs no approval). */
    approvedByAdmin: boolean;
    organisation: { name: string; requiresApproval: boolean };
    startsAt: Date;
    endsAt: Date | null;
    place: string;
    neighbourhood: string;
    topic: string;
    audience: string;
    texts: readonly { language: string; title: string; description: string }[];
  };
  /** A confirmation after a redirect (already in the panel's words). */
  notice?: string;
  /** Why the last action did not happen (already in the panel's words). */
  error?: string;
  /** The reject form again, with what was typed and its problem. */
  reason?: string;
  reasonError?: boolean;
};

/** The page's title: the activity's Dutch title. */
export function activityDetailTitle(v: Pick<ActivityDetailView, "activity">): string {
  return dutchTitle(v.activity);
}

/** /admin/activities/:id: the facts, the texts in every language there is, and the actions for this status and role. */
export function activityDetailPage(v: ActivityDetailView, t: PanelText): SafeHtml {
  const a = v.activity;
  const status = a.status;
  const statusText = (s: string) => t(`status_${s}`);
  const texts = ACTIVITY_LANGUAGES.flatMap((l) => a.texts.filter((x) => x.language === l));
  const when = formatWhen(a.startsAt, a.endsAt, v.language);
  const approvedLine =
    status === "approved" && a.approvedAt
      ? html`<dt>${t("status_approved")}</dt><dd>${a.approvedByAdmin ? t("approved_at", { when: formatWhen(a.approvedAt, null, v.language) }) : t("approved_at_once")}</dd>`
      : "";
  const post = (path: string, label: string, body: SafeHtml | string = "", cls = "") => postButton({ csrf: v.csrf, action: `/admin/activities/${a.id}/${path}`, label, body, cls });
  const actions: SafeHtml[] = [];
  if (status === "approved") actions.push(html`<p><a class="button" href="/admin/activities/${a.id}/broadcast">${t("action_broadcast")}</a></p>`);
  if (status !== "cancelled") actions.push(html`<p><a href="/admin/activities/${a.id}/edit">${t("action_edit")}</a></p>`);
  if (SUBMITTABLE.includes(status)) actions.push(post("submit", t("action_submit"), html`<p>${t(a.organisation.requiresApproval ? "submit_help_approval" : "submit_help_direct")}</p>`));
  if (v.isAdmin && status === "pending") actions.push(post("approve", t("action_approve")));
  if (v.isAdmin && REJECTABLE.includes(status)) {
    const err = v.reasonError ? html`<p class="field-error" id="reason-error">${t("err_reason", { max: String(REASON_MAX) })}</p>` : "";
    actions.push(
      post(
        "reject",
        t("action_reject"),
        html`<label for="reason">${t("reject_reason")}</label>${err}<textarea id="reason" name="reason" rows="3" maxlength="${REASON_MAX}" required${v.reasonError ? html` aria-invalid="true" aria-describedby="reason-error"` : ""}>${v.reason ?? ""}</textarea>`,
        "danger",
      ),
    );
  }
  if (CANCELLABLE.includes(status)) actions.push(post("cancel", t("action_cancel"), html`<p><small>${t("cancel_help")}</small></p>`, "danger"));
  return html`${v.notice ? html`<p role="status" class="notice">${v.notice}</p>` : ""}
      ${v.error ? html`<p role="alert" class="error">${v.error}</p>` : ""}
      ${v.reasonError ? html`<p role="alert" class="error"><a href="#reason">${t("err_reason", { max: String(REASON_MAX) })}</a></p>` : ""}
      <h2 class="visually-hidden">${t("facts")}</h2>
      <dl class="facts">
        <dt>${t("col_status")}</dt><dd><span class="status status-${status}">${statusText(status)}</span></dd>
        ${status === "rejected" ? html`<dt>${t("rejection_reason")}</dt><dd class="prose">${a.rejectionReason ?? "—"}</dd>` : ""}
        ${approvedLine}
        <dt>${t("organisation")}</dt><dd>${a.organisation.name}</dd>
        <dt>${t("col_when")}</dt><dd>${when}</dd>
        <dt>${t("place")}</dt><dd>${a.place}</dd>
        <dt>${t("field_neighbourhood")}</dt><dd>${t(`neighbourhood_${a.neighbourhood}`)}</dd>
        <dt>${t("field_topic")}</dt><dd>${t(`topic_${a.topic}`)}</dd>
        <dt>${t("field_audience")}</dt><dd>${t(`audience_${a.audience}`)}</dd>
      </dl>
      <h2>${t("texts_title")}</h2>
      ${missingLine(t, missingLanguages(a.texts.map((x) => x.language)))}
      ${texts.map(
        (x) => html`<section class="text" aria-labelledby="text-${x.language}"><h3 id="text-${x.language}">${t(`lang_${x.language}`)}</h3>
          <div lang="${x.language}" dir="${RTL_LANGUAGES.has(x.language) ? "rtl" : "ltr"}"><p><strong>${x.title}</strong></p><p class="prose">${x.description}</p></div></section>`,
      )}
      ${actions.length ? html`<h2>${t("actions")}</h2><div class="actions">${actions}</div>` : ""}
      <p><a href="/admin/activities">${t("back_to_activities")}</a></p>`;
}
