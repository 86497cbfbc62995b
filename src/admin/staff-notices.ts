import { z } from "zod";
import type { PrismaClient } from "../generated/prisma/client.js";
import type { Translator } from "../i18n/translator.js";
import type { Logger } from "../logger.js";
import { MailError, type Mailer } from "./staff-mailer.js";
import type { StaffNotifier } from "./staff-notifier.js";
import type { AfterCommit } from "../outbox/outbox.js";
import type { Db } from "../storage/db-client.js";

/**
 * What a staff notice can be about. Fixed words: each has a panel text (`notice_<kind>`, may name a code
 * name or an activity's title), a chat and e-mail text (`notice_<kind>_out`, never a code name) and an
 * e-mail subject (`notice_<kind>_subject`).
 */
export const NOTICE_KINDS = [
  /** A request was not accepted in time, the professional was reminded, and it moved to someone else. */
  "handoff-overdue",
  /** A request was not accepted in time and nobody can take it: a coordinator must reassign it. */
  "handoff-stuck",
  /** The resident answered "did it help?" (check-in or when the case was closed). */
  "handoff-answer",
  /** A coordinator or admin gave a request to this professional. */
  "handoff-assigned",
  /** A key figure's activity was approved (with how many residents asked for news like it). */
  "activity-approved",
  /** A key figure's activity was rejected, with the reason. */
  "activity-rejected",
  /** A broadcast of a key figure's activity finished: how many residents it reached. */
  "activity-sent",
] as const;
export const noticeKindSchema = z.enum(NOTICE_KINDS);
/** One kind of staff notice. */
export type NoticeKind = z.infer<typeof noticeKindSchema>;

/** Parameters of a notice: ids, names, counts, code names. Never anything a resident wrote. */
export const noticeParamsSchema = z.record(z.string().regex(/^[a-zA-Z_]+$/), z.string().max(600));

/** A notice to make: `key` is deterministic for the event, so making it twice makes one. */
export type NoticeInput = { key: string; kind: NoticeKind; params: Record<string, string>; link?: string };

/** Where a notice goes besides the panel: the person's linked chat, e-mail (when SMTP is configured). */
export type NoticeChannels = { chat?: boolean; email?: boolean };

/** A notice as the panel shows it. */
export type NoticeView = { id: string; kind: NoticeKind; params: Record<string, string>; link: string | null; createdAt: Date; read: boolean };

/** E-mails claimed longer ago than this by a process that died are settled as in doubt, never resent (ms). */
export const EMAIL_LEASE_MS = 5 * 60_000;
/** Tries of an e-mail before it counts as failed. */
export const EMAIL_MAX_ATTEMPTS = 5;

/** What StaffNotices needs. */
export type StaffNoticesOptions = {
  /** The `staff_notice` rows: the panel's list and each e-mail's send record. */
  prisma: PrismaClient;
  /** Tells a person on their linked chat. */
  notifier: StaffNotifier;
  /** The panel's and the e-mails' texts (`admin:notice_<kind>`, `…_out`, `…_subject`). */
  translator: Translator;
  /** Sends the e-mails; undefined (no SMTP_URL): notices go to the panel and chats only. */
  mailer: Mailer | undefined;
  /** PUBLIC_URL (or http://localhost:PORT): links in chats and e-mails start with it. */
  linkBase: string;
  log: Logger;
  /** When a notice is read, and an e-mail claimed or retried. Defaults to the system clock. */
  clock?: (() => Date) | undefined;
};

/**
 * Staff notices: stored per person (the panel's *Meldingen* and start page show them, with an unread
 * count), and sent on the person's linked chat and by e-mail where asked. The row is the e-mail's send
 * record: claimed before the SMTP call, so a retry or a second process never sends it twice.
 */
export class StaffNotices {
  private readonly prisma: PrismaClient;
  private readonly notifier: StaffNotifier;
  private readonly t: Translator;
  private readonly mailer: Mailer | undefined;
  private readonly linkBase: string;
  private readonly log: Logger;
  private readonly clock: () => Date;

  constructor(opts: StaffNoticesOptions) {
    this.prisma = opts.prisma;
    this.notifier = opts.notifier;
    this.t = opts.translator;
    this.mailer = opts.mailer;
    this.linkBase = opts.linkBase;
    this.log = opts.log;
    this.clock = opts.clock ?? (() => new Date());
  }

  /** Whether e-mail notices are switched on (SMTP_URL set). */
  get emailOn(): boolean {
    return this.mailer !== undefined;
  }

