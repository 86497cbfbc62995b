import express, { type Request, type Response, type Router } from "express";
import { z } from "zod";
import { HANDOFF_TOPICS, LANGUAGES, NEIGHBOURHOODS } from "../content/vocabulary.js";
import type { PrismaClient } from "../generated/prisma/client.js";
import { availabilitySchema } from "../handoffs/working-time.js";
import type { HandoffService } from "../handoffs/handoff-service.js";
import type { AuditLog } from "./audit-log.js";
import { html } from "./html.js";
import type { PanelKit } from "./panel-kit.js";
import { professionalListPage } from "./pages/professional-list-page.js";

const DAYS = [1, 2, 3, 4, 5, 6, 7] as const;

const list = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : typeof v === "string" ? [v] : []);
const time = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/);

/** The form's fields, checked: everything matching needs, and an introduction per language (Dutch required). */
const professionalFormSchema = z.object({
  name: z.string().trim().min(1).max(60),
  organisationId: z.uuid(),
  staffUserId: z.union([z.uuid(), z.literal("")]),
  backupId: z.union([z.uuid(), z.literal("")]),
  topics: z.array(z.enum(HANDOFF_TOPICS)).min(1),
  languages: z.array(z.enum(LANGUAGES)).min(1),
  neighbourhoods: z.array(z.enum(NEIGHBOURHOODS)).min(1),
  maxOpenCases: z.coerce.number().int().min(1).max(100),
  active: z.boolean(),
  availability: availabilitySchema.min(1),
  texts: z.array(z.object({ language: z.enum(LANGUAGES), intro: z.string().max(400), walkIn: z.string().max(300) })).refine((t) => t.some((x) => x.language === "nl" && x.intro.trim()), "nl intro"),
});

/**
 * The professionals residents can be introduced to, managed by an admin: who they are (no photo), the
 * topics, languages, neighbourhoods and weekly hours matching uses, their case limit, backup colleague
 * and panel account. Only professionals with an account are matched.
 */
