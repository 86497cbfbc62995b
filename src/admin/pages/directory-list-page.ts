import { html, type SafeHtml } from "../html.js";
import type { PanelText } from "./page-parts.js";

/** One directory entry as the list shows it. */
export type DirectoryRow = {
  id: string;
  name: string;
  phone: string | null;
  /** National emergency numbers and helplines: read-only in the panel. */
  locked: boolean;
  /** Still an example address, not yet checked by an admin. */
  example: boolean;
};

/** /admin/directory: every place the flows send residents to, and whether it is checked, an example or read-only. */
export function directoryListPage(v: { rows: readonly DirectoryRow[] }, t: PanelText): SafeHtml {
  const examples = v.rows.filter((e) => e.example).length;
  return html`<p>${t("dir_intro")}</p>
        ${examples ? html`<p class="missing">${t("dir_examples", { count: String(examples) })}</p>` : ""}
        <table><caption>${t("dir_caption")}</caption>
        <thead><tr><th scope="col">${t("dir_name")}</th><th scope="col">${t("dir_phone")}</th><th scope="col">${t("dir_state")}</th></tr></thead>
        <tbody>${v.rows.map(
          (e) => html`<tr><td>${e.locked ? e.name : html`<a href="/admin/directory/${e.id}">${e.name}</a>`}</td><td>${e.phone ?? "—"}</td>
            <td>${e.locked ? t("dir_locked") : e.example ? html`<span class="status status-pending">${t("dir_example")}</span>` : html`<span class="status status-approved">${t("dir_checked")}</span>`}</td></tr>`,
        )}</tbody></table>`;
}
