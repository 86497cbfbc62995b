import { ACTIVITY_AREAS, ACTIVITY_TOPICS, RTL_LANGUAGES } from "../../content/vocabulary.js";
import {
  ACTIVITY_LANGUAGES,
  AUDIENCES,
  DESCRIPTION_MAX,
  PLACE_MAX,
  TITLE_MAX,
  missingLanguages,
  type ActivityFormValues,
  type ActivityLanguage,
  type FormProblem,
} from "../activity-form.js";
import { html, type SafeHtml } from "../html.js";
import { missingLine } from "./activity-parts.js";
import { csrfField, type PanelText } from "./page-parts.js";

/** Each language's own name, shown next to the panel's name for it. */
const NATIVE_NAMES: Record<ActivityLanguage, string> = { nl: "Nederlands", en: "English", tr: "Türkçe", ar: "العربية", pl: "Polski", uk: "Українська" };

/** What the activity form shows: the values as typed or stored, and what is wrong with them. */
export type ActivityFormView = {
  csrf: string;
  values: ActivityFormValues;
  problems: readonly FormProblem[];
  /** The activity being edited; undefined for a new one. */
  activity: { id: string } | undefined;
  /** Organisations to choose from: shown only when an admin creates an activity (else empty, no field). */
  organisations: readonly { id: string; name: string }[] | undefined;
  /** Saving sends an approved activity back to an admin (a key figure, approval required). */
  needsReapproval: boolean;
};

const isLanguage = (s: string | undefined): s is ActivityLanguage => s !== undefined && (ACTIVITY_LANGUAGES as readonly string[]).includes(s);

/** The title of the form page. */
export function activityFormTitle(v: Pick<ActivityFormView, "activity">, t: PanelText): string {
  return t(v.activity ? "activity_edit" : "activity_new");
}

/**
 * /admin/activities/new and /:id/edit: the six languages (Dutch required), when, where, for whom; each
 * problem beside its field (aria-invalid, aria-describedby) and in a summary at the top that links to it.
 */