export function professionalRoutes(opts: { prisma: PrismaClient; kit: PanelKit; handoffs: HandoffService; audit: AuditLog }): Router {
  const { prisma, kit, handoffs, audit } = opts;
  const actor = (req: Request) => ({ userId: req.staff!.userId, displayName: req.staff!.displayName, email: req.staff!.email });
  const { tr, textFor, page, send, csrfField, checkCsrf, requireRole, notFound, saved } = kit;
  const router = express.Router();
  const form = express.urlencoded({ extended: false, limit: "32kb" });
  const adminOnly = requireRole("admin");

  router.get("/admin/professionals", adminOnly, async (req, res) => {
    const pros = await prisma.professional.findMany({ include: { organisation: true, staffUser: true }, orderBy: { name: "asc" } });
    const rows = pros.map((p) => ({
      id: p.id,
      name: p.name,
      organisation: p.organisation.name,
      demo: p.organisation.demo,
      languages: p.languages,
      topics: p.topics,
      example: p.example,
      active: p.active,
      hasAccount: p.staffUser !== null,
    }));
    send(res, page(req, tr(req, "pro_title"), professionalListPage({ rows }, textFor(req))));
  });

  async function formPage(req: Request, res: Response, id: string | undefined, v: Record<string, unknown>, problems: string[] = [], status = 200) {
    const orgs = await prisma.organisation.findMany({ orderBy: { name: "asc" } });
    const open = id ? await handoffs.openCases(id) : 0;
    const takers = open > 0 ? await prisma.professional.findMany({ where: { id: { not: id }, active: true, staffUser: { is: { disabledAt: null } } }, orderBy: { name: "asc" } }) : [];
    const accounts = await prisma.staffUser.findMany({ where: { role: "professional", disabledAt: null, OR: [{ professional: null }, ...(id ? [{ professional: { id } }] : [])] }, orderBy: { displayName: "asc" } });
    const others = await prisma.professional.findMany({ where: id ? { NOT: { id } } : {}, orderBy: { name: "asc" } });
    const s = (k: string) => (typeof v[k] === "string" ? String(v[k]) : "");
    const has = (k: string, x: string) => list(v[k]).includes(x);
    const checks = (name: string, options: readonly string[], label: (o: string) => string) =>
      html`<fieldset${problems.includes(name) ? html` aria-invalid="true"` : ""}><legend>${tr(req, `pro_${name}`)}</legend>${options.map((o) => html`<p><input type="checkbox" id="${name}-${o}" name="${name}" value="${o}"${has(name, o) ? html` checked` : ""}> <label for="${name}-${o}">${label(o)}</label></p>`)}</fieldset>`;
    const body = html`${problems.length ? "" : saved(req)}${problems.length ? html`<div class="error-summary" role="alert"><h2>${tr(req, "errors_title")}</h2><ul>${problems.map((p) => html`<li>${tr(req, `pro_err_${p}`)}</li>`)}</ul></div>` : ""}
      ${v.example === true ? html`<p class="missing">${tr(req, "pro_example_note")}</p>` : ""}
      ${id && open > 0
        ? html`<section aria-labelledby="open-h" class="notice"><h2 id="open-h">${tr(req, "pro_open_cases", { count: String(open) })}</h2><p>${tr(req, "pro_open_cases_help")}</p>
          ${takers.length
            ? html`<form method="post" action="/admin/professionals/${id}/reassign">${csrfField(req)}<label for="to">${tr(req, "pro_reassign_to")}</label>
              <select id="to" name="to">${takers.map((t) => html`<option value="${t.id}">${t.name}</option>`)}</select><button type="submit">${tr(req, "pro_reassign")}</button></form>`
            : html`<p>${tr(req, "pro_reassign_nobody")}</p>`}</section>`
        : ""}
      <form method="post" action="/admin/professionals/${id ?? "new"}">${csrfField(req)}
        <label for="name">${tr(req, "pro_name")}</label><input id="name" name="name" value="${s("name")}" maxlength="60" required>
        <label for="organisationId">${tr(req, "pro_organisation")}</label><select id="organisationId" name="organisationId">${orgs.map((o) => html`<option value="${o.id}"${s("organisationId") === o.id ? html` selected` : ""}>${o.name}</option>`)}</select>
        <label for="staffUserId">${tr(req, "pro_account")}</label><select id="staffUserId" name="staffUserId"><option value="">${tr(req, "pro_no_account")}</option>${accounts.map((a) => html`<option value="${a.id}"${s("staffUserId") === a.id ? html` selected` : ""}>${a.displayName} (${a.email})</option>`)}</select>
        ${checks("topics", HANDOFF_TOPICS, (t) => tr(req, `ho_topic_${t}`))}
        ${checks("languages", LANGUAGES, (l) => tr(req, `lang_${l}`))}
        ${checks("neighbourhoods", NEIGHBOURHOODS, (n) => tr(req, `neighbourhood_${n}`))}
        <fieldset${problems.includes("availability") ? html` aria-invalid="true"` : ""}><legend>${tr(req, "pro_availability")}</legend><p><small>${tr(req, "pro_availability_help")}</small></p>
          ${DAYS.map((d) => html`<p><span class="day">${tr(req, `day_${d}`)}</span> <label for="from-${d}" class="visually-hidden">${tr(req, "pro_from", { day: tr(req, `day_${d}`) })}</label><input type="time" id="from-${d}" name="from_${d}" value="${s(`from_${d}`)}"> – <label for="to-${d}" class="visually-hidden">${tr(req, "pro_to", { day: tr(req, `day_${d}`) })}</label><input type="time" id="to-${d}" name="to_${d}" value="${s(`to_${d}`)}"></p>`)}</fieldset>
        <label for="maxOpenCases">${tr(req, "pro_max")}</label><input id="maxOpenCases" name="maxOpenCases" type="number" min="1" max="100" value="${s("maxOpenCases") || "8"}">
        <label for="backupId">${tr(req, "pro_backup")}</label><select id="backupId" name="backupId"><option value="">—</option>${others.map((o) => html`<option value="${o.id}"${s("backupId") === o.id ? html` selected` : ""}>${o.name}</option>`)}</select>
        <p><input type="checkbox" id="active" name="active" value="yes"${v.active !== false ? html` checked` : ""}> <label for="active">${tr(req, "pro_active")}</label></p>
        ${LANGUAGES.map((l) => html`<fieldset lang="${l}" dir="${l === "ar" ? "rtl" : "ltr"}"><legend>${tr(req, `lang_${l}`)}${l === "nl" ? ` (${tr(req, "lang_required")})` : ""}</legend>
          <label for="intro_${l}">${tr(req, "pro_intro_text")}</label><textarea id="intro_${l}" name="intro_${l}" rows="3" maxlength="400"${l === "nl" ? html` required` : ""}>${s(`intro_${l}`)}</textarea>
          <label for="walkin_${l}">${tr(req, "pro_walkin")}</label><input id="walkin_${l}" name="walkin_${l}" value="${s(`walkin_${l}`)}" maxlength="300"></fieldset>`)}
        <button type="submit">${tr(req, "save")}</button></form>
      <p><a href="/admin/professionals">${tr(req, "pro_back")}</a></p>`;
    send(res, page(req, s("name") || tr(req, "pro_new"), body), status);
  }

  router.get("/admin/professionals/new", adminOnly, (req, res) => formPage(req, res, undefined, { active: true }));

  router.get("/admin/professionals/:id", adminOnly, async (req, res) => {
    const id = z.uuid().safeParse(req.params.id);
    const p = id.success ? await prisma.professional.findUnique({ where: { id: id.data }, include: { texts: true } }) : null;
    if (!p) return notFound(req, res);
    const v: Record<string, unknown> = { name: p.name, organisationId: p.organisationId, staffUserId: p.staffUserId ?? "", backupId: p.backupId ?? "", topics: p.topics, languages: p.languages, neighbourhoods: p.neighbourhoods, maxOpenCases: String(p.maxOpenCases), active: p.active, example: p.example };
    for (const a of availabilitySchema.catch([]).parse(p.availability)) Object.assign(v, { [`from_${a.day}`]: a.from, [`to_${a.day}`]: a.to });
    for (const t of p.texts) Object.assign(v, { [`intro_${t.language}`]: t.intro, [`walkin_${t.language}`]: t.walkIn ?? "" });
    await formPage(req, res, p.id, v);
  });

  router.post("/admin/professionals/:id", form, checkCsrf, adminOnly, async (req, res) => {
    const isNew = req.params.id === "new";
    const id = isNew ? undefined : z.uuid().safeParse(req.params.id).data;
    if (!isNew && (!id || !(await prisma.professional.findUnique({ where: { id } })))) return notFound(req, res);
    const b: Record<string, unknown> = typeof req.body === "object" && req.body ? { ...req.body } : {};
    const str = (k: string) => (typeof b[k] === "string" ? String(b[k]).trim() : "");
    const availability = DAYS.flatMap((d) => {
      const from = str(`from_${d}`);
      const to = str(`to_${d}`);
      return from && to && time.safeParse(from).success && time.safeParse(to).success && from < to ? [{ day: d, from, to }] : [];
    });
    const parsed = professionalFormSchema.safeParse({
      name: str("name"),
      organisationId: str("organisationId"),
      staffUserId: str("staffUserId"),
      backupId: str("backupId"),
      topics: list(b.topics),
      languages: list(b.languages),
      neighbourhoods: list(b.neighbourhoods),
      maxOpenCases: str("maxOpenCases"),
      active: b.active === "yes",
      availability,
      texts: LANGUAGES.map((l) => ({ language: l, intro: str(`intro_${l}`), walkIn: str(`walkin_${l}`) })),
    });
    const values = { ...b, topics: list(b.topics), languages: list(b.languages), neighbourhoods: list(b.neighbourhoods), active: b.active === "yes" };
    if (!parsed.success) {
      const problems = [...new Set(parsed.error.issues.map((i) => String(i.path[0])))];
      return formPage(req, res, id, values, problems, 400);
    }
    const d = parsed.data;
    const data = {
      name: d.name,
      organisationId: d.organisationId,
      staffUserId: d.staffUserId || null,
      backupId: d.backupId && d.backupId !== id ? d.backupId : null,
      topics: d.topics,
      languages: d.languages,
      neighbourhoods: d.neighbourhoods,
      maxOpenCases: d.maxOpenCases,
      active: d.active,
      availability: d.availability,
      example: false,
    };
    const texts = d.texts.filter((t) => t.intro.trim()).map((t) => ({ language: t.language, intro: t.intro.trim(), walkIn: t.walkIn.trim() || null }));
    // Whoever the record is linked to reads its cases: with open cases, the account only changes after
    // they have been handed to someone else (and their residents told).
    const previous = id ? (await prisma.professional.findUniqueOrThrow({ where: { id } })).staffUserId : null;
    const relink = id !== undefined && previous !== data.staffUserId;
    if (relink && id) {
      const open = await handoffs.openCases(id);
      if (open > 0) {
        await audit.record(actor(req), "relink-refused", { type: "professional", id }, `${open} open case(s); account ${previous ?? "none"} → ${data.staffUserId ?? "none"} refused`);
        return formPage(req, res, id, values, ["relink_open_cases"], 409);
      }
    }
    const stored = await prisma.$transaction(async (tx) => {
      const p = id ? await tx.professional.update({ where: { id }, data }) : await tx.professional.create({ data });
      await tx.professionalText.deleteMany({ where: { professionalId: p.id } });
      await tx.professionalText.createMany({ data: texts.map((t) => ({ ...t, professionalId: p.id })) });
      if (relink || (!id && data.staffUserId)) await audit.record(actor(req), "relink", { type: "professional", id: p.id }, `account ${previous ?? "none"} → ${data.staffUserId ?? "none"}`, tx);
      return p;
    });
    res.redirect(303, `/admin/professionals/${stored.id}?saved=professional`);
  });

  router.post("/admin/professionals/:id/reassign", form, checkCsrf, adminOnly, async (req, res) => {
    const id = z.uuid().safeParse(req.params.id);
    const to = z.uuid().safeParse(req.body?.to);
    if (!id.success || !(await prisma.professional.findUnique({ where: { id: id.data } }))) return notFound(req, res);
    const target = to.success && to.data !== id.data ? await prisma.professional.findFirst({ where: { id: to.data, active: true, staffUser: { is: { disabledAt: null } } } }) : null;
    if (!target) return res.redirect(303, `/admin/professionals/${id.data}`);
    const moved = await handoffs.reassignOpen(id.data, target.id, { role: "admin", userId: req.staff!.userId });
    await audit.record(actor(req), "reassign", { type: "professional", id: id.data }, `${moved.length} open case(s) moved to professional ${target.id}: ${moved.join(", ")}`);
    res.redirect(303, `/admin/professionals/${id.data}?saved=reassigned`);
  });

  return router;
}
