import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fromWallClock, toWallClock } from "../../src/activities/local-time.js";
import { totpCode, totpStep } from "../../src/admin/totp.js";
import { startHarness, type Harness } from "../support/harness.js";
import { PanelClient } from "../support/panel-client.js";

let h: Harness;
let orgA: string; // needs approval (the default for a new organisation)
let orgB: string; // another organisation
let orgC: string; // approval switched off by an admin
let kfA: PanelClient;
let kfA2: PanelClient;
let kfB: PanelClient;
let kfC: PanelClient;
let admin: PanelClient;
let pro: PanelClient;

/** Invites, accepts and (for two-factor roles) enrols a user; returns a signed-in client. */
async function signUp(role: "admin" | "professional" | "keyfigure", email: string, organisationId: string | null = null): Promise<PanelClient> {
  const token = await h.naast.staffAuth.invite({ email, displayName: email.split("@")[0]!, role, organisationId, createdById: null });
  const client = new PanelClient(h.url);
  expect((await client.get(`/admin/invite/${token}`)).status).toBe(200);
  expect((await client.post(`/admin/invite/${token}`, { password: "a long enough password" })).status).toBe(303);
  if (role === "keyfigure") return client;
  const setup = await client.get("/admin/2fa/setup");
  const secret = /<code>([A-Z2-7 ]+)<\/code>/.exec(setup.text)![1]!.replace(/ /g, "");
  expect((await client.post("/admin/2fa/setup", { code: totpCode(secret, totpStep(new Date())) })).status).toBe(303);
  return client;
}

/** A day `days` from now, as the form's date field (Amsterdam). */
const day = (days: number) => toWallClock(new Date(Date.now() + days * 86_400_000)).date;

/** A complete, valid activity form; `over` replaces fields. */
function activityForm(over: Record<string, string> = {}): Record<string, string> {
  return {
    title_nl: "Koffieochtend voor buren",
    description_nl: "Kom koffie drinken en kennismaken.\nIedereen is welkom.",
    title_en: "Coffee morning for neighbours",
    description_en: "Come for coffee and meet your neighbours.",
    title_tr: "",
    description_tr: "",
    title_ar: "",
    description_ar: "",
    title_pl: "",
    description_pl: "",
    title_uk: "",
    description_uk: "",
    date: day(30),
    startTime: "10:00",
    endTime: "12:00",
    place: "Buurthuis De Poort, Korvelseweg 1",
    neighbourhood: "korvel",
    topic: "meeting",
    audience: "everyone",
    ...over,
  };
}

/** Creates an activity through the panel; returns its id. */
async function create(client: PanelClient, over: Record<string, string> = {}): Promise<string> {
  await client.get("/admin/activities/new");
  const r = await client.post("/admin/activities/new", activityForm(over));
  expect(r.status, r.text).toBe(303);
  const id = /^\/admin\/activities\/([0-9a-f-]{36})\?notice=saved$/.exec(r.location ?? "")?.[1];
  expect(id).toBeDefined();
  return id!;
}

const activity = (id: string) => h.db.prisma.activity.findUniqueOrThrow({ where: { id }, include: { texts: { orderBy: { language: "asc" } } } });

beforeAll(async () => {
  h = await startHarness();
  const org = async (name: string) => (await h.db.prisma.organisation.create({ data: { name, kind: "house-of-worship" } })).id;
  [orgA, orgB, orgC] = [await org("Moskee Korvel"), await org("Kerk Wandelbos"), await org("Bewoners Korvel")];
  kfA = await signUp("keyfigure", "kf-a@example.org", orgA);
  kfA2 = await signUp("keyfigure", "kf-a2@example.org", orgA);
  kfB = await signUp("keyfigure", "kf-b@example.org", orgB);
  kfC = await signUp("keyfigure", "kf-c@example.org", orgC);
  admin = await signUp("admin", "admin@example.org");
  pro = await signUp("professional", "pro@example.org");
  // The admin switches approval off for one organisation, in the panel.
  await admin.get("/admin/organisations");
  expect((await admin.post(`/admin/organisations/${orgC}/approval`, { requiresApproval: "false" })).status).toBe(303);
});
afterAll(async () => {
  await h?.close();
});

