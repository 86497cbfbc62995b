import { mkdir } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, BrowserContextOptions } from "playwright-core";
import { a11ySmoke, fitsPhone } from "../support/a11y.js";
import { hasChromium, launchBrowser } from "../support/browser.js";
import { startHarness, type Harness } from "../support/harness.js";
import { signUp, type Staff } from "./panel-helpers.js";

/** Screenshots go to an ignored folder: `npm test` never changes a tracked file. */
const SHOTS = path.resolve(import.meta.dirname, "..", "..", "test-results", "security");
const PHONE: BrowserContextOptions = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, locale: "nl-NL", timezoneId: "Europe/Amsterdam" };

describe.runIf(hasChromium || process.env.CI === "true")("the audit log in a real browser (Chromium)", () => {
  let h: Harness;
  let browser: Browser;
  let admin: Staff;
  let pro: Staff;
  beforeAll(async () => {
    await mkdir(SHOTS, { recursive: true });
    h = await startHarness();
    browser = await launchBrowser();
    admin = await signUp(h, "admin", "sanne@example.org");
    pro = await signUp(h, "professional", "anouk@example.org");
  });
  afterAll(async () => {
    await browser?.close();
    await h?.close();
  });

  it("an admin resets a professional's second factor and finds it, with who and when, in the log", { timeout: 90_000 }, async () => {
    const context = await browser.newContext(PHONE);
    const url = new URL(h.url);
    await context.addCookies([...admin.client.jar].map(([name, value]) => ({ name, value, domain: url.hostname, path: "/admin" })));
    const page = await context.newPage();
    await page.goto(`${h.url}/admin/people`);
    await page.getByRole("heading", { level: 1, name: "Mensen" }).waitFor();
    await page.getByRole("button", { name: "Tweestapsverificatie van anouk terugzetten" }).click();
    await page.getByText("De tweestapsverificatie is teruggezet").waitFor();
    await page.getByRole("navigation", { name: "Hoofdmenu" }).getByRole("link", { name: "Logboek", exact: true }).click();
    await page.getByRole("heading", { level: 1, name: "Logboek" }).waitFor();
    const table = page.getByRole("table", { name: "Acties van medewerkers, nieuwste eerst" });
    await table.waitFor();
    const first = table.getByRole("row").nth(1);
    expect(await first.innerText()).toContain("Tweestapsverificatie teruggezet");
    expect(await first.innerText()).toContain("sanne@example.org");
    expect(await first.innerText()).toContain(pro.userId);
    await a11ySmoke(page);
    await fitsPhone(page);
    await page.screenshot({ path: path.join(SHOTS, "audit-log.png"), fullPage: true });
    // Filtered to one kind of action.
    await page.getByLabel("Soort actie").selectOption("2fa-reset");
    await page.getByRole("button", { name: "Tonen" }).click();
    await page.waitForURL(/action=2fa-reset/);
    expect(await table.getByRole("row").count()).toBe(2);
    // The download is itself in the log.
    const download = page.waitForEvent("download");
    await page.getByRole("link", { name: "Logboek downloaden (CSV)" }).click();
    await (await download).path();
    await expect.poll(async () => h.db.prisma.auditEvent.count({ where: { action: "export", actorId: admin.userId } })).toBe(1);
    await context.close();
  });
});
