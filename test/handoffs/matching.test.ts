import { describe, expect, it } from "vitest";
import { matchProfessional, type Candidate } from "../../src/handoffs/matching.js";
import { addWorkingDays, answerBy, nextAvailable } from "../../src/handoffs/working-time.js";
import { toWallClock } from "../../src/activities/local-time.js";

const week = [1, 2, 3, 4, 5].map((day) => ({ day, from: "09:00", to: "17:00" }));
const c = (id: string, over: Partial<Candidate> = {}): Candidate => ({
  id, name: id, topics: ["money"], languages: ["nl"], neighbourhoods: ["korvel"], availability: week, maxOpenCases: 5, openCases: 0, lastAssignedAt: null, ...over,
});
const monday10 = new Date("2026-11-30T09:00:00Z"); // 10:00 in Amsterdam
const req = { topic: "money", language: "nl", neighbourhood: "korvel", now: monday10 };

describe("matching a professional", () => {
  it("prefers the resident's language, then a specialist, then their neighbourhood, and says why", () => {
    const m = matchProfessional([c("a"), c("b", { languages: ["nl", "tr"] }), c("g", { topics: ["general"], languages: ["tr"] })], { ...req, language: "tr" })!;
    expect(m.candidate.id).toBe("b");
    expect(m.languageMatch).toBe(true);
    expect(m.reason).toContain("topic money (specialist); speaks tr; works in korvel; available within a day; 0 of 5 cases open");
    expect(matchProfessional([c("a", { neighbourhoods: ["wandelbos-noord"] }), c("b")], req)!.candidate.id).toBe("b");
  });

  it("says honestly when nobody speaks the language, and still offers the best one", () => {
    const m = matchProfessional([c("a"), c("b", { languages: ["nl", "en"] })], { ...req, language: "pl" })!;
    expect(m.languageMatch).toBe(false);
    expect(m.reason).toContain("does not speak pl");
  });

  it("keeps to the case limit unless everyone is full, then takes the least loaded", () => {
    expect(matchProfessional([c("a", { openCases: 5 }), c("b", { openCases: 4, languages: ["en"] })], req)!.candidate.id).toBe("b");
    const full = matchProfessional([c("a", { openCases: 6 }), c("b", { openCases: 5 })], req)!;
    expect(full.candidate.id).toBe("b");
    expect(full.reason).toContain("everyone is at capacity");
  });

  it("rotates fairly between equal matches: the one assigned longest ago first, then the next", () => {
    const pool = [c("a", { lastAssignedAt: new Date("2026-11-20") }), c("b", { lastAssignedAt: new Date("2026-11-10") }), c("c", { lastAssignedAt: null })];
    const first = matchProfessional(pool, req)!;
    expect(first.candidate.id).toBe("c");
    expect(first.reason).toContain("least recently assigned of 3 equal matches");
    pool[2]!.lastAssignedAt = monday10;
    expect(matchProfessional(pool, req)!.candidate.id).toBe("b");
  });

  it("can leave someone out (another person after it did not help) and finds nobody for a topic nobody takes", () => {
    expect(matchProfessional([c("a"), c("b")], { ...req, exclude: ["a"] })!.candidate.id).toBe("b");
    expect(matchProfessional([c("a")], { ...req, topic: "youth" })).toBeUndefined();
    expect(matchProfessional([c("a"), c("g", { topics: ["general"] })], { ...req, topic: "youth" })!.candidate.id).toBe("g");
  });
});

describe("working time", () => {
  it("adds working days over a weekend, at the same Amsterdam time", () => {
    const friday = new Date("2026-12-04T13:30:00Z"); // Friday 14:30
    expect(toWallClock(addWorkingDays(friday, 1))).toEqual({ date: "2026-12-07", time: "14:30" });
    const saturday = new Date("2026-12-05T10:00:00Z");
    expect(toWallClock(addWorkingDays(saturday, 1))).toEqual({ date: "2026-12-08", time: "09:00" });
  });

  it("finds now inside hours, or the next opening", () => {
    expect(nextAvailable(week, monday10)).toEqual(monday10);
    expect(toWallClock(nextAvailable(week, new Date("2026-12-04T17:00:00Z"))!)).toEqual({ date: "2026-12-07", time: "09:00" });
    expect(nextAvailable([], monday10)).toBeUndefined();
  });
});

describe("the time a professional promises to answer by", () => {
  /** Amsterdam wall-clock time of an instant, as "YYYY-MM-DD HH:MM". */
  const local = (at: Date) => Object.values(toWallClock(at)).join(" ");
  const amsterdam = (s: string) => new Date(`${s}:00+01:00`); // December: UTC+1

  it("is never outside their hours: asked on Wednesday 20:31, the answer comes by Thursday 17:00, not 20:31", () => {
    expect(local(addWorkingDays(amsterdam("2026-12-02T20:31"), 1))).toBe("2026-12-03 20:31");
    expect(local(answerBy(amsterdam("2026-12-02T20:31"), 1, week))).toBe("2026-12-03 17:00");
  });

  it("keeps the organisation's time when it falls inside their hours", () => {
    expect(local(answerBy(amsterdam("2026-11-30T10:00"), 1, week))).toBe("2026-12-01 10:00");
    expect(local(answerBy(amsterdam("2026-12-04T16:00"), 1, week))).toBe("2026-12-07 16:00"); // Friday → Monday
    expect(local(answerBy(amsterdam("2026-12-01T10:00"), 2, week))).toBe("2026-12-03 10:00");
  });

  it("gives them at least two working hours, later if it must: a Monday-only professional asked at 16:30", () => {
    const mondays = [{ day: 1, from: "09:00", to: "17:00" }];
    expect(local(answerBy(amsterdam("2026-11-30T16:30"), 1, mondays))).toBe("2026-12-07 17:00");
    expect(local(answerBy(amsterdam("2026-11-30T10:00"), 1, mondays))).toBe("2026-11-30 17:00");
  });

  it("takes the end of a short stretch that gives enough time, and the organisation's time without hours", () => {
    const mornings = [2, 4].map((day) => ({ day, from: "09:00", to: "12:00" }));
    expect(local(answerBy(amsterdam("2026-11-30T10:00"), 1, mornings))).toBe("2026-12-01 12:00"); // Tuesday 10:00 would leave one hour
    expect(local(answerBy(amsterdam("2026-12-02T20:31"), 1, []))).toBe("2026-12-03 20:31");
  });

  it("in summer time as in winter (Amsterdam is UTC+2 in June)", () => {
    expect(local(answerBy(new Date("2026-06-03T18:31:00Z"), 1, week))).toBe("2026-06-04 17:00");
  });
});
