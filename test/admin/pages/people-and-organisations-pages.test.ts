import { beforeAll, describe, expect, it } from "vitest";
import type { PanelText } from "../../../src/admin/pages/page-parts.js";
import { peoplePage, type PeopleView, type PersonRow } from "../../../src/admin/pages/people-page.js";
import { ORG_KINDS, organisationsPage, type OrganisationRow, type OrganisationsView } from "../../../src/admin/pages/organisations-page.js";
import { sharedContent } from "../../support/content.js";

let en: PanelText;
beforeAll(async () => {
  const { translator } = await sharedContent();
  en = (key, params) => translator.t("en", `admin:${key}`, params);
});

const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#39;");

describe("people page", () => {
  const person = (over: Partial<PersonRow> = {}): PersonRow => ({ id: "u1", displayName: "Ayşe", email: "ayse@example.org", role: "keyfigure", organisationId: "o1", organisation: "Moskee", twoFactor: false, self: false, ...over });
  const view = (over: Partial<PeopleView> = {}): PeopleView => ({ csrf: "tok", saved: undefined, notice: undefined, error: undefined, people: [], invites: [], organisations: [{ id: "o1", name: "Moskee <Noord>" }], ...over });

  it("lists people escaped, with role and organisation menus labelled for that person", () => {
    const out = peoplePage(view({ people: [person({ displayName: "Ayşe <A>", email: "a<b>@example.org" })] }), en).value;
    expect(out).toContain(`<caption>${en("people_caption")}</caption>`);
    expect(out).toContain(`<tr><td>Ayşe &lt;A&gt;<br><small>a&lt;b&gt;@example.org</small></td>`);
    expect(out).toContain(`<form method="post" action="/admin/people/u1/role" class="inline role-form"><input type="hidden" name="_csrf" value="tok">`);
    expect(out).toContain(`<label for="role-u1" class="visually-hidden">${esc(en("role_for", { name: "Ayşe <A>" }))}</label><select id="role-u1" name="role"><option value="keyfigure" selected>${en("role_keyfigure")}</option>`);
    expect(out).toContain(`<label for="role-org-u1" class="visually-hidden">${en("organisation")}</label><select id="role-org-u1" name="organisationId"><option value="">—</option><option value="o1" selected>Moskee &lt;Noord&gt;</option></select>`);
    expect(out).toContain(`<td>Moskee</td>`);
  });

  it("the admin's own row has no forms; a second factor can be reset for others only", () => {
    const self = peoplePage(view({ people: [person({ self: true, twoFactor: true, role: "admin", organisation: null })] }), en).value;
    expect(self).not.toContain("/role");
    expect(self).not.toContain("reset-2fa");
    expect(self).toContain(`<td>${en("role_admin")}</td>`);
    expect(self).toContain(`<td>✓</td></tr>`);
    const other = peoplePage(view({ people: [person({ twoFactor: true })] }), en).value;
    expect(other).toContain(`<form method="post" action="/admin/people/u1/reset-2fa" class="inline danger"><input type="hidden" name="_csrf" value="tok"><button type="submit" aria-label="${esc(en("reset_2fa_for", { name: "Ayşe" }))}">${en("reset_2fa")}</button></form>`);
    expect(peoplePage(view({ people: [person()] }), en).value).toContain(`<td>—</td></tr>`);
  });

  it("a coordinator without an organisation is the wijkregie, anyone else without one a dash", () => {
    expect(peoplePage(view({ people: [person({ role: "coordinator", organisation: null, organisationId: null })] }), en).value).toContain(`<td>${en("co_wijkregie")}</td>`);
    expect(peoplePage(view({ people: [person({ role: "professional", organisation: null, organisationId: null })] }), en).value).toContain(`</form></td>\n          <td>—</td>`);
  });

  it("open invitations with expiry and a labelled revoke button, none without any", () => {
    expect(peoplePage(view(), en).value).not.toContain(en("invites_caption"));
    const out = peoplePage(view({ invites: [{ id: "i1", displayName: "Piet <P>", email: "p@example.org", role: "professional", organisation: "Contour", expiresAt: new Date("2026-12-10T08:00:00Z") }] }), en).value;
    expect(out).toContain(`<caption>${en("invites_caption")}</caption>`);
    expect(out).toContain(`<tr><td>Piet &lt;P&gt;<br><small>p@example.org</small></td><td>${en("role_professional")}<br><small>Contour</small></td>`);
    expect(out).toContain(`<td>2026-12-10<form method="post" action="/admin/people/invites/i1/revoke" class="inline"><input type="hidden" name="_csrf" value="tok"><button type="submit" aria-label="${esc(en("invite_revoke_for", { email: "p@example.org" }))}">${en("invite_revoke")}</button></form></td>`);
  });

  it("the invite form: every field labelled, every role and organisation offered", () => {
    const out = peoplePage(view(), en).value;
    expect(out).toContain(`<h2>${en("invite_someone")}</h2>`);
    expect(out).toContain(`<form method="post" action="/admin/people/invite"><input type="hidden" name="_csrf" value="tok">`);
    expect(out).toContain(`<label for="displayName">${en("name")}</label><input id="displayName" name="displayName" required maxlength="80">`);
    expect(out).toContain(`<label for="inv-email">${en("email")}</label><input id="inv-email" name="email" type="email" required maxlength="200">`);
    expect(out).toContain(`<label for="inv-role">${en("role")}</label><select id="inv-role" name="role"><option value="keyfigure">${en("role_keyfigure")}</option><option value="professional">${en("role_professional")}</option><option value="coordinator">${en("role_coordinator")}</option><option value="wijkregie">${en("role_wijkregie")}</option><option value="admin">${en("role_admin")}</option></select>`);
    expect(out).toContain(`<label for="inv-org">${en("organisation")}</label><select id="inv-org" name="organisationId"><option value="">—</option><option value="o1">Moskee &lt;Noord&gt;</option></select>`);
  });

  it("says what happened: saved, a reset, an invitation with its link (escaped), or why a form was refused", () => {
    expect(peoplePage(view({ saved: "Role changed" }), en).value).toContain(`<p role="status" class="notice saved">Role changed</p>`);
    expect(peoplePage(view({ saved: "Role changed", notice: { kind: "reset" } }), en).value).toMatch(new RegExp(`^<p role="status" class="notice">${en("reset_2fa_done")}</p>`));
    const invited = peoplePage(view({ notice: { kind: "invited", email: "x<y>@example.org", link: "https://naast.example/admin/invite/abc" } }), en).value;
    expect(invited).toContain(`<div role="status" class="notice"><p>${esc(en("invite_created", { email: "x<y>@example.org" }))}</p><p><code class="link">https://naast.example/admin/invite/abc</code></p></div>`);
    expect(peoplePage(view({ error: "No <good>" }), en).value).toContain(`<p role="alert" class="error">No &lt;good&gt;</p>`);
  });
});

