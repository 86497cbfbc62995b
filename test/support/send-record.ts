import type { Cipher } from "../../src/crypto/cipher.js";
import type { PrismaClient } from "../../src/generated/prisma/client.js";

/** Writes a pending WhatsApp send record whose sealed payload carries `text`, as the outbox would. */
export async function writeSendRecord(prisma: PrismaClient, cipher: Cipher, id: string, residentId: string | null, text: string): Promise<void> {
  const payload = { address: "31600000000", message: { language: "nl", rtl: false, text, choices: [], offset: 0 } };
  await prisma.outboundMessage.create({ data: { id, residentId, channel: "whatsapp", payloadEnc: cipher.encryptJson(payload) } });
}
