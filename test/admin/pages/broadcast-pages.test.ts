import { beforeAll, describe, expect, it } from "vitest";
import type { PanelText } from "../../../src/admin/pages/page-parts.js";
import { broadcastPlanPage, type BroadcastPlanView } from "../../../src/admin/pages/broadcast-plan-page.js";
import { broadcastProgressPage, broadcastProgressPart, type BroadcastProgressView } from "../../../src/admin/pages/broadcast-progress-page.js";
import type { BroadcastProgress } from "../../../src/broadcasts/broadcast-service.js";
import { sharedContent } from "../../support/content.js";

let nl: PanelText;
beforeAll(async () => {
  const { translator } = await sharedContent();
  nl = (key, params) => translator.t("nl", `admin:${key}`, params);
});

const at = new Date("2026-12-03T10:00:00Z");

describe("broadcast plan page", () => {
  const view = (over: Partial<BroadcastPlanView> = {}): BroadcastPlanView => ({
    language: "nl",
    csrf: "tok",
    error: undefined,
    activity: { id: "a1", title: "Koffie <ochtend>", status: "approved", startsAt: at, endsAt: null },
    preview: { total: 12, byChannel: { telegram: 4, whatsapp: 8 }, byLanguage: { nl: 9, tr: 3 }, template: 0, quiet: 0 },
    running: null,
    strong: true,
    soon: { date: "2026-12-03", time: "12:00" },
    history: [],
    ...over,
  });

  it("shows the activity escaped and the audience as counts, largest first", () => {
    const out = broadcastPlanPage(view({ preview: { total: 12, byChannel: { telegram: 4, whatsapp: 8 }, byLanguage: { nl: 9, tr: 3 }, template: 2, quiet: 5 } }), nl).value;
    expect(out).toContain(`<a href="/admin/activities/a1">Koffie &lt;ochtend&gt;</a> · `);
    expect(out).toContain(`<section aria-labelledby="audience-h"><h2 id="audience-h">${nl("bc_audience")}</h2>`);
    expect(out).toContain(`<p class="big" id="audience-total">${nl("bc_audience_total", { count: "12" })}</p>`);
    expect(out).toContain(`<ul class="counts"><li><span>${nl("channel_whatsapp")}</span> <strong>8</strong></li><li><span>${nl("channel_telegram")}</span> <strong>4</strong></li></ul>`);
    expect(out).toContain(`<li><span>${nl("lang_nl")}</span> <strong>9</strong></li>`);
    expect(out).toContain(nl("bc_template_note", { count: "2" }));
    expect(out).toContain(nl("bc_quiet_note", { count: "5" }));
  });

  it("an approved activity with a second factor gets the form: now or later, labelled fields, the proposed time", () => {
    const out = broadcastPlanPage(view(), nl).value;
    expect(out).toContain(`<form method="post" action="/admin/activities/a1/broadcast" class="plan"><input type="hidden" name="_csrf" value="tok">`);
    expect(out).toContain(`<legend>${nl("bc_when")}</legend>`);
    expect(out).toContain(`<input type="radio" id="when-now" name="when" value="now" checked> <label for="when-now">${nl("bc_now")}</label>`);
    expect(out).toContain(`<input type="radio" id="when-later" name="when" value="later"> <label for="when-later">${nl("bc_later")}</label>`);
    expect(out).toContain(`<label for="bc-date">${nl("field_date")}</label><input type="date" id="bc-date" name="date" value="2026-12-03">`);
    expect(out).toContain(`<label for="bc-time">${nl("field_start")}</label><input type="time" id="bc-time" name="time" value="12:00">`);
    expect(out).toContain(`<button type="submit">${nl("bc_send")}</button></form>`);
    expect(out).not.toContain(`role="status"`);
    expect(out).not.toContain(`role="alert"`);
  });

  it("an empty audience: the total and the counts say so, and the button points at the total", () => {
    const out = broadcastPlanPage(view({ preview: { total: 0, byChannel: {}, byLanguage: {}, template: 0, quiet: 0 } }), nl).value;
    expect(out).toContain(`<h3>${nl("bc_by_channel")}</h3><p>—</p>`);
    expect(out).toContain(`<button type="submit" aria-describedby="audience-total">`);
  });

  it("no form while running, not approved or without a second factor, each saying why; an error as an alert", () => {
    const running = broadcastPlanPage(view({ running: { id: "b1" } }), nl).value;
    expect(running).toContain(`<p role="status" class="notice"><a href="/admin/broadcasts/b1">${nl("bc_running")}</a></p>`);
    expect(running).not.toContain("<form");
    const pending = broadcastPlanPage(view({ activity: { id: "a1", title: "X", status: "pending", startsAt: at, endsAt: null } }), nl).value;
    expect(pending).toContain(`<p role="status" class="notice">${nl("bc_not_approved")}</p>`);
    expect(pending).not.toContain("<form");
    const weak = broadcastPlanPage(view({ strong: false, error: "Nee <nu>" }), nl).value;
    expect(weak).toContain(`<p role="status" class="notice">${nl("bc_needs_2fa")} <a href="/admin/2fa/setup">${nl("bc_setup_2fa")}</a></p>`);
    expect(weak).toContain(`<p role="alert" class="error">Nee &lt;nu&gt;</p>`);
    expect(weak).not.toContain("<form");
  });

  it("lists earlier broadcasts with their state", () => {
    expect(broadcastPlanPage(view(), nl).value).not.toContain(nl("bc_history"));
    const out = broadcastPlanPage(view({ history: [{ id: "b1", status: "done", scheduledFor: at }] }), nl).value;
    expect(out).toContain(`<h2>${nl("bc_history")}</h2><ul><li><a href="/admin/broadcasts/b1">`);
    expect(out).toContain(`</a> — ${nl("bc_status_done")}</li>`);
  });
});

