import { describe, expect, it } from "vitest";
import { loadFlows, loadLocales } from "../../src/content/load-content.js";
import { ACTIVITY_AREAS, ACTIVITY_TOPICS, HANDOFF_TOPICS, LANGUAGES, NEIGHBOURHOODS, RECOGNIZED_TOPICS, SUBSCRIPTION_TOPICS } from "../../src/content/vocabulary.js";
import { TOPIC_FLOWS } from "../../src/content/entry-flows.js";

/** Every value a flow writes into `field`, from `set:` actions and choices. */
function valuesSet(flows: Awaited<ReturnType<typeof loadFlows>>["flows"], field: string): Set<string> {
  const out = new Set<string>();
  for (const flow of flows.values()) {
    for (const node of flow.nodes) {
      for (const a of node.actions) if ("set" in a && a.set === field && typeof a.value === "string") out.add(a.value);
      for (const c of node.wait?.choices ?? []) {
        const v = c.set?.[field];
        if (typeof v === "string") out.add(v);
      }
    }
  }
  return out;
}

describe("the shared vocabulary and the content agree", () => {
  it("a flow's handoff topic is one a professional can take", async () => {
    const { flows } = await loadFlows();
    const topics = new Set([...flows.values()].flatMap((f) => (f.topic ? [f.topic] : [])));
    for (const t of valuesSet(flows, "handoff_topic")) topics.add(t);
    expect(topics.size).toBeGreaterThan(3);
    for (const t of topics) expect(HANDOFF_TOPICS as readonly string[], `flow topic ${t}`).toContain(t);
  });

  it("a key figure's chat draft uses the panel's activity topics and areas, and asks for every subscription topic", async () => {
    const { flows } = await loadFlows();
    const drafted = valuesSet(flows, "draft_topic");
    expect([...drafted].sort()).toEqual([...ACTIVITY_TOPICS].filter((t) => t !== "housing").sort());
    for (const t of SUBSCRIPTION_TOPICS) expect(drafted).toContain(t);
    expect([...valuesSet(flows, "draft_area")].sort()).toEqual([...ACTIVITY_AREAS].sort());
  });

  it("a resident chooses one of the vocabulary's neighbourhoods, or says they live elsewhere", async () => {
    const { flows } = await loadFlows();
    const chosen = [...valuesSet(flows, "neighbourhood")].sort();
    expect(chosen).toEqual([...NEIGHBOURHOODS, "elsewhere"].sort());
  });

  it("every recognized topic leads to a flow, and every language has its texts", async () => {
    const { flows } = await loadFlows();
    for (const t of RECOGNIZED_TOPICS) expect(flows.has(TOPIC_FLOWS[t]), t).toBe(true);
    const locales = await loadLocales();
    expect(Object.keys(locales).sort()).toEqual([...LANGUAGES].sort());
  });
});
