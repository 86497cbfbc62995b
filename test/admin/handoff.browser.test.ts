import { mkdir } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, BrowserContextOptions, Page } from "playwright-core";
import { totpCode, totpStep } from "../../src/admin/totp.js";
import { a11ySmoke, fitsPhone } from "../support/a11y.js";
import { hasChromium, launchBrowser } from "../support/browser.js";
import { WhatsAppResident } from "../support/chat-driver.js";
import { startHarness, type Harness } from "../support/harness.js";

/** docs/ only when asked (`NAAST_DOCS_SCREENSHOTS=1`); otherwise test-results/, so `npm test` never changes a tracked file. */
const SHOTS = path.resolve(import.meta.dirname, "..", "..", ...(process.env.NAAST_DOCS_SCREENSHOTS === "1" ? ["docs", "panel"] : ["test-results", "docs", "panel"]));
const PHONE: BrowserContextOptions = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, locale: "nl-NL", timezoneId: "Europe/Amsterdam" };
const shot = (page: Page, file: string) => page.screenshot({ path: path.join(SHOTS, file), fullPage: true });

describe.runIf(hasChromium || process.env.CI === "true")("a professional's inbox in a real browser (Chromium)", () => {
  let h: Harness;
  let browser: Browser;
  beforeAll(async () => {
    await mkdir(SHOTS, { recursive: true });
    h = await startHarness();
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await h?.close();
  });

  it("Fatima sets up her account, finds the new request, accepts it and answers; the resident reads it with her name", { timeout: 90_000 }, async () => {
    const org = await h.db.prisma.organisation.create({ data: { name: "IMW Korvel-team", kind: "welfare" } });
    const token = await h.naast.staffAuth.invite({ email: "fatima@imw.example.org", displayName: "Fatima", role: "professional", organisationId: null, createdById: null });
    const context = await browser.newContext(PHONE);
    const page = await context.newPage();
    await page.goto(`${h.url}/admin/invite/${token}`);
    await page.getByLabel("Nieuw wachtwoord").fill("een lang genoeg wachtwoord");
    await page.getByRole("button", { name: "Account aanmaken" }).click();
    await page.waitForURL("**/admin/2fa/setup");
    const secret = (await page.getByLabel("Geheime sleutel").innerText()).replace(/\s/g, "");
    await page.getByLabel("Code van 6 cijfers").fill(totpCode(secret, totpStep(new Date())));
    await page.getByRole("button", { name: "Bevestigen" }).click();
    await page.waitForURL(/\/admin(\?.*)?$/);

    const user = await h.db.prisma.staffUser.findUniqueOrThrow({ where: { email: "fatima@imw.example.org" } });
    await h.db.prisma.professional.create({
      data: {
        name: "Fatima", organisationId: org.id, staffUserId: user.id, topics: ["money"], languages: ["nl", "ar"], neighbourhoods: ["korvel"],
        availability: [1, 2, 3, 4, 5].map((day) => ({ day, from: "09:00", to: "17:00" })), texts: { create: [{ language: "nl", intro: "Fatima is maatschappelijk werker." }] },
      },
    });
    // A resident asks for a person about money, chooses to chat, says yes, and writes.
    const r = new WhatsAppResident(h.url, h.whatsapp, "31688800001", h.naast);
    await r.say("hallo");
    await r.tap("c|onboarding|ask-language|nl");
    await r.tap("c|onboarding|about|korvel");
    await r.tap("c|menu|main|money");
    await r.tap("c|money|start|person");
    await r.tap("c|handoff|how|chat");
    const sent = await r.tap("c|handoff|consent|yes");
    const reply = sent.flatMap((m) => m.ids).find((id) => id.startsWith("h|r|"))!;
    await r.tap(reply);
    await r.say("Ik krijg steeds aanmaningen en ik weet niet waar ik moet beginnen.");

    await page.getByRole("navigation", { name: "Hoofdmenu" }).getByRole("link", { name: "Aanvragen", exact: true }).click();
    await page.getByRole("heading", { level: 1, name: "Mijn aanvragen" }).waitFor();
    await page.getByText("Nieuwe aanvragen: 1.").waitFor();
    await a11ySmoke(page);
    await fitsPhone(page);
    await shot(page, "10-handoff-inbox.png");
    const code = h.naast.pseudonymizer.pseudonym("whatsapp", "31688800001").slice(0, 6).toUpperCase();
    expect(await page.content()).not.toContain("31688800001");
    await page.getByRole("link", { name: code }).click();

    await page.getByRole("heading", { level: 1, name: `Aanvraag ${code}` }).waitFor();
    await page.getByText("Ik krijg steeds aanmaningen").waitFor();
    await page.getByRole("button", { name: "Aannemen" }).click();
    await page.getByRole("status").getByText("Aangenomen.").waitFor();
    await page.getByLabel(`Bericht aan ${code}`).fill("Hallo, ik ben Fatima. Zullen we samen naar de brieven kijken? Dinsdag kan ik om 10 uur.");
    await page.getByRole("button", { name: "Versturen" }).click();
    await page.getByRole("status").getByText("Verstuurd.").waitFor();
    // Sent without leaving the page: it appears in the conversation. Reloaded for the keyboard check to start at the top.
    await page.locator("ol.chat").getByText("Zullen we samen naar de brieven kijken?").waitFor();
    await page.reload();
    await a11ySmoke(page);
    await fitsPhone(page);
    await shot(page, "11-handoff-case.png");

    await h.whatsapp.waitFor(() => r.sent().some((x) => JSON.stringify(x.body).includes("Zullen we samen naar de brieven kijken?")));
    const relayed = r.sent().find((x) => JSON.stringify(x.body).includes("Zullen we samen"))!;
    expect(JSON.stringify(relayed.body)).toContain("Fatima (IMW Korvel-team)");
    await context.close();
  });
});
