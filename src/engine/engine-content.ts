import type { EngineEvent } from "./events.js";
import type { Flow } from "./flow-schema.js";
import type { Lexicon } from "./lexicon.js";
import type { Recognizer } from "./recognition/recognizer.js";
import type { SessionState } from "./session-state.js";

/** What the resident did. `choice` carries a payload the engine made earlier. */
export type EngineInput =
  | { kind: "text"; text: string }
  | { kind: "choice"; payload: string }
  | { kind: "start"; languageHint?: string | undefined }
  | { kind: "unsupported"; what: string };

/** Flows and words the engine runs on; all plain data, loaded by the caller. */
export type EngineContent = {
  flows: ReadonlyMap<string, Flow>;
  lexicon: Lexicon;
  /** Reads danger, crisis, hints and topics in the resident's own words, in every language at once. */
  recognizer: Recognizer;
  /** A translated string, or undefined when the key is missing; used to match typed labels. */
  translate: (language: string, key: string) => string | undefined;
  languages: readonly string[];
  defaultLanguage: string;
  /**
   * Flows the engine itself starts (`flow` or `flow/node`): `safetyAndCrisis` when danger and thoughts of
   * suicide come together, `talk` when the resident asks for a person.
   */
  entry: {
    onboarding: string;
    menu: string;
    safety: string;
    safetyAndCrisis: string;
    crisis: string;
    hint: string;
    /** Where a carer's strain in their own words is answered (`flow/node`: support for carers). */
    carerStrain: string;
    talk: string;
    /** Where the talk flow goes when the service finds nobody for the topic (`flow/node`). */
    talkNone: string;
    language: string;
    erase: string;
    unsubscribe: string;
    welcomeBack: string;
  };
  /**
   * How the talk flow learns whose help is asked for: `field` carries the topic into it ("talk to someone"
   * sets it, and a `set` of it on the way there names it), `fallback` when the flow the resident is in has none.
   */
  talkTopic: { field: string; fallback: string };
  /** The flow of each practical topic a typed word can lead to. */
  topics: Readonly<Record<string, string>>;
  /** A resident silent this long (ms) is welcomed back and asked to go on or start over. */
  welcomeBackAfterMs: number;
};

/** The result of one step: the new state and what should happen. */
export type StepResult = { state: SessionState; events: EngineEvent[] };
