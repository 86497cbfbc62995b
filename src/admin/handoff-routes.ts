import { createHash } from "node:crypto";
import express, { type Request, type Response, type Router } from "express";
import { z } from "zod";
import { formatWhen } from "../activities/local-time.js";
import type { Cipher } from "../crypto/cipher.js";
import type { Prisma, PrismaClient } from "../generated/prisma/client.js";
import { codeName, HANDOFF_OUTCOMES, handoffSummarySchema, isOverdue, OPEN_STATUSES, type HandoffService } from "../handoffs/handoff-service.js";
import { html, type SafeHtml } from "./html.js";
import type { AuditLog } from "./audit-log.js";
import type { PanelKit } from "./panel-kit.js";
import { whyThisProfessional } from "./panel-words.js";

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
 * admins see counts only.
 */
export function handoffRoutes(opts: { prisma: PrismaClient; kit: PanelKit; handoffs: HandoffService; cipher: Cipher; audit: AuditLog; clock: () => Date }): Router {
  const { prisma, kit, handoffs, cipher, audit, clock } = opts;
  const { lang, tr, page, send, csrfField, checkCsrf, requireRole, notFound } = kit;
  const router = express.Router();
  const form = express.urlencoded({ extended: false, limit: "16kb" });
  const when = (req: Request, d: Date | null) => (d ? formatWhen(d, null, lang(req)) : "—");
  const statusClass = (status: string) => (status === "new" ? "pending" : status === "closed" ? "cancelled" : "approved");
  const overdueMark = (req: Request) => html` <span class="status status-overdue">${tr(req, "ho_overdue")}</span>`;
  const answerText = (req: Request, h: { checkInAnswer: string | null; checkInAnsweredAt: Date | null }) =>
    h.checkInAnswer ? html`${tr(req, `ho_checkin_${h.checkInAnswer}`)}${h.checkInAnsweredAt ? html` <small>(${when(req, h.checkInAnsweredAt)})</small>` : ""}` : "—";

  router.get("/admin/handoffs", requireRole("professional", "admin"), async (req, res) => {
    const s = req.staff!;
    if (s.role === "admin") {
      const rows = await prisma.handoff.groupBy({ by: ["professionalId", "status"], _count: true });
      const overdue = await prisma.handoff.groupBy({ by: ["professionalId"], where: { status: "new", acceptBy: { lt: clock() } }, _count: true });
      const pros = await prisma.professional.findMany({ include: { organisation: true }, orderBy: { name: "asc" } });
      const count = (p: string, st: string) => String(rows.find((r) => r.professionalId === p && r.status === st)?._count ?? 0);
      const late = (p: string) => overdue.find((r) => r.professionalId === p)?._count ?? 0;
      return send(res, page(req, tr(req, "ho_title_admin"), html`<p>${tr(req, "ho_admin_intro")}</p>
        <table><caption>${tr(req, "ho_caption_admin")}</caption><thead><tr><th scope="col">${tr(req, "pro_name")}</th>${["new", "accepted", "in_contact", "closed"].map((st) => html`<th scope="col">${tr(req, `ho_status_${st}`)}</th>`)}<th scope="col">${tr(req, "ho_overdue")}</th></tr></thead>
        <tbody>${pros.map((p) => html`<tr><td>${p.name} <small>${p.organisation.name}</small></td>${["new", "accepted", "in_contact", "closed"].map((st) => html`<td>${count(p.id, st)}</td>`)}<td>${late(p.id) > 0 ? html`<span class="status status-overdue">${String(late(p.id))}</span>` : "0"}</td></tr>`)}</tbody></table>`));
    }
    const view = await inbox(req);
    if (!view) return send(res, page(req, tr(req, "ho_title"), html`<p role="status" class="notice">${tr(req, "ho_not_linked")}</p>`));
    send(res, page(req, tr(req, "ho_title"), html`<div data-live-url="/admin/handoffs/live" data-live-version="${view.version}">${view.parts.map((p) => html`<div data-live-part="${p.name}">${p.html}</div>`)}</div>
      <script src="/admin/assets/live-updates.js" defer></script>`));
  });

  /** The inbox's parts (summary, open, closed) and their version; undefined without a linked professional. */
  async function inbox(req: Request): Promise<{ version: string; parts: { name: string; html: SafeHtml }[] } | undefined> {
    const pro = await prisma.professional.findUnique({ where: { staffUserId: req.staff!.userId } });
    if (!pro) return undefined;
    const now = clock();
    const list = await prisma.handoff.findMany({ where: { professionalId: pro.id }, orderBy: [{ createdAt: "desc" }], include: { resident: { select: { pseudonym: true } } } });
    const unread = await handoffs.unread(pro.id);
    const open = list.filter((h) => OPEN.includes(h.status));
    const closed = list.filter((h) => !OPEN.includes(h.status));
    const overdue = open.filter((h) => isOverdue(h, now)).length;
    const unreadTotal = open.reduce((n, h) => n + (unread.get(h.id) ?? 0), 0);
    const table = (caption: string, rows: typeof list) =>
      rows.length === 0
        ? html`<p>${tr(req, "ho_none")}</p>`
        : html`<table><caption>${caption}</caption><thead><tr><th scope="col">${tr(req, "ho_code")}</th><th scope="col">${tr(req, "ho_topic")}</th><th scope="col">${tr(req, "ho_status")}</th><th scope="col">${tr(req, "ho_accept_by")}</th></tr></thead>
          <tbody>${rows.map((h) => {
            const n = unread.get(h.id) ?? 0;
            // Four columns, so it fits a phone: unread messages with the code name, the resident's answer under the status.
            return html`<tr${isOverdue(h, now) ? html` class="overdue"` : ""}><td><a href="/admin/handoffs/${h.id}">${codeName(h.resident.pseudonym)}</a>${n > 0 ? html` <span class="badge" title="${tr(req, "ho_unread")}"><span aria-hidden="true">${String(n)}</span><span class="visually-hidden">${tr(req, "badge_messages", { count: String(n) })}</span></span>` : ""}</td><td>${tr(req, `ho_topic_${h.topic}`)}</td><td><span class="status status-${statusClass(h.status)}">${tr(req, `ho_status_${h.status}`)}</span>${isOverdue(h, now) ? overdueMark(req) : ""}${h.checkInAnswer ? html`<br><small>${tr(req, "ho_checkin")} ${answerText(req, h)}</small>` : ""}</td><td>${h.status === "new" ? when(req, h.acceptBy) : "—"}</td></tr>`;
          })}</tbody></table>`;
    const summary = html`<p>${tr(req, "ho_intro", { count: String(open.filter((h) => h.status === "new").length) })}</p>
      ${overdue > 0 ? html`<p role="alert" class="error">${tr(req, "ho_overdue_count", { count: String(overdue) })}</p>` : ""}
      ${unreadTotal > 0 ? html`<p class="notice">${tr(req, "ho_unread_count", { count: String(unreadTotal) })}</p>` : ""}`;
    const parts = [
      { name: "summary", html: summary },
      { name: "open", html: table(tr(req, "ho_open"), open) },
      { name: "closed", html: html`<h2>${tr(req, "ho_closed")}</h2>${table(tr(req, "ho_closed"), closed)}` },
    ];
    // The version covers what the parts show, plus the clock's minute for the overdue marks.
    return { version: versionOf([list.map((h) => [h.id, h.status, h.checkInAnswer, isOverdue(h, now)]), [...unread]]), parts };
  }

  router.get("/admin/handoffs/live", requireRole("professional"), async (req, res) => {
    const view = await inbox(req);
    if (!view) return void res.status(404).json({ error: "not linked" });
    liveAnswer(req, res, view);
  });

  /** Answers a live request: 204 when the page is current, else the parts and the navigation's counts. */
  function liveAnswer(req: Request, res: Response, view: { version: string; parts: { name: string; html: SafeHtml }[] }): void {
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

  /** The case page's parts: facts, actions and the conversation (the last only grows: new messages are appended). */
  function caseParts(req: Request, h: CaseRecord): { version: string; parts: { name: string; html: SafeHtml }[] } {
    const now = clock();
    const summary = handoffSummarySchema.catch({ topic: h.topic, answers: [] }).parse(h.summary);
    const post = (path: string, label: string, body: SafeHtml | string = "", cls = "") =>
      html`<form method="post" action="/admin/handoffs/${h.id}/${path}"${cls ? html` class="${cls}"` : ""}>${csrfField(req)}${body}<button type="submit">${label}</button></form>`;
    const why = whyThisProfessional(tr, req, h.matchFacts, h.matchReason);
    const facts = html`<dl class="facts">
        <dt>${tr(req, "ho_code")}</dt><dd>${codeName(h.resident.pseudonym)}</dd>
        <dt>${tr(req, "ho_status")}</dt><dd>${tr(req, `ho_status_${h.status}`)}${h.outcome ? ` — ${tr(req, `ho_outcome_${h.outcome}`)}` : ""}${isOverdue(h, now) ? overdueMark(req) : ""}</dd>
        <dt>${tr(req, "ho_checkin")}</dt><dd>${answerText(req, h)}</dd>
        <dt>${tr(req, "ho_topic")}</dt><dd>${tr(req, `ho_topic_${summary.topic || h.topic}`)}</dd>
        ${summary.answers.length ? html`<dt>${tr(req, "ho_answers")}</dt><dd>${summary.answers.map((a) => tr(req, `ho_answer_${a}`)).join("; ")}</dd>` : ""}
        <dt>${tr(req, "ho_language")}</dt><dd>${tr(req, `lang_${h.language}`)}</dd>
        <dt>${tr(req, "ho_mode")}</dt><dd>${tr(req, `ho_mode_${h.mode}`)}</dd>
        ${h.mode === "call" && h.phoneEnc ? html`<dt>${tr(req, "ho_phone")}</dt><dd><a href="tel:${cipher.decrypt(h.phoneEnc).replace(/[^+0-9]/g, "")}">${cipher.decrypt(h.phoneEnc)}</a></dd>` : ""}
        ${summary.call
          ? html`<dt>${tr(req, "ho_call_when")}</dt><dd>${tr(req, `ho_call_when_${summary.call.when}`)}</dd>
            <dt>${tr(req, "ho_call_identify")}</dt><dd${summary.call.identify ? "" : html` class="warning"`}>${tr(req, summary.call.identify ? "ho_call_identify_yes" : "ho_call_identify_no")}</dd>`
          : ""}
        <dt>${tr(req, "ho_created")}</dt><dd>${when(req, h.createdAt)}</dd>
        ${h.status === "new" ? html`<dt>${tr(req, "ho_accept_by")}</dt><dd>${when(req, h.acceptBy)}</dd>` : ""}
        <dt>${tr(req, "ho_reason")}</dt><dd class="why">${why.map((w) => html`<p>${w.title}</p>${w.lines.length ? html`<ul>${w.lines.map((l) => html`<li>${l}</li>`)}</ul>` : ""}`)}</dd>
      </dl>`;
    const actions = html`<div class="actions">
        ${h.status === "new" ? post("accept", tr(req, "ho_accept")) : ""}
        ${h.status === "accepted" ? post("status", tr(req, "ho_mark_contact"), html`<input type="hidden" name="status" value="in_contact">`) : ""}
        ${h.status !== "closed"
          ? post("close", tr(req, "ho_close"), html`<label for="outcome">${tr(req, "ho_outcome")}</label><select id="outcome" name="outcome">${HANDOFF_OUTCOMES.map((o) => html`<option value="${o}">${tr(req, `ho_outcome_${o}`)}</option>`)}</select><p><small>${tr(req, "ho_close_help")}</small></p>`, "danger")
          : ""}
      </div>`;
    const messages = h.messages.map((m) => {
      const who = m.author === "resident" ? tr(req, "ho_from_resident", { code: codeName(h.resident.pseudonym) }) : m.author === "professional" ? h.professional.name : "Naast";
      return html`<li class="msg msg-${m.author}" data-id="${String(m.id)}"><p class="meta"><strong>${who}</strong> · ${when(req, m.createdAt)}${m.heldAt && !m.deliveredAt ? html` · ${tr(req, "ho_held")}` : ""}</p><p class="prose">${cipher.decrypt(m.bodyEnc)}</p></li>`;
    });
    const chat = messages.length ? html`${messages}` : html`<li class="empty" data-id="empty">${tr(req, "ho_chat_empty")}</li>`;
    const version = versionOf([h.status, h.stage, h.outcome, h.checkInAnswer, isOverdue(h, now), h.professionalId, h.messages.map((m) => [String(m.id), m.deliveredAt !== null])]);
    return { version, parts: [{ name: "facts", html: facts }, { name: "actions", html: actions }, { name: "chat", html: chat }] };
  }

  router.get("/admin/handoffs/:id", pro, async (req, res) => {
    const h = await mine(req, res);
    if (!h) return;
    const s = req.staff!;
    // A page view is logged; the live updates that follow are the same view and are not.
    await audit.record({ userId: s.userId, displayName: s.displayName, email: s.email }, "case-view", { type: "handoff", id: h.id }, `professional ${h.professionalId}`);
    await handoffs.markSeen(h.id, s.userId);
    const notice = z.enum(CASE_NOTICES).safeParse(req.query.notice);
    const view = caseParts(req, h);
    const part = (name: string) => view.parts.find((p) => p.name === name)!.html;
    const body = html`<p role="status" class="notice" id="case-notice"${notice.success ? "" : html` hidden`}>${notice.success ? tr(req, `ho_notice_${notice.data}`) : ""}</p>
      <div data-live-url="/admin/handoffs/${h.id}/live" data-live-version="${view.version}">
      <div data-live-part="facts">${part("facts")}</div>
      <div data-live-part="actions">${part("actions")}</div>
      ${h.mode === "chat"
        ? html`<section aria-labelledby="chat-h"><h2 id="chat-h">${tr(req, "ho_chat")}</h2>
          <ol class="chat" data-live-part="chat" data-live-append="true" role="log" aria-live="polite" aria-labelledby="chat-h">${part("chat")}</ol>
          ${h.status !== "closed"
            ? html`<form method="post" action="/admin/handoffs/${h.id}/message" data-live-form="true" data-live-notice="case-notice" data-live-failed="${tr(req, "ho_notice_unknown")}">${csrfField(req)}<label for="text">${tr(req, "ho_message_label", { code: codeName(h.resident.pseudonym) })}</label><textarea id="text" name="text" rows="4" maxlength="2000" required></textarea><p><small>${tr(req, "ho_message_help", { name: h.professional.name })}</small></p><button type="submit">${tr(req, "ho_send")}</button></form>`
            : ""}
          <noscript><p><a href="/admin/handoffs/${h.id}">${tr(req, "ho_refresh")}</a></p></noscript></section>`
        : ""}
      </div>
      <p><a href="/admin/handoffs">${tr(req, "ho_back")}</a></p>
      <script src="/admin/assets/live-updates.js" defer></script>`;
    send(res, page(req, tr(req, "ho_case", { code: codeName(h.resident.pseudonym) }), body));
  });

  router.get("/admin/handoffs/:id/live", pro, async (req, res) => {
    const h = await mine(req, res);
    if (!h) return;
    const view = caseParts(req, h);
    if (req.query.v !== view.version) await handoffs.markSeen(h.id, req.staff!.userId);
    liveAnswer(req, res, view);
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
