import { beforeAll, describe, expect, it } from "vitest";
import { formatWhen } from "../../../src/activities/local-time.js";
import { inviteInvalidPage, invitePage, inviteTitle, type InviteView } from "../../../src/admin/pages/invite-page.js";
import { loginCodePage } from "../../../src/admin/pages/login-code-page.js";
import { loginPage } from "../../../src/admin/pages/login-page.js";
import type { PanelText } from "../../../src/admin/pages/page-parts.js";
import { totpSetupPage, type TotpSetupView } from "../../../src/admin/pages/totp-setup-page.js";
import { MIN_PASSWORD_LENGTH } from "../../../src/admin/password.js";
import { sharedContent } from "../../support/content.js";

let en: PanelText;
let nl: PanelText;
beforeAll(async () => {
  const { translator } = await sharedContent();
  en = (key, params) => translator.t("en", `admin:${key}`, params);
  nl = (key, params) => translator.t("nl", `admin:${key}`, params);
});

const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#39;");

/** Every visible input, with its attributes as written. */
function inputs(out: string): Map<string, string> {
  const found = new Map<string, string>();
  for (const m of out.matchAll(/<input ([^>]*)>/g)) {
    const attrs = m[1]!;
    if (attrs.includes(`type="hidden"`)) continue;
    const id = /\bid="([^"]+)"/.exec(attrs)?.[1];
    expect(id, `input without id: ${attrs}`).toBeDefined();
    found.set(id!, attrs);
  }
  return found;
}

/** Every visible input has exactly one label pointing at it, right before it, with this text. */
function expectLabelled(out: string, labels: Record<string, string>): void {
  const ids = [...inputs(out).keys()];
  expect(ids.sort()).toEqual(Object.keys(labels).sort());
  for (const [id, text] of Object.entries(labels)) {
    expect(out.split(`<label for="${id}">`)).toHaveLength(2);
    expect(out).toContain(`<label for="${id}">${esc(text)}</label><input id="${id}" `);
  }
}

const alerts = (out: string) => [...out.matchAll(/<p role="alert"[^>]*>([^<]*)<\/p>/g)].map((m) => m[1]);
const hostile = `Te <veel> "pogingen" & 'zo'`;

describe("login page", () => {
  it("asks for e-mail and password, labelled, with the autocomplete words password managers need", () => {
    const out = loginPage({ csrf: "tok", error: undefined }, en).value;
    expect(out).toContain(`<form method="post" action="/admin/login"><input type="hidden" name="_csrf" value="tok">`);
    expectLabelled(out, { email: en("email"), password: en("password") });
    const fields = inputs(out);
    expect(fields.get("email")).toBe(`id="email" name="email" type="email" autocomplete="username" required`);
    expect(fields.get("password")).toBe(`id="password" name="password" type="password" autocomplete="current-password" required`);
    expect(out).toContain(`<button type="submit">${en("login")}</button></form>`);
    expect(out).not.toContain("<h1");
    expect(alerts(out)).toEqual([]);
  });

  it("says why a try was refused as an alert above the form, escaped, and escapes the token", () => {
    const out = loginPage({ csrf: `"><b>`, error: hostile }, nl).value;
    expect(out.startsWith(`<p role="alert" class="error">${esc(hostile)}</p>`)).toBe(true);
    expect(alerts(out)).toEqual([esc(hostile)]);
    expect(out).toContain(`<input type="hidden" name="_csrf" value="&quot;&gt;&lt;b&gt;">`);
    expect(out).not.toContain("<b>");
    expectLabelled(out, { email: nl("email"), password: nl("password") });
  });
});

describe("login code page", () => {
  it("asks for the six-digit code from the app: numeric keyboard, pattern, one-time-code", () => {
    const out = loginCodePage({ csrf: "tok", error: undefined }, en).value;
    expect(out.startsWith(`<p>${esc(en("code_help"))}</p>`)).toBe(true);
    expect(out).toContain(`<form method="post" action="/admin/login/code"><input type="hidden" name="_csrf" value="tok">`);
    expectLabelled(out, { code: en("code") });
    expect(inputs(out).get("code")).toBe(`id="code" name="code" inputmode="numeric" pattern="[0-9]{6}" autocomplete="one-time-code" required`);
    expect(out).toContain(`<button type="submit">${en("confirm")}</button></form>`);
    expect(alerts(out)).toEqual([]);
  });

  it("says why a code was refused as an alert before the help, escaped", () => {
    const out = loginCodePage({ csrf: "tok", error: hostile }, en).value;
    expect(out.startsWith(`<p role="alert" class="error">${esc(hostile)}</p><p>${esc(en("code_help"))}</p>`)).toBe(true);
  });
});

