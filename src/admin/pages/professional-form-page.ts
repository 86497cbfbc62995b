import { HANDOFF_TOPICS, LANGUAGES, NEIGHBOURHOODS, type Language } from "../../content/vocabulary.js";
import { html, type SafeHtml } from "../html.js";
import { csrfField, savedNotice, type PanelText } from "./page-parts.js";

/** The days of the week a professional can be available, Monday (1) to Sunday (7). */
export const DAYS = [1, 2, 3, 4, 5, 6, 7] as const;
export type Day = (typeof DAYS)[number];

/** The professional form's fields as stored or as typed (untrimmed, so a refused form shows what was sent). */
export type ProfessionalFormValues = {
  name: string;
  organisationId: string;
  /** The linked panel account's id, or "" for none. */
  staffUserId: string;
  /** The backup colleague's id, or "" for none. */
  backupId: string;
  topics: readonly string[];
  languages: readonly string[];
  neighbourhoods: readonly string[];
  /** As typed; the field shows 8 when empty. */
  maxOpenCases: string;
  active: boolean;
  /** A seeded example person: the page says so. */
  example: boolean;
  /** Weekly hours by day, "HH:MM". */
  from: Partial<Record<Day, string>>;
  to: Partial<Record<Day, string>>;
  intro: Partial<Record<Language, string>>;
  walkIn: Partial<Record<Language, string>>;
};

/** What the professional form shows. */
export type ProfessionalFormView = {
  csrf: string;
  saved: string | undefined;
  /** Undefined for a new professional. */
  id: string | undefined;
  values: ProfessionalFormValues;
  /** Fields the last attempt got wrong (`topics`, `availability`, …) or `relink_open_cases`; each has a `pro_err_<problem>` text. */
  problems: readonly string[];
  /** Open cases of this professional: with any, the page offers to hand them to a colleague first. */
  openCases: number;
  /** Active colleagues with an account who can take over the open cases. */
  takers: readonly { id: string; name: string }[];
  organisations: readonly { id: string; name: string }[];
  /** Professional accounts not linked to anyone else. */
  accounts: readonly { id: string; displayName: string; email: string }[];
  /** Everyone else, for the backup colleague. */
  others: readonly { id: string; name: string }[];
};

/**
 * /admin/professionals/new and /admin/professionals/:id: who they are (no photo), organisation, panel
 * account, the topics, languages, neighbourhoods and weekly hours matching uses, the case limit, backup
 * colleague, whether active, and an introduction per language (Dutch required). With open cases, a form to
 * hand them to a colleague comes first.
 */
export function professionalFormPage(v: ProfessionalFormView, t: PanelText): SafeHtml {
  const { values, problems, id } = v;
  const checks = (name: "topics" | "languages" | "neighbourhoods", options: readonly string[], label: (o: string) => string) =>
    html`<fieldset${problems.includes(name) ? html` aria-invalid="true"` : ""}><legend>${t(`pro_${name}`)}</legend>${options.map((o) => html`<p><input type="checkbox" id="${name}-${o}" name="${name}" value="${o}"${values[name].includes(o) ? html` checked` : ""}> <label for="${name}-${o}">${label(o)}</label></p>`)}</fieldset>`;
  return html`${problems.length ? "" : savedNotice(v.saved)}${problems.length ? html`<div class="error-summary" role="alert"><h2>${t("errors_title")}</h2><ul>${problems.map((p) => html`<li>${t(`pro_err_${p}`)}</li>`)}</ul></div>` : ""}
      ${values.example ? html`<p class="missing">${t("pro_example_note")}</p>` : ""}
      ${id && v.openCases > 0
        ? html`<section aria-labelledby="open-h" class="notice"><h2 id="open-h">${t("pro_open_cases", { count: String(v.openCases) })}</h2><p>${t("pro_open_cases_help")}</p>
          ${v.takers.length
            ? html`<form method="post" action="/admin/professionals/${id}/reassign">${csrfField(v.csrf)}<label for="to">${t("pro_reassign_to")}</label>
              <select id="to" name="to">${v.takers.map((x) => html`<option value="${x.id}">${x.name}</option>`)}</select><button type="submit">${t("pro_reassign")}</button></form>`
            : html`<p>${t("pro_reassign_nobody")}</p>`}</section>`
        : ""}
      <form method="post" action="/admin/professionals/${id ?? "new"}">${csrfField(v.csrf)}
        <label for="name">${t("pro_name")}</label><input id="name" name="name" value="${values.name}" maxlength="60" required>
        <label for="organisationId">${t("pro_organisation")}</label><select id="organisationId" name="organisationId">${v.organisations.map((o) => html`<option value="${o.id}"${values.organisationId === o.id ? html` selected` : ""}>${o.name}</option>`)}</select>
        <label for="staffUserId">${t("pro_account")}</label><select id="staffUserId" name="staffUserId"><option value="">${t("pro_no_account")}</option>${v.accounts.map((a) => html`<option value="${a.id}"${values.staffUserId === a.id ? html` selected` : ""}>${a.displayName} (${a.email})</option>`)}</select>
        ${checks("topics", HANDOFF_TOPICS, (x) => t(`ho_topic_${x}`))}
        ${checks("languages", LANGUAGES, (l) => t(`lang_${l}`))}
        ${checks("neighbourhoods", NEIGHBOURHOODS, (n) => t(`neighbourhood_${n}`))}
        <fieldset${problems.includes("availability") ? html` aria-invalid="true"` : ""}><legend>${t("pro_availability")}</legend><p><small>${t("pro_availability_help")}</small></p>
          ${DAYS.map((d) => html`<p><span class="day">${t(`day_${d}`)}</span> <label for="from-${d}" class="visually-hidden">${t("pro_from", { day: t(`day_${d}`) })}</label><input type="time" id="from-${d}" name="from_${d}" value="${values.from[d] ?? ""}"> – <label for="to-${d}" class="visually-hidden">${t("pro_to", { day: t(`day_${d}`) })}</label><input type="time" id="to-${d}" name="to_${d}" value="${values.to[d] ?? ""}"></p>`)}</fieldset>
        <label for="maxOpenCases">${t("pro_max")}</label><input id="maxOpenCases" name="maxOpenCases" type="number" min="1" max="100" value="${values.maxOpenCases || "8"}">
        <label for="backupId">${t("pro_backup")}</label><select id="backupId" name="backupId"><option value="">—</option>${v.others.map((o) => html`<option value="${o.id}"${values.backupId === o.id ? html` selected` : ""}>${o.name}</option>`)}</select>
        <p><input type="checkbox" id="active" name="active" value="yes"${values.active ? html` checked` : ""}> <label for="active">${t("pro_active")}</label></p>
        ${LANGUAGES.map((l) => html`<fieldset lang="${l}" dir="${l === "ar" ? "rtl" : "ltr"}"><legend>${t(`lang_${l}`)}${l === "nl" ? ` (${t("lang_required")})` : ""}</legend>
          <label for="intro_${l}">${t("pro_intro_text")}</label><textarea id="intro_${l}" name="intro_${l}" rows="3" maxlength="400"${l === "nl" ? html` required` : ""}>${values.intro[l] ?? ""}</textarea>
          <label for="walkin_${l}">${t("pro_walkin")}</label><input id="walkin_${l}" name="walkin_${l}" value="${values.walkIn[l] ?? ""}" maxlength="300"></fieldset>`)}
        <button type="submit">${t("save")}</button></form>
      <p><a href="/admin/professionals">${t("pro_back")}</a></p>`;
}
