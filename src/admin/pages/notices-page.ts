import { formatWhen } from "../../activities/local-time.js";
import { html, type SafeHtml } from "../html.js";
import type { PanelLanguage } from "../panel-kit.js";
import { savedNotice, type PanelText } from "./page-parts.js";

/** One notice as shown: its kind, its text already in the panel's words, when, and where it leads. */
export type NoticeItemView = { kind: string; text: string; createdAt: Date; link: string | null; read: boolean };

/** One notice as a list item: its text, when, and a link to what it is about. Unread ones are marked. */
export function noticeItem(language: PanelLanguage, n: NoticeItemView, t: PanelText): SafeHtml {
  return html`<li class="notice-item${n.read ? "" : " unread"}" data-kind="${n.kind}">${n.read ? "" : html`<strong class="badge">${t("notice_new")}</strong> `}${n.text}
    <br><small>${formatWhen(n.createdAt, null, language)}</small>${n.link ? html` · <a href="${n.link}">${t("notice_open")}</a>` : ""}</li>`;
}

/** What *Meldingen* shows. */
export type NoticesView = { language: PanelLanguage; saved: string | undefined; emailOn: boolean; notices: readonly NoticeItemView[] };

/** /admin/notices: everything Naast told this person, newest first, or that there is nothing. */
export function noticesPage(v: NoticesView, t: PanelText): SafeHtml {
  return html`${savedNotice(v.saved)}<p>${t(v.emailOn ? "notices_intro_email" : "notices_intro")}</p>
      ${v.notices.length === 0 ? html`<p>${t("notices_none")}</p>` : html`<ul class="notices">${v.notices.map((n) => noticeItem(v.language, n, t))}</ul>`}`;
}
