import express, { type Router } from "express";
import { ChatLinks, CHAT_CODE_TTL_MS } from "../activities/chat-link.js";
import { formatWhen } from "../activities/local-time.js";
import type { PrismaClient } from "../generated/prisma/client.js";
import { html } from "./html.js";
import type { PanelKit } from "./panel-kit.js";

/**
 * Linking a staff member's own chat account: the panel shows a one-time code, the person types
 * "koppel CODE" to Naast on Telegram or WhatsApp. A key figure can then send in activities by chat.
 */
export function chatLinkRoutes(opts: { prisma: PrismaClient; kit: PanelKit; clock: () => Date }): Router {
  const { prisma, kit, clock } = opts;
  const { tr, page, send, csrfField, checkCsrf, requireRole, saved } = kit;
  const router = express.Router();
  const form = express.urlencoded({ extended: false, limit: "4kb" });
  const anyone = requireRole("admin", "coordinator", "professional", "keyfigure");
  const links = new ChatLinks();

  async function show(req: express.Request, res: express.Response, code?: { code: string; expiresAt: Date }) {
    const user = await prisma.staffUser.findUnique({ where: { id: req.staff!.userId }, select: { chatPseudonym: true, role: true } });
    const linked = Boolean(user?.chatPseudonym);
    const lang = kit.lang(req);
    const body = html`${saved(req)}<p>${tr(req, user?.role === "keyfigure" ? "chat_link_intro_keyfigure" : "chat_link_intro")}</p>
      <p role="status" class="notice" id="link-state">${tr(req, linked ? "chat_link_linked" : "chat_link_not_linked")}</p>
      ${code
        ? html`<section aria-labelledby="code-h" class="code-box"><h2 id="code-h">${tr(req, "chat_link_code_title")}</h2>
            <p class="big"><code id="link-code">koppel ${code.code}</code></p>
            <p>${tr(req, "chat_link_code_help", { minutes: String(CHAT_CODE_TTL_MS / 60_000), until: formatWhen(code.expiresAt, null, lang) })}</p></section>`
        : ""}
      <form method="post" action="/admin/chat-link">${csrfField(req)}<button type="submit">${tr(req, linked ? "chat_link_relink" : "chat_link_make")}</button></form>
      ${linked ? html`<form method="post" action="/admin/chat-link/unlink" class="danger">${csrfField(req)}<button type="submit">${tr(req, "chat_link_unlink")}</button></form>` : ""}`;
    send(res, page(req, tr(req, "chat_link_title"), body));
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
