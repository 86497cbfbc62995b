import { html, type SafeHtml } from "../html.js";
import type { PanelText } from "./page-parts.js";

/**
 * The panel's refusals: a form whose CSRF token is not this session's or browser's (403), a page not for
 * the user's role (403), and a record that does not exist or lies outside the user's organisation (404).
 */
export const PANEL_ERRORS = ["csrf-failed", "forbidden", "not-found"] as const;
export type PanelError = (typeof PANEL_ERRORS)[number];

/** Which refusal to show. */
export type PanelErrorView = { error: PanelError };

/** Each refusal's title and text (`locales/{nl,en}/admin.json`). */
const WORDS: Record<PanelError, { title: string; text: string }> = {
  "csrf-failed": { title: "error_title", text: "csrf_failed" },
  forbidden: { title: "forbidden_title", text: "forbidden" },
  "not-found": { title: "not_found_title", text: "not_found" },
};

/** The refusal's page title, in the panel's words. */
export function panelErrorTitle(v: PanelErrorView, t: PanelText): string {
  return t(WORDS[v.error].title);
}

/** A refusal as an alert, with the way back to the start page; the same for every role, so nothing leaks. */
export function panelErrorPage(v: PanelErrorView, t: PanelText): SafeHtml {
  return html`<p role="alert">${t(WORDS[v.error].text)}</p><p><a href="/admin">${t("back_to_panel")}</a></p>`;
}
