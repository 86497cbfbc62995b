import { LANGUAGES, NEIGHBOURHOODS } from "../content/vocabulary.js";

/**
 * What the insights count. Each metric is counted per week (or, for safety figures, per month only) and split
 * by the dimensions it lists; a dimension it does not split by is stored as "-". The options are fixed answer
 * codes, never text a resident wrote.
 */
export const INSIGHT_METRICS = {
  /** A resident's first message of a week, and it was their first week ever (since they were last erased). */
  residents_new: { period: "week", by: ["neighbourhood", "language", "channel"] },
  /** A resident's first message of a week, and they had written in an earlier week. */
  residents_returning: { period: "week", by: ["neighbourhood", "language", "channel"] },
  /** A resident's first message of a month: reach against the population per neighbourhood and language. */
  residents_reached: { period: "month", by: ["neighbourhood", "language", "channel"] },
  /** A practical topic opened (money, housing, caregiving, parenting, meeting, relationships). */
  topic_opened: { period: "week", by: ["neighbourhood", "language", "channel", "topic"] },
  /** A place to go with advice shown as a card inside a topic. */
  advice_read: { period: "week", by: ["neighbourhood", "language", "channel", "topic"] },
  /** The once-a-visit question about home answered; option: fine | tense | talk | skip | unsafe. */
  home_answer: { period: "week", by: ["neighbourhood", "language", "channel", "topic", "option"] },
  relationship_check_started: { period: "week", by: ["neighbourhood", "language", "channel"] },
  relationship_check_finished: { period: "week", by: ["neighbourhood", "language", "channel"] },
  /** A resident asked for a person (before matching). */
  handoff_offered: { period: "week", by: ["neighbourhood", "language", "channel", "topic"] },
  /** A resident agreed to be introduced (the request was made). */
  handoff_consented: { period: "week", by: ["neighbourhood", "language", "channel", "topic"] },
  /** A professional took up the request; option: in_time | late (after the promised accept-by time). */
  handoff_accepted: { period: "week", by: ["neighbourhood", "language", "channel", "topic", "option"] },
  /** A request not taken up in time went to the backup or the coordinator. */
  handoff_escalated: { period: "week", by: ["neighbourhood", "language", "channel", "topic"] },
  /** A request closed; option: its outcome. */
  handoff_closed: { period: "week", by: ["neighbourhood", "language", "channel", "topic", "option"] },
  /** The resident's answer to "did it help?"; option: the answer code. */
  checkin_answer: { period: "week", by: ["neighbourhood", "language", "channel", "topic", "option"] },
  /** Activity news asked for; topic: the subscription's topic or "any". */
  subscribed: { period: "week", by: ["neighbourhood", "language", "channel", "topic"] },
  unsubscribed: { period: "week", by: ["neighbourhood", "language", "channel"] },
  /** An activity approved (or published without approval); neighbourhood: its area. */
  activity_published: { period: "week", by: ["neighbourhood", "topic"] },
  /** Messages a broadcast wrote (once its fan-out is complete), per channel. */
  broadcast_recipients: { period: "week", by: ["channel"] },
  /** Safety figures: per month and neighbourhood only, never per week, language or channel. */
  safety_shown: { period: "month", by: ["neighbourhood"] },
  crisis_shown: { period: "month", by: ["neighbourhood"] },
  hint_offered: { period: "month", by: ["neighbourhood"] },
} as const satisfies Record<string, { period: "week" | "month"; by: readonly InsightDimension[] }>;

export type InsightMetric = keyof typeof INSIGHT_METRICS;
export const INSIGHT_METRIC_NAMES = Object.keys(INSIGHT_METRICS) as InsightMetric[];

/** The dimensions a counter can be split by, in the table's column order. */
export const INSIGHT_DIMENSIONS = ["neighbourhood", "language", "channel", "topic", "option"] as const;
export type InsightDimension = (typeof INSIGHT_DIMENSIONS)[number];

/** Neighbourhood codes the counters use: Naast's two, "both" (an activity for both), "elsewhere" (the resident said so) and "unknown". */
export const INSIGHT_NEIGHBOURHOODS = [...NEIGHBOURHOODS, "both", "elsewhere", "unknown"] as const;
/** Language codes the counters use: the six, or "unknown". */
export const INSIGHT_LANGUAGES = [...LANGUAGES, "unknown"] as const;
/** Channels the counters use. */
export const INSIGHT_CHANNELS = ["telegram", "whatsapp", "web", "unknown"] as const;

/** Where a thing happened, before it is normalised to the metric's dimensions. */
export type InsightDims = { neighbourhood?: string | null; language?: string | null; channel?: string | null; topic?: string | null; option?: string | null };

/** One counter key, normalised: every value a fixed code. */
export type InsightKey = { period: "week" | "month"; neighbourhood: string; language: string; channel: string; topic: string; option: string };

/** Stored for a dimension a metric does not split by. */
export const NOT_SPLIT = "-";

const code = /^[a-z][a-z0-9_-]{0,31}$/;
const oneOf = (list: readonly string[], v: string | null | undefined) => (v && list.includes(v) ? v : "unknown");

/**
 * The counter key for a metric: values outside the vocabulary become "unknown" (or "other" for topics and
 * options), so nothing but fixed codes can reach the table.
 */
export function insightKey(metric: InsightMetric, dims: InsightDims): InsightKey {
  const def = INSIGHT_METRICS[metric];
  const by = new Set<InsightDimension>(def.by);
  return {
    period: def.period,
    neighbourhood: by.has("neighbourhood") ? oneOf(INSIGHT_NEIGHBOURHOODS, dims.neighbourhood) : NOT_SPLIT,
    language: by.has("language") ? oneOf(INSIGHT_LANGUAGES, dims.language) : NOT_SPLIT,
    channel: by.has("channel") ? oneOf(INSIGHT_CHANNELS, dims.channel) : NOT_SPLIT,
    topic: by.has("topic") ? (dims.topic && code.test(dims.topic) ? dims.topic : "other") : NOT_SPLIT,
    option: by.has("option") ? (dims.option && code.test(dims.option) ? dims.option : "other") : "",
  };
}
