import { beforeAll, describe, expect, it } from "vitest";
import type { PanelText } from "../../../src/admin/pages/page-parts.js";
import { homePage, type HomeRoleView, type HomeView, type KeyFigureActivityRow } from "../../../src/admin/pages/home-page.js";
import { sharedContent } from "../../support/content.js";

let nl: PanelText;
beforeAll(async () => {
  const { translator } = await sharedContent();
  nl = (key, params) => translator.t("nl", `admin:${key}`, params);
});

const at = new Date("2026-12-03T10:00:00Z");
const view = (cards: HomeRoleView, over: Partial<HomeView> = {}): HomeView => ({ language: "nl", saved: undefined, role: cards.role, organisation: null, welcome: false, notices: [], cards, ...over });
const admin = (over: Partial<Extract<HomeRoleView, { role: "admin" }>> = {}): HomeRoleView => ({ role: "admin", pendingActivities: 0, requests: { waiting: 0, overdue: 0, open: 0 }, matchableProfessionals: 1, exampleProfessionals: 0, broadcasts: [], delivery: { sent: 0, refused: 0, waiting: 0, waitingForProof: 0, provedByStatus: 0, sentOnceMore: 0, inDoubtForGood: 0 }, ...over });
const activity = (over: Partial<KeyFigureActivityRow> = {}): KeyFigureActivityRow => ({ id: "a1", title: "Koffie", startsAt: at, endsAt: null, status: "approved", rejectionReason: null, running: null, sent: false, reached: 0, ...over });
/** The third cell (reach) of the key figure's one activity row. */
const reachOf = (out: string) => out.split("<td>").at(-1)?.split("</td></tr>")[0];

