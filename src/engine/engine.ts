import { FlowError } from "./engine-error.js";
import type { EngineEvent, MessageEvent, OfferedChoice, RequestArgs } from "./events.js";
import { durationMs, type Action, type Choice, type EmitAction, type Flow, type FlowNode } from "./flow-schema.js";
import { normalizeText, type GlobalIntent, type Lexicon } from "./lexicon.js";
import { decodePayload, encodePayload } from "./payload.js";
import type { Recognition, Recognizer } from "./recognition/recognizer.js";
import { type Position, type SessionState, upgradeState, type Visit } from "./session-state.js";

/** What the resident did. `choice` carries a payload the engine made earlier. */
export type EngineInput =
  | { kind: "text"; text: string }
  | { kind: "choice"; payload: string }
  | { kind: "start"; languageHint?: string | undefined }
  | { kind: "unsupported"; what: string };

/** Flows and words the engine runs on; all plain data, loaded by the caller. */
export type EngineContent = {
  flows: ReadonlyMap<string, Flow>;
  lexicon: Lexicon;
  /** Reads danger, crisis, hints and topics in the resident's own words, in every language at once. */
  recognizer: Recognizer;
  /** A translated string, or undefined when the key is missing; used to match typed labels. */
  translate: (language: string, key: string) => string | undefined;
  languages: readonly string[];
  defaultLanguage: string;
  /**
   * Flows the engine itself starts (`flow` or `flow/node`): `safetyAndCrisis` when danger and thoughts of
   * suicide come together, `talk` when the resident asks for a person.
   */
  entry: {
    onboarding: string;
    menu: string;
    safety: string;
    safetyAndCrisis: string;
    crisis: string;
    hint: string;
    talk: string;
    /** Where the talk flow goes when the service finds nobody for the topic (`flow/node`). */
    talkNone: string;
    language: string;
    erase: string;
    unsubscribe: string;
    welcomeBack: string;
  };
  /**
   * How the talk flow learns whose help is asked for: `field` carries the topic into it ("talk to someone"
   * sets it, and a `set` of it on the way there names it), `fallback` when the flow the resident is in has none.
   */
  talkTopic: { field: string; fallback: string };
  /** The flow of each practical topic a typed word can lead to. */
  topics: Readonly<Record<string, string>>;
  /** A resident silent this long (ms) is welcomed back and asked to go on or start over. */
  welcomeBackAfterMs: number;
};

/** The result of one step: the new state and what should happen. */
export type StepResult = { state: SessionState; events: EngineEvent[] };

/** The payload a tap on this choice sends back (`c|flow|node|choice`; see payload.ts). */
export function choicePayload(flow: string, node: string, choice: string): string {
  return encodePayload({ kind: "choice", flow, node, choice });
}

/** The payload of the always-present safety choice. */
export const SAFETY_PAYLOAD = encodePayload({ kind: "global", intent: "emergency" });

/** "Talk to someone": offered beside the choices when Naast did not follow a typed sentence. */
export const TALK_PAYLOAD = encodePayload({ kind: "global", intent: "talk" });
const TALK_LABEL = "common:talk_person";

/** Node entries allowed in one step before the engine calls it a loop. */
const MAX_HOPS = 64;

/** The i18n key with its namespace: `intro` in flow money is `money:intro`. */
export function qualifyKey(flow: Flow, key: string): string {
  return key.includes(":") ? key : `${flow.namespace ?? flow.flow}:${key}`;
}

type Run = {
  state: SessionState;
  events: EngineEvent[];
  hops: number;
  now: Date;
  recognition?: Recognition;
  /** Nodes passed without waiting since the last wait in this step, as `flow/node`. */
  via: string[];
};


/**
 * The flow engine: given a session state and what the resident did, returns the new state and the
 * events to act on. Pure: no I/O, no clock (the time is an argument), no randomness.
 */
export class FlowEngine {
  constructor(readonly content: EngineContent) {}

