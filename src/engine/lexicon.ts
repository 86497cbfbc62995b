import { z } from "zod";

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
    /** Phrases that signal danger or fear anywhere in a message ("hij slaat mij", "ik ben bang"). */
    danger: z.array(z.string().min(1)).min(1),
    /** Words that, right before or right after a danger phrase, turn it around ("not afraid", "slaat me niet"). */
    negations: z.array(z.string().min(1)).min(1),
    /**
     * Everyday phrases that contain or overlap a danger phrase but are not danger ("ik ben bang dat ik de
     * huur...", "afraid of the exam"): a danger match that overlaps one of these does not count.
     */
    not_danger: z.array(z.string().min(1)).default([]),
  })
  .strict();
export type IntentWords = z.input<typeof intentWordsSchema>;

/** The global intents, in the order they win when several match. */
export const GLOBAL_INTENTS = ["emergency", "erase", "unsubscribe", "language", "menu", "back"] as const;
export type GlobalIntent = (typeof GLOBAL_INTENTS)[number];

const ARABIC_DIGITS = /[\u0660-\u0669\u06F0-\u06F9]/g;

/**
 * Folds text so that people type the way they type: case, accents, Arabic vowel marks and letter
 * variants, Turkish dotless i, punctuation and extra spaces do not matter.
 */
export function normalizeText(s: string): string {
  return s
    .replace(ARABIC_DIGITS, (d) => String((d.charCodeAt(0) - (d.charCodeAt(0) >= 0x06f0 ? 0x06f0 : 0x0660)) % 10))
    .normalize("NFKD")
    .replace(/\p{M}/gu, "")
    .toLowerCase()
    .replace(/ı/g, "i")
    .replace(/[أإآٱ]/g, "ا")
    .replace(/ى/g, "ي")
    .replace(/ة/g, "ه")
    .replace(/[’‘`´ʼ]/g, "'")
    .replace(/[^\p{L}\p{N}' ]+/gu, " ")
    .replace(/\s+/g, " ")
    .trim();
}

function tokens(s: string): string[] {
  const n = normalizeText(s);
  return n === "" ? [] : n.split(" ");
}

/**
 * How many words right before, and right after, a danger phrase are searched for a negation. One:
 * "not afraid" and "slaat me niet" are calm, but "nobody knows he hits me" is not.
 */
const NEGATION_WINDOW = 1;

/** Finds global intents and danger phrases in any supported language. Pure data, built once. */
export class Lexicon {
  readonly #exact = new Map<string, GlobalIntent>();
  /** Danger phrases with the negation words of their own language (a Polish "no" is not an English "no"). */
  readonly #dangerByFirst = new Map<string, { phrase: string[]; negations: ReadonlySet<string> }[]>();
  readonly #notDangerByFirst = new Map<string, string[][]>();

  constructor(byLanguage: Readonly<Record<string, IntentWords>>) {
    for (const words of Object.values(byLanguage)) {
      for (const intent of GLOBAL_INTENTS) {
        for (const w of words[intent]) {
          const n = normalizeText(w);
          // The first intent in GLOBAL_INTENTS order wins a word claimed by two.
          const prior = this.#exact.get(n);
          if (n && (prior === undefined || GLOBAL_INTENTS.indexOf(intent) < GLOBAL_INTENTS.indexOf(prior))) {
            this.#exact.set(n, intent);
          }
        }
      }
      const negations = new Set(words.negations.flatMap(tokens));
      for (const p of words.danger) {
        const t = tokens(p);
        if (t.length > 0) push(this.#dangerByFirst, t[0]!, { phrase: t, negations });
      }
      for (const p of words.not_danger ?? []) {
        const t = clauseTokens(p);
        if (t.length > 0) push(this.#notDangerByFirst, t[0]!, t);
      }
    }
  }

  /** A global intent when the whole message is one of its words (or a `/command`). */
  intentOf(text: string): GlobalIntent | undefined {
    const n = normalizeText(text.startsWith("/") ? text.slice(1).split("@")[0] ?? "" : text);
    return this.#exact.get(n);
  }

  /** True when the message contains a danger phrase that is not negated just before it, in the same clause. */
  signalsDanger(text: string): boolean {
    // Clause breaks stay in the token stream: a danger phrase or a negation never reaches across one
    // ("I'm not ok, he hits me" is a danger signal), but an everyday phrase may ("I'm afraid, that...").
    return this.#signals(clauseTokens(text));
  }

  #signals(t: string[]): boolean {
    // Phrases are indexed by their first word, so a message is scanned once, not once per phrase.
    const safeSpans: (readonly [number, number])[] = [];
    for (let i = 0; i < t.length; i++) {
      for (const p of this.#notDangerByFirst.get(t[i]!) ?? []) if (startsAt(t, p, i)) safeSpans.push([i, i + p.length]);
    }
    for (let i = 0; i < t.length; i++) {
      for (const { phrase, negations } of this.#dangerByFirst.get(t[i]!) ?? []) {
        if (!startsAt(t, phrase, i)) continue;
        const end = i + phrase.length;
        // Inside, or overlapping, an everyday phrase ("I'm afraid of the exam") is not a danger signal.
        if (safeSpans.some(([a, b]) => a < end && i < b)) continue;
        const around = [...t.slice(Math.max(0, i - NEGATION_WINDOW), i), ...t.slice(end, end + NEGATION_WINDOW)];
        if (!around.some((w) => negations.has(w))) return true;
      }
    }
    return false;
  }

}

const BREAK = "|";

/** Tokens with a BREAK between clauses (at . , ! ? ; and line ends). */
function clauseTokens(text: string): string[] {
  const out: string[] = [];
  for (const clause of text.split(/[.!?;,،؛\n]+/u)) {
    const t = tokens(clause);
    if (t.length === 0) continue;
    if (out.length > 0) out.push(BREAK);
    out.push(...t);
  }
  return out;
}

/** True when `phrase` occurs in `t` as whole words starting at `i`. */
function startsAt(t: readonly string[], phrase: readonly string[], i: number): boolean {
  if (i + phrase.length > t.length) return false;
  for (let j = 0; j < phrase.length; j++) if (t[i + j] !== phrase[j]) return false;
  return true;
}

function push<V>(map: Map<string, V[]>, key: string, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
