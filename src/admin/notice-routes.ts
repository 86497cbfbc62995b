import express, { type Router } from "express";
import type { PanelKit } from "./panel-kit.js";
import type { NoticeView, StaffNotices } from "./staff-notices.js";
import { noticesPage, type NoticeItemView } from "./pages/notices-page.js";
import type { PanelLanguage } from "./panel-kit.js";

/** A stored notice as a page shows it, worded in the panel's language. */
export function noticeItemView(notices: StaffNotices, language: PanelLanguage, n: NoticeView): NoticeItemView {
  return { kind: n.kind, text: notices.text(language, n), createdAt: n.createdAt, link: n.link, read: n.read };
}

/**
 * *Meldingen*: everything Naast told this person (overdue requests, answers from residents, activities
 * approved, rejected or sent), newest first. Opening the page marks them read.
 */
export function noticeRoutes(opts: { kit: PanelKit; notices: StaffNotices }): Router {
  const { kit, notices } = opts;
  const { lang, tr, textFor, page, send, requireRole, savedText } = kit;
  const router = express.Router();

  router.get("/admin/notices", requireRole("admin", "coordinator", "professional", "keyfigure"), async (req, res) => {
    const s = req.staff!;
    const list = await notices.list(s.userId, 100);
    const view = { language: lang(req), saved: savedText(req), emailOn: notices.emailOn, notices: list.map((n) => noticeItemView(notices, lang(req), n)) };
    send(res, page(req, tr(req, "nav_notices"), noticesPage(view, textFor(req))));
    // Shown, so read: the count in the navigation goes down from the next page on.
    await notices.markAllRead(s.userId);
  });

  return router;
}
