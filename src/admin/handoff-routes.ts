import { createHash } from "node:crypto";
import express, { type Request, type Response, type Router } from "express";
import { z } from "zod";
import type { Cipher } from "../crypto/cipher.js";
import type { Prisma, PrismaClient } from "../generated/prisma/client.js";
import { codeName, HANDOFF_OUTCOMES, handoffSummarySchema, isOverdue, OPEN_STATUSES, type HandoffService } from "../handoffs/handoff-service.js";
import type { AuditLog } from "./audit-log.js";
import type { PanelKit } from "./panel-kit.js";
import type { LivePart } from "./pages/handoff-parts.js";
import { handoffOverviewPage } from "./pages/handoff-overview-page.js";
import { handoffInboxPage, handoffInboxParts, handoffNotLinkedPage, type HandoffInboxView, type InboxRow } from "./pages/handoff-inbox-page.js";
import { handoffCasePage, handoffCaseParts, handoffCaseTitle, type HandoffCaseView } from "./pages/handoff-case-page.js";

const OPEN: readonly string[] = OPEN_STATUSES;

/** Notices after an action on a case (`?notice=`). */
const CASE_NOTICES = ["accepted", "sent", "held", "quiet", "status", "closed", "refused"] as const;

type CaseRecord = Prisma.HandoffGetPayload<{ include: { resident: { select: { pseudonym: true; channel: true } }; professional: true; messages: true } }>;

/** A short version tag of what a live view shows: the page asks again with it and hears 204 when nothing changed. */
const versionOf = (parts: unknown): string => createHash("sha256").update(JSON.stringify(parts)).digest("base64url").slice(0, 16);

/**
 * A professional's inbox: their handoffs with status, an overdue mark, unread messages and the resident's
 * answer to "did it help?"; a case page with what the resident agreed to share, the code name (a number
 * only when the resident chose to be called), why this professional (in words), and a chat pane relayed
 * through Naast. Both update themselves (`/live`: a small script asks every few seconds and swaps in the
 * parts that changed); messages are sent without leaving the page. Nobody else sees a case's content;
 * admins see counts only. The HTML is in `pages/handoff-*-page.ts`; a route reads, builds the view and renders.
 */
