import { z } from "zod";

/** Why a professional was chosen, as facts: worded by the panel in Dutch or English, never stored as prose. */
export const matchFactSchema = z.object({
  kind: z.literal("match"),
  topic: z.string().max(40),
  /** The topic is theirs, rather than a generalist's "any topic". */
  specialist: z.boolean(),
  language: z.string().max(10),
  speaks: z.boolean(),
  /** The resident's neighbourhood, when known. */
  neighbourhood: z.string().max(40).nullable(),
  local: z.boolean(),
  /** Available within a day, by their weekly hours. */
  soon: z.boolean(),
  openCases: z.number().int().min(0),
  maxOpenCases: z.number().int().min(0),
  /** False when everyone was at capacity. */
  room: z.boolean(),
  /** How many were equally good; more than one means the least recently assigned was chosen. */
  ties: z.number().int().min(1),
});
/** The facts behind one match. */
export type MatchFact = z.infer<typeof matchFactSchema>;

/** A case moving from one professional to another, and why. */
export const moveFactSchema = z.discriminatedUnion("kind", [
  /** Not accepted in time: the backup colleague took over. */
  z.object({ kind: z.literal("escalated-backup"), from: z.string().max(80) }),
  /** Not accepted in time: the next match took over. */
  z.object({ kind: z.literal("escalated-match"), from: z.string().max(80), match: matchFactSchema }),
  /** A coordinator or an admin gave it to someone else. */
  z.object({ kind: z.literal("reassigned"), from: z.string().max(80), by: z.enum(["admin", "coordinator"]) }),
]);
/** One move of a case. */
export type MoveFact = z.infer<typeof moveFactSchema>;

/** What `handoff.match_facts` holds: the first match, then every move in order. */
export const handoffFactsSchema = z.array(z.union([matchFactSchema, moveFactSchema])).max(50);
export type HandoffFact = z.infer<typeof handoffFactsSchema>[number];

/** The facts as developer text (the `match_reason` column and logs); the panel words them itself. */
export function factText(f: HandoffFact): string {
  switch (f.kind) {
    case "match":
      return [
        `topic ${f.topic} (${f.specialist ? "specialist" : "generalist"})`,
        f.speaks ? `speaks ${f.language}` : `does not speak ${f.language}; nobody who does is available for this topic`,
        f.neighbourhood ? (f.local ? `works in ${f.neighbourhood}` : `does not usually work in ${f.neighbourhood}`) : "neighbourhood unknown",
        f.soon ? "available within a day" : "not available within a day",
        `${f.openCases} of ${f.maxOpenCases} cases open${f.room ? "" : " (everyone is at capacity)"}`,
        f.ties > 1 ? `least recently assigned of ${f.ties} equal matches` : "best match",
      ].join("; ");
    case "escalated-backup":
      return `escalated to the backup colleague of ${f.from} after no answer`;
    case "escalated-match":
      return `escalated after no answer; ${factText(f.match)}`;
    case "reassigned":
      return `reassigned by ${f.by === "admin" ? "an admin" : "a coordinator"} (was ${f.from})`;
  }
}

/** Session fields are text: a match travels from the introduction to "yes, send it" as JSON. */
export function encodeMatchFact(f: MatchFact): string {
  return JSON.stringify(f);
}

/** The match carried in the session; undefined for text from before facts (or anything else). */
export function decodeMatchFact(text: string): MatchFact | undefined {
  try {
    const parsed = matchFactSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}
