import type { Flow } from "../engine/flow-schema.js";
import type { SessionState } from "../engine/session-state.js";
import { TALK_TOPIC } from "../content/entry-flows.js";
import { GENERAL_TOPIC } from "../content/vocabulary.js";

/** Fields kept whatever flow set them: they are the resident's profile, stored on the resident anyway. */
const PROFILE_FIELDS: ReadonlySet<string> = new Set(["language", "neighbourhood", "onboarded"]);

/**
 * What to forget: the sensitive flows, the fields that belong to them, and their handoff topics (a visit's
 * "nobody could be found for relationships" says what the resident asked about).
 */
export type SensitivePaths = { flows: ReadonlySet<string>; fields: ReadonlySet<string>; topics: ReadonlySet<string> };

/**
 * Reads the `sensitive: true` flags of the flows: the flows themselves, every field they set, clear, save,
 * add to or branch on, every `$field` their texts use, and the fields named after them (`handoff_…` for the
 * `handoff` flow, where the service keeps the professional's name). Profile fields are never included.
 */
export function sensitivePaths(flows: Iterable<Flow>): SensitivePaths {
  const names = new Set<string>();
  const fields = new Set<string>();
  const topics = new Set<string>();
  for (const flow of flows) {
    if (!flow.sensitive) continue;
    names.add(flow.flow);
    // "general" says nothing about what the resident asked.
    if (flow.topic && flow.topic !== GENERAL_TOPIC) topics.add(flow.topic);
    for (const node of flow.nodes) {
      for (const a of node.actions) {
        if (a.kind === "set") fields.add(a.set);
        if (a.kind === "set" && a.set === TALK_TOPIC.field && typeof a.value === "string" && a.value !== GENERAL_TOPIC) topics.add(a.value);
        if (a.kind === "clear") fields.add(a.clear);
        if (a.kind === "say") for (const v of Object.values(a.params ?? {})) if (v.startsWith("$")) fields.add(v.slice(1));
        // A request's `$field` arguments read the path's fields too.
        if (a.kind === "emit") for (const v of Object.values(a.args)) if (typeof v === "string" && v.startsWith("$")) fields.add(v.slice(1));
      }
      if (node.branch) fields.add(node.branch.field);
      if (node.wait?.text?.save) fields.add(node.wait.text.save);
      for (const c of node.wait?.choices ?? []) for (const f of [...Object.keys(c.set ?? {}), ...Object.keys(c.add ?? {})]) fields.add(f);
    }
  }
  return { flows: names, fields: new Set([...fields].filter((f) => !PROFILE_FIELDS.has(f))), topics };
}

/**
 * The state as it may be stored: while the resident is in a sensitive flow (or one is waiting on the
 * stack to return to) nothing changes, because "back" and "end" need it. Once they have left, the waits
 * in sensitive flows disappear from "back"'s history, and their fields from the state and from every
 * history snapshot, and their topics from the visit's "nobody could be found for …". Pure: the same state in
 * gives the same state out.
 */
export function forgetSensitivePath(state: SessionState, paths: SensitivePaths): SessionState {
  const inside = (state.at && paths.flows.has(state.at.flow)) || state.stack.some((p) => paths.flows.has(p.flow));
  if (inside) return state;
  const prefixes = [...paths.flows].map((f) => `${f.replace(/-/g, "_")}_`);
  const forget = (name: string) => !PROFILE_FIELDS.has(name) && (paths.fields.has(name) || prefixes.some((p) => name.startsWith(p)));
  const keep = (fields: SessionState["fields"]) => Object.fromEntries(Object.entries(fields).filter(([k]) => !forget(k)));
  return {
    ...state,
    fields: keep(state.fields),
    history: state.history.filter((h) => !paths.flows.has(h.flow)).map((h) => (h.fields ? { ...h, fields: keep(h.fields) } : h)),
    ...(state.visit ? { visit: { ...state.visit, noPerson: state.visit.noPerson.filter((t) => !paths.topics.has(t)) } } : {}),
  };
}
