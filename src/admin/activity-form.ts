import { z } from "zod";
import { fromWallClock, toWallClock } from "../activities/local-time.js";
import { ACTIVITY_AREAS, ACTIVITY_TOPICS, DEFAULT_LANGUAGE, LANGUAGES, type Language } from "../content/vocabulary.js";

/** Languages an activity can be described in: all of Naast's; Dutch (the default) is required, the others optional. */
export const ACTIVITY_LANGUAGES = LANGUAGES;
export type ActivityLanguage = Language;

export const AUDIENCES = ["everyone", "women", "men", "parents", "young-people", "elderly", "carers", "children"] as const;
/** draft → pending → approved | rejected; cancelled from any of them (the rules: activity-lifecycle.ts). */
export { ACTIVITY_STATUSES, activityStatusSchema, type ActivityStatus } from "../activities/activity-lifecycle.js";

/** Limits in characters (code points, as PostgreSQL's varchar counts them). */
export const TITLE_MAX = 80;
export const DESCRIPTION_MAX = 600;
export const PLACE_MAX = 120;
export const REASON_MAX = 500;

/** Every field the activity form posts, in the order it shows them (for the error summary). */
export const FORM_FIELDS = [
  "organisationId",
  ...ACTIVITY_LANGUAGES.flatMap((l) => [`title_${l}`, `description_${l}`]),
  "date",
  "startTime",
  "endTime",
  "place",
  "neighbourhood",
  "topic",
  "audience",
] as const;

/** The form's values as typed, for showing the form again. */
export type ActivityFormValues = Partial<Record<(typeof FORM_FIELDS)[number], string>>;

/** One thing wrong with the form: the field (its input's name) and the panel text key that explains it. */
export type FormProblem = { field: string; key: string; language?: ActivityLanguage };

/** A valid activity, ready to store. */
export type ActivityInput = {
  startsAt: Date;
  endsAt: Date | null;
  place: string;
  neighbourhood: (typeof ACTIVITY_AREAS)[number];
  topic: (typeof ACTIVITY_TOPICS)[number];
  audience: (typeof AUDIENCES)[number];
  texts: { language: ActivityLanguage; title: string; description: string }[];
};

const chars = (s: string) => [...s].length;

/** Text up to `max` characters, trimmed; a repeated or missing field is not text. */
const text = (max: number, tooLong: string) =>
  z
    .string({ error: "err_form" })
    .transform((s) => s.trim())
    .refine((s) => chars(s) <= max, { error: tooLong });

const TIME = /^([01]\d|2[0-3]):[0-5]\d$/;

const formSchema = z.object({
  ...Object.fromEntries(
    ACTIVITY_LANGUAGES.flatMap((l) => [
      [`title_${l}`, text(TITLE_MAX, "err_title_long")],
      [`description_${l}`, text(DESCRIPTION_MAX, "err_description_long")],
    ]),
  ),
  date: z.string({ error: "err_date" }).regex(/^\d{4}-\d{2}-\d{2}$/, { error: "err_date" }),
  startTime: z.string({ error: "err_start_time" }).regex(TIME, { error: "err_start_time" }),
  endTime: z.string({ error: "err_end_time" }).regex(TIME, { error: "err_end_time" }).or(z.literal("")),
  place: text(PLACE_MAX, "err_place_long").refine((s) => s.length > 0, { error: "err_place" }),
  neighbourhood: z.enum(ACTIVITY_AREAS, { error: "err_neighbourhood" }),
  topic: z.enum(ACTIVITY_TOPICS, { error: "err_topic" }),
  audience: z.enum(AUDIENCES, { error: "err_audience" }),
}) as unknown as z.ZodType<Record<string, string>>;

/** The posted values, as strings where they are strings (for showing the form again). */
export function formValues(body: unknown): ActivityFormValues {
  const b = (typeof body === "object" && body !== null ? body : {}) as Record<string, unknown>;
  const out: ActivityFormValues = {};
  for (const f of FORM_FIELDS) if (typeof b[f] === "string") out[f] = b[f];
  return out;
}

