import { SERVICE_FLOWS } from "../content/content.js";
import type { FlowEngine, StepResult } from "../engine/engine.js";
import { normalizeText } from "../engine/lexicon.js";
import type { EngineEvent, MessageEvent, RequestArgs, TextEvent } from "../engine/events.js";
import { decodePayload, encodePayload } from "../engine/payload.js";
import type { SessionState } from "../engine/session-state.js";
import type { Tx } from "../storage/db-client.js";
import type { Translator } from "../i18n/translator.js";
import { isRequestFor, type ConversationDesk, type DeskContext, type DeskInput } from "../conversation/conversation-desk.js";
import { ACTIVITY_REQUESTS } from "./activity-requests.js";
import { subscriptionOf } from "./subscription-request.js";
import { upcomingActivities } from "./activity-feed.js";
import { activityText } from "./activity-text.js";
import { saveChatDraft } from "./chat-draft.js";
import { ChatLinks, parseLinkCommand } from "./chat-link.js";
import { SubscriptionStore, type SubscriptionView } from "./subscription-store.js";

/** A request's text arguments: the answers of a guided flow. */
const textArgs = (args: RequestArgs): Record<string, string> =>
  Object.fromEntries(Object.entries(args).filter((kv): kv is [string, string] => typeof kv[1] === "string"));

/** Whether this chat went through the resident's onboarding (a key figure may use Naast as a resident too). */
const isResident = (state: SessionState) => state.fields.onboarded === true;

/** The conversation at rest: nothing asked, nothing to come back to; the next message starts afresh. */
const idle = (state: SessionState): SessionState => {
  const { at: _at, waitingSince: _since, ...rest } = state;
  return { ...rest, stack: [], misses: 0 };
};

/**
 * The part of a conversation that needs the database: following an organisation, linking a staff
 * member's chat, a key figure's activity command; and, after the engine, subscribing, stopping,
 * listing activities and subscriptions, and saving a key figure's draft. Engine events that need
 * data become plain message events here, so rendering stays the same for every channel.
 */
export class ActivityDesk implements ConversationDesk {
  readonly handles = ACTIVITY_REQUESTS;
  readonly #links = new ChatLinks();
  readonly #subscriptions = new SubscriptionStore();
  /** Words a linked key figure types to send in an activity, in any language (`activities:new_activity_words`). */
  readonly #newActivityWords: ReadonlySet<string>;
  /** Words before a chat link code (`activities:link_words`). */
  readonly #linkWords: readonly string[];

  constructor(
    private readonly engine: FlowEngine,
    private readonly t: Translator,
  ) {
    this.#newActivityWords = new Set(t.words("activities:new_activity_words").map(normalizeText));
    this.#linkWords = t.words("activities:link_words");
  }

