/**
 * The words Naast's parts share: languages, neighbourhoods and topics. Flows, locales, the panel and the
 * database store these codes; every list of them is taken from here, so adding one is one change (plus its
 * texts in the locales, which `npm run flows:check` asks for).
 */

/** Languages every text must exist in; the first is the default. */
export const LANGUAGES = ["nl", "en", "tr", "ar", "pl", "uk"] as const;
export type Language = (typeof LANGUAGES)[number];

/** The municipality's language: for a resident who has not chosen yet, a text missing elsewhere, and the panel. */
export const DEFAULT_LANGUAGE = "nl" satisfies Language;

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

/** The two Tilburg neighbourhoods Naast serves (a resident's `neighbourhood` field, a professional's area). */
export const NEIGHBOURHOODS = ["korvel", "wandelbos-noord"] as const;
export type Neighbourhood = (typeof NEIGHBOURHOODS)[number];

/** Where an activity takes place for: one neighbourhood, or both. */
export const ACTIVITY_AREAS = [...NEIGHBOURHOODS, "both"] as const;
export type ActivityArea = (typeof ACTIVITY_AREAS)[number];

/** Whom a directory place serves: a neighbourhood, all of Tilburg, or the whole country (helplines). */
export const DIRECTORY_AREAS = [...NEIGHBOURHOODS, "tilburg", "national"] as const;

/** What an activity is about (the panel's form and a key figure's chat draft). */
export const ACTIVITY_TOPICS = ["meeting", "food", "parenting", "care", "money", "housing", "health", "youth", "faith", "other"] as const;
export type ActivityTopic = (typeof ACTIVITY_TOPICS)[number];

/** Topics a resident can ask news about; a subscription without a topic hears about everything. */
export const SUBSCRIPTION_TOPICS = ["meeting", "food", "parenting", "care", "money", "health", "youth", "faith"] as const satisfies readonly ActivityTopic[];
export type SubscriptionTopic = (typeof SUBSCRIPTION_TOPICS)[number];

/** A handoff's topic when the flow names none; a professional with it takes any topic. */
export const GENERAL_TOPIC = "general";

/** What a resident may talk to a professional about (a flow's `topic`, a professional's topics). */
export const HANDOFF_TOPICS = ["money", "housing", "care", "parenting", "relationships", "health", "youth", GENERAL_TOPIC] as const;
export type HandoffTopic = (typeof HANDOFF_TOPICS)[number];

/** Practical topics the recognizer finds in a resident's own words ("schulden", "borç"), each with its flow. */
export const RECOGNIZED_TOPICS = ["money", "housing", "caregiving", "parenting", "meeting", "relationships"] as const;
export type RecognizedTopic = (typeof RECOGNIZED_TOPICS)[number];
