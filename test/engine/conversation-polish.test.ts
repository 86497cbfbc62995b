import { describe, expect, it } from "vitest";
import { sharedContent } from "../support/content.js";
import { subscriptionOf } from "../../src/activities/subscription-request.js";
import { forgetSensitivePath, sensitivePaths } from "../../src/conversation/forget-sensitive-path.js";
import { choicePayload, FlowEngine, TALK_PAYLOAD, type EngineInput, type StepResult } from "../../src/engine/engine.js";
import type { EngineEvent, MessageEvent } from "../../src/engine/events.js";
import { newSessionState, STATE_VERSION, upgradeState, type SessionState } from "../../src/engine/session-state.js";

/**
 * The conversation keeps its promises: a question asked once a visit, nothing said twice, no offer that
 * fails again right after it failed, and what is known is not asked again (issue 11, "conversation polish").
 */
const content = await sharedContent();
const engine = new FlowEngine(content.engine);
const NOW = new Date("2026-11-02T10:00:00Z");
const MINUTE = 60_000;
const WELCOME_BACK = content.engine.welcomeBackAfterMs;

const text = (t: string): EngineInput => ({ kind: "text", text: t });
const tap = (flow: string, node: string, choice: string): EngineInput => ({ kind: "choice", payload: choicePayload(flow, node, choice) });

function messages(events: readonly EngineEvent[]): MessageEvent[] {
  return events.filter((e): e is MessageEvent => e.type === "message");
}
const keys = (events: readonly EngineEvent[]) => messages(events).map((m) => m.key);
const cards = (events: readonly EngineEvent[]) => events.flatMap((e) => (e.type === "card" ? [e.id] : []));
/** The one message of a step that carries choices. */
function prompted(events: readonly EngineEvent[]): MessageEvent {
  const withChoices = messages(events).filter((m) => m.choices !== undefined);
  expect(withChoices).toHaveLength(1);
  return withChoices[0]!;
}
const choiceIds = (m: MessageEvent) => (m.choices ?? []).map((c) => c.payload.split("|")[3] ?? c.payload);

/** Runs inputs one after another, each a minute after the one before. */
function run(state: SessionState, inputs: EngineInput[], from = NOW): StepResult & { at: Date } {
  let result: StepResult = { state, events: [] };
  let at = from;
  for (const input of inputs) {
    at = new Date(at.getTime() + MINUTE);
    result = engine.step(result.state, input, at);
  }
  return { ...result, at };
}

/** A resident who chose `language` and `neighbourhood` and is at the menu. */
function atMenu(language = "nl", neighbourhood = "korvel"): SessionState {
  const state = run(newSessionState(), [{ kind: "start" }, tap("onboarding", "ask-language", language), tap("onboarding", "about", neighbourhood === "korvel" ? "korvel" : neighbourhood === "wandelbos-noord" ? "wandelbos" : "elsewhere")]).state;
  expect(state.at).toEqual({ flow: "menu", node: "main" });
  return state;
}

describe("the session state", () => {
  it("reads a conversation stored as version 1 and starts a visit at its next message", () => {
    const v1 = { v: 1, fields: { language: "nl", onboarded: true }, at: { flow: "menu", node: "main" }, stack: [], history: [{ flow: "menu", node: "main" }], misses: 0 };
    const upgraded = upgradeState(v1);
    expect(upgraded).toMatchObject({ v: STATE_VERSION, fields: { language: "nl" }, at: { flow: "menu", node: "main" } });
    expect(upgraded.visit).toBeUndefined();
    const next = engine.step(v1, tap("menu", "main", "money"), NOW);
    expect(next.state.at).toEqual({ flow: "money", node: "start" });
    expect(next.state.visit).toEqual({ lastAt: NOW.toISOString(), asked: [], noPerson: [] });
    expect(() => upgradeState({ v: 3 })).toThrow(/not version 2/);
  });

  it("keeps one visit while the resident writes, and starts a new one after the welcome-back time", () => {
    const state = atMenu();
    const first = state.visit!;
    const soon = engine.step(state, tap("menu", "main", "money"), new Date(Date.parse(first.lastAt) + WELCOME_BACK - MINUTE));
    expect(soon.state.visit!.lastAt).not.toBe(first.lastAt);
    const away = { ...soon.state, visit: { ...soon.state.visit!, asked: ["home"], noPerson: ["money"] } };
    const later = engine.step(away, text("menu"), new Date(Date.parse(soon.state.visit!.lastAt) + WELCOME_BACK));
    expect(later.state.visit).toMatchObject({ asked: [], noPerson: [] });
  });
});

