/** Languages every text must exist in; the first is the default. */
export const LANGUAGES = ["nl", "en", "tr", "ar", "pl", "uk"] as const;
export type Language = (typeof LANGUAGES)[number];

/** The municipality's language, used when a resident has not chosen yet. */
export const DEFAULT_LANGUAGE: Language = "nl";

/** Written right to left. */
export const RTL_LANGUAGES: ReadonlySet<string> = new Set(["ar"]);

export function isLanguage(s: string | undefined): s is Language {
  return s !== undefined && (LANGUAGES as readonly string[]).includes(s);
}

/** Maps a platform's language tag (Telegram `language_code`, a browser's Accept-Language) to ours. */
export function languageFromTag(tag: string | undefined): Language | undefined {
  const base = tag?.trim().toLowerCase().split(/[-_]/)[0];
  return isLanguage(base) ? base : undefined;
}
