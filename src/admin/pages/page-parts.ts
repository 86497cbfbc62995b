import { html, type SafeHtml } from "../html.js";

/**
 * A panel text in the page's language (`locales/{nl,en}/admin.json`, without the `admin:` prefix). Pages
 * get it as their second argument, so a test can render a page with the real texts or with the keys.
 */
export type PanelText = (key: string, params?: Record<string, string>) => string;

/** The hidden CSRF field every form carries: the session's token (or, before sign-in, the browser's). */
export function csrfField(token: string): SafeHtml {
  return html`<input type="hidden" name="_csrf" value="${token}">`;
}

/** A one-button form, as `postButton` draws it. */
export type PostButtonOptions = {
  /** The CSRF token the form carries (the view model's `csrf`). */
  csrf: string;
  /** Where the form posts. */
  action: string;
  /** The button's text, already in the page's language. */
  label: string;
  /** Fields above the button (a reason, a choice); none by default. */
  body?: SafeHtml | string;
  /** The form's class, such as `danger` for a button that ends or removes something; none by default. */
  cls?: string;
};

/** A form that posts to `action` with one button, optional fields above it and an optional class (`danger`). */
export function postButton({ csrf, action, label, body = "", cls = "" }: PostButtonOptions): SafeHtml {
  return html`<form method="post" action="${action}"${cls ? html` class="${cls}"` : ""}>${csrfField(csrf)}${body}<button type="submit">${label}</button></form>`;
}

/** The confirmation after a form saved something (`?saved=<word>`), as a status message; empty without one. */
export function savedNotice(text: string | undefined): SafeHtml | "" {
  return text === undefined ? "" : html`<p role="status" class="notice saved">${text}</p>`;
}