/** Money: bills → the steps → "yes, it helped" → the question about home. */
const MONEY_TO_HOME = [tap("menu", "main", "money"), tap("money", "start", "bills"), tap("money", "bills", "steps"), tap("money", "helped", "yes")];

describe('"How is that for you?" (the question about home) at most once a visit', () => {
  it("asks it after the first topic, and not after the next ones in the same visit", () => {
    const money = run(atMenu(), MONEY_TO_HOME);
    expect(keys(money.events)).toEqual(["money:home_question"]);
    expect(money.state.at).toEqual({ flow: "money", node: "home" });
    const fine = run(money.state, [tap("money", "home", "fine")], money.at);
    expect(fine.state.at).toEqual({ flow: "menu", node: "main" });

    // Housing: a repair, then "next": straight to the closing words and the menu.
    const housing = run(fine.state, [tap("menu", "main", "housing"), tap("housing", "start", "repair"), tap("housing", "repair", "next")], fine.at);
    expect(keys(housing.events)).toEqual(["housing:closing", "menu:main"]);
    expect(housing.state.at).toEqual({ flow: "menu", node: "main" });

    // Caregiving's version of the question is the same question.
    const care = run(housing.state, [tap("menu", "main", "caregiving"), tap("caregiving", "start", "respite"), tap("caregiving", "respite", "done")], housing.at);
    expect(keys(care.events)).toEqual(["caregiving:closing", "menu:main"]);
    expect(care.state.fields.burden).toBeUndefined();

    // Money again: the same.
    const again = run(care.state, MONEY_TO_HOME, care.at);
    expect(keys(again.events)).not.toContain("money:home_question");
    expect(again.state.at).toEqual({ flow: "menu", node: "main" });
  });

  it("asks it again in a new visit, after the welcome-back time", () => {
    const first = run(atMenu(), [...MONEY_TO_HOME, tap("money", "home", "skip")]);
    const later = new Date(first.at.getTime() + WELCOME_BACK + MINUTE);
    const next = run(engine.step(first.state, text("menu"), later).state, MONEY_TO_HOME, later);
    expect(keys(next.events)).toEqual(["money:home_question"]);
  });

  it('"back" to the question asks it again (the resident went back to it)', () => {
    const home = run(atMenu(), MONEY_TO_HOME);
    const tense = run(home.state, [tap("money", "home", "tense")], home.at);
    expect(tense.state.at).toEqual({ flow: "money", node: "tense" });
    const back = run(tense.state, [text("terug")], tense.at);
    expect(keys(back.events)).toEqual(["money:home_question"]);
    expect(back.state.at).toEqual({ flow: "money", node: "home" });
  });
});

describe('"Sometimes tense" offers the relationship check, gently', () => {
  for (const [flow, path] of [
    ["money", MONEY_TO_HOME],
    ["caregiving", [tap("menu", "main", "caregiving"), tap("caregiving", "start", "respite"), tap("caregiving", "respite", "done")]],
    ["parenting", [tap("menu", "main", "parenting"), tap("parenting", "start", "baby"), tap("parenting", "baby", "done")]],
    ["housing", [tap("menu", "main", "housing"), tap("housing", "start", "repair"), tap("housing", "repair", "next")]],
  ] as const) {
    it(`in ${flow}: the advice, then the check, a person or "no, thanks"`, () => {
      const home = run(atMenu(), [...path]);
      expect(home.state.at).toEqual({ flow, node: "home" });
      const tense = run(home.state, [tap(flow, "home", "tense")], home.at);
      expect(keys(tense.events)).toEqual([`${flow}:tense_info`, "common:check_offer"]);
      const offer = prompted(tense.events);
      expect(choiceIds(offer)).toEqual(["check", "talk", "no"]);
      expect(offer.choices!.map((c) => c.label)).toEqual(["relationships:check", "common:talk_person", "common:no_thanks"]);
      expect(offer.safety).toBe(true);

      const check = run(tense.state, [tap(flow, "tense", "check")], tense.at);
      expect(check.state.at).toEqual({ flow: "relationships", node: "q-respect" });
      expect(check.state.fields.rel_score).toBe(0);
      const no = run(tense.state, [tap(flow, "tense", "no")], tense.at);
      expect(keys(no.events)).toEqual([`${flow}:closing`, "menu:main"]);
    });
  }
});

