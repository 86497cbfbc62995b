import express, { type Request, type Response, type Router } from "express";
import { z } from "zod";
import { HANDOFF_TOPICS, LANGUAGES, NEIGHBOURHOODS } from "../content/vocabulary.js";
import type { PrismaClient } from "../generated/prisma/client.js";
import { availabilitySchema } from "../handoffs/working-time.js";
import type { HandoffService } from "../handoffs/handoff-service.js";
import type { AuditLog } from "./audit-log.js";
import type { PanelKit } from "./panel-kit.js";
import { professionalListPage } from "./pages/professional-list-page.js";
import { DAYS, professionalFormPage, type Day, type ProfessionalFormValues } from "./pages/professional-form-page.js";

const list = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : typeof v === "string" ? [v] : []);
const languageSchema = z.enum(LANGUAGES);
const dayFrom = (n: number): Day | undefined => DAYS.find((d) => d === n);

/** A new professional's form: nothing filled in, active. */
function emptyValues(): ProfessionalFormValues {
  return { name: "", organisationId: "", staffUserId: "", backupId: "", topics: [], languages: [], neighbourhoods: [], maxOpenCases: "", active: true, example: false, from: {}, to: {}, intro: {}, walkIn: {} };
}

/** The form's fields as they were sent (untrimmed), to show them again with the problems. */
function typedValues(b: Record<string, unknown>): ProfessionalFormValues {
  const raw = (k: string) => (typeof b[k] === "string" ? String(b[k]) : "");
  const v: ProfessionalFormValues = {
    ...emptyValues(),
    name: raw("name"),
    organisationId: raw("organisationId"),
    staffUserId: raw("staffUserId"),
    backupId: raw("backupId"),
    topics: list(b.topics),
    languages: list(b.languages),
    neighbourhoods: list(b.neighbourhoods),
    maxOpenCases: raw("maxOpenCases"),
    active: b.active === "yes",
  };
  for (const d of DAYS) {
    v.from[d] = raw(`from_${d}`);
    v.to[d] = raw(`to_${d}`);
  }
  for (const l of LANGUAGES) {
    v.intro[l] = raw(`intro_${l}`);
    v.walkIn[l] = raw(`walkin_${l}`);
  }
  return v;
}
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
 * and panel account. Only professionals with an account are matched. The HTML lives in
 * `pages/professional-list-page.ts` and `pages/professional-form-page.ts`.
 */
export function professionalRoutes(opts: { prisma: PrismaClient; kit: PanelKit; handoffs: HandoffService; audit: AuditLog }): Router {
  const { prisma, kit, handoffs, audit } = opts;
  const actor = (req: Request) => ({ userId: req.staff!.userId, displayName: req.staff!.displayName, email: req.staff!.email });
  const { tr, textFor, page, send, checkCsrf, requireRole, notFound, savedText } = kit;
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

  async function formPage(req: Request, res: Response, id: string | undefined, values: ProfessionalFormValues, problems: string[] = [], status = 200) {
    const orgs = await prisma.organisation.findMany({ orderBy: { name: "asc" } });
    const openCases = id ? await handoffs.openCases(id) : 0;
    const takers = openCases > 0 ? await prisma.professional.findMany({ where: { id: { not: id }, active: true, staffUser: { is: { disabledAt: null } } }, orderBy: { name: "asc" } }) : [];
    const accounts = await prisma.staffUser.findMany({ where: { role: "professional", disabledAt: null, OR: [{ professional: null }, ...(id ? [{ professional: { id } }] : [])] }, orderBy: { displayName: "asc" } });
    const others = await prisma.professional.findMany({ where: id ? { NOT: { id } } : {}, orderBy: { name: "asc" } });
    const view = {
      csrf: req.csrf ?? "",
      saved: savedText(req),
      id,
      values,
      problems,
      openCases,
      takers: takers.map((x) => ({ id: x.id, name: x.name })),
      organisations: orgs.map((o) => ({ id: o.id, name: o.name })),
      accounts: accounts.map((a) => ({ id: a.id, displayName: a.displayName, email: a.email })),
      others: others.map((o) => ({ id: o.id, name: o.name })),
    };
    send(res, page(req, values.name || tr(req, "pro_new"), professionalFormPage(view, textFor(req))), status);
  }

  router.get("/admin/professionals/new", adminOnly, (req, res) => formPage(req, res, undefined, emptyValues()));

  router.get("/admin/professionals/:id", adminOnly, async (req, res) => {
    const id = z.uuid().safeParse(req.params.id);
    const p = id.success ? await prisma.professional.findUnique({ where: { id: id.data }, include: { texts: true } }) : null;
    if (!p) return notFound(req, res);
    const v: ProfessionalFormValues = { ...emptyValues(), name: p.name, organisationId: p.organisationId, staffUserId: p.staffUserId ?? "", backupId: p.backupId ?? "", topics: p.topics, languages: p.languages, neighbourhoods: p.neighbourhoods, maxOpenCases: String(p.maxOpenCases), active: p.active, example: p.example };
    for (const a of availabilitySchema.catch([]).parse(p.availability)) {
      const day = dayFrom(a.day);
      if (day === undefined) continue;
      v.from[day] = a.from;
      v.to[day] = a.to;
    }
    for (const t of p.texts) {
      const language = languageSchema.safeParse(t.language);
      if (!language.success) continue;
      v.intro[language.data] = t.intro;
      v.walkIn[language.data] = t.walkIn ?? "";
    }
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
    const values = typedValues(b);
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
