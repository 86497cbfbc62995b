import { beforeAll, describe, expect, it } from "vitest";
import type { PanelText } from "../../../src/admin/pages/page-parts.js";
import { activityListPage, type ActivityListView } from "../../../src/admin/pages/activity-list-page.js";
import { activityFormPage, activityFormTitle, type ActivityFormView } from "../../../src/admin/pages/activity-form-page.js";
import { activityDetailPage, activityDetailTitle, type ActivityDetailView } from "../../../src/admin/pages/activity-detail-page.js";
import { sharedContent } from "../../support/content.js";

let nl: PanelText;
let en: PanelText;
beforeAll(async () => {
  const { translator } = await sharedContent();
  nl = (key, params) => translator.t("nl", `admin:${key}`, params);
  en = (key, params) => translator.t("en", `admin:${key}`, params);
});

const HOSTILE = `<script>alert("x")</script> & 'co'`;
const ESCAPED = `&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;co&#39;`;
const startsAt = new Date("2026-12-10T09:00:00Z");

describe("activity list page", () => {
  const list = (over: Partial<ActivityListView> = {}): ActivityListView => ({ language: "nl", isAdmin: false, pendingCount: 0, chosen: "", rows: [], ...over });

  it("says so when there are no activities, without an empty table", () => {
    const out = activityListPage(list(), nl).value;
    expect(out).toContain(`<p>${nl("activities_empty")}</p>`);
    expect(out).not.toContain("<table");
  });

  it("lists each activity with its Dutch title (escaped), when, status and the languages still missing", () => {
    const out = activityListPage(list({ language: "en", rows: [{ id: "a1", texts: [{ language: "nl", title: HOSTILE }, { language: "en", title: "Coffee" }], startsAt, endsAt: null, organisation: "Moskee", status: "pending" }] }), en).value;
    expect(out).toContain(`<a href="/admin/activities/a1">${ESCAPED}</a>`);
    expect(out).not.toContain("<script>");
    expect(out).toContain(`<span class="status status-pending">${en("status_pending")}</span>`);
    expect(out).toContain(["tr", "ar", "pl", "uk"].map((l) => en(`lang_${l}`)).join(", "));
    expect(out).toContain("10 December 2026, 10:00");
    // Key figures see only their own organisation: no organisation column.
    expect(out).not.toContain(`<th scope="col">${en("organisation")}</th>`);
  });

  it("shows admins the organisation column and how many wait for approval; the filter keeps its choice", () => {
    const out = activityListPage(list({ isAdmin: true, pendingCount: 3, chosen: "approved", rows: [{ id: "a1", texts: [], startsAt, endsAt: null, organisation: "Kerk & Co", status: "approved" }] }), nl).value;
    expect(out).toContain(`<th scope="col">${nl("organisation")}</th>`);
    expect(out).toContain("<td>Kerk &amp; Co</td>");
    expect(out).toContain(`href="/admin/activities?status=pending">${nl("pending_count", { count: "3" })}`);
    expect(out).toContain(`<option value="approved" selected>`);
    expect(out).toContain(`<caption>${nl("activities_caption")} · ${nl("status_approved")}</caption>`);
    expect(out).toContain(`<a href="/admin/activities/a1">—</a>`);
  });
});

describe("activity form page", () => {
  const form = (over: Partial<ActivityFormView> = {}): ActivityFormView => ({ csrf: "tok", values: {}, problems: [], activity: undefined, organisations: undefined, needsReapproval: false, ...over });

  it("has the six languages (Dutch required), the when, where and for whom, and the form token", () => {
    const out = activityFormPage(form(), nl).value;
    expect(activityFormTitle(form(), nl)).toBe(nl("activity_new"));
    expect(out).toContain(`<form method="post" action="/admin/activities/new" class="activity"><input type="hidden" name="_csrf" value="tok">`);
    for (const l of ["nl", "en", "tr", "ar", "pl", "uk"]) expect(out).toContain(`name="title_${l}"`);
    expect(out).toMatch(/name="title_nl" lang="nl" dir="ltr" maxlength="80" value="" required/);
    expect(out).toMatch(/name="title_ar" lang="ar" dir="rtl"/);
    expect(out).not.toMatch(/name="title_en"[^>]*required/);
    for (const f of ["date", "startTime", "endTime", "place", "neighbourhood", "topic", "audience"]) expect(out).toContain(`name="${f}"`);
    expect(out).not.toContain(`name="organisationId"`);
    expect(out).not.toContain(`role="alert"`);
  });

  it("shows each problem at its field and in a summary that links there, and keeps what was typed (escaped)", () => {
    const out = activityFormPage(form({ values: { title_nl: HOSTILE, place: "x" }, problems: [{ field: "description_nl", key: "err_description_nl_required" }, { field: "title_en", key: "err_text_incomplete", language: "en" }] }), en).value;
    expect(out).toContain(`<div role="alert" class="error-summary" id="errors"><h2>${en("errors_title")}</h2>`);
    expect(out).toContain(`<li><a href="#f-description-nl">${en("err_description_nl_required")}</a></li>`);
    expect(out).toContain(en("err_text_incomplete", { max: "80", language: en("lang_en") }));
    expect(out).toMatch(/id="f-description-nl"[^>]*aria-describedby="f-description-nl-hint f-description-nl-error" aria-invalid="true"/);
    expect(out).toContain(`<p class="field-error" id="f-description-nl-error">`);
    expect(out).toContain(`value="${ESCAPED}"`);
    expect(out).not.toContain("<script>");
  });

  it("lets an admin choose the organisation of a new activity; editing posts to the activity and warns about approval", () => {
    const admin = activityFormPage(form({ organisations: [{ id: "o1", name: "Moskee <Al>" }], values: { organisationId: "o1" } }), nl).value;
    expect(admin).toContain(`<option value="o1" selected>Moskee &lt;Al&gt;</option>`);
    const edit = activityFormPage(form({ activity: { id: "a1" }, needsReapproval: true }), nl).value;
    expect(activityFormTitle(form({ activity: { id: "a1" } }), nl)).toBe(nl("activity_edit"));
    expect(edit).toContain(`action="/admin/activities/a1/edit"`);
    expect(edit).toContain(`<p class="notice">${nl("edit_needs_reapproval")}</p>`);
    expect(edit).toContain(`<a href="/admin/activities/a1">`);
  });
});

