import { describe, expect, it } from "vitest";
import { templateLanguage, WINDOW_MARGIN_MS, WINDOW_MS, windowClosed, windowOpenSince } from "../../src/channels/whatsapp/whatsapp-window.js";

describe("WhatsApp's 24-hour window", () => {
  const now = new Date("2026-03-02T12:00:00Z");
  const ago = (ms: number) => new Date(now.getTime() - ms);

  it("is open until 30 minutes before the 24 hours are up, and closed without any message", () => {
    expect(windowClosed("whatsapp", ago(WINDOW_MS - WINDOW_MARGIN_MS), now)).toBe(false);
    expect(windowClosed("whatsapp", ago(WINDOW_MS - WINDOW_MARGIN_MS - 60_000), now)).toBe(false);
    expect(windowClosed("whatsapp", ago(WINDOW_MS - WINDOW_MARGIN_MS + 1), now)).toBe(true);
    expect(windowClosed("whatsapp", ago(23.6 * 3_600_000), now)).toBe(true);
    expect(windowClosed("whatsapp", null, now)).toBe(true);
    expect(windowOpenSince(now)).toEqual(ago(23.5 * 3_600_000));
  });

  it("belongs to WhatsApp only", () => {
    expect(windowClosed("telegram", null, now)).toBe(false);
    expect(windowClosed("web", ago(7 * 86_400_000), now)).toBe(false);
  });

  it("picks the template language: the same code, a regional variant, else the first approved", () => {
    expect(templateLanguage(["nl", "en_US", "tr"], "tr")).toBe("tr");
    expect(templateLanguage(["nl", "en_US", "tr"], "en")).toBe("en_US");
    expect(templateLanguage(["nl", "en_US", "tr"], "uk")).toBe("nl");
  });
});
