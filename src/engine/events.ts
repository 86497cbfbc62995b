import { z } from "zod";

/**
 * A choice as offered to the resident: `payload` comes back when tapped. Its label is an i18n key
 * (`kind: "key"`, translated when rendered) or ready text already in the resident's language (`kind: "text"`,
 * a label with a professional's name filled in).
 */
export const offeredChoiceSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("key"), payload: z.string(), label: z.string() }),
  z.object({ kind: z.literal("text"), payload: z.string(), label: z.string() }),
]);
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

/**
 * Something to say that is ready text, already in the resident's language (an activity's description, a
 * professional's message): rendered as it is, with choices and the safety choice as for a message.
 */
export const textEventSchema = z.object({
  type: z.literal("text"),
  text: z.string(),
  choices: z.array(offeredChoiceSchema).optional(),
  safety: z.boolean().optional(),
});

/** Arguments of a request: values from the flow, or from the resident's fields. */
export const requestArgsSchema = z.record(z.string(), z.union([z.string(), z.number(), z.boolean()]));

/**
 * A flow handed a request to the service around the engine (`emit: <name>` in a flow). The engine does not
 * know what it means; the desk that declares `name` acts on it (see src/conversation/request-names.ts).
 */
export const requestedEventSchema = z.object({ type: z.literal("requested"), name: z.string(), args: requestArgsSchema });

export const engineEventSchema = z.discriminatedUnion("type", [
  messageEventSchema,
  /** A directory entry to show; rendered as a card in the resident's language. */
  z.object({ type: z.literal("card"), id: z.string() }),
  z.object({ type: z.literal("field_set"), field: z.string(), value: z.union([z.string(), z.number(), z.boolean()]).nullable() }),
  textEventSchema,
  requestedEventSchema,
  z.object({ type: z.literal("emergency"), via: z.enum(["phrase", "keyword", "choice", "flow"]) }),
  /** Thoughts of suicide were recognised: 113 is shown beside 112. */
  z.object({ type: z.literal("crisis_shown") }),
  /** An indirect signal was recognised; the warm offers are shown. */
  z.object({ type: z.literal("hint_offered") }),
  /** A typed word led to a practical topic. */
  z.object({ type: z.literal("topic_recognised"), topic: z.string() }),
  z.object({ type: z.literal("flow_entered"), flow: z.string() }),
]);

/** What the engine decided; channels and storage act on these. The engine never sends anything. */
export type EngineEvent = z.infer<typeof engineEventSchema>;
export type MessageEvent = z.infer<typeof messageEventSchema>;
export type TextEvent = z.infer<typeof textEventSchema>;
export type RequestedEvent = z.infer<typeof requestedEventSchema>;
export type RequestArgs = z.infer<typeof requestArgsSchema>;
