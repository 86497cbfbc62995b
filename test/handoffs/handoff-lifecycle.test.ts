import { describe, expect, it } from "vitest";
import {
  accept,
  answerCheckIn,
  checkInSent,
  close,
  closeNewsSent,
  deliverHeld,
  escalateStuck,
  escalateTo,
  HANDOFF_STAGES,
  HANDOFF_STATUSES,
  handoffCaseSchema,
  isOverdue,
  markInContact,
  opened,
  professionalMessage,
  reassign,
  timerDue,
  type HandoffCase,
  type HandoffResult,
  type HandoffStage,
  type HandoffStatus,
} from "../../src/handoffs/handoff-lifecycle.js";

const now = new Date("2026-12-03T10:00:00Z");
const later = new Date("2026-12-04T09:00:00Z");
const times = { checkInDays: 5, retentionDays: 30, escalateAfterHours: 4 };
const DAY = 86_400_000;

const base: HandoffCase = { status: "new", stage: "await_accept", mode: "chat", acceptedAt: null, firstContactAt: null, remindedAt: null, escalatedAt: null, checkInAnswer: null };
const at = (status: HandoffStatus, stage: HandoffStage, more: Partial<HandoffCase> = {}): HandoffCase => ({ ...base, status, stage, ...more });

/** Every status and stage pair, so each move is tried from everywhere. */
const everywhere = HANDOFF_STATUSES.flatMap((status) => HANDOFF_STAGES.map((stage) => at(status, stage)));

function expectRefused(r: HandoffResult, move: string, c: HandoffCase) {
  expect(r.ok).toBe(false);
  if (!r.ok) {
    expect(r).toMatchObject({ move, status: c.status, stage: c.stage });
    expect(r.reason.length).toBeGreaterThan(0);
  }
}

/** The moves whose legality depends on where the case is, with where each is allowed. */
const guarded: { name: string; run: (c: HandoffCase) => HandoffResult; allowed: (c: HandoffCase) => boolean }[] = [
  { name: "accept", run: (c) => accept(c, now, times), allowed: (c) => c.status === "new" },
  { name: "professional-message", run: (c) => professionalMessage(c, now, times), allowed: (c) => c.status !== "closed" },
  { name: "mark-in-contact", run: (c) => markInContact(c, now, times), allowed: (c) => c.status !== "closed" },
  { name: "close", run: (c) => close(c, now, times, "helped"), allowed: (c) => c.status !== "closed" },
  { name: "close-news-sent", run: (c) => closeNewsSent(c, now, "queued"), allowed: (c) => c.status === "closed" },
  { name: "check-in-sent", run: (c) => checkInSent(c, now, "queued"), allowed: (c) => c.stage === "check_in" },
  {
    name: "deliver-held",
    run: (c) => deliverHeld(c, now),
    allowed: (c) => (c.stage === "check_in_held" && (c.status === "accepted" || c.status === "in_contact")) || (c.stage === "close_held" && c.status === "closed"),
  },
  { name: "reassign", run: (c) => reassign(c, later), allowed: (c) => c.status !== "closed" },
  { name: "escalate-to", run: (c) => escalateTo(c, now, later), allowed: (c) => c.status === "new" && c.stage === "await_accept" },
  { name: "escalate-stuck", run: (c) => escalateStuck(c, now, later), allowed: (c) => c.status === "new" && c.stage === "await_accept" },
];

describe("handoff lifecycle: which moves are allowed from where", () => {
  for (const move of guarded) {
    for (const c of everywhere) {
      const legal = move.allowed(c);
      it(`${move.name} from ${c.status}/${c.stage} is ${legal ? "allowed" : "refused"}`, () => {
        const r = move.run(c);
        if (legal) expect(r.ok).toBe(true);
        else expectRefused(r, move.name, c);
      });
    }
  }

  it("a professional cannot write on a call case, whatever its status", () => {
    for (const status of ["new", "accepted", "in_contact"] as const) expectRefused(professionalMessage(at(status, "await_accept", { mode: "call" }), now, times), "professional-message", at(status, "await_accept"));
  });

  it("answering the check-in and a due timer are never refused: the buttons stay in the chat, and a timer always has an answer", () => {
    for (const c of everywhere) {
      expect(answerCheckIn(c, now, "helped", later).ok).toBe(true);
      expect(answerCheckIn(c, now, "not_helped", later).ok).toBe(true);
      expect(timerDue(c, now, times).ok).toBe(true);
    }
  });
});

