import { z } from "zod";
import type { PrismaClient } from "../generated/prisma/client.js";
import type { Db } from "../storage/db-client.js";

/** Everything the audit log records. Fixed words, so the log never carries free text from a form. */
export const AUDIT_ACTIONS = [
  "case-view",
  "relink",
  "relink-refused",
  "reassign",
  "role-change",
  "2fa-reset",
  "2fa-enrolled",
  "invite",
  "export",
  "broadcast",
  "broadcast-cancel",
  "coordination-view",
  "population-change",
] as const;
export const auditActionSchema = z.enum(AUDIT_ACTIONS);
/** One kind of accountable staff action. */
export type AuditAction = z.infer<typeof auditActionSchema>;

/** What an action was about: a case (handoff), a professional record, a staff account, a broadcast, the log itself, a page of lists. */
export type AuditSubjectType = "handoff" | "professional" | "staff_user" | "broadcast" | "audit" | "page";

/** Who did it, as the panel knows them. */
export type AuditActor = { userId: string; displayName: string; email: string };

/** One entry as the panel shows it. */
export type AuditEntry = { id: string; at: Date; actorLabel: string; action: string; subjectType: string; subjectId: string | null; detail: string };

/** Entries per page of the panel's log. */
export const AUDIT_PAGE_SIZE = 50;

/**
 * The audit log of staff access: who, what, which case or page, when. Written in the same transaction as
 * the change where there is one, so a change without its entry cannot happen. `detail` is built by Naast
 * from ids and fixed words; resident content (code names, numbers, messages) never goes in.
 */
export class AuditLog {
  constructor(private readonly prisma: PrismaClient) {}

  /** Records one action; pass a transaction client to make it part of the change. */
  async record(actor: AuditActor, action: AuditAction, subject: { type: AuditSubjectType; id?: string | null }, detail = "", db: Db = this.prisma): Promise<void> {
    await db.auditEvent.create({
      data: { actorId: actor.userId, actorLabel: `${actor.displayName} <${actor.email}>`, action, subjectType: subject.type, subjectId: subject.id ?? null, detail: detail.slice(0, 300) },
    });
  }

  /** Newest first, `AUDIT_PAGE_SIZE` per page (page 0 is the newest); optionally one action only. */
  async page(page: number, action?: AuditAction): Promise<{ entries: AuditEntry[]; more: boolean }> {
    const rows = await this.prisma.auditEvent.findMany({
      where: action ? { action } : {},
      orderBy: { id: "desc" },
      skip: page * AUDIT_PAGE_SIZE,
      take: AUDIT_PAGE_SIZE + 1,
    });
    return { entries: rows.slice(0, AUDIT_PAGE_SIZE).map(toEntry), more: rows.length > AUDIT_PAGE_SIZE };
  }

  /** Every entry, oldest first, for the CSV export (streamed in pages of 1,000). */
  async *all(): AsyncGenerator<AuditEntry> {
    let after = -1n;
    for (;;) {
      const rows = await this.prisma.auditEvent.findMany({ where: { id: { gt: after } }, orderBy: { id: "asc" }, take: 1000 });
      for (const r of rows) yield toEntry(r);
      if (rows.length < 1000) return;
      after = rows.at(-1)!.id;
    }
  }
}

function toEntry(r: { id: bigint; at: Date; actorLabel: string; action: string; subjectType: string; subjectId: string | null; detail: string }): AuditEntry {
  return { id: String(r.id), at: r.at, actorLabel: r.actorLabel, action: r.action, subjectType: r.subjectType, subjectId: r.subjectId, detail: r.detail };
}

/** One CSV field: quoted, quotes doubled, and a leading = + - @ neutralised so a spreadsheet never runs it as a formula. */
export function csvField(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return `"${safe.replace(/"/g, '""')}"`;
}
