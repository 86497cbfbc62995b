import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser } from "playwright-core";
import { hasChromium, launchBrowser } from "../support/browser.js";
import { startHarness, type Harness } from "../support/harness.js";

describe.runIf(hasChromium || process.env.CI === "true")("the web chat's ✕ in a real browser (Chromium)", () => {
  let h: Harness;
  let browser: Browser;
  beforeAll(async () => {
    h = await startHarness();
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await h?.close();
  });

  it("offers leave and erase-and-leave; erase-and-leave erases the resident and leaves for the neutral site", { timeout: 60_000 }, async () => {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: "nl-NL" });
    await context.route("https://www.buienradar.nl/**", (route) => route.fulfill({ status: 200, contentType: "text/html", body: "<title>Weer</title><h1>Het weer</h1>" }));
    const page = await context.newPage();
    await page.goto(`${h.url}/chat`);
    await page.locator(".msg.bot").first().waitFor({ timeout: 15_000 });
    const token = await page.evaluate(() => sessionStorage.getItem("naast.token"));
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const pseudonym = h.naast.pseudonymizer.pseudonym("web", token!);
    await expect.poll(async () => h.db.prisma.resident.count({ where: { pseudonym } }), { timeout: 10_000 }).toBe(1);

    await page.getByRole("button", { name: /Weg: verlaat deze pagina/ }).click();
    expect(await page.locator("#exit").getAttribute("aria-expanded")).toBe("true");
    // In the resident's language (Dutch here), no longer Dutch and English side by side.
    await page.getByRole("button", { name: "✕ Weg", exact: true }).waitFor();
    await page.getByRole("button", { name: "🗑 Wissen en weg", exact: true }).click();
    await page.waitForURL("https://www.buienradar.nl/**", { timeout: 15_000 });
    expect(await page.evaluate(() => sessionStorage.length)).toBe(0);
    await expect.poll(async () => h.db.prisma.resident.count({ where: { pseudonym } }), { timeout: 10_000 }).toBe(0);
    expect(await h.db.prisma.webMailbox.count({ where: { pseudonym } })).toBe(0);
    await context.close();
  });
});
