import { HANDOFF_STATUSES, type HandoffStatus } from "../../handoffs/handoff-lifecycle.js";
import { html, type SafeHtml } from "../html.js";
import type { PanelText } from "./page-parts.js";

/** What an admin sees of handoffs: counts per professional and status, never a case's content. */
export type HandoffOverviewView = {
  rows: readonly { name: string; organisation: string; counts: Readonly<Record<HandoffStatus, number>>; overdue: number }[];
};

/** /admin/handoffs for an admin: a table of every professional's cases by status, and how many are overdue. */
export function handoffOverviewPage(v: HandoffOverviewView, t: PanelText): SafeHtml {
  return html`<p>${t("ho_admin_intro")}</p>
        <table><caption>${t("ho_caption_admin")}</caption><thead><tr><th scope="col">${t("pro_name")}</th>${HANDOFF_STATUSES.map((st) => html`<th scope="col">${t(`ho_status_${st}`)}</th>`)}<th scope="col">${t("ho_overdue")}</th></tr></thead>
        <tbody>${v.rows.map((p) => html`<tr><td>${p.name} <small>${p.organisation}</small></td>${HANDOFF_STATUSES.map((st) => html`<td>${String(p.counts[st])}</td>`)}<td>${p.overdue > 0 ? html`<span class="status status-overdue">${String(p.overdue)}</span>` : "0"}</td></tr>`)}</tbody></table>`;
}
