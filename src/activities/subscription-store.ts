import type { Tx } from "../storage/db-client.js";

/** A transaction or the client itself: subscriptions change inside a conversation's transaction. */

/** What a resident asked news about, as the bot lists it back. */
export type SubscriptionView =
  | { kind: "topic"; topic: string | null; neighbourhood: string | null }
  | { kind: "organisation"; organisation: string };

/** The subscription's dedupe key: asking for the same thing twice changes nothing. */
export function subscriptionKey(s: { topic?: string | undefined; neighbourhood?: string | undefined } | { organisationId: string }): string {
  if ("organisationId" in s) return `o:${s.organisationId}`;
  return `t:${s.topic ?? "*"}|n:${s.neighbourhood ?? "*"}`;
}

/**
 * Opt-in subscriptions to activity news, each consent and withdrawal recorded with its time and
 * channel (kept until the resident erases themselves, when the cascade removes both).
 */
export class SubscriptionStore {
  /** Subscribes to a topic (undefined: everything) in a neighbourhood (undefined: both). */
  async subscribe(db: Tx, r: { residentId: string; channel: string; at: Date }, what: { topic?: string | undefined; neighbourhood?: string | undefined }): Promise<void> {
    const key = subscriptionKey(what);
    await db.subscription.createMany({
      data: [{ residentId: r.residentId, key, topic: what.topic ?? null, neighbourhood: what.neighbourhood ?? null, channel: r.channel, createdAt: r.at }],
      skipDuplicates: true,
    });
    await db.consentRecord.create({ data: { residentId: r.residentId, action: "given", scope: key, channel: r.channel, at: r.at } });
  }

  /**
   * Withdraws one topic subscription (the resident changed its neighbourhood right after choosing); the
   * withdrawal is recorded like any other. Returns whether there was one.
   */
  async withdraw(db: Tx, r: { residentId: string; channel: string; at: Date }, what: { topic?: string | undefined; neighbourhood?: string | undefined }): Promise<boolean> {
    const key = subscriptionKey(what);
    const { count } = await db.subscription.deleteMany({ where: { residentId: r.residentId, key } });
    if (count > 0) await db.consentRecord.create({ data: { residentId: r.residentId, action: "withdrawn", scope: key, channel: r.channel, at: r.at } });
    return count > 0;
  }

  /** Subscribes to everything one organisation announces; false when the organisation is gone. */
  async follow(db: Tx, r: { residentId: string; channel: string; at: Date }, organisationId: string): Promise<string | undefined> {
    const org = await db.organisation.findUnique({ where: { id: organisationId }, select: { name: true } });
    if (!org) return undefined;
    const key = subscriptionKey({ organisationId });
    await db.subscription.createMany({
      data: [{ residentId: r.residentId, key, organisationId, channel: r.channel, createdAt: r.at }],
      skipDuplicates: true,
    });
    await db.consentRecord.create({ data: { residentId: r.residentId, action: "given", scope: key, channel: r.channel, at: r.at } });
    return org.name;
  }

  /** Stops everything at once; the withdrawal is recorded even when nothing was subscribed. */
  async stopAll(db: Tx, r: { residentId: string; channel: string; at: Date }): Promise<number> {
    const { count } = await db.subscription.deleteMany({ where: { residentId: r.residentId } });
    await db.consentRecord.create({ data: { residentId: r.residentId, action: "withdrawn", scope: "all", channel: r.channel, at: r.at } });
    return count;
  }

  async list(db: Tx, residentId: string): Promise<SubscriptionView[]> {
    const rows = await db.subscription.findMany({
      where: { residentId },
      orderBy: { createdAt: "asc" },
      select: { topic: true, neighbourhood: true, organisation: { select: { name: true } } },
    });
    return rows.map((r) =>
      r.organisation ? { kind: "organisation", organisation: r.organisation.name } : { kind: "topic", topic: r.topic, neighbourhood: r.neighbourhood },
    );
  }
}
