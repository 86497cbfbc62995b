import { z } from "zod";
import { renderedMessageSchema } from "../channels/rendered-message.js";
import type { Cipher } from "../crypto/cipher.js";

/** What a send record holds: where to send (the platform address), and what. Encrypted at rest. */
export const outboundPayloadSchema = z.object({ address: z.string(), message: renderedMessageSchema });
export type OutboundPayload = z.infer<typeof outboundPayloadSchema>;

/** The payload as stored in `outbound_message.payload_enc`. */
export function sealPayload(cipher: Cipher, payload: OutboundPayload): string {
  return cipher.encryptJson(payload);
}

/** A stored payload, decrypted and checked: a record written by an older or broken version fails here, loudly. */
export function openPayload(cipher: Cipher, payloadEnc: string): OutboundPayload {
  return outboundPayloadSchema.parse(cipher.decryptJson(payloadEnc));
}