  /**
   * Makes the notice for each user who does not have it yet, and sends it on their chat and by e-mail
   * (queued after the commit when `afterCommit` is given). Returns the users who got it now.
   */
  async notify(db: Db, userIds: readonly string[], notice: NoticeInput, channels: NoticeChannels = {}, opts: { afterCommit?: AfterCommit } = {}): Promise<string[]> {
    const params = noticeParamsSchema.parse(notice.params);
    const told: string[] = [];
    for (const userId of new Set(userIds)) {
      const created = await db.staffNotice.createMany({
        data: [{ userId, key: notice.key, kind: notice.kind, params, link: notice.link ?? null, emailStatus: channels.email && this.mailer ? "pending" : null }],
        skipDuplicates: true,
      });
      if (created.count === 0) continue;
      told.push(userId);
      if (channels.chat) {
        await this.notifier.tell(userId, `sn-${notice.key}-${userId}`, `notice_${notice.kind}_out`, { ...params, link: this.#url(notice.link) }, { db, ...(opts.afterCommit ? { afterCommit: opts.afterCommit } : {}) });
      }
    }
    return told;
  }

  #url(link: string | undefined | null): string {
    return `${this.linkBase}${link ?? "/admin"}`;
  }

  /** The panel's words for a notice, in the panel's language. */
  text(language: string, n: { kind: NoticeKind; params: Record<string, string> }): string {
    // A resident's answer is stored as its code and worded in the reader's language.
    const answer = n.params.answer;
    const params = answer && /^[a-z_]+$/.test(answer) ? { ...n.params, answer: this.t.t(language, `admin:ho_checkin_${answer}`) } : n.params;
    return this.t.t(language, `admin:notice_${n.kind}`, params);
  }

  async unreadCount(userId: string): Promise<number> {
    return this.prisma.staffNotice.count({ where: { userId, readAt: null } });
  }

  /** The newest notices of a user, unread first is not needed: newest first, `take` at most. */
  async list(userId: string, take = 50): Promise<NoticeView[]> {
    const rows = await this.prisma.staffNotice.findMany({ where: { userId }, orderBy: { id: "desc" }, take });
    return rows.flatMap((r) => {
      const kind = noticeKindSchema.safeParse(r.kind);
      const params = noticeParamsSchema.safeParse(r.params);
      if (!kind.success || !params.success) return [];
      return [{ id: String(r.id), kind: kind.data, params: params.data, link: r.link, createdAt: r.createdAt, read: r.readAt !== null }];
    });
  }

  /** Marks every unread notice of the user read (they have seen the list). */
  async markAllRead(userId: string): Promise<void> {
    await this.prisma.staffNotice.updateMany({ where: { userId, readAt: null }, data: { readAt: this.clock() } });
  }

  /**
   * Who watches over a professional's cases: the coordinators of that organisation and the wijkregie's
   * (coordinators without an organisation). With none, the municipality's admins, so "a coordinator is
   * looking" is never a promise nobody keeps.
   */
  async coordinatorsFor(db: Db, organisationId: string): Promise<string[]> {
    const coordinators = await db.staffUser.findMany({
      where: { role: "coordinator", disabledAt: null, OR: [{ organisationId }, { organisationId: null }] },
      select: { id: true },
    });
    if (coordinators.length > 0) return coordinators.map((c) => c.id);
    const admins = await db.staffUser.findMany({ where: { role: "admin", disabledAt: null }, select: { id: true } });
    if (admins.length === 0) this.log.error({ organisation: organisationId }, "no coordinator and no admin to tell about an overdue request");
    return admins.map((a) => a.id);
  }

  /**
   * Sends the e-mails that are due: claims each (`pending` → `sending`), sends, and records the result.
   * A claim older than {@link EMAIL_LEASE_MS} from a process that died is settled as `unknown` (in doubt),
   * never resent. Returns how many went out now.
   */
  async deliverEmails(limit = 50): Promise<number> {
    const now = this.clock();
    await this.prisma.staffNotice.updateMany({
      where: { emailStatus: "sending", emailClaimedAt: { lt: new Date(now.getTime() - EMAIL_LEASE_MS) } },
      data: { emailStatus: "unknown", emailError: "the sending process stopped mid-send; not resent to avoid a duplicate" },
    });
    if (!this.mailer) return 0;
    const due = await this.prisma.staffNotice.findMany({ where: { emailStatus: "pending" }, orderBy: { id: "asc" }, take: limit, include: { user: { select: { email: true, disabledAt: true } } } });
    let sent = 0;
    for (const n of due) {
      const claimed = await this.prisma.staffNotice.updateMany({ where: { id: n.id, emailStatus: "pending" }, data: { emailStatus: "sending", emailClaimedAt: this.clock(), emailAttempts: { increment: 1 } } });
      if (claimed.count !== 1) continue;
      const kind = noticeKindSchema.safeParse(n.kind);
      const params = noticeParamsSchema.safeParse(n.params);
      if (!kind.success || !params.success || n.user.disabledAt) {
        await this.prisma.staffNotice.update({ where: { id: n.id }, data: { emailStatus: "failed", emailError: "not a notice this version can word, or the account is disabled" } });
        continue;
      }
      const p = { ...params.data, link: this.#url(n.link) };
      // Dutch first (the panel's default), English below: staff read either.
      const body = (l: string) => this.t.t(l, `admin:notice_${kind.data}_out`, p);
      const mail = { to: n.user.email, subject: this.t.t("nl", `admin:notice_${kind.data}_subject`, p), text: `${body("nl")}\n\n— English —\n${body("en")}\n\n${this.t.t("nl", "admin:mail_footer")}\n${this.t.t("en", "admin:mail_footer")}\n` };
      try {
        await this.mailer.send(mail);
        await this.prisma.staffNotice.update({ where: { id: n.id }, data: { emailStatus: "sent", emailError: null } });
        sent += 1;
      } catch (err) {
        const permanent = err instanceof MailError ? err.permanent : false;
        const reason = err instanceof Error ? err.message : String(err);
        const giveUp = permanent || n.emailAttempts + 1 >= EMAIL_MAX_ATTEMPTS;
        await this.prisma.staffNotice.update({ where: { id: n.id }, data: { emailStatus: giveUp ? "failed" : "pending", emailError: reason.slice(0, 300) } });
        this.log.warn({ notice: String(n.id), permanent, attempts: n.emailAttempts + 1, err }, giveUp ? "staff e-mail failed" : "staff e-mail not sent; tried again at the next sweep");
      }
    }
    return sent;
  }
}
