import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { parse as parseYaml } from "yaml";
import { flowSchema, type Flow } from "../engine/flow-schema.js";
import { intentWordsSchema, type IntentWords } from "../engine/lexicon.js";
import type { FlowProblem } from "../engine/validate-graph.js";
import { LANGUAGES } from "./vocabulary.js";

/** The repository's content folders. */
export const ROOT_DIR = path.resolve(import.meta.dirname, "..", "..");
export const FLOWS_DIR = path.join(ROOT_DIR, "flows");
export const LOCALES_DIR = path.join(ROOT_DIR, "locales");

/** Nested i18n resources of one namespace. */
export type Resource = { [key: string]: string | string[] | Resource };
/** language → namespace → resource */
export type Locales = Record<string, Record<string, Resource>>;

/** Flows as loaded, with the files that failed their schema reported rather than thrown. */
export type LoadedFlows = { flows: Map<string, Flow>; problems: (FlowProblem & { file: string })[] };

/** Thrown at start-up when content cannot run; lists each problem with file and node. */
export class ContentError extends Error {
  override name = "ContentError";
  constructor(readonly problems: readonly string[]) {
    super(`Flows or locales are not valid:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
  }
}

/** Reads every `flows/*.yaml`, one flow a file, validating each with the flow schema. */
export async function loadFlows(dir: string = FLOWS_DIR): Promise<LoadedFlows> {
  const files = (await readdir(dir)).filter((f) => f.endsWith(".yaml") || f.endsWith(".yml")).sort();
  const flows = new Map<string, Flow>();
  const problems: LoadedFlows["problems"] = [];
  for (const file of files) {
    const id = file.replace(/\.ya?ml$/, "");
    let raw: unknown;
    try {
      raw = parseYaml(await readFile(path.join(dir, file), "utf8"));
    } catch (err) {
      problems.push({ file, flow: id, message: `YAML: ${err instanceof Error ? err.message : String(err)}` });
      continue;
    }
    const parsed = flowSchema.safeParse(raw);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        const nodeIndex = issue.path[0] === "nodes" && typeof issue.path[1] === "number" ? issue.path[1] : undefined;
        const nodes = (raw as { nodes?: { id?: unknown }[] } | null)?.nodes;
        const nodeId = nodeIndex !== undefined && Array.isArray(nodes) ? nodes[nodeIndex]?.id : undefined;
        problems.push({
          file,
          flow: id,
          node: typeof nodeId === "string" ? nodeId : undefined,
          message: `${issue.path.join(".")}: ${issue.message}`,
        });
      }
      continue;
    }
    if (parsed.data.flow !== id) {
      problems.push({ file, flow: id, message: `the file declares flow "${parsed.data.flow}"; a flow's id is its file name` });
      continue;
    }
    flows.set(id, parsed.data);
  }
  return { flows, problems };
}

/** Reads `locales/<language>/<namespace>.json` for every language folder present. */
export async function loadLocales(dir: string = LOCALES_DIR): Promise<Locales> {
  const out: Locales = {};
  for (const language of (await readdir(dir, { withFileTypes: true })).filter((d) => d.isDirectory()).map((d) => d.name)) {
    const nsFiles = (await readdir(path.join(dir, language))).filter((f) => f.endsWith(".json"));
    out[language] = {};
    for (const file of nsFiles) {
      const text = await readFile(path.join(dir, language, file), "utf8");
      try {
        out[language]![file.replace(/\.json$/, "")] = JSON.parse(text) as Resource;
      } catch (err) {
        throw new ContentError([`locales/${language}/${file}: ${err instanceof Error ? err.message : String(err)}`]);
      }
    }
  }
  return out;
}

/** A key's value in the locales, or undefined: `money:intro`, `common:lang.nl`. */
export function lookup(locales: Locales, language: string, key: string): string | string[] | undefined {
  const [ns, rest] = key.includes(":") ? (key.split(":", 2) as [string, string]) : ["common", key];
  let node: string | string[] | Resource | undefined = locales[language]?.[ns];
  for (const part of rest.split(".")) {
    if (node === undefined || typeof node === "string" || Array.isArray(node)) return undefined;
    node = node[part];
  }
  return typeof node === "string" || Array.isArray(node) ? node : undefined;
}

/** Each language's global-intent words, validated. */
export function intentWordsByLanguage(locales: Locales): { words: Record<string, IntentWords>; problems: string[] } {
  const words: Record<string, IntentWords> = {};
  const problems: string[] = [];
  for (const language of LANGUAGES) {
    const parsed = intentWordsSchema.safeParse(locales[language]?.intents);
    if (parsed.success) words[language] = parsed.data;
    else problems.push(`locales/${language}/intents.json: ${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`);
  }
  return { words, problems };
}
