import type { Content } from "../content/content.js";
import { TOPIC_FLOWS } from "../content/entry-flows.js";
import type { StepResult } from "../engine/engine.js";
import type { Exit } from "../engine/flow-schema.js";
import { decodePayload } from "../engine/payload.js";
import type { Position, SessionState } from "../engine/session-state.js";
import type { Prisma } from "../generated/prisma/client.js";
import { isRequestFor, type ConversationDesk, type DeskContext, type DeskInput } from "../conversation/conversation-desk.js";
import type { ActiveResident, InsightCount, InsightCounters } from "./insight-counters.js";

/** Counts collected over one transaction's steps. */
type Collected = { active: ActiveResident[]; counts: { at: Date; counts: InsightCount[] }[] };

/** The relationship check in flows/relationships.yaml: its first question and the nodes that give the result. */
export const RELATIONSHIP_CHECK = { flow: "relationships", first: "q-respect", last: ["q-fear", "fear"], results: ["healthy", "some", "serious"] } as const;

/** The first conversation (language, neighbourhood): a resident still in it is counted once they leave it. */
export const ONBOARDING_FLOW = "onboarding";

/** The once-a-visit question about home (`once.key`), whose answers are counted by choice id. */
export const HOME_QUESTION_KEY = "home";

/** A request argument or field as a code, or undefined when empty or not text ("*" is any). */
const text = (v: unknown): string | undefined => (typeof v === "string" && v !== "" && v !== "*" ? v : undefined);

const topicOfFlow = new Map(Object.entries(TOPIC_FLOWS).map(([topic, flow]) => [flow, topic]));

/**
 * The conversation's counters: a desk that answers nothing, handles no request and changes no step; it
 * `observe`s every step and counts what it did (topics opened, advice shown, the home question answered, the
 * relationship check, safety messages, requests for a person, subscriptions) and the resident's first
 * message of a week and month. Last in the desk list, so it sees the engine's own step before other desks.
 */
export class InsightsDesk implements ConversationDesk {
  readonly handles: readonly string[] = [];

  /** What came in, per message (keyed by the message's own after-commit list, which `before` and `after` share). */
  readonly #inputs = new WeakMap<object, { input: DeskInput; from: Position | undefined }>();
  /** What the steps of one transaction counted, written in `finish` (keyed by the transaction's token). */
  readonly #batches = new WeakMap<object, Collected>();
  /** Home question nodes: `flow/node` → choice id by where it goes. */
  readonly #home = new Map<string, { id: string; go: Exit }[]>();

  constructor(
    private readonly counters: InsightCounters,
    content: Content,
  ) {
    for (const flow of content.engine.flows.values()) {
      for (const node of flow.nodes) {
        if (node.once?.key !== HOME_QUESTION_KEY || !node.wait || !("choices" in node.wait) || !node.wait.choices) continue;
        this.#home.set(`${flow.flow}/${node.id}`, node.wait.choices.map((c) => ({ id: c.id, go: c.go })));
      }
    }
  }

  async before(_db: Prisma.TransactionClient, ctx: DeskContext, input: DeskInput, state: SessionState): Promise<StepResult | undefined> {
    this.#inputs.set(ctx.afterCommit, { input, from: state.at });
    return undefined;
  }

  async after(_db: Prisma.TransactionClient, _ctx: DeskContext, step: StepResult): Promise<StepResult> {
    return step;
  }

