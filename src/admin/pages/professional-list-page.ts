import { html, type SafeHtml } from "../html.js";
import { languageNames } from "../panel-words.js";
import type { PanelText } from "./page-parts.js";

/** One professional in the admin's list: enough to see who can be matched and who cannot. */
export type ProfessionalRow = {
  id: string;
  name: string;
  organisation: string;
  demo: boolean;
  languages: readonly string[];
  topics: readonly string[];
  example: boolean;
  active: boolean;
  /** Linked to a panel account: only then are they matched. */
  hasAccount: boolean;
};

/** /admin/professionals: every professional with organisation, languages, topics and whether they can be matched. */
export function professionalListPage(v: { rows: readonly ProfessionalRow[] }, t: PanelText): SafeHtml {
  return html`<p>${t("pro_intro")}</p>
      <p><a class="button" href="/admin/professionals/new">${t("pro_new")}</a></p>
      <table><caption>${t("pro_caption")}</caption><thead><tr><th scope="col">${t("pro_name")}</th><th scope="col">${t("pro_topics")}</th><th scope="col">${t("pro_state")}</th></tr></thead>
      <tbody>${v.rows.map((p) => html`<tr><td><a href="/admin/professionals/${p.id}">${p.name}</a><br><small>${p.organisation}${p.demo ? " (DEMO)" : ""} · ${languageNames(t, p.languages)}</small></td><td>${p.topics.map((x) => t(`ho_topic_${x}`)).join(", ")}</td>
        <td>${p.example ? html`<span class="status status-pending">${t("pro_example")}</span> ` : ""}${!p.active ? t("pro_inactive") : p.hasAccount ? html`<span class="status status-approved">${t("pro_matched")}</span>` : html`<span class="status status-cancelled">${t("pro_no_account")}</span>`}</td></tr>`)}</tbody></table>`;
}