/** Form values showing a stored activity. */
export function storedValues(a: {
  startsAt: Date;
  endsAt: Date | null;
  place: string;
  neighbourhood: string;
  topic: string;
  audience: string;
  organisationId: string;
  texts: { language: string; title: string; description: string }[];
}): ActivityFormValues {
  const start = toWallClock(a.startsAt);
  const out: ActivityFormValues = {
    organisationId: a.organisationId,
    date: start.date,
    startTime: start.time,
    endTime: a.endsAt ? toWallClock(a.endsAt).time : "",
    place: a.place,
    neighbourhood: a.neighbourhood,
    topic: a.topic,
    audience: a.audience,
  };
  for (const t of a.texts) {
    if (!(ACTIVITY_LANGUAGES as readonly string[]).includes(t.language)) continue;
    out[`title_${t.language as ActivityLanguage}`] = t.title;
    out[`description_${t.language as ActivityLanguage}`] = t.description;
  }
  return out;
}

/** Languages with no title and description yet (Dutch included, when it is missing). */
export function missingLanguages(present: Iterable<string>): ActivityLanguage[] {
  const have = new Set(present);
  return ACTIVITY_LANGUAGES.filter((l) => !have.has(l));
}

/**
 * Checks the activity form: Dutch title and description required, other languages complete or empty,
 * a real date and times (Amsterdam) not in the past, the end after the start, and known neighbourhood,
 * topic and audience. Returns every problem at once, in the form's order.
 */
export function parseActivityForm(body: unknown, now: Date): { ok: true; value: ActivityInput } | { ok: false; problems: FormProblem[] } {
  const raw = { ...Object.fromEntries(FORM_FIELDS.map((f) => [f, ""])), ...(typeof body === "object" && body !== null ? body : {}) };
  const problems: FormProblem[] = [];
  const parsed = formSchema.safeParse(raw);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const field = String(issue.path[0] ?? "");
      if (!problems.some((p) => p.field === field)) problems.push({ field, key: issue.message });
    }
  }
  const v = (f: string) => (typeof (raw as Record<string, unknown>)[f] === "string" ? ((raw as Record<string, string>)[f] ?? "").trim() : "");
  const bad = (f: string) => problems.some((p) => p.field === f);
  const add = (p: FormProblem) => {
    if (!bad(p.field)) problems.push(p);
  };

  if (!v("title_nl")) add({ field: "title_nl", key: "err_title_nl_required" });
  if (!v("description_nl")) add({ field: "description_nl", key: "err_description_nl_required" });
  for (const l of ACTIVITY_LANGUAGES) {
    if (l === DEFAULT_LANGUAGE) continue;
    const [title, description] = [v(`title_${l}`), v(`description_${l}`)];
    if (title && !description) add({ field: `description_${l}`, key: "err_text_incomplete", language: l });
    if (!title && description) add({ field: `title_${l}`, key: "err_text_incomplete", language: l });
  }

  let startsAt: Date | undefined;
  let endsAt: Date | null = null;
  if (!bad("date") && !bad("startTime")) {
    startsAt = fromWallClock(v("date"), v("startTime"));
    if (!startsAt) add({ field: "date", key: "err_date" });
    else if (startsAt.getTime() < now.getTime()) add({ field: "date", key: "err_date_past" });
  }
  if (startsAt && !bad("endTime") && v("endTime")) {
    endsAt = fromWallClock(v("date"), v("endTime")) ?? null;
    if (!endsAt || endsAt.getTime() <= startsAt.getTime()) add({ field: "endTime", key: "err_end_before_start" });
  }

  if (problems.length > 0 || !parsed.success || !startsAt) {
    const order = (f: string) => (FORM_FIELDS as readonly string[]).indexOf(f);
    return { ok: false, problems: problems.sort((a, b) => order(a.field) - order(b.field)) };
  }
  const d = parsed.data;
  return {
    ok: true,
    value: {
      startsAt,
      endsAt,
      place: d.place!,
      neighbourhood: d.neighbourhood as ActivityInput["neighbourhood"],
      topic: d.topic as ActivityInput["topic"],
      audience: d.audience as ActivityInput["audience"],
      texts: ACTIVITY_LANGUAGES.filter((l) => d[`title_${l}`]).map((l) => ({ language: l, title: d[`title_${l}`]!, description: d[`description_${l}`]! })),
    },
  };
}

/** The reject form: a reason the key figure can act on. */
export const rejectSchema = z.object({
  reason: z
    .string()
    .transform((s) => s.trim())
    .refine((s) => s.length > 0 && chars(s) <= REASON_MAX),
});
