import { z } from "zod";

/**
 * The life of a handoff as pure functions: which moves are allowed from which status and stage, the
 * columns each move sets and what must happen because of it (the effects: a message to the resident, a
 * notice to the professional, an escalation). No database, clock or messenger here: the service reads
 * the case, asks a function below, writes `next` (guarded by the status it read) and carries out the
 * effects. The same enums are CHECK constraints on the `handoff` table (migration
 * `20261203150000_lifecycle_checks`), so a value outside them cannot be stored either.
 */

/** Statuses a professional works through; `closed` carries an outcome. */
export const HANDOFF_STATUSES = ["new", "accepted", "in_contact", "closed"] as const;
export const handoffStatusSchema = z.enum(HANDOFF_STATUSES);
export type HandoffStatus = z.infer<typeof handoffStatusSchema>;

/** Statuses of a case that is still open. */
export const OPEN_STATUSES = ["new", "accepted", "in_contact"] as const satisfies readonly HandoffStatus[];

/**
 * Where the case's timer stands: `await_accept` (reminder, then escalation), `check_in` (the resident's
 * check-in is due at `next_action_at`), `await_check_in` (asked, waiting for the answer), `check_in_held`
 * (the check-in waits until the resident writes), `close_held` (closed; "did it help?" waits until the
 * resident writes), `done` (no timer).
 */
export const HANDOFF_STAGES = ["await_accept", "check_in", "await_check_in", "check_in_held", "close_held", "done"] as const;
export const handoffStageSchema = z.enum(HANDOFF_STAGES);
export type HandoffStage = z.infer<typeof handoffStageSchema>;

export const HANDOFF_OUTCOMES = ["helped", "referred", "no_contact", "declined", "other"] as const;
export const handoffOutcomeSchema = z.enum(HANDOFF_OUTCOMES);
export type HandoffOutcome = z.infer<typeof handoffOutcomeSchema>;

export const CHECK_IN_ANSWERS = ["helped", "not_helped", "no_contact"] as const;
export const checkInAnswerSchema = z.enum(CHECK_IN_ANSWERS);
export type CheckInAnswer = z.infer<typeof checkInAnswerSchema>;

export const HANDOFF_MODES = ["chat", "call"] as const;
export const handoffModeSchema = z.enum(HANDOFF_MODES);

/** What happened to a message Naast wrote first (mirrors `FirstMessageResult`, kept here so this file imports nothing). */
export type SendResult = "queued" | "held" | "quiet" | "gone";

/** The parts of a stored case the rules look at. Parsed from a row with {@link handoffCaseSchema}. */
export const handoffCaseSchema = z.object({
  status: handoffStatusSchema,
  stage: handoffStageSchema,
  mode: handoffModeSchema,
  acceptedAt: z.date().nullable(),
  firstContactAt: z.date().nullable(),
  remindedAt: z.date().nullable(),
  escalatedAt: z.date().nullable(),
  checkInAnswer: checkInAnswerSchema.nullable(),
});
export type HandoffCase = z.infer<typeof handoffCaseSchema>;

/** The columns a move writes; a field that is absent stays as it is. */
export type HandoffChange = {
  status?: HandoffStatus;
  stage?: HandoffStage;
  outcome?: HandoffOutcome | null;
  acceptBy?: Date;
  nextActionAt?: Date | null;
  acceptedAt?: Date | null;
  firstContactAt?: Date;
  remindedAt?: Date | null;
  escalatedAt?: Date;
  checkInSentAt?: Date;
  checkInAnswer?: CheckInAnswer;
  checkInAnsweredAt?: Date;
  closedAt?: Date | null;
  purgeAfter?: Date | null;
  proSeenAt?: Date | null;
};

/** Something the service must do because of a move. */
export type HandoffEffect =
  /** Tell the resident (`handoff:<key>`), held as a message when they cannot be written to now. */
  | { kind: "tell-resident"; key: "accepted" | "closed" }
  /** Ask the resident "did it help?" (`handoff:checkin`, or `handoff:closed_ask` with the news that it closed). */
  | { kind: "ask-check-in"; key: "checkin" | "closed_ask" }
  /** Tell the professional on their linked chat (`handoff:<key>`). */
  | { kind: "notify-professional"; key: "staff_reminder" | "staff_reopened" }
  /** Find a backup or another match and move the case there, or tell the coordinators. */
  | { kind: "escalate" };

/** Every move a case can make; the name a refusal carries. */
export const HANDOFF_MOVES = [
  "accept",
  "professional-message",
  "mark-in-contact",
  "close",
  "close-news-sent",
  "answer-check-in",
  "timer",
  "check-in-sent",
  "deliver-held",
  "reassign",
  "escalate-to",
  "escalate-stuck",
] as const;
export type HandoffMove = (typeof HANDOFF_MOVES)[number];

