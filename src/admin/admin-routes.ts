import { randomBytes } from "node:crypto";
import express, { type Request, type Router } from "express";
import { z } from "zod";
import type { PrismaClient } from "../generated/prisma/client.js";
import type { Translator } from "../i18n/translator.js";
import type { Logger } from "../logger.js";
import { activityRoutes } from "./activity-routes.js";
import { broadcastRoutes } from "./broadcast-routes.js";
import { chatLinkRoutes } from "./chat-link-routes.js";
import { directoryRoutes } from "./directory-routes.js";
import { handoffRoutes } from "./handoff-routes.js";
import { professionalRoutes } from "./professional-routes.js";
import type { HandoffService } from "../handoffs/handoff-service.js";
import type { Cipher } from "../crypto/cipher.js";
import type { Content } from "../content/content.js";
import type { DirectoryOverrides } from "../content/directory-overrides.js";
import type { BroadcastService } from "../broadcasts/broadcast-service.js";
import type { SafeHtml } from "./html.js";
import { otpauthUri } from "./totp.js";
import { AuthError, roleSchema, type StaffAuth } from "./staff-auth.js";
import { MIN_PASSWORD_LENGTH } from "./password.js";
import { auditRoutes } from "./audit-routes.js";
import type { StaffNotifier } from "./staff-notifier.js";
import type { StaffNotices } from "./staff-notices.js";
import type { ActivityReports } from "../activities/activity-reports.js";
import { coordinationRoutes } from "./coordination-routes.js";
import { homeRoutes } from "./home-routes.js";
import { insightsRoutes } from "./insights-routes.js";
import type { InsightCounters } from "../insights/insight-counters.js";
import type { InsightReader } from "../insights/insight-reader.js";
import { noticeRoutes } from "./notice-routes.js";
import { totpQrSvg } from "./totp-qr.js";
import { firstAdminSchema } from "./staff-auth.js";
import { CSRF_COOKIE, DEVICE_COOKIE, LANG_COOKIE, PANEL_LANGUAGES, SESSION_COOKIE, cookieOptions, cookies, panelKit, type PanelLanguage } from "./panel-kit.js";
import { KNOWN_DEVICE_MS } from "./login-throttle.js";
import { DEFAULT_LANGUAGE } from "../content/vocabulary.js";
import { peoplePage, type PeopleNotice } from "./pages/people-page.js";
import { loginPage } from "./pages/login-page.js";
import { loginCodePage } from "./pages/login-code-page.js";
import { totpSetupPage } from "./pages/totp-setup-page.js";
import { inviteInvalidPage, invitePage, inviteTitle, type InviteInvalidView } from "./pages/invite-page.js";
import { ORG_KINDS, organisationsPage } from "./pages/organisations-page.js";

export { ORG_KINDS };

/**
 * The panel at /admin: server-rendered, mobile-first, in Dutch and English. Every route checks the
 * signed-in user's role; every form carries a CSRF token (double-submit cookie, SameSite=Strict);
 * admins and professionals must use a second factor (TOTP).
 */
