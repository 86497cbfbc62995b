import { describe, expect, it } from "vitest";
import { loadFlows } from "../../src/content/load-content.js";
import { ENTRY_FLOWS, SERVICE_FLOWS } from "../../src/content/content.js";
import { exitsOf, resolveTarget } from "../../src/engine/validate-graph.js";

const { flows } = await loadFlows();
const id = (flow: string, node: string) => `${flow}/${node}`;
const MENU = id("menu", "main");
/** Flows the engine enters by itself (first contact, SOS and danger phrases, coming back after days) or the service starts (a key figure's activity). */
const ENGINE_ENTERED = [ENTRY_FLOWS.onboarding, ENTRY_FLOWS.safety, ENTRY_FLOWS.welcomeBack, ENTRY_FLOWS.crisis, ENTRY_FLOWS.hint, ...Object.values(SERVICE_FLOWS)];

/** Edges between nodes of all flows, following only the flows' own exits (no global intents). */
function edges(): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const flow of flows.values()) {
    for (const node of flow.nodes) {
      const to: string[] = [];
      for (const { target } of exitsOf(node)) {
        const t = resolveTarget(flow, target);
        // `end` returns to where the resident was, or to the menu when nothing is waiting.
        if (!t) to.push(target.kind === "end" ? MENU : "STOP");
        else to.push(id(t.flow, t.node ?? flows.get(t.flow)!.nodes[0]!.id));
      }
      out.set(id(flow.flow, node.id), to);
    }
  }
  return out;
}

function reach(from: string[], graph: Map<string, string[]>): Set<string> {
  const seen = new Set<string>();
  const stack = [...from];
  while (stack.length > 0) {
    const n = stack.pop()!;
    if (seen.has(n)) continue;
    seen.add(n);
    stack.push(...(graph.get(n) ?? []));
  }
  return seen;
}

describe("every conversation can be reached and left", () => {
  const graph = edges();
  const all = [...graph.keys()];

  it("every node is reachable from the main menu (or from a flow the engine itself starts)", () => {
    // Also the places the engine starts at a node of its own ("safety/with-crisis").
    const nodes = Object.values(ENTRY_FLOWS).filter((e) => e.includes("/"));
    const roots = [MENU, ...ENGINE_ENTERED.map((f) => id(f, flows.get(f)!.nodes[0]!.id)), ...nodes];
    const reached = reach(roots, graph);
    expect(all.filter((n) => !reached.has(n))).toEqual([]);
  });

  it("every practical topic and relationships is one tap from the main menu, practical topics first", () => {
    const menu = flows.get("menu")!.nodes.find((n) => n.id === "main")!;
    const order = menu.wait!.choices!.map((c) => c.id);
    for (const topic of ["money", "housing", "caregiving", "parenting", "meeting", "relationships"]) expect(order).toContain(topic);
    expect(order.indexOf("relationships")).toBeGreaterThan(Math.max(order.indexOf("money"), order.indexOf("housing"), order.indexOf("caregiving"), order.indexOf("parenting")));
  });

  it("from every node the menu can be reached again by the flows' own exits (only erasure ends)", () => {
    const reverse = new Map<string, string[]>();
    for (const [from, tos] of graph) for (const to of tos) reverse.set(to, [...(reverse.get(to) ?? []), from]);
    const backToMenu = reach([MENU], reverse);
    const stuck = all.filter((n) => !backToMenu.has(n) && !(graph.get(n) ?? []).includes("STOP"));
    expect(stuck).toEqual([]);
    const stops = all.filter((n) => (graph.get(n) ?? []).includes("STOP"));
    expect(stops).toEqual(["erase/erase"]);
  });
});
