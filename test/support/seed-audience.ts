import { randomUUID } from "node:crypto";
import type { Cipher } from "../../src/crypto/cipher.js";
import type { Pseudonymizer } from "../../src/crypto/pseudonymizer.js";
import type { PrismaClient } from "../../src/generated/prisma/client.js";

/** A subscriber to create directly in the database (thousands at once, for broadcast tests). */
export type SeedSubscriber = {
  channel: "telegram" | "whatsapp";
  /** Chat id (Telegram) or phone number (WhatsApp). */
  address: string;
  language?: string | null;
  lastInboundAt?: Date | null;
  quiet?: boolean;
  subscription: { topic?: string; neighbourhood?: string } | { organisationId: string };
};

/** Creates residents with one subscription each, as if they had subscribed in the chat; returns their ids. */
export async function seedSubscribers(prisma: PrismaClient, cipher: Cipher, pseudonymizer: Pseudonymizer, list: readonly SeedSubscriber[]): Promise<string[]> {
  const residents = list.map((s) => ({
    id: randomUUID(),
    pseudonym: pseudonymizer.pseudonym(s.channel, s.address),
    channel: s.channel,
    addressEnc: cipher.encrypt(s.address),
    language: s.language === undefined ? "nl" : s.language,
    neighbourhood: "korvel",
    quiet: s.quiet ?? false,
    lastInboundAt: s.lastInboundAt === undefined ? new Date() : s.lastInboundAt,
  }));
  for (let i = 0; i < residents.length; i += 1000) await prisma.resident.createMany({ data: residents.slice(i, i + 1000) });
  const subs = list.map((s, i) => {
    const sub = s.subscription;
    const key = "organisationId" in sub ? `o:${sub.organisationId}` : `t:${sub.topic ?? "*"}|n:${sub.neighbourhood ?? "*"}`;
    return {
      residentId: residents[i]!.id,
      key,
      channel: s.channel,
      ...("organisationId" in sub ? { organisationId: sub.organisationId } : { topic: sub.topic ?? null, neighbourhood: sub.neighbourhood ?? null }),
    };
  });
  for (let i = 0; i < subs.length; i += 1000) await prisma.subscription.createMany({ data: subs.slice(i, i + 1000) });
  return residents.map((r) => r.id);
}
