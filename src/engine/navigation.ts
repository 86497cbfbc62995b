import { FlowError } from "./engine-error.js";
import type { EngineContent } from "./engine-content.js";
import type { MessageEvent, OfferedChoice } from "./events.js";
import type { Choice, Exit, Flow, FlowNode } from "./flow-schema.js";
import { act, retold, tells } from "./node-actions.js";
import { choicePayload, TALK_PAYLOAD } from "./payload.js";
import { qualifyKey } from "./qualify-key.js";
import type { Position, SessionState } from "./session-state.js";
import { hasLanguage, setField, visitOf, type Run } from "./step-run.js";

/** The label of "talk to someone", offered beside the choices when Naast did not follow a typed sentence. */
export const TALK_LABEL = "common:talk_person";

/** Node entries allowed in one step before the engine calls it a loop. */
const MAX_HOPS = 64;

/**
 * Moving through the flows: entering a node (its actions, then its exit), following an exit (`node`,
 * `@flow/node`, `end`, `stop`), calling a flow that returns, waiting at a question, asking it again,
 * "back" and "menu". Knows flows and positions, not what an input meant (input-routing.ts).
 */
export class Navigation {
  /** Each choice as offered (payload and label key), made once: a choice belongs to one node of one flow. */
  readonly #offers = new WeakMap<Choice, OfferedChoice>();

  /** Each flow's nodes by id (the first of an id, as a search from the start finds it), made once a flow. */
  readonly #nodes = new WeakMap<Flow, ReadonlyMap<string, FlowNode>>();

  constructor(readonly content: EngineContent) {}

  /** The node of `flow` with this id, if any. */
  nodeOf(flow: Flow, id: string): FlowNode | undefined {
    let byId = this.#nodes.get(flow);
    if (!byId) {
      const map = new Map<string, FlowNode>();
      for (const n of flow.nodes) if (!map.has(n.id)) map.set(n.id, n);
      this.#nodes.set(flow, (byId = map));
    }
    return byId.get(id);
  }

  /**
   * Takes an exit of a node in `flow`: a node of it, `@flow` or `@flow/node` (into the menu clears what waits to be
   * returned to; into safety counts as the emergency shown; into a `returns` flow remembers where the resident was),
   * `end` or `stop`.
   */
  follow(run: Run, flow: Flow, target: Exit): void {
    switch (target.kind) {
      case "end":
        this.end(run, flow);
        return;
      case "stop":
        run.state.at = undefined;
        run.state.waitingSince = undefined;
        run.state.stack = [];
        return;
      case "node":
        this.goTo(run, { flow: flow.flow, node: target.node });
        return;
      case "flow":
        this.#enter(run, target);
        return;
    }
  }

