import { z } from "zod";
import { idSchema } from "./flow-schema.js";
import { GLOBAL_INTENTS } from "./lexicon.js";

/**
 * Telegram's limit on a button's callback_data, in bytes (UTF-8). Every payload Naast sends fits it, so
 * one payload works on every channel (WhatsApp allows 256 characters for a reply id, the web chat more).
 */
export const TELEGRAM_CALLBACK_DATA_BYTES = 64;

/** Database ids in payloads: lower-case hexadecimal UUIDs (36 characters). */
const uuidSchema = z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/, "a lower-case UUID");

/** What a handoff button asks: write back, answer the check-in, ask for someone else, keep this professional. */
export const HANDOFF_ACTIONS = ["reply", "check_in", "other", "keep"] as const;

/**
 * What a tapped button means: the single shape of every payload Naast puts on a button and reads back.
 * - `choice`: a choice of a flow's wait (`c|flow|node|choice`);
 * - `global`: a global intent such as SOS or the menu (`g|emergency`);
 * - `more`: the next page of a WhatsApp list longer than ten rows (`m|10`; offset 0–999);
 * - `follow`: news from the organisation behind an activity (`s|o|<organisation id>`);
 * - `handoff`: a button under a message about a handoff (`h|r|<id>`, `h|c|<id>|<answer>`, `h|o|<id>`, `h|k|<id>`).
 */
export const payloadSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("choice"), flow: idSchema, node: idSchema, choice: idSchema }),
  z.object({ kind: z.literal("global"), intent: z.enum(GLOBAL_INTENTS) }),
  z.object({ kind: z.literal("more"), offset: z.number().int().min(0).max(999) }),
  z.object({ kind: z.literal("follow"), organisationId: uuidSchema }),
  z.object({
    kind: z.literal("handoff"),
    action: z.enum(HANDOFF_ACTIONS),
    handoffId: uuidSchema,
    /** The check-in answer (`helped`, ...); which answers count is the handoff desk's business. */
    answer: z.string().regex(/^[a-z_]{1,24}$/).optional(),
  }),
]);
export type Payload = z.infer<typeof payloadSchema>;

/** A payload Naast cannot encode: a programming error (flows:check catches over-long choice ids first). */
export class PayloadError extends Error {
  override name = "PayloadError";
}

/** A payload over Telegram's 64 bytes; `bytes` is its length in UTF-8. */
export class PayloadTooLongError extends PayloadError {
  override name = "PayloadTooLongError";
  constructor(
    readonly text: string,
    readonly bytes: number,
  ) {
    super(`payload ${text} is ${bytes} bytes; Telegram allows ${TELEGRAM_CALLBACK_DATA_BYTES}`);
  }
}

/** The letter after `h|` for each handoff action. */
const HANDOFF_LETTERS = { reply: "r", check_in: "c", other: "o", keep: "k" } as const satisfies Record<(typeof HANDOFF_ACTIONS)[number], string>;

function wire(p: Payload): string[] {
  switch (p.kind) {
    case "choice":
      return ["c", p.flow, p.node, p.choice];
    case "global":
      return ["g", p.intent];
    case "more":
      return ["m", String(p.offset)];
    case "follow":
      return ["s", "o", p.organisationId];
    case "handoff":
      return ["h", HANDOFF_LETTERS[p.action], p.handoffId, ...(p.answer === undefined ? [] : [p.answer])];
  }
}

/** Bytes of a payload as Telegram counts them (UTF-8). */
export function payloadBytes(wire: string): number {
  return Buffer.byteLength(wire, "utf8");
}

/**
 * The text a button carries for this payload. Throws PayloadError when the payload breaks its schema, and
 * PayloadTooLongError when it would not fit Telegram's 64 bytes, so a button that could never come back
 * is never sent.
 */
export function encodePayload(payload: Payload): string {
  const parsed = payloadSchema.safeParse(payload);
  if (!parsed.success) throw new PayloadError(`payload ${JSON.stringify(payload)}: ${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`);
  const text = wire(parsed.data).join("|");
  const bytes = payloadBytes(text);
  if (bytes > TELEGRAM_CALLBACK_DATA_BYTES) throw new PayloadTooLongError(text, bytes);
  return text;
}

/** The fields after the prefix, by kind; undefined when the prefix is unknown. */
function fields(parts: string[]): Record<string, unknown> | undefined {
  const [prefix, ...rest] = parts;
  switch (prefix) {
    case "c":
      return rest.length === 3 ? { kind: "choice", flow: rest[0], node: rest[1], choice: rest[2] } : undefined;
    case "g":
      return rest.length === 1 ? { kind: "global", intent: rest[0] } : undefined;
    case "m":
      return rest.length === 1 && /^\d{1,3}$/.test(rest[0]!) ? { kind: "more", offset: Number(rest[0]) } : undefined;
    case "s":
      return rest.length === 2 && rest[0] === "o" ? { kind: "follow", organisationId: rest[1] } : undefined;
    case "h": {
      const action = (Object.keys(HANDOFF_LETTERS) as (keyof typeof HANDOFF_LETTERS)[]).find((a) => HANDOFF_LETTERS[a] === rest[0]);
      if (!action || rest.length < 2 || rest.length > 3) return undefined;
      return { kind: "handoff", action, handoffId: rest[1], ...(rest.length === 3 ? { answer: rest[2] } : {}) };
    }
    default:
      return undefined;
  }
}

/**
 * What a tapped button's payload means, or undefined for anything Naast did not send: an unknown prefix,
 * a missing or extra field, a field of the wrong form, more than 64 bytes. Payloads arrive from
 * residents' devices, so a broken one is an ordinary input, not an error.
 */
export function decodePayload(text: string): Payload | undefined {
  if (payloadBytes(text) > TELEGRAM_CALLBACK_DATA_BYTES) return undefined;
  const raw = fields(text.split("|"));
  if (!raw) return undefined;
  const parsed = payloadSchema.safeParse(raw);
  return parsed.success ? parsed.data : undefined;
}

/** The payload a tap on this choice sends back (`c|flow|node|choice`). */
export function choicePayload(flow: string, node: string, choice: string): string {
  return encodePayload({ kind: "choice", flow, node, choice });
}

/** The payload of the always-present safety choice. */
export const SAFETY_PAYLOAD = encodePayload({ kind: "global", intent: "emergency" });

/** "Talk to someone": offered beside the choices when Naast did not follow a typed sentence. */
export const TALK_PAYLOAD = encodePayload({ kind: "global", intent: "talk" });
