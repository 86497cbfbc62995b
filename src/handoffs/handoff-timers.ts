import { toWallClock } from "../activities/local-time.js";
import type { Prisma } from "../generated/prisma/client.js";
import { codeName, type HandoffContext } from "./handoff-context.js";
import { checkInSent, escalateStuck, escalateTo, handoffCaseSchema, timerDue, type HandoffCase, type HandoffEffect } from "./handoff-lifecycle.js";
import type { MoveFact } from "./match-facts.js";
import type { Match } from "./matching.js";
import { acceptByFor, findTaker, moveTo } from "./handoff-transfer.js";
import { addWorkingDays } from "./working-time.js";

/** How long a timer claim lasts (ms): a process that dies mid-action is retried after this, with the same message ids. */
const TIMER_LEASE_MS = 5 * 60_000;

const withPeople = { professional: { include: { organisation: true } }, resident: { select: { pseudonym: true, neighbourhood: true } } } satisfies Prisma.HandoffInclude;
type DueCase = Prisma.HandoffGetPayload<{ include: typeof withPeople }>;

/** Finds another professional for a topic (the service's matching), leaving out those in `exclude`. */
export type Rematch = (req: { topic: string; language: string; neighbourhood: string | null; exclude: string[] }) => Promise<Match | undefined>;

/**
 * The promises that run on time: a reminder when a request is not accepted in time, then escalation to a
 * backup or another match (or the coordinators), the resident's check-in after acceptance, and deleting a
 * closed conversation after the retention time. Each timer is the case's `next_action_at`, claimed with a
 * lease, and every message it sends has a deterministic id, so a retried timer sends nothing twice.
 */
export class HandoffTimers {
  constructor(
    private readonly ctx: HandoffContext,
    private readonly rematch: Rematch,
  ) {}

  /** Does what is due: reminders, escalations, check-ins, deleting closed conversations. Returns how many. */
  async runDue(limit = 100): Promise<number> {
    const { prisma, clock, log } = this.ctx;
    const now = clock();
    const due = await prisma.handoff.findMany({ where: { nextActionAt: { lte: now } }, orderBy: { nextActionAt: "asc" }, take: limit, select: { id: true, nextActionAt: true } });
    let done = 0;
    for (const d of due) {
      // Claim by moving the timer a lease ahead; if this process dies, another retries with the same message ids.
      const claimed = await prisma.handoff.updateMany({ where: { id: d.id, nextActionAt: d.nextActionAt }, data: { nextActionAt: new Date(now.getTime() + TIMER_LEASE_MS) } });
      if (claimed.count !== 1) continue;
      try {
        await this.#act(d.id, now);
        done += 1;
      } catch (err) {
        log.error({ handoff: d.id, err }, "handoff timer failed; retried after the lease");
      }
    }
    const purged = await prisma.handoff.findMany({ where: { purgeAfter: { lte: now } }, select: { id: true } });
    for (const p of purged) {
      await prisma.$transaction([
        prisma.handoffMessage.deleteMany({ where: { handoffId: p.id } }),
        prisma.handoff.update({ where: { id: p.id }, data: { phoneEnc: null, summary: { topic: "", answers: [] }, purgeAfter: null } }),
      ]);
    }
    return done + purged.length;
  }

