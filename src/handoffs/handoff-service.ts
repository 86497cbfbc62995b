import { z } from "zod";
import type { InsightCounters } from "../insights/insight-counters.js";
import type { RenderedMessage } from "../channels/rendered-message.js";
import { DEFAULT_LANGUAGE } from "../content/vocabulary.js";
import type { Cipher } from "../crypto/cipher.js";
import type { PrismaClient } from "../generated/prisma/client.js";
import type { Translator } from "../i18n/translator.js";
import { encodePayload } from "../engine/payload.js";
import type { Logger } from "../logger.js";
import type { StaffNotices } from "../admin/staff-notices.js";
import { codeName, type HandoffContext, type HandoffOptions, type Mover } from "./handoff-context.js";
import { answerCheckIn, deliverHeld, handoffCaseSchema, opened, OPEN_STATUSES, type CheckInAnswer, type HandoffOutcome } from "./handoff-lifecycle.js";
import { HandoffMessages } from "./handoff-messages.js";
import { HandoffStaffCommands } from "./handoff-staff-commands.js";
import { HandoffTimers } from "./handoff-timers.js";
import { decodeMatchFact, factText } from "./match-facts.js";
import { matchProfessional, type Candidate, type Match } from "./matching.js";
import type { ResidentMessenger } from "./resident-messenger.js";
import { answerBy, availabilitySchema, type Availability } from "./working-time.js";
import type { AfterCommit } from "../outbox/outbox.js";
import type { Db } from "../storage/db-client.js";

export { codeName, type HandoffOptions, type Mover } from "./handoff-context.js";
export { CHECK_IN_ANSWERS, HANDOFF_OUTCOMES, HANDOFF_STATUSES, isOverdue, OPEN_STATUSES, type CheckInAnswer } from "./handoff-lifecycle.js";

/** What the resident agreed to share, stored as shown to them. */
/** When a call is safe for the resident, and whether the caller may say who they are. */
export const CALL_TIMES = ["morning", "afternoon", "evening", "any"] as const;
export const callSafetySchema = z.object({ when: z.enum(CALL_TIMES), identify: z.boolean() });
export type CallSafety = z.infer<typeof callSafetySchema>;

export const handoffSummarySchema = z.object({ topic: z.string(), answers: z.array(z.string()).default([]), call: callSafetySchema.optional() });
export type HandoffSummary = z.infer<typeof handoffSummarySchema>;

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

/** What a HandoffService needs; it hands the same parts to its timers and staff commands. */
export type HandoffServiceOptions = {
  /** The handoffs, their messages and the professionals, and the timers' claims on them. */
  prisma: PrismaClient;
  /** Seals the resident's phone number and the messages between resident and professional. */
  cipher: Cipher;
  /** The texts Naast sends about a handoff, in the resident's language. */
  translator: Translator;
  /** The one way to write to a resident first (quiet mode, WhatsApp's 24-hour window, held messages). */
  messenger: ResidentMessenger;
  log: Logger;
  /** Every promised time, timer and record (accept-by, reminders, check-ins). Defaults to the system clock. */
  clock?: (() => Date) | undefined;
  /** Check-in days, retention days, escalation hours and the panel's address (config.ts has the defaults). */
  settings: HandoffOptions;
  /** Panel, chat and e-mail notices to coordinators and professionals. */
  notices: StaffNotices;
  /** The insights' counters (accepted in time, escalated, closed, check-in answers); none in some tests. */
  insights?: InsightCounters | undefined;
};

/**
 * Warm handoffs from residents to named professionals, and the promises around them: the professional
 * hears of it at once (panel, and their own linked chat), is reminded when the agreed time passes, then the
 * case moves to a backup and the resident is told; after acceptance the resident gets one check-in. All
 * timers are columns (`next_action_at`) read by the recovery sweep, so restarts lose nothing.
 *
 * This class is the feature's one entrance and holds the resident's side (matching, introducing,
 * creating, relaying, held messages, check-in answers); the rules are `handoff-lifecycle.ts`, the texts
 * `handoff-messages.ts`, the timers `handoff-timers.ts` and the panel's commands `handoff-staff-commands.ts`.
 */
