import { beforeAll, describe, expect, it } from "vitest";
import type { PanelText } from "../../../src/admin/pages/page-parts.js";
import { handoffOverviewPage } from "../../../src/admin/pages/handoff-overview-page.js";
import { handoffInboxPage, handoffInboxParts, handoffNotLinkedPage, type HandoffInboxView, type InboxRow } from "../../../src/admin/pages/handoff-inbox-page.js";
import { handoffCasePage, handoffCaseParts, handoffCaseTitle, type HandoffCaseView } from "../../../src/admin/pages/handoff-case-page.js";
import { sharedContent } from "../../support/content.js";

let en: PanelText;
let nl: PanelText;
beforeAll(async () => {
  const { translator } = await sharedContent();
  en = (key, params) => translator.t("en", `admin:${key}`, params);
  nl = (key, params) => translator.t("nl", `admin:${key}`, params);
});

const at = new Date("2026-12-03T10:00:00Z");
const HOSTILE = `<img src=x onerror="alert(1)">`;
const ESCAPED = `&lt;img src=x onerror=&quot;alert(1)&quot;&gt;`;

describe("handoff overview (admin)", () => {
  it("counts each professional's cases per status and marks the overdue ones, without any case content", () => {
    const out = handoffOverviewPage({ rows: [{ name: "Fatma <B>", organisation: "Contour", counts: { new: 2, accepted: 1, in_contact: 0, closed: 5 }, overdue: 1 }, { name: "Joost", organisation: "Wijkteam", counts: { new: 0, accepted: 0, in_contact: 0, closed: 0 }, overdue: 0 }] }, en).value;
    expect(out).toContain(`<tr><td>Fatma &lt;B&gt; <small>Contour</small></td><td>2</td><td>1</td><td>0</td><td>5</td><td><span class="status status-overdue">1</span></td></tr>`);
    expect(out).toContain(`<td>0</td><td>0</td><td>0</td><td>0</td><td>0</td></tr>`);
    for (const st of ["new", "accepted", "in_contact", "closed"]) expect(out).toContain(`<th scope="col">${en(`ho_status_${st}`)}</th>`);
  });
});

describe("handoff inbox (professional)", () => {
  const row = (over: Partial<InboxRow> = {}): InboxRow => ({ id: "h1", code: "AB12CD", topic: "money", status: "new", overdue: false, acceptBy: at, checkInAnswer: null, checkInAnsweredAt: null, unread: 0, ...over });
  const inbox = (over: Partial<HandoffInboxView> = {}): HandoffInboxView => ({ language: "en", version: "v1", open: [], closed: [], ...over });

  it("an empty inbox says so in both lists, and the page is a live view with its version", () => {
    const parts = handoffInboxParts(inbox(), en);
    expect(parts.map((p) => p.name)).toEqual(["summary", "open", "closed"]);
    expect(parts[1]!.html.value).toBe(`<p>${en("ho_none")}</p>`);
    expect(parts[2]!.html.value).toContain(`<h2>${en("ho_closed")}</h2><p>${en("ho_none")}</p>`);
    const out = handoffInboxPage(inbox(), en).value;
    expect(out).toContain(`<div data-live-url="/admin/handoffs/live" data-live-version="v1"><div data-live-part="summary">`);
    expect(out).toContain(`<script src="/admin/assets/live-updates.js" defer></script>`);
  });

  it("lists cases by code name with unread counts, overdue marks, the time to accept and the resident's answer", () => {
    const parts = handoffInboxParts(inbox({ open: [row({ overdue: true, unread: 2 }), row({ id: "h2", status: "accepted", checkInAnswer: "not_helped", checkInAnsweredAt: at })] }), en);
    const [summary, open] = parts.map((p) => p.html.value);
    expect(summary).toContain(en("ho_intro", { count: "1" }));
    expect(summary).toContain(`<p role="alert" class="error">${en("ho_overdue_count", { count: "1" })}</p>`);
    expect(summary).toContain(en("ho_unread_count", { count: "2" }));
    expect(open).toContain(`<tr class="overdue"><td><a href="/admin/handoffs/h1">AB12CD</a> <span class="badge"`);
    expect(open).toContain(`<span class="visually-hidden">${en("badge_messages", { count: "2" })}</span>`);
    expect(open).toContain(`<span class="status status-overdue">${en("ho_overdue")}</span>`);
    expect(open).toContain(`<span class="status status-approved">${en("ho_status_accepted")}</span><br><small>${en("ho_checkin")} ${en("ho_checkin_not_helped")}`);
    expect(open).toContain("3 December 2026");
  });

  it("a professional account not linked yet is told so", () => {
    expect(handoffNotLinkedPage(nl).value).toBe(`<p role="status" class="notice">${nl("ho_not_linked")}</p>`);
  });
});

