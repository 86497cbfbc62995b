import { z } from "zod";
import type { InsightCounters } from "../insights/insight-counters.js";
import { formatWhen } from "../activities/local-time.js";
import type { RenderedMessage } from "../channels/rendered-message.js";
import { DEFAULT_LANGUAGE, RTL_LANGUAGES } from "../content/vocabulary.js";
import type { Cipher } from "../crypto/cipher.js";
import type { Prisma, PrismaClient } from "../generated/prisma/client.js";
import type { Translator } from "../i18n/translator.js";
import { encodePayload } from "../engine/payload.js";
import type { Logger } from "../logger.js";
import type { StaffNotices } from "../admin/staff-notices.js";
import { decodeMatchFact, factText, handoffFactsSchema, type HandoffFact, type MoveFact } from "./match-facts.js";
import { matchProfessional, type Candidate, type Match } from "./matching.js";
import type { ResidentMessenger } from "./resident-messenger.js";
import { toWallClock } from "../activities/local-time.js";
import { addWorkingDays, answerBy, availabilitySchema, type Availability } from "./working-time.js";
import type { AfterCommit } from "../outbox/outbox.js";

type Db = Prisma.TransactionClient | PrismaClient;
/** A professional who can take a case, with their organisation (its days to accept). */
type Taker = Prisma.ProfessionalGetPayload<{ include: { organisation: true } }>;

/** Statuses a professional works through; `closed` carries an outcome. */
export const HANDOFF_STATUSES = ["new", "accepted", "in_contact", "closed"] as const;
/** Statuses of a case that is still open. */
export const OPEN_STATUSES = ["new", "accepted", "in_contact"] as const;
export const HANDOFF_OUTCOMES = ["helped", "referred", "no_contact", "declined", "other"] as const;
export const CHECK_IN_ANSWERS = ["helped", "not_helped", "no_contact"] as const;
export type CheckInAnswer = (typeof CHECK_IN_ANSWERS)[number];

/** What the resident agreed to share, stored as shown to them. */
/** When a call is safe for the resident, and whether the caller may say who they are. */
export const CALL_TIMES = ["morning", "afternoon", "evening", "any"] as const;
export const callSafetySchema = z.object({ when: z.enum(CALL_TIMES), identify: z.boolean() });
export type CallSafety = z.infer<typeof callSafetySchema>;

export const handoffSummarySchema = z.object({ topic: z.string(), answers: z.array(z.string()).default([]), call: callSafetySchema.optional() });
export type HandoffSummary = z.infer<typeof handoffSummarySchema>;

/** Settings with their defaults: check-in after 5 days, messages kept 30 days after closing, escalation 4 h after the reminder. */
export type HandoffOptions = { checkInDays: number; retentionDays: number; escalateAfterHours: number; panelUrl: string | undefined };

/**
 * A professional as a resident is introduced to them, in the resident's language; with their weekly hours,
 * so a promised time falls within them.
 */
export type ProfessionalView = {
  id: string;
  name: string;
  organisation: string;
  languages: string[];
  intro: string;
  walkIn: string | undefined;
  acceptWorkingDays: number;
  availability: Availability;
};

/** A professional's message is answered by simply typing for this long after it arrived (ms): 7 days. */
export const OPEN_CHAT_MS = 7 * 86_400_000;

/** How long a timer claim lasts (ms): a process that dies mid-action is retried after this, with the same message ids. */
const TIMER_LEASE_MS = 5 * 60_000;

/** A short, stable code name for a resident, instead of anything that identifies them. */
export function codeName(pseudonym: string): string {
  return pseudonym.slice(0, 6).toUpperCase();
}

/** A request nobody accepted yet whose time to accept has passed. */
export function isOverdue(h: { status: string; acceptBy: Date }, now: Date): boolean {
  return h.status === "new" && h.acceptBy.getTime() < now.getTime();
}

/** Who moves a case by hand: a coordinator or an admin (for the facts and the audit log). */
export type Mover = { role: "admin" | "coordinator"; userId: string };

/**
 * Warm handoffs from residents to named professionals, and the promises around them: the professional
 * hears of it at once (panel, and their own linked chat), is reminded when the agreed time passes, then the
 * case moves to a backup and the resident is told; after acceptance the resident gets one check-in. All
 * timers are columns (`next_action_at`) read by the recovery sweep, so restarts lose nothing.
 */
