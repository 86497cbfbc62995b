import { z } from "zod";

/** The version of the session state shape; bump it and add a step to `upgradeState` when it changes. */
export const STATE_VERSION = 1;

const positionSchema = z.object({ flow: z.string(), node: z.string() });
/** A place in a flow. */
export type Position = z.infer<typeof positionSchema>;

export const sessionStateSchema = z.object({
  v: z.literal(STATE_VERSION),
  fields: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).default({}),
  /** The wait the resident is at; absent when idle. */
  at: positionSchema.optional(),
  /** ISO time the current wait began; for timeouts. */
  waitingSince: z.string().optional(),
  /** Where to resume when a called flow (language, safety) ends. */
  stack: z.array(positionSchema).max(8).default([]),
  /** Recent waits, newest last, for "back"; each with the fields as they were on arrival, so "back" undoes answers. */
  history: z.array(positionSchema.extend({ fields: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).optional() })).max(10).default([]),
  /** Unmatched answers in a row at the current wait; the bot never repeats the same error twice. */
  misses: z.number().int().min(0).default(0),
});

/** A resident's place in the conversation and what they told the bot; versioned via `v`. */
export type SessionState = z.infer<typeof sessionStateSchema>;

/** A fresh, idle state. */
export function newSessionState(fields: SessionState["fields"] = {}): SessionState {
  return { v: STATE_VERSION, fields, stack: [], history: [], misses: 0 };
}

/** Thrown when stored state is of an unknown version or shape. */
export class SessionStateError extends Error {
  override name = "SessionStateError";
}

/** Parses stored state, upgrading older versions; unknown shapes raise SessionStateError. */
export function upgradeState(raw: unknown): SessionState {
  const parsed = sessionStateSchema.safeParse(raw);
  if (parsed.success) return parsed.data;
  throw new SessionStateError(`session state is not version ${STATE_VERSION}: ${parsed.error.issues[0]?.message ?? "invalid"}`);
}
