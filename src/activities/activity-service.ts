import type { BroadcastService } from "../broadcasts/broadcast-service.js";
import type { InsightCounters } from "../insights/insight-counters.js";
import type { Prisma, PrismaClient } from "../generated/prisma/client.js";
import type { Db } from "../storage/db-client.js";
import type { Logger } from "../logger.js";
import { approve, cancel, editNeedsReapproval, reject, submit, type ActivityResult, type ActivityStatus, activityStatusSchema } from "./activity-lifecycle.js";
import type { ActivityReports } from "./activity-reports.js";

/** What the panel and the chat read of one activity: its texts and its organisation's name and approval setting. */
export const activityWithTexts = { texts: true, organisation: { select: { name: true, requiresApproval: true } } } satisfies Prisma.ActivityInclude;
export type ActivityRecord = Prisma.ActivityGetPayload<{ include: typeof activityWithTexts }>;

/** A row of the activity list: the titles (for the Dutch one and the missing languages) and the organisation's name. */
export type ActivityListRow = Prisma.ActivityGetPayload<{ include: { texts: { select: { language: true; title: true } }; organisation: { select: { name: true } } } }>;

/** Which activities someone may see: all (`{}`, an admin) or one organisation's (a key figure). */
export type ActivityScope = { organisationId?: string };

/** A valid activity's fields, as the panel's form or the chat's draft produce them. */
export type ActivityFields = {
  startsAt: Date;
  endsAt: Date | null;
  place: string;
  neighbourhood: string;
  topic: string;
  audience: string;
  texts: { language: string; title: string; description: string }[];
};

/** The end of a status move: done (with the notice to show), or the activity had moved on (a 409 in the panel). */
export type ActivityOutcome = { ok: true; notice: "pending" | "approved" | "rejected" | "cancelled" } | { ok: false };

/**
 * Stores a new activity with its texts: the one place an activity is created, by the panel's form and
 * by a key figure's chat draft alike. `db` may be the conversation's transaction.
 */
export async function createActivity(db: Db, a: { organisationId: string; createdById: string; status: ActivityStatus; fields: ActivityFields }): Promise<string> {
  const { texts, ...fields } = a.fields;
  const created = await db.activity.create({
    data: { ...fields, organisationId: a.organisationId, createdById: a.createdById, status: a.status, texts: { create: texts.map((t) => ({ language: t.language, title: t.title, description: t.description })) } },
  });
  return created.id;
}

/**
 * Activities for the panel: listing, creating, editing and moving them through their statuses (the rules
 * in `activity-lifecycle.ts`). Each move is written only while the activity still has a status it may
 * move from, so two tabs or two admins cannot both move it; the key figure is told of an approval or a
 * rejection afterwards (a failed report is logged, never undoes the move).
 */
export class ActivityService {
  constructor(
    private readonly opts: {
      prisma: PrismaClient;
      clock: () => Date;
      broadcasts: Pick<BroadcastService, "cancelForActivity">;
      reports: Pick<ActivityReports, "approved" | "rejected">;
      log: Logger;
      /** The insights' counters: an activity published (approved). */
      insights?: InsightCounters;
    },
  ) {}

  /** Up to 500 activities in `scope`, optionally of one status, soonest first. */
  async list(scope: ActivityScope, status?: ActivityStatus): Promise<ActivityListRow[]> {
    return this.opts.prisma.activity.findMany({
      where: { ...scope, ...(status ? { status } : {}) },
      include: { texts: { select: { language: true, title: true } }, organisation: { select: { name: true } } },
      orderBy: [{ startsAt: "asc" }, { createdAt: "asc" }],
      take: 500,
    });
  }

  /** How many activities wait for an admin. */
  async pendingCount(): Promise<number> {
    return this.opts.prisma.activity.count({ where: { status: "pending" } });
  }

  /** One activity, if it is in `scope` (another organisation's is simply not found). */
  async find(scope: ActivityScope, id: string): Promise<ActivityRecord | null> {
    return this.opts.prisma.activity.findFirst({ where: { ...scope, id }, include: activityWithTexts });
  }