describe("activity detail page", () => {
  const activity: ActivityDetailView["activity"] = {
    id: "a1",
    status: "pending",
    rejectionReason: null,
    approvedAt: null,
    approvedByAdmin: false,
    organisation: { name: "Moskee", requiresApproval: true },
    startsAt,
    endsAt: null,
    place: "Buurthuis <De Poort>",
    neighbourhood: "korvel",
    topic: "meeting",
    audience: "everyone",
    texts: [
      { language: "ar", title: "قهوة", description: "للجميع" },
      { language: "nl", title: "Koffie", description: HOSTILE },
    ],
  };
  const detail = (over: Partial<ActivityDetailView> = {}): ActivityDetailView => ({ language: "nl", csrf: "tok", isAdmin: false, activity, ...over });
  const forms = (html: string) => [...html.matchAll(/action="\/admin\/activities\/a1\/(\w+)"/g)].map((m) => m[1]);

  it("shows the facts and every text in the order of the languages, escaped, right to left where it reads so", () => {
    const out = activityDetailPage(detail(), nl).value;
    expect(activityDetailTitle(detail())).toBe("Koffie");
    expect(out).toContain(`<dd>Buurthuis &lt;De Poort&gt;</dd>`);
    expect(out).toContain(`<p class="prose">${ESCAPED}</p>`);
    expect(out.indexOf('id="text-nl"')).toBeLessThan(out.indexOf('id="text-ar"'));
    expect(out).toContain(`<div lang="ar" dir="rtl">`);
    expect(out).toContain(`<h2>${nl("texts_title")}</h2>`);
  });

  it("offers only the actions this status and role allow", () => {
    expect(forms(activityDetailPage(detail(), nl).value)).toEqual(["cancel"]);
    expect(forms(activityDetailPage(detail({ isAdmin: true }), nl).value)).toEqual(["approve", "reject", "cancel"]);
    expect(forms(activityDetailPage(detail({ activity: { ...activity, status: "draft" } }), nl).value)).toEqual(["submit", "cancel"]);
    const approved = activityDetailPage(detail({ isAdmin: true, activity: { ...activity, status: "approved", approvedAt: startsAt, approvedByAdmin: true } }), nl).value;
    expect(forms(approved)).toEqual(["reject", "cancel"]);
    expect(approved).toContain(`href="/admin/activities/a1/broadcast"`);
    const cancelled = activityDetailPage(detail({ activity: { ...activity, status: "cancelled" } }), nl).value;
    expect(forms(cancelled)).toEqual([]);
    expect(cancelled).not.toContain(`/edit"`);
    expect(cancelled).not.toContain(`<h2>${nl("actions")}</h2>`);
  });

  it("says how it was approved, why it was rejected, and shows the reject form again with its problem", () => {
    expect(activityDetailPage(detail({ activity: { ...activity, status: "approved", approvedAt: startsAt } }), en).value).toContain(en("approved_at_once"));
    expect(activityDetailPage(detail({ activity: { ...activity, status: "rejected", rejectionReason: "Geen <datum>" } }), en).value).toContain(`<dd class="prose">Geen &lt;datum&gt;</dd>`);
    const again = activityDetailPage(detail({ isAdmin: true, reasonError: true, reason: "<b>" }), en).value;
    expect(again).toContain(`aria-invalid="true" aria-describedby="reason-error">&lt;b&gt;</textarea>`);
    expect(again).toContain(`<p role="alert" class="error"><a href="#reason">`);
  });

  it("shows a notice or an error when given", () => {
    expect(activityDetailPage(detail({ notice: "Opgeslagen" }), nl).value).toContain(`<p role="status" class="notice">Opgeslagen</p>`);
    expect(activityDetailPage(detail({ error: "<x>" }), nl).value).toContain(`<p role="alert" class="error">&lt;x&gt;</p>`);
  });
});
