import { timingSafeEqual } from "node:crypto";
import { parse as parseCookie } from "cookie";
import type { NextFunction, Request, Response } from "express";
import { z } from "zod";
import type { Translator } from "../i18n/translator.js";
import { html, type SafeHtml } from "./html.js";
import { csrfField as csrfInput, savedNotice, type PanelText } from "./pages/page-parts.js";
import { panelErrorPage, panelErrorTitle, type PanelError } from "./pages/panel-error-page.js";
import type { Role, StaffIdentity } from "./staff-auth.js";
import { DEFAULT_LANGUAGE } from "../content/vocabulary.js";

/** Cookie holding the panel session token (the table keeps only its hash). */
export const SESSION_COOKIE = "naast_admin";
/**
 * Cookie holding this browser's CSRF token. Before sign-in it is a random double-submit token; once signed
 * in, forms must carry the session's own token (`staff_session.csrf_token`), which this cookie then mirrors.
 */
export const CSRF_COOKIE = "naast_csrf";
/** Cookie marking a browser that completed a sign-in for an account (signed; see LoginThrottle). */
export const DEVICE_COOKIE = "naast_device";
/** Cookie remembering a language chosen with `?lang=`. */
export const LANG_COOKIE = "naast_lang";
/** Languages the panel itself speaks. */
export const PANEL_LANGUAGES = ["nl", "en"] as const;
export type PanelLanguage = (typeof PANEL_LANGUAGES)[number];

/** Counts the navigation shows next to its links: unread notices, unread resident messages (professionals). */
export type NavBadges = { notices: number; messages: number };

declare module "express-serve-static-core" {
  interface Request {
    staff?: StaffIdentity;
    csrf?: string;
    panelLanguage?: PanelLanguage;
    badges?: NavBadges;
  }
}

/**
 * Confirmations shown after a redirect (`?saved=<word>`): every form that changes something says so.
 * Fixed words, so the text is always the panel's own (`saved_<word>`).
 */
export const SAVED_NOTICES = [
  "professional",
  "organisation",
  "approval",
  "role",
  "invite-revoked",
  "directory",
  "chat-unlinked",
  "reassigned",
  "two-factor",
  "welcome",
  "notices-read",
  "population",
] as const;
const savedSchema = z.enum(SAVED_NOTICES);

/**
 * The request's cookies, by the `cookie` package: a malformed value (`%ZZ`) stays as it was instead of
 * throwing, and the result is a Map, so a cookie named `__proto__` is just a name.
 */
export function cookies(req: Request): Map<string, string> {
  const out = new Map<string, string>();
  const header = req.get("cookie");
  if (!header) return out;
  for (const [k, v] of Object.entries(parseCookie(header))) if (typeof v === "string") out.set(k, v);
  return out;
}

/** Options for every panel cookie: HttpOnly, SameSite=Strict, Secure in production, path /admin. */
export function cookieOptions(req: Request, production: boolean) {
  return { httpOnly: true, sameSite: "strict" as const, secure: production || req.secure, path: "/admin" };
}

/** The helpers every panel page uses; see {@link panelKit}. */
export type PanelKit = ReturnType<typeof panelKit>;

/**
 * Shared building blocks of the panel's routers: panel texts (`tr`), the CSRF check and hidden field,
 * the role gate, the page layout and sending HTML. One instance per app, so every router renders the
 * same navigation and refuses the same way.
 */