  async #act(id: string, now: Date): Promise<void> {
    const { prisma, opts, log } = this.ctx;
    const h = await prisma.handoff.findUniqueOrThrow({ where: { id }, include: withPeople });
    const c = handoffCaseSchema.parse(h);
    const due = timerDue(c, now, opts);
    // Effects first: if writing the timer fails, the lease retries them with the same message ids.
    for (const effect of due.effects) await this.#do(effect, h, c, now);
    if (Object.keys(due.next).length > 0) await prisma.handoff.update({ where: { id }, data: due.next });
    if (due.effects.some((e) => e.kind === "notify-professional") && c.status === "new") log.info({ handoff: id }, "handoff not accepted in time: professional reminded");
  }

  async #do(effect: HandoffEffect, h: DueCase, c: HandoffCase, now: Date): Promise<void> {
    const { prisma, messages, messenger } = this.ctx;
    switch (effect.kind) {
      case "notify-professional":
        // A first reminder has one id per professional; a reopened case's reminder one per moment.
        await messages.notifyProfessional(prisma, h.professionalId, c.status === "new" ? `ho-${h.id}-remind-${h.professionalId}` : `ho-${h.id}-remind2-${now.getTime()}`, effect.key);
        return;
      case "escalate":
        await this.#escalate(h, c, now);
        return;
      case "ask-check-in": {
        const result = await messenger.send(prisma, h.residentId, `ho-${h.id}-checkin`, messages.checkIn(h.id, h.professional.name, h.language), "check-in");
        const after = checkInSent(c, now, result);
        if (after.ok) await prisma.handoff.update({ where: { id: h.id }, data: after.next });
        return;
      }
      case "tell-resident":
        throw new Error(`handoff ${h.id}: a timer has no "${effect.key}" news to tell`);
    }
  }

  /**
   * Moves an unanswered handoff to the backup colleague, or another match, and tells the resident the new
   * name. With nobody to move it to, the resident hears that a coordinator is looking, and the coordinators
   * are told (panel, chat, e-mail) every working day until someone accepts or they reassign it.
   */
  async #escalate(h: DueCase, c: HandoffCase, now: Date): Promise<void> {
    const { prisma, messages, notices, log } = this.ctx;
    const backup = h.professional.backupId ? await findTaker(this.ctx, h.professional.backupId) : null;
    let next = backup;
    let fact: MoveFact | undefined = backup ? { kind: "escalated-backup", from: h.professional.name } : undefined;
    if (!next) {
      const m = await this.rematch({ topic: h.topic, language: h.language, neighbourhood: h.resident.neighbourhood ?? null, exclude: [h.professionalId] });
      if (m) {
        next = await prisma.professional.findUnique({ where: { id: m.candidate.id }, include: { organisation: true } });
        fact = { kind: "escalated-match", from: h.professional.name, match: m.facts };
      }
    }
    const code = codeName(h.resident.pseudonym);
    const coordinators = await notices.coordinatorsFor(prisma, h.professional.organisationId);
    if (!next || !fact) {
      const stuck = escalateStuck(c, now, addWorkingDays(now, 1));
      if (!stuck.ok) throw new Error(`handoff ${h.id}: ${stuck.reason}`);
      // Said once; the reminders and the coordinators' notices repeat each working day.
      if (!h.escalatedAt) await this.ctx.insights?.handoff(prisma, h.id, now, "handoff_escalated");
      if (!h.escalatedAt) await messages.toResident(prisma, h.residentId, `ho-${h.id}-delay-same`, messages.message(h.language, "handoff:delay_same", { name: h.professional.name }), "handoff", h.id);
      await messages.notifyProfessional(prisma, h.professionalId, `ho-${h.id}-remind-again-${now.getTime()}`, "staff_reminder");
      await notices.notify(
        prisma,
        coordinators,
        { key: `ho-${h.id}-stuck-${toWallClock(now).date}`, kind: "handoff-stuck", params: { code, professional: h.professional.name, organisation: h.professional.organisation.name }, link: "/admin/coordination" },
        { chat: true, email: true },
      );
      await prisma.handoff.update({ where: { id: h.id }, data: stuck.next });
      log.warn({ handoff: h.id, coordinators: coordinators.length }, "handoff not accepted and nobody to escalate to: coordinators told");
      return;
    }
    const acceptBy = acceptByFor(next, now);
    const move = escalateTo(c, now, acceptBy);
    if (!move.ok) throw new Error(`handoff ${h.id}: ${move.reason}`);
    await this.ctx.insights?.handoff(prisma, h.id, now, "handoff_escalated");
    await moveTo(this.ctx, { handoff: h, to: next, now, acceptBy, fact, key: "handoff:delay", messageId: `ho-${h.id}-delay-${next.id}`, noticeId: `ho-${h.id}-new-${next.id}`, change: move.next });
    await notices.notify(
      prisma,
      coordinators,
      { key: `ho-${h.id}-overdue-${next.id}`, kind: "handoff-overdue", params: { code, professional: h.professional.name, organisation: h.professional.organisation.name, to: next.name }, link: "/admin/coordination" },
      { chat: true, email: true },
    );
    log.info({ handoff: h.id, to: next.id }, "handoff escalated");
  }
}
