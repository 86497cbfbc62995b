import type { Prisma } from "../generated/prisma/client.js";
import { codeName, type HandoffContext, type Mover } from "./handoff-context.js";
import {
  accept,
  close,
  closeNewsSent,
  handoffCaseSchema,
  markInContact,
  OPEN_STATUSES,
  professionalMessage,
  reassign,
  type HandoffOutcome,
  type HandoffResult,
} from "./handoff-lifecycle.js";
import { acceptByFor, findTaker, moveTo, type Taker } from "./handoff-transfer.js";
import { unreadByHandoff } from "../storage/handoff-store.js";

type OpenCase = Prisma.HandoffGetPayload<{ include: { professional: true; resident: { select: { pseudonym: true } } } }>;

/**
 * What staff do to a case from the panel: the assigned professional accepts, writes, marks contact and
 * closes; a coordinator or admin reassigns. Each command reads the case, asks the lifecycle whether the
 * move is allowed, writes it guarded by the status it read (a second tab or a timer in between makes it
 * a no-op) and carries out what the move says must follow.
 */
export class HandoffStaffCommands {
  constructor(private readonly ctx: HandoffContext) {}

  async #mine(id: string, staffUserId: string) {
    return this.ctx.prisma.handoff.findFirst({ where: { id, professional: { staffUserId } }, include: { professional: { include: { organisation: true } } } });
  }

  /** The professional accepts a new request; the resident hears the name. False when it was not new (or not theirs). */
  async accept(id: string, staffUserId: string): Promise<boolean> {
    const { prisma, clock, opts, messages } = this.ctx;
    const now = clock();
    const h = await this.#mine(id, staffUserId);
    if (!h) return false;
    const move = accept(handoffCaseSchema.parse(h), now, opts);
    if (!(await this.#write(id, h.status, move))) return false;
    await this.#countAccepted(h, now);
    await messages.toResident(prisma, h.residentId, `ho-${id}-accepted`, messages.message(h.language, "handoff:accepted", { name: h.professional.name }), "handoff", h.id);
    return true;
  }

  /** The professional writes to the resident through Naast (chat cases): sent now, or held until the resident writes. */
  async sendToResident(id: string, staffUserId: string, text: string): Promise<"queued" | "held" | "quiet" | "gone" | "refused"> {
    const { prisma, clock, opts, messages, messenger, cipher } = this.ctx;
    const h = await this.#mine(id, staffUserId);
    if (!h) return "refused";
    const now = clock();
    const move = professionalMessage(handoffCaseSchema.parse(h), now, opts);
    if (!move.ok) return "refused";
    const m = await prisma.handoffMessage.create({ data: { handoffId: id, author: "professional", bodyEnc: cipher.encrypt(text), createdAt: now } });
    if (Object.keys(move.next).length > 0) await prisma.handoff.update({ where: { id }, data: move.next });
    if ("acceptedAt" in move.next) await this.#countAccepted(h, now);
    const result = await messenger.send(prisma, h.residentId, `ho-${id}-pm-${m.id}`, messages.relay(h, text, h.language), "handoff");
    if (result === "queued") await prisma.handoffMessage.update({ where: { id: m.id }, data: { deliveredAt: now } });
    else await prisma.handoffMessage.update({ where: { id: m.id }, data: { heldAt: now } });
    return result;
  }

  /**
   * The professional marks the case in contact, or closes it with an outcome. Closing tells the resident
   * and sets when the conversation is deleted; unless they already said whether it helped, the news asks
   * that (in place of a check-in still to come), held for a quiet resident or a closed WhatsApp window.
   */
  async setStatus(id: string, staffUserId: string, status: "in_contact" | "closed", outcome?: HandoffOutcome): Promise<boolean> {
    const { prisma, clock, opts, messages, messenger } = this.ctx;
    const h = await this.#mine(id, staffUserId);
    if (!h) return false;
    const c = handoffCaseSchema.parse(h);
    const now = clock();
    if (status === "in_contact") {
      const move = markInContact(c, now, opts);
      if (!move.ok) return false;
      await prisma.handoff.update({ where: { id }, data: move.next });
      if ("acceptedAt" in move.next) await this.#countAccepted(h, now);
      return true;
    }
    const move = close(c, now, opts, outcome);
    if (!move.ok) return false;
    const { stage, ...closing } = move.next;
    const closed = await prisma.handoff.updateMany({ where: { id, status: { not: "closed" } }, data: closing });
    if (closed.count !== 1) return false;
    await this.ctx.insights?.handoff(prisma, id, now, "handoff_closed", outcome ?? "other");
    const name = h.professional.name;
    for (const effect of move.effects) {
      if (effect.kind === "ask-check-in") {
        const result = await messenger.send(prisma, h.residentId, `ho-${id}-closed-${now.getTime()}`, messages.checkIn(id, name, h.language, effect.key), "check-in");
        const after = closeNewsSent({ ...c, status: "closed" }, now, result);
        if (after.ok) await prisma.handoff.update({ where: { id }, data: after.next });
      } else if (effect.kind === "tell-resident") {
        if (stage) await prisma.handoff.update({ where: { id }, data: { stage } });
        await messages.toResident(prisma, h.residentId, `ho-${id}-closed-${now.getTime()}`, messages.message(h.language, `handoff:${effect.key}`, { name }), "handoff", id);
      }
    }
    return true;
  }

  /** Counts a first acceptance for the insights: within the promised time or late. */
  async #countAccepted(h: { id: string; acceptedAt: Date | null; acceptBy: Date }, now: Date): Promise<void> {
    if (h.acceptedAt === null) await this.ctx.insights?.handoff(this.ctx.prisma, h.id, now, "handoff_accepted", now <= h.acceptBy ? "in_time" : "late");
  }

  /** Writes an allowed move only if the case still has the status it was read with. */
  async #write(id: string, from: string, move: HandoffResult): Promise<boolean> {
    if (!move.ok) return false;
    const n = await this.ctx.prisma.handoff.updateMany({ where: { id, status: from }, data: move.next });
    return n.count === 1;
  }

  /**
   * Resident messages each case of this professional has that the professional has not had on screen yet
   * (written after `pro_seen_at`).
   */
  async unread(professionalId: string): Promise<Map<string, number>> {
    const rows = await unreadByHandoff(this.ctx.prisma, professionalId);
    return new Map(rows.map((r) => [r.id, Number(r.n)]));
  }

  /** The assigned professional has the conversation on screen now: everything up to now is read. */
  async markSeen(handoffId: string, staffUserId: string): Promise<void> {
    await this.ctx.prisma.handoff.updateMany({ where: { id: handoffId, professional: { staffUserId } }, data: { proSeenAt: this.ctx.clock() } });
  }

  /** How many cases of this professional are still open (new, accepted or in contact). */
  async openCases(professionalId: string): Promise<number> {
    return this.ctx.prisma.handoff.count({ where: { professionalId, status: { in: [...OPEN_STATUSES] } } });
  }

  /**
   * Moves every open case of one professional to another, as an admin decides before the record is linked
   * to another account: the new professional must accept again, and each resident is told the new name.
   * Returns the ids moved (for the audit log).
   */
  async reassignOpen(fromId: string, toId: string, by: Mover = { role: "admin", userId: "" }): Promise<string[]> {
    if (fromId === toId) return [];
    const next = await findTaker(this.ctx, toId);
    if (!next) throw new Error(`handoff: professional ${toId} cannot take cases (inactive or without an account)`);
    const open = await this.ctx.prisma.handoff.findMany({ where: { professionalId: fromId, status: { in: [...OPEN_STATUSES] } }, include: { professional: true, resident: { select: { pseudonym: true } } } });
    for (const h of open) await this.#reassign(h, next, by);
    return open.map((h) => h.id);
  }

  /**
   * Gives one open case to another professional (a coordinator's decision, usually for a request nobody
   * accepted): they must accept it again, hear of it, and the resident is told the new name. Undefined when
   * the case is closed, already theirs, or they cannot take cases.
   */
  async reassignOne(handoffId: string, toId: string, by: Mover): Promise<{ from: string; to: string; acceptBy: Date } | undefined> {
    const h = await this.ctx.prisma.handoff.findFirst({ where: { id: handoffId, status: { in: [...OPEN_STATUSES] } }, include: { professional: true, resident: { select: { pseudonym: true } } } });
    if (!h || h.professionalId === toId) return undefined;
    const next = await findTaker(this.ctx, toId);
    if (!next) return undefined;
    const acceptBy = await this.#reassign(h, next, by);
    return { from: h.professional.name, to: next.name, acceptBy };
  }

  async #reassign(h: OpenCase, next: Taker, by: Mover): Promise<Date> {
    const { clock, notices, prisma, log } = this.ctx;
    const now = clock();
    const acceptBy = acceptByFor(next, now);
    const move = reassign(handoffCaseSchema.parse(h), acceptBy);
    if (!move.ok) throw new Error(`handoff ${h.id}: ${move.reason}`);
    await moveTo(this.ctx, {
      handoff: h,
      to: next,
      now,
      acceptBy,
      fact: { kind: "reassigned", from: h.professional.name, by: by.role },
      key: "handoff:reassigned",
      messageId: `ho-${h.id}-reassign-${next.id}-${now.getTime()}`,
      noticeId: `ho-${h.id}-new-${next.id}-${now.getTime()}`,
      change: move.next,
    });
    if (next.staffUserId) {
      await notices.notify(prisma, [next.staffUserId], {
        key: `ho-${h.id}-assigned-${next.id}-${now.getTime()}`,
        kind: "handoff-assigned",
        params: { code: codeName(h.resident.pseudonym), from: h.professional.name },
        link: `/admin/handoffs/${h.id}`,
      });
    }
    log.info({ handoff: h.id, to: next.id, by: by.role }, "handoff reassigned");
    return acceptBy;
  }
}
