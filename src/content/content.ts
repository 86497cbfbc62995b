import type { EngineContent } from "../engine/engine.js";
import { Lexicon } from "../engine/lexicon.js";
import { Recognizer } from "../engine/recognition/recognizer.js";
import { Translator } from "../i18n/translator.js";
import { checkContent } from "./check-content.js";
export { ENTRY_FLOWS, TOPIC_FLOWS } from "./entry-flows.js";
import { loadDirectory, type DirectoryEntry } from "./directory.js";
import { ENTRY_FLOWS, TALK_TOPIC, TOPIC_FLOWS } from "./entry-flows.js";
import { DEFAULT_LANGUAGE, LANGUAGES } from "./vocabulary.js";
import { ContentError, FLOWS_DIR, intentWordsByLanguage, loadFlows, loadLocales, LOCALES_DIR, type Locales } from "./load-content.js";
import { loadSignals } from "./load-signals.js";

/** Flows the conversation service starts for reasons the engine cannot see (a verified key figure). */
export const SERVICE_FLOWS = { activityDraft: "activity-draft", handoffChat: "handoff-chat" } as const;

/** Silence after which a returning resident is welcomed back (ms): two days. */
export const WELCOME_BACK_AFTER_MS = 2 * 24 * 3_600_000;

/** Everything the conversation needs from `flows/` and `locales/`, checked. */
export type Content = { engine: EngineContent; translator: Translator; locales: Locales; directory: Map<string, DirectoryEntry> };

/** Loads and checks flows and locales; throws ContentError listing every problem. */
export async function loadContent(dirs: { flows?: string; locales?: string; directory?: string } = {}): Promise<Content> {
  const loaded = await loadFlows(dirs.flows ?? FLOWS_DIR);
  const locales = await loadLocales(dirs.locales ?? LOCALES_DIR);
  const directory = await loadDirectory(dirs.directory);
  const signals = await loadSignals(dirs.locales ?? LOCALES_DIR);
  const problems = [...checkContent(loaded, locales, directory), ...signals.problems];
  if (problems.length > 0) throw new ContentError(problems);
  const translator = new Translator(locales);
  const { words } = intentWordsByLanguage(locales);
  return {
    translator,
    locales,
    directory,
    engine: {
      flows: loaded.flows,
      lexicon: new Lexicon(words),
      recognizer: new Recognizer(signals.index, signals.model),
      topics: TOPIC_FLOWS,
      translate: (language, key) => translator.exact(language, key),
      languages: LANGUAGES,
      defaultLanguage: DEFAULT_LANGUAGE,
      entry: ENTRY_FLOWS,
      talkTopic: TALK_TOPIC,
      welcomeBackAfterMs: WELCOME_BACK_AFTER_MS,
    },
  };
}