  /** Organisations an admin may create an activity for, by name. */
  async organisations(): Promise<{ id: string; name: string }[]> {
    return this.opts.prisma.organisation.findMany({ orderBy: { name: "asc" }, select: { id: true, name: true } });
  }

  /** The organisation with this id, if it exists. */
  async organisationExists(id: string): Promise<boolean> {
    return (await this.opts.prisma.organisation.findUnique({ where: { id }, select: { id: true } })) !== null;
  }

  /** A new activity from the panel: always a draft first, to be submitted. */
  async create(by: { userId: string; organisationId: string }, fields: ActivityFields): Promise<string> {
    return createActivity(this.opts.prisma, { organisationId: by.organisationId, createdById: by.userId, status: "draft", fields });
  }

  /**
   * Saves an edit (texts replaced as a whole). A key figure's change to an approved activity goes back to
   * an admin where approval is required. `ok: false` when the activity moved on in between.
   */
  async update(a: ActivityRecord, role: string, fields: ActivityFields): Promise<{ ok: true; reapproved: boolean } | { ok: false }> {
    const status = activityStatusSchema.parse(a.status);
    const reapprove = editNeedsReapproval(status, role, a.organisation.requiresApproval);
    const { texts, ...columns } = fields;
    const saved = await this.opts.prisma.$transaction(async (tx) => {
      const updated = await tx.activity.updateMany({
        where: { id: a.id, status: a.status },
        data: { ...columns, ...(reapprove ? { status: "pending", approvedAt: null, approvedById: null } : {}) },
      });
      if (updated.count !== 1) return false;
      await tx.activityText.deleteMany({ where: { activityId: a.id } });
      await tx.activityText.createMany({ data: texts.map((t) => ({ language: t.language, title: t.title, description: t.description, activityId: a.id })) });
      return true;
    });
    return saved ? { ok: true, reapproved: reapprove } : { ok: false };
  }

  /** Submits a draft or rejected activity: to an admin, or approved at once where no approval is needed. */
  async submit(a: ActivityRecord): Promise<ActivityOutcome> {
    return this.#move(a, submit(activityStatusSchema.parse(a.status), a.organisation.requiresApproval, this.opts.clock()));
  }

  /** An admin approves; the key figure is told (with how many residents asked for news like it). */
  async approve(a: ActivityRecord, adminId: string): Promise<ActivityOutcome> {
    return this.#move(a, approve(activityStatusSchema.parse(a.status), adminId, this.opts.clock()), (id) => this.opts.reports.approved(id));
  }

  /** An admin rejects with a reason; the key figure is told the reason. */
  async reject(a: ActivityRecord, reason: string): Promise<ActivityOutcome> {
    return this.#move(a, reject(activityStatusSchema.parse(a.status), reason), (id) => this.opts.reports.rejected(id));
  }

  /** Cancels the activity; what has not been sent of a running broadcast stops with it. */
  async cancel(a: ActivityRecord): Promise<ActivityOutcome> {
    await this.opts.broadcasts.cancelForActivity(a.id);
    return this.#move(a, cancel(activityStatusSchema.parse(a.status)));
  }

  /**
   * Writes an allowed move while the status is still one it may move from. A move the rules refuse gets
   * the same answer as a lost race: the activity has moved on (a stale page).
   */
  async #move(a: ActivityRecord, move: ActivityResult, report?: (id: string) => Promise<void>): Promise<ActivityOutcome> {
    if (!move.ok) return { ok: false };
    const moved = await this.opts.prisma.activity.updateMany({ where: { id: a.id, status: { in: [...move.from] } }, data: move.next });
    if (moved.count !== 1) return { ok: false };
    if (move.next.status === "approved") await this.opts.insights?.count(this.opts.prisma, this.opts.clock(), [{ metric: "activity_published", dims: { neighbourhood: a.neighbourhood, topic: a.topic } }]);
    if (report) await report(a.id).catch((err: unknown) => this.opts.log.warn({ activity: a.id, err }, "could not tell the key figure"));
    return { ok: true, notice: move.notice };
  }
}
