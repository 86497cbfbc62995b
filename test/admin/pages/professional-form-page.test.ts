import { beforeAll, describe, expect, it } from "vitest";
import type { PanelText } from "../../../src/admin/pages/page-parts.js";
import { professionalFormPage, type ProfessionalFormValues, type ProfessionalFormView } from "../../../src/admin/pages/professional-form-page.js";
import { sharedContent } from "../../support/content.js";

let en: PanelText;
beforeAll(async () => {
  const { translator } = await sharedContent();
  en = (key, params) => translator.t("en", `admin:${key}`, params);
});

const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#39;");
const values = (over: Partial<ProfessionalFormValues> = {}): ProfessionalFormValues => ({
  name: `Fatma "F" <K>`,
  organisationId: "o2",
  staffUserId: "s1",
  backupId: "p2",
  topics: ["money"],
  languages: ["nl", "tr"],
  neighbourhoods: [],
  maxOpenCases: "5",
  active: true,
  example: false,
  from: { 1: "09:00" },
  to: { 1: "17:00" },
  intro: { nl: "Ik help <graag>", ar: "مرحبا" },
  walkIn: { nl: `Dinsdag "inloop"` },
  ...over,
});
const view = (over: Partial<ProfessionalFormView> = {}): ProfessionalFormView => ({
  csrf: "tok",
  saved: undefined,
  id: "p1",
  values: values(),
  problems: [],
  openCases: 0,
  takers: [],
  organisations: [{ id: "o1", name: "Contour" }, { id: "o2", name: "Moskee <N>" }],
  accounts: [{ id: "s1", displayName: "Fatma <F>", email: "f@example.org" }],
  others: [{ id: "p2", name: "Piet <P>" }],
  ...over,
});

