import { beforeAll, describe, expect, it } from "vitest";
import type { PanelText } from "../../../src/admin/pages/page-parts.js";
import { noticesPage, type NoticesView } from "../../../src/admin/pages/notices-page.js";
import { chatLinkPage, type ChatLinkView } from "../../../src/admin/pages/chat-link-page.js";
import { sharedContent } from "../../support/content.js";

let nl: PanelText;
beforeAll(async () => {
  const { translator } = await sharedContent();
  nl = (key, params) => translator.t("nl", `admin:${key}`, params);
});

const at = new Date("2026-12-03T10:00:00Z");

describe("notices page", () => {
  const view = (over: Partial<NoticesView> = {}): NoticesView => ({ language: "nl", saved: undefined, emailOn: false, notices: [], ...over });

  it("says there is nothing yet, and whether e-mail is on", () => {
    expect(noticesPage(view(), nl).value).toContain(`<p>${nl("notices_none")}</p>`);
    expect(noticesPage(view(), nl).value).toContain(nl("notices_intro"));
    expect(noticesPage(view({ emailOn: true }), nl).value).toContain(nl("notices_intro_email"));
  });

  it("lists notices escaped, unread ones marked, with when and a link", () => {
    const out = noticesPage(view({ saved: "Opgeslagen", notices: [{ kind: "handoff-overdue", text: "Verzoek <AB12> wacht", createdAt: at, link: "/admin/coordination", read: false }, { kind: "activity-approved", text: "Goedgekeurd", createdAt: at, link: null, read: true }] }), nl).value;
    expect(out).toContain(`<p role="status" class="notice saved">Opgeslagen</p>`);
    expect(out).toContain(`<li class="notice-item unread" data-kind="handoff-overdue"><strong class="badge">${nl("notice_new")}</strong> Verzoek &lt;AB12&gt; wacht`);
    expect(out).toContain(`<a href="/admin/coordination">${nl("notice_open")}</a>`);
    expect(out).toContain(`<li class="notice-item" data-kind="activity-approved">Goedgekeurd`);
    expect(out).toContain("december 2026");
  });
});

describe("chat-link page", () => {
  const view = (over: Partial<ChatLinkView> = {}): ChatLinkView => ({ language: "nl", csrf: "tok", saved: undefined, keyFigure: false, linked: false, code: undefined, ...over });

  it("not linked: says so and offers to make a code, nothing to unlink", () => {
    const out = chatLinkPage(view(), nl).value;
    expect(out).toContain(`<p role="status" class="notice" id="link-state">${nl("chat_link_not_linked")}</p>`);
    expect(out).toContain(`<form method="post" action="/admin/chat-link"><input type="hidden" name="_csrf" value="tok"><button type="submit">${nl("chat_link_make")}</button></form>`);
    expect(out).not.toContain("/admin/chat-link/unlink");
    expect(out).not.toContain(`id="link-code"`);
  });

  it("with a fresh code: shows what to type and until when; linked: offers to relink and unlink", () => {
    const out = chatLinkPage(view({ keyFigure: true, linked: true, code: { code: "K7P2", expiresAt: at } }), nl).value;
    expect(out).toContain(nl("chat_link_intro_keyfigure"));
    expect(out).toContain(`<code id="link-code">koppel K7P2</code>`);
    expect(out).toContain("11:00");
    expect(out).toContain(`<form method="post" action="/admin/chat-link/unlink" class="danger">`);
    expect(out).toContain(nl("chat_link_relink"));
  });
});
