import express, { type Request, type Router } from "express";
import { z } from "zod";
import { formatWhen } from "../activities/local-time.js";
import type { Prisma, PrismaClient } from "../generated/prisma/client.js";
import { codeName, isOverdue, OPEN_STATUSES, type HandoffService } from "../handoffs/handoff-service.js";
import type { AuditLog } from "./audit-log.js";
import { html } from "./html.js";
import type { PanelKit } from "./panel-kit.js";
import { languageNames } from "./panel-words.js";

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
  const { lang, tr, page, send, csrfField, checkCsrf, requireRole, notFound, saved } = kit;
  const router = express.Router();
  const form = express.urlencoded({ extended: false, limit: "4kb" });
  const allowed = requireRole("coordinator", "admin");
  const when = (req: Request, d: Date | null) => (d ? formatWhen(d, null, lang(req)) : "—");
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
    const stuck = waiting.filter((h) => h.escalatedAt !== null);
    const answers = (a: string) => answered.filter((h) => h.checkInAnswer === a).length;
    await audit.record(actor(req), "coordination-view", { type: "page", id: "coordination" }, `${waiting.length} waiting, ${overdue.length} overdue${org ? `, organisation ${org}` : ", all organisations"}`);

    const reassignForm = (h: (typeof waiting)[number]) => {
      const others = people.filter((p) => p.id !== h.professionalId);
      if (others.length === 0) return html`<small>${tr(req, "co_nobody")}</small>`;
      return html`<form method="post" action="/admin/coordination/${h.id}/reassign" class="inline reassign">${csrfField(req)}
        <label for="to-${h.id}" class="visually-hidden">${tr(req, "co_reassign_to", { code: codeName(h.resident.pseudonym) })}</label>
        <select id="to-${h.id}" name="to">${others.map((p) => html`<option value="${p.id}">${p.name} (${p.organisation.name}) — ${languageNames(tr, req, p.languages)}${p.languages.includes(h.language) ? "" : ` · ${tr(req, "co_not_language", { language: tr(req, `lang_${h.language}`) })}`}</option>`)}</select>
        <button type="submit">${tr(req, "co_reassign")}</button></form>`;
    };
    const body = html`${saved(req)}
      <p>${organisation ? tr(req, "co_intro_org", { organisation: organisation.name }) : tr(req, "co_intro_all")}</p>
      <h2 class="visually-hidden">${tr(req, "co_counts")}</h2>
      <dl class="facts counts-summary">
        <dt>${tr(req, "co_waiting")}</dt><dd data-count="waiting">${String(waiting.length)}</dd>
        <dt>${tr(req, "co_overdue")}</dt><dd data-count="overdue">${overdue.length > 0 ? html`<span class="status status-overdue">${String(overdue.length)}</span>` : "0"}</dd>
        <dt>${tr(req, "co_stuck")}</dt><dd data-count="stuck">${String(stuck.length)}</dd>
        <dt>${tr(req, "co_open")}</dt><dd data-count="open">${String(open)}</dd>
        <dt>${tr(req, "co_answers")}</dt><dd data-count="answers">${tr(req, "co_answers_line", { helped: String(answers("helped")), not: String(answers("not_helped")), none: String(answers("no_contact")) })}</dd>
      </dl>
      <h2>${tr(req, "co_waiting_title")}</h2>
      ${waiting.length === 0
        ? html`<p>${tr(req, "co_none_waiting")}</p>`
        : html`<table class="coordination"><caption>${tr(req, "co_waiting_caption")}</caption><thead><tr><th scope="col">${tr(req, "co_request")}</th><th scope="col">${tr(req, "ho_accept_by")}</th></tr></thead>
          <tbody>${waiting.map(
            (h) => html`<tr${isOverdue(h, now) ? html` class="overdue"` : ""}><td><strong>${codeName(h.resident.pseudonym)}</strong><br>${h.professional.name} <small>(${h.professional.organisation.name})</small><br><small>${tr(req, `lang_${h.language}`)} · ${tr(req, "ho_created")}: ${when(req, h.createdAt)}</small></td>
              <td>${when(req, h.acceptBy)}${isOverdue(h, now) ? html` <span class="status status-overdue">${tr(req, "ho_overdue")}</span>` : ""}${h.remindedAt ? html`<br><small>${tr(req, "co_reminded", { when: when(req, h.remindedAt) })}</small>` : ""}${h.escalatedAt ? html`<br><small>${tr(req, "co_escalated")}</small>` : ""}</td></tr>
              <tr class="action-row"><td colspan="2">${reassignForm(h)}</td></tr>`,
          )}</tbody></table>`}
      <h2>${tr(req, "co_outcomes_title")}</h2>
      ${answered.length === 0
        ? html`<p>${tr(req, "co_none_outcomes")}</p>`
        : html`<table><caption>${tr(req, "co_outcomes_caption")}</caption><thead><tr><th scope="col">${tr(req, "ho_code")}</th><th scope="col">${tr(req, "co_professional")}</th><th scope="col">${tr(req, "ho_status")}</th><th scope="col">${tr(req, "ho_checkin")}</th></tr></thead>
          <tbody>${answered.map(
            (h) => html`<tr><td>${codeName(h.resident.pseudonym)}</td><td>${h.professional.name}</td><td>${tr(req, `ho_status_${h.status}`)}${h.outcome ? ` — ${tr(req, `ho_outcome_${h.outcome}`)}` : ""}</td>
              <td>${h.checkInAnswer ? html`${tr(req, `ho_checkin_${h.checkInAnswer}`)}${h.checkInAnsweredAt ? html` <small>(${when(req, h.checkInAnsweredAt)})</small>` : ""}` : tr(req, "co_no_answer")}</td></tr>`,
          )}</tbody></table>`}`;
    send(res, page(req, tr(req, "co_title"), body));
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