describe("caregiving", () => {
  it('the high-burden result says "talk to someone soon" and offers exactly that first', () => {
    const often = (node: string) => tap("caregiving", node, "often");
    const high = run(atMenu(), [tap("menu", "main", "caregiving"), tap("caregiving", "start", "check"), often("q-sleep"), often("q-time"), often("q-irritated"), often("q-money"), often("q-life")]);
    expect(high.state.at).toEqual({ flow: "caregiving", node: "result-high" });
    const m = prompted(high.events);
    expect(choiceIds(m)).toEqual(["person", "respite", "practical", "disability", "done"]);
    const person = run(high.state, [tap("caregiving", "result-high", "person")], high.at);
    expect(person.events.find((e) => (e.type === "requested" && e.name === "handoff"))).toEqual({ type: "requested", name: "handoff", args: { topic: "care" } });
  });

  for (const [flow, path] of [
    ["caregiving", [tap("menu", "main", "caregiving"), tap("caregiving", "start", "respite"), tap("caregiving", "respite", "done")]],
    ["parenting", [tap("menu", "main", "parenting"), tap("parenting", "start", "baby"), tap("parenting", "baby", "done")]],
  ] as const) {
    it(`${flow}'s question about home offers "I don't feel safe", like the other topics`, () => {
      const home = run(atMenu("en"), [...path]);
      const m = prompted(home.events);
      expect(choiceIds(m)).toEqual(["fine", "tense", "talk", "skip", "unsafe"]);
      expect(m.choices!.at(-1)!.label).toBe(`${flow}:home_unsafe`);
      const unsafe = run(home.state, [tap(flow, "home", "unsafe")], home.at);
      expect(unsafe.state.at).toEqual({ flow: "safety", node: "now" });
      expect(unsafe.events).toContainEqual({ type: "emergency", via: "choice" });
    });
  }
});

/** At the money question, then "talk to someone": the service now looks for a professional. */
function askedForPerson(neighbourhood = "korvel"): StepResult & { at: Date } {
  const r = run(atMenu("nl", neighbourhood), [tap("menu", "main", "money"), tap("money", "start", "person")]);
  expect(r.state.at).toEqual({ flow: "handoff", node: "how" });
  return r;
}

