import { beforeAll, describe, expect, it } from "vitest";
import type { PanelText } from "../../../src/admin/pages/page-parts.js";
import { directoryListPage, type DirectoryRow } from "../../../src/admin/pages/directory-list-page.js";
import { directoryEntryPage, type DirectoryEntryView, type DirectoryFormValues } from "../../../src/admin/pages/directory-entry-page.js";
import { sharedContent } from "../../support/content.js";

let nl: PanelText;
beforeAll(async () => {
  const { translator } = await sharedContent();
  nl = (key, params) => translator.t("nl", `admin:${key}`, params);
});

const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#39;");

describe("directory list page", () => {
  const row = (over: Partial<DirectoryRow> = {}): DirectoryRow => ({ id: "schuldhulp", name: "Schuldhulp <Tilburg>", phone: "013-1234567", locked: false, example: false, ...over });

  it("links editable entries (escaped) and says which are checked, examples or read-only", () => {
    const out = directoryListPage({ rows: [row(), row({ id: "sos", name: "112", phone: "112", locked: true }), row({ id: "wijk", name: "Wijkteam", phone: null, example: true })] }, nl).value;
    expect(out).toContain(`<caption>${esc(nl("dir_caption"))}</caption>`);
    expect(out).toContain(`<tr><td><a href="/admin/directory/schuldhulp">Schuldhulp &lt;Tilburg&gt;</a></td><td>013-1234567</td>`);
    expect(out).toContain(`<span class="status status-approved">${nl("dir_checked")}</span>`);
    expect(out).toContain(`<tr><td>112</td><td>112</td>`);
    expect(out).not.toContain(`/admin/directory/sos`);
    expect(out).toContain(`<td>${esc(nl("dir_locked"))}</td>`);
    expect(out).toContain(`<td><a href="/admin/directory/wijk">Wijkteam</a></td><td>—</td>`);
    expect(out).toContain(`<span class="status status-pending">${esc(nl("dir_example"))}</span>`);
    expect(out).toContain(`<p class="missing">${esc(nl("dir_examples", { count: "1" }))}</p>`);
  });

  it("no example line when everything is checked; an empty table when there is nothing", () => {
    expect(directoryListPage({ rows: [row()] }, nl).value).not.toContain(`class="missing"`);
    expect(directoryListPage({ rows: [] }, nl).value).toContain("<tbody></tbody>");
  });
});

describe("directory entry page", () => {
  const values = (over: Partial<DirectoryFormValues> = {}): DirectoryFormValues => ({
    name: `Schuldhulp "Noord" <b>`,
    address: "Markt 1",
    phone: "013-1234567",
    website: "https://example.org/?a=1&b=2",
    languages: ["nl", "tr"],
    example: true,
    what: { nl: "Hulp bij <schulden>", ar: "مساعدة" },
    when: { nl: "ma–vr" },
    ...over,
  });
  const view = (over: Partial<DirectoryEntryView> = {}): DirectoryEntryView => ({ csrf: "tok", id: "schuldhulp", values: values(), problems: [], notice: undefined, ...over });

  it("every field labelled and filled in, escaped", () => {
    const out = directoryEntryPage(view(), nl).value;
    expect(out).toContain(`<form method="post" action="/admin/directory/schuldhulp"><input type="hidden" name="_csrf" value="tok">`);
    expect(out).toContain(`<label for="name">${nl("dir_name")}</label><input id="name" name="name" value="Schuldhulp &quot;Noord&quot; &lt;b&gt;" maxlength="80" required>`);
    expect(out).toContain(`<label for="address">${nl("dir_address")}</label><input id="address" name="address" value="Markt 1" maxlength="120">`);
    expect(out).toContain(`<input id="phone" name="phone" type="tel" value="013-1234567" maxlength="40">`);
    expect(out).toContain(`<input id="website" name="website" type="url" value="https://example.org/?a=1&amp;b=2" maxlength="200">`);
    expect(out).toContain(`<input type="checkbox" id="lang-tr" name="languages" value="tr" checked> <label for="lang-tr">${nl("lang_tr")}</label>`);
    expect(out).toContain(`<input type="checkbox" id="lang-en" name="languages" value="en"> <label for="lang-en">`);
    expect(out).toContain(`<input type="checkbox" id="example" name="example" value="yes" checked> <label for="example">${esc(nl("dir_example_box"))}</label>`);
    expect(out).toContain(`<a href="/admin/directory">${esc(nl("dir_back"))}</a>`);
    expect(out).not.toContain(`role="alert"`);
    expect(out).not.toContain("aria-invalid");
  });

  it("a fieldset per language, right-to-left for Arabic, Dutch required", () => {
    const out = directoryEntryPage(view(), nl).value;
    expect(out).toContain(`<fieldset lang="nl" dir="ltr"><legend>${nl("lang_nl")} (${esc(nl("lang_required"))})</legend>`);
    expect(out).toContain(`<label for="what_nl">${esc(nl("dir_what"))}</label><textarea id="what_nl" name="what_nl" rows="3" maxlength="400" required>Hulp bij &lt;schulden&gt;</textarea>`);
    expect(out).toContain(`<label for="when_nl">${esc(nl("dir_when"))}</label><textarea id="when_nl" name="when_nl" rows="2" maxlength="200">ma–vr</textarea>`);
    expect(out).toContain(`<fieldset lang="ar" dir="rtl"><legend>${nl("lang_ar")}</legend>`);
    expect(out).toContain(`<textarea id="what_ar" name="what_ar" rows="3" maxlength="400">مساعدة</textarea>`);
    expect(out).toContain(`<textarea id="when_pl" name="when_pl" rows="2" maxlength="200"></textarea>`);
  });

  it("problems: a summary linking to each field, and the fields marked invalid", () => {
    const out = directoryEntryPage(view({ problems: ["name", "what_nl", "when_tr"] }), nl).value;
    expect(out).toContain(`<div class="error-summary" role="alert"><h2>${esc(nl("errors_title"))}</h2><ul><li><a href="#name">${esc(nl("dir_err_name"))}</a></li><li><a href="#what_nl">${esc(nl("dir_err_what"))}</a></li><li><a href="#when_tr">${esc(nl("dir_err_when"))}</a></li></ul></div>`);
    expect(out).toContain(`maxlength="80" required aria-invalid="true">`);
    expect(out).toContain(`<textarea id="what_nl" name="what_nl" rows="3" maxlength="400" required aria-invalid="true">`);
    expect(out).toContain(`<textarea id="when_tr" name="when_tr" rows="2" maxlength="200" aria-invalid="true">`);
    expect(out).not.toContain(`id="address" name="address" value="Markt 1" maxlength="120" aria-invalid`);
  });

  it("after saving: a status notice", () => {
    expect(directoryEntryPage(view({ notice: "Opgeslagen" }), nl).value).toMatch(/^<p role="status" class="notice">Opgeslagen<\/p>/);
  });
});
