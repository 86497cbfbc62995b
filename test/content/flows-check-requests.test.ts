import { describe, expect, it } from "vitest";
import { ACTIVITY_REQUESTS } from "../../src/activities/activity-requests.js";
import { checkRequestHandlers } from "../../src/conversation/check-request-handlers.js";
import { HANDLED_REQUESTS } from "../../src/conversation/request-names.js";
import { flowSchema } from "../../src/engine/flow-schema.js";
import { HANDOFF_REQUESTS } from "../../src/handoffs/handoff-requests.js";
import { sharedContent } from "../support/content.js";

/** The requests flows emit and the desks that handle them, as checked at start (flows:check: flows-check.test.ts). */
const content = await sharedContent();
const flows = [...content.engine.flows.values()];
const desks = [{ handles: HANDOFF_REQUESTS }, { handles: ACTIVITY_REQUESTS }];
const tiny = (emit: string) =>
  flowSchema.parse({ flow: "tiny", nodes: [{ id: "start", actions: [{ emit }], go: "end" }] });

describe("who handles a flow's requests", () => {
  it("every emit in flows/ has its handler among the service and the desks naast.ts gives it", () => {
    expect(() => checkRequestHandlers(flows, desks)).not.toThrow();
    const emitted = new Set(flows.flatMap((f) => f.nodes.flatMap((n) => n.actions.flatMap((a) => (a.kind === "emit" ? [a.emit] : [])))));
    expect([...emitted].filter((name) => !HANDLED_REQUESTS.has(name))).toEqual([]);
  });

  it("refuses to start with a flow that emits a name nobody handles", () => {
    expect(() => checkRequestHandlers([...flows, tiny("foo")], desks)).toThrow("flow tiny › node start: nobody handles emit 'foo'");
  });

  it("refuses a desk missing, a name handled twice, and a name request-names.ts does not list", () => {
    expect(() => checkRequestHandlers(flows, [desks[0]!])).toThrow('request "subscribe" is listed in request-names.ts, but no desk');
    expect(() => checkRequestHandlers(flows, [...desks, { handles: ["handoff"] }])).toThrow('request "handoff" is handled twice');
    expect(() => checkRequestHandlers(flows, [...desks, { handles: ["bar"] }])).toThrow('request "bar" is handled by Object but not listed');
  });

  it("parses the YAML shorthands into a union tagged by kind; emit: emergency is the engine's own", () => {
    const flow = flowSchema.parse({
      flow: "tiny",
      nodes: [
        {
          id: "start",
          actions: [{ say: "intro" }, { set: "x", value: 1 }, { clear: "x" }, { show: "wijkteam" }, { emit: "emergency" }, { emit: "subscribe", args: { topic: "$sub_topic" } }, { emit: "activity_draft", collect: "draft_" }],
          go: "end",
        },
      ],
    });
    expect(flow.nodes[0]!.actions).toEqual([
      { kind: "say", say: "intro" },
      { kind: "set", set: "x", value: 1 },
      { kind: "clear", clear: "x" },
      { kind: "show", show: "wijkteam" },
      { kind: "emergency" },
      { kind: "emit", emit: "subscribe", args: { topic: "$sub_topic" }, rereads: false },
      { kind: "emit", emit: "activity_draft", args: {}, rereads: false, collect: "draft_" },
    ]);
  });
});
