import { describe, expect, it } from "vitest";
import { FLOWS_DIR, LOCALES_DIR } from "../../src/content/load-content.js";
import { check, contentFixtures } from "../support/content-fixture.js";

/** checkContent on flow structure; the texts, labels and payloads are in flows-check-texts.test.ts. */
const { fixture } = contentFixtures();

describe("checkContent on the real content", () => {
  it("finds no problems in flows/ and locales/", async () => {
    expect(await check({ flowsDir: FLOWS_DIR, localesDir: LOCALES_DIR })).toEqual([]);
  });

  it("finds none in an unchanged copy either (the fixture itself is sound)", async () => {
    expect(await check(await fixture({}))).toEqual([]);
  });
});

describe("checkContent on broken content", () => {
  it("reports a schema error with its file and node", async () => {
    const dirs = await fixture({
      flows: {
        "extra.yaml": [
          "flow: extra",
          "nodes:",
          "  - id: start",
          "    actions: [{ say: common:yes }]",
          "    wait: { choices: [{ id: a, label: common:yes, go: end }] }",
          "  - id: both",
          "    actions: [{ say: common:yes }]",
          "    go: end",
          "    wait: { choices: [{ id: a, label: common:yes, go: end }] }",
          "",
        ].join("\n"),
      },
    });
    expect(await check(dirs)).toEqual(["flows/extra.yaml › node both: nodes.1: a node has at most one of wait, branch and go"]);
  });

  it("reports a malformed exit with its file, node, place and text", async () => {
    const dirs = await fixture({
      flows: {
        "extra.yaml": [
          "flow: extra",
          "nodes:",
          "  - id: start",
          "    actions: [{ say: common:yes }]",
          "    wait: { choices: [{ id: a, label: common:yes, go: end }, { id: b, label: common:no, go: '@menu/' }] }",
          "",
        ].join("\n"),
      },
    });
    expect(await check(dirs)).toEqual([
      "flows/extra.yaml › node start: nodes.0.wait.choices.1.go: exit '@menu/': an exit is a node id, `@flow`, `@flow/node`, `end` or `stop`",
    ]);
  });

  it("reports a bad id and a misspelt field as schema errors", async () => {
    const dirs = await fixture({
      flows: {
        "extra.yaml": [
          "flow: extra",
          "nodes:",
          "  - id: Start_Here",
          "    actions: [{ say: common:yes }]",
          "    gooo: end",
          "",
        ].join("\n"),
      },
    });
    const problems = await check(dirs);
    expect(problems.length).toBeGreaterThanOrEqual(2);
    expect(problems.every((p) => p.startsWith("flows/extra.yaml › node Start_Here: nodes.0"))).toBe(true);
    expect(problems.some((p) => p.includes("ids are lower-case letters"))).toBe(true);
    expect(problems.some((p) => p.includes("gooo"))).toBe(true);
  });

  it("reports an emit that no desk handles, naming the flow, the node and the request", async () => {
    const dirs = await fixture({
      flows: {
        "extra.yaml": [
          "flow: extra",
          "nodes:",
          "  - id: start",
          "    actions: [{ emit: subscribe }, { emit: foo }]",
          "    go: end",
          "",
        ].join("\n"),
      },
    });
    const problems = await check(dirs);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^flows\/extra\.yaml › flow extra › node start: nobody handles emit 'foo' \(handled: /);
  });

  it("reads the names the desks declare, without a database", async () => {
    const { HANDLED_REQUESTS } = await import("../../src/conversation/request-names.js");
    expect([...HANDLED_REQUESTS].sort()).toEqual(
      ["activities", "activity_draft", "erase", "handoff", "handoff_create", "handoff_preview", "handoff_visit", "quiet_off", "quiet_on", "subscribe", "subscriptions", "unsubscribe"],
    );
  });

  it("reports YAML that does not parse, and a file whose flow id differs from its name", async () => {
    const dirs = await fixture({
      flows: {
        "broken.yaml": "flow: broken\nnodes: [\n",
        "named.yaml": "flow: other-name\nnodes:\n  - id: start\n    actions: [{ say: common:yes }]\n",
      },
    });
    const problems = await check(dirs);
    expect(problems).toHaveLength(2);
    expect(problems[0]).toMatch(/^flows\/broken\.yaml: YAML: /);
    expect(problems[1]).toBe('flows/named.yaml: the file declares flow "other-name"; a flow\'s id is its file name');
  });

  it("reports an exit to a node that does not exist, and to a flow that does not exist", async () => {
    const dirs = await fixture({
      flows: {
        "extra.yaml": [
          "flow: extra",
          "nodes:",
          "  - id: start",
          "    actions: [{ say: common:yes }]",
          "    wait:",
          "      choices:",
          "        - { id: a, label: common:yes, go: nowhere }",
          "        - { id: b, label: common:no, go: '@nope' }",
          "        - { id: c, label: common:to_menu, go: '@menu/nothing' }",
          "",
        ].join("\n"),
      },
    });
    expect(await check(dirs)).toEqual([
      'flows/extra.yaml › flow extra › node start: choice a goes to node "nowhere", which does not exist',
      'flows/extra.yaml › flow extra › node start: choice b goes to flow "nope", which does not exist',
      'flows/extra.yaml › flow extra › node start: choice c goes to node "nothing" in flow "menu", which does not exist',
    ]);
  });

  it("reports an unreachable node", async () => {
    const dirs = await fixture({
      flows: {
        "extra.yaml": [
          "flow: extra",
          "nodes:",
          "  - id: start",
          "    actions: [{ say: common:yes }]",
          "    wait: { choices: [{ id: a, label: common:yes, go: next }] }",
          "  - id: next",
          "    actions: [{ say: common:no }]",
          "    go: '@menu'",
          "  - id: orphan",
          "    actions: [{ say: common:no }]",
          "    go: start",
          "",
        ].join("\n"),
      },
    });
    expect(await check(dirs)).toEqual(["flows/extra.yaml › flow extra › node orphan: unreachable: no exit leads here from the flow's start"]);
  });

  it("counts a node entered from another flow (`@flow/node`) as reachable", async () => {
    const dirs = await fixture({
      flows: {
        "extra.yaml": [
          "flow: extra",
          "nodes:",
          "  - id: start",
          "    actions: [{ say: common:yes }]",
          "    go: end",
          "  - id: side-door",
          "    actions: [{ say: common:no }]",
          "    go: end",
          "",
        ].join("\n"),
        "other.yaml": ["flow: other", "nodes:", "  - id: start", "    go: '@extra/side-door'", ""].join("\n"),
      },
    });
    // `other` itself is entered by no one, but a flow's start is always reachable; side-door is entered from `other`.
    expect(await check(dirs)).toEqual([]);
  });

  it("reports a wait with no way out", async () => {
    const dirs = await fixture({
      flows: {
        "extra.yaml": [
          "flow: extra",
          "nodes:",
          "  - id: start",
          "    actions: [{ say: common:yes }]",
          "    wait: { choices: [{ id: a, label: common:yes, go: loop }] }",
          "  - id: loop",
          "    actions: [{ say: common:no }]",
          "    wait:",
          "      choices:",
          "        - { id: again, label: common:yes, go: loop }",
          "        - { id: still, label: common:no, go: loop }",
          "      timeout: { after: 2d, go: loop }",
          "",
        ].join("\n"),
      },
    });
    expect(await check(dirs)).toEqual(["flows/extra.yaml › flow extra › node loop: this wait has no way out: every exit comes back to it"]);
  });
});
