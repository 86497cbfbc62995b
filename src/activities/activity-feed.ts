import type { Prisma } from "../generated/prisma/client.js";
import type { Tx } from "../storage/db-client.js";
import { DEFAULT_LANGUAGE, NEIGHBOURHOODS } from "../content/vocabulary.js";

/** An approved activity in one language, as residents see it. */
export type ActivityItem = {
  id: string;
  organisationId: string;
  organisation: string;
  startsAt: Date;
  endsAt: Date | null;
  place: string;
  neighbourhood: string;
  topic: string;
  audience: string;
  title: string;
  description: string;
  /** The language of title and description: the resident's when translated, else Dutch. */
  textLanguage: string;
};

/** How far ahead "what's on" looks (days) and how many activities it lists at most. */
export const FEED_DAYS = 28;
export const FEED_LIMIT = 5;

const include = { organisation: { select: { name: true } }, texts: true } as const;
type Row = Prisma.ActivityGetPayload<{ include: typeof include }>;

function inLanguage(a: Row, language: string): ActivityItem | undefined {
  const text = a.texts.find((t) => t.language === language) ?? a.texts.find((t) => t.language === DEFAULT_LANGUAGE);
  if (!text) return undefined;
  return {
    id: a.id,
    organisationId: a.organisationId,
    organisation: a.organisation.name,
    startsAt: a.startsAt,
    endsAt: a.endsAt,
    place: a.place,
    neighbourhood: a.neighbourhood,
    topic: a.topic,
    audience: a.audience,
    title: text.title,
    description: text.description,
    textLanguage: text.language,
  };
}

/**
 * Approved activities that have not ended, soonest first, in the resident's neighbourhood (or both
 * when unknown), in their language when a translation exists.
 */
export async function upcomingActivities(
  db: Tx,
  q: { now: Date; language: string; neighbourhood?: string | null | undefined; days?: number; limit?: number },
): Promise<ActivityItem[]> {
  const until = new Date(q.now.getTime() + (q.days ?? FEED_DAYS) * 86_400_000);
  const area = NEIGHBOURHOODS.find((n) => n === q.neighbourhood);
  const rows = await db.activity.findMany({
    where: {
      status: "approved",
      startsAt: { lte: until },
      OR: [{ endsAt: { gte: q.now } }, { endsAt: null, startsAt: { gte: new Date(q.now.getTime() - 2 * 3_600_000) } }],
      ...(area ? { neighbourhood: { in: [area, "both"] } } : {}),
    },
    orderBy: [{ startsAt: "asc" }, { id: "asc" }],
    take: q.limit ?? FEED_LIMIT,
    include,
  });
  return rows.flatMap((r) => inLanguage(r, q.language) ?? []);
}

/** One activity in every language it has, keyed by language (Dutch always there). */
export async function activityTexts(db: Tx, activityId: string): Promise<Map<string, ActivityItem>> {
  const a = await db.activity.findUnique({ where: { id: activityId }, include });
  const out = new Map<string, ActivityItem>();
  if (!a) return out;
  for (const t of a.texts) {
    const item = inLanguage(a, t.language);
    if (item) out.set(t.language, item);
  }
  return out;
}
