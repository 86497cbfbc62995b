import { copyFile, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll } from "vitest";
import { checkContent } from "../../src/content/check-content.js";
import { LANGUAGES } from "../../src/content/vocabulary.js";
import { FLOWS_DIR, loadFlows, loadLocales, LOCALES_DIR } from "../../src/content/load-content.js";

/** Changes to the real content for one fixture. */
export type Fixture = {
  /** Extra or replacing flow files: file name → YAML. */
  flows?: Record<string, string>;
  /** Real entry flows to leave out. */
  omitFlows?: string[];
  /** A namespace to add to every language: language → resource (omit a language to leave it out). */
  namespace?: { name: string; byLanguage: Partial<Record<string, Record<string, string>>> };
  /** Copy the signal words too (flows:check reads them; checkContent does not), each changed by its function. */
  signals?: Partial<Record<string, (yaml: string) => string>> | true;
};

/** Copies the files under `from` that `keep` accepts to `to`, all at once (fs.cp copies one by one). */
async function copyTree(from: string, to: string, keep: (file: string) => boolean): Promise<void> {
  const files = (await readdir(from, { recursive: true, withFileTypes: true })).filter((d) => d.isFile() && keep(d.name));
  const dirs = new Set(files.map((d) => path.join(to, path.relative(from, d.parentPath))));
  await Promise.all([...dirs].map((d) => mkdir(d, { recursive: true })));
  await Promise.all(files.map((d) => copyFile(path.join(d.parentPath, d.name), path.join(to, path.relative(from, d.parentPath), d.name))));
}

/**
 * Copies of the real flows and locales in temp dirs, with changes; call once at the top of a test
 * file (it removes the copies after that file's tests).
 */
export function contentFixtures(): { fixture(f: Fixture): Promise<{ flowsDir: string; localesDir: string }> } {
  const tmpDirs: string[] = [];
  afterAll(async () => {
    await Promise.all(tmpDirs.map((d) => rm(d, { recursive: true, force: true })));
  });
  return {
    async fixture(f) {
      const root = await mkdtemp(path.join(tmpdir(), "naast-flows-check-"));
      tmpDirs.push(root);
      const flowsDir = path.join(root, "flows");
      const localesDir = path.join(root, "locales");
      // The JSON texts only unless asked: checkContent never reads signals.yaml (half the bytes).
      await Promise.all([copyTree(FLOWS_DIR, flowsDir, () => true), copyTree(LOCALES_DIR, localesDir, (name) => Boolean(f.signals) || !name.endsWith(".yaml"))]);
      if (f.signals && f.signals !== true) {
        for (const [language, change] of Object.entries(f.signals)) {
          const file = path.join(localesDir, language, "signals.yaml");
          if (change) await writeFile(file, change(await readFile(file, "utf8")));
        }
      }
      for (const id of f.omitFlows ?? []) await rm(path.join(flowsDir, `${id}.yaml`));
      for (const [file, yaml] of Object.entries(f.flows ?? {})) await writeFile(path.join(flowsDir, file), yaml);
      if (f.namespace) {
        for (const [language, resource] of Object.entries(f.namespace.byLanguage)) {
          await writeFile(path.join(localesDir, language, `${f.namespace.name}.json`), JSON.stringify(resource, null, 2));
        }
      }
      return { flowsDir, localesDir };
    },
  };
}

/** checkContent on flows and locales read from these folders. */
export async function check(dirs: { flowsDir: string; localesDir: string }): Promise<string[]> {
  return checkContent(await loadFlows(dirs.flowsDir), await loadLocales(dirs.localesDir));
}

/** The same strings in every language. */
export function everywhere(resource: Record<string, string>): Record<string, Record<string, string>> {
  return Object.fromEntries(LANGUAGES.map((l) => [l, resource]));
}

/** Texts for a test namespace. */
export const EXTRA_TEXTS = { intro: "Intro", one: "One", two: "Two", three: "Three", four: "Four" };
