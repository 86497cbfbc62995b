import i18next, { type i18n } from "i18next";
import type { Locales } from "../content/load-content.js";
import { DEFAULT_LANGUAGE } from "../content/vocabulary.js";

/** Renders i18n keys into text in a resident's language. */
export class Translator {
  readonly #i18n: i18n;

  constructor(locales: Locales) {
    const resources: Record<string, Record<string, object>> = {};
    for (const [language, namespaces] of Object.entries(locales)) resources[language] = namespaces;
    this.#i18n = i18next.createInstance();
    void this.#i18n.init({
      resources,
      lng: DEFAULT_LANGUAGE,
      fallbackLng: ["en", DEFAULT_LANGUAGE],
      defaultNS: "common",
      ns: [...new Set(Object.values(locales).flatMap((n) => Object.keys(n)))],
      interpolation: { escapeValue: false },
      returnNull: false,
      initAsync: false,
    });
  }

  /** The text for `key` in `language`, with `{{params}}` filled in. */
  t(language: string, key: string, params?: Record<string, string>): string {
    return this.#i18n.t(key, { lng: language, ...params });
  }

  /** Replaces one text at run time (a directory entry corrected in the panel). */
  set(language: string, key: string, value: string): void {
    const [ns, k] = key.includes(":") ? (key.split(":", 2) as [string, string]) : ["common", key];
    this.#i18n.addResource(language, ns, k, value);
  }

  /**
   * The words a list key (`activities:new_activity_words`) holds, in every language together: a command
   * typed in any language works, as a resident or key figure may write in another language than they chose.
   */
  words(key: string): string[] {
    const [ns, k] = key.includes(":") ? (key.split(":", 2) as [string, string]) : ["common", key];
    return Object.keys(this.#i18n.store.data).flatMap((language) => {
      const v: unknown = this.#i18n.getResource(language, ns, k);
      return Array.isArray(v) ? v.filter((w): w is string => typeof w === "string") : [];
    });
  }

  /** The text only if this language has the key itself (no fallback); for matching typed labels. */
  exact(language: string, key: string): string | undefined {
    const [ns, k] = key.includes(":") ? (key.split(":", 2) as [string, string]) : ["common", key];
    const v = this.#i18n.getResource(language, ns, k);
    return typeof v === "string" ? v : undefined;
  }
}
