import { formatWhen } from "../../activities/local-time.js";
import type { BroadcastProgress } from "../../broadcasts/broadcast-service.js";
import { html, type SafeHtml } from "../html.js";
import type { PanelLanguage } from "../panel-kit.js";
import { csrfField, type PanelText } from "./page-parts.js";

/** Codes whose plain-words explanation the panel knows; anything else shows the platform's own words. */
const KNOWN_REASONS = new Set(["blocked", "no-template", "in-doubt", "in-doubt-again", "gave-up", "cancelled", "whatsapp-131026", "whatsapp-131047", "whatsapp-132001", "whatsapp-131049", "telegram-400", "telegram-403"]);

/** The counts the progress page shows, in this order: the happy path first, then what went wrong. */
const SHOWN = ["sent", "delivered", "read", "failed", "blocked", "unknown", "cancelled"] as const;

/** The part of the progress page its script asks for again: the state, the bar, the counts and the failures. */
export type BroadcastProgressPartView = { language: PanelLanguage; progress: BroadcastProgress };

/** What the broadcast progress page shows. */
export type BroadcastProgressView = BroadcastProgressPartView & {
  csrf: string;
  broadcastId: string;
  activity: { id: string; title: string };
};

function reasonText(t: PanelText, f: BroadcastProgress["failures"][number]): string {
  if (KNOWN_REASONS.has(f.code)) return t(`reason_${f.code}`);
  return f.status === "blocked" ? t("reason_blocked") : t("reason_other", { reason: f.reason || f.code });
}

/** /admin/broadcasts/:bid/progress: the state, a progress bar, the counts by outcome and the failures in plain words. */
export function broadcastProgressPart(v: BroadcastProgressPartView, t: PanelText): SafeHtml {
  const p = v.progress;
  const total = Math.max(p.recipients, p.done);
  const running = p.status === "scheduled" || p.status === "sending";
  return html`<div id="progress-area" data-status="${p.status}">
      <p id="bc-status" role="status" aria-live="polite">${t(`bc_status_${p.status}`)}${p.status === "scheduled" ? html` — ${formatWhen(p.scheduledFor, null, v.language)}` : ""}</p>
      <label for="bc-progress">${t("bc_progress_label", { done: String(p.done), total: String(total) })}</label>
      <progress id="bc-progress" max="${String(Math.max(total, 1))}" value="${String(total === 0 && !running ? 1 : p.done)}">${String(p.done)} / ${String(total)}</progress>
      <dl class="counts facts">${SHOWN.map((k) => html`<dt>${t(`bc_count_${k}`)}</dt><dd data-count="${k}">${String(p.counts[k])}</dd>`)}</dl>
      ${p.inDoubtResolved.confirmed + p.inDoubtResolved.resent > 0 ? html`<p id="in-doubt-resolved">${t("bc_in_doubt_resolved", { confirmed: String(p.inDoubtResolved.confirmed), resent: String(p.inDoubtResolved.resent) })}</p>` : ""}
      ${p.failures.length
        ? html`<h2>${t("bc_failures")}</h2><ul class="failures">${p.failures.map((f) => html`<li><strong>${String(f.count)}</strong> × ${reasonText(t, f)}</li>`)}</ul>`
        : ""}
    </div>`;
}

/**
 * /admin/broadcasts/:bid: the activity, the progress part and, while it is planned or sending, the cancel
 * button and the script that refreshes the part (a meta refresh without script).
 */
export function broadcastProgressPage(v: BroadcastProgressView, t: PanelText): SafeHtml {
  const running = v.progress.status === "scheduled" || v.progress.status === "sending";
  return html`<p><a href="/admin/activities/${v.activity.id}">${v.activity.title}</a></p>
      ${broadcastProgressPart(v, t)}
      ${running
        ? html`<form method="post" action="/admin/broadcasts/${v.broadcastId}/cancel" class="danger" id="cancel-form">${csrfField(v.csrf)}<button type="submit">${t("bc_cancel")}</button></form>
          <noscript><meta http-equiv="refresh" content="5"></noscript>
          <script src="/admin/assets/broadcast-progress.js" defer></script>`
        : ""}
      <p><a href="/admin/activities/${v.activity.id}/broadcast">${t("bc_back")}</a></p>`;
}
