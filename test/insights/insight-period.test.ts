import { describe, expect, it } from "vitest";
import { monthStart, shiftMonth, weekStart, weeksOfMonth } from "../../src/insights/insight-period.js";

describe("insight periods (Europe/Amsterdam)", () => {
  it("starts a week on Monday in Amsterdam, also just after midnight there", () => {
    expect(weekStart(new Date("2026-12-03T12:00:00Z"))).toBe("2026-11-30"); // a Thursday
    expect(weekStart(new Date("2026-12-06T23:30:00Z"))).toBe("2026-12-07"); // Monday 00:30 in Amsterdam
    expect(weekStart(new Date("2026-12-06T22:30:00Z"))).toBe("2026-11-30"); // Sunday 23:30 in Amsterdam
  });
  it("starts a month on its first day in Amsterdam", () => {
    expect(monthStart(new Date("2026-11-30T23:30:00Z"))).toBe("2026-12-01");
    expect(shiftMonth("2026-12", 1)).toBe("2027-01");
    expect(shiftMonth("2026-01", -1)).toBe("2025-12");
  });
  it("reports each week in the month of its Monday", () => {
    expect(weeksOfMonth("2026-12")).toEqual(["2026-12-07", "2026-12-14", "2026-12-21", "2026-12-28"]);
    expect(weeksOfMonth("2026-06")).toEqual(["2026-06-01", "2026-06-08", "2026-06-15", "2026-06-22", "2026-06-29"]);
  });
});