  /**
   * Handles one input. Global intents come first, then the timeout, then the current wait's router.
   * `languageHint` (a platform's language tag, already mapped to ours) pre-selects the language on first contact.
   */
  step(stored: unknown, input: EngineInput, now: Date, languageHint?: string): StepResult {
    const run = this.#begin(stored, now);
    const state = run.state;

    if (input.kind === "start") {
      this.#start(run, input.languageHint ?? languageHint);
      return { state: run.state, events: run.events };
    }

    const intent = this.#intentOf(run, input);
    if (intent) {
      this.#global(run, intent, input);
      return { state: run.state, events: run.events };
    }

    const at = state.at;
    if (!at) {
      this.#start(run, languageHint);
      return { state: run.state, events: run.events };
    }
    const { flow, node } = this.#resolve(at);
    const wait = node.wait;
    if (!wait) {
      // The flow file changed under a waiting resident; start from the menu rather than fail.
      this.#goTo(run, { flow: this.content.entry.menu, node: this.#flow(this.content.entry.menu).nodes[0]!.id });
      return { state: run.state, events: run.events };
    }
    const since = state.waitingSince ? Date.parse(state.waitingSince) : Number.NaN;
    const silentMs = Number.isFinite(since) ? now.getTime() - since : 0;
    if (wait.timeout && silentMs >= durationMs(wait.timeout.after)) {
      this.#follow(run, flow, wait.timeout.go);
      return { state: run.state, events: run.events };
    }
    if (silentMs >= this.content.welcomeBackAfterMs && flow.flow !== this.content.entry.welcomeBack) {
      // Back after days: greet, and offer to go on where they were or start over.
      this.#call(run, this.content.entry.welcomeBack);
      return { state: run.state, events: run.events };
    }

    if (input.kind === "unsupported") {
      this.#say(run, "common:unsupported_input");
      this.#reprompt(run, flow, node, "common:choose_again");
      return { state: run.state, events: run.events };
    }

    const choice = this.#match(run, flow, node, input);
    if (choice) {
      state.misses = 0;
      this.#applyChoice(run, choice);
      this.#follow(run, flow, choice.go);
    } else if (input.kind === "text" && wait.text && (!wait.text.pattern || new RegExp(wait.text.pattern, "u").test(input.text.trim()))) {
      state.misses = 0;
      if (wait.text.save) this.#setField(run, wait.text.save, input.text.slice(0, 500));
      this.#follow(run, flow, wait.text.go);
    } else if (input.kind === "text" && flow.readsSignals && this.#signalOrTopic(run, flow, input.text)) {
      state.misses = 0;
    } else if (wait.other) {
      state.misses = 0;
      this.#follow(run, flow, wait.other);
    } else {
      this.#notMatched(run, flow, node, input);
    }
    return { state: run.state, events: run.events };
  }

