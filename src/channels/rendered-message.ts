import { z } from "zod";
import { decodePayload, encodePayload } from "../engine/payload.js";

const labelled = z.object({ payload: z.string(), label: z.string() });

/**
 * A message in the resident's language, ready for any channel: text, choices, the safety choice,
 * and the few interface words a channel may need. Channels turn this into their platform's shape.
 */
export const renderedMessageSchema = z.object({
  language: z.string(),
  rtl: z.boolean().default(false),
  text: z.string(),
  choices: z.array(labelled).default([]),
  safety: labelled.optional(),
  /** Show choices from this index on (WhatsApp pages of a long list). */
  offset: z.number().int().min(0).default(0),
  ui: z
    .object({ listButton: z.string(), section: z.string(), more: z.string(), hint: z.string() })
    .optional(),
  /** A WhatsApp template to use when the 24-hour window is closed (name, language, body parameters). */
  template: z
    .object({ name: z.string(), language: z.string(), params: z.array(z.string()).default([]) })
    .optional(),
});
export type RenderedMessage = z.infer<typeof renderedMessageSchema>;

/** The payload of the "more choices" row: `m|<offset>` (see src/engine/payload.ts). */
export function morePayload(offset: number): string {
  return encodePayload({ kind: "more", offset });
}
/** The offset a "more choices" tap asks for, or undefined for any other payload. */
export function parseMorePayload(payload: string): number | undefined {
  const p = decodePayload(payload);
  return p?.kind === "more" ? p.offset : undefined;
}
