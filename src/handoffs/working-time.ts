import { z } from "zod";
import { fromWallClock, toWallClock } from "../activities/local-time.js";

/** Weekly hours, Amsterdam time: Monday is 1, Sunday 7. */
export const availabilitySchema = z.array(
  z.object({ day: z.number().int().min(1).max(7), from: z.string().regex(/^\d{2}:\d{2}$/), to: z.string().regex(/^\d{2}:\d{2}$/) }),
);
export type Availability = z.infer<typeof availabilitySchema>;

/** ISO weekday (Mon=1 … Sun=7) of an Amsterdam date string. */
function weekday(date: string): number {
  const d = new Date(`${date}T12:00:00Z`).getUTCDay();
  return d === 0 ? 7 : d;
}

function addDays(date: string, n: number): string {
  const d = new Date(`${date}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

/** The same Amsterdam wall-clock time `days` working days (Mon–Fri) later; a weekend start counts from Monday 9:00. */
export function addWorkingDays(from: Date, days: number): Date {
  let { date, time } = toWallClock(from);
  while (weekday(date) > 5) {
    date = addDays(date, 1);
    time = "09:00";
  }
  let left = days;
  while (left > 0) {
    date = addDays(date, 1);
    if (weekday(date) <= 5) left -= 1;
  }
  return fromWallClock(date, time) ?? new Date(from.getTime() + days * 86_400_000);
}

/** Now if inside a weekly slot, else the start of the next one (within two weeks); undefined without any hours. */
export function nextAvailable(availability: Availability, from: Date): Date | undefined {
  const { date, time } = toWallClock(from);
  for (let i = 0; i < 14; i++) {
    const day = addDays(date, i);
    const slots = availability.filter((s) => s.day === weekday(day)).sort((a, b) => a.from.localeCompare(b.from));
    for (const s of slots) {
      if (i === 0 && time >= s.to) continue;
      if (i === 0 && time >= s.from) return from;
      return fromWallClock(day, s.from);
    }
  }
  return undefined;
}
