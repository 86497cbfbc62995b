import { z } from "zod";
import { renderedMessageSchema } from "../channels/rendered-message.js";
import type { Cipher } from "../crypto/cipher.js";
import type { SealedHandover } from "../crypto/sealed-handover.js";

/** What a send record holds: where to send (the platform address), and what. Encrypted at rest. */
export const outboundPayloadSchema = z.object({ address: z.string(), message: renderedMessageSchema });
export type OutboundPayload = z.infer<typeof outboundPayloadSchema>;

/** The payload as stored in `outbound_message.payload_enc`; kept in `handover` for this process's send of it. */
export function sealPayload(cipher: Cipher, payload: OutboundPayload, handover?: SealedHandover<OutboundPayload>): string {
  const sealed = cipher.encryptJson(payload);
  handover?.keep(sealed, payload);
  return sealed;
}

/**
 * A stored payload: the one this process sealed (`handover`), or decrypted and checked (a record written by an older
 * or broken version fails here, loudly).
 */
export function openPayload(cipher: Cipher, payloadEnc: string, handover?: SealedHandover<OutboundPayload>): OutboundPayload {
  return handover?.take(payloadEnc) ?? outboundPayloadSchema.parse(cipher.decryptJson(payloadEnc));
}
