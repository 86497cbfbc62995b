import { readFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser } from "playwright-core";
import { flowMapMarkdown } from "../../src/content/flow-map.js";
import { loadFlows, loadLocales, lookup, ROOT_DIR } from "../../src/content/load-content.js";
import { hasChromium, launchBrowser } from "../support/browser.js";

const { flows } = await loadFlows();
const locales = await loadLocales();
const text = (key: string) => {
  const v = lookup(locales, "nl", key);
  return typeof v === "string" ? v : `⚠ ${key}`;
};

describe("the flow map for reviewers (docs/flows)", () => {
  it("is up to date with the flows and texts (run npm run flows:map)", async () => {
    for (const flow of flows.values()) {
      const committed = await readFile(path.join(ROOT_DIR, "docs", "flows", `${flow.flow}.md`), "utf8").catch(() => "(missing)");
      expect(committed, `docs/flows/${flow.flow}.md`).toBe(flowMapMarkdown(flow, text));
      expect(committed).not.toContain("⚠");
    }
  });

  describe.runIf(hasChromium || process.env.CI === "true")("draws in a browser with Mermaid", () => {
    let browser: Browser;
    beforeAll(async () => {
      browser = await launchBrowser();
    });
    afterAll(async () => {
      await browser?.close();
    });
    it("every diagram renders to SVG without a syntax error", async () => {
      const page = await browser.newPage();
      await page.setContent("<!doctype html><html><body></body></html>");
      await page.addScriptTag({ path: path.join(ROOT_DIR, "node_modules", "mermaid", "dist", "mermaid.min.js") });
      for (const flow of flows.values()) {
        const source = /```mermaid\n([\s\S]*?)\n```/.exec(flowMapMarkdown(flow, text))![1]!;
        const result = await page.evaluate(async ({ id, source }) => {
          const m = (globalThis as unknown as { mermaid: { initialize(o: object): void; render(id: string, s: string): Promise<{ svg: string }> } }).mermaid;
          m.initialize({ startOnLoad: false, securityLevel: "strict" });
          try {
            const { svg } = await m.render(id, source);
            return { ok: true, length: svg.length, error: "" };
          } catch (err) {
            return { ok: false, length: 0, error: String(err) };
          }
        }, { id: `d_${flow.flow.replace(/-/g, "_")}`, source });
        expect(result.error, flow.flow).toBe("");
        expect(result.length).toBeGreaterThan(1000);
      }
    }, 60_000);
  });
});
