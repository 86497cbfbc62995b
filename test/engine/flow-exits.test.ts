import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { FLOWS_DIR } from "../../src/content/load-content.js";
import { exitText, flowSchema, parseExit, targetSchema, type Exit } from "../../src/engine/flow-schema.js";

/** Exits as written in YAML become a union tagged by `kind` at load; nothing later parses strings. */
describe("flow exits", () => {
  it("parses every written form into its kind", () => {
    const cases: [string, Exit][] = [
      ["ask-debt", { kind: "node", node: "ask-debt" }],
      ["@menu", { kind: "flow", flow: "menu" }],
      ["@menu/topics", { kind: "flow", flow: "menu", node: "topics" }],
      ["end", { kind: "end" }],
      ["stop", { kind: "stop" }],
    ];
    for (const [text, exit] of cases) {
      expect(targetSchema.parse(text)).toEqual(exit);
      expect(exitText(exit)).toBe(text);
    }
  });

  it("rejects malformed exits, quoting them", () => {
    for (const text of ["@x/", "@", "@/a", "@a/b/c", "Ask", "ask debt", "", "-a", "@menu/Topics"]) {
      expect(parseExit(text), text).toBeUndefined();
      const r = targetSchema.safeParse(text);
      expect(r.success, text).toBe(false);
      expect(r.error?.issues.map((i) => i.message)).toEqual([`exit '${text}': an exit is a node id, \`@flow\`, \`@flow/node\`, \`end\` or \`stop\``]);
    }
  });

  it("says where a malformed exit is, and still reports the node's other problems", () => {
    const r = flowSchema.safeParse({
      flow: "money",
      nodes: [
        { id: "start", go: "ask-debt" },
        { id: "ask-debt", go: "@x/", wait: { choices: [{ id: "a", label: "common:yes", go: "end" }] } },
      ],
    });
    expect(r.error?.issues.map((i) => `${i.path.join(".")}: ${i.message}`)).toEqual([
      "nodes.1.go: exit '@x/': an exit is a node id, `@flow`, `@flow/node`, `end` or `stop`",
      "nodes.1: a node has at most one of wait, branch and go",
    ]);
  });

  it("tags every exit of a loaded node, in every place an exit is written", () => {
    const flow = flowSchema.parse({
      flow: "tiny",
      nodes: [
        { id: "start", once: { key: "k", else: "@menu" }, wait: { choices: [{ id: "a", label: "common:yes", go: "next" }], text: { go: "end" }, other: "stop", timeout: { after: "1d", go: "@menu/topics" } } },
        { id: "next", branch: { field: "f", cases: [{ equals: 1, go: "start" }], default: "end" } },
      ],
    });
    const [start, next] = flow.nodes;
    expect(start!.once!.else).toEqual({ kind: "flow", flow: "menu" });
    expect(start!.wait!.choices![0]!.go).toEqual({ kind: "node", node: "next" });
    expect(start!.wait!.text!.go).toEqual({ kind: "end" });
    expect(start!.wait!.other).toEqual({ kind: "stop" });
    expect(start!.wait!.timeout!.go).toEqual({ kind: "flow", flow: "menu", node: "topics" });
    expect(next!.branch!.cases[0]!.go).toEqual({ kind: "node", node: "start" });
    expect(next!.branch!.default).toEqual({ kind: "end" });
  });

  it("writes every exit of the real flows back as it is written in the YAML", async () => {
    const written = (v: unknown, key: string): string[] => {
      if (Array.isArray(v)) return v.flatMap((x) => written(x, key));
      if (v === null || typeof v !== "object") return [];
      return Object.entries(v).flatMap(([k, x]) =>
        typeof x === "string" && ["go", "else", "other", "default"].includes(k) && key !== "args" ? [x] : written(x, k),
      );
    };
    let count = 0;
    for (const file of (await readdir(FLOWS_DIR)).filter((f) => f.endsWith(".yaml"))) {
      const raw: unknown = parse(await readFile(path.join(FLOWS_DIR, file), "utf8"));
      const texts = written(raw, "");
      for (const text of texts) {
        const exit = parseExit(text);
        expect(exit, `${file}: ${text}`).toBeDefined();
        expect(exitText(exit!)).toBe(text);
      }
      count += texts.length;
    }
    expect(count).toBeGreaterThan(100);
  });
});