  /** Into another flow (see `follow`). */
  #enter(run: Run, target: Extract<Exit, { kind: "flow" }>): void {
    const next = this.flow(target.flow);
    const position = { flow: next.flow, node: target.node ?? next.nodes[0]!.id };
    // The menu is home: nothing is waiting to be returned to from there. A resident who came in with
    // words of danger or a hint and never went through onboarding goes there first (the privacy notice,
    // the language check, the neighbourhood).
    if (next.flow === this.content.entry.menu) {
      run.state.stack = [];
      if (!(hasLanguage(run) && run.state.fields.onboarded === true)) {
        this.goTo(run, this.startOf(this.content.entry.onboarding));
        return;
      }
    }
    // Every way into the safety flow counts as an emergency shown, once per step.
    if (next.flow === this.content.entry.safety && !run.events.some((e) => e.type === "emergency")) {
      run.events.push({ type: "emergency", via: "choice" });
    }
    if (next.returns) {
      if (run.state.at && run.state.at.flow !== next.flow) {
        run.state.stack = [...run.state.stack, run.state.at].slice(-8);
      }
    }
    this.goTo(run, position);
  }

  /** `from` is the flow that ended; a `retell` flow has the place it returns to told again in full. */
  end(run: Run, from?: Flow): void {
    const resume = run.state.stack.at(-1);
    if (resume) run.state.stack = run.state.stack.slice(0, -1);
    if (resume && this.exists(resume)) {
      const { flow, node } = this.resolve(resume);
      // Forget the called flow's questions: "back" from here goes to what came before the call.
      const h = run.state.history;
      const at = h.findLastIndex((p) => p.flow === resume.flow && p.node === resume.node);
      if (at >= 0) run.state.history = h.slice(0, at + 1);
      run.state.misses = 0;
      this.reprompt(run, flow, node, undefined, false, from?.retell ? { via: h[at]?.via ?? [] } : undefined);
      return;
    }
    // Nothing ends in a dead end: with nowhere to return to, the resident lands on the menu.
    run.state.at = undefined;
    run.state.waitingSince = undefined;
    const { entry } = this.content;
    const onboarded = hasLanguage(run) && run.state.fields.onboarded === true;
    this.goTo(run, this.startOf(onboarded ? entry.menu : entry.onboarding));
  }

  /** Enters a node: its actions, then its exit. `again`: the resident went back to it ("back"), so a once-a-visit question is asked again. */
  goTo(run: Run, position: Position, opts: { again?: boolean } = {}): void {
    run.hops += 1;
    const { flow, node } = this.resolve(position);
    if (run.hops > MAX_HOPS) throw new FlowError(flow.flow, node.id, `more than ${MAX_HOPS} steps without waiting; is there a loop?`);
    if (node.once && !opts.again) {
      const visit = visitOf(run);
      if (visit.asked.includes(node.once.key)) {
        this.follow(run, flow, node.once.else);
        return;
      }
      run.state.visit = { ...visit, asked: [...visit.asked, node.once.key].slice(-16) };
    }
    if (node.id === flow.nodes[0]!.id) run.events.push({ type: "flow_entered", flow: flow.flow });
    if (!node.wait && node.actions.some(retold)) run.via.push(`${flow.flow}/${node.id}`);

    for (const action of node.actions) act(run, flow, action);

    if (node.wait) {
      this.wait(run, flow, node);
      return;
    }
    if (node.branch) {
      this.follow(run, flow, this.#branch(run, node));
      return;
    }
    if (node.go) {
      this.follow(run, flow, node.go);
      return;
    }
    this.end(run, flow);
  }

  /** Enters a flow (or `flow/node`) that returns: remember the wait we are at, so `end` comes back to it. */
  call(run: Run, target: string): void {
    const flowId = target.split("/")[0]!;
    const at = run.state.at;
    if (at && at.flow !== flowId) {
      run.state.stack = [...run.state.stack.filter((p) => p.flow !== at.flow || p.node !== at.node), at].slice(-8);
    }
    this.goTo(run, this.startOf(target));
  }

  /** The choices as offered: without a person for a topic nobody could be found for this visit (unless nothing else is left). */
  shown(run: Run, flow: Flow, choices: readonly Choice[]): readonly Choice[] {
    const none = run.state.visit?.noPerson ?? [];
    if (none.length === 0) return choices;
    const kept = choices.filter((c) => {
      const topic = this.#talkTopic(flow, c.go);
      return topic === undefined || !none.includes(topic);
    });
    return kept.length > 0 ? kept : choices;
  }

  /** Attaches the wait's choices to the last message said in this step, or to `fallbackKey`; `talk` adds "talk to someone". */
  attachChoices(run: Run, flow: Flow, node: FlowNode, fallbackKey: string | undefined, talk = false): void {
    const choices = this.#offered(run, flow, node);
    const noPerson = run.state.visit?.noPerson.includes(flow.topic ?? this.content.talkTopic.fallback) ?? false;
    if (talk && !noPerson && !choices.some((c) => c.label === TALK_LABEL)) choices.push({ kind: "key", payload: TALK_PAYLOAD, label: TALK_LABEL });
    const last = run.events.length > 0 ? run.events[run.events.length - 1] : undefined;
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

  /** The resident now waits at this node: its choices go under what was just said. */
  wait(run: Run, flow: Flow, node: FlowNode): void {
    this.#arrive(run, flow, node);
    run.state.misses = 0;
    this.attachChoices(run, flow, node, undefined);
  }

  /**
   * Asks the current question again: its texts (not its other actions) and its choices. `retell` tells it in
   * full: first what the nodes in `via` (of the same flow, passed on the way to it) said and showed, and what
   * only reads again (requests marked `rereads`, such as the activities list).
   */
  reprompt(run: Run, flow: Flow, node: FlowNode, shortKey: string | undefined, talk = false, retell?: { via: readonly string[] }): void {
    this.#arrive(run, flow, node);
    if (shortKey) {
      // Right after an apology the choices go under it; otherwise under a short "choose" line.
      this.attachChoices(run, flow, node, shortKey, talk);
      return;
    }
    const told = retell ? retold : tells;
    for (const id of retell?.via ?? []) {
      for (const action of this.nodeOf(flow, id)?.actions ?? []) if (told(action)) act(run, flow, action);
    }
    for (const action of node.actions) if (told(action)) act(run, flow, action);
    this.attachChoices(run, flow, node, undefined);
  }

  /** The flow with this id; a FlowError when there is none. */
  flow(id: string): Flow {
    const f = this.content.flows.get(id);
    if (!f) throw new FlowError(id, undefined, "no such flow");
    return f;
  }

  /** Where `flow` (its first node) or `flow/node` starts. */
  startOf(target: string): Position {
    const [flowId, nodeId] = target.split("/") as [string, string | undefined];
    return { flow: flowId, node: nodeId ?? this.flow(flowId).nodes[0]!.id };
  }

  /** Whether a stored position still exists (a flow file may have changed since). */
  exists(p: Position): boolean {
    const flow = this.content.flows.get(p.flow);
    return flow !== undefined && this.nodeOf(flow, p.node) !== undefined;
  }

  /** The flow and node of a position; a FlowError when either is gone. */
  resolve(p: Position): { flow: Flow; node: FlowNode } {
    const flow = this.flow(p.flow);
    const node = this.nodeOf(flow, p.node);
    if (!node) throw new FlowError(flow.flow, p.node, "no such node");
    return { flow, node };
  }

  /**
   * First contact, or a resident with nowhere to be: the menu when onboarded, else onboarding. `hint` (the
   * platform's language) pre-selects the language, but onboarding still asks whether it is right.
   */
  start(run: Run, hint: string | undefined): void {
    const { entry, languages } = this.content;
    run.state.stack = [];
    if (!hasLanguage(run) && hint && languages.includes(hint)) {
      setField(run, "language", hint);
    }
    // A hint alone is not a choice: onboarding still asks "is this language OK?".
    const onboarded = hasLanguage(run) && run.state.fields.onboarded === true;
    this.goTo(run, this.startOf(onboarded ? entry.menu : entry.onboarding));
  }

  #branch(run: Run, node: FlowNode): Exit {
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

  #offered(run: Run, flow: Flow, node: FlowNode): OfferedChoice[] {
    return this.shown(run, flow, node.wait?.choices ?? []).map((c) => {
      let offer = this.#offers.get(c);
      if (!offer) {
        offer = { kind: "key", payload: choicePayload(flow.flow, node.id, c.id), label: qualifyKey(flow, c.label) };
        this.#offers.set(c, offer);
      }
      // A fresh object each time: events belong to whoever receives them.
      return { ...offer };
    });
  }

  /** The topic an exit leads to when it leads to the talk flow (a `set` of the talk topic field on the way), else undefined. */
  #talkTopic(flow: Flow, target: Exit): string | undefined {
    const talk = this.content.entry.talk;
    let here = flow;
    let go = target;
    let topic: string | undefined;
    for (let i = 0; i < 4; i++) {
      if (go.kind === "end" || go.kind === "stop") return undefined;
      const [flowId, nodeId] = go.kind === "flow" ? [go.flow, go.node] : [here.flow, go.node];
      if (flowId === talk) return topic ?? here.topic ?? this.content.talkTopic.fallback;
      const next = this.content.flows.get(flowId);
      const node = next ? this.nodeOf(next, nodeId ?? next.nodes[0]!.id) : undefined;
      if (!next || !node || node.wait || node.branch || !node.go) return undefined;
      for (const a of node.actions) if (a.kind === "set" && a.set === this.content.talkTopic.field && typeof a.value === "string") topic = a.value;
      here = next;
      go = node.go;
    }
    return undefined;
  }

  /** The resident is now at this wait: remember it for "back" and for timeouts. */
  #arrive(run: Run, flow: Flow, node: FlowNode): void {
    const flowId = flow.flow;
    const nodeId = node.id;
    run.state.at = { flow: flowId, node: nodeId };
    run.state.waitingSince = run.nowIso;
    let h = run.state.history;
    // What happened here cannot be undone: "back" skips the questions of this flow that led here.
    if (node.final) h = h.filter((p) => p.flow !== flowId);
    const top = h.length > 0 ? h[h.length - 1] : undefined;
    if (!top || top.flow !== flowId || top.node !== nodeId) {
      // The fields are replaced, never changed, so the snapshot can share them.
      const fields = run.state.fields;
      let entry: SessionState["history"][number] = { flow: flowId, node: nodeId, fields };
      if (run.via.length > 0) {
        const prefix = `${flowId}/`;
        const via: string[] = [];
        for (const p of run.via) if (p.startsWith(prefix)) via.push(p.slice(prefix.length));
        if (via.length > 0) entry = { flow: flowId, node: nodeId, fields, via: via.slice(-8) };
      }
      // The last ten, this one included.
      const next = h.slice(h.length >= 10 ? h.length - 9 : 0);
      next.push(entry);
      h = next;
    }
    if (run.via.length > 0) run.via = [];
    run.state.history = h.length > 10 ? h.slice(-10) : h;
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

  /** "Menu": home, with nothing left to return to (onboarding first for a resident without a language). */
  goHome(run: Run): void {
    const { entry } = this.content;
    run.state.stack = [];
    this.goTo(run, this.startOf(hasLanguage(run) && run.state.fields.onboarded === true ? entry.menu : entry.onboarding));
  }

  /** "Back": the question before this one, with the answers given since undone; the menu when there is none. */
  goBack(run: Run): void {
    // The last wait is the one we are at; the one before it is where "back" goes.
    const previous = run.state.history.at(-2);
    run.state.history = run.state.history.slice(0, -2);
    if (previous && this.exists(previous)) {
      // Going back undoes the answers given since (a score is not counted twice); the language stays.
      if (previous.fields) run.state.fields = { ...previous.fields, ...this.#profile(run) };
      this.goTo(run, { flow: previous.flow, node: previous.node }, { again: true });
    } else {
      run.state.stack = [];
      this.goTo(run, this.startOf(this.content.entry.menu));
    }
  }
}
