import { html, type SafeHtml } from "../html.js";
import { csrfField, savedNotice, type PanelText } from "./page-parts.js";

/** The roles in the order the role menus offer them. */
const ROLE_CHOICES = ["keyfigure", "professional", "coordinator", "wijkregie", "admin"] as const;

/** One panel account as the admin's list shows it. */
export type PersonRow = {
  id: string;
  displayName: string;
  email: string;
  /** One of the panel's roles (`role_<role>` is its name). */
  role: string;
  organisationId: string | null;
  organisation: string | null;
  /** A second factor is set up (an admin can reset it). */
  twoFactor: boolean;
  /** The admin looking at the page: their own role and second factor cannot be changed here. */
  self: boolean;
};

/** An invitation not used yet and not expired. */
export type InviteRow = { id: string; displayName: string; email: string; role: string; organisation: string | null; expiresAt: Date };

/** What the page says at the top besides `?saved=`: a second factor was reset, or an invitation made with its link. */
export type PeopleNotice = { kind: "reset" } | { kind: "invited"; email: string; link: string };

/** What /admin/people shows. */
export type PeopleView = {
  csrf: string;
  saved: string | undefined;
  /** Shown instead of the saved confirmation. */
  notice: PeopleNotice | undefined;
  /** Why the last form was refused, in the panel's words. */
  error: string | undefined;
  people: readonly PersonRow[];
  invites: readonly InviteRow[];
  organisations: readonly { id: string; name: string }[];
};

function noticeHtml(n: PeopleNotice, t: PanelText): SafeHtml {
  return n.kind === "reset"
    ? html`<p role="status" class="notice">${t("reset_2fa_done")}</p>`
    : html`<div role="status" class="notice"><p>${t("invite_created", { email: n.email })}</p><p><code class="link">${n.link}</code></p></div>`;
}

/**
 * /admin/people: every account with role, organisation and second factor (each with a form to change the
 * role and reset the second factor, except the admin's own), the open invitations with a way to withdraw
 * them, and the form to invite someone.
 */
export function peoplePage(v: PeopleView, t: PanelText): SafeHtml {
  return html`${v.notice ? noticeHtml(v.notice, t) : savedNotice(v.saved)}${v.error ? html`<p role="alert" class="error">${v.error}</p>` : ""}
      <table><caption>${t("people_caption")}</caption><thead><tr><th scope="col">${t("name")}</th><th scope="col">${t("role")}</th><th scope="col">${t("organisation")}</th><th scope="col">${t("two_factor")}</th></tr></thead>
      <tbody>${v.people.map((p) => {
        return html`<tr><td>${p.displayName}<br><small>${p.email}</small></td>
          <td>${t(`role_${p.role}`)}${p.self ? "" : html`<form method="post" action="/admin/people/${p.id}/role" class="inline role-form">${csrfField(v.csrf)}
            <label for="role-${p.id}" class="visually-hidden">${t("role_for", { name: p.displayName })}</label><select id="role-${p.id}" name="role">${ROLE_CHOICES.map((r) => html`<option value="${r}"${p.role === r ? html` selected` : ""}>${t(`role_${r}`)}</option>`)}</select>
            <label for="role-org-${p.id}" class="visually-hidden">${t("organisation")}</label><select id="role-org-${p.id}" name="organisationId"><option value="">—</option>${v.organisations.map((o) => html`<option value="${o.id}"${p.organisationId === o.id ? html` selected` : ""}>${o.name}</option>`)}</select>
            <button type="submit">${t("role_change")}</button></form>`}</td>
          <td>${p.organisation ?? (p.role === "coordinator" ? t("co_wijkregie") : "—")}</td>
          <td>${p.twoFactor ? "✓" : "—"}${p.twoFactor && !p.self ? html`<form method="post" action="/admin/people/${p.id}/reset-2fa" class="inline danger">${csrfField(v.csrf)}<button type="submit" aria-label="${t("reset_2fa_for", { name: p.displayName })}">${t("reset_2fa")}</button></form>` : ""}</td></tr>`;
      })}</tbody></table>
      ${v.invites.length
        ? html`<table><caption>${t("invites_caption")}</caption><thead><tr><th scope="col">${t("email")}</th><th scope="col">${t("role")}</th><th scope="col">${t("invite_expires")}</th></tr></thead>
          <tbody>${v.invites.map((i) => html`<tr><td>${i.displayName}<br><small>${i.email}</small></td><td>${t(`role_${i.role}`)}${i.organisation ? html`<br><small>${i.organisation}</small>` : ""}</td>
            <td>${i.expiresAt.toISOString().slice(0, 10)}<form method="post" action="/admin/people/invites/${i.id}/revoke" class="inline">${csrfField(v.csrf)}<button type="submit" aria-label="${t("invite_revoke_for", { email: i.email })}">${t("invite_revoke")}</button></form></td></tr>`)}</tbody></table>`
        : ""}
      <h2>${t("invite_someone")}</h2>
      <form method="post" action="/admin/people/invite">${csrfField(v.csrf)}
        <label for="displayName">${t("name")}</label><input id="displayName" name="displayName" required maxlength="80">
        <label for="inv-email">${t("email")}</label><input id="inv-email" name="email" type="email" required maxlength="200">
        <label for="inv-role">${t("role")}</label><select id="inv-role" name="role">${ROLE_CHOICES.map((r) => html`<option value="${r}">${t(`role_${r}`)}</option>`)}</select>
        <label for="inv-org">${t("organisation")}</label><select id="inv-org" name="organisationId"><option value="">—</option>${v.organisations.map((o) => html`<option value="${o.id}">${o.name}</option>`)}</select>
        <button type="submit">${t("invite_create")}</button></form>`;
}
