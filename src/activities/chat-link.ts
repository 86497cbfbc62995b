import { createHash, randomInt } from "node:crypto";
import type { Tx } from "../storage/db-client.js";

/** How long a chat link code works (ms): 15 minutes. */
export const CHAT_CODE_TTL_MS = 15 * 60_000;
/** No 0/O, 1/I/L: the code is read off a screen and typed on a phone. */
const ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789";

const hash = (code: string) => createHash("sha256").update(code.replace(/[^A-Z0-9]/gi, "").toUpperCase()).digest("hex");

/**
 * The code in `koppel ABCD-EFGH`, `link ABCD-EFGH` or `/link ABCD-EFGH`, as typed in a chat; `words` are the
 * one-word commands (`activities:link_words` in the locales).
 */
export function parseLinkCommand(text: string, words: readonly string[]): string | undefined {
  const m = /^\/?(\S+)\s+([A-Za-z0-9]{4}-?[A-Za-z0-9]{4})$/.exec(text.trim());
  if (!m || !words.some((w) => w.toLowerCase() === m[1]!.toLowerCase())) return undefined;
  return m[2];
}

/**
 * One-time codes that link a staff member's own chat account (Telegram, WhatsApp) to their panel
 * account, so the bot knows a key figure when they send in an activity. About 40 bits, valid for 15
 * minutes, stored only as a hash; a new code replaces the old one.
 */
export class ChatLinks {
  async createCode(db: Tx, staffId: string, now: Date): Promise<{ code: string; expiresAt: Date }> {
    const raw = Array.from({ length: 8 }, () => ALPHABET[randomInt(ALPHABET.length)]).join("");
    const expiresAt = new Date(now.getTime() + CHAT_CODE_TTL_MS);
    await db.staffUser.update({ where: { id: staffId }, data: { chatCodeHash: hash(raw), chatCodeExpiresAt: expiresAt } });
    return { code: `${raw.slice(0, 4)}-${raw.slice(4)}`, expiresAt };
  }

  /** Links this chat to the code's owner; undefined when the code is wrong, used or expired. */
  async redeem(db: Tx, code: string, pseudonym: string, now: Date): Promise<{ name: string; organisation: string | null } | undefined> {
    const staff = await db.staffUser.findUnique({ where: { chatCodeHash: hash(code) }, include: { organisation: { select: { name: true } } } });
    if (!staff || staff.disabledAt || !staff.chatCodeExpiresAt || staff.chatCodeExpiresAt < now) return undefined;
    // One chat account belongs to one person: a chat linked before to someone else moves over.
    await db.staffUser.updateMany({ where: { chatPseudonym: pseudonym, NOT: { id: staff.id } }, data: { chatPseudonym: null } });
    await db.staffUser.update({ where: { id: staff.id }, data: { chatPseudonym: pseudonym, chatCodeHash: null, chatCodeExpiresAt: null } });
    return { name: staff.displayName, organisation: staff.organisation?.name ?? null };
  }

  async unlink(db: Tx, staffId: string): Promise<void> {
    await db.staffUser.update({ where: { id: staffId }, data: { chatPseudonym: null, chatCodeHash: null, chatCodeExpiresAt: null } });
  }

  /** The active key figure linked to this chat, if any. */
  async keyFigureOf(db: Tx, pseudonym: string): Promise<{ id: string; organisationId: string; requiresApproval: boolean } | undefined> {
    const staff = await db.staffUser.findUnique({ where: { chatPseudonym: pseudonym }, include: { organisation: true } });
    if (!staff || staff.disabledAt || staff.role !== "keyfigure" || !staff.organisation) return undefined;
    return { id: staff.id, organisationId: staff.organisation.id, requiresApproval: staff.organisation.requiresApproval };
  }
}
