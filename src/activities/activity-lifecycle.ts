import { z } from "zod";

/**
 * An activity's status rules as pure functions, for the panel and the chat alike: draft → pending
 * (waiting for an admin) → approved | rejected; cancelled from any of them; an organisation that needs
 * no approval goes from draft straight to approved. The same list is a CHECK constraint on
 * `activity.status` (migration `20261203150000_lifecycle_checks`).
 */
export const ACTIVITY_STATUSES = ["draft", "pending", "approved", "rejected", "cancelled"] as const;
export const activityStatusSchema = z.enum(ACTIVITY_STATUSES);
export type ActivityStatus = z.infer<typeof activityStatusSchema>;

/** Statuses a key figure (or admin) may still submit from. */
export const SUBMITTABLE: readonly ActivityStatus[] = ["draft", "rejected"];
/** Statuses an admin may reject from (an approved activity can be taken back). */
export const REJECTABLE: readonly ActivityStatus[] = ["pending", "approved"];
/** Statuses an activity can be cancelled from: all but cancelled. */
export const CANCELLABLE: readonly ActivityStatus[] = ["draft", "pending", "approved", "rejected"];

/** The columns a move writes. */
export type ActivityChange = {
  status: ActivityStatus;
  rejectionReason?: string | null;
  approvedAt?: Date | null;
  approvedById?: string | null;
};

/** A move and the statuses it may start from: the store writes `next` only while the status is one of `from`. */
export type ActivityMove = { ok: true; from: readonly ActivityStatus[]; next: ActivityChange; notice: "pending" | "approved" | "rejected" | "cancelled" };
/** A move the rules do not allow from this status. */
export type ActivityRefusal = { ok: false; move: string; status: ActivityStatus };
export type ActivityResult = ActivityMove | ActivityRefusal;

const guard = (move: string, status: ActivityStatus, from: readonly ActivityStatus[], m: Omit<ActivityMove, "ok" | "from">): ActivityResult =>
  from.includes(status) ? { ok: true, from, ...m } : { ok: false, move, status };

/** Submitting: to an admin when the organisation needs approval, else approved at once (by nobody). */
export function submit(status: ActivityStatus, requiresApproval: boolean, now: Date): ActivityResult {
  return requiresApproval
    ? guard("submit", status, SUBMITTABLE, { next: { status: "pending", rejectionReason: null, approvedAt: null, approvedById: null }, notice: "pending" })
    : guard("submit", status, SUBMITTABLE, { next: { status: "approved", rejectionReason: null, approvedAt: now, approvedById: null }, notice: "approved" });
}

/** An admin approves a pending activity. */
export function approve(status: ActivityStatus, adminId: string, now: Date): ActivityResult {
  return guard("approve", status, ["pending"], { next: { status: "approved", rejectionReason: null, approvedAt: now, approvedById: adminId }, notice: "approved" });
}

/** An admin rejects (or takes back) an activity, with a reason the key figure can act on. */
export function reject(status: ActivityStatus, reason: string): ActivityResult {
  return guard("reject", status, REJECTABLE, { next: { status: "rejected", rejectionReason: reason, approvedAt: null, approvedById: null }, notice: "rejected" });
}

/** Cancelling: from anything but cancelled. */
export function cancel(status: ActivityStatus): ActivityResult {
  return guard("cancel", status, CANCELLABLE, { next: { status: "cancelled" }, notice: "cancelled" });
}

/** A cancelled activity is read-only. */
export function editable(status: ActivityStatus): boolean {
  return status !== "cancelled";
}

/** A key figure's change to an approved activity goes back to an admin when their organisation needs approval. */
export function editNeedsReapproval(status: ActivityStatus, role: string, requiresApproval: boolean): boolean {
  return role !== "admin" && status === "approved" && requiresApproval;
}

/**
 * The status of an activity a key figure wrote in the chat: waiting for approval when the organisation
 * needs it, otherwise a draft to check and publish in the panel; a draft too when the day was unclear.
 */
export function chatDraftStatus(requiresApproval: boolean, dateKnown: boolean): "draft" | "pending" {
  return dateKnown && requiresApproval ? "pending" : "draft";
}
