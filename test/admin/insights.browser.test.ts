import { mkdir } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, BrowserContext, BrowserContextOptions } from "playwright-core";
import { InsightCounters, type InsightCount } from "../../src/insights/insight-counters.js";
import { a11ySmoke, fitsPhone } from "../support/a11y.js";
import { hasChromium, launchBrowser } from "../support/browser.js";
import { startHarness, type Harness } from "../support/harness.js";
import { signUp, type Staff } from "../security/panel-helpers.js";

/** docs/ only when asked (`NAAST_DOCS_SCREENSHOTS=1`); otherwise test-results/, so `npm test` never changes a tracked file. */
const SHOTS = path.resolve(import.meta.dirname, "..", "..", ...(process.env.NAAST_DOCS_SCREENSHOTS === "1" ? ["docs", "panel"] : ["test-results", "docs", "panel"]));
const PHONE: BrowserContextOptions = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, locale: "nl-NL", timezoneId: "Europe/Amsterdam" };
const DESKTOP: BrowserContextOptions = { viewport: { width: 1200, height: 900 }, locale: "nl-NL", timezoneId: "Europe/Amsterdam" };

/** Three months of counters as a neighbourhood would make them: many Dutch speakers in Korvel, few Turkish speakers in Wandelbos-Noord. */
async function seed(h: Harness): Promise<void> {
  const counters = new InsightCounters();
  const start = new Date("2026-09-07T10:00:00Z").getTime(); // a Monday
  for (let w = 0; w < 12; w++) {
    const at = new Date(start + w * 7 * 86_400_000);
    const korvel = { neighbourhood: "korvel", language: "nl", channel: "telegram" };
    const turks = { neighbourhood: "wandelbos-noord", language: "tr", channel: "whatsapp" };
    const counts: InsightCount[] = [
      { metric: "residents_new", dims: korvel, n: 14 + ((w * 5) % 9) },
      { metric: "residents_new", dims: { ...korvel, language: "tr", channel: "whatsapp" }, n: 11 + (w % 3) },
      { metric: "residents_new", dims: { ...turks, language: "nl", channel: "telegram" }, n: 12 + (w % 4) },
      { metric: "residents_new", dims: { ...turks, language: "ar", channel: "web" }, n: 10 + (w % 2) },
      { metric: "residents_new", dims: turks, n: 2 + (w % 4) },
      { metric: "residents_returning", dims: korvel, n: 20 + w * 2 },
      { metric: "residents_returning", dims: { ...turks, language: "nl", channel: "telegram" }, n: 11 + (w % 3) },
      { metric: "residents_reached", dims: korvel, n: w % 4 === 0 ? 60 : 0 },
      { metric: "residents_reached", dims: turks, n: w % 4 === 0 ? 7 : 0 },
      { metric: "residents_reached", dims: { ...turks, language: "nl" }, n: w % 4 === 0 ? 25 : 0 },
      { metric: "topic_opened", dims: { ...korvel, topic: "money" }, n: 12 + (w % 5) },
      { metric: "topic_opened", dims: { ...korvel, topic: "housing" }, n: 10 + (w % 3) },
      { metric: "topic_opened", dims: { ...turks, topic: "parenting" }, n: 3 },
      { metric: "home_answer", dims: { ...korvel, topic: "money", option: "fine" }, n: 11 },
      { metric: "home_answer", dims: { ...korvel, topic: "money", option: "tense" }, n: 4 },
      { metric: "handoff_consented", dims: { ...korvel, topic: "money" }, n: 4 + (w % 3) },
      { metric: "handoff_accepted", dims: { ...korvel, topic: "money", option: "in_time" }, n: 4 + (w % 2) },
      { metric: "handoff_accepted", dims: { ...korvel, topic: "money", option: "late" }, n: w % 2 },
      { metric: "checkin_answer", dims: { ...korvel, topic: "money", option: "helped" }, n: 3 },
      { metric: "safety_shown", dims: { neighbourhood: "korvel" }, n: 1 },
    ];
    await counters.count(h.db.prisma, at, counts);
  }
}

