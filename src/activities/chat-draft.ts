import { z } from "zod";
import type { Tx } from "../storage/db-client.js";
import { fromWallClock, toWallClock } from "./local-time.js";
import { ACTIVITY_AREAS, ACTIVITY_TOPICS } from "../content/vocabulary.js";
import { chatDraftStatus } from "./activity-lifecycle.js";
import { createActivity } from "./activity-service.js";

/** The answers of the `activity-draft` flow, checked again here (the flow file could change). */
export const chatDraftSchema = z.object({
  title: z.string().trim().min(3).max(80),
  date: z.string().regex(/^\d{1,2}[-/. ]\d{1,2}([-/. ](\d{2}|\d{4}))?$/),
  time: z.string().regex(/^([01]?\d|2[0-3])[:.][0-5]\d$/),
  place: z.string().trim().min(2).max(120),
  area: z.enum(ACTIVITY_AREAS),
  topic: z.enum(ACTIVITY_TOPICS),
  description: z.string().trim().min(1).max(600),
});
export type ChatDraft = z.infer<typeof chatDraftSchema>;

/**
 * The start of a typed day-month[-year] and hours:minutes in Amsterdam. Without a year: the next
 * such day from today. Undefined when the day does not exist (31-4).
 */
export function draftStart(date: string, time: string, now: Date): Date | undefined {
  const [d, m, y] = date.split(/[-/. ]/).map(Number) as [number, number, number | undefined];
  const [h, min] = time.split(/[:.]/).map(Number) as [number, number];
  const two = (n: number) => String(n).padStart(2, "0");
  const today = toWallClock(now).date;
  const thisYear = Number(today.slice(0, 4));
  const at = (year: number) => fromWallClock(`${year}-${two(m)}-${two(d)}`, `${two(h)}:${two(min)}`);
  if (y !== undefined) return at(y < 100 ? 2000 + y : y);
  const candidate = at(thisYear);
  if (candidate && `${thisYear}-${two(m)}-${two(d)}` < today) return at(thisYear + 1);
  return candidate;
}

/**
 * Stores a key figure's chat activity through the activities service: waiting for approval when their
 * organisation needs it, otherwise a draft for them to check and publish in the panel (the rule:
 * `chatDraftStatus`). Never visible to residents yet.
 */
export async function saveChatDraft(
  db: Tx,
  by: { id: string; organisationId: string; requiresApproval: boolean },
  fields: Record<string, string>,
  now: Date,
): Promise<{ title: string; status: "draft" | "pending"; dateUnclear: boolean } | undefined> {
  const parsed = chatDraftSchema.safeParse(fields);
  if (!parsed.success) return undefined;
  const d = parsed.data;
  const start = draftStart(d.date, d.time, now);
  const status = chatDraftStatus(by.requiresApproval, start !== undefined);
  await createActivity(db, {
    organisationId: by.organisationId,
    createdById: by.id,
    status,
    fields: {
      // A day that does not exist (31-4) becomes a week from now, and the key figure is asked to fix it.
      startsAt: start ?? new Date(now.getTime() + 7 * 86_400_000),
      endsAt: null,
      place: d.place,
      neighbourhood: d.area,
      topic: d.topic,
      audience: "everyone",
      texts: [{ language: "nl", title: d.title, description: d.description }],
    },
  });
  return { title: d.title, status, dateUnclear: !start };
}
