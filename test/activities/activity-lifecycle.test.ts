import { describe, expect, it } from "vitest";
import { ACTIVITY_STATUSES, approve, cancel, chatDraftStatus, editable, editNeedsReapproval, reject, submit, type ActivityResult, type ActivityStatus } from "../../src/activities/activity-lifecycle.js";

const now = new Date("2026-12-03T10:00:00Z");

const moves: { name: string; run: (s: ActivityStatus) => ActivityResult; allowed: readonly ActivityStatus[] }[] = [
  { name: "submit", run: (s) => submit(s, true, now), allowed: ["draft", "rejected"] },
  { name: "submit", run: (s) => submit(s, false, now), allowed: ["draft", "rejected"] },
  { name: "approve", run: (s) => approve(s, "admin-1", now), allowed: ["pending"] },
  { name: "reject", run: (s) => reject(s, "Geen datum"), allowed: ["pending", "approved"] },
  { name: "cancel", run: (s) => cancel(s), allowed: ["draft", "pending", "approved", "rejected"] },
];

describe("activity lifecycle", () => {
  for (const m of moves) {
    for (const status of ACTIVITY_STATUSES) {
      const legal = m.allowed.includes(status);
      it(`${m.name} from ${status} is ${legal ? "allowed" : "refused"}`, () => {
        const r = m.run(status);
        expect(r.ok).toBe(legal);
        if (r.ok) expect(r.from).toEqual(m.allowed);
        else expect(r).toEqual({ ok: false, move: m.name, status });
      });
    }
  }

  it("submitting goes to an admin, or straight to approved by nobody when the organisation needs no approval", () => {
    expect(submit("draft", true, now)).toMatchObject({ next: { status: "pending", approvedAt: null, approvedById: null, rejectionReason: null }, notice: "pending" });
    expect(submit("rejected", false, now)).toMatchObject({ next: { status: "approved", approvedAt: now, approvedById: null, rejectionReason: null }, notice: "approved" });
  });

  it("approving records who and when; rejecting keeps the reason and undoes the approval", () => {
    expect(approve("pending", "admin-1", now)).toMatchObject({ next: { status: "approved", approvedAt: now, approvedById: "admin-1" } });
    expect(reject("approved", "Geen datum")).toMatchObject({ next: { status: "rejected", rejectionReason: "Geen datum", approvedAt: null, approvedById: null } });
  });

  it("a cancelled activity is read-only; a key figure's edit of an approved one needs approval again where approval is required", () => {
    expect(ACTIVITY_STATUSES.filter(editable)).toEqual(["draft", "pending", "approved", "rejected"]);
    expect(editNeedsReapproval("approved", "keyfigure", true)).toBe(true);
    expect(editNeedsReapproval("approved", "keyfigure", false)).toBe(false);
    expect(editNeedsReapproval("approved", "admin", true)).toBe(false);
    expect(editNeedsReapproval("draft", "keyfigure", true)).toBe(false);
  });

  it("a chat draft waits for approval where needed, and stays a draft when its day was unclear", () => {
    expect(chatDraftStatus(true, true)).toBe("pending");
    expect(chatDraftStatus(false, true)).toBe("draft");
    expect(chatDraftStatus(true, false)).toBe("draft");
  });
});