export function activityFormPage(v: ActivityFormView, t: PanelText): SafeHtml {
  const { values, problems, activity } = v;
  const problemFor = (field: string) => problems.find((p) => p.field === field);
  const message = (p: FormProblem) => {
    const max = p.field.startsWith("title_") ? TITLE_MAX : p.field.startsWith("description_") ? DESCRIPTION_MAX : PLACE_MAX;
    const language = p.language ?? /_(\w\w)$/.exec(p.field)?.[1];
    return t(p.key, { max: String(max), language: isLanguage(language) ? t(`lang_${language}`) : "" });
  };
  const idOf = (field: string) => `f-${field.replace(/_/g, "-")}`;
  /** aria attributes and the inline message for one field. */
  const a11y = (field: string, hint?: string) => {
    const p = problemFor(field);
    const described = [hint, p ? `${idOf(field)}-error` : undefined].filter(Boolean).join(" ");
    return {
      attrs: html`${described ? html` aria-describedby="${described}"` : ""}${p ? html` aria-invalid="true"` : ""}`,
      error: p ? html`<p class="field-error" id="${idOf(field)}-error">${message(p)}</p>` : "",
    };
  };
  const input = (field: keyof ActivityFormValues & string, label: string, extra: SafeHtml | string = "", type = "text") => {
    const x = a11y(field);
    return html`<label for="${idOf(field)}">${label}</label>${x.error}<input id="${idOf(field)}" name="${field}" type="${type}" value="${values[field] ?? ""}"${x.attrs}${extra}>`;
  };
  const select = (field: "neighbourhood" | "topic" | "audience" | "organisationId", label: string, options: readonly { value: string; text: string }[]) => {
    const x = a11y(field);
    return html`<label for="${idOf(field)}">${label}</label>${x.error}<select id="${idOf(field)}" name="${field}" required${x.attrs}>
        <option value="">${t("choose")}</option>${options.map((o) => html`<option value="${o.value}"${values[field] === o.value ? html` selected` : ""}>${o.text}</option>`)}</select>`;
  };
  const present = ACTIVITY_LANGUAGES.filter((l) => (values[`title_${l}`] ?? "").trim() && (values[`description_${l}`] ?? "").trim());
  const languageBlock = (l: ActivityLanguage) => {
    const title = `title_${l}` as const;
    const description = `description_${l}` as const;
    const ta = a11y(title, `${idOf(title)}-hint`);
    const da = a11y(description, `${idOf(description)}-hint`);
    const required = l === "nl" ? html` required` : "";
    const dir = RTL_LANGUAGES.has(l) ? "rtl" : "ltr";
    const name = t(`lang_${l}`);
    return html`<fieldset class="language" id="lang-${l}"><legend>${name}${name !== NATIVE_NAMES[l] ? html` · <span lang="${l}">${NATIVE_NAMES[l]}</span>` : ""} <small>(${t(l === "nl" ? "lang_required" : "lang_optional")})</small></legend>
        <label for="${idOf(title)}">${t("field_title")}</label><small id="${idOf(title)}-hint">${t("field_max", { max: String(TITLE_MAX) })}</small>${ta.error}
        <input id="${idOf(title)}" name="${title}" lang="${l}" dir="${dir}" maxlength="${TITLE_MAX}" value="${values[title] ?? ""}"${required}${ta.attrs}>
        <label for="${idOf(description)}">${t("field_description")}</label><small id="${idOf(description)}-hint">${t("field_max", { max: String(DESCRIPTION_MAX) })}</small>${da.error}
        <textarea id="${idOf(description)}" name="${description}" lang="${l}" dir="${dir}" rows="5" maxlength="${DESCRIPTION_MAX}"${required}${da.attrs}>${values[description] ?? ""}</textarea>
      </fieldset>`;
  };
  const action = activity ? `/admin/activities/${activity.id}/edit` : "/admin/activities/new";
  return html`${
    problems.length
      ? html`<div role="alert" class="error-summary" id="errors"><h2>${t("errors_title")}</h2><ul>${problems.map((p) => html`<li><a href="#${idOf(p.field)}">${message(p)}</a></li>`)}</ul></div>`
      : ""
  }
      ${v.needsReapproval ? html`<p class="notice">${t("edit_needs_reapproval")}</p>` : ""}
      <form method="post" action="${action}" class="activity">${csrfField(v.csrf)}
        ${v.organisations ? select("organisationId", t("organisation"), v.organisations.map((o) => ({ value: o.id, text: o.name }))) : ""}
        <h2>${t("texts_title")}</h2>
        <p>${t("texts_help")}</p>
        ${missingLine(t, missingLanguages(present))}
        ${ACTIVITY_LANGUAGES.map(languageBlock)}
        <fieldset><legend>${t("when_legend")}</legend>
          ${input("date", t("field_date"), html` required`, "date")}
          ${input("startTime", t("field_start"), html` required`, "time")}
          ${input("endTime", t("field_end"), "", "time")}
        </fieldset>
        ${input("place", t("field_place"), html` required maxlength="${PLACE_MAX}" autocomplete="off"`)}
        ${select("neighbourhood", t("field_neighbourhood"), ACTIVITY_AREAS.map((n) => ({ value: n, text: t(`neighbourhood_${n}`) })))}
        ${select("topic", t("field_topic"), ACTIVITY_TOPICS.map((n) => ({ value: n, text: t(`topic_${n}`) })))}
        ${select("audience", t("field_audience"), AUDIENCES.map((n) => ({ value: n, text: t(`audience_${n}`) })))}
        <button type="submit">${t("save_activity")}</button>
      </form>
      <p><a href="${activity ? `/admin/activities/${activity.id}` : "/admin/activities"}">${t("back_to_activities")}</a></p>`;
}