describe("nobody found for a topic", () => {
  it("says so once: the wijkteam, a walk-in in the resident's neighbourhood, and no offer that fails again", () => {
    const asked = askedForPerson();
    const none = engine.nobodyFound(asked.state, "money", new Date(asked.at.getTime() + 1000));
    expect(keys(none.events)).toEqual(["handoff:none", "handoff:none_walk_in", "handoff:none_next"]);
    expect(cards(none.events)).toEqual(["wijkteam", "buurthuis-korvel"]);
    const m = prompted(none.events);
    expect(choiceIds(m)).toEqual(["back", "menu"]);
    expect(m.safety).toBe(true);
    expect(none.state.at).toEqual({ flow: "handoff", node: "none-next" });
    expect(none.state.visit!.noPerson).toEqual(["money"]);
    // The question the resident never saw is not one "back" goes to.
    expect(none.state.history.map((h) => `${h.flow}/${h.node}`)).not.toContain("handoff/how");

    // Back to the money question: without "talk to someone" now; numbers count what is shown.
    const back = run(none.state, [tap("handoff", "none-next", "back")], asked.at);
    expect(back.state.at).toEqual({ flow: "money", node: "start" });
    expect(choiceIds(prompted(back.events))).toEqual(["bills", "income", "food", "things"]);
    const fifth = run(back.state, [text("5")], back.at);
    expect(fifth.events.some((e) => (e.type === "requested" && e.name === "handoff"))).toBe(false);
    expect(keys(fifth.events)).toEqual(["common:not_understood"]);
    // A sentence Naast cannot place is acknowledged without the "talk to someone" that just failed.
    const sentence = run(back.state, [text("ik weet het allemaal niet meer zo goed")], back.at);
    expect(prompted(sentence.events).choices!.map((c) => c.payload)).not.toContain(TALK_PAYLOAD);
    // Deeper in the topic too.
    const bills = run(back.state, [tap("money", "start", "bills")], back.at);
    expect(choiceIds(prompted(bills.events))).toEqual(["steps", "menu"]);
  });

  it("when only someone else than an earlier professional was looked for, the topic's own offer stays", () => {
    const asked = askedForPerson();
    const none = engine.nobodyFound(asked.state, "money", asked.at, { rememberForVisit: false });
    expect(keys(none.events)).toEqual(["handoff:none", "handoff:none_walk_in", "handoff:none_next"]);
    expect(none.state.visit!.noPerson).toEqual([]);
    const back = run(none.state, [tap("handoff", "none-next", "back")], asked.at);
    expect(choiceIds(prompted(back.events))).toContain("person");
  });

  it("without a known neighbourhood: the wijkteam only, no walk-in card", () => {
    const asked = askedForPerson("elsewhere");
    const none = engine.nobodyFound(asked.state, "money", asked.at);
    expect(keys(none.events)).toEqual(["handoff:none", "handoff:none_next"]);
    expect(cards(none.events)).toEqual(["wijkteam"]);
  });

  it("another topic still offers a person, and a new visit offers this one again", () => {
    const asked = askedForPerson("wandelbos-noord");
    const none = engine.nobodyFound(asked.state, "money", asked.at);
    expect(cards(none.events)).toEqual(["wijkteam", "buurthuis-wandelbos"]);
    const housing = run(none.state, [tap("handoff", "none-next", "menu"), tap("menu", "main", "housing")], asked.at);
    expect(choiceIds(prompted(housing.events))).toContain("person");
    const later = new Date(asked.at.getTime() + WELCOME_BACK + MINUTE);
    const visit = run(engine.step(none.state, text("menu"), later).state, [tap("menu", "main", "money")], later);
    expect(choiceIds(prompted(visit.events))).toContain("person");
  });

  it("a relationships topic nobody was found for is forgotten once the resident has left the sensitive flows", () => {
    const paths = sensitivePaths(content.engine.flows.values());
    const r = run(atMenu(), [tap("menu", "main", "relationships"), tap("relationships", "topics", "person")]);
    const none = engine.nobodyFound(r.state, "relationships", r.at);
    expect(forgetSensitivePath(none.state, paths).visit!.noPerson).toEqual(["relationships"]); // still inside
    const left = run(none.state, [tap("handoff", "none-next", "menu")], r.at);
    expect(left.state.visit!.noPerson).toEqual(["relationships"]);
    expect(forgetSensitivePath(left.state, paths).visit!.noPerson).toEqual([]);
    const money = { ...left.state, visit: { ...left.state.visit!, noPerson: ["money", "relationships"] } };
    expect(forgetSensitivePath(money, paths).visit!.noPerson).toEqual(["money"]);
  });
});

describe("after a handoff is sent or a walk-in shown, the topic is not told again", () => {
  it('after "yes, send it": a word about meanwhile and the way to the menu; "back" cannot undo it', () => {
    const asked = askedForPerson();
    const consent = run(asked.state, [tap("handoff", "how", "chat")], asked.at);
    const yes = run(consent.state, [tap("handoff", "consent", "yes")], consent.at);
    expect(yes.events.some((e) => (e.type === "requested" && e.name === "handoff_create"))).toBe(true);
    expect(keys(yes.events)).toEqual(["handoff:meanwhile"]);
    expect(choiceIds(prompted(yes.events))).toEqual(["menu"]);
    expect(yes.state.at).toEqual({ flow: "handoff", node: "sent" });
    const back = run(yes.state, [text("terug")], yes.at);
    expect(back.state.at).toEqual({ flow: "money", node: "start" });
    expect(back.events.some((e) => (e.type === "requested" && e.name === "handoff_create"))).toBe(false);
  });

  it('after "walk in": the walk-in details (from the service), another way or the menu', () => {
    const asked = askedForPerson();
    const visit = run(asked.state, [tap("handoff", "how", "visit")], asked.at);
    expect(visit.events.some((e) => (e.type === "requested" && e.name === "handoff_visit"))).toBe(true);
    expect(keys(visit.events)).toEqual(["handoff:meanwhile"]);
    expect(choiceIds(prompted(visit.events))).toEqual(["other", "menu"]);
    const other = run(visit.state, [tap("handoff", "visit", "other")], visit.at);
    expect(other.state.at).toEqual({ flow: "handoff", node: "how" });
  });
});

