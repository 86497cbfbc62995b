import express, { type Request, type Router } from "express";
import { z } from "zod";
import type { Prisma, PrismaClient } from "../generated/prisma/client.js";
import { codeName, isOverdue, OPEN_STATUSES, type HandoffService } from "../handoffs/handoff-service.js";
import type { AuditLog } from "./audit-log.js";
import type { PanelKit } from "./panel-kit.js";
import { coordinationPage, type CoordinationView } from "./pages/coordination-page.js";

/** How far back the outcomes table looks (ms): 30 days. */
const OUTCOMES_MS = 30 * 86_400_000;

/**
 * The coordinator's view (and the admin's, for the wijkregie): the requests of their organisation (all
 * organisations without one) that wait to be accepted, the overdue ones marked, and what residents said
 * about the help they got. Counts and code names only: what a resident shared stays with the professional.
 * A coordinator hands a request to another professional; the resident is told the new name. Every view and
 * every reassignment is in the audit log.
 */
export function coordinationRoutes(opts: { prisma: PrismaClient; kit: PanelKit; handoffs: HandoffService; audit: AuditLog; clock: () => Date }): Router {
  const { prisma, kit, handoffs, audit, clock } = opts;
  const { lang, tr, textFor, page, send, checkCsrf, requireRole, notFound, savedText } = kit;
  const router = express.Router();
  const form = express.urlencoded({ extended: false, limit: "4kb" });
  const allowed = requireRole("coordinator", "admin");
  const actor = (req: Request) => ({ userId: req.staff!.userId, displayName: req.staff!.displayName, email: req.staff!.email });

  /** The organisation this person coordinates; null for the wijkregie (all organisations). */
  const organisationOf = (req: Request): string | null => (req.staff!.role === "coordinator" ? req.staff!.organisationId : null);
  const caseScope = (req: Request): Prisma.HandoffWhereInput => {
    const org = organisationOf(req);
    return org ? { professional: { organisationId: org } } : {};
  };
  /** Professionals who can take a request from this person: active, with an account, in their organisation. */
  const takers = (req: Request) => {
    const org = organisationOf(req);
    return prisma.professional.findMany({
      where: { active: true, staffUser: { is: { disabledAt: null } }, ...(org ? { organisationId: org } : {}) },
      include: { organisation: true },
      orderBy: { name: "asc" },
    });
  };

  router.get("/admin/coordination", allowed, async (req, res) => {
    const now = clock();
    const scope = caseScope(req);
    const org = organisationOf(req);
    const organisation = org ? await prisma.organisation.findUnique({ where: { id: org } }) : null;
    const [waiting, open, answered, people] = await Promise.all([
      prisma.handoff.findMany({
        where: { ...scope, status: "new" },
        orderBy: { acceptBy: "asc" },
        include: { resident: { select: { pseudonym: true } }, professional: { include: { organisation: true } } },
      }),
      prisma.handoff.count({ where: { ...scope, status: { in: ["accepted", "in_contact"] } } }),
      prisma.handoff.findMany({
        where: { ...scope, OR: [{ checkInAnsweredAt: { gte: new Date(now.getTime() - OUTCOMES_MS) } }, { closedAt: { gte: new Date(now.getTime() - OUTCOMES_MS) } }] },
        orderBy: { createdAt: "desc" },
        take: 100,
        include: { resident: { select: { pseudonym: true } }, professional: true },
      }),
      takers(req),
    ]);
    const overdue = waiting.filter((h) => isOverdue(h, now));
    await audit.record(actor(req), "coordination-view", { type: "page", id: "coordination" }, `${waiting.length} waiting, ${overdue.length} overdue${org ? `, organisation ${org}` : ", all organisations"}`);
    const view: CoordinationView = {
      language: lang(req),
      csrf: req.csrf ?? "",
      saved: savedText(req),
      organisation: organisation?.name,
      waiting: waiting.map((h) => ({
        id: h.id,
        code: codeName(h.resident.pseudonym),
        language: h.language,
        professional: { id: h.professionalId, name: h.professional.name, organisation: h.professional.organisation.name },
        createdAt: h.createdAt,
        acceptBy: h.acceptBy,
        overdue: isOverdue(h, now),
        remindedAt: h.remindedAt,
        escalated: h.escalatedAt !== null,
      })),
      openCount: open,
      answered: answered.map((h) => ({ code: codeName(h.resident.pseudonym), professional: h.professional.name, status: h.status, outcome: h.outcome, checkInAnswer: h.checkInAnswer, checkInAnsweredAt: h.checkInAnsweredAt })),
      takers: people.map((p) => ({ id: p.id, name: p.name, organisation: p.organisation.name, languages: p.languages })),
    };
    send(res, page(req, tr(req, "co_title"), coordinationPage(view, textFor(req))));
  });

  router.post("/admin/coordination/:id/reassign", form, checkCsrf, allowed, async (req, res) => {
    const id = z.uuid().safeParse(req.params.id);
    const to = z.uuid().safeParse(req.body?.to);
    const h = id.success ? await prisma.handoff.findFirst({ where: { ...caseScope(req), id: id.data, status: { in: [...OPEN_STATUSES] } } }) : null;
    if (!h) return notFound(req, res);
    const target = to.success ? (await takers(req)).find((p) => p.id === to.data) : undefined;
    if (!target) return res.redirect(303, "/admin/coordination");
    const role = req.staff!.role === "admin" ? "admin" : "coordinator";
    const moved = await handoffs.reassignOne(h.id, target.id, { role, userId: req.staff!.userId });
    if (moved) await audit.record(actor(req), "reassign", { type: "handoff", id: h.id }, `request moved from professional ${h.professionalId} to professional ${target.id} by a ${role}`);
    res.redirect(303, "/admin/coordination?saved=reassigned");
  });

  return router;
}