describe("organisations page", () => {
  const org = (over: Partial<OrganisationRow> = {}): OrganisationRow => ({ id: "o1", name: "Moskee <Noord>", kind: "house-of-worship", demo: false, requiresApproval: true, ...over });
  const view = (over: Partial<OrganisationsView> = {}): OrganisationsView => ({ csrf: "tok", saved: undefined, error: undefined, organisations: [], ...over });

  it("lists organisations escaped with kind and DEMO marked", () => {
    const out = organisationsPage(view({ organisations: [org({ demo: true })] }), en).value;
    expect(out).toContain(`<caption>${esc(en("organisations_caption"))}</caption>`);
    expect(out).toContain(`<tr><td>Moskee &lt;Noord&gt; <span class="status status-pending">DEMO</span></td><td>${en("kind_house-of-worship")}</td>`);
  });

  it("the approval button says the state and switches it, labelled with the organisation", () => {
    const on = organisationsPage(view({ organisations: [org()] }), en).value;
    expect(on).toContain(`<form method="post" action="/admin/organisations/o1/approval" class="inline"><input type="hidden" name="_csrf" value="tok">`);
    expect(on).toContain(`<input type="hidden" name="requiresApproval" value="false">`);
    expect(on).toContain(`<button type="submit" aria-label="${esc(en("approval_switch_off", { name: "Moskee <Noord>" }))}">${en("approval_on")}</button>`);
    const off = organisationsPage(view({ organisations: [org({ requiresApproval: false })] }), en).value;
    expect(off).toContain(`<input type="hidden" name="requiresApproval" value="true">`);
    expect(off).toContain(`${en("approval_off")}</button>`);
  });

  it("the new-organisation form with labelled fields and every kind; saved and refused shown", () => {
    const out = organisationsPage(view({ saved: "Saved", error: "Exists <already>" }), en).value;
    expect(out).toContain(`<tbody></tbody>`);
    expect(out).toContain(`<h2>${en("organisation_new")}</h2>`);
    expect(out).toContain(`<label for="org-name">${en("name")}</label><input id="org-name" name="name" required maxlength="120">`);
    expect(out).toContain(`<label for="org-kind">${en("kind")}</label><select id="org-kind" name="kind">${ORG_KINDS.map((k) => `<option value="${k}">${esc(en(`kind_${k}`))}</option>`).join("")}</select>`);
    expect(out).toContain(`<p role="status" class="notice saved">Saved</p><p role="alert" class="error">Exists &lt;already&gt;</p>`);
  });
});
