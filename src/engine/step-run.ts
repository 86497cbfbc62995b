import type { EngineContent } from "./engine-content.js";
import type { EngineEvent, MessageEvent } from "./events.js";
import { decodePayload, type Payload } from "./payload.js";
import { isoOf, parseIso } from "./iso-time.js";
import { foldText } from "./recognition/fold-text.js";
import type { Recognition } from "./recognition/recognizer.js";
import { upgradeState, type SessionState, type Visit } from "./session-state.js";

/**
 * One step in progress: the state being changed, the events so far, and what the step has counted.
 * `state` is the step's own top-level object; its parts (fields, stack, history, visit and what is in
 * them) may be shared with the caller's state, so a step replaces a part and never changes one in place.
 */
export type Run = {
  state: SessionState;
  events: EngineEvent[];
  /** Node entries in this step (see MAX_HOPS in navigation.ts). */
  hops: number;
  now: Date;
  /** `now` as an ISO string, made once a step (isoOf: toISOString costs about half a microsecond). */
  nowIso: string;
  /** What the typed text of this step was recognised as; read once, when first needed. */
  recognition?: Recognition;
  /** Nodes passed without waiting since the last wait in this step, as `flow/node`. */
  via: string[];
  /** The typed text of this step, folded (foldText) once when first needed. */
  folded?: { text: string; folded: string };
  /** The tapped payload of this step, decoded once when first needed. */
  payload?: { text: string; meaning: Payload | undefined };
};

/** A run on a copy of the stored state, with this input counted in the visit (a new visit after `welcomeBackAfterMs`). */
export function beginRun(content: EngineContent, stored: unknown, now: Date): Run {
  const state = upgradeState(stored); // a new top-level object; its parts are replaced, never changed
  const nowIso = isoOf(now);
  const run: Run = { state, events: [], hops: 0, now, nowIso, via: [] };
  const last = state.visit ? parseIso(state.visit.lastAt) : Number.NaN;
  const away = !Number.isFinite(last) || now.getTime() - last >= content.welcomeBackAfterMs;
  const visit = state.visit;
  state.visit = away || !visit ? { lastAt: nowIso, asked: [], noPerson: [] } : { lastAt: nowIso, asked: visit.asked, noPerson: visit.noPerson };
  return run;
}

/** A run that only reads the state as stored (no visit counted). */
export function readRun(state: SessionState, now: Date): Run {
  return { state, events: [], hops: 0, now, nowIso: isoOf(now), via: [] };
}

/** The visit this step belongs to, started if the state has none. */
export function visitOf(run: Run): Visit {
  run.state.visit ??= { lastAt: run.nowIso, asked: [], noPerson: [] };
  return run.state.visit;
}

/** Typed text folded the way words are compared (foldText), once a step: global words, labels and numbers all compare it. */
export function folded(run: Run, text: string): string {
  if (run.folded?.text !== text) run.folded = { text, folded: foldText(text) };
  return run.folded.folded;
}

/**
 * What a tapped payload means (see payload.ts), decoded once a step: the global intents and the wait both ask.
 * `known`: payloads decoded before (the choices of the flows), read-only; any other text is decoded here.
 */
export function decoded(run: Run, text: string, known?: ReadonlyMap<string, Payload>): Payload | undefined {
  if (run.payload?.text !== text) run.payload = { text, meaning: known?.get(text) ?? decodePayload(text) };
  return run.payload.meaning;
}

/** What the typed text means to the recognizer, read once a step. */
export function recognize(content: EngineContent, run: Run, text: string): Recognition {
  run.recognition ??= content.recognizer.recognize(text);
  return run.recognition;
}

/** Sets a field and says so in an event (the service keeps `language` and `neighbourhood` on the resident). */
export function setField(run: Run, field: string, value: string | number | boolean): void {
  run.state.fields = { ...run.state.fields, [field]: value };
  run.events.push({ type: "field_set", field, value });
}

/** The fields without these (a new object; the fields may be shared with the caller's state). */
export function withoutFields(fields: SessionState["fields"], names: readonly string[]): SessionState["fields"] {
  const out = { ...fields };
  for (const name of names) delete out[name];
  return out;
}

/** Says an i18n key. */
export function say(run: Run, key: string, params?: Record<string, string>): void {
  const e: MessageEvent = { type: "message", key };
  if (params) e.params = params;
  run.events.push(e);
}

/** The resident's language, or the default until they chose one. */
export function languageOf(content: EngineContent, run: Run): string {
  const l = run.state.fields.language;
  return typeof l === "string" && content.languages.includes(l) ? l : content.defaultLanguage;
}

/** Whether the resident has a language yet (onboarding asks for it first). */
export function hasLanguage(run: Run): boolean {
  return typeof run.state.fields.language === "string";
}
