import type { Translator } from "../i18n/translator.js";
import type { ActivityItem } from "./activity-feed.js";
import { formatWhen } from "./local-time.js";

/** An activity as a short block of text in a resident's language: what, when, where, by whom, for whom. */
export function activityText(a: ActivityItem, language: string, t: Translator): string {
  const lines = [`📅 ${a.title}`, `🕒 ${formatWhen(a.startsAt, a.endsAt, language)}`, `📍 ${a.place}`, t.t(language, "activities:by", { organisation: a.organisation })];
  if (a.audience !== "everyone") lines.push(t.t(language, "activities:for", { audience: t.t(language, `activities:audience.${a.audience}`) }));
  lines.push("", a.description);
  if (a.textLanguage !== language) lines.push(t.t(language, "activities:dutch_only"));
  return lines.join("\n");
}

/** The three template parameters for an activity (WhatsApp body variables {{1}}–{{3}}): title, when, place. */
export function activityTemplateParams(a: ActivityItem, language: string): string[] {
  // Template variables may not contain new lines or more than four spaces in a row.
  const flat = (s: string) => s.replace(/\s+/g, " ").trim();
  return [flat(a.title), flat(formatWhen(a.startsAt, a.endsAt, language)), flat(a.place)];
}
