import type { EngineContent, EngineInput, StepResult } from "./engine-content.js";
import { InputRouter, takesText } from "./input-routing.js";
import { Navigation } from "./navigation.js";
import { beginRun, readRun, visitOf } from "./step-run.js";
import { upgradeState } from "./session-state.js";

export type { EngineContent, EngineInput, StepResult } from "./engine-content.js";
export { choicePayload, SAFETY_PAYLOAD, TALK_PAYLOAD } from "./payload.js";
export { qualifyKey } from "./qualify-key.js";

/**
 * The flow engine: given a session state and what the resident did, returns the new state and the
 * events to act on. Pure: no I/O, no clock (the time is an argument), no randomness. What an input means
 * is input-routing.ts, moving through the flows navigation.ts, what a node does node-actions.ts.
 */
export class FlowEngine {
  readonly #nav: Navigation;
  readonly #router: InputRouter;

  constructor(readonly content: EngineContent) {
    this.#nav = new Navigation(content);
    this.#router = new InputRouter(content, this.#nav);
  }

  /**
   * Handles one input. Global intents come first, then the timeout, then the current wait's router.
   * `languageHint` (a platform's language tag, already mapped to ours) pre-selects the language on first contact.
   */
  step(stored: unknown, input: EngineInput, now: Date, languageHint?: string): StepResult {
    const run = beginRun(this.content, stored, now);
    this.#router.route(run, input, languageHint);
    return { state: run.state, events: run.events };
  }

  /**
   * Starts a flow for a reason the engine cannot see (a verified key figure asked for the activity
   * flow); like a global intent, `end` comes back to where the resident was.
   */
  enter(stored: unknown, flowId: string, now: Date): StepResult {
    const run = beginRun(this.content, stored, now);
    this.#nav.flow(flowId);
    this.#nav.call(run, flowId);
    return { state: run.state, events: run.events };
  }

  /** Ends the flow the resident is in as if it reached `end` (the service found nothing to offer). */
  finish(stored: unknown, now: Date): StepResult {
    const run = beginRun(this.content, stored, now);
    this.#nav.end(run);
    return { state: run.state, events: run.events };
  }

  /**
   * The service found nobody for `topic`: the talk flow's "nobody" path (said once, with what else helps),
   * and for the rest of the visit no choice offers a person for this topic again, so nothing loops.
   * `rememberForVisit: false` when only someone else than an earlier professional was looked for: the
   * topic's own offer still leads to that one.
   */
  nobodyFound(stored: unknown, topic: string, now: Date, opts: { rememberForVisit?: boolean } = {}): StepResult {
    const run = beginRun(this.content, stored, now);
    const visit = visitOf(run);
    if (opts.rememberForVisit !== false && !visit.noPerson.includes(topic)) run.state.visit = { ...visit, noPerson: [...visit.noPerson, topic].slice(-16) };
    const talk = this.#nav.startOf(this.content.entry.talkNone);
    // The question the service did not let the resident see is not one "back" returns to.
    const at = run.state.at;
    const top = run.state.history.at(-1);
    if (at?.flow === talk.flow && top && top.flow === at.flow && top.node === at.node) run.state.history = run.state.history.slice(0, -1);
    this.#nav.goTo(run, talk);
    return { state: run.state, events: run.events };
  }

  /**
   * The resident did something a service answered by itself (a check-in answer): they stay at the same
   * question, the visit goes on, and the engine says nothing.
   */
  stay(stored: unknown, now: Date): StepResult {
    const run = beginRun(this.content, stored, now);
    if (run.state.at) run.state.waitingSince = run.nowIso;
    return { state: run.state, events: [] };
  }

  /**
   * Whether this input answers the wait the resident is at: a choice, its number or label, or text its
   * text router takes. A service asks before giving typed text another meaning (a reply to a professional).
   */
  answersWait(stored: unknown, input: EngineInput, now: Date, opts: { choicesOnly?: boolean; wholeMessage?: boolean } = {}): boolean {
    const state = upgradeState(stored);
    if (!state.at || !this.#nav.exists(state.at)) return false;
    const { flow, node } = this.#nav.resolve(state.at);
    const wait = node.wait;
    if (!wait) return false;
    const run = readRun(state, now);
    if (this.#router.match(run, flow, node, input, opts.wholeMessage)) return true;
    if (opts.choicesOnly) return false;
    return input.kind === "text" && takesText(wait, input.text);
  }

  /** The message and choices of the wait the resident is at, for paging or a re-render. */
  prompt(stored: unknown, now: Date): StepResult {
    const run = beginRun(this.content, stored, now);
    const state = run.state;
    if (state.at) {
      const { flow, node } = this.#nav.resolve(state.at);
      this.#nav.reprompt(run, flow, node, undefined);
    }
    return { state: run.state, events: run.events };
  }
}
