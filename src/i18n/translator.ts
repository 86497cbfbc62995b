import i18next, { type i18n } from "i18next";
import type { Locales } from "../content/load-content.js";
import { DEFAULT_LANGUAGE } from "../content/vocabulary.js";

/** Texts remembered at most; all the keys of all the flows in six languages are a few thousand. */
const PLAIN_TEXTS_KEPT = 20_000;

/** Renders i18n keys into text in a resident's language. */
export class Translator {
  readonly #i18n: i18n;
  /**
   * Texts without parameters, by language and key: i18next resolves a key (namespaces, fallbacks,
   * nesting) anew on every call, some 4 µs, and a reply renders a dozen. Emptied by `set`, and when it
   * holds PLAIN_TEXTS_KEPT (a key built from typed input must not grow it without end).
   */
  readonly #plain = new Map<string, string>();

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
    if (params) return this.#i18n.t(key, { lng: language, ...params });
    const id = `${language}\u0000${key}`;
    let text = this.#plain.get(id);
    if (text === undefined) {
      text = this.#i18n.t(key, { lng: language });
      if (this.#plain.size >= PLAIN_TEXTS_KEPT) this.#plain.clear();
      this.#plain.set(id, text);
    }
    return text;
  }

  /** Replaces one text at run time (a directory entry corrected in the panel). */
  set(language: string, key: string, value: string): void {
    const [ns, k] = key.includes(":") ? (key.split(":", 2) as [string, string]) : ["common", key];
    this.#i18n.addResource(language, ns, k, value);
    this.#plain.clear();
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
