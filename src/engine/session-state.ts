import { z } from "zod";

/** The version of the session state shape; bump it and add a step to `upgradeState` when it changes. */
export const STATE_VERSION = 2;

const positionSchema = z.object({ flow: z.string(), node: z.string() });
/** A place in a flow. */
export type Position = z.infer<typeof positionSchema>;

const fieldsSchema = z.record(z.string(), z.union([z.string(), z.number(), z.boolean()]));

/**
 * One visit: from the first message until the resident has been away for the welcome-back time
 * (`EngineContent.welcomeBackAfterMs`). What is asked or tried once a visit is remembered here, never answers.
 */
export const visitSchema = z.object({
  /** ISO time of the resident's last input; a longer silence than the welcome-back time starts a new visit. */
  lastAt: z.string(),
  /** Keys of once-a-visit questions already asked (a node's `once.key`, such as `home`). */
  asked: z.array(z.string().max(40)).max(16).default([]),
  /** Handoff topics nobody could be found for this visit: "talk to someone" for them is not offered again. */
  noPerson: z.array(z.string().max(40)).max(16).default([]),
});
/** What this visit has asked and tried; see {@link visitSchema}. */
export type Visit = z.infer<typeof visitSchema>;

export const sessionStateSchema = z.object({
  v: z.literal(STATE_VERSION),
  fields: fieldsSchema.default({}),
  /** The wait the resident is at; absent when idle. */
  at: positionSchema.optional(),
  /** ISO time the current wait began; for timeouts. */
  waitingSince: z.string().optional(),
  /** Where to resume when a called flow (language, safety) ends. */
  stack: z.array(positionSchema).max(8).default([]),
  /**
   * Recent waits, newest last, for "back"; each with the fields as they were on arrival, so "back" undoes
   * answers, and `via`: the nodes of the same flow passed on the way in (their advice is told again after a
   * language switch).
   */
  history: z
    .array(positionSchema.extend({ fields: fieldsSchema.optional(), via: z.array(z.string()).max(8).optional() }))
    .max(10)
    .default([]),
  /** Unmatched answers in a row at the current wait; the bot never repeats the same error twice. */
  misses: z.number().int().min(0).default(0),
  /** The current visit; absent before the first input. */
  visit: visitSchema.optional(),
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

/** Version 1 had no `visit` and no `via`; everything else is the same. */
const version1Schema = z.object({ v: z.literal(1) }).loose();

/**
 * The mark of a state that came out of `upgradeState` or the engine: already checked, so a shallow copy is
 * enough. A private field stamped onto the state object (a base class whose constructor returns the object
 * it is given): JSON, spreads, structuredClone, `Object.keys` and equality checks do not see it, so a state a
 * caller rebuilds (`{ ...state, fields }`) is parsed again. (A symbol property set with `Object.defineProperty`
 * cost about three times as much a step, a WeakSet more.)
 */
class Stampable {
  constructor(target: object) {
    // The stamp goes onto the object given, not onto a new one.
    return target;
  }
}
class CheckedStamp extends Stampable {
  #checked = true;
  static has(raw: object): boolean {
    return #checked in raw;
  }
  static stamp(state: object): void {
    if (!CheckedStamp.has(state)) new CheckedStamp(state);
  }
}

function isChecked(raw: unknown): raw is SessionState {
  return typeof raw === "object" && raw !== null && CheckedStamp.has(raw);
}

/**
 * Parses stored state, upgrading older versions; unknown shapes raise SessionStateError. A state that
 * was checked before (see {@link markChecked}) is not parsed again: the result is a new top-level object
 * that shares its parts (fields, stack, history, visit) with it. Those parts are never changed in place,
 * by the engine or anyone else: a change replaces the part (structural sharing), so the caller's state
 * stays as it was.
 */
export function upgradeState(raw: unknown): SessionState {
  if (isChecked(raw)) return markChecked({ ...raw });
  const v1 = version1Schema.safeParse(raw);
  // 1 → 2: the new parts are optional; an old conversation starts a fresh visit at its next message.
  const current = v1.success ? { ...v1.data, v: STATE_VERSION } : raw;
  const parsed = sessionStateSchema.safeParse(current);
  if (parsed.success) return markChecked(parsed.data);
  throw new SessionStateError(`session state is not version ${STATE_VERSION}: ${parsed.error.issues[0]?.message ?? "invalid"}`);
}

/**
 * Marks a state the engine built from a checked one, so the next step (another desk, the same message)
 * copies it instead of parsing it again; a state read from storage is always parsed once.
 */
export function markChecked(state: SessionState): SessionState {
  // A frozen state is not marked; it is parsed again, which is only slower.
  if (Object.isExtensible(state)) CheckedStamp.stamp(state);
  return state;
}
