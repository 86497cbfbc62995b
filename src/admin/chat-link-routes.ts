import express, { type Router } from "express";
import { ChatLinks } from "../activities/chat-link.js";
import type { PrismaClient } from "../generated/prisma/client.js";
import type { PanelKit } from "./panel-kit.js";
import { chatLinkPage } from "./pages/chat-link-page.js";

/**
 * Linking a staff member's own chat account: the panel shows a one-time code, the person types
 * "koppel CODE" to Naast on Telegram or WhatsApp. A key figure can then send in activities by chat.
 */
export function chatLinkRoutes(opts: { prisma: PrismaClient; kit: PanelKit; clock: () => Date }): Router {
  const { prisma, kit, clock } = opts;
  const { lang, tr, textFor, page, send, checkCsrf, requireRole, savedText } = kit;
  const router = express.Router();
  const form = express.urlencoded({ extended: false, limit: "4kb" });
  const anyone = requireRole("admin", "coordinator", "professional", "keyfigure");
  const links = new ChatLinks();

  async function show(req: express.Request, res: express.Response, code?: { code: string; expiresAt: Date }) {
    const user = await prisma.staffUser.findUnique({ where: { id: req.staff!.userId }, select: { chatPseudonym: true, role: true } });
    const view = { language: lang(req), csrf: req.csrf ?? "", saved: savedText(req), keyFigure: user?.role === "keyfigure", linked: Boolean(user?.chatPseudonym), code };
    send(res, page(req, tr(req, "chat_link_title"), chatLinkPage(view, textFor(req))));
  }

  router.get("/admin/chat-link", anyone, (req, res) => show(req, res));
  router.post("/admin/chat-link", form, checkCsrf, anyone, async (req, res) => {
    const code = await links.createCode(prisma, req.staff!.userId, clock());
    await show(req, res, code);
  });
  router.post("/admin/chat-link/unlink", form, checkCsrf, anyone, async (req, res) => {
    await links.unlink(prisma, req.staff!.userId);
    res.redirect(303, "/admin/chat-link?saved=chat-unlinked");
  });
  return router;
}