/** A move the rules do not allow from where the case stands: which move, and from which status and stage. */
export type HandoffRefusal = { ok: false; move: HandoffMove; status: HandoffStatus; stage: HandoffStage; reason: string };
/** An allowed move: the columns to write and what to do next. */
export type HandoffMoved = { ok: true; next: HandoffChange; effects: HandoffEffect[] };
export type HandoffResult = HandoffMoved | HandoffRefusal;

/** The timing settings the rules need (see `HandoffOptions`). */
export type LifecycleTimes = { checkInDays: number; retentionDays: number; escalateAfterHours: number };

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

const isOpen = (s: HandoffStatus) => s !== "closed";
const moved = (next: HandoffChange, effects: HandoffEffect[] = []): HandoffMoved => ({ ok: true, next, effects });
const refuse = (c: Pick<HandoffCase, "status" | "stage">, move: HandoffMove, reason: string): HandoffRefusal => ({ ok: false, move, status: c.status, stage: c.stage, reason });
const checkInAt = (now: Date, t: LifecycleTimes) => new Date(now.getTime() + t.checkInDays * DAY_MS);

/** A new case: waiting for the professional to accept by `acceptBy`, which is also its first timer. */
export function opened(acceptBy: Date): { status: "new"; stage: "await_accept"; acceptBy: Date; nextActionAt: Date } {
  return { status: "new", stage: "await_accept", acceptBy, nextActionAt: acceptBy };
}

/** The professional accepts a new request: the check-in is set and the resident hears the name. Only from `new`. */
export function accept(c: HandoffCase, now: Date, t: LifecycleTimes): HandoffResult {
  if (c.status !== "new") return refuse(c, "accept", "only a new request can be accepted");
  return moved({ status: "accepted", acceptedAt: now, stage: "check_in", nextActionAt: checkInAt(now, t) }, [{ kind: "tell-resident", key: "accepted" }]);
}

/**
 * The professional writes to the resident (chat cases only): a new request counts as accepted and in
 * contact, an accepted one as in contact; the first contact is remembered.
 */
export function professionalMessage(c: HandoffCase, now: Date, t: LifecycleTimes): HandoffResult {
  if (c.status === "closed") return refuse(c, "professional-message", "the case is closed");
  if (c.mode !== "chat") return refuse(c, "professional-message", "a call case has no chat");
  const next: HandoffChange = {};
  if (c.status === "new") Object.assign(next, { status: "in_contact", acceptedAt: now, stage: "check_in", nextActionAt: checkInAt(now, t) });
  else if (c.status === "accepted") next.status = "in_contact";
  if (!c.firstContactAt) next.firstContactAt = now;
  return moved(next);
}

/** The professional marks the case "in contact"; one never accepted counts as accepted now (with its check-in). */
export function markInContact(c: HandoffCase, now: Date, t: LifecycleTimes): HandoffResult {
  if (c.status === "closed") return refuse(c, "mark-in-contact", "the case is closed");
  return moved({
    status: "in_contact",
    firstContactAt: c.firstContactAt ?? now,
    ...(c.acceptedAt ? {} : { acceptedAt: now, stage: "check_in" as const, nextActionAt: checkInAt(now, t) }),
  });
}

/**
 * The professional closes the case with an outcome (default `other`): no timer, and the conversation is
 * deleted after the retention time. The resident hears of it: asked "did it help?" unless they already
 * answered (then the stage follows from {@link closeNewsSent}), else told and done.
 */
export function close(c: HandoffCase, now: Date, t: LifecycleTimes, outcome: HandoffOutcome | undefined): HandoffResult {
  if (c.status === "closed") return refuse(c, "close", "the case is already closed");
  const next: HandoffChange = { status: "closed", outcome: outcome ?? "other", closedAt: now, purgeAfter: new Date(now.getTime() + t.retentionDays * DAY_MS), nextActionAt: null };
  if (c.checkInAnswer === null) return moved(next, [{ kind: "ask-check-in", key: "closed_ask" }]);
  return moved({ ...next, stage: "done" }, [{ kind: "tell-resident", key: "closed" }]);
}

/** Where a closed case stands after "it was closed, did it help?" was offered: asked, nobody to ask, or held. */
export function closeNewsSent(c: HandoffCase, now: Date, result: SendResult): HandoffResult {
  if (c.status !== "closed") return refuse(c, "close-news-sent", "the case is not closed");
  return moved(result === "queued" ? { stage: "await_check_in", checkInSentAt: now } : result === "gone" ? { stage: "done" } : { stage: "close_held" });
}

/**
 * The resident answers "did it help?". `helped` ends the timers (and is the outcome of a case still
 * open); anything else puts the case back on the professional's list by `again`, reopening a closed one,
 * and the professional is told. An answer counts whenever it comes: the buttons stay in the chat.
 */
