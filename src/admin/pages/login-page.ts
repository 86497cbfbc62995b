import { html, type SafeHtml } from "../html.js";
import { csrfField, type PanelText } from "./page-parts.js";

/** The sign-in form's view: the browser's CSRF token and, after a refused try, why (already in the panel's words). */
export type LoginView = { csrf: string; error: string | undefined };

/**
 * /admin/login: e-mail and password, with the autocomplete words password managers need
 * (`username`, `current-password`), and the reason of a refused try as an alert above the form.
 */
export function loginPage(v: LoginView, t: PanelText): SafeHtml {
  return html`${v.error ? html`<p role="alert" class="error">${v.error}</p>` : ""}
      <form method="post" action="/admin/login">${csrfField(v.csrf)}
        <label for="email">${t("email")}</label><input id="email" name="email" type="email" autocomplete="username" required>
        <label for="password">${t("password")}</label><input id="password" name="password" type="password" autocomplete="current-password" required>
        <button type="submit">${t("login")}</button></form>`;
}
