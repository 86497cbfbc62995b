import type { InboundMessage } from "../channels/inbound-message.js";
import type { StepResult } from "../engine/engine.js";
import type { EngineEvent, RequestedEvent } from "../engine/events.js";
import type { SessionState } from "../engine/session-state.js";
import type { Prisma } from "../generated/prisma/client.js";
import type { AfterCommit } from "../outbox/outbox.js";

/** Who is writing and where, for a desk. */
export type DeskContext = {
  pseudonym: string;
  residentId: string;
  channel: string;
  /** The resident's language: before the step as stored, after it as the step left it. */
  language: string;
  neighbourhood: string | null;
  now: Date;
  /** Send records a desk wrote in this transaction, queued by the conversation once it has committed. */
  afterCommit: AfterCommit;
  /**
   * Whether this desk's `prepare` named this resident (something of the desk's waits for them); true for a
   * desk without `prepare`. A desk that is not concerned asks the database nothing unless the input or the
   * state is about it.
   */
  concerned: boolean;
  /** The resident row's insight week and month as loaded with it (null: never counted). */
  insightWeek: Date | null;
  insightMonth: Date | null;
  /**
   * The transaction's token: the same object for every message handled in one transaction (one message, or a
   * batch), so a desk can collect writes per transaction and make them in `finish` with one statement.
   */
  batch: object;
};

/** What the resident did, as a desk sees it (an erasure never reaches the desks). */
export type DeskInput = Exclude<InboundMessage["input"], { kind: "erase" }>;

/**
 * A feature's part in a conversation, for what the pure engine cannot know: data in the database, other
 * people. The conversation service runs its desks like layers around the engine, inside the resident's
 * transaction: `before` in list order (the first to answer replaces the engine's step), `after` (for the requests a
 * desk `handles`) and `settle` in reverse.
 */
export interface ConversationDesk {
  /**
   * The flow requests (`emit: <name>`) this desk acts on in `after`. A constant next to the desk, so that
   * `npm run flows:check` knows them without a database (see request-names.ts).
   */
  readonly handles: readonly string[];
  /** Handles an input the engine cannot know about; undefined lets the next desk, and then the engine, go on. */
  before(db: Prisma.TransactionClient, ctx: DeskContext, input: DeskInput, state: SessionState): Promise<StepResult | undefined>;
  /**
   * Acts on the step's requests named in `handles` (called only for a step that has one); they may come back as
   * messages in their place, or as another step.
   */
  after(db: Prisma.TransactionClient, ctx: DeskContext, step: StepResult): Promise<StepResult>;
  /** What the desk keeps true of every step, requests or not (a phone number sealed); runs after `after`. */
  settle?(step: StepResult): StepResult;
  /** Sees every step (before this desk's `after`) and changes nothing in it: the insights count here. */
  observe?(db: Prisma.TransactionClient, ctx: DeskContext, step: StepResult): Promise<void>;
  /**
   * Which of these residents this desk has something waiting for (held messages, an open chat), in one query
   * for all of them, before any of their steps; the answer comes back as `ctx.concerned`.
   */
  prepare?(db: Prisma.TransactionClient, residentIds: readonly string[]): Promise<ReadonlySet<string>>;
  /** Once per transaction, after every step of it: writes what the desk collected under `batch`, set-based. */
  finish?(db: Prisma.TransactionClient, batch: object): Promise<void>;
}

/** Whether `e` is a flow request named in `names` (a desk's `handles`). */
export function isRequestFor<N extends string>(e: EngineEvent, names: readonly N[]): e is RequestedEvent & { name: N } {
  return e.type === "requested" && (names as readonly string[]).includes(e.name);
}
