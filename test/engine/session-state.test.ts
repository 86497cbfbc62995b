import { describe, expect, it } from "vitest";
import { markChecked, newSessionState, SessionStateError, upgradeState, type SessionState } from "../../src/engine/session-state.js";

const stored: SessionState = {
  v: 2,
  fields: { topic: "money" },
  at: { flow: "money", node: "ask-debt" },
  stack: [{ flow: "menu", node: "start" }],
  history: [{ flow: "money", node: "start", fields: { topic: "money" }, via: ["intro"] }],
  misses: 1,
  visit: { lastAt: "2026-12-03T10:00:00.000Z", asked: ["home"], noPerson: [] },
};

describe("session state", () => {
  it("parses what it has not seen (storage), and refuses what is not a state", () => {
    expect(upgradeState(JSON.parse(JSON.stringify(stored)))).toEqual(stored);
    expect(() => upgradeState({ v: 2, misses: -1 })).toThrow(SessionStateError);
    expect(() => upgradeState("nonsense")).toThrow(SessionStateError);
  });

  it("does not parse a checked state again: a new top-level object that shares its parts with it", () => {
    const checked = upgradeState(structuredClone(stored));
    const copy = upgradeState(checked);
    expect(copy).toEqual(checked);
    expect(copy).not.toBe(checked);
    // Parts are replaced, never changed in place (test/engine/state-immutability.test.ts), so sharing them is safe.
    expect(copy.fields).toBe(checked.fields);
    expect(copy.history).toBe(checked.history);
    copy.misses = 0;
    copy.at = { flow: "x", node: "y" };
    copy.fields = { ...copy.fields, topic: "housing" };
    expect(checked).toEqual(stored);
    // A state the engine built is checked too; a fresh one is not until it is marked.
    expect(upgradeState(markChecked(newSessionState()))).toEqual(newSessionState());
  });

  it("trusts only the very object it checked or made: a rebuilt, cloned or parsed copy is parsed again", () => {
    const checked = upgradeState(structuredClone(stored));
    // The mark is invisible: the same JSON, keys and equality as the plain state.
    expect(JSON.stringify(checked)).toBe(JSON.stringify(upgradeState(JSON.parse(JSON.stringify(stored)))));
    expect(Object.keys(checked)).toEqual(Object.keys(stored));
    expect(Object.getOwnPropertySymbols(checked)).toEqual([]);
    // A copy made any other way is checked again, so a broken one is refused.
    expect(() => upgradeState({ ...checked, misses: -1 })).toThrow(SessionStateError);
    const cloned = structuredClone(checked);
    cloned.misses = -1;
    expect(() => upgradeState(cloned)).toThrow(SessionStateError);
    expect(() => upgradeState({ ...JSON.parse(JSON.stringify(checked)), v: 3 })).toThrow(SessionStateError);
    // Marking twice, or a frozen state, is harmless.
    expect(markChecked(markChecked(checked))).toBe(checked);
    const frozen = Object.freeze(upgradeState(structuredClone(stored)));
    expect(upgradeState(frozen)).toEqual(stored);
  });
});
