import type { Cipher } from "../crypto/cipher.js";
import { shortPseudonym } from "../crypto/pseudonymizer.js";
import { inboundMessageSchema, type InboundMessage } from "../channels/inbound-message.js";
import { parseMorePayload } from "../channels/rendered-message.js";
import { isLanguage, languageFromTag } from "../content/vocabulary.js";
import type { Content } from "../content/content.js";
import type { FlowEngine, StepResult } from "../engine/engine.js";
import { newSessionState, upgradeState, type SessionState } from "../engine/session-state.js";
import { Prisma, type PrismaClient } from "../generated/prisma/client.js";
import { forgetSensitivePath, sensitivePaths, type SensitivePaths } from "./forget-sensitive-path.js";
import type { Logger } from "../logger.js";
import type { AfterCommit, Outbox, OutboundRef, SendRecord } from "../outbox/outbox.js";
import { isRequestFor, type ConversationDesk, type DeskContext } from "./conversation-desk.js";
import { checkRequestHandlers } from "./check-request-handlers.js";
import { renderEvents } from "./render-events.js";
import { lockResident } from "../storage/advisory-locks.js";
import { markInboundDone, nextInbound, recordInboundFailure, unlinkInbound } from "../storage/inbox-store.js";

/** The result of handling one inbound message. */
export type Handled = {
  seq: string;
  outbound: OutboundRef[];
  callbackQueryId?: string | undefined;
  channel: string;
  /** The handled inbox row's stable name (channel and keyed platform id), which a database restore does not hand out again. */
  message: { channel: string; keyedId: string };
  /** Another message of this resident was already waiting. */
  more: boolean;
};

/** After this many failed attempts a message is set aside (and logged) so later ones are not blocked. */
export const MAX_INBOUND_ATTEMPTS = 3;

/** Transaction client type of our Prisma client. */
type Tx = Parameters<Parameters<PrismaClient["$transaction"]>[0]>[0];

/** What a ConversationService needs. */
export type ConversationServiceOptions = {
  /** The inbox, the session state and the send records, all written in one transaction per message. */
  prisma: PrismaClient;
  engine: FlowEngine;
  /** The flows (which paths are sensitive, which requests they emit) and the translator replies are rendered with. */
  content: Content;
  /** Encrypts the session state at rest and reads it back. */
  cipher: Cipher;
  /** Where replies are written as send records, inside the conversation's transaction. */
  outbox: Outbox;
  log: Logger;
  /** The features' parts in a conversation; `before` asks them in this order, `after` runs in reverse. */
  desks: readonly ConversationDesk[];
  /** The engine's `now` for every step (timeouts, visits). Defaults to the system clock. */
  clock?: (() => Date) | undefined;
};

/**
 * Handles a resident's inbox one message at a time, in arrival order: under a per-resident
 * advisory lock, runs the engine, applies its events, and records the replies as send records
 * in the same transaction (a transactional outbox).
 */
export class ConversationService {
  readonly #sensitive: SensitivePaths;
  private readonly prisma: PrismaClient;
  private readonly engine: FlowEngine;
  private readonly content: Content;
  private readonly cipher: Cipher;
  private readonly outbox: Outbox;
  private readonly log: Logger;
  private readonly desks: readonly ConversationDesk[];
  private readonly clock: () => Date;

  /** Refuses to start when a desk's `handles` and the requests the flows emit disagree. */
  constructor(opts: ConversationServiceOptions) {
    this.prisma = opts.prisma;
    this.engine = opts.engine;
    this.content = opts.content;
    this.cipher = opts.cipher;
    this.outbox = opts.outbox;
    this.log = opts.log;
    this.desks = opts.desks;
    this.clock = opts.clock ?? (() => new Date());
    this.#sensitive = sensitivePaths(opts.content.engine.flows.values());
    checkRequestHandlers(opts.content.engine.flows.values(), opts.desks);
  }

