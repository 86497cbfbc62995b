import { foldText } from "./fold-text.js";
import { cyrillicReading } from "./latin-cyrillic.js";
import type { Concept, SignalWords } from "./signal-words.js";

/** A concept that a word or phrase stands for, and the language that says so. */
export type Tag = { readonly concept: Concept; readonly language: string };

/** A concept found in a clause: where (token positions, end exclusive) and whether its own word is negative. */
export type Mark = {
  readonly concept: Concept;
  readonly start: number;
  readonly end: number;
  readonly selfNegated: boolean;
  /** The languages that read it so; a negation only turns around a word of its own language. */
  readonly languages: readonly string[];
  /** An act of several words with a thing inside it ("wali w drzwi": bangs on the door), the thing's own mark dropped. */
  readonly holdsThing?: boolean;
};

type PatternKind = "exact" | "prefix" | "suffix" | "contains";
type WordPattern = { readonly kind: PatternKind; readonly text: string };
type Phrase = { readonly words: readonly (number | typeof GAP)[]; readonly tags: readonly Tag[]; readonly everyday: boolean; readonly language: string };
/** A token's match of one word pattern; `rest` is what follows a matched prefix. */
type WordHit = { readonly id: number; readonly rest: string };

/** What one language makes of one word. */
type WordReading = { concepts: Set<Concept>; selfNegated: boolean };
/**
 * What a folded word matches and how each language reads it; `cyrillic` is, for a word no list knows, the Cyrillic
 * reading a list does know (null: none), worked out the first time a message asks.
 */
type WordAnalysis = { readonly hits: readonly WordHit[]; readonly byLanguage: ReadonlyMap<string, WordReading>; cyrillic?: string | null };
/**
 * Words remembered with their reading; past this many the memory starts afresh (a few MB at most). The corpus alone
 * holds over 20,000 distinct words: at 20,000 its loop started afresh every pass (bench (c) 54.8 µs a message; 38.7
 * at 40,000).
 */
const WORD_CACHE = 40_000;

function sameConcepts(a: ReadonlySet<Concept>, b: ReadonlySet<Concept>): boolean {
  return a.size === b.size && [...a].every((c) => b.has(c));
}

