import { randomUUID } from "node:crypto";
import type { Cipher } from "../crypto/cipher.js";
import type { SealedHandover } from "../crypto/sealed-handover.js";
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
import { claimInbound, markInboundDoneMany, nextInbound, recordInboundFailure, unlinkInbound } from "../storage/inbox-store.js";
import { insertConversations, insertResidents, loadResidents, touchResidents, updateConversations, updateResidents, type ConversationWrite, type LoadedResident, type ResidentChange } from "../storage/conversation-store.js";

/** The result of handling one inbound message. */
export type Handled = {
  seq: string;
  outbound: OutboundRef[];
  callbackQueryId?: string | undefined;
  channel: string;
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
  /** Messages this process's webhooks stored, taken instead of decrypting them. */
  inboundHandover?: SealedHandover<InboundMessage> | undefined;
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
  readonly #inboundHandover: SealedHandover<InboundMessage> | undefined;
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
    this.#inboundHandover = opts.inboundHandover;
    this.outbox = opts.outbox;
    this.log = opts.log;
    this.desks = opts.desks;
    this.clock = opts.clock ?? (() => new Date());
    this.#sensitive = sensitivePaths(opts.content.engine.flows.values());
    checkRequestHandlers(opts.content.engine.flows.values(), opts.desks);
  }

  /** The stored state: encrypted (`state_enc`), or plain JSON from before encryption at rest. */
  #load(c: { state: Prisma.JsonValue | null; stateEnc: string | null; revision: number | null } | undefined): SessionState {
    if (!c || c.revision === null) return newSessionState();
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

  /**
   * Handles the oldest waiting message of up to `limit` residents in one transaction (claimed with
   * `claimInbound`, so order per resident holds across processes): one query loads their residents and
   * conversations, desks are asked only about residents they concern, and states, send records and done-marks
   * are written with one statement each. `handled` is empty when nothing was waiting (or all was taken).
   * `left` are residents whose message this batch could not take, for `handleNext`: all of them when the batch
   * failed (so one bad message cannot block the others; `handleNext` counts and sets aside failures), else those
   * someone else held the lock of. `behind`: some message was waiting that the claim did not take (a later one of
   * a claimed resident, one another transaction holds, or beyond `limit`); true when the batch failed.
   */
  async handleBatch(limit: number): Promise<{ handled: Handled[]; left: string[]; behind: boolean }> {
    let claimed: string[] = [];
    try {
      return await this.prisma.$transaction(
        async (tx) => {
          const { rows, behind } = await claimInbound(tx, limit);
          claimed = rows.map((r) => r.pseudonym);
          const mine = rows.filter((r) => r.locked);
          const handled = await this.#handleMany(tx, mine.map((r) => ({ ...r, more: false })));
          return { handled, left: rows.filter((r) => !r.locked).map((r) => r.pseudonym), behind };
        },
        { timeout: 20_000, maxWait: 20_000 },
      );
    } catch (err) {
      if (claimed.length === 0) throw err;
      this.log.warn({ err, residents: claimed.length }, "inbound batch failed; its residents are handled one by one");
      return { handled: [], left: claimed, behind: true };
    }
  }

  async #recordFailure(pseudonym: string, err: unknown): Promise<void> {
    const reason = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
    const row = await recordInboundFailure(this.prisma, pseudonym, reason.slice(0, 500), MAX_INBOUND_ATTEMPTS);
    if (row?.setAside) {
      this.log.error({ resident: shortPseudonym(pseudonym), seq: String(row.seq), err }, "inbound message set aside after repeated failures");
    }
  }

  async #handleNext(tx: Tx, pseudonym: string): Promise<Handled | undefined> {
    await lockResident(tx, pseudonym);
    const rows = await nextInbound(tx, pseudonym);
    const row = rows[0];
    if (!row) return undefined;
    const [handled] = await this.#handleMany(tx, [{ seq: row.seq, pseudonym, keyedId: row.platformMessageId, payloadEnc: row.payloadEnc, more: rows.length > 1 }]);
    return handled;
  }

  /** Handles one claimed (locked) message per resident, all in `tx`: the residents are distinct. */
  async #handleMany(tx: Tx, rows: readonly { seq: bigint; pseudonym: string; keyedId: string; payloadEnc: string | null; more: boolean }[]): Promise<Handled[]> {
    if (rows.length === 0) return [];
    const out: Handled[] = [];
    const done: bigint[] = [];
    const work: { seq: bigint; pseudonym: string; keyedId: string; more: boolean; inbound: InboundMessage; now: Date }[] = [];
    // One time for the batch: its messages are handled now, together.
    const now = this.clock();
    for (const row of rows) {
      if (!row.payloadEnc) {
        done.push(row.seq);
        out.push({ seq: String(row.seq), outbound: [], channel: "unknown", more: row.more });
        continue;
      }
      work.push({ seq: row.seq, pseudonym: row.pseudonym, keyedId: row.keyedId, more: row.more, inbound: this.#inboundHandover?.take(row.payloadEnc) ?? inboundMessageSchema.parse(this.cipher.decryptJson(row.payloadEnc)), now });
    }

    const loaded = new Map((await loadResidents(tx, work.map((w) => w.pseudonym))).map((r) => [r.pseudonym, r]));
    const known = work.flatMap((w) => loaded.get(w.pseudonym)?.id ?? []);
    await touchResidents(tx, known, now);
    const fresh = work.filter((w) => !loaded.has(w.pseudonym));
    if (fresh.length > 0) {
      const created = fresh.map((w): LoadedResident => ({ id: randomUUID(), pseudonym: w.pseudonym, insightWeek: null, insightMonth: null, state: null, stateEnc: null, revision: null }));
      await insertResidents(
        tx,
        fresh.map((w, i) => ({ id: created[i]!.id, pseudonym: w.pseudonym, channel: w.inbound.channel, addressEnc: this.cipher.encrypt(w.inbound.address), lastInboundAt: w.now })),
      );
      for (const r of created) loaded.set(r.pseudonym, r);
    }
    const prepared = new Map<ConversationDesk, ReadonlySet<string>>();
    const ids = [...loaded.values()].map((r) => r.id);
    for (const desk of this.desks) if (desk.prepare && ids.length > 0) prepared.set(desk, await desk.prepare(tx, ids));

    const batch = {};
    const residents: ResidentChange[] = [];
    const updates: ConversationWrite[] = [];
    const inserts: { residentId: string; stateEnc: string; revision: number }[] = [];
    const replies: SendRecord[] = [];
    for (const w of work) {
      const resident = loaded.get(w.pseudonym)!;
      const r = await this.#run(tx, { ...w, resident, batch, prepared });
      done.push(w.seq);
      replies.push(...r.replies);
      if (r.kept) {
        if (Object.keys(r.kept.change).length > 1) residents.push(r.kept.change);
        if (resident.revision === null) inserts.push({ residentId: resident.id, stateEnc: r.kept.stateEnc, revision: 0 });
        else updates.push({ residentId: resident.id, revision: resident.revision, stateEnc: r.kept.stateEnc });
      }
      out.push({ seq: String(w.seq), outbound: r.outbound, callbackQueryId: w.inbound.callbackQueryId, channel: w.inbound.channel, more: w.more });
    }
    for (const desk of [...this.desks].reverse()) if (desk.finish) await desk.finish(tx, batch);

    await updateResidents(tx, residents);
    const written = await updateConversations(tx, updates);
    const lost = updates.find((u) => !written.has(u.residentId));
    if (lost) throw new Error(`conversation of ${shortPseudonym(loadedPseudonym(loaded, lost.residentId))} changed underneath (revision ${lost.revision})`);
    await insertConversations(tx, inserts);
    // One reply per message position of each inbox row: a second write would be a bug, so it throws.
    await this.outbox.write(tx, replies, { skipDuplicates: false });
    await markInboundDoneMany(tx, done);
    return out;
  }

  /**
   * One message's step: desks and engine, the events applied, the replies rendered. An erasure is done at
   * once; everything else comes back as writes for the caller to make with the others of its transaction.
   */
  async #run(
    tx: Tx,
    w: { seq: bigint; pseudonym: string; keyedId: string; inbound: InboundMessage; now: Date; resident: LoadedResident; batch: object; prepared: ReadonlyMap<ConversationDesk, ReadonlySet<string>> },
  ): Promise<{ replies: SendRecord[]; outbound: OutboundRef[]; kept?: { change: ResidentChange; stateEnc: string } }> {
    const { pseudonym, inbound, now, resident } = w;
    const stored: SessionState = this.#load(resident);

    const afterCommit: AfterCommit = [];
    const ctx = (state: SessionState, desk: ConversationDesk): DeskContext => ({
      pseudonym,
      residentId: resident.id,
      channel: inbound.channel,
      language: this.#language(state),
      neighbourhood: typeof state.fields.neighbourhood === "string" ? state.fields.neighbourhood : null,
      now,
      afterCommit,
      concerned: w.prepared.get(desk)?.has(resident.id) ?? !desk.prepare,
      insightWeek: resident.insightWeek,
      insightMonth: resident.insightMonth,
      batch: w.batch,
    });
    const input = inbound.input;
    let step: StepResult | undefined;
    if (input.kind === "erase") step = { state: stored, events: [{ type: "requested", name: "erase", args: {} }] };
    else {
      for (const desk of this.desks) {
        step = await desk.before(tx, ctx(stored, desk), input, stored);
        if (step) break;
      }
      step ??= this.#step(stored, { ...inbound, input }, now);
    }
    const language = this.#language(step.state);
    const erase = step.events.some((e) => isRequestFor(e, ["erase"]));
    if (!erase) {
      for (const desk of [...this.desks].reverse()) {
        const after = ctx(step.state, desk);
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
    let kept: { change: ResidentChange; stateEnc: string } | undefined;
    if (erase) {
      // Everything linked to this resident goes: the resident row cascades to conversation and send
      // records; the inbox keeps only dedupe keys, unlinked.
      await tx.resident.delete({ where: { id: resident.id } });
      await unlinkInbound(tx, pseudonym);
      await tx.webMailbox.deleteMany({ where: { pseudonym } });
      residentId = null;
      this.log.info({ resident: shortPseudonym(pseudonym), via: input.kind === "erase" ? "web-exit" : "chat" }, "resident erased on request");
    } else {
      const change: ResidentChange = { id: resident.id };
      for (const e of step.events) {
        if (e.type !== "field_set") continue;
        if (e.field === "language" && typeof e.value === "string" && isLanguage(e.value)) change.language = e.value;
        if (e.field === "neighbourhood") change.neighbourhood = typeof e.value === "string" ? e.value : null;
      }
      const quiet = events.findLast((e) => isRequestFor(e, ["quiet_on", "quiet_off"]));
      if (quiet) change.quiet = quiet.name === "quiet_on";
      // Encrypted at rest, and without the way through sensitive flows once the resident has left them.
      kept = { change, stateEnc: this.cipher.encryptJson(forgetSensitivePath(step.state, this.#sensitive)) };
    }

    // Named by the inbox row's keyed platform id, not its seq: a restored database hands seqs out again while
    // Redis may still remember the jobs of the records named after them.
    const replies: SendRecord[] = messages.map((message, i) => ({
      id: `${inbound.channel}-${w.keyedId}-${i}`,
      residentId,
      channel: inbound.channel,
      kind: "reply",
      address: inbound.address,
      message,
    }));
    for (const e of step.events) {
      // Counted, never linked to a resident: a pseudonym here would tie "needed help" to their other log lines.
      if (e.type === "emergency") this.log.info({ via: e.via }, "safety message shown");
    }
    const outbound: OutboundRef[] = [...replies.map((r) => ({ id: r.id, channel: r.channel })), ...afterCommit];
    return { replies, outbound, ...(kept ? { kept } : {}) };
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

function loadedPseudonym(loaded: ReadonlyMap<string, LoadedResident>, residentId: string): string {
  for (const r of loaded.values()) if (r.id === residentId) return r.pseudonym;
  return residentId;
}