describe("professional form page", () => {
  it("fills in every field escaped, with the chosen organisation, account and backup selected", () => {
    const out = professionalFormPage(view(), en).value;
    expect(out).toContain(`<form method="post" action="/admin/professionals/p1"><input type="hidden" name="_csrf" value="tok">`);
    expect(out).toContain(`<label for="name">${esc(en("pro_name"))}</label><input id="name" name="name" value="Fatma &quot;F&quot; &lt;K&gt;" maxlength="60" required>`);
    expect(out).toContain(`<option value="o1">Contour</option><option value="o2" selected>Moskee &lt;N&gt;</option>`);
    expect(out).toContain(`<label for="staffUserId">${esc(en("pro_account"))}</label><select id="staffUserId" name="staffUserId"><option value="">${esc(en("pro_no_account"))}</option><option value="s1" selected>Fatma &lt;F&gt; (f@example.org)</option></select>`);
    expect(out).toContain(`<label for="backupId">${esc(en("pro_backup"))}</label><select id="backupId" name="backupId"><option value="">—</option><option value="p2" selected>Piet &lt;P&gt;</option></select>`);
    expect(out).toContain(`<input id="maxOpenCases" name="maxOpenCases" type="number" min="1" max="100" value="5">`);
    expect(out).toContain(`<input type="checkbox" id="active" name="active" value="yes" checked> <label for="active">${esc(en("pro_active"))}</label>`);
    expect(out).toContain(`<a href="/admin/professionals">${esc(en("pro_back"))}</a>`);
  });

  it("checkbox groups with a legend and a label per option, the chosen ones checked", () => {
    const out = professionalFormPage(view(), en).value;
    expect(out).toContain(`<fieldset><legend>${esc(en("pro_topics"))}</legend><p><input type="checkbox" id="topics-money" name="topics" value="money" checked> <label for="topics-money">${esc(en("ho_topic_money"))}</label></p>`);
    expect(out).toContain(`<input type="checkbox" id="languages-tr" name="languages" value="tr" checked> <label for="languages-tr">${esc(en("lang_tr"))}</label>`);
    expect(out).toContain(`<input type="checkbox" id="languages-pl" name="languages" value="pl"> `);
    expect(out).toContain(`<fieldset><legend>${esc(en("pro_neighbourhoods"))}</legend>`);
  });

  it("weekly hours: a labelled from and to per day, filled in where known", () => {
    const out = professionalFormPage(view(), en).value;
    expect(out).toContain(`<label for="from-1" class="visually-hidden">${esc(en("pro_from", { day: en("day_1") }))}</label><input type="time" id="from-1" name="from_1" value="09:00"> – <label for="to-1" class="visually-hidden">${esc(en("pro_to", { day: en("day_1") }))}</label><input type="time" id="to-1" name="to_1" value="17:00">`);
    expect(out).toContain(`<input type="time" id="from-7" name="from_7" value="">`);
  });

  it("an introduction per language, Dutch required, Arabic right-to-left, escaped", () => {
    const out = professionalFormPage(view(), en).value;
    expect(out).toContain(`<fieldset lang="nl" dir="ltr"><legend>${esc(en("lang_nl"))} (${esc(en("lang_required"))})</legend>`);
    expect(out).toContain(`<textarea id="intro_nl" name="intro_nl" rows="3" maxlength="400" required>Ik help &lt;graag&gt;</textarea>`);
    expect(out).toContain(`<input id="walkin_nl" name="walkin_nl" value="Dinsdag &quot;inloop&quot;" maxlength="300">`);
    expect(out).toContain(`<fieldset lang="ar" dir="rtl">`);
    expect(out).toContain(`<textarea id="intro_ar" name="intro_ar" rows="3" maxlength="400">مرحبا</textarea>`);
  });

  it("a new professional: posts to /new, the case limit proposes 8, nothing selected, no reassignment", () => {
    const out = professionalFormPage(view({ id: undefined, values: values({ name: "", organisationId: "", staffUserId: "", backupId: "", topics: [], maxOpenCases: "", from: {}, to: {}, intro: {}, walkIn: {} }) }), en).value;
    expect(out).toContain(`<form method="post" action="/admin/professionals/new">`);
    expect(out).toContain(`value="8">`);
    expect(out).not.toContain(" selected");
    expect(out).not.toContain("/reassign");
  });

  it("problems: a summary and the fieldsets marked invalid, no saved notice", () => {
    const out = professionalFormPage(view({ saved: "Saved", problems: ["topics", "availability"] }), en).value;
    expect(out).toContain(`<div class="error-summary" role="alert"><h2>${esc(en("errors_title"))}</h2><ul><li>${esc(en("pro_err_topics"))}</li><li>${esc(en("pro_err_availability"))}</li></ul></div>`);
    expect(out).toContain(`<fieldset aria-invalid="true"><legend>${esc(en("pro_topics"))}</legend>`);
    expect(out).toContain(`<fieldset aria-invalid="true"><legend>${esc(en("pro_availability"))}</legend>`);
    expect(out).not.toContain("Saved");
    expect(professionalFormPage(view({ saved: "Saved" }), en).value).toMatch(/^<p role="status" class="notice saved">Saved<\/p>/);
  });

  it("an example person is marked; open cases offer a colleague to take them, or say there is nobody", () => {
    expect(professionalFormPage(view({ values: values({ example: true }) }), en).value).toContain(`<p class="missing">${esc(en("pro_example_note"))}</p>`);
    const open = professionalFormPage(view({ openCases: 3, takers: [{ id: "p3", name: "Jan <J>" }] }), en).value;
    expect(open).toContain(`<section aria-labelledby="open-h" class="notice"><h2 id="open-h">${esc(en("pro_open_cases", { count: "3" }))}</h2>`);
    expect(open).toContain(`<form method="post" action="/admin/professionals/p1/reassign"><input type="hidden" name="_csrf" value="tok"><label for="to">${esc(en("pro_reassign_to"))}</label>`);
    expect(open).toContain(`<select id="to" name="to"><option value="p3">Jan &lt;J&gt;</option></select><button type="submit">${esc(en("pro_reassign"))}</button></form>`);
    expect(professionalFormPage(view({ openCases: 1 }), en).value).toContain(`<p>${esc(en("pro_reassign_nobody"))}</p></section>`);
    expect(professionalFormPage(view(), en).value).not.toContain("open-h");
  });
});
