import { describe, expect, it } from "vitest";
import { FlowEngine, type EngineInput, type StepResult } from "../../src/engine/engine.js";
import { newSessionState, type SessionState } from "../../src/engine/session-state.js";
import { sharedContent } from "../support/content.js";
import { tourFlow } from "../support/tour.js";

const content = await sharedContent();
const NOW = new Date("2026-11-01T10:00:00Z");

/** Freezes a value and everything in it: a step that changes any part of it throws (ESM is strict mode). */
function deepFreeze<T>(value: T): T {
  if (typeof value === "object" && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

/**
 * An engine that gives every call a deeply frozen state and checks afterwards that it still equals a copy
 * taken before. The engine shares the unchanged parts of a state between steps (structural sharing), so
 * the states it returns are frozen too by the time they come back in: any in-place change fails loudly.
 */
class FrozenInputEngine extends FlowEngine {
  calls = 0;

  #watch(stored: unknown, run: (s: unknown) => StepResult): StepResult {
    const before = structuredClone(stored);
    const r = run(deepFreeze(stored));
    expect(stored).toEqual(before);
    expect(r.state).not.toBe(stored);
    this.calls += 1;
    return r;
  }
  override step(stored: unknown, input: EngineInput, now: Date, languageHint?: string): StepResult {
    return this.#watch(stored, (s) => super.step(s, input, now, languageHint));
  }
  override enter(stored: unknown, flowId: string, now: Date): StepResult {
    return this.#watch(stored, (s) => super.enter(s, flowId, now));
  }
  override finish(stored: unknown, now: Date): StepResult {
    return this.#watch(stored, (s) => super.finish(s, now));
  }
  override nobodyFound(stored: unknown, topic: string, now: Date, opts: { rememberForVisit?: boolean } = {}): StepResult {
    return this.#watch(stored, (s) => super.nobodyFound(s, topic, now, opts));
  }
  override stay(stored: unknown, now: Date): StepResult {
    return this.#watch(stored, (s) => super.stay(s, now));
  }
  override prompt(stored: unknown, now: Date): StepResult {
    return this.#watch(stored, (s) => super.prompt(s, now));
  }
}

describe("a step never changes the state it was given", () => {
  it("on a tour of every flow (every node reached by taps, typed answers, collected fields)", () => {
    const engine = new FrozenInputEngine(content.engine);
    for (const flow of content.engine.flows.keys()) {
      const plain = tourFlow(content, flow, "nl");
      const watched = tourFlow(content, flow, "nl", {}, engine);
      // Frozen states walk the same way as fresh ones.
      expect(watched.text).toBe(plain.text);
    }
    expect(engine.calls).toBeGreaterThan(200);
  });

  it("on typed words, global intents, misses, back, danger, a welcome back and the service's own calls", () => {
    const engine = new FrozenInputEngine(content.engine);
    const later = (ms: number) => new Date(NOW.getTime() + ms);
    let state: SessionState = newSessionState();
    let t = 0;
    const step = (input: EngineInput, ms = 60_000) => {
      t += ms;
      state = engine.step(state, input, later(t), "nl").state;
      return state;
    };
    const text = (s: string, ms?: number) => step({ kind: "text", text: s }, ms);
    step({ kind: "start" });
    for (let i = 0; i < 3; i++) text("1"); // through onboarding by number
    text("menu");
    text("geld");
    text("ik kan mijn energierekening niet betalen");
    text("blablabla");
    text("qwerty");
    text("zzzz");
    text("terug");
    text("terug");
    text("hij slaat mij als hij drinkt");
    text("terug");
    step({ kind: "unsupported", what: "image" });
    text("taal");
    text("2");
    text("hallo", 8 * 86_400_000); // a welcome back after days
    text("1");
    text("met iemand praten");
    state = engine.nobodyFound(state, "money", later(t)).state;
    state = engine.stay(state, later(t)).state;
    state = engine.prompt(state, later(t)).state;
    state = engine.finish(state, later(t)).state;
    state = engine.enter(state, "language", later(t)).state;
    text("1");
    text("stop");
    expect(engine.calls).toBeGreaterThan(25);
    expect(state.history.length).toBeLessThanOrEqual(10);
  });
});