describe("activities", () => {
  it("key figures and admins get the nav link, professionals do not", async () => {
    expect((await kfA.get("/admin")).text).toContain('href="/admin/activities">Activiteiten<');
    expect((await admin.get("/admin")).text).toContain('href="/admin/activities">Activiteiten<');
    expect((await pro.get("/admin")).text).not.toContain("/admin/activities");
  });

  it("a key figure creates an activity and submits it; it waits for approval", async () => {
    const form = await kfA.get("/admin/activities/new");
    expect(form.status).toBe(200);
    // Every language has a fieldset with a legend; every input has a label.
    for (const l of ["nl", "en", "tr", "ar", "pl", "uk"]) expect(form.text).toMatch(new RegExp(`<fieldset class="language" id="lang-${l}"><legend>`));
    for (const [, id] of form.text.matchAll(/<(?:input|select|textarea) id="([^"]+)"/g)) expect(form.text).toContain(`<label for="${id}">`);
    expect(form.text).toContain('dir="rtl"');

    const id = await create(kfA);
    const saved = await activity(id);
    expect(saved).toMatchObject({ organisationId: orgA, status: "draft", place: "Buurthuis De Poort, Korvelseweg 1", neighbourhood: "korvel", topic: "meeting", audience: "everyone" });
    expect(saved.startsAt.toISOString()).toBe(fromWallClock(day(30), "10:00")!.toISOString());
    expect(saved.endsAt!.toISOString()).toBe(fromWallClock(day(30), "12:00")!.toISOString());
    expect(saved.texts.map((t) => t.language)).toEqual(["en", "nl"]);

    const detail = await kfA.get(`/admin/activities/${id}?notice=saved`);
    expect(detail.status).toBe(200);
    expect(detail.text).toContain("Koffieochtend voor buren");
    expect(detail.text).toContain('role="status"');
    expect(detail.text).toContain("Concept");

    expect((await kfA.post(`/admin/activities/${id}/submit`, {})).location).toBe(`/admin/activities/${id}?notice=pending`);
    expect((await activity(id)).status).toBe("pending");
    // Submitting twice is refused without changing anything.
    expect((await kfA.post(`/admin/activities/${id}/submit`, {})).status).toBe(409);
    expect((await activity(id)).status).toBe("pending");
    // Everyone in the organisation sees it in the list; the list shows what is missing.
    const list = await kfA2.get("/admin/activities");
    expect(list.text).toContain("Koffieochtend voor buren");
    expect(list.text).toContain("Wacht op goedkeuring");
    expect(list.text).toContain("Turks, Arabisch, Pools, Oekraïens");
  });

  it("is approved at once when the organisation's approval is switched off", async () => {
    const id = await create(kfC, { title_nl: "Taalcafé" });
    expect((await kfC.get(`/admin/activities/${id}`)).text).toContain("meteen zichtbaar");
    expect((await kfC.post(`/admin/activities/${id}/submit`, {})).location).toBe(`/admin/activities/${id}?notice=approved`);
    const a = await activity(id);
    expect(a.status).toBe("approved");
    expect(a.approvedAt).not.toBeNull();
    expect(a.approvedById).toBeNull();
    // Its changes stay approved too.
    await kfC.get(`/admin/activities/${id}/edit`);
    expect((await kfC.post(`/admin/activities/${id}/edit`, activityForm({ title_nl: "Taalcafé op dinsdag" }))).location).toBe(`/admin/activities/${id}?notice=saved`);
    expect((await activity(id)).status).toBe("approved");
  });

  it("shows which languages are missing, and keeps each language's text", async () => {
    const id = await create(kfA, { title_nl: "Geldspreekuur", title_en: "", description_en: "" });
    const detail = await kfA.get(`/admin/activities/${id}`);
    expect(detail.text).toContain("Nog niet vertaald: Engels, Turks, Arabisch, Pools, Oekraïens.");
    const edit = await kfA.get(`/admin/activities/${id}/edit`);
    expect(edit.text).toContain('value="Geldspreekuur"');
    expect(edit.text).toContain(`value="${day(30)}"`);
    expect(edit.text).toContain('value="10:00"');
    expect(edit.text).toContain("Nog niet vertaald: Engels, Turks, Arabisch, Pools, Oekraïens.");
    const r = await kfA.post(
      `/admin/activities/${id}/edit`,
      activityForm({ title_nl: "Geldspreekuur", title_en: "", description_en: "", title_tr: "Para danışma saati", description_tr: "Mektuplarınızı getirin.", title_ar: "ساعة استشارة مالية", description_ar: "أحضر رسائلك." }),
    );
    expect(r.status).toBe(303);
    expect((await activity(id)).texts.map((t) => t.language)).toEqual(["ar", "nl", "tr"]);
    const after = await kfA.get(`/admin/activities/${id}`);
    expect(after.text).toContain("Nog niet vertaald: Engels, Pools, Oekraïens.");
    expect(after.text).toContain('<div lang="ar" dir="rtl">');
    expect(after.text).toContain("Para danışma saati");
    // All six languages: nothing missing.
    const all = Object.fromEntries(["en", "tr", "ar", "pl", "uk"].flatMap((l) => [[`title_${l}`, `Title ${l}`], [`description_${l}`, `Description ${l}`]]));
    const full = await create(kfA, all);
    expect((await kfA.get(`/admin/activities/${full}`)).text).toContain("In alle talen beschreven.");
  });

  it("an admin approves, and rejects with a reason the key figure sees", async () => {
    const ok = await create(kfA, { title_nl: "Opvoedavond" });
    const no = await create(kfA, { title_nl: "Feest" });
    for (const id of [ok, no]) expect((await kfA.post(`/admin/activities/${id}/submit`, {})).status).toBe(303);

    const waiting = await admin.get("/admin/activities?status=pending");
    expect(waiting.status).toBe(200);
    expect(waiting.text).toContain("Opvoedavond");
    expect(waiting.text).toContain("Moskee Korvel");
    expect(waiting.text).not.toContain("Taalcafé");
    expect(waiting.text).toMatch(/Wachten op goedkeuring: \d+/);
    const everything = await admin.get("/admin/activities");
    expect(everything.text).toContain("Taalcafé");

    // Only admins approve or reject.
    expect((await kfA.post(`/admin/activities/${ok}/approve`, {})).status).toBe(403);
    expect((await kfA.post(`/admin/activities/${no}/reject`, { reason: "nee" })).status).toBe(403);
    expect((await activity(ok)).status).toBe("pending");

    await admin.get(`/admin/activities/${ok}`);
    expect((await admin.post(`/admin/activities/${ok}/approve`, {})).location).toBe(`/admin/activities/${ok}?notice=approved`);
    const approved = await activity(ok);
    const adminUser = await h.db.prisma.staffUser.findUniqueOrThrow({ where: { email: "admin@example.org" } });
    expect(approved).toMatchObject({ status: "approved", approvedById: adminUser.id });

    // A reason is required.
    const empty = await admin.post(`/admin/activities/${no}/reject`, { reason: "   " });
    expect(empty.status).toBe(400);
    expect(empty.text).toContain('role="alert"');
    expect(empty.text).toContain("Geef een reden");
    expect((await activity(no)).status).toBe("pending");
    expect((await admin.post(`/admin/activities/${no}/reject`, { reason: "Geef een eindtijd op en zeg voor wie het is." })).status).toBe(303);
    expect(await activity(no)).toMatchObject({ status: "rejected", rejectionReason: "Geef een eindtijd op en zeg voor wie het is." });
    const seen = await kfA.get(`/admin/activities/${no}`);
    expect(seen.text).toContain("Afgekeurd");
    expect(seen.text).toContain("Geef een eindtijd op en zeg voor wie het is.");
    // The key figure fixes it and submits again.
    expect((await kfA.post(`/admin/activities/${no}/edit`, activityForm({ title_nl: "Buurtfeest", audience: "parents" }))).status).toBe(303);
    expect((await kfA.post(`/admin/activities/${no}/submit`, {})).status).toBe(303);
    expect(await activity(no)).toMatchObject({ status: "pending", rejectionReason: null, audience: "parents" });

    // A key figure's change to an approved activity needs approval again.
    expect((await kfA.get(`/admin/activities/${ok}/edit`)).text).toContain("opnieuw goedkeuren");
    expect((await kfA.post(`/admin/activities/${ok}/edit`, activityForm({ title_nl: "Opvoedavond (nieuwe tijd)", startTime: "19:00", endTime: "21:00" }))).location).toBe(
      `/admin/activities/${ok}?notice=pending`,
    );
    expect(await activity(ok)).toMatchObject({ status: "pending", approvedById: null, approvedAt: null });
  });

  it("a key figure cancels; a cancelled activity cannot be changed", async () => {
    const id = await create(kfA, { title_nl: "Wandeling" });
    expect((await kfA.post(`/admin/activities/${id}/cancel`, {})).location).toBe(`/admin/activities/${id}?notice=cancelled`);
    expect((await activity(id)).status).toBe("cancelled");
    expect((await kfA.get(`/admin/activities/${id}/edit`)).status).toBe(409);
    expect((await kfA.post(`/admin/activities/${id}/edit`, activityForm({ title_nl: "Toch wel" }))).status).toBe(409);
    expect((await kfA.post(`/admin/activities/${id}/submit`, {})).status).toBe(409);
    expect((await kfA.post(`/admin/activities/${id}/cancel`, {})).status).toBe(409);
    expect(await activity(id)).toMatchObject({ status: "cancelled", texts: [expect.anything(), expect.objectContaining({ language: "nl", title: "Wandeling" })] });
  });

  it("a key figure of another organisation cannot see, edit, submit or cancel it (404)", async () => {
    const id = await create(kfA, { title_nl: "Alleen voor Moskee Korvel" });
    const before = await activity(id);
    expect((await kfB.get("/admin/activities")).text).not.toContain("Alleen voor Moskee Korvel");
    expect((await kfB.get("/admin/activities?status=draft")).text).not.toContain("Alleen voor Moskee Korvel");
    for (const path of [`/admin/activities/${id}`, `/admin/activities/${id}/edit`]) {
      const r = await kfB.get(path);
      expect(r.status).toBe(404);
      expect(r.text).not.toContain("Alleen voor Moskee Korvel");
    }
    expect((await kfB.post(`/admin/activities/${id}/edit`, activityForm({ title_nl: "Overgenomen" }))).status).toBe(404);
    expect((await kfB.post(`/admin/activities/${id}/submit`, {})).status).toBe(404);
    expect((await kfB.post(`/admin/activities/${id}/cancel`, {})).status).toBe(404);
    // Posting another organisation's id along with a new activity does not move it there.
    const own = await create(kfB, { organisationId: orgA, title_nl: "Van de kerk" });
    expect((await activity(own)).organisationId).toBe(orgB);
    // Unknown and malformed ids are a 404 too.
    expect((await kfB.get("/admin/activities/00000000-0000-4000-8000-000000000000")).status).toBe(404);
    expect((await kfB.get("/admin/activities/not-a-uuid")).status).toBe(404);
    expect(await activity(id)).toEqual(before);
  });

  it("a professional gets 403 on every activities page; the anonymous go to the login", async () => {
    const id = await create(kfA, { title_nl: "Niet voor professionals" });
    const anon = new PanelClient(h.url);
    await anon.get("/admin/login");
    for (const path of ["/admin/activities", "/admin/activities?status=pending", "/admin/activities/new", `/admin/activities/${id}`, `/admin/activities/${id}/edit`]) {
      const r = await pro.get(path);
      expect(r.status, path).toBe(403);
      expect(r.text).not.toContain("Niet voor professionals");
      expect((await anon.get(path)).location).toBe("/admin/login");
    }
    const posts: [string, Record<string, string>][] = [
      ["/admin/activities/new", activityForm({ title_nl: "Van een professional" })],
      [`/admin/activities/${id}/edit`, activityForm({ title_nl: "Van een professional" })],
      [`/admin/activities/${id}/submit`, {}],
      [`/admin/activities/${id}/approve`, {}],
      [`/admin/activities/${id}/reject`, { reason: "nee" }],
      [`/admin/activities/${id}/cancel`, {}],
    ];
    for (const [path, fields] of posts) {
      expect((await pro.post(path, fields)).status, path).toBe(403);
      expect((await anon.post(path, fields)).location).toBe("/admin/login");
    }
    expect(await activity(id)).toMatchObject({ status: "draft", texts: [expect.anything(), expect.objectContaining({ title: "Niet voor professionals" })] });
    expect(await h.db.prisma.activityText.count({ where: { title: "Van een professional" } })).toBe(0);
  });

  it("refuses bad input with a message, shows the form again and saves nothing", async () => {
    await kfA.get("/admin/activities/new");
    const count = await h.db.prisma.activity.count();
    const cases: [Record<string, string>, string][] = [
      [{ title_nl: "" }, "Vul een Nederlandse titel in."],
      [{ description_nl: "  " }, "Vul een Nederlandse beschrijving in."],
      [{ startTime: "14:00", endTime: "13:30" }, "De eindtijd moet na de begintijd liggen"],
      [{ endTime: "10:00" }, "De eindtijd moet na de begintijd liggen"],
      [{ topic: "politics" }, "Kies een onderwerp uit de lijst."],
      [{ audience: "" }, "Kies uit de lijst voor wie de activiteit is."],
      [{ neighbourhood: "centrum" }, "Kies een wijk uit de lijst."],
      [{ title_tr: "Kahve sabahı" }, "Vul bij Turks zowel een titel als een beschrijving in, of laat beide leeg."],
      [{ title_nl: "x".repeat(81) }, "De titel (Nederlands) mag hoogstens 80 tekens hebben."],
      [{ date: day(-2) }, "Deze datum en begintijd zijn al voorbij."],
      [{ date: "2031-02-30" }, "Vul een bestaande datum in."],
      [{ startTime: "25:00" }, "Vul een begintijd in"],
      [{ place: "" }, "Vul de plaats in."],
    ];
    for (const [over, message] of cases) {
      const r = await kfA.post("/admin/activities/new", activityForm({ place: over.place ?? "Buurthuis <De Poort>", ...over }));
      expect(r.status, message).toBe(400);
      expect(r.text).toContain('role="alert"');
      expect(r.text).toContain(message);
      expect(r.text).toContain('aria-invalid="true"');
      if (over.place === undefined) expect(r.text).toContain('value="Buurthuis &lt;De Poort&gt;"');
    }
    // Several problems are listed at once.
    const many = await kfA.post("/admin/activities/new", activityForm({ title_nl: "", topic: "politics", endTime: "09:00" }));
    expect(many.text).toContain("Vul een Nederlandse titel in.");
    expect(many.text).toContain("Kies een onderwerp uit de lijst.");
    expect(many.text).toContain("De eindtijd moet na de begintijd liggen");
    expect(await h.db.prisma.activity.count()).toBe(count);

    // The same checks on an edit, which leaves the activity as it was.
    const id = await create(kfA, { title_nl: "Ongewijzigd" });
    const before = await activity(id);
    const r = await kfA.post(`/admin/activities/${id}/edit`, activityForm({ title_nl: "", topic: "unknown" }));
    expect(r.status).toBe(400);
    expect(r.text).toContain("Vul een Nederlandse titel in.");
    expect(await activity(id)).toEqual(before);

    // An admin must choose an existing organisation.
    await admin.get("/admin/activities/new");
    const noOrg = await admin.post("/admin/activities/new", activityForm({ organisationId: "" }));
    expect(noOrg.status).toBe(400);
    expect(noOrg.text).toContain("Kies de organisatie van deze activiteit.");
    expect(await h.db.prisma.activity.count()).toBe(count + 1);
    const byAdmin = await admin.post("/admin/activities/new", activityForm({ organisationId: orgB, title_nl: "Door de gemeente" }));
    expect(byAdmin.status).toBe(303);
  });

  it("speaks English when asked", async () => {
    const c = await signUp("keyfigure", "kf-en@example.org", orgA);
    expect((await c.get("/admin/activities/new?lang=en")).text).toContain("Not translated yet: Dutch, English, Turkish, Arabic, Polish, Ukrainian.");
    const r = await c.post("/admin/activities/new", activityForm({ title_nl: "", endTime: "08:00" }));
    expect(r.status).toBe(400);
    expect(r.text).toContain("Fill in a Dutch title.");
    expect(r.text).toContain("The end time must be after the start time");
  });

  it("refuses a form without the CSRF token, or with another browser's, and changes nothing", async () => {
    const id = await create(kfA, { title_nl: "Met CSRF" });
    const before = await activity(id);
    const count = await h.db.prisma.activity.count();
    const other = new PanelClient(h.url);
    await other.get("/admin/login");
    for (const csrf of [null, other.csrf(), "forged"]) {
      expect((await kfA.post("/admin/activities/new", activityForm({ title_nl: "Zonder CSRF" }), csrf)).status).toBe(403);
      expect((await kfA.post(`/admin/activities/${id}/edit`, activityForm({ title_nl: "Zonder CSRF" }), csrf)).status).toBe(403);
      expect((await kfA.post(`/admin/activities/${id}/submit`, {}, csrf)).status).toBe(403);
      expect((await kfA.post(`/admin/activities/${id}/cancel`, {}, csrf)).status).toBe(403);
    }
    expect((await kfA.post(`/admin/activities/${id}/submit`, {})).status).toBe(303);
    for (const csrf of [null, other.csrf()]) {
      expect((await admin.post(`/admin/activities/${id}/approve`, {}, csrf)).status).toBe(403);
      expect((await admin.post(`/admin/activities/${id}/reject`, { reason: "nee" }, csrf)).status).toBe(403);
    }
    expect(await h.db.prisma.activity.count()).toBe(count);
    expect(await activity(id)).toMatchObject({ status: "pending", texts: before.texts });
  });
});
