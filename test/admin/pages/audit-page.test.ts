import { beforeAll, describe, expect, it } from "vitest";
import type { PanelText } from "../../../src/admin/pages/page-parts.js";
import { auditPage, type AuditView } from "../../../src/admin/pages/audit-page.js";
import type { AuditEntry } from "../../../src/admin/audit-log.js";
import { sharedContent } from "../../support/content.js";

let en: PanelText;
beforeAll(async () => {
  const { translator } = await sharedContent();
  en = (key, params) => translator.t("en", `admin:${key}`, params);
});

const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#39;");
const at = new Date("2026-12-03T10:00:00Z");
const entry = (over: Partial<AuditEntry> = {}): AuditEntry => ({ id: "e1", at, actorLabel: "Ayşe <admin@example.org>", action: "role-change", subjectType: "staff_user", subjectId: "u-1", detail: "keyfigure → <admin>", ...over });
const view = (over: Partial<AuditView> = {}): AuditView => ({ language: "en", page: 0, more: false, filter: undefined, entries: [], ...over });

describe("audit page", () => {
  it("empty: says there is nothing, still offers the filter and the export, no page links", () => {
    const out = auditPage(view(), en).value;
    expect(out).toContain(`<p>${esc(en("audit_none"))}</p>`);
    expect(out).toContain(`<p><a href="/admin/audit.csv" download>${esc(en("audit_export"))}</a></p>`);
    expect(out).toContain(`<nav aria-label="${esc(en("audit_pages"))}" class="pager"> </nav>`);
    expect(out).not.toContain("<table");
  });

  it("the filter is a labelled select of every action, the chosen one selected", () => {
    const out = auditPage(view({ filter: "export" }), en).value;
    expect(out).toContain(`<label for="audit-action">${esc(en("audit_filter"))}</label>`);
    expect(out).toContain(`<select id="audit-action" name="action"><option value="">${esc(en("audit_all"))}</option>`);
    expect(out).toContain(`<option value="export" selected>${esc(en("audit_action_export"))}</option>`);
    expect(out).toContain(`<option value="invite">${esc(en("audit_action_invite"))}</option>`);
  });

  it("lists entries with who, what and the subject, every stored value escaped", () => {
    const out = auditPage(view({ entries: [entry(), entry({ id: "e2", subjectId: null, detail: "", action: "export", subjectType: "audit" })] }), en).value;
    expect(out).toContain(`<caption>${esc(en("audit_caption"))}</caption>`);
    expect(out).toContain(`<td>Ayşe &lt;admin@example.org&gt;</td><td>${esc(en("audit_action_role-change"))}<br><small>keyfigure → &lt;admin&gt;</small></td>`);
    expect(out).toContain(`<td>${esc(en("audit_subject_staff_user"))}<br><small><code>u-1</code></small></td>`);
    expect(out).toContain(`<td>${esc(en("audit_action_export"))}</td>`);
    expect(out).toContain(`<td>${esc(en("audit_subject_audit"))}</td></tr>`);
  });

  it("newer and older links keep the filter", () => {
    const out = auditPage(view({ page: 2, more: true, filter: "broadcast", entries: [entry()] }), en).value;
    expect(out).toContain(`<a href="/admin/audit?page=1&amp;action=broadcast">${esc(en("audit_newer"))}</a>`);
    expect(out).toContain(`<a href="/admin/audit?page=3&amp;action=broadcast">${esc(en("audit_older"))}</a>`);
    expect(auditPage(view({ more: true, entries: [entry()] }), en).value).toContain(`class="pager"> <a href="/admin/audit?page=1">`);
  });
});