/** Whether a word is only the digits 0–9 (as `/^\d+$/u` says, without a regular expression: it is asked of every word). */
function isDigits(word: string): boolean {
  if (word.length === 0) return false;
  for (let i = 0; i < word.length; i++) {
    const c = word.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

/** `*` standing alone in a phrase: up to this many words of anything. */
const GAP = -1;
const GAP_MAX_WORDS = 3;
/** Words either side that decide which language a word is read in when languages disagree. */
const LOCAL_WINDOW = 3;

/**
 * Fewest words of Latin letters that no list knows as written but one knows in Cyrillic ("xapaje", "shyju") before a
 * message's Latin-letter words are read as Ukrainian: one such word may be chance (a name, a typo in another language).
 */
const LATIN_CYRILLIC_MIN = 2;
/** Concepts that a verb-attached object ending (Arabic ـني) may follow. */
const ACTS: ReadonlySet<Concept> = new Set(["harm", "harmed", "kill", "threat", "sexual", "lock", "control", "force", "take", "shout", "belittle", "isolate", "forbid", "withhold"]);

/** Thrown when a signals file has a pattern the index cannot use; says which language and pattern. */
export class SignalPatternError extends Error {
  override name = "SignalPatternError";
}

/**
 * Every language's signal words compiled for one pass over a clause: exact words and phrases in
 * maps, prefixes and suffixes looked up by length, so a message costs a few map look-ups a word
 * whatever the number of patterns.
 */
export class WordIndex {
  readonly #patterns: WordPattern[] = [];
  readonly #patternIds = new Map<string, number>();
  readonly #exact = new Map<string, number>();
  readonly #prefix = new Map<string, number>();
  readonly #suffix = new Map<string, number>();
  /** Patterns matched inside a word, by their first character. */
  readonly #contains = new Map<string, { part: string; id: number }[]>();
  #prefixLengths: number[] = [];
  #suffixLengths: number[] = [];
  /** Single-word patterns → what they stand for. */
  readonly #wordTags = new Map<number, Tag[]>();
  /**
   * Phrases by their first word, then by their second: a common first word ("beni", "he") starts hundreds of
   * phrases, and trying only those whose second word is there saves most of the matching. `open` holds the phrases
   * of one word (everyday) or with a gap second.
   */
  readonly #phrases = new Map<number, { open: Phrase[]; bySecond: Map<number, Phrase[]> }>();
  readonly #spelling = new Map<string, string[]>();
  readonly #negativeSuffix = new Map<string, RegExp>();
  readonly #objectSuffixes: { language: string; ending: string; concept: Concept }[] = [];
  readonly #wordCache = new Map<string, WordAnalysis>();

  constructor(byLanguage: Readonly<Record<string, SignalWords>>) {
    for (const [language, words] of Object.entries(byLanguage)) {
      for (const [from, to] of Object.entries(words.spelling)) {
        const f = foldText(from);
        const t = foldText(to);
        if (!f || !t || f === t) continue;
        const list = this.#spelling.get(f) ?? [];
        if (!list.includes(t)) list.push(t);
        this.#spelling.set(f, list);
      }
      if (words.negative_suffix) {
        try {
          this.#negativeSuffix.set(language, new RegExp(words.negative_suffix, "u"));
        } catch (err) {
          throw new SignalPatternError(`${language}: negative_suffix: ${err instanceof Error ? err.message : String(err)}`);
        }
      }
      for (const [ending, concept] of Object.entries(words.object_suffixes)) {
        this.#objectSuffixes.push({ language, ending: foldText(ending), concept });
      }
      for (const [concept, patterns] of Object.entries(words.concepts) as [Concept, string[]][]) {
        for (const p of patterns) this.#add(language, p, [{ concept, language }], false);
      }
      for (const p of words.everyday) this.#add(language, p, [], true);
    }
    const lengths = (m: Map<string, number>) => [...new Set([...m.keys()].map((k) => k.length))].sort((a, b) => a - b);
    this.#prefixLengths = lengths(this.#prefix);
    this.#suffixLengths = lengths(this.#suffix);
  }

  #add(language: string, raw: string, tags: Tag[], everyday: boolean): void {
    const parts = raw.trim().split(/\s+/u);
    const words = parts.map((w) => (w === "*" ? GAP : this.#pattern(language, raw, w)));
    if (words[0] === GAP || words.at(-1) === GAP) throw new SignalPatternError(`${language}: "${raw}": a phrase cannot start or end with *`);
    if (words.length === 1 && !everyday) {
      const id = words[0]!;
      const list = this.#wordTags.get(id) ?? [];
      for (const t of tags) if (!list.some((x) => x.concept === t.concept && x.language === t.language)) list.push(t);
      this.#wordTags.set(id, list);
      return;
    }
    const first = words[0]!;
    let start = this.#phrases.get(first);
    if (!start) {
      start = { open: [], bySecond: new Map() };
      this.#phrases.set(first, start);
    }
    const second = words[1];
    if (second === undefined || second === GAP) start.open.push({ words, tags, everyday, language });
    else {
      const list = start.bySecond.get(second) ?? [];
      list.push({ words, tags, everyday, language });
      start.bySecond.set(second, list);
    }
  }

  #pattern(language: string, raw: string, word: string): number {
    const starts = word.startsWith("*");
    const ends = word.endsWith("*");
    const core = foldText(word.replace(/^\*|\*$/gu, ""));
    if (core === "" || core.includes(" ")) throw new SignalPatternError(`${language}: "${raw}": "${word}" folds to "${core}"; one word per position`);
    const kind: PatternKind = starts && ends ? "contains" : ends ? "prefix" : starts ? "suffix" : "exact";
    if (kind !== "exact" && [...core].length < 2) throw new SignalPatternError(`${language}: "${raw}": "${word}" is too short to match by part`);
    const key = `${kind}:${core}`;
    const known = this.#patternIds.get(key);
    if (known !== undefined) return known;
    const id = this.#patterns.length;
    this.#patterns.push({ kind, text: core });
    this.#patternIds.set(key, id);
    const table = kind === "exact" ? this.#exact : kind === "prefix" ? this.#prefix : kind === "suffix" ? this.#suffix : undefined;
    if (table) table.set(core, id);
    else {
      const bucket = this.#contains.get(core[0]!) ?? [];
      bucket.push({ part: core, id });
      this.#contains.set(core[0]!, bucket);
    }
    return id;
  }

  /** The forms a folded word may stand for: itself and its texting spellings. */
  #forms(token: string): readonly string[] {
    const alt = this.#spelling.get(token);
    return alt ? [token, ...alt] : [token];
  }

  #hits(token: string): WordHit[] {
    const hits: WordHit[] = [];
    for (const form of this.#forms(token)) {
      const exact = this.#exact.get(form);
      if (exact !== undefined) hits.push({ id: exact, rest: "" });
      for (const n of this.#prefixLengths) {
        if (n > form.length) break;
        const id = this.#prefix.get(form.slice(0, n));
        if (id !== undefined) hits.push({ id, rest: form.slice(n) });
      }
      for (const n of this.#suffixLengths) {
        if (n > form.length) break;
        const id = this.#suffix.get(form.slice(form.length - n));
        if (id !== undefined) hits.push({ id, rest: "" });
      }
      if (this.#contains.size === 0) continue;
      for (const c of new Set(form)) {
        for (const { part, id } of this.#contains.get(c) ?? []) {
          const at = form.indexOf(part);
          if (at >= 0) hits.push({ id, rest: form.slice(at + part.length) });
        }
      }
    }
    return hits;
  }

  /**
   * The concepts in each clause of a message (clauses of folded words): each word's own, those of
   * every phrase that matches, minus any that an everyday phrase covers ("sla de afwas over"). Where
   * languages disagree about a word (Dutch "door" is "by", English "door" a thing; Dutch "bang" is
   * afraid, English "ban…" forbids), the language with the most recognised words in the message wins;
   * that language is also returned as the message's, when one leads. `settled`: an everyday phrase matched, so
   * the rules have the message's reading and the sentence model does not second-guess it.
   */
  read(clauses: readonly (readonly string[])[]): { clauses: Mark[][]; language: string | undefined; settled: boolean } {
    const found = this.#withCyrillicReadings(clauses).map((tokens) => this.#candidates(tokens));
    // Numbers say nothing about the language ("3-0", "20 keer").
    const evidence = new Map<string, number>();
    for (const [n, { words }] of found.entries()) {
      for (const [i, byLanguage] of words.entries()) {
        if (isDigits(clauses[n]![i]!)) continue;
        for (const language of byLanguage.keys()) evidence.set(language, (evidence.get(language) ?? 0) + 1);
      }
    }
    const [first, second] = [...evidence].sort((a, b) => b[1] - a[1]);
    let settled = false;
    const language = first && (!second || first[1] > second[1]) ? first[0] : undefined;
    const marked = found.map(({ words, phrases, everyday }, n) => {
      const tokens = clauses[n]!;
      const marks: Mark[] = [...phrases];
      // A score ("3-0", "4:1") is a match, not people: a thing the rules see.
      for (let i = 0; i + 1 < tokens.length; i++) {
        if (isDigits(tokens[i]!) && isDigits(tokens[i + 1]!)) {
          marks.push({ concept: "thing", start: i, end: i + 2, selfNegated: false, languages: [] });
          marks.push({ concept: "score", start: i, end: i + 2, selfNegated: false, languages: [] });
        }
      }
      for (const [i, byLanguage] of words.entries()) {
        // A word no language reads marks nothing.
        if (byLanguage.size === 0) continue;
        if (byLanguage.size === 1) {
          // Most words: one language reads them, so there is nothing to weigh (the same marks as below, without its maps).
          for (const [language, g] of byLanguage) for (const concept of g.concepts) marks.push({ concept, start: i, end: i + 1, selfNegated: g.selfNegated, languages: [language] });
          continue;
        }
        const all = [...byLanguage.entries()];
        let groups = all;
        if (groups.length > 1 && !groups.every(([, g]) => sameConcepts(g.concepts, groups[0]![1].concepts))) {
          // The words around it decide first ("I want to die, echt ik kan niet meer"), then the whole message.
          const near = new Map<string, number>();
          for (let j = Math.max(0, i - LOCAL_WINDOW); j <= Math.min(words.length - 1, i + LOCAL_WINDOW); j++) {
            if (j === i || isDigits(tokens[j]!)) continue;
            for (const l of words[j]!.keys()) near.set(l, (near.get(l) ?? 0) + 1);
          }
          const score = (l: string) => (near.get(l) ?? 0) * 1000 + (evidence.get(l) ?? 0);
          const best = Math.max(...groups.map(([l]) => score(l)));
          groups = groups.filter(([l]) => score(l) === best);
        }
        const concepts = new Map<Concept, string[]>();
        let selfNegated = false;
        for (const [language, g] of groups) {
          for (const c of g.concepts) {
            const ls = concepts.get(c);
            if (ls) ls.push(language);
            else concepts.set(c, [language]);
          }
          selfNegated ||= g.selfNegated;
        }
        // A topic is harmless to read in any language ("huurtoeslag" in a Polish message is still money).
        for (const [language, g] of all) {
          for (const c of g.concepts) if (c.startsWith("topic_") && !concepts.has(c)) concepts.set(c, [language]);
        }
        for (const [concept, languages] of concepts) marks.push({ concept, start: i, end: i + 1, selfNegated, languages });
      }
      // An everyday phrase counts in the message's language, or in any where none leads: the Turkish "dis* * * sis*"
      // (a tooth and a sister) says nothing about an English "if i disappear pls tell my sister".
      const traps = language === undefined ? everyday : everyday.filter((e) => e[2] === language);
      if (traps.length === 0) return marks;
      settled = true;
      return marks.filter((m) => !traps.some(([a, b]) => m.start < b && a < m.end));
    });
    return { clauses: marked, language, settled };
  }

  /**
   * The clauses read as Ukrainian in Latin letters when at least `LATIN_CYRILLIC_MIN` of their words, and at least half
   * as many as the lists know as written, are known to no list as written but known in Cyrillic (`cyrillicReading`):
   * then those words are read so; else the clauses as they are. A word some list knows as written keeps that reading
   * ("b'ye" is a Latin spelling the Ukrainian list has).
   */
  #withCyrillicReadings(clauses: readonly (readonly string[])[]): readonly (readonly string[])[] {
    let unknownRead = 0;
    let known = 0;
    for (const tokens of clauses) {
      for (const token of tokens) {
        if (this.#word(token).hits.length > 0) known++;
        else if (this.#knownInCyrillic(token) !== undefined) unknownRead++;
      }
    }
    // A message another language reads word after word ("ma pistolet gazowy i wczoraj przylozyl mi go do glowy") is that
    // language with a few words its list lacks, not Ukrainian.
    if (unknownRead < LATIN_CYRILLIC_MIN || unknownRead * 2 < known) return clauses;
    return clauses.map((tokens) => tokens.map((token) => this.#knownInCyrillic(token) ?? token));
  }

  /** For a word no list knows as written, its Cyrillic reading when some list knows that; else undefined. Remembered with the word. */
  #knownInCyrillic(token: string): string | undefined {
    const analysis = this.#word(token);
    if (analysis.hits.length > 0) return undefined;
    if (analysis.cyrillic === undefined) {
      const cyrillic = cyrillicReading(token);
      analysis.cyrillic = cyrillic !== undefined && this.#word(cyrillic).hits.length > 0 ? cyrillic : null;
    }
    return analysis.cyrillic ?? undefined;
  }

  /** Every language's reading of each word, the phrases that match, and the everyday spans. */
  #candidates(tokens: readonly string[]): { words: ReadonlyMap<string, WordReading>[]; phrases: Mark[]; everyday: [number, number, string][] } {
    const read = tokens.map((t) => this.#word(t));
    const hits = read.map((w) => w.hits);
    const words = read.map((w) => w.byLanguage);
    const phrases: Mark[] = [];
    const everyday: [number, number, string][] = [];
    const found = (phrase: Phrase, i: number, end: number) => {
      if (end < 0) return;
      if (phrase.everyday) everyday.push([i, end, phrase.language]);
      else for (const tag of phrase.tags) phrases.push({ concept: tag.concept, start: i, end, selfNegated: false, languages: [tag.language] });
    };
    for (let i = 0; i < tokens.length; i++) {
      for (const { id } of hits[i]!) {
        const start = this.#phrases.get(id);
        if (!start) continue;
        for (const phrase of start.open) found(phrase, i, this.#matchFrom(phrase.words, 1, i + 1, hits));
        if (i + 1 >= tokens.length || start.bySecond.size === 0) continue;
        for (const { id: next } of hits[i + 1]!) for (const phrase of start.bySecond.get(next) ?? []) found(phrase, i, this.#matchFrom(phrase.words, 2, i + 2, hits));
      }
    }
    return { words, phrases, everyday };
  }

  /**
   * What one folded word matches and what each language reads it as. Depends on the word alone, so it
   * is remembered: words repeat, and a message then costs a map look-up a word. Bounded by WORD_CACHE.
   */
  #word(token: string): WordAnalysis {
    const known = this.#wordCache.get(token);
    if (known) return known;
    const hits = this.#hits(token);
    const byLanguage = new Map<string, WordReading>();
    for (const { id, rest } of hits) {
      for (const tag of this.#wordTags.get(id) ?? []) {
        let reading = byLanguage.get(tag.language);
        if (!reading) {
          reading = { concepts: new Set(), selfNegated: false };
          byLanguage.set(tag.language, reading);
        }
        const neg = this.#negativeSuffix.get(tag.language);
        if (neg && rest !== "" && neg.test(rest)) reading.selfNegated = true;
        reading.concepts.add(tag.concept);
        if (ACTS.has(tag.concept)) {
          for (const o of this.#objectSuffixes) {
            if (o.language === tag.language && token.endsWith(o.ending) && token.length >= o.ending.length + 2) reading.concepts.add(o.concept);
          }
        }
      }
    }
    const analysis: WordAnalysis = { hits, byLanguage };
    if (this.#wordCache.size >= WORD_CACHE) this.#wordCache.clear();
    this.#wordCache.set(token, analysis);
    return analysis;
  }

  /** Where the rest of a phrase ends when it matches from token `at`, or -1. */
  #matchFrom(words: readonly number[], w: number, at: number, hits: readonly (readonly WordHit[])[]): number {
    if (w === words.length) return at;
    const word = words[w]!;
    if (word === GAP) {
      for (let skip = 0; skip <= GAP_MAX_WORDS && at + skip <= hits.length; skip++) {
        const end = this.#matchFrom(words, w + 1, at + skip, hits);
        if (end >= 0) return end;
      }
      return -1;
    }
    if (at >= hits.length || !hits[at]!.some((h) => h.id === word)) return -1;
    return this.#matchFrom(words, w + 1, at + 1, hits);
  }
}
