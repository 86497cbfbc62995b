import type { StaffNotices } from "../admin/staff-notices.js";
import type { InsightCounters } from "../insights/insight-counters.js";
import type { Cipher } from "../crypto/cipher.js";
import type { PrismaClient } from "../generated/prisma/client.js";
import type { Logger } from "../logger.js";
import type { HandoffMessages } from "./handoff-messages.js";
import type { ResidentMessenger } from "./resident-messenger.js";

/** Settings with their defaults: check-in after 5 days, messages kept 30 days after closing, escalation 4 h after the reminder. */
export type HandoffOptions = { checkInDays: number; retentionDays: number; escalateAfterHours: number; panelUrl: string | undefined };

/** Who moves a case by hand: a coordinator or an admin (for the facts and the audit log). */
export type Mover = { role: "admin" | "coordinator"; userId: string };

/** What the parts of the handoff feature share: the database, the clock, the settings and the ways to tell people. */
export type HandoffContext = {
  prisma: PrismaClient;
  cipher: Cipher;
  messenger: ResidentMessenger;
  messages: HandoffMessages;
  log: Logger;
  clock: () => Date;
  opts: HandoffOptions;
  /** Panel, chat and e-mail notices to coordinators and professionals. */
  notices: StaffNotices;
  /** The insights' counters (accepted in time, escalated, closed, check-in answers); none in some tests. */
  insights?: InsightCounters | undefined;
};

/** A short, stable code name for a resident, instead of anything that identifies them. */
export function codeName(pseudonym: string): string {
  return pseudonym.slice(0, 6).toUpperCase();
}