describe("broadcast progress page", () => {
  const progress = (over: Partial<BroadcastProgress> = {}): BroadcastProgress => ({
    id: "b1",
    status: "sending",
    scheduledFor: at,
    recipients: 10,
    fannedOut: true,
    counts: { pending: 0, sending: 0, sent: 3, delivered: 2, read: 1, failed: 1, blocked: 1, unknown: 0, cancelled: 0 },
    failures: [],
    done: 8,
    inDoubtResolved: { confirmed: 0, resent: 0 },
    ...over,
  });
  const view = (over: Partial<BroadcastProgress> = {}): BroadcastProgressView => ({ language: "nl", csrf: "tok", progress: progress(over), broadcastId: "b1", activity: { id: "a1", title: "Koffie <ochtend>" } });

  it("shows the state, a labelled progress bar and every count", () => {
    const out = broadcastProgressPart(view(), nl).value;
    expect(out).toContain(`<div id="progress-area" data-status="sending">`);
    expect(out).toContain(`<p id="bc-status" role="status" aria-live="polite">${nl("bc_status_sending")}</p>`);
    expect(out).toContain(`<label for="bc-progress">${nl("bc_progress_label", { done: "8", total: "10" })}</label>`);
    expect(out).toContain(`<progress id="bc-progress" max="10" value="8">8 / 10</progress>`);
    expect(out).toContain(`<dt>${nl("bc_count_sent")}</dt><dd data-count="sent">3</dd>`);
    expect(out).toContain(`<dd data-count="blocked">1</dd>`);
    expect(out).not.toContain(nl("bc_failures"));
  });

  it("a planned broadcast says when; a finished empty one shows a full bar", () => {
    expect(broadcastProgressPart(view({ status: "scheduled" }), nl).value).toContain(`${nl("bc_status_scheduled")} — `);
    expect(broadcastProgressPart(view({ status: "done", recipients: 0, done: 0 }), nl).value).toContain(`<progress id="bc-progress" max="1" value="1">0 / 0</progress>`);
  });

  it("explains failures in plain words, the platform's own words escaped for unknown codes", () => {
    const out = broadcastProgressPart(view({ failures: [{ status: "failed", code: "telegram-403", reason: "Forbidden", count: 2 }, { status: "failed", code: "x-1", reason: "Bad <thing>", count: 1 }, { status: "blocked", code: "y", reason: "", count: 4 }] }), nl).value;
    expect(out).toContain(`<h2>${nl("bc_failures")}</h2><ul class="failures">`);
    expect(out).toContain(`<li><strong>2</strong> × ${nl("reason_telegram-403")}</li>`);
    expect(out).toContain(`<li><strong>1</strong> × ${nl("reason_other", { reason: "Bad <thing>" }).replace(/</g, "&lt;").replace(/>/g, "&gt;")}</li>`);
    expect(out).toContain(`<li><strong>4</strong> × ${nl("reason_blocked")}</li>`);
  });

  it("shows sends that were in doubt and are resolved only when there are any", () => {
    expect(broadcastProgressPart(view(), nl).value).not.toContain("in-doubt-resolved");
    const out = broadcastProgressPart(view({ inDoubtResolved: { confirmed: 2, resent: 1 } }), nl).value;
    expect(out).toContain(`<p id="in-doubt-resolved">${nl("bc_in_doubt_resolved", { confirmed: "2", resent: "1" })}</p>`);
    expect(broadcastProgressPart(view({ failures: [{ status: "unknown", code: "in-doubt-again", reason: "", count: 1 }] }), nl).value).toContain(nl("reason_in-doubt-again"));
  });

  it("while sending: the cancel button and the refreshing script; once finished only the way back", () => {
    const out = broadcastProgressPage(view(), nl).value;
    expect(out).toContain(`<p><a href="/admin/activities/a1">Koffie &lt;ochtend&gt;</a></p>`);
    expect(out).toContain(`<form method="post" action="/admin/broadcasts/b1/cancel" class="danger" id="cancel-form"><input type="hidden" name="_csrf" value="tok"><button type="submit">${nl("bc_cancel")}</button></form>`);
    expect(out).toContain(`<script src="/admin/assets/broadcast-progress.js" defer></script>`);
    expect(out).toContain(`<a href="/admin/activities/a1/broadcast">${nl("bc_back")}</a>`);
    const done = broadcastProgressPage(view({ status: "done" }), nl).value;
    expect(done).not.toContain("cancel-form");
    expect(done).not.toContain("broadcast-progress.js");
  });
});
