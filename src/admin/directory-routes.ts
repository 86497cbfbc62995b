import express, { type Request, type Response, type Router } from "express";
import { LANGUAGES } from "../content/vocabulary.js";
import { directoryEditSchema, LOCKED_KINDS, type DirectoryOverrides } from "../content/directory-overrides.js";
import type { Content } from "../content/content.js";
import type { PanelKit } from "./panel-kit.js";
import { directoryListPage } from "./pages/directory-list-page.js";
import { DIRECTORY_TEXT_MAX, directoryEntryPage, type DirectoryFormValues } from "./pages/directory-entry-page.js";

/** The form's fields as they were sent (untrimmed), to show them again with the problems. */
function typedValues(body: Record<string, string | string[]>): DirectoryFormValues {
  const v = (k: string) => (typeof body[k] === "string" ? String(body[k]) : "");
  const values: DirectoryFormValues = {
    name: v("name"),
    address: v("address"),
    phone: v("phone"),
    website: v("website"),
    languages: Array.isArray(body.languages) ? body.languages : body.languages ? [body.languages] : [],
    example: body.example === "yes",
    what: {},
    when: {},
  };
  for (const l of LANGUAGES) {
    values.what[l] = v(`what_${l}`);
    values.when[l] = v(`when_${l}`);
  }
  return values;
}

/**
 * The directory the flows point residents to: an admin replaces example addresses, phone numbers and
 * opening hours with verified ones, in every language. National emergency numbers are read-only here.
 * The HTML lives in `pages/directory-list-page.ts` and `pages/directory-entry-page.ts`.
 */
export function directoryRoutes(opts: { kit: PanelKit; content: Content; overrides: DirectoryOverrides }): Router {
  const { kit, content, overrides } = opts;
  const { tr, textFor, page, send, checkCsrf, requireRole, notFound } = kit;
  const router = express.Router();
  const form = express.urlencoded({ extended: false, limit: "32kb" });
  const adminOnly = requireRole("admin");
  const text = (language: string, key: string) => content.translator.exact(language, key) ?? "";

  router.get("/admin/directory", adminOnly, (req, res) => {
    const rows = [...content.directory.values()].map((e) => ({ id: e.id, name: e.name, phone: e.phone ?? null, locked: LOCKED_KINDS.has(e.kind), example: e.example }));
    send(res, page(req, tr(req, "dir_title"), directoryListPage({ rows }, textFor(req))));
  });

  function formPage(req: Request, res: Response, id: string, values: DirectoryFormValues, problems: string[] = [], notice?: string) {
    send(res, page(req, values.name || id, directoryEntryPage({ csrf: req.csrf ?? "", id, values, problems, notice }, textFor(req))), problems.length ? 400 : 200);
  }

  const editable = (req: Request, res: Response) => {
    const id = String(req.params.id);
    const entry = content.directory.get(id);
    if (!entry || LOCKED_KINDS.has(entry.kind)) {
      notFound(req, res);
      return undefined;
    }
    return { id, entry };
  };

  router.get("/admin/directory/:id", adminOnly, (req, res) => {
    const found = editable(req, res);
    if (!found) return;
    const { id, entry } = found;
    const values: DirectoryFormValues = { name: entry.name, address: entry.address ?? "", phone: entry.phone ?? "", website: entry.website ?? "", languages: entry.languages, example: entry.example, what: {}, when: {} };
    for (const l of LANGUAGES) {
      values.what[l] = text(l, `directory:${id}.what`);
      values.when[l] = text(l, `directory:${id}.when`);
    }
    formPage(req, res, id, values, [], req.query.saved === "1" ? tr(req, "dir_saved") : undefined);
  });

  router.post("/admin/directory/:id", form, checkCsrf, adminOnly, async (req, res) => {
    const found = editable(req, res);
    if (!found) return;
    // Only the form's own fields, copied by name: a field called `__proto__` must not reach a plain object.
    const body: Record<string, string | string[]> = {};
    const sent: unknown = req.body;
    for (const [k, val] of Object.entries(typeof sent === "object" && sent !== null ? sent : {})) {
      if (k !== "__proto__" && (typeof val === "string" || Array.isArray(val))) Object.defineProperty(body, k, { value: val, enumerable: true, writable: true, configurable: true });
    }
    const s = (k: string) => (typeof body[k] === "string" ? String(body[k]).trim() : "");
    const languages = Array.isArray(body.languages) ? body.languages : body.languages ? [body.languages] : [];
    const texts: Record<string, { what: string; when?: string }> = {};
    const problems: string[] = [];
    for (const l of LANGUAGES) {
      const what = s(`what_${l}`);
      const when = s(`when_${l}`);
      if ([...what].length > DIRECTORY_TEXT_MAX.what) problems.push(`what_${l}`);
      if ([...when].length > DIRECTORY_TEXT_MAX.when) problems.push(`when_${l}`);
      if (what) texts[l] = { what, ...(when ? { when } : {}) };
    }
    if (!texts.nl) problems.push("what_nl");
    const parsed = directoryEditSchema.safeParse({
      name: s("name"),
      ...(s("address") ? { address: s("address") } : {}),
      ...(s("phone") ? { phone: s("phone") } : {}),
      ...(s("website") ? { website: s("website") } : {}),
      languages,
      example: body.example === "yes",
      texts,
    });
    if (!parsed.success) for (const i of parsed.error.issues) if (typeof i.path[0] === "string" && i.path[0] !== "texts") problems.push(i.path[0]);
    if (problems.length || !parsed.success) return formPage(req, res, found.id, typedValues(body), [...new Set(problems)]);
    await overrides.save(found.id, parsed.data, req.staff!.userId);
    res.redirect(303, `/admin/directory/${found.id}?saved=1`);
  });

  return router;
}
