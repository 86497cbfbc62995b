-- The values the zod enums of the code allow, as CHECK constraints (src/handoffs/handoff-lifecycle.ts,
-- src/activities/activity-lifecycle.ts): a row with any other status or stage cannot be stored, whoever writes it.
-- The Prisma schema cannot express CHECK constraints, and migrate diff leaves them alone.
-- test/storage/lifecycle-checks.test.ts compares these lists with the enums.

-- AddCheckConstraint
ALTER TABLE "handoff" ADD CONSTRAINT "handoff_status_check" CHECK ("status" IN ('new', 'accepted', 'in_contact', 'closed'));
ALTER TABLE "handoff" ADD CONSTRAINT "handoff_stage_check" CHECK ("stage" IN ('await_accept', 'check_in', 'await_check_in', 'check_in_held', 'close_held', 'done'));
ALTER TABLE "handoff" ADD CONSTRAINT "handoff_outcome_check" CHECK ("outcome" IS NULL OR "outcome" IN ('helped', 'referred', 'no_contact', 'declined', 'other'));
ALTER TABLE "handoff" ADD CONSTRAINT "handoff_check_in_answer_check" CHECK ("check_in_answer" IS NULL OR "check_in_answer" IN ('helped', 'not_helped', 'no_contact'));
ALTER TABLE "handoff" ADD CONSTRAINT "handoff_mode_check" CHECK ("mode" IN ('chat', 'call'));

-- AddCheckConstraint
ALTER TABLE "activity" ADD CONSTRAINT "activity_status_check" CHECK ("status" IN ('draft', 'pending', 'approved', 'rejected', 'cancelled'));
