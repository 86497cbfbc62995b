import express, { type Request, type Response, type Router } from "express";
import { z } from "zod";
import { formatWhen } from "../activities/local-time.js";
import type { Cipher } from "../crypto/cipher.js";
import type { PrismaClient } from "../generated/prisma/client.js";
import { codeName, HANDOFF_OUTCOMES, handoffSummarySchema, type HandoffService } from "../handoffs/handoff-service.js";
import { html, type SafeHtml } from "./html.js";
import type { AuditLog } from "./audit-log.js";
import type { PanelKit } from "./panel-kit.js";

const OPEN = ["new", "accepted", "in_contact"];

/**
 * A professional's inbox: their handoffs with status, what the resident agreed to share, the code name
 * (a number only when the resident chose to be called), and a chat pane relayed through Naast. Nobody
 * else sees a case's content; admins see counts only.
 */
export function handoffRoutes(opts: { prisma: PrismaClient; kit: PanelKit; handoffs: HandoffService; cipher: Cipher; audit: AuditLog }): Router {
  const { prisma, kit, handoffs, cipher, audit } = opts;
  const { tr, page, send, csrfField, checkCsrf, requireRole, notFound } = kit;
  const router = express.Router();
  const form = express.urlencoded({ extended: false, limit: "16kb" });
  const lang = (req: Request) => req.panelLanguage ?? "nl";
  const when = (req: Request, d: Date | null) => (d ? formatWhen(d, null, lang(req)) : "—");

  router.get("/admin/handoffs", requireRole("professional", "admin"), async (req, res) => {
    const s = req.staff!;
    if (s.role === "admin") {
      const rows = await prisma.handoff.groupBy({ by: ["professionalId", "status"], _count: true });
      const pros = await prisma.professional.findMany({ include: { organisation: true }, orderBy: { name: "asc" } });
      const count = (p: string, st: string) => String(rows.find((r) => r.professionalId === p && r.status === st)?._count ?? 0);
      return send(res, page(req, tr(req, "ho_title_admin"), html`<p>${tr(req, "ho_admin_intro")}</p>
        <table><caption>${tr(req, "ho_caption_admin")}</caption><thead><tr><th scope="col">${tr(req, "pro_name")}</th>${["new", "accepted", "in_contact", "closed"].map((st) => html`<th scope="col">${tr(req, `ho_status_${st}`)}</th>`)}</tr></thead>
        <tbody>${pros.map((p) => html`<tr><td>${p.name} <small>${p.organisation.name}</small></td>${["new", "accepted", "in_contact", "closed"].map((st) => html`<td>${count(p.id, st)}</td>`)}</tr>`)}</tbody></table>`));
    }
    const pro = await prisma.professional.findUnique({ where: { staffUserId: s.userId } });
    if (!pro) return send(res, page(req, tr(req, "ho_title"), html`<p role="status" class="notice">${tr(req, "ho_not_linked")}</p>`));
    const list = await prisma.handoff.findMany({ where: { professionalId: pro.id }, orderBy: [{ createdAt: "desc" }], include: { resident: { select: { pseudonym: true } } } });
    const open = list.filter((h) => OPEN.includes(h.status));
    const closed = list.filter((h) => !OPEN.includes(h.status));
    const table = (caption: string, rows: typeof list) =>
      rows.length === 0
        ? html`<p>${tr(req, "ho_none")}</p>`
        : html`<table><caption>${caption}</caption><thead><tr><th scope="col">${tr(req, "ho_code")}</th><th scope="col">${tr(req, "ho_topic")}</th><th scope="col">${tr(req, "ho_status")}</th><th scope="col">${tr(req, "ho_accept_by")}</th></tr></thead>
          <tbody>${rows.map((h) => html`<tr><td><a href="/admin/handoffs/${h.id}">${codeName(h.resident.pseudonym)}</a></td><td>${tr(req, `ho_topic_${h.topic}`)}</td><td><span class="status status-${h.status === "new" ? "pending" : h.status === "closed" ? "cancelled" : "approved"}">${tr(req, `ho_status_${h.status}`)}</span></td><td>${h.status === "new" ? when(req, h.acceptBy) : "—"}</td></tr>`)}</tbody></table>`;
    send(res, page(req, tr(req, "ho_title"), html`<p>${tr(req, "ho_intro", { count: String(open.filter((h) => h.status === "new").length) })}</p>
      ${table(tr(req, "ho_open"), open)}<h2>${tr(req, "ho_closed")}</h2>${table(tr(req, "ho_closed"), closed)}`));
  });

  async function mine(req: Request, res: Response) {
    const id = z.uuid().safeParse(req.params.id);
    const h = id.success
      ? await prisma.handoff.findFirst({
          where: { id: id.data, professional: { staffUserId: req.staff!.userId } },
          include: { resident: { select: { pseudonym: true, channel: true } }, professional: true, messages: { orderBy: { id: "asc" } } },
        })
      : null;
    if (!h) notFound(req, res);
    return h ?? undefined;
  }

  const pro = requireRole("professional");

  router.get("/admin/handoffs/:id", pro, async (req, res) => {
    const h = await mine(req, res);
    if (!h) return;
    const s = req.staff!;
    await audit.record({ userId: s.userId, displayName: s.displayName, email: s.email }, "case-view", { type: "handoff", id: h.id }, `professional ${h.professionalId}`);
    const summary = handoffSummarySchema.catch({ topic: h.topic, answers: [] }).parse(h.summary);
    const notice = z.enum(["accepted", "sent", "held", "quiet", "status", "refused"]).safeParse(req.query.notice);
    const post = (path: string, label: string, body: SafeHtml | string = "", cls = "") =>
      html`<form method="post" action="/admin/handoffs/${h.id}/${path}"${cls ? html` class="${cls}"` : ""}>${csrfField(req)}${body}<button type="submit">${label}</button></form>`;
    const messages = h.messages.map((m) => {
      const who = m.author === "resident" ? tr(req, "ho_from_resident", { code: codeName(h.resident.pseudonym) }) : m.author === "professional" ? h.professional.name : "Naast";
      return html`<li class="msg msg-${m.author}"><p class="meta"><strong>${who}</strong> · ${when(req, m.createdAt)}${m.heldAt && !m.deliveredAt ? html` · ${tr(req, "ho_held")}` : ""}</p><p class="prose">${cipher.decrypt(m.bodyEnc)}</p></li>`;
    });
    const body = html`${notice.success ? html`<p role="status" class="notice">${tr(req, `ho_notice_${notice.data}`)}</p>` : ""}
      <dl class="facts">
        <dt>${tr(req, "ho_code")}</dt><dd>${codeName(h.resident.pseudonym)}</dd>
        <dt>${tr(req, "ho_status")}</dt><dd>${tr(req, `ho_status_${h.status}`)}${h.outcome ? ` — ${tr(req, `ho_outcome_${h.outcome}`)}` : ""}</dd>
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
        <dt>${tr(req, "ho_reason")}</dt><dd><small>${h.matchReason}</small></dd>
      </dl>
      <div class="actions">
        ${h.status === "new" ? post("accept", tr(req, "ho_accept")) : ""}
        ${h.status === "accepted" ? post("status", tr(req, "ho_mark_contact"), html`<input type="hidden" name="status" value="in_contact">`) : ""}
        ${h.status !== "closed"
          ? post("close", tr(req, "ho_close"), html`<label for="outcome">${tr(req, "ho_outcome")}</label><select id="outcome" name="outcome">${HANDOFF_OUTCOMES.map((o) => html`<option value="${o}">${tr(req, `ho_outcome_${o}`)}</option>`)}</select>`, "danger")
          : ""}
      </div>
      ${h.mode === "chat"
        ? html`<section aria-labelledby="chat-h"><h2 id="chat-h">${tr(req, "ho_chat")}</h2>
          ${messages.length ? html`<ol class="chat">${messages}</ol>` : html`<p>${tr(req, "ho_chat_empty")}</p>`}
          ${h.status !== "closed" ? post("message", tr(req, "ho_send"), html`<label for="text">${tr(req, "ho_message_label", { code: codeName(h.resident.pseudonym) })}</label><textarea id="text" name="text" rows="4" maxlength="2000" required></textarea><p><small>${tr(req, "ho_message_help", { name: h.professional.name })}</small></p>`) : ""}
          <p><a href="/admin/handoffs/${h.id}">${tr(req, "ho_refresh")}</a></p></section>`
        : ""}
      <p><a href="/admin/handoffs">${tr(req, "ho_back")}</a></p>`;
    send(res, page(req, tr(req, "ho_case", { code: codeName(h.resident.pseudonym) }), body));
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
    res.redirect(303, `/admin/handoffs/${h.id}?notice=status`);
  });

  router.post("/admin/handoffs/:id/message", form, checkCsrf, pro, async (req, res) => {
    const h = await mine(req, res);
    if (!h) return;
    const text = z.string().trim().min(1).max(2000).safeParse(req.body?.text);
    if (!text.success) return res.redirect(303, `/admin/handoffs/${h.id}?notice=refused`);
    const result = await handoffs.sendToResident(h.id, req.staff!.userId, text.data);
    res.redirect(303, `/admin/handoffs/${h.id}?notice=${result === "queued" ? "sent" : result === "held" ? "held" : result === "quiet" ? "quiet" : "refused"}`);
  });

  return router;
}
