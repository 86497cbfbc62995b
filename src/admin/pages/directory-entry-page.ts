import { LANGUAGES, type Language } from "../../content/vocabulary.js";
import { html, type SafeHtml } from "../html.js";
import { csrfField, type PanelText } from "./page-parts.js";

/** Longest texts an entry may have, in characters. */
export const DIRECTORY_TEXT_MAX = { what: 400, when: 200 } as const;

/** The directory form's fields as typed or stored; texts by language. */
export type DirectoryFormValues = {
  name: string;
  address: string;
  phone: string;
  website: string;
  languages: readonly string[];
  example: boolean;
  what: Partial<Record<Language, string>>;
  when: Partial<Record<Language, string>>;
};

/** What the edit page for one directory entry shows. */
export type DirectoryEntryView = {
  csrf: string;
  id: string;
  values: DirectoryFormValues;
  /** Fields the last attempt got wrong, by field name (`name`, `what_nl`, …). */
  problems: readonly string[];
  /** Shown after saving. */
  notice: string | undefined;
};

/**
 * /admin/directory/:id: name, address, phone, website, the languages spoken there, whether it is still an
 * example, and per language what it offers and when (Dutch required). Problems are listed at the top with
 * links to their fields, which are marked invalid.
 */
export function directoryEntryPage(v: DirectoryEntryView, t: PanelText): SafeHtml {
  const { values } = v;
  const chosen = new Set(values.languages);
  const err = v.problems.length
    ? html`<div class="error-summary" role="alert"><h2>${t("errors_title")}</h2><ul>${v.problems.map((p) => html`<li><a href="#${p}">${t(`dir_err_${p.replace(/_.*/, "")}`)}</a></li>`)}</ul></div>`
    : "";
  const bad = (k: string) => (v.problems.includes(k) ? html` aria-invalid="true"` : "");
  return html`${v.notice ? html`<p role="status" class="notice">${v.notice}</p>` : ""}${err}
      <form method="post" action="/admin/directory/${v.id}">${csrfField(v.csrf)}
        <label for="name">${t("dir_name")}</label><input id="name" name="name" value="${values.name}" maxlength="80" required${bad("name")}>
        <label for="address">${t("dir_address")}</label><input id="address" name="address" value="${values.address}" maxlength="120"${bad("address")}>
        <label for="phone">${t("dir_phone")}</label><input id="phone" name="phone" type="tel" value="${values.phone}" maxlength="40"${bad("phone")}>
        <label for="website">${t("dir_website")}</label><input id="website" name="website" type="url" value="${values.website}" maxlength="200"${bad("website")}>
        <fieldset><legend>${t("dir_languages")}</legend>${LANGUAGES.map(
          (l) => html`<p><input type="checkbox" id="lang-${l}" name="languages" value="${l}"${chosen.has(l) ? html` checked` : ""}> <label for="lang-${l}">${t(`lang_${l}`)}</label></p>`,
        )}</fieldset>
        <p><input type="checkbox" id="example" name="example" value="yes"${values.example ? html` checked` : ""}> <label for="example">${t("dir_example_box")}</label></p>
        ${LANGUAGES.map(
          (l) => html`<fieldset lang="${l}" dir="${l === "ar" ? "rtl" : "ltr"}"><legend>${t(`lang_${l}`)}${l === "nl" ? ` (${t("lang_required")})` : ""}</legend>
            <label for="what_${l}">${t("dir_what")}</label><textarea id="what_${l}" name="what_${l}" rows="3" maxlength="${String(DIRECTORY_TEXT_MAX.what)}"${l === "nl" ? html` required` : ""}${bad(`what_${l}`)}>${values.what[l] ?? ""}</textarea>
            <label for="when_${l}">${t("dir_when")}</label><textarea id="when_${l}" name="when_${l}" rows="2" maxlength="${String(DIRECTORY_TEXT_MAX.when)}"${bad(`when_${l}`)}>${values.when[l] ?? ""}</textarea></fieldset>`,
        )}
        <button type="submit">${t("save")}</button></form>
      <p><a href="/admin/directory">${t("dir_back")}</a></p>`;
}