describe("home page", () => {
  it("names the role and the organisation (escaped, DEMO marked); a coordinator without one is the wijkregie", () => {
    const out = homePage(view({ role: "coordinator", requests: { waiting: 0, overdue: 0, open: 0 } }, { organisation: { name: "Buurt <&> Huis", demo: true } }), nl).value;
    expect(out).toContain(`<p>${nl("role_coordinator")} · Buurt &lt;&amp;&gt; Huis <span class="status status-pending">DEMO</span></p>`);
    expect(homePage(view({ role: "coordinator", requests: { waiting: 0, overdue: 0, open: 0 } }), nl).value).toContain(`<p>${nl("role_coordinator")} · ${nl("co_wijkregie")}</p>`);
    expect(homePage(view(admin()), nl).value).toContain(`<p>${nl("role_admin")}</p>`);
  });

  it("says what was saved, welcomes a new account in words for its role, and shows unread notices escaped", () => {
    const out = homePage(view(admin(), { saved: "Opgeslagen", welcome: true, notices: [{ kind: "handoff-overdue", text: "Verzoek <AB12> wacht", createdAt: at, link: null, read: false }] }), nl).value;
    expect(out).toContain(`<p role="status" class="notice saved">Opgeslagen</p>`);
    expect(out).toContain(`<p>${nl("home_first_admin")}</p>`);
    expect(out).toContain(`<section class="card" aria-labelledby="home-notices"><h2 id="home-notices">${nl("home_notices")}</h2><ul class="notices"><li class="notice-item unread" data-kind="handoff-overdue">`);
    expect(out).toContain("Verzoek &lt;AB12&gt; wacht");
    expect(out).toContain(`<a href="/admin/notices">${nl("home_all_notices")}</a>`);
    const quiet = homePage(view(admin()), nl).value;
    expect(quiet).not.toContain("home-notices");
    expect(quiet).not.toContain(nl("home_first_admin"));
  });

  it("admin: the last week's sends, with those in doubt by how they were resolved; one nobody can resolve is marked", () => {
    const delivery = { sent: 120, refused: 2, waiting: 1, waitingForProof: 3, provedByStatus: 4, sentOnceMore: 5, inDoubtForGood: 6 };
    const out = homePage(view(admin({ delivery })), nl).value;
    expect(out).toContain(`<h2 id="home-delivery">${nl("home_delivery")}</h2>`);
    expect(out).toContain(`<dt>${nl("home_delivery_sent")}</dt><dd data-count="delivery-sent">120</dd>`);
    expect(out).toContain(`<dd data-count="delivery-provedByStatus">4</dd>`);
    expect(out).toContain(`<dd data-count="delivery-sentOnceMore">5</dd>`);
    expect(out).toContain(`<dd data-count="delivery-inDoubtForGood"><span class="status status-overdue">6</span></dd>`);
    expect(homePage(view(admin()), nl).value).toContain(`<dd data-count="delivery-inDoubtForGood">0</dd>`);
  });

  it("admin: counts with links, urgent ones marked only when not zero, running broadcasts escaped", () => {
    const out = homePage(view(admin({ pendingActivities: 2, requests: { waiting: 3, overdue: 0, open: 4 }, broadcasts: [{ id: "b1", title: "Feest <b>", status: "sending", scheduledFor: at }] })), nl).value;
    expect(out).toContain(`<li class="urgent"><a href="/admin/activities?status=pending"><strong data-count="activities_pending">2</strong> ${nl("home_activities_pending", { count: "2" })}</a></li>`);
    expect(out).toContain(`<li><a href="/admin/coordination"><strong data-count="requests_overdue">0</strong>`);
    expect(out).toContain(`<li><a href="/admin/coordination"><strong data-count="requests_waiting">3</strong>`);
    expect(out).toContain(`<li><a href="/admin/handoffs"><strong data-count="requests_open">4</strong>`);
    expect(out).toContain(`<h2 id="home-broadcasts">${nl("home_broadcasts")}</h2><ul><li><a href="/admin/broadcasts/b1">Feest &lt;b&gt;</a> — ${nl("bc_status_sending")} (`);
    expect(out).not.toContain(`role="alert"`);
    expect(homePage(view(admin()), nl).value).not.toContain("home-broadcasts");
  });

  it("admin: warns while no professional can be matched, naming the example people", () => {
    const out = homePage(view(admin({ matchableProfessionals: 0, exampleProfessionals: 3 })), nl).value;
    expect(out).toContain(`<div role="alert" class="error"><p>${nl("home_no_professionals")}</p><p><a href="/admin/professionals">${nl("home_link_professionals")}</a> · <small>${nl("home_examples", { count: "3" })}</small></p></div>`);
    expect(homePage(view(admin({ matchableProfessionals: 0 })), nl).value).toContain(`${nl("home_link_professionals")}</a></p></div>`);
  });

  it("coordinator: the organisation's requests, open ones leading to coordination", () => {
    const out = homePage(view({ role: "coordinator", requests: { waiting: 1, overdue: 1, open: 2 } }), nl).value;
    expect(out).toContain(`<li class="urgent"><a href="/admin/coordination"><strong data-count="requests_overdue">1</strong>`);
    expect(out).toContain(`<li><a href="/admin/coordination"><strong data-count="requests_open">2</strong>`);
    expect(out).not.toContain("activities_pending");
  });

  it("professional: own new and overdue requests and unread messages, or that the account is not linked", () => {
    const out = homePage(view({ role: "professional", linked: true, overdue: 0, fresh: 2, unreadMessages: 5 }), nl).value;
    expect(out).toContain(`<li><a href="/admin/handoffs"><strong data-count="requests_overdue_mine">0</strong>`);
    expect(out).toContain(`<li><a href="/admin/handoffs"><strong data-count="requests_new_mine">2</strong>`);
    expect(out).toContain(`<li class="urgent"><a href="/admin/handoffs"><strong data-count="messages_unread">5</strong>`);
    const unlinked = homePage(view({ role: "professional", linked: false }), nl).value;
    expect(unlinked).toContain(`<p role="status" class="notice">${nl("ho_not_linked")}</p>`);
    expect(unlinked).not.toContain("home-attention");
  });

  it("key figure: the empty state links to a new activity; nothing at all without an organisation", () => {
    expect(homePage(view({ role: "keyfigure", activities: [] }), nl).value).toContain(`<p>${nl("home_no_activities")} <a href="/admin/activities/new">${nl("activity_new")}</a></p>`);
    expect(homePage(view({ role: "keyfigure", activities: null }), nl).value).not.toContain("<section");
  });

  it("key figure: each activity with status, the rejection reason escaped, and how far its broadcast got", () => {
    const rejected = homePage(view({ role: "keyfigure", activities: [activity({ title: "Thee <i>", status: "rejected", rejectionReason: "Te <laat>" })] }), nl).value;
    expect(rejected).toContain(`<a href="/admin/activities/a1">Thee &lt;i&gt;</a>`);
    expect(rejected).toContain(`<span class="status status-rejected">${nl("status_rejected")}</span><br><small>${nl("rejection_reason")}: Te &lt;laat&gt;</small>`);
    expect(reachOf(rejected)).toBe("—");
    expect(reachOf(homePage(view({ role: "keyfigure", activities: [activity()] }), nl).value)).toBe(`<a href="/admin/activities/a1/broadcast">${nl("home_not_sent")}</a>`);
    expect(reachOf(homePage(view({ role: "keyfigure", activities: [activity({ sent: true, reached: 7 })] }), nl).value)).toBe(nl("home_reach", { count: "7" }));
    expect(reachOf(homePage(view({ role: "keyfigure", activities: [activity({ sent: true, running: { id: "b2", status: "scheduled" } })] }), nl).value)).toBe(`<a href="/admin/broadcasts/b2">${nl("bc_status_scheduled")}</a>`);
    expect(homePage(view({ role: "keyfigure", activities: [activity({ title: null })] }), nl).value).toContain(`<a href="/admin/activities/a1">—</a>`);
  });
});
