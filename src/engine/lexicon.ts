import { z } from "zod";
import { foldText } from "./recognition/fold-text.js";

/** Words and phrases per language that work anywhere in any flow, before normal routing. */
export const intentWordsSchema = z
  .object({
    menu: z.array(z.string().min(1)).min(1),
    back: z.array(z.string().min(1)).min(1),
    language: z.array(z.string().min(1)).min(1),
    erase: z.array(z.string().min(1)).min(1),
    /** Stop activity messages at once, in one word ("afmelden"); kept apart from erasing everything. */
    unsubscribe: z.array(z.string().min(1)).min(1),
    emergency: z.array(z.string().min(1)).min(1),
    /** Asking for a person ("met iemand praten", "talk to someone"): the handoff for the topic at hand. */
    talk: z.array(z.string().min(1)).min(1),
  })
  .strict();
export type IntentWords = z.input<typeof intentWordsSchema>;

/** The global intents, in the order they win when several match. */
export const GLOBAL_INTENTS = ["emergency", "erase", "unsubscribe", "language", "menu", "back", "talk"] as const;
export type GlobalIntent = (typeof GLOBAL_INTENTS)[number];

/** The folding every typed word goes through before it is compared; see fold-text.ts. */
export const normalizeText = foldText;

/**
 * Finds global intents: words that work anywhere in any flow when they are the whole message
 * ("menu", "SOS", "stop"), in any supported language. Danger in a sentence is the recognizer's
 * (recognition/recognizer.ts).
 */
export class Lexicon {
  readonly #exact = new Map<string, GlobalIntent>();

  constructor(byLanguage: Readonly<Record<string, IntentWords>>) {
    for (const words of Object.values(byLanguage)) {
      for (const intent of GLOBAL_INTENTS) {
        for (const w of words[intent] ?? []) {
          const n = foldText(w);
          // The first intent in GLOBAL_INTENTS order wins a word claimed by two.
          const prior = this.#exact.get(n);
          if (n && (prior === undefined || GLOBAL_INTENTS.indexOf(intent) < GLOBAL_INTENTS.indexOf(prior))) {
            this.#exact.set(n, intent);
          }
        }
      }
    }
  }

  /** A global intent when the whole message is one of its words (or a `/command`). */
  intentOf(text: string): GlobalIntent | undefined {
    return this.intentOfFolded(foldText(text.startsWith("/") ? text.slice(1).split("@")[0] ?? "" : text));
  }

  /** The same for a message already folded (foldText) that is not a `/command`; the engine folds a message once. */
  intentOfFolded(folded: string): GlobalIntent | undefined {
    return this.#exact.get(folded);
  }
}
