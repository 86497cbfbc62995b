import { describe, expect, it } from "vitest";
import { sharedContent } from "../support/content.js";
import { forgetSensitivePath, sensitivePaths } from "../../src/conversation/forget-sensitive-path.js";
import { exitText } from "../../src/engine/flow-schema.js";
import { newSessionState, type SessionState } from "../../src/engine/session-state.js";

const content = await sharedContent();
const paths = sensitivePaths(content.engine.flows.values());

describe("forgetting the path through sensitive flows", () => {
  it("marks relationships, safety, crisis, hints, safe use and the handoff flows as sensitive, with their fields and topics", () => {
    expect([...paths.flows].sort()).toEqual(["crisis", "handoff", "handoff-chat", "hint", "relationships", "safe-use", "safety"]);
    expect([...paths.topics]).toEqual(["relationships"]);
    expect(paths.fields.has("rel_score")).toBe(true);
    expect(paths.fields.has("handoff_mode")).toBe(true);
    expect(paths.fields.has("language")).toBe(false);
  });

  it("changes nothing while the resident is inside one, or one waits on the stack", () => {
    const inside: SessionState = { ...newSessionState({ language: "nl", rel_score: 3 }), at: { flow: "relationships", node: "check-respect" }, history: [{ flow: "menu", node: "main" }] };
    expect(forgetSensitivePath(inside, paths)).toEqual(inside);
    const called: SessionState = { ...newSessionState({ language: "nl", handoff_name: "Anouk" }), at: { flow: "language", node: "choose" }, stack: [{ flow: "handoff", node: "how" }] };
    expect(forgetSensitivePath(called, paths)).toEqual(called);
  });

  it("once they have left, drops the sensitive waits from history and the sensitive fields everywhere, keeping the profile", () => {
    const left: SessionState = {
      ...newSessionState({ language: "ar", neighbourhood: "korvel", onboarded: true, rel_score: 4, handoff_name: "Anouk", handoff_topic: "relationships", burden: 3 }),
      at: { flow: "menu", node: "main" },
      history: [
        { flow: "menu", node: "main", fields: { language: "ar" } },
        { flow: "relationships", node: "topics", fields: { language: "ar", rel_score: 2 } },
        { flow: "safety", node: "now" },
        { flow: "caregiving", node: "ask", fields: { language: "ar", handoff_name: "Anouk", burden: 3 } },
      ],
    };
    const out = forgetSensitivePath(left, paths);
    expect(out.fields).toEqual({ language: "ar", neighbourhood: "korvel", onboarded: true, burden: 3 });
    expect(out.history).toEqual([
      { flow: "menu", node: "main", fields: { language: "ar" } },
      { flow: "caregiving", node: "ask", fields: { language: "ar", burden: 3 } },
    ]);
    expect(JSON.stringify(out)).not.toMatch(/relationships|safety|Anouk|rel_score/);
  });

  it("a flow that sets a sensitive field goes into the sensitive flow in the same step (or the field would be forgotten first)", () => {
    const prefixes = [...paths.flows].map((f) => `${f.replace(/-/g, "_")}_`);
    const sensitive = (f: string) => paths.fields.has(f) || prefixes.some((p) => f.startsWith(p));
    for (const flow of content.engine.flows.values()) {
      if (flow.sensitive) continue;
      for (const node of flow.nodes) {
        const sets = node.actions.flatMap((a) => ("set" in a ? [a.set] : []));
        if (!sets.some(sensitive)) continue;
        const target = node.go?.kind === "flow" ? node.go.flow : node.go?.kind === "node" ? node.go.node : (node.go?.kind ?? "");
        expect(paths.flows.has(target), `flow ${flow.flow} › node ${node.id} sets ${sets.join(", ")} but goes to ${node.go ? exitText(node.go) : "(a wait)"}`).toBe(true);
      }
    }
  });
});
