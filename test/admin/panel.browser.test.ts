import { mkdir } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, BrowserContextOptions, Page } from "playwright-core";
import { toWallClock } from "../../src/activities/local-time.js";
import { totpCode, totpStep } from "../../src/admin/totp.js";
import { a11ySmoke, fitsPhone } from "../support/a11y.js";
import { hasChromium, launchBrowser } from "../support/browser.js";
import { startHarness, type Harness } from "../support/harness.js";
import { botApiError, graphError } from "../support/fake-platform.js";
import { seedSubscribers } from "../support/seed-audience.js";

/** docs/ only when asked (`NAAST_DOCS_SCREENSHOTS=1`); otherwise test-results/, so `npm test` never changes a tracked file. */
const SHOTS = path.resolve(import.meta.dirname, "..", "..", ...(process.env.NAAST_DOCS_SCREENSHOTS === "1" ? ["docs", "panel"] : ["test-results", "docs", "panel"]));
const PHONE: BrowserContextOptions = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, locale: "nl-NL", timezoneId: "Europe/Amsterdam" };
const ADMIN = { email: "beheer@example.org", name: "Sanne", password: "een lang genoeg wachtwoord" };
const KEYFIGURE = { email: "fatima@example.org", name: "Fatima", password: "nog een lang wachtwoord" };
const MOSQUE = "Moskee Al-Hidaya Korvel";
const TITLE = "Koffieochtend voor buren";
const PLACE = "Moskee Al-Hidaya, Korvelseweg 120";

/** A whole-page screenshot for docs/panel (the pages are long on a phone). */
const shot = (page: Page, file: string) => page.screenshot({ path: path.join(SHOTS, file), fullPage: true });
const heading = (page: Page, name: string) => page.getByRole("heading", { level: 1, name, exact: true }).waitFor();
const nav = (page: Page, name: string) => page.getByRole("navigation", { name: "Hoofdmenu" }).getByRole("link", { name, exact: true }).click();

/** The next TOTP code the server will accept: a code (its time step) works only once. */
async function freshCode(h: Harness, secret: string): Promise<string> {
  const user = await h.db.prisma.staffUser.findUniqueOrThrow({ where: { email: ADMIN.email } });
  const step = Math.max(totpStep(new Date()), Number(user.totpLastStep ?? 0) + 1);
  return totpCode(secret, step);
}

