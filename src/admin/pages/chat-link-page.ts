import { CHAT_CODE_TTL_MS } from "../../activities/chat-link.js";
import { formatWhen } from "../../activities/local-time.js";
import { html, type SafeHtml } from "../html.js";
import type { PanelLanguage } from "../panel-kit.js";
import { postButton, savedNotice, type PanelText } from "./page-parts.js";

/** What the chat-link page shows: whether this person's chat is linked, and a fresh code when one was made. */
export type ChatLinkView = {
  language: PanelLanguage;
  csrf: string;
  saved: string | undefined;
  /** Key figures read how to send in activities by chat. */
  keyFigure: boolean;
  linked: boolean;
  code: { code: string; expiresAt: Date } | undefined;
};

/** /admin/chat-link: the state, the one-time code to type ("koppel CODE") and how long it works, and the buttons. */
export function chatLinkPage(v: ChatLinkView, t: PanelText): SafeHtml {
  return html`${savedNotice(v.saved)}<p>${t(v.keyFigure ? "chat_link_intro_keyfigure" : "chat_link_intro")}</p>
      <p role="status" class="notice" id="link-state">${t(v.linked ? "chat_link_linked" : "chat_link_not_linked")}</p>
      ${v.code
        ? html`<section aria-labelledby="code-h" class="code-box"><h2 id="code-h">${t("chat_link_code_title")}</h2>
            <p class="big"><code id="link-code">koppel ${v.code.code}</code></p>
            <p>${t("chat_link_code_help", { minutes: String(CHAT_CODE_TTL_MS / 60_000), until: formatWhen(v.code.expiresAt, null, v.language) })}</p></section>`
        : ""}
      ${postButton({ csrf: v.csrf, action: "/admin/chat-link", label: t(v.linked ? "chat_link_relink" : "chat_link_make") })}
      ${v.linked ? postButton({ csrf: v.csrf, action: "/admin/chat-link/unlink", label: t("chat_link_unlink"), cls: "danger" }) : ""}`;
}
