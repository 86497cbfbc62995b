import { readFile } from "node:fs/promises";
import path from "node:path";
import { parse as parseYaml } from "yaml";
import { SignalPatternError, WordIndex } from "../engine/recognition/word-index.js";
import { signalWordsSchema, type SignalWords } from "../engine/recognition/signal-words.js";
import { LANGUAGES } from "./vocabulary.js";
import { LOCALES_DIR } from "./load-content.js";

/**
 * Every language's signal words, their index for all languages at once (built once, here: the recognizer takes it
 * as it is), and what is wrong with any file (named by file and field).
 */
export type LoadedSignals = { words: Record<string, SignalWords>; index: WordIndex; problems: string[] };

/** Lets HTTP requests in between the heavy steps of a start-up (a health probe must not wait for all of them). */
const yieldToRequests = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Reads `locales/<lang>/signals.yaml` for every language; a missing or invalid file is a problem, not a throw. */
export async function loadSignals(dir: string = LOCALES_DIR): Promise<LoadedSignals> {
  const words: Record<string, SignalWords> = {};
  const problems: string[] = [];
  for (const language of LANGUAGES) {
    const file = path.join(dir, language, "signals.yaml");
    const where = `locales/${language}/signals.yaml`;
    let raw: unknown;
    try {
      raw = parseYaml(await readFile(file, "utf8"));
    } catch (err) {
      problems.push(`${where}: ${err instanceof Error ? err.message : String(err)}`);
      continue;
    }
    await yieldToRequests();
    const parsed = signalWordsSchema.safeParse(raw);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) problems.push(`${where}: ${issue.path.join(".")}: ${issue.message}`);
      continue;
    }
    words[language] = parsed.data;
  }
  try {
    return { words, index: new WordIndex(words), problems };
  } catch (err) {
    if (!(err instanceof SignalPatternError)) throw err;
  }
  // A pattern is broken: find each language's first, and leave those languages out.
  for (const language of Object.keys(words)) {
    try {
      new WordIndex({ [language]: words[language]! });
    } catch (err) {
      if (!(err instanceof SignalPatternError)) throw err;
      problems.push(`locales/${language}/signals.yaml: ${err.message}`);
      delete words[language];
    }
    await yieldToRequests();
  }
  return { words, index: new WordIndex(words), problems };
}
