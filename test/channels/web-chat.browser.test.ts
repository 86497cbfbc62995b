import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser } from "playwright-core";
import { hasChromium, launchBrowser } from "../support/browser.js";
import { startHarness, type Harness } from "../support/harness.js";

/** docs/ only when asked (`NAAST_DOCS_SCREENSHOTS=1`); otherwise test-results/, so `npm test` never changes a tracked file. */
const DOCS = path.resolve(import.meta.dirname, "..", "..", ...(process.env.NAAST_DOCS_SCREENSHOTS === "1" ? ["docs"] : ["test-results", "docs"]));
// CI installs Chromium; anywhere else without it, this suite is skipped.
const run = hasChromium || process.env.CI === "true";

describe.runIf(run)("web chat in a real browser (Chromium)", () => {
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

  it("chats on a phone-sized screen, switches to Arabic right to left, opens SOS, and exits quickly", async () => {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: "fr-FR", deviceScaleFactor: 2 });
    await context.route("https://www.buienradar.nl/**", (route) => route.fulfill({ status: 200, contentType: "text/html", body: "<title>Weer</title><h1>Het weer</h1>" }));
    const page = await context.newPage();
    await page.goto(`${h.url}/chat`);
    await page.getByText("Kies je taal").waitFor({ timeout: 15_000 });
    await page.screenshot({ path: path.join(DOCS, "web-chat-start.png") });

    await page.getByRole("button", { name: "العربية" }).click();
    await page.waitForFunction(() => document.documentElement.dir === "rtl", undefined, { timeout: 15_000 });
    expect(await page.evaluate(() => document.documentElement.lang)).toBe("ar");
    // The page's own words follow the resident's language: the ✕ button, its menu and the placeholder.
    await expect.poll(async () => page.locator("#exit").textContent()).toBe("✕ خروج");
    expect(await page.locator("#text").getAttribute("placeholder")).toBe("اكتب هنا…");
    expect(await page.locator("#erase-leave").textContent()).toBe("🗑 حذف وخروج");
    const lastBot = page.locator(".msg.bot").last();
    await expect.poll(async () => lastBot.getAttribute("dir")).toBe("rtl");
    await page.screenshot({ path: path.join(DOCS, "web-chat-arabic.png") });

    await page.locator("#sos").click();
    await page.getByText("0800-2000").first().waitFor({ timeout: 15_000 });
    await page.getByText("0800-0432").first().waitFor();
    await page.getByText("112").first().waitFor();

    await page.keyboard.press("Tab");
    await page.locator("#exit").click();
    await page.locator("#leave").click();
    await page.waitForURL("https://www.buienradar.nl/**", { timeout: 15_000 });
    expect(await page.evaluate(() => sessionStorage.length)).toBe(0);
    // The chat was replaced in history: going back does not return to it.
    const back = await page.goBack().catch(() => null);
    expect(back === null || !page.url().includes("/chat")).toBe(true);
    await context.close();
  });

  it("speaks the browser's language from the start, and switches with the resident's choice", async () => {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: "pl-PL" });
    const page = await context.newPage();
    await page.goto(`${h.url}/chat`);
    await expect.poll(async () => page.locator("#exit").textContent(), { timeout: 15_000 }).toBe("✕ Wyjdź");
    expect(await page.locator("#text").getAttribute("placeholder")).toBe("Napisz tutaj…");
    expect(await page.locator("#exit").getAttribute("aria-label")).toBe("Wyjdź: zamknij tę stronę");
    // "Is Polish right?" → another language → English.
    await page.getByRole("button", { name: "Inny język" }).click();
    await page.getByRole("button", { name: "English" }).click();
    await expect.poll(async () => page.locator("#exit").textContent(), { timeout: 15_000 }).toBe("✕ Leave");
    expect(await page.locator("#text").getAttribute("placeholder")).toBe("Type here…");
    await page.locator("#exit").click();
    expect(await page.locator("#leave").textContent()).toBe("✕ Leave");
    expect(await page.locator("#exit-help").textContent()).toContain("Erase: everything you wrote here is deleted.");
    await context.close();
  });
});
