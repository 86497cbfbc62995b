import { html, type SafeHtml } from "../html.js";
import { MIN_PASSWORD_LENGTH } from "../password.js";
import { csrfField, type PanelText } from "./page-parts.js";

/** The invitation form's view: the invitation, what went wrong on the last try and what was typed (kept, except the password). */
export type InviteView = {
  csrf: string;
  /** The invitation's token, from its link; the form posts back to it. */
  token: string;
  /** Who is invited; `firstAdmin` is the very first account, which also asks for a name and an e-mail address. */
  invite: { email: string; firstAdmin: boolean };
  /** Why the last try was refused, in the panel's words; undefined on the first visit. */
  error: string | undefined;
  /** What the first admin typed, shown again after a refused try; empty by default. */
  typed: { displayName?: string; email?: string };
};

/** The invitation form's title: the first admin's set-up or an ordinary invitation. */
export function inviteTitle(v: Pick<InviteView, "invite">, t: PanelText): string {
  return t(v.invite.firstAdmin ? "first_admin_title" : "invite_title");
}

/**
 * /admin/invite/:token: choose a password (`new-password`, at least MIN_PASSWORD_LENGTH characters) and, for
 * the first admin, a name and an e-mail address (`name`, `email`), kept after a refused try.
 */
export function invitePage(v: InviteView, t: PanelText): SafeHtml {
  return html`${v.error ? html`<p role="alert" class="error">${v.error}</p>` : ""}<p>${v.invite.firstAdmin ? t("first_admin_help", { min: String(MIN_PASSWORD_LENGTH) }) : t("invite_help", { email: v.invite.email, min: String(MIN_PASSWORD_LENGTH) })}</p>
      <form method="post" action="/admin/invite/${v.token}">${csrfField(v.csrf)}
        ${v.invite.firstAdmin
          ? html`<label for="displayName">${t("name")}</label><input id="displayName" name="displayName" autocomplete="name" maxlength="80" value="${v.typed.displayName ?? ""}" required>
            <label for="email">${t("email")}</label><input id="email" name="email" type="email" autocomplete="email" maxlength="200" value="${v.typed.email ?? ""}" required>`
          : ""}
        <label for="password">${t("new_password")}</label><input id="password" name="password" type="password" autocomplete="new-password" minlength="${MIN_PASSWORD_LENGTH}" required>
        <button type="submit">${t("invite_accept")}</button></form>`;
}

/** Why an invitation link does not lead to the form: used, withdrawn or expired, or the first admin already exists. */
export type InviteInvalidView = { reason: "invalid" | "first-admin-taken" };

/** The page for an invitation link that no longer works (410), under the title `invite_title`. */
export function inviteInvalidPage(v: InviteInvalidView, t: PanelText): SafeHtml {
  return html`<p role="alert">${t(v.reason === "first-admin-taken" ? "first_admin_taken" : "invite_invalid")}</p>`;
}