export function panelKit(opts: { t: Translator }) {
  const { t } = opts;

  /** The request's panel language: the one chosen or asked for, else the default. */
  const lang = (req: Request): PanelLanguage => req.panelLanguage ?? DEFAULT_LANGUAGE;

  /** A panel text (`locales/{nl,en}/admin.json`) in the request's panel language. */
  const tr = (req: Request, key: string, params?: Record<string, string>) => t.t(lang(req), `admin:${key}`, params);

  const csrfField = (req: Request) => csrfInput(req.csrf ?? "");

  /** The request's panel texts as a page function takes them. */
  const textFor = (req: Request): PanelText => (key, params) => tr(req, key, params);

  /** The whole HTML page around `body`: skip link, navigation for the user's role, language switch, log-out. */
  function page(req: Request, title: string, body: SafeHtml): SafeHtml {
    const language = lang(req);
    const other = language === "nl" ? "en" : "nl";
    const s = req.staff;
    const badge = (n: number | undefined, key: string) =>
      n ? html` <span class="badge" data-badge="${key}"><span aria-hidden="true">${String(n)}</span><span class="visually-hidden">${tr(req, `badge_${key}`, { count: String(n) })}</span></span>` : "";
    const nav =
      s?.complete && !s.needsTotpSetup
        ? html`<nav aria-label="${tr(req, "nav_label")}"><ul>
            ${s.role === "wijkregie" ? "" : html`<li><a href="/admin">${tr(req, "nav_home")}</a></li>`}
            ${s.role === "admin" || s.role === "keyfigure" ? html`<li><a href="/admin/activities">${tr(req, "nav_activities")}</a></li>` : ""}
            ${s.role === "professional" || s.role === "admin" ? html`<li><a href="/admin/handoffs">${tr(req, "nav_handoffs")}</a>${s.role === "professional" ? badge(req.badges?.messages, "messages") : ""}</li>` : ""}
            ${s.role === "coordinator" || s.role === "admin" ? html`<li><a href="/admin/coordination">${tr(req, "nav_coordination")}</a></li>` : ""}
            ${s.role === "admin" ? html`<li><a href="/admin/professionals">${tr(req, "nav_professionals")}</a></li>` : ""}
            ${s.role === "admin" || s.role === "wijkregie" ? html`<li><a href="/admin/insights">${tr(req, "nav_insights")}</a></li>` : ""}
            ${s.role === "wijkregie" ? "" : html`<li><a href="/admin/notices">${tr(req, "nav_notices")}</a>${badge(req.badges?.notices, "notices")}</li>
            <li><a href="/admin/chat-link">${tr(req, "nav_chat_link")}</a></li>`}
            ${s.role === "admin" ? html`<li><a href="/admin/people">${tr(req, "nav_people")}</a></li><li><a href="/admin/organisations">${tr(req, "nav_organisations")}</a></li><li><a href="/admin/directory">${tr(req, "nav_directory")}</a></li><li><a href="/admin/audit">${tr(req, "nav_audit")}</a></li>` : ""}
          </ul></nav>`
        : "";
    const account = s
      ? html`<form method="post" action="/admin/logout" class="inline">${csrfField(req)}<button type="submit">${tr(req, "logout")}</button></form>`
      : "";
    return html`<!doctype html>
<html lang="${language}">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><meta name="robots" content="noindex">
<title>${title} · Naast</title><link rel="stylesheet" href="/admin/assets/admin.css"></head>
<body><a class="skip" href="#main">${tr(req, "skip")}</a>
<header><span class="brand">Naast</span>${nav}<span class="tools"><a href="?lang=${other}" hreflang="${other}" lang="${other}">${other === "nl" ? "Nederlands" : "English"}</a>${account}</span></header>
<main id="main"><h1>${title}</h1>${body}</main></body></html>`;
  }

  /** A refusal (CSRF, role, not found) as a whole panel page. */
  const errorPage = (req: Request, error: PanelError): SafeHtml => page(req, panelErrorTitle({ error }, textFor(req)), panelErrorPage({ error }, textFor(req)));

  const send = (res: Response, p: SafeHtml, status = 200) => res.status(status).type("html").send(p.value);

  /** Refuses a POST whose form token is not this session's (signed in) or this browser's (before sign-in). */
  const checkCsrf = (req: Request, res: Response, next: NextFunction) => {
    const body = z.object({ _csrf: z.string() }).safeParse(req.body);
    const given = body.success ? Buffer.from(body.data._csrf) : Buffer.alloc(0);
    const expected = Buffer.from(req.csrf ?? "");
    if (given.length !== expected.length || expected.length === 0 || !timingSafeEqual(given, expected)) {
      res.status(403);
      res.send(errorPage(req, "csrf-failed").value);
      return;
    }
    next();
  };

  /** Only signed-in users with one of these roles (and a completed second factor) get through. */
  const requireRole =
    (...roles: Role[]) =>
    (req: Request, res: Response, next: NextFunction) => {
      const s = req.staff;
      if (!s) {
        res.redirect(303, "/admin/login");
        return;
      }
      if (s.needsTotpSetup) {
        res.redirect(303, "/admin/2fa/setup");
        return;
      }
      if (!s.complete) {
        res.redirect(303, "/admin/login/code");
        return;
      }
      if (!roles.includes(s.role)) {
        forbidden(req, res);
        return;
      }
      next();
    };

  /** 403 with the panel's "not for your role" page. */
  const forbidden = (req: Request, res: Response) => {
    res.status(403).send(errorPage(req, "forbidden").value);
  };

  /** 404 as a panel page: used too for records outside the user's organisation, so they do not leak. */
  const notFound = (req: Request, res: Response) =>
    send(res, errorPage(req, "not-found"), 404);

  /** Activities this user may see: all (admin), their organisation's (key figure), or none (undefined). */
  const activityScope = (req: Request): { organisationId?: string } | undefined => {
    const s = req.staff;
    if (s?.role === "admin") return {};
    if (s?.role === "keyfigure" && s.organisationId) return { organisationId: s.organisationId };
    return undefined;
  };

  /** The "saved" confirmation's text for `?saved=<word>`; undefined without one. */
  const savedText = (req: Request): string | undefined => {
    const word = savedSchema.safeParse(req.query.saved);
    return word.success ? tr(req, `saved_${word.data}`) : undefined;
  };

  /** The "saved" confirmation for `?saved=<word>`, as a status message (empty without one). */
  const saved = (req: Request): SafeHtml | "" => savedNotice(savedText(req));

  return { lang, tr, textFor, csrfField, page, send, checkCsrf, requireRole, forbidden, notFound, activityScope, saved, savedText };
}