export class HandoffService {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly cipher: Cipher,
    private readonly t: Translator,
    private readonly messenger: ResidentMessenger,
    private readonly log: Logger,
    private readonly clock: () => Date,
    private readonly opts: HandoffOptions,
    /** Panel, chat and e-mail notices to coordinators and professionals. */
    private readonly notices: StaffNotices,
    /** The insights' counters (accepted in time, escalated, closed, check-in answers); none in some tests. */
    private readonly insights?: InsightCounters,
  ) {}

  now(): Date {
    return this.clock();
  }

  // ------------------------------------------------------------------ matching

  async #candidates(db: Db): Promise<Candidate[]> {
    const pros = await db.professional.findMany({
      where: { active: true, staffUser: { is: { disabledAt: null } } },
    });
    const open = await db.handoff.groupBy({ by: ["professionalId"], where: { status: { in: ["new", "accepted", "in_contact"] } }, _count: true });
    const load = new Map(open.map((o) => [o.professionalId, o._count]));
    return pros.map((p) => ({
      id: p.id,
      name: p.name,
      topics: p.topics,
      languages: p.languages,
      neighbourhoods: p.neighbourhoods,
      availability: availabilitySchema.catch([]).parse(p.availability),
      maxOpenCases: p.maxOpenCases,
      openCases: load.get(p.id) ?? 0,
      lastAssignedAt: p.lastAssignedAt,
    }));
  }

  async match(db: Db, req: { topic: string; language: string; neighbourhood: string | null; exclude?: string[] }): Promise<Match | undefined> {
    return matchProfessional(await this.#candidates(db), { ...req, now: this.clock() });
  }

  async view(db: Db, professionalId: string, language: string): Promise<ProfessionalView | undefined> {
    const p = await db.professional.findUnique({ where: { id: professionalId }, include: { organisation: true, texts: true } });
    if (!p) return undefined;
    const text = p.texts.find((x) => x.language === language) ?? p.texts.find((x) => x.language === DEFAULT_LANGUAGE);
    return {
      id: p.id,
      name: p.name,
      organisation: p.organisation.name,
      languages: p.languages,
      intro: text?.intro ?? "",
      walkIn: text?.walkIn ?? undefined,
      acceptWorkingDays: p.organisation.acceptWorkingDays,
      availability: availabilitySchema.catch([]).parse(p.availability),
    };
  }

  /** When this professional answers by: the organisation's working days, at a time they work (see `answerBy`). */
  acceptBy(view: { acceptWorkingDays: number; availability: Availability }): Date {
    return answerBy(this.clock(), Math.max(1, view.acceptWorkingDays), view.availability);
  }

  /** A date for residents: "maandag 30 november 2026, 14:00". */
  when(at: Date, language: string): string {
    return formatWhen(at, null, language);
  }

  // ------------------------------------------------------------------ messages to residents and professionals

  message(language: string, key: string, params: Record<string, string> = {}, choices: { payload: string; label: string }[] = []): RenderedMessage {
    return {
      language,
      rtl: RTL_LANGUAGES.has(language),
      text: this.t.t(language, key, params),
      choices: choices.map((c) => ({ payload: c.payload, label: this.t.t(language, c.label, params) })),
      offset: 0,
    };
  }

  /** Tells a professional on their own linked chat, without anything about the resident. */
  async #notifyProfessional(db: Db, professionalId: string, id: string, key: string, afterCommit?: AfterCommit): Promise<void> {
    const p = await db.professional.findUnique({ where: { id: professionalId }, include: { staffUser: true } });
    const pseudonym = p?.staffUser?.chatPseudonym;
    if (!pseudonym) return;
    const chat = await db.resident.findUnique({ where: { pseudonym } });
    if (!chat) return;
    const language = chat.language ?? DEFAULT_LANGUAGE;
    const link = this.opts.panelUrl ? `${this.opts.panelUrl.replace(/\/+$/, "")}/admin/handoffs` : "/admin/handoffs";
    await this.messenger.send(db, chat.id, id, this.message(language, `handoff:${key}`, { link }), "staff-notice", { ignoreQuiet: true, ...(afterCommit ? { afterCommit } : {}) });
  }

  // ------------------------------------------------------------------ the resident's side

  async create(
    db: Db,
    input: { residentId: string; professionalId: string; topic: string; language: string; mode: "chat" | "call"; phone?: string | undefined; summary: HandoffSummary; reason: string },
    afterCommit: AfterCommit,
  ): Promise<{ id: string; acceptBy: Date }> {
    const view = await this.view(db, input.professionalId, input.language);
    if (!view) throw new Error(`handoff: professional ${input.professionalId} is gone`);
    const acceptBy = this.acceptBy(view);
    // The desk carries the match as facts (JSON); a conversation from before that carries developer text.
    const fact = decodeMatchFact(input.reason);
    const h = await db.handoff.create({
      data: {
        residentId: input.residentId,
        professionalId: input.professionalId,
        topic: input.topic,
        language: input.language,
        mode: input.mode,
        phoneEnc: input.phone ? this.cipher.encrypt(input.phone) : null,
        summary: input.summary,
        createdAt: this.clock(),
        matchReason: fact ? factText(fact) : input.reason,
        ...(fact ? { matchFacts: [fact] } : {}),
        acceptBy,
        nextActionAt: acceptBy,
      },
    });
    await db.professional.update({ where: { id: input.professionalId }, data: { lastAssignedAt: this.clock() } });
    await this.#notifyProfessional(db, input.professionalId, `ho-${h.id}-new`, "staff_new", afterCommit);
    this.log.info({ handoff: h.id, professional: input.professionalId, mode: input.mode }, "handoff created");
    return { id: h.id, acceptBy };
  }

  /** The resident's active chat handoff with this id, if it is theirs. */
  async activeFor(db: Db, handoffId: string, residentId: string) {
    return db.handoff.findFirst({ where: { id: handoffId, residentId, status: { in: ["new", "accepted", "in_contact"] } }, include: { professional: { include: { organisation: true } } } });
  }

  /**
   * The resident's chat handoff that is waiting for their answer: the professional wrote last, it was
   * delivered, and not longer ago than `OPEN_CHAT_MS`. A typed message then goes to the professional
   * even without tapping "reply".
   */
  async openChatFor(db: Db, residentId: string) {
    const since = new Date(this.clock().getTime() - OPEN_CHAT_MS);
    const candidates = await db.handoff.findMany({
      where: { residentId, mode: "chat", status: { in: ["new", "accepted", "in_contact"] }, messages: { some: { author: "professional", deliveredAt: { gte: since } } } },
      include: { professional: { include: { organisation: true } }, messages: { orderBy: { id: "desc" }, take: 1, where: { author: { in: ["resident", "professional"] } } } },
    });
    return candidates.find((h) => h.messages[0]?.author === "professional") ?? null;
  }

  async addResidentMessage(db: Db, handoffId: string, text: string, afterCommit: AfterCommit): Promise<void> {
    const h = await db.handoff.findUniqueOrThrow({ where: { id: handoffId } });
    const m = await db.handoffMessage.create({ data: { handoffId, author: "resident", bodyEnc: this.cipher.encrypt(text), createdAt: this.clock(), deliveredAt: this.clock() } });
    await this.#notifyProfessional(db, h.professionalId, `ho-${handoffId}-rm-${m.id}`, "staff_message", afterCommit);
  }

  /**
   * Messages a quiet resident or a closed WhatsApp window kept back, and a check-in that waited:
   * handed over when the resident writes, and marked delivered.
   */
  async heldFor(db: Db, residentId: string, language: string): Promise<RenderedMessage[]> {
    const now = this.clock();
    const out: RenderedMessage[] = [];
    const held = await db.handoffMessage.findMany({
      where: { heldAt: { not: null }, deliveredAt: null, handoff: { residentId } },
      include: { handoff: { include: { professional: { include: { organisation: true } } } } },
      orderBy: { id: "asc" },
    });
    for (const m of held) {
      out.push(this.#relayMessage(m.handoff, this.cipher.decrypt(m.bodyEnc), language));
      await db.handoffMessage.update({ where: { id: m.id }, data: { deliveredAt: now } });
    }
    const waiting = await db.handoff.findMany({ where: { residentId, stage: "check_in_held", status: { in: ["accepted", "in_contact"] } }, include: { professional: true } });
    for (const h of waiting) {
      out.push(this.#checkInMessage(h.id, h.professional.name, language));
      await db.handoff.update({ where: { id: h.id }, data: { stage: "await_check_in", checkInSentAt: now } });
    }
    // Closed while they could not be written to: told now, and asked whether it helped.
    const closed = await db.handoff.findMany({ where: { residentId, stage: "close_held", status: "closed" }, include: { professional: true } });
    for (const h of closed) {
      out.push(this.#checkInMessage(h.id, h.professional.name, language, "handoff:closed_ask"));
      await db.handoff.update({ where: { id: h.id }, data: { stage: "await_check_in", checkInSentAt: now } });
    }
    return out;
  }

  #relayMessage(h: { id: string; professional: { name: string; organisation: { name: string } } }, text: string, language: string): RenderedMessage {
    return this.message(language, "handoff:relay", { name: h.professional.name, organisation: h.professional.organisation.name, text }, [{ payload: encodePayload({ kind: "handoff", action: "reply", handoffId: h.id }), label: "handoff:reply_button" }]);
  }

  /** "Did it help?" with the three answers: the check-in, or (`handoff:closed_ask`) the news that the case was closed. */
  #checkInMessage(id: string, name: string, language: string, key = "handoff:checkin"): RenderedMessage {
    return this.message(language, key, { name }, CHECK_IN_ANSWERS.map((a) => ({ payload: encodePayload({ kind: "handoff", action: "check_in", handoffId: id, answer: a }), label: `handoff:checkin_${a}` })));
  }

  /** Records the check-in answer as the outcome; "did not help" or "no contact" reopens the case with the professional. */
  async answerCheckIn(db: Db, handoffId: string, residentId: string, answer: CheckInAnswer, language: string, afterCommit: AfterCommit): Promise<RenderedMessage | undefined> {
    const h = await db.handoff.findFirst({ where: { id: handoffId, residentId }, include: { professional: true, resident: { select: { pseudonym: true } } } });
    if (!h) return undefined;
    const name = h.professional.name;
    const now = this.clock();
    await this.insights?.handoff(db, h.id, now, "checkin_answer", answer);
    // The professional hears the answer in the panel; the coordinators too when it did not help.
    const notice = { key: `ho-${h.id}-answer-${now.getTime()}`, kind: "handoff-answer" as const, params: { code: codeName(h.resident.pseudonym), answer, professional: name }, link: `/admin/handoffs/${h.id}` };
    if (h.professional.staffUserId) await this.notices.notify(db, [h.professional.staffUserId], notice);
    if (answer !== "helped") await this.notices.notify(db, await this.notices.coordinatorsFor(db, h.professional.organisationId), { ...notice, link: "/admin/coordination" });
    if (answer === "helped") {
      await db.handoff.update({ where: { id: h.id }, data: { checkInAnswer: answer, checkInAnsweredAt: now, stage: "done", nextActionAt: null, ...(h.status === "closed" ? {} : { outcome: "helped" }) } });
      return this.message(language, "handoff:checkin_thanks");
    }
    // Not solved: back on the professional's list, reminded, and the resident may ask for someone else.
    const again = answerBy(now, 1, availabilitySchema.catch([]).parse(h.professional.availability));
    await db.handoff.update({
      where: { id: h.id },
      data: { checkInAnswer: answer, checkInAnsweredAt: now, status: h.status === "closed" ? "accepted" : h.status, outcome: null, closedAt: null, purgeAfter: null, stage: "await_accept", remindedAt: null, acceptBy: again, nextActionAt: again },
    });
    await this.#notifyProfessional(db, h.professionalId, `ho-${h.id}-reopen-${now.getTime()}`, "staff_reopened", afterCommit);
    if (answer === "no_contact") return this.message(language, "handoff:checkin_no_contact_reply", { name });
    return this.message(language, "handoff:checkin_reopened", { name }, [
      { payload: encodePayload({ kind: "handoff", action: "other", handoffId: h.id }), label: "handoff:someone_else" },
      { payload: encodePayload({ kind: "handoff", action: "keep", handoffId: h.id }), label: "handoff:keep" },
    ]);
  }

  // ------------------------------------------------------------------ the professional's side (panel)

  async accept(id: string, staffUserId: string): Promise<boolean> {
    const now = this.clock();
    const h = await this.#mine(id, staffUserId);
    if (!h || h.status !== "new") return false;
    const n = await this.prisma.handoff.updateMany({
      where: { id, status: "new" },
      data: { status: "accepted", acceptedAt: now, stage: "check_in", nextActionAt: new Date(now.getTime() + this.opts.checkInDays * 86_400_000) },
    });
    if (n.count !== 1) return false;
    await this.insights?.handoff(this.prisma, id, now, "handoff_accepted", now <= h.acceptBy ? "in_time" : "late");
    await this.#toResident(h.residentId, `ho-${id}-accepted`, this.message(h.language, "handoff:accepted", { name: h.professional.name }), "handoff", h.id);
    return true;
  }

  async sendToResident(id: string, staffUserId: string, text: string): Promise<"queued" | "held" | "quiet" | "gone" | "refused"> {
    const h = await this.#mine(id, staffUserId);
    if (!h || h.status === "closed" || h.mode !== "chat") return "refused";
    const now = this.clock();
    const m = await this.prisma.handoffMessage.create({ data: { handoffId: id, author: "professional", bodyEnc: this.cipher.encrypt(text), createdAt: now } });
    const data: Prisma.HandoffUpdateInput = {};
    if (h.status === "new") Object.assign(data, { status: "in_contact", acceptedAt: now, stage: "check_in", nextActionAt: new Date(now.getTime() + this.opts.checkInDays * 86_400_000) });
    else if (h.status === "accepted") data.status = "in_contact";
    if (!h.firstContactAt) data.firstContactAt = now;
    if (Object.keys(data).length > 0) await this.prisma.handoff.update({ where: { id }, data });
    if (h.status === "new") await this.insights?.handoff(this.prisma, id, now, "handoff_accepted", now <= h.acceptBy ? "in_time" : "late");
    const result = await this.messenger.send(this.prisma, h.residentId, `ho-${id}-pm-${m.id}`, this.#relayMessage(h, text, h.language), "handoff");
    if (result === "queued") await this.prisma.handoffMessage.update({ where: { id: m.id }, data: { deliveredAt: now } });
    else await this.prisma.handoffMessage.update({ where: { id: m.id }, data: { heldAt: now } });
    return result;
  }

  async setStatus(id: string, staffUserId: string, status: "in_contact" | "closed", outcome?: (typeof HANDOFF_OUTCOMES)[number]): Promise<boolean> {
    const h = await this.#mine(id, staffUserId);
    if (!h || h.status === "closed") return false;
    const now = this.clock();
    if (status === "in_contact") {
      await this.prisma.handoff.update({ where: { id }, data: { status, firstContactAt: h.firstContactAt ?? now, ...(h.acceptedAt ? {} : { acceptedAt: now, stage: "check_in", nextActionAt: new Date(now.getTime() + this.opts.checkInDays * 86_400_000) }) } });
      if (!h.acceptedAt) await this.insights?.handoff(this.prisma, id, now, "handoff_accepted", now <= h.acceptBy ? "in_time" : "late");
      return true;
    }
    // Closing tells the resident and sets when the conversation is deleted. Unless they already said
    // whether it helped, the news asks that (in place of a check-in still to come): held for a quiet
    // resident or a closed WhatsApp window, and handed over when they next write.
    const closed = await this.prisma.handoff.updateMany({
      where: { id, status: { not: "closed" } },
      data: { status, outcome: outcome ?? "other", closedAt: now, purgeAfter: new Date(now.getTime() + this.opts.retentionDays * 86_400_000), nextActionAt: null },
    });
    if (closed.count !== 1) return false;
    await this.insights?.handoff(this.prisma, id, now, "handoff_closed", outcome ?? "other");
    const name = h.professional.name;
    if (h.checkInAnswer === null) {
      const result = await this.messenger.send(this.prisma, h.residentId, `ho-${id}-closed-${now.getTime()}`, this.#checkInMessage(id, name, h.language, "handoff:closed_ask"), "check-in");
      await this.prisma.handoff.update({
        where: { id },
        data: result === "queued" ? { stage: "await_check_in", checkInSentAt: now } : result === "gone" ? { stage: "done" } : { stage: "close_held" },
      });
    } else {
      await this.prisma.handoff.update({ where: { id }, data: { stage: "done" } });
      await this.#toResident(h.residentId, `ho-${id}-closed-${now.getTime()}`, this.message(h.language, "handoff:closed", { name }), "handoff", id);
    }
    return true;
  }

  async #mine(id: string, staffUserId: string) {
    return this.prisma.handoff.findFirst({ where: { id, professional: { staffUserId } }, include: { professional: { include: { organisation: true } } } });
  }

  async #toResident(residentId: string, id: string, message: RenderedMessage, kind: string, handoffId: string): Promise<void> {
    const result = await this.messenger.send(this.prisma, residentId, id, message, kind);
    if (result === "held" || result === "quiet") {
      // Kept as a held message, so the resident reads it when they next write.
      await this.prisma.handoffMessage.create({ data: { handoffId, author: "system", bodyEnc: this.cipher.encrypt(message.text), createdAt: this.clock(), heldAt: this.clock() } });
    }
  }

  // ------------------------------------------------------------------ timers

  /** Does what is due: reminders, escalations, check-ins, deleting closed conversations. Returns how many. */
  async runDue(limit = 100): Promise<number> {
    const now = this.clock();
    const due = await this.prisma.handoff.findMany({ where: { nextActionAt: { lte: now } }, orderBy: { nextActionAt: "asc" }, take: limit, select: { id: true, nextActionAt: true } });
    let done = 0;
    for (const d of due) {
      // Claim by moving the timer a lease ahead; if this process dies, another retries with the same message ids.
      const claimed = await this.prisma.handoff.updateMany({ where: { id: d.id, nextActionAt: d.nextActionAt }, data: { nextActionAt: new Date(now.getTime() + TIMER_LEASE_MS) } });
      if (claimed.count !== 1) continue;
      try {
        await this.#act(d.id, now);
        done += 1;
      } catch (err) {
        this.log.error({ handoff: d.id, err }, "handoff timer failed; retried after the lease");
      }
    }
    const purged = await this.prisma.handoff.findMany({ where: { purgeAfter: { lte: now } }, select: { id: true } });
    for (const p of purged) {
      await this.prisma.$transaction([
        this.prisma.handoffMessage.deleteMany({ where: { handoffId: p.id } }),
        this.prisma.handoff.update({ where: { id: p.id }, data: { phoneEnc: null, summary: { topic: "", answers: [] }, purgeAfter: null } }),
      ]);
    }
    return done + purged.length;
  }

  async #act(id: string, now: Date): Promise<void> {
    const h = await this.prisma.handoff.findUniqueOrThrow({ where: { id }, include: { professional: { include: { organisation: true } }, resident: { select: { pseudonym: true, neighbourhood: true } } } });
    if (h.stage === "await_accept" && h.status === "new") {
      if (!h.remindedAt) {
        await this.#notifyProfessional(this.prisma, h.professionalId, `ho-${id}-remind-${h.professionalId}`, "staff_reminder");
        await this.prisma.handoff.update({ where: { id }, data: { remindedAt: now, nextActionAt: new Date(now.getTime() + this.opts.escalateAfterHours * 3_600_000) } });
        this.log.info({ handoff: id }, "handoff not accepted in time: professional reminded");
        return;
      }
      await this.#escalate(h, now);
      return;
    }
    if (h.stage === "await_accept" && h.status !== "closed") {
      // Reopened after a check-in: the professional is reminded once more.
      await this.#notifyProfessional(this.prisma, h.professionalId, `ho-${id}-remind2-${now.getTime()}`, "staff_reminder");
      await this.prisma.handoff.update({ where: { id }, data: { stage: "done", nextActionAt: null } });
      return;
    }
    if (h.stage === "check_in" && h.acceptedAt) {
      const result = await this.messenger.send(this.prisma, h.residentId, `ho-${id}-checkin`, this.#checkInMessage(id, h.professional.name, h.language), "check-in");
      await this.prisma.handoff.update({
        where: { id },
        data: result === "queued" ? { stage: "await_check_in", checkInSentAt: now, nextActionAt: null } : result === "gone" ? { stage: "done", nextActionAt: null } : { stage: "check_in_held", nextActionAt: null },
      });
      return;
    }
    await this.prisma.handoff.update({ where: { id }, data: { nextActionAt: null } });
  }

  /**
   * Hands a case to another professional: their timers start again, they hear of it, and the resident is
   * told the new name in their own language. Shared by escalation and by an admin's reassignment.
   */
  async #moveTo(
    h: { id: string; residentId: string; language: string; matchReason: string; matchFacts: Prisma.JsonValue; professional: { name: string } },
    next: { id: string; name: string; availability: Prisma.JsonValue; organisation: { name: string; acceptWorkingDays: number } },
    now: Date,
    fact: MoveFact,
    how: { key: string; messageId: string; noticeId: string; data: Prisma.HandoffUpdateInput },
  ): Promise<Date> {
    const acceptBy = answerBy(now, Math.max(1, next.organisation.acceptWorkingDays), availabilitySchema.catch([]).parse(next.availability));
    const facts: HandoffFact[] = [...handoffFactsSchema.catch([]).parse(h.matchFacts ?? []), fact].slice(-50);
    await this.prisma.handoff.update({
      where: { id: h.id },
      data: {
        ...how.data,
        professional: { connect: { id: next.id } },
        remindedAt: null,
        acceptBy,
        nextActionAt: acceptBy,
        proSeenAt: null,
        matchReason: `${h.matchReason} | ${factText(fact)}`.slice(0, 2000),
        matchFacts: facts,
      },
    });
    await this.prisma.professional.update({ where: { id: next.id }, data: { lastAssignedAt: now } });
    await this.#notifyProfessional(this.prisma, next.id, how.noticeId, "staff_new");
    await this.#toResident(
      h.residentId,
      how.messageId,
      this.message(h.language, how.key, { name: h.professional.name, other: next.name, organisation: next.organisation.name, when: this.when(acceptBy, h.language) }),
      "handoff",
      h.id,
    );
    return acceptBy;
  }

  /**
   * Resident messages each case of this professional has that the professional has not had on screen yet
   * (written after `pro_seen_at`). Raw SQL: the comparison is between two columns of joined rows, which
   * Prisma's query API cannot say.
   */
  async unread(professionalId: string): Promise<Map<string, number>> {
    const rows = await this.prisma.$queryRawUnsafe<{ id: string; n: bigint }[]>(
      `SELECT h.id::text AS id, count(m.id) AS n FROM handoff h
       JOIN handoff_message m ON m.handoff_id = h.id AND m.author = 'resident' AND (h.pro_seen_at IS NULL OR m.created_at > h.pro_seen_at)
       WHERE h.professional_id = $1::uuid GROUP BY h.id`,
      professionalId,
    );
    return new Map(rows.map((r) => [r.id, Number(r.n)]));
  }

  /** The assigned professional has the conversation on screen now: everything up to now is read. */
  async markSeen(handoffId: string, staffUserId: string): Promise<void> {
    await this.prisma.handoff.updateMany({ where: { id: handoffId, professional: { staffUserId } }, data: { proSeenAt: this.clock() } });
  }

  /** How many cases of this professional are still open (new, accepted or in contact). */
  async openCases(professionalId: string): Promise<number> {
    return this.prisma.handoff.count({ where: { professionalId, status: { in: ["new", "accepted", "in_contact"] } } });
  }

  /**
   * Moves every open case of one professional to another, as an admin decides before the record is linked
   * to another account: the new professional must accept again, and each resident is told the new name.
   * Returns the ids moved (for the audit log).
   */
  async reassignOpen(fromId: string, toId: string, by: Mover = { role: "admin", userId: "" }): Promise<string[]> {
    if (fromId === toId) return [];
    const next = await this.#taker(toId);
    if (!next) throw new Error(`handoff: professional ${toId} cannot take cases (inactive or without an account)`);
    const open = await this.prisma.handoff.findMany({ where: { professionalId: fromId, status: { in: [...OPEN_STATUSES] } }, include: { professional: true, resident: { select: { pseudonym: true } } } });
    for (const h of open) await this.#reassign(h, next, by);
    return open.map((h) => h.id);
  }

  /**
   * Gives one open case to another professional (a coordinator's decision, usually for a request nobody
   * accepted): they must accept it again, hear of it, and the resident is told the new name. Undefined when
   * the case is closed, already theirs, or they cannot take cases.
   */
  async reassignOne(handoffId: string, toId: string, by: Mover): Promise<{ from: string; to: string; acceptBy: Date } | undefined> {
    const h = await this.prisma.handoff.findFirst({ where: { id: handoffId, status: { in: [...OPEN_STATUSES] } }, include: { professional: true, resident: { select: { pseudonym: true } } } });
    if (!h || h.professionalId === toId) return undefined;
    const next = await this.#taker(toId);
    if (!next) return undefined;
    const acceptBy = await this.#reassign(h, next, by);
    return { from: h.professional.name, to: next.name, acceptBy };
  }

  /** A professional who can take cases now: active, with an account that is not disabled. */
  async #taker(id: string): Promise<Taker | null> {
    return this.prisma.professional.findFirst({ where: { id, active: true, staffUser: { is: { disabledAt: null } } }, include: { organisation: true } });
  }

  async #reassign(
    h: Prisma.HandoffGetPayload<{ include: { professional: true; resident: { select: { pseudonym: true } } } }>,
    next: Taker,
    by: Mover,
  ): Promise<Date> {
    const now = this.clock();
    const acceptBy = await this.#moveTo(h, next, now, { kind: "reassigned", from: h.professional.name, by: by.role }, {
      key: "handoff:reassigned",
      messageId: `ho-${h.id}-reassign-${next.id}-${now.getTime()}`,
      noticeId: `ho-${h.id}-new-${next.id}-${now.getTime()}`,
      data: { status: "new", stage: "await_accept", acceptedAt: null },
    });
    if (next.staffUserId) {
      await this.notices.notify(this.prisma, [next.staffUserId], {
        key: `ho-${h.id}-assigned-${next.id}-${now.getTime()}`,
        kind: "handoff-assigned",
        params: { code: codeName(h.resident.pseudonym), from: h.professional.name },
        link: `/admin/handoffs/${h.id}`,
      });
    }
    this.log.info({ handoff: h.id, to: next.id, by: by.role }, "handoff reassigned");
    return acceptBy;
  }


  /**
   * Moves an unanswered handoff to the backup colleague, or another match, and tells the resident the new
   * name. With nobody to move it to, the resident hears that a coordinator is looking, and the coordinators
   * are told (panel, chat, e-mail) every working day until someone accepts or they reassign it.
   */
  async #escalate(h: Prisma.HandoffGetPayload<{ include: { professional: { include: { organisation: true } }; resident: { select: { pseudonym: true; neighbourhood: true } } } }>, now: Date): Promise<void> {
    const backup = h.professional.backupId ? await this.#taker(h.professional.backupId) : null;
    let next = backup;
    let fact: MoveFact | undefined = backup ? { kind: "escalated-backup", from: h.professional.name } : undefined;
    if (!next) {
      const m = await this.match(this.prisma, { topic: h.topic, language: h.language, neighbourhood: h.resident.neighbourhood ?? null, exclude: [h.professionalId] });
      if (m) {
        next = await this.prisma.professional.findUnique({ where: { id: m.candidate.id }, include: { organisation: true } });
        fact = { kind: "escalated-match", from: h.professional.name, match: m.facts };
      }
    }
    const code = codeName(h.resident.pseudonym);
    const coordinators = await this.notices.coordinatorsFor(this.prisma, h.professional.organisationId);
    if (!next || !fact) {
      // Said once; the reminders and the coordinators' notices repeat each working day.
      if (!h.escalatedAt) await this.insights?.handoff(this.prisma, h.id, now, "handoff_escalated");
      if (!h.escalatedAt) await this.#toResident(h.residentId, `ho-${h.id}-delay-same`, this.message(h.language, "handoff:delay_same", { name: h.professional.name }), "handoff", h.id);
      await this.#notifyProfessional(this.prisma, h.professionalId, `ho-${h.id}-remind-again-${now.getTime()}`, "staff_reminder");
      await this.notices.notify(
        this.prisma,
        coordinators,
        { key: `ho-${h.id}-stuck-${toWallClock(now).date}`, kind: "handoff-stuck", params: { code, professional: h.professional.name, organisation: h.professional.organisation.name }, link: "/admin/coordination" },
        { chat: true, email: true },
      );
      await this.prisma.handoff.update({ where: { id: h.id }, data: { escalatedAt: h.escalatedAt ?? now, nextActionAt: addWorkingDays(now, 1) } });
      this.log.warn({ handoff: h.id, coordinators: coordinators.length }, "handoff not accepted and nobody to escalate to: coordinators told");
      return;
    }
    await this.insights?.handoff(this.prisma, h.id, now, "handoff_escalated");
    await this.#moveTo(h, next, now, fact, { key: "handoff:delay", messageId: `ho-${h.id}-delay-${next.id}`, noticeId: `ho-${h.id}-new-${next.id}`, data: { escalatedAt: now } });
    await this.notices.notify(
      this.prisma,
      coordinators,
      { key: `ho-${h.id}-overdue-${next.id}`, kind: "handoff-overdue", params: { code, professional: h.professional.name, organisation: h.professional.organisation.name, to: next.name }, link: "/admin/coordination" },
      { chat: true, email: true },
    );
    this.log.info({ handoff: h.id, to: next.id }, "handoff escalated");
  }
}
