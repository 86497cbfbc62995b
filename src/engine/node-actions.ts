import type { RequestArgs } from "./events.js";
import type { Action, EmitAction, Flow } from "./flow-schema.js";
import { qualifyKey } from "./qualify-key.js";
import { say, setField, withoutFields, type Run } from "./step-run.js";

/**
 * One action of a node: something to say or show, a field to change, the safety message, or a request for
 * the service around the engine (`requested`, with the arguments the flow gives; the engine does not know
 * what a request means).
 */
export function act(run: Run, flow: Flow, action: Action): void {
  switch (action.kind) {
    case "say":
      say(run, qualifyKey(flow, action.say), params(run, action.params));
      return;
    case "show":
      run.events.push({ type: "card", id: action.show });
      return;
    case "set":
      setField(run, action.set, action.value);
      return;
    case "clear":
      run.state.fields = withoutFields(run.state.fields, [action.clear]);
      run.events.push({ type: "field_set", field: action.clear, value: null });
      return;
    case "emergency":
      if (!run.events.some((e) => e.type === "emergency")) run.events.push({ type: "emergency", via: "flow" });
      return;
    case "emit":
      run.events.push({ type: "requested", name: action.emit, args: requestArgs(run, action) });
      return;
  }
}

/** Whether an action tells the resident something (said again when a question is asked again). */
export function tells(action: Action): boolean {
  return action.kind === "say" || action.kind === "show";
}

/** Whether an action is told again when a question is retold in full: a text, a card, or a request that only reads. */
export function retold(action: Action): boolean {
  return tells(action) || (action.kind === "emit" && action.rereads);
}

/** A request's arguments: `$field` values read now (a field not set is left out), then the collected fields. */
function requestArgs(run: Run, action: EmitAction): RequestArgs {
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
    const collected: string[] = [];
    for (const [k, v] of Object.entries(run.state.fields)) {
      if (k.startsWith(prefix) && typeof v === "string") {
        args[k.slice(prefix.length)] = v;
        collected.push(k);
      }
    }
    if (collected.length > 0) run.state.fields = withoutFields(run.state.fields, collected);
  }
  return args;
}

/** A text's parameters: `$field` is the field's value now ("" when not set). */
function params(run: Run, given: Record<string, string> | undefined): Record<string, string> | undefined {
  if (!given) return undefined;
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(given)) {
    out[k] = v.startsWith("$") ? String(run.state.fields[v.slice(1)] ?? "") : v;
  }
  return out;
}