describe("handoff lifecycle: what each move writes and sets off", () => {
  it("a new case waits for acceptance, its first timer the time to accept", () => {
    expect(opened(later)).toEqual({ status: "new", stage: "await_accept", acceptBy: later, nextActionAt: later });
  });

  it("accepting sets the check-in and tells the resident", () => {
    expect(accept(base, now, times)).toEqual({
      ok: true,
      next: { status: "accepted", acceptedAt: now, stage: "check_in", nextActionAt: new Date(now.getTime() + 5 * DAY) },
      effects: [{ kind: "tell-resident", key: "accepted" }],
    });
  });

  it("a professional's first message on a new request accepts it and is the first contact; later ones change only what is missing", () => {
    expect(professionalMessage(base, now, times)).toMatchObject({ ok: true, next: { status: "in_contact", acceptedAt: now, stage: "check_in", firstContactAt: now }, effects: [] });
    expect(professionalMessage(at("accepted", "check_in"), now, times)).toMatchObject({ next: { status: "in_contact", firstContactAt: now } });
    expect(professionalMessage(at("in_contact", "check_in", { firstContactAt: later }), now, times)).toMatchObject({ next: {} });
  });

  it("marking contact keeps an earlier first contact and accepts a case never accepted", () => {
    expect(markInContact(at("accepted", "check_in", { acceptedAt: now, firstContactAt: later }), now, times)).toEqual({ ok: true, next: { status: "in_contact", firstContactAt: later }, effects: [] });
    expect(markInContact(base, now, times)).toMatchObject({ next: { status: "in_contact", firstContactAt: now, acceptedAt: now, stage: "check_in" } });
  });

  it("closing asks 'did it help?' unless the resident answered already; the conversation is deleted after the retention time", () => {
    const purgeAfter = new Date(now.getTime() + 30 * DAY);
    expect(close(at("accepted", "check_in"), now, times, undefined)).toEqual({
      ok: true,
      next: { status: "closed", outcome: "other", closedAt: now, purgeAfter, nextActionAt: null },
      effects: [{ kind: "ask-check-in", key: "closed_ask" }],
    });
    expect(close(at("in_contact", "done", { checkInAnswer: "helped" }), now, times, "referred")).toEqual({
      ok: true,
      next: { status: "closed", outcome: "referred", closedAt: now, purgeAfter, nextActionAt: null, stage: "done" },
      effects: [{ kind: "tell-resident", key: "closed" }],
    });
  });

  it("the news of closing, once offered: asked, nobody to ask, or held", () => {
    const closed = at("closed", "check_in");
    expect(closeNewsSent(closed, now, "queued")).toMatchObject({ next: { stage: "await_check_in", checkInSentAt: now } });
    expect(closeNewsSent(closed, now, "gone")).toMatchObject({ next: { stage: "done" } });
    expect(closeNewsSent(closed, now, "held")).toMatchObject({ next: { stage: "close_held" } });
    expect(closeNewsSent(closed, now, "quiet")).toMatchObject({ next: { stage: "close_held" } });
  });

  it("'it helped' ends the timers and is the outcome of an open case, not of a closed one", () => {
    expect(answerCheckIn(at("accepted", "await_check_in"), now, "helped", later).next).toEqual({ checkInAnswer: "helped", checkInAnsweredAt: now, stage: "done", nextActionAt: null, outcome: "helped" });
    expect(answerCheckIn(at("closed", "await_check_in"), now, "helped", later).next).not.toHaveProperty("outcome");
  });

  it("'it did not help' or 'no contact' reopens the case with the professional, who is told", () => {
    const r = answerCheckIn(at("closed", "await_check_in"), now, "no_contact", later);
    expect(r.next).toEqual({ checkInAnswer: "no_contact", checkInAnsweredAt: now, status: "accepted", outcome: null, closedAt: null, purgeAfter: null, stage: "await_accept", remindedAt: null, acceptBy: later, nextActionAt: later });
    expect(r.effects).toEqual([{ kind: "notify-professional", key: "staff_reopened" }]);
    expect(answerCheckIn(at("in_contact", "await_check_in"), now, "not_helped", later).next.status).toBe("in_contact");
  });

  it("a request not accepted in time: reminded once, then escalated", () => {
    expect(timerDue(base, now, times)).toEqual({ ok: true, next: { remindedAt: now, nextActionAt: new Date(now.getTime() + 4 * 3_600_000) }, effects: [{ kind: "notify-professional", key: "staff_reminder" }] });
    expect(timerDue({ ...base, remindedAt: now }, later, times)).toEqual({ ok: true, next: {}, effects: [{ kind: "escalate" }] });
  });

  it("a reopened case reminds once more; an accepted one sends its check-in; anything else clears its timer", () => {
    expect(timerDue(at("accepted", "await_accept"), now, times)).toEqual({ ok: true, next: { stage: "done", nextActionAt: null }, effects: [{ kind: "notify-professional", key: "staff_reminder" }] });
    expect(timerDue(at("accepted", "check_in", { acceptedAt: now }), now, times)).toEqual({ ok: true, next: {}, effects: [{ kind: "ask-check-in", key: "checkin" }] });
    expect(timerDue(at("accepted", "check_in"), now, times)).toEqual({ ok: true, next: { nextActionAt: null }, effects: [] });
    expect(timerDue(at("closed", "await_accept"), now, times)).toEqual({ ok: true, next: { nextActionAt: null }, effects: [] });
  });

  it("the check-in, once offered: asked, nobody to ask, or held until the resident writes", () => {
    const c = at("accepted", "check_in", { acceptedAt: now });
    expect(checkInSent(c, now, "queued")).toMatchObject({ next: { stage: "await_check_in", checkInSentAt: now, nextActionAt: null } });
    expect(checkInSent(c, now, "gone")).toMatchObject({ next: { stage: "done", nextActionAt: null } });
    expect(checkInSent(c, now, "held")).toMatchObject({ next: { stage: "check_in_held", nextActionAt: null } });
  });

  it("what was held is asked when the resident writes", () => {
    expect(deliverHeld(at("in_contact", "check_in_held"), now)).toEqual({ ok: true, next: { stage: "await_check_in", checkInSentAt: now }, effects: [{ kind: "ask-check-in", key: "checkin" }] });
    expect(deliverHeld(at("closed", "close_held"), now)).toEqual({ ok: true, next: { stage: "await_check_in", checkInSentAt: now }, effects: [{ kind: "ask-check-in", key: "closed_ask" }] });
  });

  it("a case handed to someone else must be accepted again, from scratch", () => {
    expect(reassign(at("in_contact", "check_in", { acceptedAt: now }), later)).toEqual({
      ok: true,
      next: { status: "new", stage: "await_accept", acceptedAt: null, remindedAt: null, acceptBy: later, nextActionAt: later, proSeenAt: null },
      effects: [],
    });
    expect(escalateTo(base, now, later)).toMatchObject({ next: { escalatedAt: now, remindedAt: null, acceptBy: later, nextActionAt: later, proSeenAt: null } });
  });

  it("with nobody to escalate to, the first escalation time is kept and the next try is the next working day", () => {
    expect(escalateStuck({ ...base, escalatedAt: now }, later, later)).toEqual({ ok: true, next: { escalatedAt: now, nextActionAt: later }, effects: [] });
    expect(escalateStuck(base, now, later)).toMatchObject({ next: { escalatedAt: now } });
  });

  it("reads a stored row and refuses a status or stage outside the enums", () => {
    const row = { ...base, id: "x", topic: "money" };
    expect(handoffCaseSchema.parse(row)).toEqual(base);
    expect(handoffCaseSchema.safeParse({ ...row, status: "archived" }).success).toBe(false);
    expect(handoffCaseSchema.safeParse({ ...row, stage: "later" }).success).toBe(false);
  });

  it("overdue: only a new request past its time to accept", () => {
    expect(isOverdue({ status: "new", acceptBy: now }, later)).toBe(true);
    expect(isOverdue({ status: "accepted", acceptBy: now }, later)).toBe(false);
    expect(isOverdue({ status: "new", acceptBy: later }, now)).toBe(false);
  });
});
