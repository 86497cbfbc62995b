import express, { type Request, type Router } from "express";
import { z } from "zod";
import { formatWhen } from "../activities/local-time.js";
import type { PrismaClient } from "../generated/prisma/client.js";
import { OPEN_STATUSES, type HandoffService } from "../handoffs/handoff-service.js";
import { html, type SafeHtml } from "./html.js";
import { noticeItemView } from "./notice-routes.js";
import { noticeItem } from "./pages/notices-page.js";
import type { PanelKit } from "./panel-kit.js";
import type { StaffNotices } from "./staff-notices.js";

/** Send records that reached a resident: accepted by the platform, delivered or read. */
const REACHED = ["sent", "delivered", "read"];

/**
 * The panel's start page: what needs this person's attention, by role. Everyone: unread notices. Admins:
 * activities waiting for approval, requests waiting or overdue (counts), broadcasts running, and a warning
 * while no professional can be matched. Coordinators: the requests of their organisation waiting or
 * overdue. Professionals: new and overdue requests, unread messages. Key figures: their organisation's
 * activities with status, audience and reach.
 */
export function homeRoutes(opts: { prisma: PrismaClient; kit: PanelKit; notices: StaffNotices; handoffs: HandoffService; clock: () => Date }): Router {
  const { prisma, kit, notices, handoffs, clock } = opts;
  const { lang, tr, textFor, page, send, requireRole, saved } = kit;
  const router = express.Router();

  const card = (id: string, title: string, body: SafeHtml | string) => html`<section class="card" aria-labelledby="${id}"><h2 id="${id}">${title}</h2>${body}</section>`;
  const count = (n: number, key: string, link: string, req: Request, urgent = false) =>
    html`<li${urgent && n > 0 ? html` class="urgent"` : ""}><a href="${link}"><strong data-count="${key}">${String(n)}</strong> ${tr(req, `home_${key}`, { count: String(n) })}</a></li>`;

  async function requestCounts(where: { professional?: { organisationId: string } }) {
    const now = clock();
    const [waiting, overdue, open] = await Promise.all([
      prisma.handoff.count({ where: { ...where, status: "new" } }),
      prisma.handoff.count({ where: { ...where, status: "new", acceptBy: { lt: now } } }),
      prisma.handoff.count({ where: { ...where, status: { in: ["accepted", "in_contact"] } } }),
    ]);
    return { waiting, overdue, open };
  }

  async function runningBroadcasts(req: Request, organisationId?: string): Promise<SafeHtml | ""> {
    const running = await prisma.broadcast.findMany({
      where: { status: { in: ["scheduled", "sending"] }, ...(organisationId ? { activity: { organisationId } } : {}) },
      include: { activity: { include: { texts: { where: { language: "nl" } } } } },
      orderBy: { scheduledFor: "asc" },
      take: 20,
    });
    if (running.length === 0) return "";
    return card(
      "home-broadcasts",
      tr(req, "home_broadcasts"),
      html`<ul>${running.map((b) => html`<li><a href="/admin/broadcasts/${b.id}">${b.activity.texts[0]?.title ?? "—"}</a> — ${tr(req, `bc_status_${b.status}`)} (${formatWhen(b.scheduledFor, null, lang(req))})</li>`)}</ul>`,
    );
  }

  async function adminCards(req: Request): Promise<SafeHtml[]> {
    const [pending, requests, linked, examples] = await Promise.all([
      prisma.activity.count({ where: { status: "pending" } }),
      requestCounts({}),
      prisma.professional.count({ where: { active: true, staffUser: { is: { disabledAt: null } } } }),
      prisma.professional.count({ where: { example: true } }),
    ]);
    const cards: SafeHtml[] = [];
    if (linked === 0) {
      cards.push(html`<div role="alert" class="error"><p>${tr(req, "home_no_professionals")}</p><p><a href="/admin/professionals">${tr(req, "home_link_professionals")}</a>${examples > 0 ? html` · <small>${tr(req, "home_examples", { count: String(examples) })}</small>` : ""}</p></div>`);
    }
    cards.push(
      card(
        "home-attention",
        tr(req, "home_attention"),
        html`<ul class="home-counts">
          ${count(pending, "activities_pending", "/admin/activities?status=pending", req, true)}
          ${count(requests.overdue, "requests_overdue", "/admin/coordination", req, true)}
          ${count(requests.waiting, "requests_waiting", "/admin/coordination", req)}
          ${count(requests.open, "requests_open", "/admin/handoffs", req)}
        </ul>`,
      ),
    );
    const broadcasts = await runningBroadcasts(req);
    if (broadcasts) cards.push(broadcasts);
    return cards;
  }

  async function coordinatorCards(req: Request): Promise<SafeHtml[]> {
    const org = req.staff!.organisationId;
    const requests = await requestCounts(org ? { professional: { organisationId: org } } : {});
    return [
      card(
        "home-attention",
        tr(req, "home_attention"),
        html`<ul class="home-counts">
          ${count(requests.overdue, "requests_overdue", "/admin/coordination", req, true)}
          ${count(requests.waiting, "requests_waiting", "/admin/coordination", req)}
          ${count(requests.open, "requests_open", "/admin/coordination", req)}
        </ul>`,
      ),
    ];
  }

  async function professionalCards(req: Request): Promise<SafeHtml[]> {
    const pro = await prisma.professional.findUnique({ where: { staffUserId: req.staff!.userId } });
    if (!pro) return [html`<p role="status" class="notice">${tr(req, "ho_not_linked")}</p>`];
    const now = clock();
    const [fresh, overdue, unread] = await Promise.all([
      prisma.handoff.count({ where: { professionalId: pro.id, status: "new" } }),
      prisma.handoff.count({ where: { professionalId: pro.id, status: "new", acceptBy: { lt: now } } }),
      handoffs.unread(pro.id),
    ]);
    const open = await prisma.handoff.findMany({ where: { professionalId: pro.id, status: { in: [...OPEN_STATUSES] } }, select: { id: true } });
    const messages = open.reduce((n, h) => n + (unread.get(h.id) ?? 0), 0);
    return [
      card(
        "home-attention",
        tr(req, "home_attention"),
        html`<ul class="home-counts">
          ${count(overdue, "requests_overdue_mine", "/admin/handoffs", req, true)}
          ${count(fresh, "requests_new_mine", "/admin/handoffs", req)}
          ${count(messages, "messages_unread", "/admin/handoffs", req, true)}
        </ul>`,
      ),
    ];
  }

  async function keyFigureCards(req: Request): Promise<SafeHtml[]> {
    const org = req.staff!.organisationId;
    if (!org) return [];
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
    const line = (a: (typeof activities)[number]) => {
      const sent = a.broadcasts.filter((b) => b.status === "done");
      const reached = sent.reduce((n, b) => n + (reach.get(b.id)?.reached ?? 0), 0);
      const running = a.broadcasts.find((b) => b.status === "scheduled" || b.status === "sending");
      return html`<tr><td><a href="/admin/activities/${a.id}">${a.texts[0]?.title ?? "—"}</a><br><small>${formatWhen(a.startsAt, a.endsAt, lang(req))}</small></td>
        <td><span class="status status-${a.status}">${tr(req, `status_${a.status}`)}</span>${a.status === "rejected" && a.rejectionReason ? html`<br><small>${tr(req, "rejection_reason")}: ${a.rejectionReason}</small>` : ""}</td>
        <td>${running ? html`<a href="/admin/broadcasts/${running.id}">${tr(req, `bc_status_${running.status}`)}</a>` : sent.length > 0 ? tr(req, "home_reach", { count: String(reached) }) : a.status === "approved" ? html`<a href="/admin/activities/${a.id}/broadcast">${tr(req, "home_not_sent")}</a>` : "—"}</td></tr>`;
    };
    return [
      card(
        "home-activities",
        tr(req, "home_my_activities"),
        activities.length === 0
          ? html`<p>${tr(req, "home_no_activities")} <a href="/admin/activities/new">${tr(req, "activity_new")}</a></p>`
          : html`<table><caption class="visually-hidden">${tr(req, "home_my_activities")}</caption><thead><tr><th scope="col">${tr(req, "col_title")}</th><th scope="col">${tr(req, "col_status")}</th><th scope="col">${tr(req, "home_col_reach")}</th></tr></thead><tbody>${activities.map(line)}</tbody></table>`,
      ),
    ];
  }

  router.get("/admin", requireRole("admin", "coordinator", "professional", "keyfigure"), async (req, res) => {
    const s = req.staff!;
    const org = s.organisationId ? await prisma.organisation.findUnique({ where: { id: s.organisationId } }) : null;
    const unread = (await notices.list(s.userId, 10)).filter((n) => !n.read).slice(0, 5);
    const byRole = s.role === "admin" ? await adminCards(req) : s.role === "coordinator" ? await coordinatorCards(req) : s.role === "professional" ? await professionalCards(req) : await keyFigureCards(req);
    const welcome = z.enum(["welcome", "two-factor"]).safeParse(req.query.saved);
    const body = html`${saved(req)}
      <p>${tr(req, `role_${s.role}`)}${org ? html` · ${org.name}${org.demo ? html` <span class="status status-pending">DEMO</span>` : ""}` : s.role === "coordinator" ? html` · ${tr(req, "co_wijkregie")}` : ""}</p>
      ${welcome.success && welcome.data === "welcome" ? html`<p>${tr(req, `home_first_${s.role}`)}</p>` : ""}
      ${unread.length > 0 ? card("home-notices", tr(req, "home_notices"), html`<ul class="notices">${unread.map((n) => noticeItem(lang(req), noticeItemView(notices, lang(req), n), textFor(req)))}</ul><p><a href="/admin/notices">${tr(req, "home_all_notices")}</a></p>`) : ""}
      ${byRole}`;
    send(res, page(req, tr(req, "home_title", { name: s.displayName }), body));
  });

  return router;
}
