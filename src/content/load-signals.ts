import { readFile } from "node:fs/promises";
import path from "node:path";
import { parse as parseYaml } from "yaml";
import { SignalPatternError, WordIndex } from "../engine/recognition/word-index.js";
import { signalWordsSchema, type SignalWords } from "../engine/recognition/signal-words.js";
import { SentenceModel, sentenceModelFileSchema } from "../engine/recognition/sentence-model.js";
import { LANGUAGES } from "./vocabulary.js";
import { LOCALES_DIR } from "./load-content.js";

/**
 * Every language's signal words, their index for all languages at once (built once, here: the recognizer takes it
 * as it is), and what is wrong with any file (named by file and field).
 */
export type LoadedSignals = { words: Record<string, SignalWords>; index: WordIndex; model?: SentenceModel | undefined; problems: string[] };

/** The sentence model beside the word lists, written by `npm run safety:train`. */
export const SENTENCE_MODEL_FILE = "signals-model.json";

/** Reads the sentence model; a missing or invalid file is a problem (recognition then runs on the rules alone). */
async function loadSentenceModel(dir: string, problems: string[]): Promise<SentenceModel | undefined> {
  try {
    const parsed = sentenceModelFileSchema.safeParse(JSON.parse(await readFile(path.join(dir, SENTENCE_MODEL_FILE), "utf8")));
    if (parsed.success) return new SentenceModel(parsed.data);
    for (const issue of parsed.error.issues) problems.push(`locales/${SENTENCE_MODEL_FILE}: ${issue.path.join(".")}: ${issue.message}`);
  } catch (err) {
    problems.push(`locales/${SENTENCE_MODEL_FILE}: ${err instanceof Error ? err.message : String(err)}`);
  }
  return undefined;
}

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
  const model = await loadSentenceModel(dir, problems);
  await yieldToRequests();
  try {
    return { words, index: new WordIndex(words), model, problems };
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
  return { words, index: new WordIndex(words), model, problems };
}
