import { beforeAll, describe, expect, it } from "vitest";
import type { PanelText } from "../../../src/admin/pages/page-parts.js";
import { coordinationPage, type CoordinationView, type WaitingRequest } from "../../../src/admin/pages/coordination-page.js";
import { sharedContent } from "../../support/content.js";

let en: PanelText;
beforeAll(async () => {
  const { translator } = await sharedContent();
  en = (key, params) => translator.t("en", `admin:${key}`, params);
});

const at = new Date("2026-12-03T10:00:00Z");
const view = (over: Partial<CoordinationView> = {}): CoordinationView => ({ language: "en", csrf: "tok", saved: undefined, organisation: undefined, waiting: [], openCount: 0, answered: [], takers: [], ...over });
const waiting = (over: Partial<WaitingRequest> = {}): WaitingRequest => ({
  id: "h1",
  code: "AB12CD",
  language: "ar",
  professional: { id: "p1", name: "Anouk", organisation: "Contour" },
  createdAt: at,
  acceptBy: at,
  overdue: false,
  remindedAt: null,
  escalated: false,
  ...over,
});

describe("coordination page", () => {
  it("with nothing waiting and no outcomes, says both, and counts zeros for all organisations", () => {
    const out = coordinationPage(view(), en).value;
    expect(out).toContain(`<p>${en("co_intro_all")}</p>`);
    expect(out).toContain(`<p>${en("co_none_waiting")}</p>`);
    expect(out).toContain(`<p>${en("co_none_outcomes")}</p>`);
    expect(out).toContain(`<dd data-count="waiting">0</dd>`);
    expect(out).not.toContain("<table");
    expect(out).not.toContain(`role="status"`);
  });

  it("lists waiting requests by code name, marks overdue, reminded and escalated ones, and offers the other professionals", () => {
    const out = coordinationPage(
      view({
        saved: en("saved_reassigned"),
        organisation: "Contour & Co",
        waiting: [waiting({ overdue: true, remindedAt: at, escalated: true })],
        takers: [
          { id: "p1", name: "Anouk", organisation: "Contour", languages: ["nl"] },
          { id: "p2", name: "Fatma <F>", organisation: "Contour", languages: ["nl", "ar"] },
          { id: "p3", name: "Joost", organisation: "Wijkteam", languages: ["nl"] },
        ],
      }),
      en,
    ).value;
    expect(out).toContain(`<p role="status" class="notice saved">${en("saved_reassigned")}</p>`);
    expect(out).toContain(en("co_intro_org", { organisation: "Contour & Co" }).replace("&", "&amp;"));
    expect(out).toContain(`<dd data-count="overdue"><span class="status status-overdue">1</span></dd>`);
    expect(out).toContain(`<dd data-count="stuck">1</dd>`);
    expect(out).toContain(`<tr class="overdue"><td><strong>AB12CD</strong><br>Anouk <small>(Contour)</small>`);
    expect(out).toContain(en("co_reminded", { when: "Thursday, 3 December 2026, 11:00" }));
    expect(out).toContain(`<form method="post" action="/admin/coordination/h1/reassign" class="inline reassign"><input type="hidden" name="_csrf" value="tok">`);
    expect(out).not.toContain(`<option value="p1">`);
    expect(out).toContain(`<option value="p2">Fatma &lt;F&gt; (Contour) — ${en("lang_nl")}, ${en("lang_ar")}</option>`);
    expect(out).toContain(`<option value="p3">Joost (Wijkteam) — ${en("lang_nl")} · ${en("co_not_language", { language: en("lang_ar") })}</option>`);
  });

  it("says when nobody else can take a request, and shows the residents' answers", () => {
    const out = coordinationPage(
      view({
        waiting: [waiting()],
        takers: [{ id: "p1", name: "Anouk", organisation: "Contour", languages: ["nl"] }],
        answered: [
          { code: "ZZ99", professional: "Anouk", status: "closed", outcome: "helped", checkInAnswer: "helped", checkInAnsweredAt: at },
          { code: "YY88", professional: "Joost", status: "accepted", outcome: null, checkInAnswer: null, checkInAnsweredAt: null },
        ],
      }),
      en,
    ).value;
    expect(out).toContain(`<small>${en("co_nobody")}</small>`);
    expect(out).toContain(en("co_answers_line", { helped: "1", not: "0", none: "0" }));
    expect(out).toContain(`<td>${en("ho_status_closed")} — ${en("ho_outcome_helped")}</td>`);
    expect(out).toContain(`<td>${en("co_no_answer")}</td>`);
  });
});