  /** The stored state: encrypted (`state_enc`), or plain JSON from before encryption at rest. */
  #load(c: { state: Prisma.JsonValue; stateEnc: string | null } | null): SessionState {
    if (!c) return newSessionState();
    return upgradeState(c.stateEnc ? this.cipher.decryptJson(c.stateEnc) : c.state);
  }

  /** Handles the oldest waiting message of this resident; undefined when there is none. */
  async handleNext(pseudonym: string): Promise<Handled | undefined> {
    try {
      return await this.prisma.$transaction((tx) => this.#handleNext(tx, pseudonym), { timeout: 20_000, maxWait: 20_000 });
    } catch (err) {
      await this.#recordFailure(pseudonym, err);
      throw err;
    }
  }

  async #recordFailure(pseudonym: string, err: unknown): Promise<void> {
    const reason = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
    const row = await recordInboundFailure(this.prisma, pseudonym, reason.slice(0, 500));
    if (row && row.attempts >= MAX_INBOUND_ATTEMPTS) {
      await markInboundDone(this.prisma, row.seq, false);
      this.log.error({ resident: shortPseudonym(pseudonym), seq: String(row.seq), err }, "inbound message set aside after repeated failures");
    }
  }

  async #handleNext(tx: Tx, pseudonym: string): Promise<Handled | undefined> {
    await lockResident(tx, pseudonym);
    const rows = await nextInbound(tx, pseudonym);
    const row = rows[0];
    if (!row) return undefined;
    const more = rows.length > 1;
    const seq = String(row.seq);
    const message = { channel: row.channel, keyedId: row.platformMessageId };
    const done = async () => markInboundDone(tx, row.seq, true);
    if (!row.payloadEnc) {
      await done();
      return { seq, outbound: [], channel: "unknown", message, more };
    }
    const inbound = inboundMessageSchema.parse(this.cipher.decryptJson(row.payloadEnc));
    const now = this.clock();

    let resident = await tx.resident.findUnique({ where: { pseudonym }, include: { conversation: true } });
    if (!resident) {
      resident = await tx.resident.create({
        data: { pseudonym, channel: inbound.channel, addressEnc: this.cipher.encrypt(inbound.address), lastInboundAt: now },
        include: { conversation: true },
      });
    } else {
      await tx.resident.update({ where: { id: resident.id }, data: { lastInboundAt: now } });
    }
    const stored: SessionState = this.#load(resident.conversation);

    const afterCommit: AfterCommit = [];
    const ctx = (state: SessionState): DeskContext => ({
      pseudonym,
      residentId: resident.id,
      channel: inbound.channel,
      language: this.#language(state),
      neighbourhood: typeof state.fields.neighbourhood === "string" ? state.fields.neighbourhood : null,
      now,
      afterCommit,
    });
    const input = inbound.input;
    let step: StepResult | undefined;
    if (input.kind === "erase") step = { state: stored, events: [{ type: "requested", name: "erase", args: {} }] };
    else {
      for (const desk of this.desks) {
        step = await desk.before(tx, ctx(stored), input, stored);
        if (step) break;
      }
      step ??= this.#step(stored, { ...inbound, input }, now);
    }
    const language = this.#language(step.state);
    const erase = step.events.some((e) => isRequestFor(e, ["erase"]));
    if (!erase) {
      const after = ctx(step.state);
      for (const desk of [...this.desks].reverse()) {
        if (desk.observe) await desk.observe(tx, after, step);
        // Dispatched by name: a desk's `after` sees only steps with a request it declared.
        if (step.events.some((e) => isRequestFor(e, desk.handles))) step = await desk.after(tx, after, step);
        if (desk.settle) step = desk.settle(step);
      }
    }
    const events = step.events;
    const offset = inbound.input.kind === "choice" ? (parseMorePayload(inbound.input.payload) ?? 0) : 0;
    const messages = renderEvents(events, language, this.content.translator, { offset, directory: this.content.directory });

    let residentId: string | null = resident.id;
    if (erase) {
      // Everything linked to this resident goes: the resident row cascades to conversation and send
      // records; the inbox keeps only dedupe keys, unlinked.
      await tx.resident.delete({ where: { id: resident.id } });
      await unlinkInbound(tx, pseudonym);
      await tx.webMailbox.deleteMany({ where: { pseudonym } });
      residentId = null;
      this.log.info({ resident: shortPseudonym(pseudonym), via: input.kind === "erase" ? "web-exit" : "chat" }, "resident erased on request");
    } else {
      const profile: { language?: string; neighbourhood?: string | null } = {};
      for (const e of step.events) {
        if (e.type !== "field_set") continue;
        if (e.field === "language" && typeof e.value === "string" && isLanguage(e.value)) profile.language = e.value;
        if (e.field === "neighbourhood") profile.neighbourhood = typeof e.value === "string" ? e.value : null;
      }
      const quiet = events.findLast((e) => isRequestFor(e, ["quiet_on", "quiet_off"]));
      if (Object.keys(profile).length > 0 || quiet) await tx.resident.update({ where: { id: resident.id }, data: { ...profile, ...(quiet ? { quiet: quiet.name === "quiet_on" } : {}) } });
      const revision = resident.conversation?.revision ?? -1;
      // Encrypted at rest, and without the way through sensitive flows once the resident has left them.
      const stateEnc = this.cipher.encryptJson(forgetSensitivePath(step.state, this.#sensitive));
      if (resident.conversation) {
        const n = await tx.conversation.updateMany({
          where: { residentId: resident.id, revision },
          data: { state: Prisma.DbNull, stateEnc, revision: revision + 1 },
        });
        if (n.count !== 1) throw new Error(`conversation of ${shortPseudonym(pseudonym)} changed underneath (revision ${revision})`);
      } else {
        await tx.conversation.create({ data: { residentId: resident.id, stateEnc, revision: 0 } });
      }
    }

    // Named by the inbox row's keyed platform id, not its seq: a restored database hands seqs out again while
    // Redis may still remember the jobs of the records named after them.
    const replies: SendRecord[] = messages.map((message, i) => ({
      id: `${inbound.channel}-${row.platformMessageId}-${i}`,
      residentId,
      channel: inbound.channel,
      kind: "reply",
      address: inbound.address,
      message,
    }));
    // One reply per message position of this inbox row: a second write would be a bug, so it throws.
    await this.outbox.write(tx, replies, { skipDuplicates: false });
    const outbound: OutboundRef[] = replies.map((r) => ({ id: r.id, channel: r.channel }));
    await done();
    for (const e of step.events) {
      // Counted, never linked to a resident: a pseudonym here would tie "needed help" to their other log lines.
      if (e.type === "emergency") this.log.info({ via: e.via }, "safety message shown");
    }
    outbound.push(...afterCommit);
    return { seq, outbound, callbackQueryId: inbound.callbackQueryId, channel: inbound.channel, message, more };
  }

  #step(stored: SessionState, inbound: InboundMessage & { input: Exclude<InboundMessage["input"], { kind: "erase" }> }, now: Date): StepResult {
    const input = inbound.input;
    if (input.kind === "choice" && parseMorePayload(input.payload) !== undefined) {
      return this.engine.prompt(stored, now);
    }
    const hint = languageFromTag(inbound.languageHint);
    if (input.kind === "start") {
      return this.engine.step(stored, { kind: "start", languageHint: languageFromTag(input.languageHint) ?? hint }, now);
    }
    return this.engine.step(stored, input, now, hint);
  }

  #language(state: SessionState): string {
    const l = state.fields.language;
    return typeof l === "string" && isLanguage(l) ? l : this.content.engine.defaultLanguage;
  }
}
