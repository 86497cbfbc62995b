import { html, type SafeHtml } from "../html.js";
import type { ActivityLanguage } from "../activity-form.js";
import type { PanelText } from "./page-parts.js";

/** The panel's names of these languages, comma-separated. */
export function languageList(t: PanelText, langs: readonly ActivityLanguage[]): string {
  return langs.map((l) => t(`lang_${l}`)).join(", ");
}

/** The line under the texts that says which languages are still missing (or that none are). */
export function missingLine(t: PanelText, langs: readonly ActivityLanguage[]): SafeHtml {
  return html`<p class="missing" id="missing-languages">${langs.length ? t("missing_languages", { languages: languageList(t, langs) }) : t("no_missing_languages")}</p>`;
}

/** An activity's Dutch title, its name in the panel ("—" without one). */
export function dutchTitle(a: { texts: readonly { language: string; title: string }[] }): string {
  return a.texts.find((x) => x.language === "nl")?.title ?? "—";
}