export class HandoffService {
  readonly #messages: HandoffMessages;
  readonly #timers: HandoffTimers;
  readonly #staff: HandoffStaffCommands;

  private readonly cipher: Cipher;
  private readonly log: Logger;
  private readonly clock: () => Date;
  private readonly notices: StaffNotices;
  private readonly insights: InsightCounters | undefined;

  constructor(opts: HandoffServiceOptions) {
    const { prisma, cipher, translator, messenger, log, settings, notices, insights } = opts;
    const clock = opts.clock ?? (() => new Date());
    this.cipher = cipher;
    this.log = log;
    this.clock = clock;
    this.notices = notices;
    this.insights = insights;
    this.#messages = new HandoffMessages({ translator, cipher, messenger, clock, panelUrl: settings.panelUrl });
    const ctx: HandoffContext = { prisma, cipher, messenger, messages: this.#messages, log, clock, opts: settings, notices, insights };
    this.#timers = new HandoffTimers(ctx, (req) => this.match(prisma, req));
    this.#staff = new HandoffStaffCommands(ctx);
  }

  now(): Date {
    return this.clock();
  }

  // ------------------------------------------------------------------ matching

  async #candidates(db: Db): Promise<Candidate[]> {
    const pros = await db.professional.findMany({
      where: { active: true, staffUser: { is: { disabledAt: null } } },
    });
    const open = await db.handoff.groupBy({ by: ["professionalId"], where: { status: { in: [...OPEN_STATUSES] } }, _count: true });
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
    return this.#messages.when(at, language);
  }