describe.runIf(hasChromium || process.env.CI === "true")("the admin panel in a real browser (Chromium)", () => {
  let h: Harness;
  let browser: Browser;
  beforeAll(async () => {
    await mkdir(SHOTS, { recursive: true });
    // Slower than the real limits, so the progress bar can be seen moving.
    h = await startHarness({ TELEGRAM_RATE_PER_SECOND: "60", WHATSAPP_RATE_PER_SECOND: "60" });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await h?.close();
  });

  it("an admin sets up two-factor, adds a mosque and its key figure; the key figure submits an activity; the admin approves it", { timeout: 150_000 }, async () => {
    // 1. The admin accepts the invitation, chooses a password and sets up TOTP.
    const adminToken = await h.naast.staffAuth.invite({ email: ADMIN.email, displayName: ADMIN.name, role: "admin", organisationId: null, createdById: null });
    const adminContext = await browser.newContext(PHONE);
    const admin = await adminContext.newPage();
    await admin.goto(`${h.url}/admin/invite/${adminToken}`);
    await heading(admin, "Welkom bij Naast");
    await admin.getByText(`Je bent uitgenodigd als ${ADMIN.email}`).waitFor();
    await a11ySmoke(admin);
    await admin.getByLabel("Nieuw wachtwoord").fill(ADMIN.password);
    await admin.getByRole("button", { name: "Account aanmaken" }).click();

    await admin.waitForURL("**/admin/2fa/setup");
    await heading(admin, "Tweestapsverificatie instellen");
    // No menu before the second factor is set up.
    expect(await admin.getByRole("navigation").count()).toBe(0);
    const secret = (await admin.getByLabel("Geheime sleutel").innerText()).replace(/\s/g, "");
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(await admin.getByRole("link", { name: "Open in je authenticator-app" }).getAttribute("href")).toContain(`secret=${secret}`);
    await a11ySmoke(admin);
    await fitsPhone(admin);
    await admin.getByLabel("Code van 6 cijfers").fill(totpCode(secret, totpStep(new Date())));
    await shot(admin, "01-setup-2fa.png");
    await admin.getByRole("button", { name: "Bevestigen" }).click();

    await admin.waitForURL(/\/admin(\?.*)?$/);
    await heading(admin, `Hallo ${ADMIN.name}`);
    await admin.getByText("Beheerder (gemeente / wijkregie)").waitFor();
    await a11ySmoke(admin);
    await fitsPhone(admin);
    await shot(admin, "02-home.png");

    // 2. The admin adds the mosque, then invites its key figure.
    await nav(admin, "Organisaties");
    await heading(admin, "Organisaties");
    await admin.getByLabel("Naam").fill(MOSQUE);
    await admin.getByLabel("Soort").selectOption({ label: "Gebedshuis" });
    await admin.getByRole("button", { name: "Opslaan" }).click();
    await admin.getByRole("cell", { name: MOSQUE, exact: true }).waitFor();
    // A new organisation's activities wait for approval; the switch says what it does.
    await admin.getByRole("button", { name: `Goedkeuring uitzetten voor ${MOSQUE}` }).waitFor();
    await a11ySmoke(admin);
    await fitsPhone(admin);

    await nav(admin, "Mensen");
    await heading(admin, "Mensen");
    await admin.getByRole("table", { name: "Iedereen met toegang tot het panel" }).getByText(ADMIN.email).waitFor();
    await admin.getByLabel("Naam").fill(KEYFIGURE.name);
    await admin.getByLabel("E-mailadres").fill(KEYFIGURE.email);
    await admin.getByLabel("Rol").selectOption({ label: "Sleutelfiguur" });
    await admin.getByLabel("Organisatie").selectOption({ label: MOSQUE });
    await admin.getByRole("button", { name: "Uitnodiging maken" }).click();
    const notice = admin.getByRole("status");
    await notice.getByText(`Uitnodiging voor ${KEYFIGURE.email} gemaakt`).waitFor();
    const link = await notice.locator("code").innerText();
    // Built from PUBLIC_URL (here the default, http://localhost:<PORT>), never from the request.
    expect(link).toMatch(new RegExp(`^${h.config.linkBase.replace(/\./g, "\\.")}/admin/invite/[A-Za-z0-9_-]{43}$`));
    expect(await notice.isVisible()).toBe(true);
    await fitsPhone(admin);
    await shot(admin, "03-people.png");
    await a11ySmoke(admin);

    await admin.getByRole("button", { name: "Uitloggen" }).click();
    await admin.waitForURL("**/admin/login");
    await heading(admin, "Inloggen");

    // 3. The key figure, in a browser of her own, accepts the invitation and creates an activity.
    const kfContext = await browser.newContext(PHONE);
    const kf = await kfContext.newPage();
    await kf.goto(link.replace(h.config.linkBase, h.url));
    await heading(kf, "Welkom bij Naast");
    await kf.getByLabel("Nieuw wachtwoord").fill(KEYFIGURE.password);
    await kf.getByRole("button", { name: "Account aanmaken" }).click();
    await kf.waitForURL(/\/admin(\?.*)?$/);
    await heading(kf, `Hallo ${KEYFIGURE.name}`);
    await kf.getByText(`Sleutelfiguur · ${MOSQUE}`).waitFor();
    // A key figure's menu has no people or organisations.
    expect(await kf.getByRole("link", { name: "Mensen" }).count()).toBe(0);

    await nav(kf, "Activiteiten");
    await heading(kf, "Activiteiten");
    await kf.getByText("Er zijn (nog) geen activiteiten.").waitFor();
    await kf.getByRole("link", { name: "Nieuwe activiteit" }).click();
    await heading(kf, "Nieuwe activiteit");
    // Before anything is typed, every language is listed as missing.
    expect(await kf.locator("#missing-languages").innerText()).toBe("Nog niet vertaald: Nederlands, Engels, Turks, Arabisch, Pools, Oekraïens.");
    // The Arabic fields are written right to left.
    expect(await kf.getByRole("group", { name: /^Arabisch/ }).getByLabel("Titel").getAttribute("dir")).toBe("rtl");
    await a11ySmoke(kf);

    const dutch = kf.getByRole("group", { name: "Nederlands (verplicht)" });
    await dutch.getByLabel("Titel").fill(TITLE);
    await dutch.getByLabel("Beschrijving").fill("Kom koffie drinken en kennismaken met je buren.\nIedereen is welkom, ook als je nog weinig Nederlands spreekt.");
    const tomorrow = toWallClock(new Date(Date.now() + 86_400_000)).date;
    const when = kf.getByRole("group", { name: "Wanneer" });
    await when.getByLabel("Datum").fill(tomorrow);
    await when.getByLabel("Begintijd").fill("10:00");
    await when.getByLabel("Eindtijd (mag leeg blijven)").fill("12:00");
    await kf.getByLabel("Plaats (adres of naam van de locatie)").fill(PLACE);
    await kf.getByLabel("Wijk").selectOption({ label: "Korvel" });
    await kf.getByLabel("Onderwerp").selectOption({ label: "Ontmoeten" });
    await kf.getByLabel("Voor wie").selectOption({ label: "Iedereen" });
    await fitsPhone(kf);
    // Without focus the place field shows its text from the start.
    await kf.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    await shot(kf, "04-activity-form.png");
    await kf.getByRole("button", { name: "Opslaan" }).click();

    await kf.waitForURL(/\/admin\/activities\/[0-9a-f-]{36}\?notice=saved$/);
    const activityId = /activities\/([0-9a-f-]{36})/.exec(kf.url())![1]!;
    await heading(kf, TITLE);
    await kf.getByRole("status").getByText("Opgeslagen.").waitFor();
    expect(await kf.locator("#missing-languages").innerText()).toBe("Nog niet vertaald: Engels, Turks, Arabisch, Pools, Oekraïens.");
    await kf.getByRole("definition").getByText("Concept", { exact: true }).waitFor();
    await kf.getByText(PLACE).waitFor();
    await kf.getByRole("button", { name: "Indienen" }).click();

    await kf.waitForURL(`**/admin/activities/${activityId}?notice=pending`);
    await kf.getByRole("status").getByText("Ingediend. Een beheerder kijkt ernaar.").waitFor();
    await kf.getByRole("definition").getByText("Wacht op goedkeuring", { exact: true }).waitFor();
    // Pending: it can no longer be submitted; a key figure never sees approve.
    expect(await kf.getByRole("button", { name: "Indienen" }).count()).toBe(0);
    expect(await kf.getByRole("button", { name: "Goedkeuren" }).count()).toBe(0);
    await fitsPhone(kf);
    await shot(kf, "05-activity-pending.png");
    await a11ySmoke(kf);
    expect(await h.db.prisma.activity.findUniqueOrThrow({ where: { id: activityId } })).toMatchObject({ status: "pending", neighbourhood: "korvel", topic: "meeting", audience: "everyone" });
    await kfContext.close();

    // 4. The admin signs in again (password, then a fresh code) and approves it from the waiting list.
    await admin.getByLabel("E-mailadres").fill(ADMIN.email);
    await admin.getByLabel("Wachtwoord").fill(ADMIN.password);
    await admin.getByRole("button", { name: "Inloggen" }).click();
    await admin.waitForURL("**/admin/login/code");
    await heading(admin, "Code uit je app");
    await a11ySmoke(admin);
    await admin.getByLabel("Code van 6 cijfers").fill(await freshCode(h, secret));
    await admin.getByRole("button", { name: "Bevestigen" }).click();
    await admin.waitForURL(/\/admin(\?.*)?$/);
    await heading(admin, `Hallo ${ADMIN.name}`);

    await nav(admin, "Activiteiten");
    await admin.getByRole("link", { name: "Wachten op goedkeuring: 1" }).click();
    await admin.waitForURL("**/admin/activities?status=pending");
    const waiting = admin.getByRole("table", { name: "Activiteiten, op datum · Wacht op goedkeuring" });
    await waiting.getByRole("cell", { name: MOSQUE }).waitFor();
    await waiting.getByText("Engels, Turks, Arabisch, Pools, Oekraïens").waitFor();
    await a11ySmoke(admin);
    await waiting.getByRole("link", { name: TITLE }).click();

    await heading(admin, TITLE);
    const approve = admin.getByRole("button", { name: "Goedkeuren" });
    await fitsPhone(admin);
    await shot(admin, "06-approval.png");
    await approve.click();

    await admin.waitForURL(`**/admin/activities/${activityId}?notice=approved`);
    await admin.getByRole("status").getByText("Goedgekeurd: de activiteit is zichtbaar.").waitFor();
    await admin.getByRole("definition").getByText("Goedgekeurd", { exact: true }).waitFor();
    await admin.getByText(/^Goedgekeurd op /).waitFor();
    expect(await admin.getByRole("button", { name: "Goedkeuren" }).count()).toBe(0);
    const approved = await h.db.prisma.activity.findUniqueOrThrow({ where: { id: activityId } });
    const adminUser = await h.db.prisma.staffUser.findUniqueOrThrow({ where: { email: ADMIN.email } });
    expect(approved).toMatchObject({ status: "approved", approvedById: adminUser.id });

    // 5. Residents asked for news (seeded here: 240 on Telegram, 240 on WhatsApp); the admin previews
    //    the audience, sends now, and watches the progress bar fill without reloading the page.
    const people = Array.from({ length: 480 }, (_, i) =>
      i < 240
        ? { channel: "telegram" as const, address: String(800000 + i), language: i % 3 === 0 ? "tr" : "nl", subscription: { topic: "meeting" } }
        : { channel: "whatsapp" as const, address: String(31650100000 + i), language: i % 4 === 0 ? "ar" : "nl", subscription: { organisationId: approved.organisationId } },
    );
    await seedSubscribers(h.db.prisma, h.naast.cipher, h.naast.pseudonymizer, [
      ...people,
      { channel: "whatsapp", address: "31650199999", quiet: true, subscription: { topic: "meeting" } },
    ]);
    // Two residents blocked the bot on Telegram, two WhatsApp numbers cannot receive messages, one
    // WhatsApp message is refused because the 24-hour window closed meanwhile.
    h.telegram.failNext(2, botApiError(403, "Forbidden: bot was blocked by the user"));
    h.whatsapp.failNext(2, graphError(131026, "Message undeliverable"));
    h.whatsapp.failNext(1, graphError(131047, "Re-engagement message"));

    await admin.getByRole("link", { name: "Versturen naar bewoners" }).click();
    await heading(admin, "Versturen naar bewoners");
    await admin.getByText("Bewoners die om dit soort nieuws vroegen: 480").waitFor();
    await admin.getByText("Bewoners die niet als eerste een bericht willen krijgen en worden overgeslagen: 1.").waitFor();
    // Counts only, never who. Record ids (random UUIDs) are taken out first: "…-fe5aa3800627" once matched 800\d{3}.
    const page = (await admin.content()).replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, "<id>");
    expect(page).not.toMatch(/3165010\d{4}|800\d{3}/);
    await a11ySmoke(admin);
    await fitsPhone(admin);
    await shot(admin, "07-broadcast-preview.png");
    await admin.getByRole("button", { name: "Versturen", exact: true }).click();

    await admin.waitForURL(/\/admin\/broadcasts\/[0-9a-f-]{36}$/);
    const progressUrl = admin.url();
    await heading(admin, "Voortgang van de verzending");
    const bar = admin.locator("progress#bc-progress");
    const progress = async () => ({ value: Number(await bar.getAttribute("value")), max: Number(await bar.getAttribute("max")) });
    // Mid-way: the bar has moved but not reached the end (the page updates itself).
    await admin.waitForFunction(() => {
      const p = document.querySelector("progress#bc-progress");
      return p !== null && Number(p.getAttribute("value")) > 0 && Number(p.getAttribute("value")) < Number(p.getAttribute("max"));
    }, undefined, { timeout: 20_000 });
    await fitsPhone(admin);
    await shot(admin, "08-broadcast-progress.png");
    await admin.getByRole("status").getByText("Klaar").waitFor({ timeout: 30_000 });
    expect(admin.url()).toBe(progressUrl);
    expect(await progress()).toEqual({ value: 480, max: 480 });
    const count = async (k: string) => Number(await admin.locator(`[data-count="${k}"]`).innerText());
    expect(await count("sent")).toBe(475);
    expect(await count("blocked")).toBe(4);
    expect(await count("failed")).toBe(1);
    const failures = admin.locator("ul.failures");
    await failures.getByText("De bewoner heeft de bot gestopt of geblokkeerd.").waitFor();
    await failures.getByText("Dit nummer kan geen WhatsApp-berichten ontvangen.").waitFor();
    await failures.getByText("Meer dan 24 uur sinds de bewoner schreef; WhatsApp accepteert dan alleen een sjabloon.").waitFor();
    expect(await admin.getByRole("button", { name: "Verzending stoppen" }).count()).toBe(0);
    await a11ySmoke(admin);
    await fitsPhone(admin);
    await shot(admin, "09-broadcast-done.png");
    // Each resident got one message.
    const tgChats = h.telegram.calls("sendMessage").map((c) => String(c.body.chat_id)).filter((c) => c.startsWith("800"));
    expect(new Set(tgChats).size).toBe(240);
    expect(tgChats).toHaveLength(240);
    await adminContext.close();
  });
});
