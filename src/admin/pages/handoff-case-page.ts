import { HANDOFF_OUTCOMES } from "../../handoffs/handoff-lifecycle.js";
import { html, type SafeHtml } from "../html.js";
import type { PanelLanguage } from "../panel-kit.js";
import { whyThisProfessional } from "../panel-words.js";
import { answerText, overdueMark, whenText, type LivePart } from "./handoff-parts.js";
import { csrfField, postButton, type PanelText } from "./page-parts.js";

/** What the assigned professional sees of one case. */
export type HandoffCaseView = {
  language: PanelLanguage;
  csrf: string;
  /** What the live parts show, as a short tag: the page asks again with it. */
  version: string;
  id: string;
  /** The resident's code name. */
  code: string;
  status: string;
  outcome: string | null;
  overdue: boolean;
  checkInAnswer: string | null;
  checkInAnsweredAt: Date | null;
  /** What the resident agreed to share: the topic and their answers, and when a call is safe. */
  topic: string;
  answers: readonly string[];
  call: { when: string; identify: boolean } | undefined;
  caseLanguage: string;
  mode: string;
  /** The number to call, decrypted; only for a call case where the resident gave one. */
  phone: string | undefined;
  createdAt: Date;
  acceptBy: Date;
  /** Why this professional: the stored facts (worded here) or, for an old case, the developer text. */
  matchFacts: unknown;
  matchReason: string;
  professionalName: string;
  messages: readonly { id: string; author: string; createdAt: Date; held: boolean; text: string }[];
  /** A confirmation after an action, already in the panel's words; undefined: the notice slot stays hidden. */
  notice: string | undefined;
};

/** The case's live parts: the facts, the actions for its status, and the conversation (which only grows). */
export function handoffCaseParts(v: HandoffCaseView, t: PanelText): LivePart[] {
  const post = (path: string, label: string, body: SafeHtml | string = "", cls = "") => postButton({ csrf: v.csrf, action: `/admin/handoffs/${v.id}/${path}`, label, body, cls });
  const why = whyThisProfessional(t, v.matchFacts, v.matchReason);
  const facts = html`<dl class="facts">
        <dt>${t("ho_code")}</dt><dd>${v.code}</dd>
        <dt>${t("ho_status")}</dt><dd>${t(`ho_status_${v.status}`)}${v.outcome ? ` — ${t(`ho_outcome_${v.outcome}`)}` : ""}${v.overdue ? overdueMark(t) : ""}</dd>
        <dt>${t("ho_checkin")}</dt><dd>${answerText(t, v.language, v)}</dd>
        <dt>${t("ho_topic")}</dt><dd>${t(`ho_topic_${v.topic}`)}</dd>
        ${v.answers.length ? html`<dt>${t("ho_answers")}</dt><dd>${v.answers.map((a) => t(`ho_answer_${a}`)).join("; ")}</dd>` : ""}
        <dt>${t("ho_language")}</dt><dd>${t(`lang_${v.caseLanguage}`)}</dd>
        <dt>${t("ho_mode")}</dt><dd>${t(`ho_mode_${v.mode}`)}</dd>
        ${v.mode === "call" && v.phone ? html`<dt>${t("ho_phone")}</dt><dd><a href="tel:${v.phone.replace(/[^+0-9]/g, "")}">${v.phone}</a></dd>` : ""}
        ${v.call
          ? html`<dt>${t("ho_call_when")}</dt><dd>${t(`ho_call_when_${v.call.when}`)}</dd>
            <dt>${t("ho_call_identify")}</dt><dd${v.call.identify ? "" : html` class="warning"`}>${t(v.call.identify ? "ho_call_identify_yes" : "ho_call_identify_no")}</dd>`
          : ""}
        <dt>${t("ho_created")}</dt><dd>${whenText(v.language, v.createdAt)}</dd>
        ${v.status === "new" ? html`<dt>${t("ho_accept_by")}</dt><dd>${whenText(v.language, v.acceptBy)}</dd>` : ""}
        <dt>${t("ho_reason")}</dt><dd class="why">${why.map((w) => html`<p>${w.title}</p>${w.lines.length ? html`<ul>${w.lines.map((l) => html`<li>${l}</li>`)}</ul>` : ""}`)}</dd>
      </dl>`;
  const actions = html`<div class="actions">
        ${v.status === "new" ? post("accept", t("ho_accept")) : ""}
        ${v.status === "accepted" ? post("status", t("ho_mark_contact"), html`<input type="hidden" name="status" value="in_contact">`) : ""}
        ${v.status !== "closed"
          ? post("close", t("ho_close"), html`<label for="outcome">${t("ho_outcome")}</label><select id="outcome" name="outcome">${HANDOFF_OUTCOMES.map((o) => html`<option value="${o}">${t(`ho_outcome_${o}`)}</option>`)}</select><p><small>${t("ho_close_help")}</small></p>`, "danger")
          : ""}
      </div>`;
  const messages = v.messages.map((m) => {
    const who = m.author === "resident" ? t("ho_from_resident", { code: v.code }) : m.author === "professional" ? v.professionalName : "Naast";
    return html`<li class="msg msg-${m.author}" data-id="${m.id}"><p class="meta"><strong>${who}</strong> · ${whenText(v.language, m.createdAt)}${m.held ? html` · ${t("ho_held")}` : ""}</p><p class="prose">${m.text}</p></li>`;
  });
  const chat = messages.length ? html`${messages}` : html`<li class="empty" data-id="empty">${t("ho_chat_empty")}</li>`;
  return [
    { name: "facts", html: facts },
    { name: "actions", html: actions },
    { name: "chat", html: chat },
  ];
}

/** /admin/handoffs/:id: the notice, the live parts, the message form for an open chat case, and the way back. */
export function handoffCasePage(v: HandoffCaseView, t: PanelText): SafeHtml {
  const parts = handoffCaseParts(v, t);
  const part = (name: string) => parts.find((p) => p.name === name)?.html ?? "";
  return html`<p role="status" class="notice" id="case-notice"${v.notice !== undefined ? "" : html` hidden`}>${v.notice ?? ""}</p>
      <div data-live-url="/admin/handoffs/${v.id}/live" data-live-version="${v.version}">
      <div data-live-part="facts">${part("facts")}</div>
      <div data-live-part="actions">${part("actions")}</div>
      ${v.mode === "chat"
        ? html`<section aria-labelledby="chat-h"><h2 id="chat-h">${t("ho_chat")}</h2>
          <ol class="chat" data-live-part="chat" data-live-append="true" role="log" aria-live="polite" aria-labelledby="chat-h">${part("chat")}</ol>
          ${v.status !== "closed"
            ? html`<form method="post" action="/admin/handoffs/${v.id}/message" data-live-form="true" data-live-notice="case-notice" data-live-failed="${t("ho_notice_unknown")}">${csrfField(v.csrf)}<label for="text">${t("ho_message_label", { code: v.code })}</label><textarea id="text" name="text" rows="4" maxlength="2000" required></textarea><p><small>${t("ho_message_help", { name: v.professionalName })}</small></p><button type="submit">${t("ho_send")}</button></form>`
            : ""}
          <noscript><p><a href="/admin/handoffs/${v.id}">${t("ho_refresh")}</a></p></noscript></section>`
        : ""}
      </div>
      <p><a href="/admin/handoffs">${t("ho_back")}</a></p>
      <script src="/admin/assets/live-updates.js" defer></script>`;
}

/** The page's title: the case by its code name. */
export function handoffCaseTitle(v: Pick<HandoffCaseView, "code">, t: PanelText): string {
  return t("ho_case", { code: v.code });
}