  /** Handles an input the engine cannot know about; undefined lets the engine handle it. */
  async before(db: Tx, ctx: DeskContext, input: DeskInput, state: SessionState): Promise<StepResult | undefined> {
    if (input.kind === "choice" && "payload" in input) {
      const payload = decodePayload(input.payload);
      if (payload?.kind !== "follow") return undefined;
      const name = await this.#subscriptions.follow(db, this.#who(ctx), payload.organisationId);
      const lead = name ? { type: "message" as const, key: "activities:followed", params: { organisation: name } } : { type: "message" as const, key: "activities:follow_gone" };
      return this.#withPrompt(lead, state, ctx.now);
    }
    if (input.kind !== "text" || !("text" in input)) return undefined;
    const code = parseLinkCommand(input.text, this.#linkWords);
    if (code) {
      const linked = await this.#links.redeem(db, code, ctx.pseudonym, ctx.now);
      const lead: MessageEvent = linked
        ? { type: "message", key: "activities:linked", params: { name: linked.name, organisation: linked.organisation ?? "Naast" } }
        : { type: "message", key: "activities:link_invalid" };
      // A staff member's own chat that never chose to be a resident here is not walked into onboarding.
      if (linked && !isResident(state)) return { state: idle(state), events: [lead] };
      return this.#withPrompt(lead, state, ctx.now);
    }
    if (this.#newActivityWords.has(normalizeText(input.text))) {
      if (!(await this.#links.keyFigureOf(db, ctx.pseudonym))) return undefined;
      return this.engine.enter(state, SERVICE_FLOWS.activityDraft, ctx.now);
    }
    return undefined;
  }

  /**
   * Acts on the engine's events; the ones that need data come back as messages in their place. After a
   * key figure's activity (saved or cancelled) in a chat that is not a resident's, the conversation rests
   * there: no resident menu or language question after it.
   */
  async after(db: Tx, ctx: DeskContext, step: StepResult): Promise<StepResult> {
    const events = step.events;
    const out: EngineEvent[] = [];
    const staffOnly = !isResident(step.state);
    for (const e of events) {
      if (staffOnly && e.type === "message" && e.key === "activity-draft:cancelled") {
        out.push(e);
        return { state: idle(step.state), events: out };
      }
      if (!isRequestFor(e, ACTIVITY_REQUESTS)) {
        out.push(e);
        continue;
      }
      if (staffOnly && e.name === "activity_draft") {
        out.push(await this.#draft(db, ctx, textArgs(e.args)));
        return { state: idle(step.state), events: out };
      }
      switch (e.name) {
        case "subscribe": {
          const sub = subscriptionOf(e.args);
          if (sub.replaces) await this.#subscriptions.withdraw(db, this.#who(ctx), { topic: sub.topic, neighbourhood: sub.replaces.neighbourhood });
          await this.#subscriptions.subscribe(db, this.#who(ctx), { topic: sub.topic, neighbourhood: sub.neighbourhood });
          out.push(e);
          break;
        }
        case "unsubscribe":
          await this.#subscriptions.stopAll(db, this.#who(ctx));
          out.push(e);
          break;
        case "activities":
          out.push(...(await this.#activities(db, ctx)));
          break;
        case "subscriptions":
          out.push({ type: "text", text: this.#subscriptionsText(await this.#subscriptions.list(db, ctx.residentId), ctx.language) });
          break;
        case "activity_draft":
          out.push(await this.#draft(db, ctx, textArgs(e.args)));
          break;
      }
    }
    return { state: step.state, events: out };
  }

  /**
   * A key figure's activity cancelled in a chat that is not a resident's: the conversation rests there, with
   * nothing after the "cancelled" (no resident menu or language question). `after` does the same for a step
   * that also had requests; here it holds for every step.
   */
  settle(step: StepResult): StepResult {
    if (isResident(step.state)) return step;
    const at = step.events.findIndex((e) => e.type === "message" && e.key === "activity-draft:cancelled");
    if (at < 0) return step;
    return { state: idle(step.state), events: step.events.slice(0, at + 1) };
  }

  #who(ctx: DeskContext) {
    return { residentId: ctx.residentId, channel: ctx.channel, at: ctx.now };
  }

  #withPrompt(lead: MessageEvent, state: SessionState, now: Date): StepResult {
    const prompt = this.engine.prompt(state, now);
    return { state: prompt.state, events: [lead, ...prompt.events] };
  }

  async #activities(db: Tx, ctx: DeskContext): Promise<(MessageEvent | TextEvent)[]> {
    const items = await upcomingActivities(db, { now: ctx.now, language: ctx.language, neighbourhood: ctx.neighbourhood });
    if (items.length === 0) return [{ type: "message", key: "activities:none" }];
    return [
      { type: "message", key: "activities:heading" },
      ...items.map(
        (a): TextEvent => ({
          type: "text",
          text: activityText(a, ctx.language, this.t),
          choices: [{ kind: "key", payload: encodePayload({ kind: "follow", organisationId: a.organisationId }), label: "activities:follow_button" }],
        }),
      ),
    ];
  }

  #subscriptionsText(subs: readonly SubscriptionView[], language: string): string {
    const t = (key: string, params?: Record<string, string>) => this.t.t(language, `activities:${key}`, params);
    if (subs.length === 0) return t("subscriptions_none");
    const lines = subs.map((s) =>
      s.kind === "organisation"
        ? `• ${t("subscription_organisation", { organisation: s.organisation })}`
        : `• ${t("subscription_topic", { topic: t(`topic.${s.topic ?? "all"}`), area: t(`area.${s.neighbourhood ?? "both"}`) })}`,
    );
    return [t("subscriptions_heading"), ...lines].join("\n");
  }

  async #draft(db: Tx, ctx: DeskContext, fields: Record<string, string>): Promise<MessageEvent> {
    const keyFigure = await this.#links.keyFigureOf(db, ctx.pseudonym);
    if (!keyFigure) return { type: "message", key: "activities:link_invalid" };
    const saved = await saveChatDraft(db, keyFigure, fields, ctx.now);
    if (!saved) return { type: "message", key: "activity-draft:cancelled" };
    const key = saved.dateUnclear ? "activities:draft_check_date" : saved.status === "pending" ? "activities:draft_saved_pending" : "activities:draft_saved";
    return { type: "message", key, params: { title: saved.title } };
  }
}
