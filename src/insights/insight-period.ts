import { toWallClock } from "../activities/local-time.js";

/**
 * Weeks and months as the neighbourhood team counts them: in Europe/Amsterdam, weeks from Monday (ISO). A
 * period is named by its first day, `YYYY-MM-DD`, so counters need no time of day and no time zone.
 */

const DAY_MS = 86_400_000;

/** The Amsterdam calendar date of an instant, `YYYY-MM-DD`. */
export function amsterdamDate(at: Date): string {
  return toWallClock(at).date;
}

/** Adds whole days to a calendar date (`YYYY-MM-DD`), in the calendar (no time zone involved). */
export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

/** The Monday (Amsterdam) of the week this instant falls in. */
export function weekStart(at: Date): string {
  const date = amsterdamDate(at);
  const weekday = (new Date(`${date}T00:00:00Z`).getUTCDay() + 6) % 7; // Monday 0 … Sunday 6
  return addDays(date, -weekday);
}

/** The first day (Amsterdam) of the month this instant falls in. */
export function monthStart(at: Date): string {
  return `${amsterdamDate(at).slice(0, 7)}-01`;
}

/** `YYYY-MM` for a month, the form the panel's filters use. */
export const monthPattern = /^(\d{4})-(0[1-9]|1[0-2])$/;

/** The first day of the month `months` after (or before, negative) `month` (`YYYY-MM`). */
export function shiftMonth(month: string, months: number): string {
  const m = monthPattern.exec(month);
  if (!m) throw new Error(`insight-period: not a month: ${month}`);
  const index = Number(m[1]) * 12 + Number(m[2]) - 1 + months;
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, "0")}`;
}

/**
 * The weeks whose Monday falls in a month (`YYYY-MM`): the month report counts these, so every week belongs
 * to exactly one month and a week's figures are judged (suppressed) in one place only.
 */
export function weeksOfMonth(month: string): string[] {
  const first = `${month}-01`;
  const weekday = (new Date(`${first}T00:00:00Z`).getUTCDay() + 6) % 7;
  let monday = weekday === 0 ? first : addDays(first, 7 - weekday);
  const out: string[] = [];
  while (monday.startsWith(month)) {
    out.push(monday);
    monday = addDays(monday, 7);
  }
  return out;
}

/** The month (`YYYY-MM`) a week (its Monday) is reported in. */
export function monthOfWeek(week: string): string {
  return week.slice(0, 7);
}
