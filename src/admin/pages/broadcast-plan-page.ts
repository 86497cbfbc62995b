import { formatWhen } from "../../activities/local-time.js";
import type { AudiencePreview } from "../../broadcasts/broadcast-service.js";
import { html, type SafeHtml } from "../html.js";
import type { PanelLanguage } from "../panel-kit.js";
import { csrfField, type PanelText } from "./page-parts.js";

/** What the broadcast plan page shows for one activity. */
export type BroadcastPlanView = {
  language: PanelLanguage;
  csrf: string;
  /** Why the last attempt was refused, in the panel's words. */
  error: string | undefined;
  activity: { id: string; title: string; status: string; startsAt: Date; endsAt: Date | null };
  /** Counts only: who would get it, by channel and language. */
  preview: AudiencePreview;
  /** A broadcast of this activity that is scheduled or sending. */
  running: { id: string } | null;
  /** A second factor set up and used in this session: needed to send to every subscriber. */
  strong: boolean;
  /** Proposed date and time for "later" (Europe/Amsterdam wall clock), an hour from now. */
  soon: { date: string; time: string };
  /** Earlier broadcasts, newest first. */
  history: readonly { id: string; status: string; scheduledFor: Date }[];
};

function counts(m: Record<string, number>, label: (k: string) => string): SafeHtml {
  return Object.keys(m).length === 0
    ? html`<p>—</p>`
    : html`<ul class="counts">${Object.entries(m)
        .sort((x, y) => y[1] - x[1])
        .map(([k, n]) => html`<li><span>${label(k)}</span> <strong>${String(n)}</strong></li>`)}</ul>`;
}

/**
 * /admin/activities/:id/broadcast: the audience (counts only), why sending is not possible yet (running,
 * not approved, no second factor), the form to send now or plan, and the history. The form only appears
 * when sending is allowed.
 */
export function broadcastPlanPage(v: BroadcastPlanView, t: PanelText): SafeHtml {
  const { activity: a, preview } = v;
  const canSend = a.status === "approved" && !v.running && v.strong;
  return html`${v.error ? html`<p role="alert" class="error">${v.error}</p>` : ""}
      <p><a href="/admin/activities/${a.id}">${a.title}</a> · ${formatWhen(a.startsAt, a.endsAt, v.language)}</p>
      <section aria-labelledby="audience-h"><h2 id="audience-h">${t("bc_audience")}</h2>
        <p class="big" id="audience-total">${t("bc_audience_total", { count: String(preview.total) })}</p>
        <p><small>${t("bc_audience_help")}</small></p>
        <h3>${t("bc_by_channel")}</h3>${counts(preview.byChannel, (k) => t(`channel_${k}`))}
        <h3>${t("bc_by_language")}</h3>${counts(preview.byLanguage, (k) => t(`lang_${k}`))}
        ${preview.template > 0 ? html`<p>${t("bc_template_note", { count: String(preview.template) })}</p>` : ""}
        ${preview.quiet > 0 ? html`<p>${t("bc_quiet_note", { count: String(preview.quiet) })}</p>` : ""}
      </section>
      ${v.running ? html`<p role="status" class="notice"><a href="/admin/broadcasts/${v.running.id}">${t("bc_running")}</a></p>` : ""}
      ${a.status !== "approved" ? html`<p role="status" class="notice">${t("bc_not_approved")}</p>` : ""}
      ${!v.strong ? html`<p role="status" class="notice">${t("bc_needs_2fa")} <a href="/admin/2fa/setup">${t("bc_setup_2fa")}</a></p>` : ""}
      ${canSend
        ? html`<form method="post" action="/admin/activities/${a.id}/broadcast" class="plan">${csrfField(v.csrf)}
          <fieldset><legend>${t("bc_when")}</legend>
            <p><input type="radio" id="when-now" name="when" value="now" checked> <label for="when-now">${t("bc_now")}</label></p>
            <p><input type="radio" id="when-later" name="when" value="later"> <label for="when-later">${t("bc_later")}</label></p>
            <p><label for="bc-date">${t("field_date")}</label><input type="date" id="bc-date" name="date" value="${v.soon.date}">
               <label for="bc-time">${t("field_start")}</label><input type="time" id="bc-time" name="time" value="${v.soon.time}"></p>
          </fieldset>
          <button type="submit"${preview.total === 0 ? html` aria-describedby="audience-total"` : ""}>${t("bc_send")}</button></form>`
        : ""}
      ${v.history.length
        ? html`<h2>${t("bc_history")}</h2><ul>${v.history.map(
            (b) => html`<li><a href="/admin/broadcasts/${b.id}">${formatWhen(b.scheduledFor, null, v.language)}</a> — ${t(`bc_status_${b.status}`)}</li>`,
          )}</ul>`
        : ""}`;
}