export function handoffRoutes(opts: { prisma: PrismaClient; kit: PanelKit; handoffs: HandoffService; cipher: Cipher; audit: AuditLog; clock: () => Date }): Router {
  const { prisma, kit, handoffs, cipher, audit, clock } = opts;
  const { lang, tr, textFor, page, send, checkCsrf, requireRole, notFound } = kit;
  const router = express.Router();
  const form = express.urlencoded({ extended: false, limit: "16kb" });

  router.get("/admin/handoffs", requireRole("professional", "admin"), async (req, res) => {
    const s = req.staff!;
    if (s.role === "admin") {
      const rows = await prisma.handoff.groupBy({ by: ["professionalId", "status"], _count: true });
      const overdue = await prisma.handoff.groupBy({ by: ["professionalId"], where: { status: "new", acceptBy: { lt: clock() } }, _count: true });
      const pros = await prisma.professional.findMany({ include: { organisation: true }, orderBy: { name: "asc" } });
      const count = (p: string, st: string) => rows.find((r) => r.professionalId === p && r.status === st)?._count ?? 0;
      const view = {
        rows: pros.map((p) => ({
          name: p.name,
          organisation: p.organisation.name,
          counts: { new: count(p.id, "new"), accepted: count(p.id, "accepted"), in_contact: count(p.id, "in_contact"), closed: count(p.id, "closed") },
          overdue: overdue.find((r) => r.professionalId === p.id)?._count ?? 0,
        })),
      };
      return send(res, page(req, tr(req, "ho_title_admin"), handoffOverviewPage(view, textFor(req))));
    }
    const view = await inbox(req);
    if (!view) return send(res, page(req, tr(req, "ho_title"), handoffNotLinkedPage(textFor(req))));
    send(res, page(req, tr(req, "ho_title"), handoffInboxPage(view, textFor(req))));
  });

  /** The inbox's view (open and closed cases, and its version); undefined without a linked professional. */
  async function inbox(req: Request): Promise<HandoffInboxView | undefined> {
    const pro = await prisma.professional.findUnique({ where: { staffUserId: req.staff!.userId } });
    if (!pro) return undefined;
    const now = clock();
    const list = await prisma.handoff.findMany({ where: { professionalId: pro.id }, orderBy: [{ createdAt: "desc" }], include: { resident: { select: { pseudonym: true } } } });
    const unread = await handoffs.unread(pro.id);
    const row = (h: (typeof list)[number]): InboxRow => ({
      id: h.id,
      code: codeName(h.resident.pseudonym),
      topic: h.topic,
      status: h.status,
      overdue: isOverdue(h, now),
      acceptBy: h.acceptBy,
      checkInAnswer: h.checkInAnswer,
      checkInAnsweredAt: h.checkInAnsweredAt,
      unread: unread.get(h.id) ?? 0,
    });
    // The version covers what the parts show, plus the clock's minute for the overdue marks.
    const version = versionOf([list.map((h) => [h.id, h.status, h.checkInAnswer, isOverdue(h, now)]), [...unread]]);
    return { language: lang(req), version, open: list.filter((h) => OPEN.includes(h.status)).map(row), closed: list.filter((h) => !OPEN.includes(h.status)).map(row) };
  }

  router.get("/admin/handoffs/live", requireRole("professional"), async (req, res) => {
    const view = await inbox(req);
    if (!view) return void res.status(404).json({ error: "not linked" });
    liveAnswer(req, res, { version: view.version, parts: handoffInboxParts(view, textFor(req)) });
  });

  /** Answers a live request: 204 when the page is current, else the parts and the navigation's counts. */
  function liveAnswer(req: Request, res: Response, view: { version: string; parts: LivePart[] }): void {
    res.set("cache-control", "no-store");
    if (req.query.v === view.version) return void res.status(204).end();
    res.json({ version: view.version, parts: Object.fromEntries(view.parts.map((p) => [p.name, p.html.value])), badges: req.badges ?? { notices: 0, messages: 0 } });
  }

  async function mine(req: Request, res: Response): Promise<CaseRecord | undefined> {
    const id = z.uuid().safeParse(req.params.id);
    const h = id.success
      ? await prisma.handoff.findFirst({
          where: { id: id.data, professional: { staffUserId: req.staff!.userId } },
          include: { resident: { select: { pseudonym: true, channel: true } }, professional: true, messages: { orderBy: { id: "asc" } } },
        })
      : null;
    if (!h) {
      if (req.path.endsWith("/live")) res.status(404).json({ error: "not found" });
      else notFound(req, res);
    }
    return h ?? undefined;
  }

  const pro = requireRole("professional");

  /** The case as its page shows it (messages and the number decrypted for the assigned professional only). */
  function caseView(req: Request, h: CaseRecord, notice: string | undefined): HandoffCaseView {
    const now = clock();
    const summary = handoffSummarySchema.catch({ topic: h.topic, answers: [] }).parse(h.summary);
    const overdue = isOverdue(h, now);
    return {
      language: lang(req),
      csrf: req.csrf ?? "",
      version: versionOf([h.status, h.stage, h.outcome, h.checkInAnswer, overdue, h.professionalId, h.messages.map((m) => [String(m.id), m.deliveredAt !== null])]),
      id: h.id,
      code: codeName(h.resident.pseudonym),
      status: h.status,
      outcome: h.outcome,
      overdue,
      checkInAnswer: h.checkInAnswer,
      checkInAnsweredAt: h.checkInAnsweredAt,
      topic: summary.topic || h.topic,
      answers: summary.answers,
      call: summary.call,
      caseLanguage: h.language,
      mode: h.mode,
      phone: h.mode === "call" && h.phoneEnc ? cipher.decrypt(h.phoneEnc) : undefined,
      createdAt: h.createdAt,
      acceptBy: h.acceptBy,
      matchFacts: h.matchFacts,
      matchReason: h.matchReason,
      professionalName: h.professional.name,
      messages: h.messages.map((m) => ({ id: String(m.id), author: m.author, createdAt: m.createdAt, held: m.heldAt !== null && !m.deliveredAt, text: cipher.decrypt(m.bodyEnc) })),
      notice,
    };
  }

  router.get("/admin/handoffs/:id", pro, async (req, res) => {
    const h = await mine(req, res);
    if (!h) return;
    const s = req.staff!;
    // A page view is logged; the live updates that follow are the same view and are not.
    await audit.record({ userId: s.userId, displayName: s.displayName, email: s.email }, "case-view", { type: "handoff", id: h.id }, `professional ${h.professionalId}`);
    await handoffs.markSeen(h.id, s.userId);
    const notice = z.enum(CASE_NOTICES).safeParse(req.query.notice);
    const view = caseView(req, h, notice.success ? tr(req, `ho_notice_${notice.data}`) : undefined);
    send(res, page(req, handoffCaseTitle(view, textFor(req)), handoffCasePage(view, textFor(req))));
  });

  router.get("/admin/handoffs/:id/live", pro, async (req, res) => {
    const h = await mine(req, res);
    if (!h) return;
    const view = caseView(req, h, undefined);
    if (req.query.v !== view.version) await handoffs.markSeen(h.id, req.staff!.userId);
    liveAnswer(req, res, { version: view.version, parts: handoffCaseParts(view, textFor(req)) });
  });
  router.post("/admin/handoffs/:id/accept", form, checkCsrf, pro, async (req, res) => {
    const h = await mine(req, res);
    if (!h) return;
    await handoffs.accept(h.id, req.staff!.userId);
    res.redirect(303, `/admin/handoffs/${h.id}?notice=accepted`);
  });

  router.post("/admin/handoffs/:id/status", form, checkCsrf, pro, async (req, res) => {
    const h = await mine(req, res);
    if (!h) return;
    await handoffs.setStatus(h.id, req.staff!.userId, "in_contact");
    res.redirect(303, `/admin/handoffs/${h.id}?notice=status`);
  });

  router.post("/admin/handoffs/:id/close", form, checkCsrf, pro, async (req, res) => {
    const h = await mine(req, res);
    if (!h) return;
    const outcome = z.enum(HANDOFF_OUTCOMES).catch("other").parse(req.body?.outcome);
    await handoffs.setStatus(h.id, req.staff!.userId, "closed", outcome);
    res.redirect(303, `/admin/handoffs/${h.id}?notice=closed`);
  });

  router.post("/admin/handoffs/:id/message", form, checkCsrf, pro, async (req, res) => {
    const h = await mine(req, res);
    if (!h) return;
    const text = z.string().trim().min(1).max(2000).safeParse(req.body?.text);
    const result = text.success ? await handoffs.sendToResident(h.id, req.staff!.userId, text.data) : "refused";
    const notice = result === "queued" ? "sent" : result === "held" ? "held" : result === "quiet" ? "quiet" : "refused";
    // The page's script sends without leaving the page and shows the notice itself; without script, redirect-after-post.
    if (req.get("x-naast-live") === "1") return void res.status(result === "refused" ? 409 : 200).json({ notice: tr(req, `ho_notice_${notice}`), ok: result !== "refused" });
    res.redirect(303, `/admin/handoffs/${h.id}?notice=${notice}`);
  });

  return router;
}