export function adminRoutes(opts: {
  auth: StaffAuth;
  prisma: PrismaClient;
  t: Translator;
  log: Logger;
  production: boolean;
  /** Now, for checks such as "an activity cannot start in the past"; defaults to the system clock. */
  clock?: () => Date;
  broadcasts: BroadcastService;
  content: Content;
  directory: DirectoryOverrides;
  handoffs: HandoffService;
  cipher: Cipher;
  /** Base of every link the panel shows (PUBLIC_URL), never taken from the request. */
  linkBase: string;
  /** Tells staff on their linked chat about changes to their own account. */
  notifier: StaffNotifier;
  /** Staff notices (panel, chat, e-mail): the start page, *Meldingen* and the navigation's count. */
  notices: StaffNotices;
  /** Tells key figures when their activity is approved, rejected or sent. */
  reports: ActivityReports;
  /** The insights' counters (activities published) and reports; the Insights page needs the reader. */
  insights?: { counters: InsightCounters; reader: InsightReader };
}): Router {
  const { auth, prisma, t } = opts;
  const kit = panelKit({ t });
  const { tr, textFor, checkCsrf, requireRole, page, send, savedText } = kit;
  const router = express.Router();
  const form = express.urlencoded({ extended: false, limit: "64kb" });

  const freshCsrf = (req: Request, res: express.Response) => {
    const csrf = randomBytes(24).toString("base64url");
    res.cookie(CSRF_COOKIE, csrf, cookieOptions(req, opts.production));
    return csrf;
  };

  // Language, identity and CSRF token for every panel request. Signed in, the token is the session's own.
  router.use("/admin", async (req, res, next) => {
    const c = cookies(req);
    const fromQuery = typeof req.query.lang === "string" ? req.query.lang : undefined;
    const chosen = [fromQuery, c.get(LANG_COOKIE), req.acceptsLanguages(...PANEL_LANGUAGES) || undefined].find(
      (l): l is PanelLanguage => l !== undefined && (PANEL_LANGUAGES as readonly string[]).includes(l),
    );
    req.panelLanguage = chosen ?? DEFAULT_LANGUAGE;
    if (fromQuery && chosen === fromQuery) res.cookie(LANG_COOKIE, chosen, { ...cookieOptions(req, opts.production), httpOnly: false, maxAge: 365 * 86_400_000 });
    req.staff = await auth.identify(c.get(SESSION_COOKIE));
    if (req.staff?.complete && !req.staff.needsTotpSetup && !req.path.startsWith("/assets/")) {
      // The navigation's counts: unread notices, and unread resident messages for a professional.
      const s = req.staff;
      const [noticeCount, pro] = await Promise.all([opts.notices.unreadCount(s.userId), s.role === "professional" ? prisma.professional.findUnique({ where: { staffUserId: s.userId }, select: { id: true } }) : null]);
      const unread = pro ? await opts.handoffs.unread(pro.id) : new Map<string, number>();
      req.badges = { notices: noticeCount, messages: [...unread.values()].reduce((a, b) => a + b, 0) };
    }
    const cookieCsrf = c.get(CSRF_COOKIE);
    if (req.staff) {
      req.csrf = req.staff.csrfToken;
      if (cookieCsrf !== req.csrf) res.cookie(CSRF_COOKIE, req.csrf, cookieOptions(req, opts.production));
    } else {
      req.csrf = cookieCsrf && /^[A-Za-z0-9_-]{32}$/.test(cookieCsrf) ? cookieCsrf : freshCsrf(req, res);
    }
    res.set("cache-control", "no-store");
    next();
  });

  const clock = opts.clock ?? (() => new Date());
  if (opts.insights) router.use(insightsRoutes({ kit, reader: opts.insights.reader, audit: auth.audit, clock }));
  router.use(homeRoutes({ prisma, kit, notices: opts.notices, handoffs: opts.handoffs, clock }));
  router.use(activityRoutes({ prisma, kit, clock, broadcasts: opts.broadcasts, reports: opts.reports, log: opts.log, ...(opts.insights ? { insights: opts.insights.counters } : {}) }));
  router.use(broadcastRoutes({ prisma, kit, broadcasts: opts.broadcasts, clock, audit: auth.audit }));
  router.use(chatLinkRoutes({ prisma, kit, clock }));
  router.use(directoryRoutes({ kit, content: opts.content, overrides: opts.directory }));
  router.use(handoffRoutes({ prisma, kit, handoffs: opts.handoffs, cipher: opts.cipher, audit: auth.audit, clock }));
  router.use(coordinationRoutes({ prisma, kit, handoffs: opts.handoffs, audit: auth.audit, clock }));
  router.use(noticeRoutes({ kit, notices: opts.notices }));
  router.use(professionalRoutes({ prisma, kit, handoffs: opts.handoffs, audit: auth.audit }));
  router.use(auditRoutes({ kit, audit: auth.audit }));

  router.use("/admin/assets", express.static(new URL("./public", import.meta.url).pathname, { maxAge: "1h", index: false }));

  router.get("/admin/login", (req, res) => {
    if (req.staff?.complete) return res.redirect(303, "/admin");
    send(res, showLogin(req));
  });

  const showLogin = (req: Request, error?: string) => page(req, tr(req, "login_title"), loginPage({ csrf: req.csrf ?? "", error }, textFor(req)));

  router.post("/admin/login", form, checkCsrf, async (req, res) => {
    const body = z.object({ email: z.string().max(200), password: z.string().max(500) }).safeParse(req.body);
    if (!body.success) return send(res, showLogin(req, tr(req, "login_failed")), 400);
    try {
      const session = await auth.login(body.data.email, body.data.password, req.ip ?? "unknown", cookies(req).get(DEVICE_COOKIE));
      res.cookie(SESSION_COOKIE, session.sessionId, cookieOptions(req, opts.production));
      res.cookie(CSRF_COOKIE, session.csrfToken, cookieOptions(req, opts.production));
      const who = await auth.identify(session.sessionId);
      if (who?.complete && !who.needsTotpSetup) rememberDevice(req, res, who.userId);
      res.redirect(303, "/admin");
    } catch (err) {
      if (!(err instanceof AuthError)) throw err;
      if (err.code === "throttled") {
        res.set("retry-after", String(Math.ceil(err.retryAfterMs / 1000)));
        return send(res, showLogin(req, tr(req, "login_throttled", { seconds: String(Math.ceil(err.retryAfterMs / 1000)) })), 429);
      }
      send(res, showLogin(req, tr(req, "login_failed")), 401);
    }
  });

  const showCode = (req: Request, error?: string) => page(req, tr(req, "code_title"), loginCodePage({ csrf: req.csrf ?? "", error }, textFor(req)));

  router.get("/admin/login/code", (req, res) => {
    if (!req.staff) return res.redirect(303, "/admin/login");
    send(res, showCode(req));
  });

  router.post("/admin/login/code", form, checkCsrf, async (req, res) => {
    if (!req.staff) return res.redirect(303, "/admin/login");
    try {
      await auth.verifySecondFactor(req.staff.sessionId, String(req.body?.code ?? ""));
      rememberDevice(req, res, req.staff.userId);
      res.redirect(303, "/admin");
    } catch (err) {
      if (!(err instanceof AuthError)) throw err;
      send(res, showCode(req, err.code === "throttled" ? tr(req, "login_throttled", { seconds: String(Math.ceil(err.retryAfterMs / 1000)) }) : tr(req, "code_failed")), err.code === "throttled" ? 429 : 401);
    }
  });

  /** A browser that completed a sign-in is "known" for this account, so a guessing attack elsewhere does not lock it out. */
  function rememberDevice(req: Request, res: express.Response, userId: string): void {
    res.cookie(DEVICE_COOKIE, auth.throttle.deviceToken(userId), { ...cookieOptions(req, opts.production), maxAge: KNOWN_DEVICE_MS });
  }

  /**
   * Set-up is for accounts that have no working second factor: admins and professionals before their
   * first use (or after an admin's reset), and key figures who choose it (needed to broadcast). Never
   * for an account that has one, whatever the session: replacing it takes an admin's reset.
   */
  const maySetUp = (s: NonNullable<Request["staff"]>) => s.needsTotpSetup || (s.complete && !s.strong);

  router.get("/admin/2fa/setup", async (req, res) => {
    const s = req.staff;
    if (!s) return res.redirect(303, "/admin/login");
    if (!maySetUp(s)) return res.redirect(303, "/admin");
    try {
      send(res, await showSetup(req, await auth.beginTotpSetup(s.userId)));
    } catch (err) {
      if (err instanceof AuthError) return res.redirect(303, "/admin");
      throw err;
    }
  });

  const showSetup = async (req: Request, secret: string, error?: string) => {
    const reset = req.staff ? await auth.resetNotice(req.staff.userId) : undefined;
    const uri = otpauthUri(secret, req.staff?.email ?? "");
    const view = { language: kit.lang(req), csrf: req.csrf ?? "", error, reset, secret, otpauthUri: uri, qrImage: await totpQrSvg(uri) };
    return page(req, tr(req, "setup_title"), totpSetupPage(view, textFor(req)));
  };

  router.post("/admin/2fa/setup", form, checkCsrf, async (req, res) => {
    const s = req.staff;
    if (!s) return res.redirect(303, "/admin/login");
    if (!maySetUp(s)) return res.redirect(303, s.complete ? "/admin" : "/admin/login/code");
    try {
      await auth.confirmTotpSetup(s.sessionId, s.userId, String(req.body?.code ?? ""));
      rememberDevice(req, res, s.userId);
      res.redirect(303, "/admin?saved=two-factor");
    } catch (err) {
      if (!(err instanceof AuthError)) throw err;
      if (err.code === "not-allowed") return res.redirect(303, "/admin");
      // The same secret again: it is the one the app was given. Too many wrong codes wait.
      const throttled = err.code === "throttled";
      if (throttled) res.set("retry-after", String(Math.ceil(err.retryAfterMs / 1000)));
      const message = throttled ? tr(req, "login_throttled", { seconds: String(Math.ceil(err.retryAfterMs / 1000)) }) : tr(req, "code_failed");
      send(res, await showSetup(req, await auth.beginTotpSetup(s.userId), message), throttled ? 429 : 401);
    }
  });

  router.post("/admin/logout", form, checkCsrf, async (req, res) => {
    if (req.staff) await auth.logout(req.staff.sessionId);
    res.clearCookie(SESSION_COOKIE, { path: "/admin" });
    freshCsrf(req, res);
    res.redirect(303, "/admin/login");
  });

  /** The invitation form: the invitation, what went wrong on the last try and what was typed (kept, except the password). */
  const showInvite = (req: Request, { token, invite, error, typed = {} }: { token: string; invite: { email: string; firstAdmin: boolean }; error?: string; typed?: { displayName?: string; email?: string } }) => {
    const view = { csrf: req.csrf ?? "", token, invite, error, typed };
    return page(req, inviteTitle(view, textFor(req)), invitePage(view, textFor(req)));
  };
  const showInviteInvalid = (req: Request, reason: InviteInvalidView["reason"]) => page(req, tr(req, "invite_title"), inviteInvalidPage({ reason }, textFor(req)));

  router.get("/admin/invite/:token", async (req, res) => {
    const invite = await auth.findInvite(String(req.params.token ?? ""));
    if (!invite) return send(res, showInviteInvalid(req, "invalid"), 410);
    send(res, showInvite(req, { token: String(req.params.token ?? ""), invite }));
  });

  router.post("/admin/invite/:token", form, checkCsrf, async (req, res) => {
    const token = String(req.params.token ?? "");
    const who = firstAdminSchema.safeParse(req.body);
    const typed = { displayName: typeof req.body?.displayName === "string" ? String(req.body.displayName) : "", email: typeof req.body?.email === "string" ? String(req.body.email) : "" };
    try {
      const session = await auth.acceptInvite(token, String(req.body?.password ?? ""), who.success ? who.data : undefined);
      res.cookie(SESSION_COOKIE, session.sessionId, cookieOptions(req, opts.production));
      res.cookie(CSRF_COOKIE, session.csrfToken, cookieOptions(req, opts.production));
      res.redirect(303, "/admin?saved=welcome");
    } catch (err) {
      if (!(err instanceof AuthError)) throw err;
      const invite = await auth.findInvite(token);
      if (!invite) return send(res, showInviteInvalid(req, err.code === "admin-exists" ? "first-admin-taken" : "invalid"), 410);
      const problem =
        err.code === "weak-password" ? tr(req, "weak_password", { min: String(MIN_PASSWORD_LENGTH) }) : err.code === "account-exists" ? tr(req, "invite_exists", { email: typed.email }) : tr(req, "first_admin_fill_in");
      send(res, showInvite(req, { token, invite, error: problem, typed }), 400);
    }
  });

  router.get("/admin/people", requireRole("admin"), async (req, res) => {
    send(res, await showPeople(req, req.query.notice === "reset" ? { kind: "reset" } : undefined));
  });

  /** The people page with a notice at the top or, after a refused form, why (`error`). */
  async function showPeople(req: Request, notice?: PeopleNotice, error?: string): Promise<SafeHtml> {
    const [people, orgs, invites] = await Promise.all([
      prisma.staffUser.findMany({ orderBy: { displayName: "asc" }, include: { organisation: true } }),
      prisma.organisation.findMany({ orderBy: { name: "asc" } }),
      prisma.staffInvite.findMany({ where: { usedAt: null, expiresAt: { gt: (opts.clock ?? (() => new Date()))() } }, orderBy: { createdAt: "desc" }, include: { organisation: true } }),
    ]);
    const view = {
      csrf: req.csrf ?? "",
      saved: savedText(req),
      notice,
      error,
      people: people.map((p) => ({
        id: p.id,
        displayName: p.displayName,
        email: p.email,
        role: p.role,
        organisationId: p.organisationId,
        organisation: p.organisation?.name ?? null,
        twoFactor: p.totpEnabledAt !== null,
        self: p.id === req.staff!.userId,
      })),
      invites: invites.map((i) => ({ id: i.id, displayName: i.displayName, email: i.email, role: i.role, organisation: i.organisation?.name ?? null, expiresAt: i.expiresAt })),
      organisations: orgs.map((o) => ({ id: o.id, name: o.name })),
    };
    return page(req, tr(req, "nav_people"), peoplePage(view, textFor(req)));
  }

  router.post("/admin/people/invite", form, checkCsrf, requireRole("admin"), async (req, res) => {
    const body = z
      .object({ displayName: z.string().trim().min(1).max(80), email: z.email().max(200), role: roleSchema, organisationId: z.union([z.uuid(), z.literal("")]) })
      .safeParse(req.body);
    if (!body.success) return send(res, await showPeople(req, undefined, tr(req, "invite_form_invalid")), 400);
    const { role, organisationId } = body.data;
    if (role === "keyfigure" && !organisationId) return send(res, await showPeople(req, undefined, tr(req, "keyfigure_needs_org")), 400);
    let token: string;
    try {
      token = await auth.invite({ ...body.data, organisationId: organisationId || null, createdById: req.staff!.userId });
    } catch (err) {
      if (err instanceof AuthError && err.code === "account-exists") return send(res, await showPeople(req, undefined, tr(req, "invite_exists", { email: body.data.email })), 409);
      throw err;
    }
    await auth.audit.record(actor(req), "invite", { type: "staff_user" }, `invited ${body.data.email.trim().toLowerCase()} as ${role}`);
    const link = `${opts.linkBase}/admin/invite/${token}`;
    send(res, await showPeople(req, { kind: "invited", email: body.data.email, link }));
  });

  const actor = (req: Request) => ({ userId: req.staff!.userId, displayName: req.staff!.displayName, email: req.staff!.email });

  router.post("/admin/people/:id/reset-2fa", form, checkCsrf, requireRole("admin"), async (req, res) => {
    const id = z.uuid().safeParse(req.params.id);
    if (!id.success || id.data === req.staff!.userId) return send(res, await showPeople(req, undefined, tr(req, "reset_2fa_self")), 400);
    try {
      await auth.resetSecondFactor(id.data, actor(req));
    } catch (err) {
      if (err instanceof AuthError) return send(res, await showPeople(req, undefined, tr(req, "reset_2fa_self")), 400);
      throw err;
    }
    // Also told on their own linked chat, if any, so a reset they did not ask for does not go unnoticed.
    await opts.notifier
      .tell(id.data, `staff-2fa-reset-${id.data}-${Date.now()}`, "reset_2fa_chat_notice", { by: req.staff!.displayName, link: `${opts.linkBase}/admin/login` })
      .catch((err: unknown) => opts.log.warn({ err }, "could not tell the user about the 2FA reset"));
    res.redirect(303, "/admin/people?notice=reset");
  });

  router.post("/admin/people/:id/role", form, checkCsrf, requireRole("admin"), async (req, res) => {
    const id = z.uuid().safeParse(req.params.id);
    const body = z.object({ role: roleSchema, organisationId: z.union([z.uuid(), z.literal("")]) }).safeParse(req.body);
    if (!id.success || !body.success || id.data === req.staff!.userId) return send(res, await showPeople(req, undefined, tr(req, "invite_form_invalid")), 400);
    if (body.data.role === "keyfigure" && !body.data.organisationId) return send(res, await showPeople(req, undefined, tr(req, "keyfigure_needs_org")), 400);
    try {
      await auth.changeRole(id.data, body.data.role, body.data.organisationId || null, actor(req));
    } catch (err) {
      if (err instanceof AuthError) return send(res, await showPeople(req, undefined, tr(req, "invite_form_invalid")), 400);
      throw err;
    }
    res.redirect(303, "/admin/people?saved=role");
  });

  // An invitation not used yet can be withdrawn: its link stops working at once.
  router.post("/admin/people/invites/:id/revoke", form, checkCsrf, requireRole("admin"), async (req, res) => {
    const id = z.uuid().safeParse(req.params.id);
    if (id.success) await prisma.staffInvite.updateMany({ where: { id: id.data, usedAt: null }, data: { expiresAt: new Date(0) } });
    res.redirect(303, "/admin/people?saved=invite-revoked");
  });

  router.get("/admin/organisations", requireRole("admin"), async (req, res) => {
    send(res, await showOrganisations(req));
  });

  /** The organisations page or, after a refused form, with why (`error`). */
  async function showOrganisations(req: Request, error?: string): Promise<SafeHtml> {
    const orgs = await prisma.organisation.findMany({ orderBy: { name: "asc" } });
    const view = { csrf: req.csrf ?? "", saved: savedText(req), error, organisations: orgs.map((o) => ({ id: o.id, name: o.name, kind: o.kind, demo: o.demo, requiresApproval: o.requiresApproval })) };
    return page(req, tr(req, "nav_organisations"), organisationsPage(view, textFor(req)));
  }

  router.post("/admin/organisations", form, checkCsrf, requireRole("admin"), async (req, res) => {
    const body = z.object({ name: z.string().trim().min(1).max(120), kind: z.enum(ORG_KINDS) }).safeParse(req.body);
    if (!body.success) return send(res, await showOrganisations(req, tr(req, "organisation_invalid")), 400);
    const exists = await prisma.organisation.findUnique({ where: { name: body.data.name } });
    if (exists) return send(res, await showOrganisations(req, tr(req, "organisation_exists")), 409);
    await prisma.organisation.create({ data: body.data });
    res.redirect(303, "/admin/organisations?saved=organisation");
  });

  router.post("/admin/organisations/:id/approval", form, checkCsrf, requireRole("admin"), async (req, res) => {
    const body = z.object({ requiresApproval: z.enum(["true", "false"]) }).safeParse(req.body);
    const id = z.uuid().safeParse(req.params.id);
    if (!body.success || !id.success) return send(res, await showOrganisations(req, tr(req, "organisation_invalid")), 400);
    await prisma.organisation.updateMany({ where: { id: id.data }, data: { requiresApproval: body.data.requiresApproval === "true" } });
    res.redirect(303, "/admin/organisations?saved=approval");
  });

  return router;
}
