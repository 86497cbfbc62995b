import { html, type SafeHtml } from "../html.js";
import type { PanelLanguage } from "../panel-kit.js";
import { answerText, overdueMark, statusClass, whenText, type LivePart } from "./handoff-parts.js";
import type { PanelText } from "./page-parts.js";

/** One case in a professional's inbox: the code name, never anything that identifies the resident. */
export type InboxRow = {
  id: string;
  code: string;
  topic: string;
  status: string;
  overdue: boolean;
  acceptBy: Date;
  checkInAnswer: string | null;
  checkInAnsweredAt: Date | null;
  /** Resident messages the professional has not had on screen. */
  unread: number;
};

/** A professional's inbox: open and closed cases, newest first, and the version the live updates compare. */
export type HandoffInboxView = { language: PanelLanguage; version: string; open: readonly InboxRow[]; closed: readonly InboxRow[] };

/** The inbox's live parts: the summary (new, overdue, unread), the open cases and the closed ones. */
export function handoffInboxParts(v: HandoffInboxView, t: PanelText): LivePart[] {
  const table = (caption: string, rows: readonly InboxRow[]) =>
    rows.length === 0
      ? html`<p>${t("ho_none")}</p>`
      : html`<table><caption>${caption}</caption><thead><tr><th scope="col">${t("ho_code")}</th><th scope="col">${t("ho_topic")}</th><th scope="col">${t("ho_status")}</th><th scope="col">${t("ho_accept_by")}</th></tr></thead>
          <tbody>${rows.map((h) => {
            const n = h.unread;
            // Four columns, so it fits a phone: unread messages with the code name, the resident's answer under the status.
            return html`<tr${h.overdue ? html` class="overdue"` : ""}><td><a href="/admin/handoffs/${h.id}">${h.code}</a>${n > 0 ? html` <span class="badge" title="${t("ho_unread")}"><span aria-hidden="true">${String(n)}</span><span class="visually-hidden">${t("badge_messages", { count: String(n) })}</span></span>` : ""}</td><td>${t(`ho_topic_${h.topic}`)}</td><td><span class="status status-${statusClass(h.status)}">${t(`ho_status_${h.status}`)}</span>${h.overdue ? overdueMark(t) : ""}${h.checkInAnswer ? html`<br><small>${t("ho_checkin")} ${answerText(t, v.language, h)}</small>` : ""}</td><td>${h.status === "new" ? whenText(v.language, h.acceptBy) : "—"}</td></tr>`;
          })}</tbody></table>`;
  const overdue = v.open.filter((h) => h.overdue).length;
  const unreadTotal = v.open.reduce((n, h) => n + h.unread, 0);
  const summary = html`<p>${t("ho_intro", { count: String(v.open.filter((h) => h.status === "new").length) })}</p>
      ${overdue > 0 ? html`<p role="alert" class="error">${t("ho_overdue_count", { count: String(overdue) })}</p>` : ""}
      ${unreadTotal > 0 ? html`<p class="notice">${t("ho_unread_count", { count: String(unreadTotal) })}</p>` : ""}`;
  return [
    { name: "summary", html: summary },
    { name: "open", html: table(t("ho_open"), v.open) },
    { name: "closed", html: html`<h2>${t("ho_closed")}</h2>${table(t("ho_closed"), v.closed)}` },
  ];
}

/** /admin/handoffs for a professional: the live parts, asked again every few seconds by the page's script. */
export function handoffInboxPage(v: HandoffInboxView, t: PanelText): SafeHtml {
  return html`<div data-live-url="/admin/handoffs/live" data-live-version="${v.version}">${handoffInboxParts(v, t).map((p) => html`<div data-live-part="${p.name}">${p.html}</div>`)}</div>
      <script src="/admin/assets/live-updates.js" defer></script>`;
}

/** /admin/handoffs for a professional account not linked to a professional yet. */
export function handoffNotLinkedPage(t: PanelText): SafeHtml {
  return html`<p role="status" class="notice">${t("ho_not_linked")}</p>`;
}