describe("after a language switch the advice is told again in the new language", () => {
  it("the steps and the card before the question, then the question", () => {
    const helped = run(atMenu(), [tap("menu", "main", "money"), tap("money", "start", "bills"), tap("money", "bills", "steps")]);
    expect(helped.state.at).toEqual({ flow: "money", node: "helped" });
    const switched = run(helped.state, [text("taal"), tap("language", "ask", "en")], helped.at);
    expect(keys(switched.events)).toEqual(["language:changed", "money:bills_steps_info", "money:helped_question"]);
    expect(cards(switched.events)).toEqual(["schuldhulp-tilburg"]);
    expect(switched.state.fields.language).toBe("en");
    expect(switched.state.at).toEqual({ flow: "money", node: "helped" });
    // SOS and back is not a language switch: only the question comes back.
    const sos = run(helped.state, [text("SOS"), tap("safety", "now", "back")], helped.at);
    expect(keys(sos.events)).toEqual(["money:helped_question"]);
  });

  it("what the service looked up is looked up again: the activities, the handoff preview", () => {
    const whatsOn = run(atMenu(), [tap("menu", "main", "meeting"), tap("meeting", "pick", "whats-on")]);
    const switched = run(whatsOn.state, [text("taal"), tap("language", "ask", "ar")], whatsOn.at);
    expect(switched.events.filter((e) => (e.type === "requested" && e.name === "activities"))).toHaveLength(1);
    const asked = askedForPerson();
    const consent = run(asked.state, [tap("handoff", "how", "chat")], asked.at);
    const again = run(consent.state, [text("language"), tap("language", "ask", "tr")], consent.at);
    expect(again.events.filter((e) => (e.type === "requested" && e.name === "handoff_preview"))).toHaveLength(1);
    expect(again.events.some((e) => (e.type === "requested" && e.name === "handoff_create"))).toBe(false);
  });
});

describe("subscribing to activity news uses the neighbourhood the resident gave", () => {
  /** What the activity desk subscribes to for the step's `subscribe` requests. */
  const subscriptions = (events: readonly EngineEvent[]) => events.flatMap((e) => (e.type === "requested" && e.name === "subscribe" ? [subscriptionOf(e.args)] : []));
  const toUpdates = [tap("menu", "main", "meeting"), tap("meeting", "pick", "whats-on"), tap("whats-on", "start", "updates")];

  it("subscribes in the own neighbourhood at once, says so, and offers to change it", () => {
    const start = run(atMenu("nl", "korvel"), toUpdates);
    const food = run(start.state, [tap("updates", "start", "food")], start.at);
    expect(subscriptions(food.events)).toEqual([{ topic: "food", neighbourhood: "korvel" }]);
    expect(keys(food.events)).toEqual(["updates:done_own_korvel"]);
    expect(choiceIds(prompted(food.events))).toEqual(["change", "another", "mine", "whats-on", "menu"]);

    const change = run(food.state, [tap("updates", "own-korvel", "change")], food.at);
    expect(keys(change.events)).toEqual(["updates:area_question"]);
    const both = run(change.state, [tap("updates", "change", "both")], change.at);
    expect(subscriptions(both.events)).toEqual([{ topic: "food", neighbourhood: undefined, replaces: { neighbourhood: "korvel" } }]);
    expect(both.state.fields).not.toHaveProperty("sub_previous");
    expect(both.state.fields).not.toHaveProperty("sub_topic");
  });

  it("Wandelbos-Noord the same way; a resident from elsewhere is asked", () => {
    const w = run(atMenu("en", "wandelbos-noord"), [...toUpdates, tap("updates", "start", "all")]);
    expect(subscriptions(w.events)).toEqual([{ topic: undefined, neighbourhood: "wandelbos-noord" }]);
    expect(keys(w.events)).toEqual(["updates:done_own_wandelbos"]);
    const elsewhere = run(atMenu("en", "elsewhere"), [...toUpdates, tap("updates", "start", "all")]);
    expect(elsewhere.events.some((e) => e.type === "requested" && e.name === "subscribe")).toBe(false);
    expect(keys(elsewhere.events)).toEqual(["updates:area_question"]);
  });
});
