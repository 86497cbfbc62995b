import { html, type SafeHtml } from "../html.js";
import type { PanelLanguage } from "../panel-kit.js";
import { languageNames } from "../panel-words.js";
import { whenText } from "./handoff-parts.js";
import { csrfField, savedNotice, type PanelText } from "./page-parts.js";

/** A request nobody accepted yet, as a coordinator sees it: the code name and the people, never the content. */
export type WaitingRequest = {
  id: string;
  code: string;
  language: string;
  professional: { id: string; name: string; organisation: string };
  createdAt: Date;
  acceptBy: Date;
  overdue: boolean;
  remindedAt: Date | null;
  escalated: boolean;
};

/** What the coordination page shows. */
export type CoordinationView = {
  language: PanelLanguage;
  csrf: string;
  saved: string | undefined;
  /** The organisation coordinated; undefined for the wijkregie (all organisations). */
  organisation: string | undefined;
  waiting: readonly WaitingRequest[];
  /** Accepted or in contact. */
  openCount: number;
  /** Cases answered or closed lately, with the resident's answer. */
  answered: readonly { code: string; professional: string; status: string; outcome: string | null; checkInAnswer: string | null; checkInAnsweredAt: Date | null }[];
  /** Who a request can be handed to. */
  takers: readonly { id: string; name: string; organisation: string; languages: readonly string[] }[];
};

/** /admin/coordination: the counts, the requests waiting (overdue marked) each with a reassign form, and the outcomes. */
export function coordinationPage(v: CoordinationView, t: PanelText): SafeHtml {
  const overdue = v.waiting.filter((h) => h.overdue).length;
  const stuck = v.waiting.filter((h) => h.escalated).length;
  const answers = (a: string) => v.answered.filter((h) => h.checkInAnswer === a).length;
  const when = (d: Date | null) => whenText(v.language, d);
  const reassignForm = (h: WaitingRequest) => {
    const others = v.takers.filter((p) => p.id !== h.professional.id);
    if (others.length === 0) return html`<small>${t("co_nobody")}</small>`;
    return html`<form method="post" action="/admin/coordination/${h.id}/reassign" class="inline reassign">${csrfField(v.csrf)}
        <label for="to-${h.id}" class="visually-hidden">${t("co_reassign_to", { code: h.code })}</label>
        <select id="to-${h.id}" name="to">${others.map((p) => html`<option value="${p.id}">${p.name} (${p.organisation}) — ${languageNames(t, p.languages)}${p.languages.includes(h.language) ? "" : ` · ${t("co_not_language", { language: t(`lang_${h.language}`) })}`}</option>`)}</select>
        <button type="submit">${t("co_reassign")}</button></form>`;
  };
  return html`${savedNotice(v.saved)}
      <p>${v.organisation !== undefined ? t("co_intro_org", { organisation: v.organisation }) : t("co_intro_all")}</p>
      <h2 class="visually-hidden">${t("co_counts")}</h2>
      <dl class="facts counts-summary">
        <dt>${t("co_waiting")}</dt><dd data-count="waiting">${String(v.waiting.length)}</dd>
        <dt>${t("co_overdue")}</dt><dd data-count="overdue">${overdue > 0 ? html`<span class="status status-overdue">${String(overdue)}</span>` : "0"}</dd>
        <dt>${t("co_stuck")}</dt><dd data-count="stuck">${String(stuck)}</dd>
        <dt>${t("co_open")}</dt><dd data-count="open">${String(v.openCount)}</dd>
        <dt>${t("co_answers")}</dt><dd data-count="answers">${t("co_answers_line", { helped: String(answers("helped")), not: String(answers("not_helped")), none: String(answers("no_contact")) })}</dd>
      </dl>
      <h2>${t("co_waiting_title")}</h2>
      ${v.waiting.length === 0
        ? html`<p>${t("co_none_waiting")}</p>`
        : html`<table class="coordination"><caption>${t("co_waiting_caption")}</caption><thead><tr><th scope="col">${t("co_request")}</th><th scope="col">${t("ho_accept_by")}</th></tr></thead>
          <tbody>${v.waiting.map(
            (h) => html`<tr${h.overdue ? html` class="overdue"` : ""}><td><strong>${h.code}</strong><br>${h.professional.name} <small>(${h.professional.organisation})</small><br><small>${t(`lang_${h.language}`)} · ${t("ho_created")}: ${when(h.createdAt)}</small></td>
              <td>${when(h.acceptBy)}${h.overdue ? html` <span class="status status-overdue">${t("ho_overdue")}</span>` : ""}${h.remindedAt ? html`<br><small>${t("co_reminded", { when: when(h.remindedAt) })}</small>` : ""}${h.escalated ? html`<br><small>${t("co_escalated")}</small>` : ""}</td></tr>
              <tr class="action-row"><td colspan="2">${reassignForm(h)}</td></tr>`,
          )}</tbody></table>`}
      <h2>${t("co_outcomes_title")}</h2>
      ${v.answered.length === 0
        ? html`<p>${t("co_none_outcomes")}</p>`
        : html`<table><caption>${t("co_outcomes_caption")}</caption><thead><tr><th scope="col">${t("ho_code")}</th><th scope="col">${t("co_professional")}</th><th scope="col">${t("ho_status")}</th><th scope="col">${t("ho_checkin")}</th></tr></thead>
          <tbody>${v.answered.map(
            (h) => html`<tr><td>${h.code}</td><td>${h.professional}</td><td>${t(`ho_status_${h.status}`)}${h.outcome ? ` — ${t(`ho_outcome_${h.outcome}`)}` : ""}</td>
              <td>${h.checkInAnswer ? html`${t(`ho_checkin_${h.checkInAnswer}`)}${h.checkInAnsweredAt ? html` <small>(${when(h.checkInAnsweredAt)})</small>` : ""}` : t("co_no_answer")}</td></tr>`,
          )}</tbody></table>`}`;
}