describe("two-factor set-up page", () => {
  const at = new Date("2026-12-03T10:00:00Z");
  const view = (over: Partial<TotpSetupView> = {}): TotpSetupView => ({
    language: "en",
    csrf: "tok",
    error: undefined,
    reset: undefined,
    secret: "ABCDEFGHIJKLMNOPQR",
    otpauthUri: `otpauth://totp/Naast:a%40b?secret=ABCD&issuer=Naast&x="y"`,
    qrImage: "data:image/svg+xml;base64,PHN2Zz4=",
    ...over,
  });

  it("shows the QR code with a text alternative, the secret in groups of four with its name, and a link for this phone", () => {
    const out = totpSetupPage(view(), en).value;
    expect(out.startsWith(`<p>${esc(en("setup_help"))}</p>`)).toBe(true);
    expect(out).toContain(`<figure class="qr"><img src="data:image/svg+xml;base64,PHN2Zz4=" alt="${esc(en("setup_qr_alt"))}" width="220" height="220"><figcaption>${esc(en("setup_qr"))}</figcaption></figure>`);
    expect(out).toContain(`<p class="secret" aria-label="${esc(en("setup_secret"))}"><code>ABCD EFGH IJKL MNOP QR</code></p>`);
    expect(out).toContain(`<p><a href="otpauth://totp/Naast:a%40b?secret=ABCD&amp;issuer=Naast&amp;x=&quot;y&quot;">${esc(en("setup_open_app"))}</a></p>`);
    expect(alerts(out)).toEqual([]);
    expect(out).not.toContain(`role="status"`);
  });

  it("confirms the first code in a labelled one-time-code field", () => {
    const out = totpSetupPage(view(), nl).value;
    expect(out).toContain(`<form method="post" action="/admin/2fa/setup"><input type="hidden" name="_csrf" value="tok">`);
    expectLabelled(out, { code: nl("code") });
    expect(inputs(out).get("code")).toBe(`id="code" name="code" inputmode="numeric" pattern="[0-9]{6}" autocomplete="one-time-code" required`);
    expect(out).toContain(`<button type="submit">${nl("confirm")}</button></form>`);
  });

  it("after an admin's reset says who and when (escaped), and a refused code as an alert first", () => {
    const out = totpSetupPage(view({ error: hostile, reset: { by: "Ad <min>", at } }), en).value;
    const notice = esc(en("setup_reset_notice", { by: "Ad <min>", when: formatWhen(at, null, "en") }));
    expect(notice).toContain("Ad &lt;min&gt;");
    expect(out.startsWith(`<p role="alert" class="error">${esc(hostile)}</p><p role="status" class="notice">${notice}</p><p>`)).toBe(true);
    expect(totpSetupPage(view({ language: "nl", reset: { by: "A", at } }), nl).value).toContain(esc(nl("setup_reset_notice", { by: "A", when: formatWhen(at, null, "nl") })));
  });
});

describe("invitation page", () => {
  const view = (over: Partial<InviteView> = {}): InviteView => ({ csrf: "tok", token: "abc_DEF-123", invite: { email: "new@example.org", firstAdmin: false }, error: undefined, typed: {}, ...over });

  it("an invitation: whom it is for, and only a new password (new-password, the minimum length)", () => {
    const out = invitePage(view({ invite: { email: `x"<y>@example.org`, firstAdmin: false } }), en).value;
    expect(inviteTitle(view(), en)).toBe(en("invite_title"));
    expect(out.startsWith(`<p>${esc(en("invite_help", { email: `x"<y>@example.org`, min: String(MIN_PASSWORD_LENGTH) }))}</p>`)).toBe(true);
    expect(out).toContain("x&quot;&lt;y&gt;@example.org");
    expect(out).toContain(`<form method="post" action="/admin/invite/abc_DEF-123"><input type="hidden" name="_csrf" value="tok">`);
    expectLabelled(out, { password: en("new_password") });
    expect(inputs(out).get("password")).toBe(`id="password" name="password" type="password" autocomplete="new-password" minlength="${MIN_PASSWORD_LENGTH}" required`);
    expect(out).toContain(`<button type="submit">${en("invite_accept")}</button></form>`);
    expect(alerts(out)).toEqual([]);
  });

  it("the first admin: also a name and an e-mail address, labelled, with autocomplete and limits", () => {
    const first = view({ invite: { email: "", firstAdmin: true } });
    const out = invitePage(first, nl).value;
    expect(inviteTitle(first, nl)).toBe(nl("first_admin_title"));
    expect(out.startsWith(`<p>${esc(nl("first_admin_help", { min: String(MIN_PASSWORD_LENGTH) }))}</p>`)).toBe(true);
    expectLabelled(out, { displayName: nl("name"), email: nl("email"), password: nl("new_password") });
    const fields = inputs(out);
    expect(fields.get("displayName")).toBe(`id="displayName" name="displayName" autocomplete="name" maxlength="80" value="" required`);
    expect(fields.get("email")).toBe(`id="email" name="email" type="email" autocomplete="email" maxlength="200" value="" required`);
    expect(fields.get("password")).toContain(`autocomplete="new-password"`);
  });

  it("after a refused try: why, as an alert first, and what was typed kept (escaped), never the password", () => {
    const out = invitePage(view({ invite: { email: "", firstAdmin: true }, error: hostile, typed: { displayName: `Ann "A" <b>`, email: "a@b.nl" } }), en).value;
    expect(out.startsWith(`<p role="alert" class="error">${esc(hostile)}</p><p>`)).toBe(true);
    const fields = inputs(out);
    expect(fields.get("displayName")).toContain(`value="Ann &quot;A&quot; &lt;b&gt;"`);
    expect(fields.get("email")).toContain(`value="a@b.nl"`);
    expect(fields.get("password")).not.toContain("value=");
  });

  it("escapes a token that is not what a link makes", () => {
    const out = invitePage(view({ token: `x"><script>` }), en).value;
    expect(out).toContain(`action="/admin/invite/x&quot;&gt;&lt;script&gt;"`);
    expect(out).not.toContain("<script>");
  });

  it("a link that no longer works: used or expired, or the first admin already made", () => {
    expect(inviteInvalidPage({ reason: "invalid" }, en).value).toBe(`<p role="alert">${esc(en("invite_invalid"))}</p>`);
    expect(inviteInvalidPage({ reason: "first-admin-taken" }, nl).value).toBe(`<p role="alert">${esc(nl("first_admin_taken"))}</p>`);
    expect(en("invite_invalid")).not.toBe(en("first_admin_taken"));
  });
});
