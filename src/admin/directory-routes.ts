import express, { type Request, type Response, type Router } from "express";
import { LANGUAGES } from "../content/vocabulary.js";
import { directoryEditSchema, LOCKED_KINDS, type DirectoryOverrides } from "../content/directory-overrides.js";
import type { Content } from "../content/content.js";
import { html } from "./html.js";
import type { PanelKit } from "./panel-kit.js";

const TEXT_MAX = { what: 400, when: 200 } as const;

/**
 * The directory the flows point residents to: an admin replaces example addresses, phone numbers and
 * opening hours with verified ones, in every language. National emergency numbers are read-only here.
 */
export function directoryRoutes(opts: { kit: PanelKit; content: Content; overrides: DirectoryOverrides }): Router {
  const { kit, content, overrides } = opts;
  const { tr, page, send, csrfField, checkCsrf, requireRole, notFound } = kit;
  const router = express.Router();
  const form = express.urlencoded({ extended: false, limit: "32kb" });
  const adminOnly = requireRole("admin");
  const text = (language: string, key: string) => content.translator.exact(language, key) ?? "";

  router.get("/admin/directory", adminOnly, (req, res) => {
    const rows = [...content.directory.values()];
    const examples = rows.filter((e) => e.example).length;
    send(
      res,
      page(
        req,
        tr(req, "dir_title"),
        html`<p>${tr(req, "dir_intro")}</p>
        ${examples ? html`<p class="missing">${tr(req, "dir_examples", { count: String(examples) })}</p>` : ""}
        <table><caption>${tr(req, "dir_caption")}</caption>
        <thead><tr><th scope="col">${tr(req, "dir_name")}</th><th scope="col">${tr(req, "dir_phone")}</th><th scope="col">${tr(req, "dir_state")}</th></tr></thead>
        <tbody>${rows.map(
          (e) => html`<tr><td>${LOCKED_KINDS.has(e.kind) ? e.name : html`<a href="/admin/directory/${e.id}">${e.name}</a>`}</td><td>${e.phone ?? "—"}</td>
            <td>${LOCKED_KINDS.has(e.kind) ? tr(req, "dir_locked") : e.example ? html`<span class="status status-pending">${tr(req, "dir_example")}</span>` : html`<span class="status status-approved">${tr(req, "dir_checked")}</span>`}</td></tr>`,
        )}</tbody></table>`,
      ),
    );
  });

  function formPage(req: Request, res: Response, id: string, values: Record<string, string | string[]>, problems: string[] = [], notice?: string) {
    const v = (k: string) => (typeof values[k] === "string" ? String(values[k]) : "");
    const chosen = new Set(Array.isArray(values.languages) ? values.languages : values.languages ? [values.languages] : []);
    const err = problems.length
      ? html`<div class="error-summary" role="alert"><h2>${tr(req, "errors_title")}</h2><ul>${problems.map((p) => html`<li><a href="#${p}">${tr(req, `dir_err_${p.replace(/_.*/, "")}`)}</a></li>`)}</ul></div>`
      : "";
    const bad = (k: string) => (problems.includes(k) ? html` aria-invalid="true"` : "");
    const body = html`${notice ? html`<p role="status" class="notice">${notice}</p>` : ""}${err}
      <form method="post" action="/admin/directory/${id}">${csrfField(req)}
        <label for="name">${tr(req, "dir_name")}</label><input id="name" name="name" value="${v("name")}" maxlength="80" required${bad("name")}>
        <label for="address">${tr(req, "dir_address")}</label><input id="address" name="address" value="${v("address")}" maxlength="120"${bad("address")}>
        <label for="phone">${tr(req, "dir_phone")}</label><input id="phone" name="phone" type="tel" value="${v("phone")}" maxlength="40"${bad("phone")}>
        <label for="website">${tr(req, "dir_website")}</label><input id="website" name="website" type="url" value="${v("website")}" maxlength="200"${bad("website")}>
        <fieldset><legend>${tr(req, "dir_languages")}</legend>${LANGUAGES.map(
          (l) => html`<p><input type="checkbox" id="lang-${l}" name="languages" value="${l}"${chosen.has(l) ? html` checked` : ""}> <label for="lang-${l}">${tr(req, `lang_${l}`)}</label></p>`,
        )}</fieldset>
        <p><input type="checkbox" id="example" name="example" value="yes"${values.example === "yes" ? html` checked` : ""}> <label for="example">${tr(req, "dir_example_box")}</label></p>
        ${LANGUAGES.map(
          (l) => html`<fieldset lang="${l}" dir="${l === "ar" ? "rtl" : "ltr"}"><legend>${tr(req, `lang_${l}`)}${l === "nl" ? ` (${tr(req, "lang_required")})` : ""}</legend>
            <label for="what_${l}">${tr(req, "dir_what")}</label><textarea id="what_${l}" name="what_${l}" rows="3" maxlength="${String(TEXT_MAX.what)}"${l === "nl" ? html` required` : ""}${bad(`what_${l}`)}>${v(`what_${l}`)}</textarea>
            <label for="when_${l}">${tr(req, "dir_when")}</label><textarea id="when_${l}" name="when_${l}" rows="2" maxlength="${String(TEXT_MAX.when)}"${bad(`when_${l}`)}>${v(`when_${l}`)}</textarea></fieldset>`,
        )}
        <button type="submit">${tr(req, "save")}</button></form>
      <p><a href="/admin/directory">${tr(req, "dir_back")}</a></p>`;
    send(res, page(req, v("name") || id, body), problems.length ? 400 : 200);
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
    const values: Record<string, string | string[]> = { name: entry.name, address: entry.address ?? "", phone: entry.phone ?? "", website: entry.website ?? "", languages: entry.languages, example: entry.example ? "yes" : "" };
    for (const l of LANGUAGES) {
      values[`what_${l}`] = text(l, `directory:${id}.what`);
      values[`when_${l}`] = text(l, `directory:${id}.when`);
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
      if ([...what].length > TEXT_MAX.what) problems.push(`what_${l}`);
      if ([...when].length > TEXT_MAX.when) problems.push(`when_${l}`);
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
    if (problems.length || !parsed.success) return formPage(req, res, found.id, body, [...new Set(problems)]);
    await overrides.save(found.id, parsed.data, req.staff!.userId);
    res.redirect(303, `/admin/directory/${found.id}?saved=1`);
  });

  return router;
}