  /** Hints get the warm offers; a topic typed anywhere leads to it. True when one of them took over. */
  #signalOrTopic(run: Run, flow: Flow, text: string): boolean {
    const r = this.#recognize(run, text);
    if (r.hint) {
      run.events.push({ type: "hint_offered" });
      this.#call(run, this.content.entry.hint);
      return true;
    }
    const topic = r.topics.map((t) => ({ t, flow: this.content.topics[t] })).find((x) => x.flow !== undefined && x.flow !== flow.flow);
    if (topic?.flow && this.#hasLanguage(run)) {
      run.events.push({ type: "topic_recognised", topic: topic.t });
      this.#follow(run, flow, `@${topic.flow}`);
      return true;
    }
    return false;
  }

  /**
   * Nothing matched. A greeting or thanks gets a friendly word; a sentence gets a short acknowledgement
   * with the choices again and a way to a person; "I don't understand" only for one unknown word, and
   * never twice in a row. After a third miss the resident starts afresh at the menu.
   */
  #notMatched(run: Run, flow: Flow, node: FlowNode, input: EngineInput): void {
    const state = run.state;
    const r = input.kind === "text" ? this.#recognize(run, input.text) : undefined;
    if (r?.smallTalk) {
      state.misses = 0;
      this.#say(run, r.smallTalk === "greeting" ? "common:hello_again" : "common:you_are_welcome");
      this.#reprompt(run, flow, node, "common:choose_again");
      return;
    }
    if (state.misses >= 2) {
      this.#say(run, "common:not_understood_reset");
      run.state.stack = [];
      this.#goTo(run, this.#startOf(this.#hasLanguage(run) ? this.content.entry.menu : this.content.entry.onboarding));
      return;
    }
    state.misses += 1;
    const invalid = node.wait?.text?.invalid;
    // One unknown word, or a number past the last choice: "I don't know that"; a sentence is acknowledged.
    const gibberish = r !== undefined && r.words <= 1 && (!r.known || /^\d+$/u.test(normalizeText(input.kind === "text" ? input.text : "")));
    const key = invalid
      ? qualifyKey(flow, invalid)
      : input.kind === "choice"
        ? "common:old_button"
        : gibberish && state.misses === 1
        ? "common:not_understood"
        : state.misses === 1
          ? "common:ack_free_text"
          : "common:ack_free_text_again";
    this.#say(run, key);
    // The acknowledgement of a sentence offers a person too (its text says so); an unknown word or an old button does not.
    this.#reprompt(run, flow, node, "common:choose_again", this.#hasLanguage(run) && key.startsWith("common:ack_free_text"));
  }

  #recognize(run: Run, text: string): Recognition {
    run.recognition ??= this.content.recognizer.recognize(text);
    return run.recognition;
  }

  /**
   * Starts a flow for a reason the engine cannot see (a verified key figure asked for the activity
   * flow); like a global intent, `end` comes back to where the resident was.
   */
  enter(stored: unknown, flowId: string, now: Date): StepResult {
    const run = this.#begin(stored, now);
    this.#flow(flowId);
    this.#call(run, flowId);
    return { state: run.state, events: run.events };
  }

  /** Ends the flow the resident is in as if it reached `end` (the service found nothing to offer). */
  finish(stored: unknown, now: Date): StepResult {
    const run = this.#begin(stored, now);
    this.#end(run);
    return { state: run.state, events: run.events };
  }

  /**
   * The service found nobody for `topic`: the talk flow's "nobody" path (said once, with what else helps),
   * and for the rest of the visit no choice offers a person for this topic again, so nothing loops.
   * `rememberForVisit: false` when only someone else than an earlier professional was looked for: the
   * topic's own offer still leads to that one.
   */
  nobodyFound(stored: unknown, topic: string, now: Date, opts: { rememberForVisit?: boolean } = {}): StepResult {
    const run = this.#begin(stored, now);
    const visit = this.#visitOf(run);
    if (opts.rememberForVisit !== false && !visit.noPerson.includes(topic)) visit.noPerson = [...visit.noPerson, topic].slice(-16);
    const talk = this.#startOf(this.content.entry.talkNone);
    // The question the service did not let the resident see is not one "back" returns to.
    const at = run.state.at;
    const top = run.state.history.at(-1);
    if (at?.flow === talk.flow && top && top.flow === at.flow && top.node === at.node) run.state.history.pop();
    this.#goTo(run, talk);
    return { state: run.state, events: run.events };
  }

  /**
   * The resident did something a service answered by itself (a check-in answer): they stay at the same
   * question, the visit goes on, and the engine says nothing.
   */
  stay(stored: unknown, now: Date): StepResult {
    const run = this.#begin(stored, now);
    if (run.state.at) run.state.waitingSince = now.toISOString();
    return { state: run.state, events: [] };
  }

  /** A fresh copy of the stored state, with this input counted in the visit. */
  #begin(stored: unknown, now: Date): Run {
    const state = upgradeState(stored); // zod's parse returns fresh objects: the caller's state is never changed
    const run: Run = { state, events: [], hops: 0, now, via: [] };
    const last = state.visit ? Date.parse(state.visit.lastAt) : Number.NaN;
    const away = !Number.isFinite(last) || now.getTime() - last >= this.content.welcomeBackAfterMs;
    state.visit = away || !state.visit ? { lastAt: now.toISOString(), asked: [], noPerson: [] } : { ...state.visit, lastAt: now.toISOString() };
    return run;
  }

  #visitOf(run: Run): Visit {
    run.state.visit ??= { lastAt: run.now.toISOString(), asked: [], noPerson: [] };
    return run.state.visit;
  }

  /**
   * Whether this input answers the wait the resident is at: a choice, its number or label, or text its
   * text router takes. A service asks before giving typed text another meaning (a reply to a professional).
   */
  answersWait(stored: unknown, input: EngineInput, now: Date, opts: { choicesOnly?: boolean; wholeMessage?: boolean } = {}): boolean {
    const state = upgradeState(stored);
    if (!state.at || !this.#exists(state.at)) return false;
    const { flow, node } = this.#resolve(state.at);
    const wait = node.wait;
    if (!wait) return false;
    const run: Run = { state, events: [], hops: 0, now, via: [] };
    if (this.#match(run, flow, node, input, opts.wholeMessage)) return true;
    if (opts.choicesOnly) return false;
    return input.kind === "text" && wait.text !== undefined && (!wait.text.pattern || new RegExp(wait.text.pattern, "u").test(input.text.trim()));
  }

  /** The message and choices of the wait the resident is at, for paging or a re-render. */
  prompt(stored: unknown, now: Date): StepResult {
    const run = this.#begin(stored, now);
    const state = run.state;
    if (state.at) {
      const { flow, node } = this.#resolve(state.at);
      this.#reprompt(run, flow, node, undefined);
    }
    return { state: run.state, events: run.events };
  }

  #intentOf(run: Run, input: EngineInput): GlobalIntent | "emergency-phrase" | "crisis" | undefined {
    if (input.kind === "choice") {
      const payload = decodePayload(input.payload);
      return payload?.kind === "global" ? payload.intent : undefined;
    }
    if (input.kind !== "text") return undefined;
    const intent = this.content.lexicon.intentOf(input.text);
    if (intent) return intent;
    // Danger and thoughts of suicide come first, wherever the resident is.
    const r = this.#recognize(run, input.text);
    return r.danger ? "emergency-phrase" : r.crisis ? "crisis" : undefined;
  }

  #global(run: Run, intent: GlobalIntent | "emergency-phrase" | "crisis", input: EngineInput): void {
    const { entry } = this.content;
    switch (intent) {
      case "emergency":
      case "emergency-phrase": {
        run.events.push({
          type: "emergency",
          via: intent === "emergency-phrase" ? "phrase" : input.kind === "choice" ? "choice" : "keyword",
        });
        const crisisToo = run.recognition?.crisis === true;
        if (crisisToo) run.events.push({ type: "crisis_shown" });
        this.#call(run, crisisToo ? entry.safetyAndCrisis : entry.safety);
        return;
      }
      case "crisis":
        run.events.push({ type: "crisis_shown" });
        this.#call(run, entry.crisis);
        return;
      case "talk": {
        // A person for what the resident is looking at now: the topic of this flow, else general.
        const here = run.state.at ? this.content.flows.get(run.state.at.flow) : undefined;
        this.#setField(run, this.content.talkTopic.field, here?.topic ?? this.content.talkTopic.fallback);
        this.#call(run, entry.talk);
        return;
      }
      case "language":
        this.#call(run, entry.language);
        return;
      case "erase":
        this.#call(run, entry.erase);
        return;
      case "unsubscribe":
        this.#call(run, entry.unsubscribe);
        return;
      case "menu":
        run.state.stack = [];
        this.#goTo(run, this.#startOf(this.#hasLanguage(run) ? entry.menu : entry.onboarding));
        return;
      case "back": {
        const history = run.state.history;
        history.pop(); // the wait we are at
        const previous = history.pop();
        if (previous && this.#exists(previous)) {
          // Going back undoes the answers given since (a score is not counted twice); the language stays.
          if (previous.fields) run.state.fields = { ...previous.fields, ...this.#profile(run) };
          this.#goTo(run, { flow: previous.flow, node: previous.node }, { again: true });
        } else {
          run.state.stack = [];
          this.#goTo(run, this.#startOf(entry.menu));
        }
        return;
      }
    }
  }

  /** Fields that describe the resident rather than an answer in a flow; "back" keeps them. */
  #profile(run: Run): SessionState["fields"] {
    const out: SessionState["fields"] = {};
    for (const k of ["language", "neighbourhood", "onboarded"]) {
      const v = run.state.fields[k];
      if (v !== undefined) out[k] = v;
    }
    return out;
  }

  #hasLanguage(run: Run): boolean {
    return typeof run.state.fields.language === "string";
  }

  #start(run: Run, hint: string | undefined): void {
    const { entry, languages } = this.content;
    run.state.stack = [];
    if (!this.#hasLanguage(run) && hint && languages.includes(hint)) {
      this.#setField(run, "language", hint);
    }
    // A hint alone is not a choice: onboarding still asks "is this language OK?".
    const onboarded = this.#hasLanguage(run) && run.state.fields.onboarded === true;
    this.#goTo(run, this.#startOf(onboarded ? entry.menu : entry.onboarding));
  }

  /** Enters a flow (or `flow/node`) that returns: remember the wait we are at, so `end` comes back to it. */
  #call(run: Run, target: string): void {
    const flowId = target.split("/")[0]!;
    const at = run.state.at;
    if (at && at.flow !== flowId) {
      run.state.stack = [...run.state.stack.filter((p) => p.flow !== at.flow || p.node !== at.node), at].slice(-8);
    }
    this.#goTo(run, this.#startOf(target));
  }

  /** The choice this input picks; `wholeMessage` only when the whole message is a label, keyword or number. */
  #match(run: Run, flow: Flow, node: FlowNode, input: EngineInput, wholeMessage = false): Choice | undefined {
    const all = node.wait?.choices;
    if (!all) return undefined;
    if (input.kind === "choice") {
      const payload = decodePayload(input.payload);
      if (payload?.kind !== "choice" || payload.flow !== flow.flow || payload.node !== node.id) return undefined;
      return all.find((x) => x.id === payload.choice);
    }
    if (input.kind !== "text") return undefined;
    // A typed number counts the choices as shown (without a person nobody could be found for).
    const choices = this.#shown(run, flow, all);
    const typed = normalizeText(input.text);
    if (/^\d{1,2}$/.test(typed)) return choices[Number(typed) - 1];
    const language = this.#language(run);
    const labelOf = (c: Choice) => normalizeText(this.content.translate(language, qualifyKey(flow, c.label)) ?? "");
    const exact = choices.filter((c) => labelOf(c) === typed);
    if (exact.length === 1) return exact[0];
    // A typed sentence that names exactly one choice ("money problems" for "Money").
    const words = ` ${typed} `;
    const named = choices.filter((c) => {
      const label = labelOf(c);
      const extra = (this.content.translate(language, `${qualifyKey(flow, c.label)}_kw`) ?? "")
        .split(",")
        .map(normalizeText)
        .filter((k) => k.length > 0);
      return [label, ...extra].some((k) => (wholeMessage ? k === typed : k.length >= 3 && words.includes(` ${k} `)));
    });
    return named.length === 1 ? named[0] : undefined;
  }

  #applyChoice(run: Run, choice: Choice): void {
    for (const [field, value] of Object.entries(choice.set ?? {})) this.#setField(run, field, value);
    for (const [field, n] of Object.entries(choice.add ?? {})) {
      const prior = run.state.fields[field];
      this.#setField(run, field, (typeof prior === "number" ? prior : 0) + n);
    }
  }

  #setField(run: Run, field: string, value: string | number | boolean): void {
    run.state.fields[field] = value;
    run.events.push({ type: "field_set", field, value });
  }

  #language(run: Run): string {
    const l = run.state.fields.language;
    return typeof l === "string" && this.content.languages.includes(l) ? l : this.content.defaultLanguage;
  }

  #say(run: Run, key: string, params?: Record<string, string>): void {
    const e: MessageEvent = { type: "message", key };
    if (params) e.params = params;
    run.events.push(e);
  }

  #follow(run: Run, flow: Flow, target: string): void {
    if (target === "end") {
      this.#end(run, flow);
      return;
    }
    if (target === "stop") {
      run.state.at = undefined;
      run.state.waitingSince = undefined;
      run.state.stack = [];
      return;
    }
    if (target.startsWith("@")) {
      const [flowId, nodeId] = target.slice(1).split("/");
      const next = this.#flow(flowId!);
      const position = { flow: next.flow, node: nodeId ?? next.nodes[0]!.id };
      // The menu is home: nothing is waiting to be returned to from there.
      if (next.flow === this.content.entry.menu) run.state.stack = [];
      // Every way into the safety flow counts as an emergency shown, once per step.
      if (next.flow === this.content.entry.safety && !run.events.some((e) => e.type === "emergency")) {
        run.events.push({ type: "emergency", via: "choice" });
      }
      if (next.returns) {
        if (run.state.at && run.state.at.flow !== next.flow) {
          run.state.stack = [...run.state.stack, run.state.at].slice(-8);
        }
      }
      this.#goTo(run, position);
      return;
    }
    this.#goTo(run, { flow: flow.flow, node: target });
  }

  /** `from` is the flow that ended; a `retell` flow has the place it returns to told again in full. */
  #end(run: Run, from?: Flow): void {
    const resume = run.state.stack.pop();
    if (resume && this.#exists(resume)) {
      const { flow, node } = this.#resolve(resume);
      // Forget the called flow's questions: "back" from here goes to what came before the call.
      const h = run.state.history;
      const at = h.map((p) => p.flow === resume.flow && p.node === resume.node).lastIndexOf(true);
      if (at >= 0) h.splice(at + 1);
      run.state.misses = 0;
      this.#reprompt(run, flow, node, undefined, false, from?.retell ? { via: h[at]?.via ?? [] } : undefined);
      return;
    }
    // Nothing ends in a dead end: with nowhere to return to, the resident lands on the menu.
    run.state.at = undefined;
    run.state.waitingSince = undefined;
    const { entry } = this.content;
    const onboarded = this.#hasLanguage(run) && run.state.fields.onboarded === true;
    this.#goTo(run, this.#startOf(onboarded ? entry.menu : entry.onboarding));
  }

  /** Enters a node: its actions, then its exit. `again`: the resident went back to it ("back"), so a once-a-visit question is asked again. */
  #goTo(run: Run, position: Position, opts: { again?: boolean } = {}): void {
    run.hops += 1;
    const { flow, node } = this.#resolve(position);
    if (run.hops > MAX_HOPS) throw new FlowError(flow.flow, node.id, `more than ${MAX_HOPS} steps without waiting; is there a loop?`);
    if (node.once && !opts.again) {
      const visit = this.#visitOf(run);
      if (visit.asked.includes(node.once.key)) {
        this.#follow(run, flow, node.once.else);
        return;
      }
      visit.asked = [...visit.asked, node.once.key].slice(-16);
    }
    if (node.id === flow.nodes[0]!.id) run.events.push({ type: "flow_entered", flow: flow.flow });
    if (!node.wait && node.actions.some((a) => a.kind === "say" || a.kind === "show" || (a.kind === "emit" && a.rereads))) run.via.push(`${flow.flow}/${node.id}`);

    for (const action of node.actions) this.#act(run, flow, action);

    if (node.wait) {
      this.#wait(run, flow, node);
      return;
    }
    if (node.branch) {
      this.#follow(run, flow, this.#branch(run, node));
      return;
    }
    if (node.go) {
      this.#follow(run, flow, node.go);
      return;
    }
    this.#end(run, flow);
  }

  /** One action of a node: something to say or show, a field to change, or a request for the service. */
  #act(run: Run, flow: Flow, action: Action): void {
    switch (action.kind) {
      case "say":
        this.#say(run, qualifyKey(flow, action.say), this.#params(run, action.params));
        return;
      case "show":
        run.events.push({ type: "card", id: action.show });
        return;
      case "set":
        this.#setField(run, action.set, action.value);
        return;
      case "clear":
        delete run.state.fields[action.clear];
        run.events.push({ type: "field_set", field: action.clear, value: null });
        return;
      case "emergency":
        if (!run.events.some((e) => e.type === "emergency")) run.events.push({ type: "emergency", via: "flow" });
        return;
      case "emit":
        run.events.push({ type: "requested", name: action.emit, args: this.#args(run, action) });
        return;
    }
  }

  /** A request's arguments: `$field` values read now (a field not set is left out), then the collected fields. */
  #args(run: Run, action: EmitAction): RequestArgs {
    const args: RequestArgs = {};
    for (const [k, v] of Object.entries(action.args)) {
      if (typeof v !== "string" || !v.startsWith("$")) args[k] = v;
      else {
        const field = run.state.fields[v.slice(1)];
        if (field !== undefined) args[k] = field;
      }
    }
    const prefix = action.collect;
    if (prefix) {
      // Handed over once and then forgotten (a key figure's answers); only text answers are collected.
      for (const [k, v] of Object.entries(run.state.fields)) {
        if (k.startsWith(prefix) && typeof v === "string") {
          args[k.slice(prefix.length)] = v;
          delete run.state.fields[k];
        }
      }
    }
    return args;
  }

  #branch(run: Run, node: FlowNode): string {
    const b = node.branch!;
    const v = run.state.fields[b.field];
    for (const c of b.cases) {
      if (c.equals !== undefined && v !== c.equals) continue;
      if (c.exists !== undefined && (v !== undefined) !== c.exists) continue;
      if (c.gte !== undefined && !(typeof v === "number" && v >= c.gte)) continue;
      if (c.lte !== undefined && !(typeof v === "number" && v <= c.lte)) continue;
      return c.go;
    }
    return b.default;
  }

  #params(run: Run, params: Record<string, string> | undefined): Record<string, string> | undefined {
    if (!params) return undefined;
    const out: Record<string, string> = {};
    for (const [k, v] of Object.entries(params)) {
      out[k] = v.startsWith("$") ? String(run.state.fields[v.slice(1)] ?? "") : v;
    }
    return out;
  }

  #offered(run: Run, flow: Flow, node: FlowNode): OfferedChoice[] {
    return this.#shown(run, flow, node.wait?.choices ?? []).map((c) => ({
      kind: "key" as const,
      payload: choicePayload(flow.flow, node.id, c.id),
      label: qualifyKey(flow, c.label),
    }));
  }

  /** The choices as offered: without a person for a topic nobody could be found for this visit (unless nothing else is left). */
  #shown(run: Run, flow: Flow, choices: readonly Choice[]): readonly Choice[] {
    const none = run.state.visit?.noPerson ?? [];
    if (none.length === 0) return choices;
    const kept = choices.filter((c) => {
      const topic = this.#talkTopic(flow, c.go);
      return topic === undefined || !none.includes(topic);
    });
    return kept.length > 0 ? kept : choices;
  }

  /** The handoff topic an exit leads to when it leads to the talk flow (`set: handoff_topic` on the way), else undefined. */
  #talkTopic(flow: Flow, target: string): string | undefined {
    const talk = this.content.entry.talk;
    let here = flow;
    let go = target;
    let topic: string | undefined;
    for (let i = 0; i < 4; i++) {
      if (go === "end" || go === "stop") return undefined;
      const [flowId, nodeId] = go.startsWith("@") ? go.slice(1).split("/") : [here.flow, go];
      if (flowId === talk) return topic ?? here.topic ?? this.content.talkTopic.fallback;
      const next = this.content.flows.get(flowId!);
      const node = next?.nodes.find((n) => n.id === (nodeId ?? next.nodes[0]!.id));
      if (!next || !node || node.wait || node.branch || !node.go) return undefined;
      for (const a of node.actions) if (a.kind === "set" && a.set === this.content.talkTopic.field && typeof a.value === "string") topic = a.value;
      here = next;
      go = node.go;
    }
    return undefined;
  }

  /** Attaches the wait's choices to the last message said in this step, or to `fallbackKey`; `talk` adds "talk to someone". */
  #attachChoices(run: Run, flow: Flow, node: FlowNode, fallbackKey: string | undefined, talk = false): void {
    const choices = this.#offered(run, flow, node);
    const noPerson = run.state.visit?.noPerson.includes(flow.topic ?? this.content.talkTopic.fallback) ?? false;
    if (talk && !noPerson && !choices.some((c) => c.label === TALK_LABEL)) choices.push({ kind: "key", payload: TALK_PAYLOAD, label: TALK_LABEL });
    const last = run.events.at(-1);
    let target: MessageEvent;
    if (last?.type === "message" && !last.choices) {
      target = last;
    } else {
      target = { type: "message", key: fallbackKey ?? "common:choose_again" };
      run.events.push(target);
    }
    if (choices.length > 0) target.choices = choices;
    if (flow.safetyChoice) target.safety = true;
  }

  /** The resident is now at this wait: remember it for "back" and for timeouts. */
  #arrive(run: Run, flow: Flow, node: FlowNode): void {
    const position = { flow: flow.flow, node: node.id };
    run.state.at = position;
    run.state.waitingSince = run.now.toISOString();
    const h = run.state.history;
    // What happened here cannot be undone: "back" skips the questions of this flow that led here.
    if (node.final) h.splice(0, h.length, ...h.filter((p) => p.flow !== flow.flow));
    const top = h.at(-1);
    if (!top || top.flow !== position.flow || top.node !== position.node) {
      const via = run.via.filter((p) => p.startsWith(`${flow.flow}/`)).map((p) => p.slice(flow.flow.length + 1));
      h.push({ ...position, fields: { ...run.state.fields }, ...(via.length > 0 ? { via: via.slice(-8) } : {}) });
    }
    run.via = [];
    if (h.length > 10) h.splice(0, h.length - 10);
  }

  #wait(run: Run, flow: Flow, node: FlowNode): void {
    this.#arrive(run, flow, node);
    run.state.misses = 0;
    this.#attachChoices(run, flow, node, undefined);
  }

  /**
   * Asks the current question again: its texts (not its other actions) and its choices. `retell` tells it in
   * full: first what the nodes in `via` (of the same flow, passed on the way to it) said and showed, and what
   * only reads again (the activities, the handoff preview).
   */
  #reprompt(run: Run, flow: Flow, node: FlowNode, shortKey: string | undefined, talk = false, retell?: { via: readonly string[] }): void {
    this.#arrive(run, flow, node);
    if (shortKey) {
      // Right after an apology the choices go under it; otherwise under a short "choose" line.
      this.#attachChoices(run, flow, node, shortKey, talk);
      return;
    }
    const told = (a: Action) => a.kind === "say" || a.kind === "show" || (retell !== undefined && a.kind === "emit" && a.rereads);
    for (const id of retell?.via ?? []) {
      for (const action of flow.nodes.find((n) => n.id === id)?.actions ?? []) if (told(action)) this.#act(run, flow, action);
    }
    for (const action of node.actions) if (told(action)) this.#act(run, flow, action);
    this.#attachChoices(run, flow, node, undefined);
  }

  #flow(id: string): Flow {
    const f = this.content.flows.get(id);
    if (!f) throw new FlowError(id, undefined, "no such flow");
    return f;
  }

  /** Where `flow` (its first node) or `flow/node` starts. */
  #startOf(target: string): Position {
    const [flowId, nodeId] = target.split("/") as [string, string | undefined];
    return { flow: flowId, node: nodeId ?? this.#flow(flowId).nodes[0]!.id };
  }

  #exists(p: Position): boolean {
    return this.content.flows.get(p.flow)?.nodes.some((n) => n.id === p.node) ?? false;
  }

  #resolve(p: Position): { flow: Flow; node: FlowNode } {
    const flow = this.#flow(p.flow);
    const node = flow.nodes.find((n) => n.id === p.node);
    if (!node) throw new FlowError(flow.flow, p.node, "no such node");
    return { flow, node };
  }
}
