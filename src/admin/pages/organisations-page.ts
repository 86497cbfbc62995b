import { html, type SafeHtml } from "../html.js";
import { csrfField, savedNotice, type PanelText } from "./page-parts.js";

/** Kinds of organisation key figures belong to. */
export const ORG_KINDS = ["municipality", "welfare", "house-of-worship", "residents-association", "care", "volunteers", "other"] as const;

/** One organisation as the admin's list shows it. */
export type OrganisationRow = { id: string; name: string; kind: string; demo: boolean; requiresApproval: boolean };

/** What /admin/organisations shows. */
export type OrganisationsView = {
  csrf: string;
  saved: string | undefined;
  /** Why the last form was refused, in the panel's words. */
  error: string | undefined;
  organisations: readonly OrganisationRow[];
};

/**
 * /admin/organisations: every organisation with its kind and a button that switches whether its
 * activities wait for approval, and the form for a new one.
 */
export function organisationsPage(v: OrganisationsView, t: PanelText): SafeHtml {
  return html`${savedNotice(v.saved)}${v.error ? html`<p role="alert" class="error">${v.error}</p>` : ""}
      <table><caption>${t("organisations_caption")}</caption><thead><tr><th scope="col">${t("name")}</th><th scope="col">${t("kind")}</th><th scope="col">${t("approval")}</th></tr></thead>
      <tbody>${v.organisations.map(
        (o) => html`<tr><td>${o.name}${o.demo ? html` <span class="status status-pending">DEMO</span>` : ""}</td><td>${t(`kind_${o.kind}`)}</td><td><form method="post" action="/admin/organisations/${o.id}/approval" class="inline">${csrfField(v.csrf)}
          <input type="hidden" name="requiresApproval" value="${o.requiresApproval ? "false" : "true"}">
          <button type="submit" aria-label="${t(o.requiresApproval ? "approval_switch_off" : "approval_switch_on", { name: o.name })}">${t(o.requiresApproval ? "approval_on" : "approval_off")}</button></form></td></tr>`,
      )}</tbody></table>
      <h2>${t("organisation_new")}</h2>
      <form method="post" action="/admin/organisations">${csrfField(v.csrf)}
        <label for="org-name">${t("name")}</label><input id="org-name" name="name" required maxlength="120">
        <label for="org-kind">${t("kind")}</label><select id="org-kind" name="kind">${ORG_KINDS.map((k) => html`<option value="${k}">${t(`kind_${k}`)}</option>`)}</select>
        <button type="submit">${t("save")}</button></form>`;
}
