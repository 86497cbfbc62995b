/** The time zone of Korvel and Wandelbos-Noord: the panel takes and shows times in it. */
export const PANEL_TIME_ZONE = "Europe/Amsterdam";

const partsFormat = new Intl.DateTimeFormat("en-GB", {
  timeZone: PANEL_TIME_ZONE,
  year: "numeric",
  month: "2-digit",
  day: "2-digit",
  hour: "2-digit",
  minute: "2-digit",
  hourCycle: "h23",
});

function fields(at: Date): { year: number; month: number; day: number; hour: number; minute: number } {
  const p = Object.fromEntries(partsFormat.formatToParts(at).map((x) => [x.type, x.value]));
  return { year: Number(p.year), month: Number(p.month), day: Number(p.day), hour: Number(p.hour), minute: Number(p.minute) };
}

/** Offset of Amsterdam from UTC at this instant, in ms (+1 h in winter, +2 h in summer). */
function offsetMs(at: number): number {
  const f = fields(new Date(at));
  return Date.UTC(f.year, f.month - 1, f.day, f.hour, f.minute) - Math.floor(at / 60_000) * 60_000;
}

/**
 * The instant of a wall-clock date (`YYYY-MM-DD`) and time (`HH:MM`) in Amsterdam; undefined when the
 * date does not exist (31 April). In the hour skipped in spring the time lands an hour later.
 */
export function fromWallClock(date: string, time: string): Date | undefined {
  const d = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  const t = /^(\d{2}):(\d{2})$/.exec(time);
  if (!d || !t) return undefined;
  const [year, month, day, hour, minute] = [d[1], d[2], d[3], t[1], t[2]].map(Number) as [number, number, number, number, number];
  if (hour > 23 || minute > 59) return undefined;
  const naive = Date.UTC(year, month - 1, day, hour, minute);
  const check = new Date(naive);
  if (check.getUTCFullYear() !== year || check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day) return undefined;
  let at = naive - offsetMs(naive);
  at = naive - offsetMs(at);
  return new Date(at);
}

/** An instant as Amsterdam wall-clock date (`YYYY-MM-DD`) and time (`HH:MM`), for form fields. */
export function toWallClock(at: Date): { date: string; time: string } {
  const f = fields(at);
  const two = (n: number) => String(n).padStart(2, "0");
  return { date: `${f.year}-${two(f.month)}-${two(f.day)}`, time: `${two(f.hour)}:${two(f.minute)}` };
}

/** Locales for dates in each language Naast speaks; Arabic keeps Western digits, as residents type them. */
const DATE_LOCALES: Readonly<Record<string, string>> = { nl: "nl-NL", en: "en-GB", tr: "tr-TR", ar: "ar-u-nu-latn", pl: "pl-PL", uk: "uk-UA" };

/** "zaterdag 12 december 2026, 10:00–12:00" in the given language, Amsterdam time. */
export function formatWhen(startsAt: Date, endsAt: Date | null, language: string): string {
  const locale = DATE_LOCALES[language] ?? "nl-NL";
  const day = new Intl.DateTimeFormat(locale, { timeZone: PANEL_TIME_ZONE, weekday: "long", day: "numeric", month: "long", year: "numeric" }).format(startsAt);
  const start = toWallClock(startsAt).time;
  return `${day}, ${start}${endsAt ? `–${toWallClock(endsAt).time}` : ""}`;
}
