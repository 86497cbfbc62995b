import { beforeAll, describe, expect, it } from "vitest";
import type { PanelText } from "../../../src/admin/pages/page-parts.js";
import { PANEL_ERRORS, panelErrorPage, panelErrorTitle } from "../../../src/admin/pages/panel-error-page.js";
import { sharedContent } from "../../support/content.js";

let en: PanelText;
let nl: PanelText;
beforeAll(async () => {
  const { translator } = await sharedContent();
  en = (key, params) => translator.t("en", `admin:${key}`, params);
  nl = (key, params) => translator.t("nl", `admin:${key}`, params);
});

const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#39;");

describe("panel error pages", () => {
  it.each([
    ["csrf-failed", "error_title", "csrf_failed"],
    ["forbidden", "forbidden_title", "forbidden"],
    ["not-found", "not_found_title", "not_found"],
  ] as const)("%s: its own title, the reason as an alert and the way back to the start page", (error, title, text) => {
    for (const t of [en, nl]) {
      expect(panelErrorTitle({ error }, t)).toBe(t(title));
      expect(panelErrorPage({ error }, t).value).toBe(`<p role="alert">${esc(t(text))}</p><p><a href="/admin">${esc(t("back_to_panel"))}</a></p>`);
    }
  });

  it("every refusal has a title and a text of its own, in both panel languages", () => {
    for (const t of [en, nl]) {
      const titles = PANEL_ERRORS.map((error) => panelErrorTitle({ error }, t));
      const bodies = PANEL_ERRORS.map((error) => panelErrorPage({ error }, t).value);
      expect(new Set(titles).size).toBe(PANEL_ERRORS.length);
      expect(new Set(bodies).size).toBe(PANEL_ERRORS.length);
      for (const s of [...titles, ...bodies]) expect(s).not.toMatch(/admin:|_title|_failed|not_found/);
    }
  });

  it("escapes the texts: a translation with markup characters stays text", () => {
    const marked: PanelText = (key) => `<${key}> & "x"`;
    expect(panelErrorPage({ error: "forbidden" }, marked).value).toBe(`<p role="alert">&lt;forbidden&gt; &amp; &quot;x&quot;</p><p><a href="/admin">&lt;back_to_panel&gt; &amp; &quot;x&quot;</a></p>`);
  });
});