describe.runIf(hasChromium || process.env.CI === "true")("the Insights page in a real browser (Chromium)", () => {
  let h: Harness;
  let browser: Browser;
  let wijkregie: Staff;
  /** A browser signed in as this person: the session cookies the panel gave over HTTP. */
  const contextFor = async (s: Staff, options: BrowserContextOptions): Promise<BrowserContext> => {
    const context = await browser.newContext(options);
    await context.addCookies([...s.client.jar].map(([name, value]) => ({ name, value, domain: "127.0.0.1", path: "/admin" })));
    return context;
  };

  beforeAll(async () => {
    await mkdir(SHOTS, { recursive: true });
    h = await startHarness();
    h.advance(new Date("2026-11-27T09:00:00Z").getTime() - Date.now());
    await seed(h);
    wijkregie = await signUp(h, "wijkregie", "wijkregie@example.org");
    browser = await launchBrowser();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await h?.close();
  });

  it("the wijkregie reads weekly charts with their tables, filters by language, and nothing under 10 shows", { timeout: 120_000 }, async () => {
    const context = await contextFor(wijkregie, PHONE);
    const page = await context.newPage();
    await page.goto(`${h.url}/admin`);
    await page.waitForURL("**/admin/insights");
    await page.getByRole("heading", { level: 1, name: "Inzichten" }).waitFor();
    await a11ySmoke(page);
    await fitsPhone(page);
    // Each chart is an image with a name, and has a table with the same figures beside it.
    const charts = page.getByRole("img");
    expect(await charts.count()).toBe(5);
    expect(await page.locator("svg.chart title").first().textContent()).toContain("Nieuwe inwoners per week");
    expect(await page.locator("figure.trend table").count()).toBe(5);
    // No figure from 1 to 9 in any table cell: small ones read "< 10".
    const cells = await page.locator("td.num").allTextContents();
    expect(cells.filter((c) => /^\s*[1-9]\s*$/.test(c))).toEqual([]);
    expect(cells.some((c) => c.includes("< 10"))).toBe(true);
    await page.screenshot({ path: path.join(SHOTS, "insights-phone.png"), fullPage: true });

    // Turkish speakers only: the figures stay "< 10" or hidden, never a number to subtract.
    await page.getByLabel("Taal", { exact: true }).selectOption("tr");
    await page.getByRole("button", { name: "Toon" }).click();
    await page.waitForURL("**language=tr**");
    const turkish = await page.locator("td.num").allTextContents();
    expect(turkish.filter((c) => /^\s*[1-9]\s*$/.test(c))).toEqual([]);
    await fitsPhone(page);
    await context.close();
  });

  it("the monthly report prints without the navigation, and looks right on a desk", { timeout: 120_000 }, async () => {
    const context = await contextFor(wijkregie, DESKTOP);
    const page = await context.newPage();
    await page.goto(`${h.url}/admin/insights?month=2026-11&months=3`);
    await page.getByRole("heading", { level: 1, name: "Inzichten" }).waitFor();
    await page.screenshot({ path: path.join(SHOTS, "insights-desktop.png"), fullPage: true });
    await page.getByRole("link", { name: "Maandrapport (om te printen)" }).click();
    // The stylesheet must have applied before print media is judged: the heading alone can be in the DOM first.
    await page.waitForURL("**/admin/insights/report?**", { waitUntil: "load" });
    await page.getByRole("heading", { level: 1, name: "Inzichten 2026-11" }).waitFor();
    await page.emulateMedia({ media: "print" });
    await expect.poll(() => page.locator("header").isVisible(), { timeout: 5_000 }).toBe(false);
    expect(await page.getByText("Worden de risicogroepen bereikt").isVisible()).toBe(true);
    await page.screenshot({ path: path.join(SHOTS, "insights-report-print.png"), fullPage: true });
    const pdf = await page.pdf({ format: "A4" });
    expect(pdf.subarray(0, 4).toString()).toBe("%PDF");
    await context.close();
  });
});
