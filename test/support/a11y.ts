import { expect } from "vitest";
import type { Page } from "playwright-core";

/**
 * Accessibility smoke checks on the current page: every visible form field has a label (or an
 * aria-label), there is exactly one h1, the first Tab lands on the skip link (and shows it), the
 * skip link leads into <main>, and Tab reaches every visible link, button and field.
 */
export async function a11ySmoke(page: Page): Promise<void> {
  const where = page.url();
  expect(await page.locator("h1").count(), `one h1 on ${where}`).toBe(1);
  for (const field of await page.locator("input:not([type=hidden]), select, textarea").all()) {
    if (!(await field.isVisible())) continue;
    const id = await field.getAttribute("id");
    const labelled = (id !== null && (await page.locator(`label[for="${id}"]`).count()) === 1) || !!(await field.getAttribute("aria-label"));
    expect(labelled, `a label for ${id ?? (await field.evaluate((e) => e.outerHTML))} on ${where}`).toBe(true);
  }

  // Tab from the top: the skip link first, shown on screen.
  await page.evaluate(() => {
    (document.activeElement as HTMLElement | null)?.blur();
    window.scrollTo(0, 0);
  });
  await page.keyboard.press("Tab");
  const first = await page.evaluate(() => ({ cls: document.activeElement?.className, href: document.activeElement?.getAttribute("href"), text: document.activeElement?.textContent }));
  expect(first, `first Tab on ${where}`).toEqual({ cls: "skip", href: "#main", text: "Naar de inhoud" });
  const box = await page.getByRole("link", { name: "Naar de inhoud" }).boundingBox();
  expect(box && box.x >= 0 && box.y >= 0 && box.x + box.width <= 390, `skip link visible when focused on ${where}`).toBe(true);

  // Tab reaches every visible interactive element, in order, without a trap.
  const marked = await page.evaluate(() => {
    const all = Array.from(document.querySelectorAll<HTMLElement>("a[href], button, input:not([type=hidden]), select, textarea, [tabindex]"));
    // A radio group is one Tab stop (its checked option); arrow keys move inside it.
    const otherRadio = (e: HTMLElement) => e instanceof HTMLInputElement && e.type === "radio" && !e.checked;
    const visible = all.filter((e) => e.getClientRects().length > 0 && getComputedStyle(e).visibility !== "hidden" && !(e as HTMLInputElement).disabled && e.tabIndex >= 0 && !otherRadio(e));
    visible.forEach((e, i) => e.setAttribute("data-a11y-tab", String(i)));
    return visible.length;
  });
  const reached = new Set<string>(["0"]);
  const order = [0];
  // Date and time fields take a Tab per part (day, month, year; hours, minutes), so allow extra presses.
  for (let i = 1; i < marked * 3 + 5; i++) {
    await page.keyboard.press("Tab");
    const mark = await page.evaluate(() => document.activeElement?.getAttribute("data-a11y-tab") ?? null);
    if (mark === null) break; // left the page (back to the browser UI)
    if (!reached.has(mark)) order.push(Number(mark));
    reached.add(mark);
  }
  expect(order, `Tab follows the reading order on ${where}`).toEqual([...order].sort((a, b) => a - b));
  const missed = await page.evaluate(
    (seen) => Array.from(document.querySelectorAll<HTMLElement>("[data-a11y-tab]")).filter((e) => !seen.includes(e.dataset.a11yTab!)).map((e) => e.outerHTML.slice(0, 120)),
    [...reached],
  );
  expect(missed, `not reachable with Tab on ${where}`).toEqual([]);

  // The skip link moves keyboard focus past the header: the next Tab lands in <main> (or leaves the
  // page, when <main> holds nothing to focus, as on the home page).
  const mainFocusable = await page.locator("main [data-a11y-tab]").count();
  await page.evaluate(() => {
    (document.activeElement as HTMLElement | null)?.blur();
    window.scrollTo(0, 0);
  });
  await page.keyboard.press("Tab");
  await page.keyboard.press("Enter");
  await page.keyboard.press("Tab");
  const after = await page.evaluate(() => (document.activeElement?.closest("main") ? "main" : document.activeElement?.closest("header") ? "header" : "outside"));
  expect(after, `skip link leads past the header on ${where}`).toBe(mainFocusable > 0 ? "main" : "outside");
  await page.evaluate(() => {
    document.querySelectorAll("[data-a11y-tab]").forEach((e) => e.removeAttribute("data-a11y-tab"));
    (document.activeElement as HTMLElement | null)?.blur();
    history.replaceState(null, "", location.pathname + location.search);
    window.scrollTo(0, 0);
  });
}

/** Nothing sticks out sideways on a phone (a horizontal scroll bar means something is cut off). */
export async function fitsPhone(page: Page): Promise<void> {
  // Measured once the page has its styles and fonts: on a busy machine the first layout can run before
  // them (a width of 470 that no element explains a moment later). A real overflow stays and still fails.
  await page.waitForLoadState("load");
  await page.evaluate(() => document.fonts.ready.then(() => undefined));
  let width = await page.evaluate(() => document.documentElement.scrollWidth);
  for (let i = 0; i < 10 && width > 390; i++) {
    await page.waitForTimeout(100);
    width = await page.evaluate(() => document.documentElement.scrollWidth);
  }
  const widest = width <= 390 ? "" : await page.evaluate(() => {
    const wide = Array.from(document.querySelectorAll<HTMLElement>("body *")).filter((e) => e.getBoundingClientRect().right > 391);
    return wide.slice(-3).map((e) => e.outerHTML.slice(0, 160)).join(" | ");
  });
  expect(width, `page width on ${page.url()}: ${widest}`).toBeLessThanOrEqual(390);
}