  /** A handoff text in the resident's language with its choices (see {@link HandoffMessages.message}). */
  message(language: string, key: string, params: Record<string, string> = {}, choices: { payload: string; label: string }[] = []): RenderedMessage {
    return this.#messages.message(language, key, params, choices);
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
        ...opened(acceptBy),
      },
    });
    await db.professional.update({ where: { id: input.professionalId }, data: { lastAssignedAt: this.clock() } });
    await this.#messages.notifyProfessional(db, input.professionalId, `ho-${h.id}-new`, "staff_new", afterCommit);
    this.log.info({ handoff: h.id, professional: input.professionalId, mode: input.mode }, "handoff created");
    return { id: h.id, acceptBy };
  }

  /** The resident's active chat handoff with this id, if it is theirs. */
  async activeFor(db: Db, handoffId: string, residentId: string) {
    return db.handoff.findFirst({ where: { id: handoffId, residentId, status: { in: [...OPEN_STATUSES] } }, include: { professional: { include: { organisation: true } } } });
  }

  /**
   * The resident's chat handoff that is waiting for their answer: the professional wrote last, it was
   * delivered, and not longer ago than `OPEN_CHAT_MS`. A typed message then goes to the professional
   * even without tapping "reply".
   */
  async openChatFor(db: Db, residentId: string) {
    const since = new Date(this.clock().getTime() - OPEN_CHAT_MS);
    const candidates = await db.handoff.findMany({
      where: { residentId, mode: "chat", status: { in: [...OPEN_STATUSES] }, messages: { some: { author: "professional", deliveredAt: { gte: since } } } },
      include: { professional: { include: { organisation: true } }, messages: { orderBy: { id: "desc" }, take: 1, where: { author: { in: ["resident", "professional"] } } } },
    });
    return candidates.find((h) => h.messages[0]?.author === "professional") ?? null;
  }

  async addResidentMessage(db: Db, handoffId: string, text: string, afterCommit: AfterCommit): Promise<void> {
    const h = await db.handoff.findUniqueOrThrow({ where: { id: handoffId } });
    const m = await db.handoffMessage.create({ data: { handoffId, author: "resident", bodyEnc: this.cipher.encrypt(text), createdAt: this.clock(), deliveredAt: this.clock() } });
    await this.#messages.notifyProfessional(db, h.professionalId, `ho-${handoffId}-rm-${m.id}`, "staff_message", afterCommit);
  }

  /**
   * Which of these residents have something of a handoff waiting when they write: a held message or check-in
   * (what `heldFor` hands over) or an open chat (what `openChatFor` looks for). One query for many residents,
   * so the desk asks nothing more for everyone else.
   */
  async waitingFor(db: Db, residentIds: readonly string[]): Promise<ReadonlySet<string>> {
    if (residentIds.length === 0) return new Set();
    const rows = await db.handoff.findMany({
      where: {
        residentId: { in: [...residentIds] },
        OR: [
          { stage: { in: ["check_in_held", "close_held"] } },
          { mode: "chat", status: { in: [...OPEN_STATUSES] } },
          { messages: { some: { heldAt: { not: null }, deliveredAt: null } } },
        ],
      },
      select: { residentId: true },
      distinct: ["residentId"],
    });
    return new Set(rows.map((r) => r.residentId));
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
      out.push(this.#messages.relay(m.handoff, this.cipher.decrypt(m.bodyEnc), language));
      await db.handoffMessage.update({ where: { id: m.id }, data: { deliveredAt: now } });
    }
    // A check-in that waited, then a case closed while they could not be written to: asked now.
    for (const stage of ["check_in_held", "close_held"] as const) {
      const waiting = await db.handoff.findMany({ where: { residentId, stage }, include: { professional: true }, orderBy: { createdAt: "asc" } });
      for (const h of waiting) {
        const move = deliverHeld(handoffCaseSchema.parse(h), now);
        if (!move.ok) continue;
        for (const e of move.effects) if (e.kind === "ask-check-in") out.push(this.#messages.checkIn(h.id, h.professional.name, language, e.key));
        await db.handoff.update({ where: { id: h.id }, data: move.next });
      }
    }
    return out;
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
    // Not solved: back on the professional's list by their next working hour, and reminded.
    const again = answerBy(now, 1, availabilitySchema.catch([]).parse(h.professional.availability));
    const move = answerCheckIn(handoffCaseSchema.parse(h), now, answer, again);
    await db.handoff.update({ where: { id: h.id }, data: move.next });
    for (const e of move.effects) {
      if (e.kind === "notify-professional") await this.#messages.notifyProfessional(db, h.professionalId, `ho-${h.id}-reopen-${now.getTime()}`, e.key, afterCommit);
    }
    if (answer === "helped") return this.message(language, "handoff:checkin_thanks");
    if (answer === "no_contact") return this.message(language, "handoff:checkin_no_contact_reply", { name });
    // The resident may ask for someone else.
    return this.message(language, "handoff:checkin_reopened", { name }, [
      { payload: encodePayload({ kind: "handoff", action: "other", handoffId: h.id }), label: "handoff:someone_else" },
      { payload: encodePayload({ kind: "handoff", action: "keep", handoffId: h.id }), label: "handoff:keep" },
    ]);
  }

  // ------------------------------------------------------------------ the professional's side (panel): handoff-staff-commands.ts

  accept(id: string, staffUserId: string): Promise<boolean> {
    return this.#staff.accept(id, staffUserId);
  }

  sendToResident(id: string, staffUserId: string, text: string): Promise<"queued" | "held" | "quiet" | "gone" | "refused"> {
    return this.#staff.sendToResident(id, staffUserId, text);
  }

  setStatus(id: string, staffUserId: string, status: "in_contact" | "closed", outcome?: HandoffOutcome): Promise<boolean> {
    return this.#staff.setStatus(id, staffUserId, status, outcome);
  }

  unread(professionalId: string): Promise<Map<string, number>> {
    return this.#staff.unread(professionalId);
  }

  markSeen(handoffId: string, staffUserId: string): Promise<void> {
    return this.#staff.markSeen(handoffId, staffUserId);
  }

  openCases(professionalId: string): Promise<number> {
    return this.#staff.openCases(professionalId);
  }

  reassignOpen(fromId: string, toId: string, by: Mover = { role: "admin", userId: "" }): Promise<string[]> {
    return this.#staff.reassignOpen(fromId, toId, by);
  }

  reassignOne(handoffId: string, toId: string, by: Mover): Promise<{ from: string; to: string; acceptBy: Date } | undefined> {
    return this.#staff.reassignOne(handoffId, toId, by);
  }

  // ------------------------------------------------------------------ timers: handoff-timers.ts

  /** Does what is due: reminders, escalations, check-ins, deleting closed conversations. Returns how many. */
  runDue(limit = 100): Promise<number> {
    return this.#timers.runDue(limit);
  }
}
