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

/** The least working time a professional gets before a promised answer (ms): two hours. */
export const MIN_WORK_BEFORE_ANSWER_MS = 2 * 3_600_000;

/** The professional's working stretches from `from` on (the first clipped to start at `from`), for `days` days. */
function stretches(availability: Availability, from: Date, days: number): { start: number; end: number }[] {
  const { date } = toWallClock(from);
  const out: { start: number; end: number }[] = [];
  for (let i = 0; i < days; i++) {
    const day = addDays(date, i);
    for (const s of availability.filter((x) => x.day === weekday(day) && x.from < x.to)) {
      const start = fromWallClock(day, s.from)?.getTime();
      const end = fromWallClock(day, s.to)?.getTime();
      if (start === undefined || end === undefined || end <= from.getTime()) continue;
      out.push({ start: Math.max(start, from.getTime()), end });
    }
  }
  return out.sort((a, b) => a.start - b.start);
}

/**
 * When a professional promises to answer by: `workingDays` working days (Mon–Fri) from `from`, as their
 * organisation agreed, but always at a time they work. Inside their weekly hours that time stands. Outside
 * them ("Thursday 20:31") it becomes the end of their last stretch of work before it, as long as they have
 * worked at least `minWorkMs` (default two hours) after `from` by then; otherwise the end of the first
 * stretch that gives them that, even if later. Without weekly hours (or none in three weeks) the
 * organisation's time stands.
 */
export function answerBy(from: Date, workingDays: number, availability: Availability, minWorkMs = MIN_WORK_BEFORE_ANSWER_MS): Date {
  const promised = addWorkingDays(from, workingDays);
  const limit = promised.getTime();
  let worked = 0;
  let best: number | undefined;
  for (const s of stretches(availability, from, 21)) {
    if (s.start > limit) {
      if (best !== undefined) break;
      // Nothing in time: the end of the first stretch with enough work before it.
      worked += s.end - s.start;
      if (worked >= minWorkMs) return new Date(s.end);
      continue;
    }
    if (limit <= s.end) {
      // The promised time falls inside this stretch.
      if (worked + (limit - s.start) >= minWorkMs) return promised;
      worked += s.end - s.start;
      if (worked >= minWorkMs) return new Date(s.end);
      continue;
    }
    worked += s.end - s.start;
    if (worked >= minWorkMs) best = s.end;
  }
  return best !== undefined ? new Date(best) : promised;
}
