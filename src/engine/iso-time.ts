/**
 * The engine's times as the state stores them (ISO 8601 in UTC, as `Date.toISOString` writes them), made
 * and read without the cost of the general routines: a batch of messages shares one `now`, and a stored
 * time is read twice a step (the visit and the wait).
 */

let lastTime = Number.NaN;
let lastIso = "";

/** `now.toISOString()`, remembered for the last time value (an invalid date still throws, as toISOString does). */
export function isoOf(now: Date): string {
  const t = now.getTime();
  if (t === lastTime) return lastIso;
  const iso = now.toISOString();
  lastTime = t;
  lastIso = iso;
  return iso;
}

/** The number of the two ASCII digits at `at`, or -1 when either is not a digit. */
function twoDigits(s: string, at: number): number {
  const a = s.charCodeAt(at) - 48;
  const b = s.charCodeAt(at + 1) - 48;
  return a >= 0 && a <= 9 && b >= 0 && b <= 9 ? a * 10 + b : -1;
}

/**
 * `Date.parse(text)` in milliseconds (NaN when it is no time). The form `toISOString` writes
 * (`2026-11-01T10:00:00.000Z`, years 1970–9999, days up to the 28th) is read directly; anything else, and
 * any value that form would need a calendar for, goes to `Date.parse`, so the result is always the same.
 */
export function parseIso(text: string): number {
  if (text.length !== 24 || text.charCodeAt(4) !== 45 || text.charCodeAt(7) !== 45 || text.charCodeAt(10) !== 84 || text.charCodeAt(13) !== 58 || text.charCodeAt(16) !== 58 || text.charCodeAt(19) !== 46 || text.charCodeAt(23) !== 90) {
    return Date.parse(text);
  }
  const century = twoDigits(text, 0);
  const yy = twoDigits(text, 2);
  const month = twoDigits(text, 5);
  const day = twoDigits(text, 8);
  const hour = twoDigits(text, 11);
  const minute = twoDigits(text, 14);
  const second = twoDigits(text, 17);
  const msHigh = twoDigits(text, 20);
  const msLow = text.charCodeAt(22) - 48;
  const year = century * 100 + yy;
  if (century < 0 || yy < 0 || year < 1970 || month < 1 || month > 12 || day < 1 || day > 28 || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59 || msHigh < 0 || msLow < 0 || msLow > 9) {
    return Date.parse(text);
  }
  return daysFromCivil(year, month, day) * 86_400_000 + ((hour * 60 + minute) * 60 + second) * 1000 + msHigh * 10 + msLow;
}

/** Days from 1970-01-01 to a date of the proleptic Gregorian calendar (H. Hinnant's days_from_civil; Date.UTC without its cost). */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146_097 + dayOfEra - 719_468;
}
