import express, { type Request, type Router } from "express";
import { z } from "zod";
import type { PrismaClient } from "../generated/prisma/client.js";
import { deliverySummary } from "../storage/delivery-summary.js";
import { OPEN_STATUSES, type HandoffService } from "../handoffs/handoff-service.js";
import { noticeItemView } from "./notice-routes.js";
import { homePage, type HomeRoleView, type KeyFigureActivityRow, type RequestCounts, type RunningBroadcastRow } from "./pages/home-page.js";
import type { PanelKit } from "./panel-kit.js";
import type { StaffNotices } from "./staff-notices.js";

/** Days of sends the admin's delivery card counts. */
const DELIVERY_DAYS = 7;

/** Send records that reached a resident: accepted by the platform, delivered or read. */
const REACHED = ["sent", "delivered", "read"];

/**
 * The panel's start page: what needs this person's attention, by role (see `pages/home-page.ts`). The
 * route reads the counts and lists for the role, builds the view and renders it.
 */
export function homeRoutes(opts: { prisma: PrismaClient; kit: PanelKit; notices: StaffNotices; handoffs: HandoffService; clock: () => Date }): Router {
  const { prisma, kit, notices, handoffs, clock } = opts;
  const { lang, tr, textFor, page, send, requireRole, savedText } = kit;
  const router = express.Router();

  async function requestCounts(where: { professional?: { organisationId: string } }): Promise<RequestCounts> {
    const now = clock();
    const [waiting, overdue, open] = await Promise.all([
      prisma.handoff.count({ where: { ...where, status: "new" } }),
      prisma.handoff.count({ where: { ...where, status: "new", acceptBy: { lt: now } } }),
      prisma.handoff.count({ where: { ...where, status: { in: ["accepted", "in_contact"] } } }),
    ]);
    return { waiting, overdue, open };
  }

  async function runningBroadcasts(): Promise<RunningBroadcastRow[]> {
    const running = await prisma.broadcast.findMany({
      where: { status: { in: ["scheduled", "sending"] } },
      include: { activity: { include: { texts: { where: { language: "nl" } } } } },
      orderBy: { scheduledFor: "asc" },
      take: 20,
    });
    return running.map((b) => ({ id: b.id, title: b.activity.texts[0]?.title ?? null, status: b.status, scheduledFor: b.scheduledFor }));
  }

  async function adminView(): Promise<HomeRoleView> {
    const [pendingActivities, requests, matchableProfessionals, exampleProfessionals, broadcasts, delivery] = await Promise.all([
      prisma.activity.count({ where: { status: "pending" } }),
      requestCounts({}),
      prisma.professional.count({ where: { active: true, staffUser: { is: { disabledAt: null } } } }),
      prisma.professional.count({ where: { example: true } }),
      runningBroadcasts(),
      deliverySummary(prisma, new Date(clock().getTime() - DELIVERY_DAYS * 86_400_000)),
    ]);
    return { role: "admin", pendingActivities, requests, matchableProfessionals, exampleProfessionals, broadcasts, delivery };
  }

  async function coordinatorView(req: Request): Promise<HomeRoleView> {
    const org = req.staff!.organisationId;
    return { role: "coordinator", requests: await requestCounts(org ? { professional: { organisationId: org } } : {}) };
  }

  async function professionalView(req: Request): Promise<HomeRoleView> {
    const pro = await prisma.professional.findUnique({ where: { staffUserId: req.staff!.userId } });
    if (!pro) return { role: "professional", linked: false };
    const now = clock();
    const [fresh, overdue, unread] = await Promise.all([
      prisma.handoff.count({ where: { professionalId: pro.id, status: "new" } }),
      prisma.handoff.count({ where: { professionalId: pro.id, status: "new", acceptBy: { lt: now } } }),
      handoffs.unread(pro.id),
    ]);
    const open = await prisma.handoff.findMany({ where: { professionalId: pro.id, status: { in: [...OPEN_STATUSES] } }, select: { id: true } });
    const unreadMessages = open.reduce((n, h) => n + (unread.get(h.id) ?? 0), 0);
    return { role: "professional", linked: true, overdue, fresh, unreadMessages };
  }

  async function keyFigureView(req: Request): Promise<HomeRoleView> {
    const org = req.staff!.organisationId;
    if (!org) return { role: "keyfigure", activities: null };
    const activities = await prisma.activity.findMany({
      where: { organisationId: org, status: { not: "cancelled" }, OR: [{ startsAt: { gte: new Date(clock().getTime() - 14 * 86_400_000) } }, { status: { in: ["draft", "pending", "rejected"] } }] },
      include: { texts: { where: { language: "nl" } }, broadcasts: { orderBy: { createdAt: "desc" } } },
      orderBy: { startsAt: "asc" },
      take: 30,
    });
    const reach = new Map<string, { reached: number; recipients: number }>();
    const ids = activities.flatMap((a) => a.broadcasts.map((b) => b.id));
    if (ids.length > 0) {
      const rows = await prisma.outboundMessage.groupBy({ by: ["broadcastId", "status"], where: { broadcastId: { in: ids } }, _count: true });
      for (const r of rows) {
        if (!r.broadcastId) continue;
        const x = reach.get(r.broadcastId) ?? { reached: 0, recipients: 0 };
        x.recipients += r._count;
        if (REACHED.includes(r.status)) x.reached += r._count;
        reach.set(r.broadcastId, x);
      }
    }
    const row = (a: (typeof activities)[number]): KeyFigureActivityRow => {
      const sent = a.broadcasts.filter((b) => b.status === "done");
      const running = a.broadcasts.find((b) => b.status === "scheduled" || b.status === "sending");
      return {
        id: a.id,
        title: a.texts[0]?.title ?? null,
        startsAt: a.startsAt,
        endsAt: a.endsAt,
        status: a.status,
        rejectionReason: a.rejectionReason,
        running: running ? { id: running.id, status: running.status } : null,
        sent: sent.length > 0,
        reached: sent.reduce((n, b) => n + (reach.get(b.id)?.reached ?? 0), 0),
      };
    };
    return { role: "keyfigure", activities: activities.map(row) };
  }

  router.get("/admin", requireRole("admin", "coordinator", "professional", "keyfigure"), async (req, res) => {
    const s = req.staff!;
    const org = s.organisationId ? await prisma.organisation.findUnique({ where: { id: s.organisationId } }) : null;
    const unread = (await notices.list(s.userId, 10)).filter((n) => !n.read).slice(0, 5);
    const cards = s.role === "admin" ? await adminView() : s.role === "coordinator" ? await coordinatorView(req) : s.role === "professional" ? await professionalView(req) : await keyFigureView(req);
    const welcome = z.literal("welcome").safeParse(req.query.saved);
    const view = {
      language: lang(req),
      saved: savedText(req),
      role: s.role,
      organisation: org ? { name: org.name, demo: org.demo } : null,
      welcome: welcome.success,
      notices: unread.map((n) => noticeItemView(notices, lang(req), n)),
      cards,
    };
    send(res, page(req, tr(req, "home_title", { name: s.displayName }), homePage(view, textFor(req))));
  });

  return router;
}
