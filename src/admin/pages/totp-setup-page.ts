import { formatWhen } from "../../activities/local-time.js";
import { html, type SafeHtml } from "../html.js";
import type { PanelLanguage } from "../panel-kit.js";
import { csrfField, type PanelText } from "./page-parts.js";

/** What the second-factor set-up shows. */
export type TotpSetupView = {
  language: PanelLanguage;
  csrf: string;
  /** Why the last code was refused (wrong, or too many tries), in the panel's words; undefined on the first visit. */
  error: string | undefined;
  /** Set when an admin reset this account's second factor: who, and when. */
  reset: { by: string; at: Date } | undefined;
  /** The new TOTP secret (base32), shown in groups of four for typing by hand. */
  secret: string;
  /** The `otpauth://` link an authenticator app on this phone opens. */
  otpauthUri: string;
  /** The same link as a QR code: an image URL (`data:image/svg+xml;base64,…`, see `totpQrSvg`). */
  qrImage: string;
};

/**
 * /admin/2fa/setup: the QR code to scan, the secret to type or a link to open on this phone, and the form
 * that confirms the first code (`one-time-code`). After an admin's reset it says who reset it and when.
 */
export function totpSetupPage(v: TotpSetupView, t: PanelText): SafeHtml {
  return html`${v.error ? html`<p role="alert" class="error">${v.error}</p>` : ""}${v.reset ? html`<p role="status" class="notice">${t("setup_reset_notice", { by: v.reset.by, when: formatWhen(v.reset.at, null, v.language) })}</p>` : ""}<p>${t("setup_help")}</p>
      <div class="totp-setup">
        <figure class="qr"><img src="${v.qrImage}" alt="${t("setup_qr_alt")}" width="220" height="220"><figcaption>${t("setup_qr")}</figcaption></figure>
        <div><p>${t("setup_or_type")}</p><p class="secret" aria-label="${t("setup_secret")}"><code>${v.secret.replace(/(.{4})/g, "$1 ").trim()}</code></p>
        <p><a href="${v.otpauthUri}">${t("setup_open_app")}</a></p></div>
      </div>
      <form method="post" action="/admin/2fa/setup">${csrfField(v.csrf)}
        <label for="code">${t("code")}</label><input id="code" name="code" inputmode="numeric" pattern="[0-9]{6}" autocomplete="one-time-code" required>
        <button type="submit">${t("confirm")}</button></form>`;
}
