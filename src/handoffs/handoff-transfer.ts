import type { Prisma } from "../generated/prisma/client.js";
import type { HandoffContext } from "./handoff-context.js";
import type { HandoffChange } from "./handoff-lifecycle.js";
import { factText, handoffFactsSchema, type HandoffFact, type MoveFact } from "./match-facts.js";
import { answerBy, availabilitySchema } from "./working-time.js";

/** A professional who can take a case, with their organisation (its days to accept). */
export type Taker = Prisma.ProfessionalGetPayload<{ include: { organisation: true } }>;

/** The case as a move needs it. */
export type MovingCase = { id: string; residentId: string; language: string; matchReason: string; matchFacts: Prisma.JsonValue; professional: { name: string } };

/** A professional who can take cases now: active, with an account that is not disabled. */
export async function findTaker(ctx: HandoffContext, id: string): Promise<Taker | null> {
  return ctx.prisma.professional.findFirst({ where: { id, active: true, staffUser: { is: { disabledAt: null } } }, include: { organisation: true } });
}

/** When `next` must accept a case handed over now: their organisation's working days, at a time they work. */
export function acceptByFor(next: { availability: Prisma.JsonValue; organisation: { acceptWorkingDays: number } }, now: Date): Date {
  return answerBy(now, Math.max(1, next.organisation.acceptWorkingDays), availabilitySchema.catch([]).parse(next.availability));
}

/** One move of a case to another professional, as escalation and reassignment describe it. */
export type MoveToOptions = {
  /** The case before the move (its professional is the one it leaves). */
  handoff: MovingCase;
  /** The professional who takes it. */
  to: { id: string; name: string; organisation: { name: string } };
  /** When the move happens: the new professional's last assignment. */
  now: Date;
  /** When the new professional must accept, told to the resident (`acceptByFor`). */
  acceptBy: Date;
  /** Why it moved, added to the case's match facts. */
  fact: MoveFact;
  /** The resident's text: `handoff:delay` for an escalation, `handoff:reassigned` for a reassignment. */
  key: string;
  /** The resident's message's deterministic id, so a retried move tells them once. */
  messageId: string;
  /** The new professional's chat notice's deterministic id, so a retried move tells them once. */
  noticeId: string;
  /** The lifecycle's change for the move (the timers start again). */
  change: HandoffChange;
};

/**
 * Hands a case to another professional: `change` (from the lifecycle: their timers start again) is
 * written with the new professional and the fact of the move, they hear of it, and the resident is told
 * the new name in their own language. Shared by escalation and by a coordinator's or admin's reassignment.
 */
export async function moveTo(ctx: HandoffContext, move: MoveToOptions): Promise<void> {
  const { handoff: h, to: next, now, acceptBy, fact } = move;
  const facts: HandoffFact[] = [...handoffFactsSchema.catch([]).parse(h.matchFacts ?? []), fact].slice(-50);
  await ctx.prisma.handoff.update({
    where: { id: h.id },
    data: {
      ...move.change,
      professional: { connect: { id: next.id } },
      matchReason: `${h.matchReason} | ${factText(fact)}`.slice(0, 2000),
      matchFacts: facts,
    },
  });
  await ctx.prisma.professional.update({ where: { id: next.id }, data: { lastAssignedAt: now } });
  await ctx.messages.notifyProfessional(ctx.prisma, next.id, move.noticeId, "staff_new");
  await ctx.messages.toResident(
    ctx.prisma,
    h.residentId,
    move.messageId,
    ctx.messages.message(h.language, move.key, { name: h.professional.name, other: next.name, organisation: next.organisation.name, when: ctx.messages.when(acceptBy, h.language) }),
    "handoff",
    h.id,
  );
}