export function answerCheckIn(c: HandoffCase, now: Date, answer: CheckInAnswer, again: Date): HandoffMoved {
  if (answer === "helped") {
    return moved({ checkInAnswer: answer, checkInAnsweredAt: now, stage: "done", nextActionAt: null, ...(c.status === "closed" ? {} : { outcome: "helped" as const }) });
  }
  return moved(
    {
      checkInAnswer: answer,
      checkInAnsweredAt: now,
      status: c.status === "closed" ? "accepted" : c.status,
      outcome: null,
      closedAt: null,
      purgeAfter: null,
      stage: "await_accept",
      remindedAt: null,
      acceptBy: again,
      nextActionAt: again,
    },
    [{ kind: "notify-professional", key: "staff_reopened" }],
  );
}

/**
 * The case's timer is due. A new request is reminded once, then escalated; a reopened case reminds the
 * professional once more; an accepted case sends its check-in (the stage follows from
 * {@link checkInSent}); anything else has nothing due and its timer is cleared.
 */
export function timerDue(c: HandoffCase, now: Date, t: LifecycleTimes): HandoffMoved {
  if (c.stage === "await_accept" && c.status === "new") {
    if (!c.remindedAt) return moved({ remindedAt: now, nextActionAt: new Date(now.getTime() + t.escalateAfterHours * HOUR_MS) }, [{ kind: "notify-professional", key: "staff_reminder" }]);
    return moved({}, [{ kind: "escalate" }]);
  }
  if (c.stage === "await_accept" && isOpen(c.status)) return moved({ stage: "done", nextActionAt: null }, [{ kind: "notify-professional", key: "staff_reminder" }]);
  if (c.stage === "check_in" && c.acceptedAt) return moved({}, [{ kind: "ask-check-in", key: "checkin" }]);
  return moved({ nextActionAt: null });
}

/** Where the case stands after its check-in was offered: asked, nobody to ask, or held until the resident writes. */
export function checkInSent(c: HandoffCase, now: Date, result: SendResult): HandoffResult {
  if (c.stage !== "check_in") return refuse(c, "check-in-sent", "no check-in was due");
  return moved(result === "queued" ? { stage: "await_check_in", checkInSentAt: now, nextActionAt: null } : result === "gone" ? { stage: "done", nextActionAt: null } : { stage: "check_in_held", nextActionAt: null });
}

/**
 * The resident writes while a question waited for them: a held check-in (case still open) or a held
 * "closed, did it help?" (case closed) is asked now.
 */
export function deliverHeld(c: HandoffCase, now: Date): HandoffResult {
  if (c.stage === "check_in_held" && (c.status === "accepted" || c.status === "in_contact")) return moved({ stage: "await_check_in", checkInSentAt: now }, [{ kind: "ask-check-in", key: "checkin" }]);
  if (c.stage === "close_held" && c.status === "closed") return moved({ stage: "await_check_in", checkInSentAt: now }, [{ kind: "ask-check-in", key: "closed_ask" }]);
  return refuse(c, "deliver-held", "nothing is held for the resident");
}

/** Fields every move to another professional resets: they must accept by `acceptBy`, and have seen nothing yet. */
function handedOver(acceptBy: Date): HandoffChange {
  return { remindedAt: null, acceptBy, nextActionAt: acceptBy, proSeenAt: null };
}

/** A coordinator or admin gives an open case to another professional, who must accept it again. */
export function reassign(c: HandoffCase, acceptBy: Date): HandoffResult {
  if (c.status === "closed") return refuse(c, "reassign", "a closed case is not reassigned");
  return moved({ status: "new", stage: "await_accept", acceptedAt: null, ...handedOver(acceptBy) });
}

/** Escalation found a backup or another match: the request moves there, still `new`. */
export function escalateTo(c: HandoffCase, now: Date, acceptBy: Date): HandoffResult {
  if (c.status !== "new" || c.stage !== "await_accept") return refuse(c, "escalate-to", "only a request nobody accepted escalates");
  return moved({ escalatedAt: now, ...handedOver(acceptBy) });
}

/** Escalation found nobody: the same professional is reminded and the coordinators told again at `nextWorkingDay`. */
export function escalateStuck(c: HandoffCase, now: Date, nextWorkingDay: Date): HandoffResult {
  if (c.status !== "new" || c.stage !== "await_accept") return refuse(c, "escalate-stuck", "only a request nobody accepted escalates");
  return moved({ escalatedAt: c.escalatedAt ?? now, nextActionAt: nextWorkingDay });
}

/** A request nobody accepted yet whose time to accept has passed. */
export function isOverdue(h: { status: string; acceptBy: Date }, now: Date): boolean {
  return h.status === "new" && h.acceptBy.getTime() < now.getTime();
}
