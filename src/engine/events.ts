import { z } from "zod";

/** A choice as offered to the resident: `payload` comes back when tapped. */
export const offeredChoiceSchema = z.object({ payload: z.string(), label: z.string() });
export type OfferedChoice = z.infer<typeof offeredChoiceSchema>;

/** Something to say: an i18n key with parameters, and choices if the bot now waits. */
export const messageEventSchema = z.object({
  type: z.literal("message"),
  key: z.string(),
  params: z.record(z.string(), z.string()).optional(),
  choices: z.array(offeredChoiceSchema).optional(),
  /** Offer the safety choice (SOS) beside the choices. */
  safety: z.boolean().optional(),
});

export const engineEventSchema = z.discriminatedUnion("type", [
  messageEventSchema,
  /** A directory entry to show; rendered as a card in the resident's language. */
  z.object({ type: z.literal("card"), id: z.string() }),
  z.object({ type: z.literal("field_set"), field: z.string(), value: z.union([z.string(), z.number(), z.boolean()]).nullable() }),
  /** Find a professional for this topic and introduce them (or say honestly that nobody is free). */
  z.object({ type: z.literal("handoff_requested"), topic: z.string().optional() }),
  /** Show exactly what the handoff would share (`handoff_mode`, `handoff_phone` are in the state). */
  z.object({ type: z.literal("handoff_preview_requested") }),
  /** The resident said yes: create the handoff. */
  z.object({ type: z.literal("handoff_create_requested") }),
  /** Show where and when to walk in. */
  z.object({ type: z.literal("handoff_visit_requested") }),
  z.object({ type: z.literal("erase_requested") }),
  z.object({ type: z.literal("emergency"), via: z.enum(["phrase", "keyword", "choice", "flow"]) }),
  /** Thoughts of suicide were recognised: 113 is shown beside 112. */
  z.object({ type: z.literal("crisis_shown") }),
  /** An indirect signal was recognised; the warm offers are shown. */
  z.object({ type: z.literal("hint_offered") }),
  /** A typed word led to a practical topic. */
  z.object({ type: z.literal("topic_recognised"), topic: z.string() }),
  /**
   * Activity news wanted: a topic (undefined: any) in a neighbourhood (undefined: both). `replaces`: the
   * resident changed the neighbourhood just chosen for them, so that subscription (same topic) is withdrawn.
   */
  z.object({
    type: z.literal("subscribe_requested"),
    topic: z.string().optional(),
    neighbourhood: z.string().optional(),
    replaces: z.object({ neighbourhood: z.string().optional() }).optional(),
  }),
  z.object({ type: z.literal("unsubscribe_requested") }),
  /** Quiet mode on or off: Naast never writes first while it is on. */
  z.object({ type: z.literal("quiet_set"), on: z.boolean() }),
  /** Show upcoming approved activities here, before the messages that follow. */
  z.object({ type: z.literal("activities_requested") }),
  /** Show what the resident is subscribed to here. */
  z.object({ type: z.literal("subscriptions_requested") }),
  /** A key figure finished the guided activity flow; `fields` are the answers without the `draft_` prefix. */
  z.object({ type: z.literal("activity_draft_submitted"), fields: z.record(z.string(), z.string()) }),
  z.object({ type: z.literal("flow_entered"), flow: z.string() }),
]);

/** What the engine decided; channels and storage act on these. The engine never sends anything. */
export type EngineEvent = z.infer<typeof engineEventSchema>;
export type MessageEvent = z.infer<typeof messageEventSchema>;