  async observe(_db: Prisma.TransactionClient, ctx: DeskContext, step: StepResult): Promise<void> {
    const dims = { neighbourhood: ctx.neighbourhood, language: ctx.language, channel: ctx.channel };
    const monthly = { neighbourhood: ctx.neighbourhood };
    const counts: InsightCount[] = [];
    const to = step.state.at;
    const flow = to?.flow;
    for (const e of step.events) {
      if (e.type === "flow_entered" && topicOfFlow.has(e.flow)) counts.push({ metric: "topic_opened", dims: { ...dims, topic: topicOfFlow.get(e.flow) } });
      else if (e.type === "card" && flow && topicOfFlow.has(flow)) counts.push({ metric: "advice_read", dims: { ...dims, topic: topicOfFlow.get(flow) } });
      else if (e.type === "emergency") counts.push({ metric: "safety_shown", dims: monthly });
      else if (e.type === "crisis_shown") counts.push({ metric: "crisis_shown", dims: monthly });
      else if (e.type === "hint_offered") counts.push({ metric: "hint_offered", dims: monthly });
      else if (isRequestFor(e, ["handoff"])) counts.push({ metric: "handoff_offered", dims: { ...dims, topic: text(e.args.topic) ?? "general" } });
      else if (isRequestFor(e, ["handoff_create"])) counts.push({ metric: "handoff_consented", dims: { ...dims, topic: text(step.state.fields.handoff_topic) ?? "general" } });
      else if (isRequestFor(e, ["subscribe"])) counts.push({ metric: "subscribed", dims: { ...dims, topic: text(e.args.topic) ?? "any" } });
      else if (isRequestFor(e, ["unsubscribe"])) counts.push({ metric: "unsubscribed", dims });
    }
    const came = this.#inputs.get(ctx.afterCommit);
    const from = came?.from;
    const moved = to?.flow !== from?.flow || to?.node !== from?.node;
    if (from && moved) {
      const answer = this.#homeAnswer(from, came.input, step.state);
      if (answer) counts.push({ metric: "home_answer", dims: { ...dims, topic: topicOfFlow.get(from.flow) ?? from.flow, option: answer } });
    }
    if (to?.flow === RELATIONSHIP_CHECK.flow && moved) {
      if (to.node === RELATIONSHIP_CHECK.first) counts.push({ metric: "relationship_check_started", dims });
      const results: readonly string[] = RELATIONSHIP_CHECK.results;
      const last: readonly string[] = RELATIONSHIP_CHECK.last;
      if (results.includes(to.node) && from?.flow === RELATIONSHIP_CHECK.flow && last.includes(from.node)) counts.push({ metric: "relationship_check_finished", dims });
    }
    // Counted once they are past the first questions (language, neighbourhood), so the count has them;
    // someone who leaves before answering was not really reached.
    const batch = this.#collected(ctx.batch);
    if (to?.flow !== ONBOARDING_FLOW) batch.active.push({ residentId: ctx.residentId, at: ctx.now, insightWeek: ctx.insightWeek, insightMonth: ctx.insightMonth, dims });
    if (counts.length > 0) batch.counts.push({ at: ctx.now, counts });
  }

  /** Writes what the transaction's steps counted: the residents' weeks in one update, the counters in one upsert. */
  async finish(db: Prisma.TransactionClient, token: object): Promise<void> {
    const batch = this.#batches.get(token);
    if (!batch) return;
    this.#batches.delete(token);
    const active = await this.counters.residentsActive(db, batch.active);
    const byTime = new Map<number, { at: Date; counts: InsightCount[] }>();
    for (const c of [...active, ...batch.counts]) {
      const b = byTime.get(c.at.getTime()) ?? { at: c.at, counts: [] };
      b.counts.push(...c.counts);
      byTime.set(c.at.getTime(), b);
    }
    for (const b of byTime.values()) await this.counters.count(db, b.at, b.counts);
  }

  #collected(token: object): Collected {
    let batch = this.#batches.get(token);
    if (!batch) {
      batch = { active: [], counts: [] };
      this.#batches.set(token, batch);
    }
    return batch;
  }

  /** Which answer to the home question moved the resident on: the tapped choice, else where the step went. */
  #homeAnswer(from: Position, input: DeskInput, after: SessionState): string | undefined {
    const choices = this.#home.get(`${from.flow}/${from.node}`);
    if (!choices) return undefined;
    if (input.kind === "choice") {
      const p = decodePayload(input.payload);
      if (p?.kind === "choice" && p.flow === from.flow && p.node === from.node) return choices.some((c) => c.id === p.choice) ? p.choice : undefined;
    }
    const to = after.at;
    if (!to) return undefined;
    const last = after.history.at(-1);
    const passed = to.flow === from.flow ? [to.node, ...(last && last.flow === to.flow && last.node === to.node ? (last.via ?? []) : [])] : [];
    for (const c of choices) {
      if (c.go.kind === "flow" ? c.go.flow === to.flow : c.go.kind === "node" && passed.includes(c.go.node)) return c.id;
    }
    return undefined;
  }
}
