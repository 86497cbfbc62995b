import { beforeAll, describe, expect, it } from "vitest";
import type { PanelText } from "../../../src/admin/pages/page-parts.js";
import { professionalListPage, type ProfessionalRow } from "../../../src/admin/pages/professional-list-page.js";
import { sharedContent } from "../../support/content.js";

let en: PanelText;
beforeAll(async () => {
  const { translator } = await sharedContent();
  en = (key, params) => translator.t("en", `admin:${key}`, params);
});

const row = (over: Partial<ProfessionalRow> = {}): ProfessionalRow => ({ id: "p1", name: "Fatma", organisation: "Contour", demo: false, languages: ["nl", "tr"], topics: ["money", "housing"], example: false, active: true, hasAccount: true, ...over });
/** The last cell of the (one) row: the professional's state. */
const stateOf = (html: string) => html.split("<td>").at(-1)?.split("</td></tr>")[0];

describe("professional list page", () => {
  it("lists each professional with organisation, languages and topics in words, escaped", () => {
    const out = professionalListPage({ rows: [row({ name: "Fatma <F>", demo: true })] }, en).value;
    expect(out).toContain(`<a href="/admin/professionals/p1">Fatma &lt;F&gt;</a><br><small>Contour (DEMO) · ${en("lang_nl")}, ${en("lang_tr")}</small>`);
    expect(out).toContain(`<td>${en("ho_topic_money")}, ${en("ho_topic_housing")}</td>`);
    expect(out).toContain(`<a class="button" href="/admin/professionals/new">${en("pro_new")}</a>`);
  });

  it("says who is matched, who has no account, who is inactive, and marks the example people", () => {
    expect(stateOf(professionalListPage({ rows: [row()] }, en).value)).toContain(`<span class="status status-approved">${en("pro_matched")}</span>`);
    expect(stateOf(professionalListPage({ rows: [row({ hasAccount: false, example: true })] }, en).value)).toBe(`<span class="status status-pending">${en("pro_example")}</span> <span class="status status-cancelled">${en("pro_no_account")}</span>`);
    expect(stateOf(professionalListPage({ rows: [row({ active: false })] }, en).value)).toBe(en("pro_inactive"));
  });
});
