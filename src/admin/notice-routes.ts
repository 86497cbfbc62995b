import express, { type Request, type Router } from "express";
import { formatWhen } from "../activities/local-time.js";
import { html, type SafeHtml } from "./html.js";
import type { PanelKit } from "./panel-kit.js";
import type { NoticeView, StaffNotices } from "./staff-notices.js";

/** One notice as a list item: its text, when, and a link to what it is about. Unread ones are marked. */
export function noticeItem(kit: PanelKit, notices: StaffNotices, req: Request, n: NoticeView): SafeHtml {
  const lang = kit.lang(req);
  return html`<li class="notice-item${n.read ? "" : " unread"}" data-kind="${n.kind}">${n.read ? "" : html`<strong class="badge">${kit.tr(req, "notice_new")}</strong> `}${notices.text(lang, n)}
    <br><small>${formatWhen(n.createdAt, null, lang)}</small>${n.link ? html` · <a href="${n.link}">${kit.tr(req, "notice_open")}</a>` : ""}</li>`;
}

/**
 * *Meldingen*: everything Naast told this person (overdue requests, answers from residents, activities
 * approved, rejected or sent), newest first. Opening the page marks them read.
 */
export function noticeRoutes(opts: { kit: PanelKit; notices: StaffNotices }): Router {
  const { kit, notices } = opts;
  const { tr, page, send, requireRole, saved } = kit;
  const router = express.Router();

  router.get("/admin/notices", requireRole("admin", "coordinator", "professional", "keyfigure"), async (req, res) => {
    const s = req.staff!;
    const list = await notices.list(s.userId, 100);
    const body = html`${saved(req)}<p>${tr(req, notices.emailOn ? "notices_intro_email" : "notices_intro")}</p>
      ${list.length === 0 ? html`<p>${tr(req, "notices_none")}</p>` : html`<ul class="notices">${list.map((n) => noticeItem(kit, notices, req, n))}</ul>`}`;
    send(res, page(req, tr(req, "nav_notices"), body));
    // Shown, so read: the count in the navigation goes down from the next page on.
    await notices.markAllRead(s.userId);
  });

  return router;
}