describe("handoff case page (professional)", () => {
  const view = (over: Partial<HandoffCaseView> = {}): HandoffCaseView => ({
    language: "en",
    csrf: "tok",
    version: "v9",
    id: "h1",
    code: "AB12CD",
    status: "new",
    outcome: null,
    overdue: false,
    checkInAnswer: null,
    checkInAnsweredAt: null,
    topic: "money",
    answers: [],
    call: undefined,
    caseLanguage: "ar",
    mode: "chat",
    phone: undefined,
    createdAt: at,
    acceptBy: at,
    matchFacts: null,
    matchReason: "old text <b>",
    professionalName: "Fatma",
    messages: [],
    notice: undefined,
    ...over,
  });
  const forms = (html: string) => [...html.matchAll(/action="\/admin\/handoffs\/h1\/(\w+)"/g)].map((m) => m[1]);

  it("names the case by its code; an empty chat says so; the notice slot waits hidden", () => {
    expect(handoffCaseTitle(view(), en)).toBe(en("ho_case", { code: "AB12CD" }));
    const out = handoffCasePage(view(), en).value;
    expect(out).toContain(`<p role="status" class="notice" id="case-notice" hidden></p>`);
    expect(out).toContain(`<li class="empty" data-id="empty">${en("ho_chat_empty")}</li>`);
    expect(out).toContain(`<div data-live-url="/admin/handoffs/h1/live" data-live-version="v9">`);
    expect(out).toContain(`<dd>${en("lang_ar")}</dd>`);
    expect(out).toContain(`<p>${en("match_legacy")}</p><ul><li>old text &lt;b&gt;</li></ul>`);
  });

  it("offers the actions of its status, with the form token", () => {
    expect(forms(handoffCaseParts(view(), en)[1]!.html.value)).toEqual(["accept", "close"]);
    expect(forms(handoffCaseParts(view({ status: "accepted" }), en)[1]!.html.value)).toEqual(["status", "close"]);
    expect(forms(handoffCaseParts(view({ status: "in_contact" }), en)[1]!.html.value)).toEqual(["close"]);
    expect(forms(handoffCaseParts(view({ status: "closed", outcome: "helped" }), en)[1]!.html.value)).toEqual([]);
    expect(handoffCaseParts(view(), en)[1]!.html.value).toContain(`<input type="hidden" name="_csrf" value="tok">`);
    const page = handoffCasePage(view({ status: "closed" }), en).value;
    expect(page).not.toContain(`action="/admin/handoffs/h1/message"`);
    expect(page).toContain(`${en("ho_status_closed")}`);
  });

  it("shows the conversation escaped, each message with who wrote it, and a held one marked", () => {
    const out = handoffCasePage(view({ notice: "Sent.", messages: [{ id: "1", author: "resident", createdAt: at, held: false, text: HOSTILE }, { id: "2", author: "professional", createdAt: at, held: true, text: "Hallo" }, { id: "3", author: "system", createdAt: at, held: false, text: "x" }] }), en).value;
    expect(out).toContain(`<p class="prose">${ESCAPED}</p>`);
    expect(out).not.toContain("<img");
    expect(out).toContain(`<li class="msg msg-resident" data-id="1"><p class="meta"><strong>${en("ho_from_resident", { code: "AB12CD" })}</strong>`);
    expect(out).toContain(`<strong>Fatma</strong> · Thursday, 3 December 2026, 11:00 · ${en("ho_held")}`);
    expect(out).toContain(`<strong>Naast</strong>`);
    expect(out).toContain(`<p role="status" class="notice" id="case-notice">Sent.</p>`);
    expect(out).toContain(`<textarea id="text" name="text" rows="4" maxlength="2000" required></textarea>`);
  });

  it("a call case shows the number as a tel: link and when a call is safe, without a chat", () => {
    const out = handoffCasePage(view({ mode: "call", phone: "06 12 34 56 78", call: { when: "evening", identify: false } }), en).value;
    expect(out).toContain(`<a href="tel:0612345678">06 12 34 56 78</a>`);
    expect(out).toContain(`<dd class="warning">${en("ho_call_identify_no")}</dd>`);
    expect(out).toContain(`<dd>${en("ho_call_when_evening")}</dd>`);
    expect(out).not.toContain(`<ol class="chat"`);
  });
});
