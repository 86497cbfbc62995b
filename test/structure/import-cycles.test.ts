import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";

/**
 * No import circles in src/: a circle means two parts can only be understood (and loaded) together. Every
 * import counts, type-only ones too (`import type`, `export type … from`): a type circle is the same tangle,
 * only hidden from the loader. Static imports, re-exports and `import("…")` with a literal path are read.
 */

const SRC = resolve(import.meta.dirname, "../../src");

/** Module specifiers a file imports: `import … from`, `import "…"`, `export … from`, `import("…")`. */
function importsOf(source: string): string[] {
  const found: string[] = [];
  const patterns = [/^\s*(?:import|export)\s[^;]*?\sfrom\s*["']([^"']+)["']/gms, /^\s*import\s*["']([^"']+)["']/gm, /\bimport\(\s*["']([^"']+)["']\s*\)/g];
  for (const p of patterns) for (const m of source.matchAll(p)) found.push(m[1]!);
  return found;
}

/** The first circle found in a graph (node → the nodes it imports), as a path that ends where it starts. */
function findCycle(graph: ReadonlyMap<string, readonly string[]>): string[] | undefined {
  const done = new Set<string>();
  const onPath = new Map<string, number>();
  const path: string[] = [];
  const visit = (node: string): string[] | undefined => {
    if (done.has(node)) return undefined;
    const at = onPath.get(node);
    if (at !== undefined) return [...path.slice(at), node];
    onPath.set(node, path.length);
    path.push(node);
    for (const next of [...(graph.get(node) ?? [])].sort()) {
      const cycle = visit(next);
      if (cycle) return cycle;
    }
    path.pop();
    onPath.delete(node);
    done.add(node);
    return undefined;
  };
  for (const node of [...graph.keys()].sort()) {
    const cycle = visit(node);
    if (cycle) return cycle;
  }
  return undefined;
}

function tsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = join(dir, e.name);
    if (e.isDirectory()) return e.name === "generated" ? [] : tsFiles(full);
    return e.name.endsWith(".ts") && !e.name.endsWith(".d.ts") ? [full] : [];
  });
}

/** src/ as a graph of its own files (paths relative to src/); packages and generated code are left out. */
function sourceGraph(): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const file of tsFiles(SRC)) {
    const local = importsOf(readFileSync(file, "utf8"))
      .filter((s) => s.startsWith("."))
      .map((s) => relative(SRC, resolve(dirname(file), s)).replace(/\.js$/, ".ts"))
      .filter((target) => !target.startsWith("generated/") && !target.startsWith(".."));
    graph.set(relative(SRC, file), [...new Set(local)]);
  }
  return graph;
}

describe("import cycles", () => {
  it("reads every kind of import", () => {
    const source = [
      `import { a } from "./a.js";`,
      `import type { B } from "./b.js";`,
      `import {\n  c,\n  d,\n} from "./c.js";`,
      `export { e } from "./e.js";`,
      `export type { F } from "./f.js";`,
      `import "./g.js";`,
      `const h = await import("./h.js");`,
      `const text = "not an import from './x.js'";`,
    ].join("\n");
    expect(importsOf(source)).toEqual(expect.arrayContaining(["./a.js", "./b.js", "./c.js", "./e.js", "./f.js", "./g.js", "./h.js"]));
    expect(importsOf(source)).not.toContain("./x.js");
  });

  it("finds a circle in a small graph, and none where there is none", () => {
    const circle = new Map([
      ["a", ["b"]],
      ["b", ["c", "d"]],
      ["c", ["a"]],
      ["d", []],
    ]);
    expect(findCycle(circle)).toEqual(["a", "b", "c", "a"]);
    expect(findCycle(new Map([["a", ["a"]]]))).toEqual(["a", "a"]);
    const tree = new Map([
      ["a", ["b", "c"]],
      ["b", ["c"]],
      ["c", []],
    ]);
    expect(findCycle(tree)).toBeUndefined();
  });

  it("src/ has none", () => {
    const graph = sourceGraph();
    expect(graph.size).toBeGreaterThan(100);
    expect([...graph.values()].flat().length).toBeGreaterThan(300);
    const cycle = findCycle(graph);
    expect(cycle, cycle ? `import circle: ${cycle.join(" → ")}` : "").toBeUndefined();
  });
});
