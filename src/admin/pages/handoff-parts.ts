import { formatWhen } from "../../activities/local-time.js";
import { html, type SafeHtml } from "../html.js";
import type { PanelLanguage } from "../panel-kit.js";
import type { PanelText } from "./page-parts.js";

/** A date and time in the panel's language, or "—". */
export function whenText(language: PanelLanguage, d: Date | null): string {
  return d ? formatWhen(d, null, language) : "—";
}

/** The colour of a case's status: waiting, done or ongoing. */
export function statusClass(status: string): string {
  return status === "new" ? "pending" : status === "closed" ? "cancelled" : "approved";
}

/** The "overdue" mark beside a request nobody accepted in time. */
export function overdueMark(t: PanelText): SafeHtml {
  return html` <span class="status status-overdue">${t("ho_overdue")}</span>`;
}

/** The resident's answer to "did it help?", with when; "—" before they answered. */
export function answerText(t: PanelText, language: PanelLanguage, h: { checkInAnswer: string | null; checkInAnsweredAt: Date | null }): SafeHtml | string {
  return h.checkInAnswer ? html`${t(`ho_checkin_${h.checkInAnswer}`)}${h.checkInAnsweredAt ? html` <small>(${whenText(language, h.checkInAnsweredAt)})</small>` : ""}` : "—";
}

/** One part of a live page: its name (`data-live-part`) and its HTML. */
export type LivePart = { name: string; html: SafeHtml };
