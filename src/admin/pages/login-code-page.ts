import { html, type SafeHtml } from "../html.js";
import { csrfField, type PanelText } from "./page-parts.js";

/** The second-factor form's view: the session's CSRF token and, after a wrong or throttled code, why. */
export type LoginCodeView = { csrf: string; error: string | undefined };

/**
 * /admin/login/code: the six-digit code from the authenticator app (`one-time-code`, numeric keyboard),
 * with the reason of a refused code as an alert above the form.
 */
export function loginCodePage(v: LoginCodeView, t: PanelText): SafeHtml {
  return html`${v.error ? html`<p role="alert" class="error">${v.error}</p>` : ""}<p>${t("code_help")}</p>
      <form method="post" action="/admin/login/code">${csrfField(v.csrf)}
        <label for="code">${t("code")}</label><input id="code" name="code" inputmode="numeric" pattern="[0-9]{6}" autocomplete="one-time-code" required>
        <button type="submit">${t("confirm")}</button></form>`;
}
