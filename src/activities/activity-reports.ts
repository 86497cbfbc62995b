import type { StaffNotices } from "../admin/staff-notices.js";
import type { BroadcastService } from "../broadcasts/broadcast-service.js";
import type { PrismaClient } from "../generated/prisma/client.js";

/** Send records that reached a resident's phone: accepted by the platform, delivered or read. */
const REACHED = ["sent", "delivered", "read"];

/**
 * Reporting back to key figures: when their activity is approved (and how many residents asked for news
 * like it), rejected (with the reason), and when a broadcast of it has gone out (how many residents it
 * reached). In the panel and on their linked chat. Each report has a deterministic key, so a retry or a
 * second process tells them once.
 */
export class ActivityReports {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly notices: StaffNotices,
    private readonly broadcasts: BroadcastService,
  ) {}

  /** The key figures to tell about an activity: who wrote it (not an admin acting for them), active. */
  async #keyFigures(ids: readonly (string | null)[]): Promise<string[]> {
    const users = await this.prisma.staffUser.findMany({ where: { id: { in: ids.filter((x): x is string => x !== null) }, role: "keyfigure", disabledAt: null }, select: { id: true } });
    return users.map((u) => u.id);
  }

  async #activity(id: string) {
    return this.prisma.activity.findUnique({ where: { id }, include: { texts: { where: { language: "nl" } } } });
  }

  /** The activity was approved (by an admin, or at once for an organisation that needs no approval). */
  async approved(activityId: string): Promise<void> {
    const a = await this.#activity(activityId);
    if (!a || a.status !== "approved" || !a.approvedAt) return;
    const to = await this.#keyFigures([a.createdById]);
    if (to.length === 0) return;
    const audience = await this.broadcasts.preview(a.id);
    await this.notices.notify(
      this.prisma,
      to,
      { key: `act-${a.id}-approved-${a.approvedAt.getTime()}`, kind: "activity-approved", params: { title: a.texts[0]?.title ?? "", audience: String(audience.total) }, link: `/admin/activities/${a.id}` },
      { chat: true },
    );
  }

  /** The activity was rejected; the reason goes with it. */
  async rejected(activityId: string): Promise<void> {
    const a = await this.#activity(activityId);
    if (!a || a.status !== "rejected") return;
    const to = await this.#keyFigures([a.createdById]);
    if (to.length === 0) return;
    await this.notices.notify(
      this.prisma,
      to,
      { key: `act-${a.id}-rejected-${a.updatedAt.getTime()}`, kind: "activity-rejected", params: { title: a.texts[0]?.title ?? "", reason: (a.rejectionReason ?? "").slice(0, 500) }, link: `/admin/activities/${a.id}` },
      { chat: true },
    );
  }

  /** A broadcast finished: the key figures who wrote the activity and who sent it hear how many it reached. */
  async sent(broadcastId: string): Promise<void> {
    const b = await this.prisma.broadcast.findUnique({ where: { id: broadcastId }, include: { activity: { include: { texts: { where: { language: "nl" } } } } } });
    if (!b || b.status !== "done") return;
    const to = await this.#keyFigures([b.activity.createdById, b.createdById]);
    if (to.length === 0) return;
    const reached = await this.prisma.outboundMessage.count({ where: { broadcastId, status: { in: REACHED } } });
    const recipients = await this.prisma.outboundMessage.count({ where: { broadcastId } });
    await this.notices.notify(
      this.prisma,
      to,
      {
        key: `bc-${b.id}-sent`,
        kind: "activity-sent",
        params: { title: b.activity.texts[0]?.title ?? "", reached: String(reached), recipients: String(recipients), quiet: String(b.skippedQuiet) },
        link: `/admin/broadcasts/${b.id}`,
      },
      { chat: true },
    );
  }
}
