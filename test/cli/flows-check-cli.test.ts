import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { FLOWS_DIR, LOCALES_DIR, ROOT_DIR } from "../../src/content/load-content.js";
import { contentFixtures } from "../support/content-fixture.js";

/** The CLI in a process of its own (the checks themselves are in test/content/flows-check.test.ts). */
const run = promisify(execFile);
const { fixture } = contentFixtures();

describe("npm run flows:check", () => {
  const cli = async (flowsDir: string, localesDir: string): Promise<{ code: number; stdout: string; stderr: string }> => {
    try {
      const { stdout, stderr } = await run("npx", ["tsx", "src/cli/flows-check.ts", flowsDir, localesDir], { cwd: ROOT_DIR });
      return { code: 0, stdout, stderr };
    } catch (err) {
      const e = err as { code?: number; stdout?: string; stderr?: string };
      return { code: typeof e.code === "number" ? e.code : -1, stdout: e.stdout ?? "", stderr: e.stderr ?? "" };
    }
  };

  it("exits 0 on the real content", async () => {
    const r = await cli(FLOWS_DIR, LOCALES_DIR);
    expect(r.stderr).toBe("");
    expect(r.stdout).toMatch(/flows:check: \d+ flows, all exits, keys, labels and signal words in order/);
    expect(r.code).toBe(0);
  });

  it("exits 1 and names the file and node for broken content", async () => {
    const dirs = await fixture({
      signals: true,
      flows: {
        "extra.yaml": [
          "flow: extra",
          "nodes:",
          "  - id: start",
          "    actions: [{ say: common:yes }]",
          "    wait: { choices: [{ id: a, label: common:yes, go: nowhere }] }",
          "  - id: orphan",
          "    actions: [{ say: common:no }]",
          "    go: end",
          "",
        ].join("\n"),
      },
    });
    const r = await cli(dirs.flowsDir, dirs.localesDir);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("flows:check found 2 problem(s):");
    expect(r.stderr).toContain('✗ flows/extra.yaml › flow extra › node start: choice a goes to node "nowhere", which does not exist');
    expect(r.stderr).toContain("✗ flows/extra.yaml › flow extra › node orphan: unreachable");
    expect(r.stdout).not.toContain("in order");
  });

  it("exits 1 on an emit that no desk handles", async () => {
    const dirs = await fixture({
      signals: true,
      flows: { "extra.yaml": ["flow: extra", "nodes:", "  - id: start", "    actions: [{ emit: foo }]", "    go: end", ""].join("\n") },
    });
    const r = await cli(dirs.flowsDir, dirs.localesDir);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("flows:check found 1 problem(s):");
    expect(r.stderr).toContain("✗ flows/extra.yaml › flow extra › node start: nobody handles emit 'foo'");
  });

  it("exits 1 on a signal word pattern the index cannot read (Naast would not start; the language would recognise nothing)", async () => {
    const dirs = await fixture({ signals: { ar: (yaml) => yaml.replace("  threat: [", '  threat: ["و*شوفي", ') } });
    const r = await cli(dirs.flowsDir, dirs.localesDir);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("flows:check found 1 problem(s):");
    expect(r.stderr).toContain('✗ locales/ar/signals.yaml: ar: "و*شوفي"');
  });
});
