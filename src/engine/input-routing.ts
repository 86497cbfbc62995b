import type { EngineContent, EngineInput } from "./engine-content.js";
import { durationMs, type Choice, type Flow, type FlowNode, type Wait } from "./flow-schema.js";
import { GLOBAL_INTENTS, normalizeText, type GlobalIntent } from "./lexicon.js";
import { parseIso } from "./iso-time.js";
import type { Navigation } from "./navigation.js";
import { decodePayload, type Payload } from "./payload.js";
import { qualifyKey } from "./qualify-key.js";
import { decoded, folded, hasLanguage, languageOf, recognize, say, setField, type Run } from "./step-run.js";
import type { Recognition } from "./recognition/recognizer.js";

/** A text router's pattern, compiled once: patterns come from the flow files, so there are few of them. */
const patterns = new Map<string, RegExp>();

/** Whether the wait takes this typed text: it has a text router, and the text matches its pattern if any. */
export function takesText(wait: Wait, text: string): boolean {
  if (wait.text === undefined) return false;
  const source = wait.text.pattern;
  if (!source) return true;
  let pattern = patterns.get(source);
  if (!pattern) patterns.set(source, (pattern = new RegExp(source, "u")));
  return pattern.test(text.trim());
}

/** The typed labels of a list of choices, and the choices (by index) each one-word keyword names. */
type ChoiceLabels = { labels: readonly TypedLabel[]; byWord: ReadonlyMap<string, readonly number[]> };

/** A message that is only a number of one or two digits (0–9 or Arabic-Indic), as a choice is typed. */
const TYPED_NUMBER = /^\s*[0-9\u0660-\u0669\u06F0-\u06F9]{1,2}\s*$/u;

/**
 * A choice's label as a resident might type it (folded), and its keywords (`<label>_kw`, folded), in one
 * language; those of three letters or more are looked for in a sentence: `inSentence` the one-word ones (a
 * word of the sentence), `phrasesInSentence` the others with a space either side (a part of it).
 */
type TypedLabel = { label: string; words: readonly string[]; inSentence: ReadonlySet<string>; phrasesInSentence: readonly string[] };

/**
 * What a typed or tapped input means where the resident is: SOS, stop, menu and the other global words,
 * danger and crisis in their own words, a decoded button payload, a choice named by number or label, text a
 * wait takes, a hint or topic, or nothing understood. Where that leads is navigation's part.
 */
export class InputRouter {
  /**
   * Typed labels by language, then by choice (a choice belongs to one flow, so its label key is fixed).
   * Flows and their labels do not change while an engine runs on them (the only texts changed at run
   * time are the directory's, which no choice uses).
   */
  readonly #labels = new Map<string, Map<Choice, TypedLabel>>();
  /** The same for a wait's whole list of choices, by language (see #choiceLabels). */
  readonly #lists = new Map<string, WeakMap<readonly Choice[], ChoiceLabels>>();

  /**
   * Whether the recognizer reads danger or crisis in no number of one or two digits, checked once on
   * this content (110 readings): then a typed choice number skips that reading, a third of its step.
   */
  readonly #quietNumbers: boolean;

  /**
   * Every payload a button of these flows can send back (each choice of each wait, each global intent),
   * decoded once when the engine is built, and frozen: a tap then costs a map look-up, not a zod parse.
   */
  readonly #payloads = new Map<string, Payload>();

  constructor(
    readonly content: EngineContent,
    private readonly nav: Navigation,
  ) {
    const texts = GLOBAL_INTENTS.map((intent) => `g|${intent}`);
    for (const flow of content.flows.values()) {
      for (const node of flow.nodes) for (const c of node.wait?.choices ?? []) texts.push(`c|${flow.flow}|${node.id}|${c.id}`);
    }
    for (const text of texts) {
      const payload = decodePayload(text);
      if (payload) this.#payloads.set(text, Object.freeze(payload));
    }
    const numbers = Array.from({ length: 100 }, (_, n) => (n < 10 ? [String(n), `0${n}`] : [String(n)])).flat();
    this.#quietNumbers = numbers.every((t) => {
      const r = content.recognizer.recognize(t);
      return !r.danger && !r.crisis;
    });
  }

  /**
   * What one input means where the resident is: a global intent first (SOS, stop, menu, words of danger), then
   * the timeout and the welcome back, then the wait's router: a choice (tapped, its number or label), typed
   * text the wait takes, a hint or topic in the resident's own words, `other`, or "not understood".
   * `languageHint` (a platform's language tag, already mapped to ours) pre-selects the language on first contact.
   */
  route(run: Run, input: EngineInput, languageHint?: string): void {
    const state = run.state;

    if (input.kind === "start") {
      this.nav.start(run, input.languageHint ?? languageHint);
      return;
    }

    const intent = this.#intentOf(run, input);
    if (intent) {
      this.#global(run, intent, input);
      // Words of danger as the very first message: the numbers in the language they were written in.
      if (intent === "emergency-phrase" || intent === "crisis") this.#languageFromWords(run);
      return;
    }

    const at = state.at;
    if (!at) {
      // A hint as the very first message gets its warm offers at once, as danger gets the numbers; the
      // language question of onboarding comes after, with the language of the words pre-selected.
      const first = input.kind === "text" ? recognize(this.content, run, input.text) : undefined;
      if (first?.hint) {
        if (!this.#languageFromWords(run) && !hasLanguage(run) && languageHint && this.content.languages.includes(languageHint)) setField(run, "language", languageHint);
        this.#offerForHint(run, first);
        return;
      }
      this.nav.start(run, languageHint);
      return;
    }
    const { flow, node } = this.nav.resolve(at);
    const wait = node.wait;
    if (!wait) {
      // The flow file changed under a waiting resident; start from the menu rather than fail.
      this.nav.goTo(run, { flow: this.content.entry.menu, node: this.nav.flow(this.content.entry.menu).nodes[0]!.id });
      return;
    }
    const since = state.waitingSince ? parseIso(state.waitingSince) : Number.NaN;
    const silentMs = Number.isFinite(since) ? run.now.getTime() - since : 0;
    if (wait.timeout && silentMs >= durationMs(wait.timeout.after)) {
      this.nav.follow(run, flow, wait.timeout.go);
      return;
    }
    if (silentMs >= this.content.welcomeBackAfterMs && flow.flow !== this.content.entry.welcomeBack) {
      // Back after days: greet, and offer to go on where they were or start over.
      this.nav.call(run, this.content.entry.welcomeBack);
      return;
    }

    if (input.kind === "unsupported") {
      say(run, "common:unsupported_input");
      this.nav.reprompt(run, flow, node, "common:choose_again");
      return;
    }

    const choice = this.match(run, flow, node, input);
    if (choice) {
      state.misses = 0;
      this.#applyChoice(run, choice);
      this.nav.follow(run, flow, choice.go);
    } else if (input.kind === "text" && wait.text && takesText(wait, input.text)) {
      state.misses = 0;
      if (wait.text.save) setField(run, wait.text.save, input.text.slice(0, 500));
      this.nav.follow(run, flow, wait.text.go);
    } else if (input.kind === "text" && flow.readsSignals && this.#signalOrTopic(run, flow, input.text)) {
      state.misses = 0;
    } else if (wait.other) {
      state.misses = 0;
      this.nav.follow(run, flow, wait.other);
    } else {
      this.#notMatched(run, flow, node, input);
    }
  }

  /** The choice this input picks; `wholeMessage` only when the whole message is a label, keyword or number. */
  match(run: Run, flow: Flow, node: FlowNode, input: EngineInput, wholeMessage = false): Choice | undefined {
    const all = node.wait?.choices;
    if (!all) return undefined;
    if (input.kind === "choice") {
      const payload = decoded(run, input.payload, this.#payloads);
      if (payload?.kind !== "choice" || payload.flow !== flow.flow || payload.node !== node.id) return undefined;
      return all.find((x) => x.id === payload.choice);
    }
    if (input.kind !== "text") return undefined;
    // A typed number counts the choices as shown (without a person nobody could be found for).
    const choices = this.nav.shown(run, flow, all);
    const typed = folded(run, input.text);
    if (/^\d{1,2}$/.test(typed)) return choices[Number(typed) - 1];
    const language = languageOf(this.content, run);
    const { labels, byWord } = this.#choiceLabels(language, flow, choices, choices === all);
    const exact = choices.filter((_, i) => labels[i]!.label === typed);
    if (exact.length === 1) return exact[0];
    // A typed sentence that names exactly one choice ("money problems" for "Money").
    if (wholeMessage) {
      const named = choices.filter((_, i) => labels[i]!.words.includes(typed));
      return named.length === 1 ? named[0] : undefined;
    }
    // Named: a one-word keyword is a word of the sentence, or a keyword of more words is a part of it.
    const named = new Array<boolean>(choices.length).fill(false);
    for (const t of typed.split(" ")) for (const i of byWord.get(t) ?? []) named[i] = true;
    const words = ` ${typed} `;
    for (let i = 0; i < choices.length; i++) if (!named[i] && labels[i]!.phrasesInSentence.some((k) => words.includes(k))) named[i] = true;
    const first = named.indexOf(true);
    return first >= 0 && named.indexOf(true, first + 1) < 0 ? choices[first] : undefined;
  }

  /**
   * The typed labels of these choices in `language`, and which of them each one-word keyword belongs to.
   * Remembered for a wait's own list of choices (`keep`); a list with a choice left out is made afresh.
   */
  #choiceLabels(language: string, flow: Flow, choices: readonly Choice[], keep: boolean): ChoiceLabels {
    let byList = this.#lists.get(language);
    const known = byList?.get(choices);
    if (known) return known;
    const labels = choices.map((c) => this.#typedLabel(language, flow, c));
    const byWord = new Map<string, number[]>();
    labels.forEach((l, i) => {
      for (const w of l.inSentence) {
        const list = byWord.get(w);
        if (!list) byWord.set(w, [i]);
        else if (list.at(-1) !== i) list.push(i);
      }
    });
    const made = { labels, byWord };
    if (keep) {
      if (!byList) this.#lists.set(language, (byList = new WeakMap()));
      byList.set(choices, made);
    }
    return made;
  }

  /** A choice's label and its keywords as typed in `language`, folded once per engine. */
  #typedLabel(language: string, flow: Flow, choice: Choice): TypedLabel {
    let byChoice = this.#labels.get(language);
    if (!byChoice) this.#labels.set(language, (byChoice = new Map()));
    let typed = byChoice.get(choice);
    if (!typed) {
      const key = qualifyKey(flow, choice.label);
      const label = normalizeText(this.content.translate(language, key) ?? "");
      const extra = (this.content.translate(language, `${key}_kw`) ?? "")
        .split(",")
        .map(normalizeText)
        .filter((k) => k.length > 0);
      const words = [label, ...extra];
      const long = words.filter((k) => k.length >= 3);
      typed = { label, words, inSentence: new Set(long.filter((k) => !k.includes(" "))), phrasesInSentence: long.filter((k) => k.includes(" ")).map((k) => ` ${k} `) };
      byChoice.set(choice, typed);
    }
    return typed;
  }

  /** The warm offers for a hint; a carer's strain gets the caregiving flow's support for carers instead. */
  #offerForHint(run: Run, r: Recognition): void {
    run.events.push({ type: "hint_offered" });
    this.nav.call(run, r.carer ? this.content.entry.carerStrain : this.content.entry.hint);
  }

  /** Hints get the warm offers; a topic typed anywhere leads to it. True when one of them took over. */
  #signalOrTopic(run: Run, flow: Flow, text: string): boolean {
    const r = recognize(this.content, run, text);
    if (r.hint) {
      this.#offerForHint(run, r);
      return true;
    }
    const topic = r.topics.map((t) => ({ t, flow: this.content.topics[t] })).find((x) => x.flow !== undefined && x.flow !== flow.flow);
    if (topic?.flow && hasLanguage(run)) {
      run.events.push({ type: "topic_recognised", topic: topic.t });
      this.nav.follow(run, flow, { kind: "flow", flow: topic.flow });
      return true;
    }
    return false;
  }

  /**
   * Nothing matched. A greeting or thanks gets a friendly word; a sentence gets a short acknowledgement
   * with the choices again and a way to a person; "I don't understand" only for one unknown word, and
   * never twice in a row. After a third miss the resident starts afresh at the menu.
   */
  #notMatched(run: Run, flow: Flow, node: FlowNode, input: EngineInput): void {
    const state = run.state;
    const r = input.kind === "text" ? recognize(this.content, run, input.text) : undefined;
    if (r?.smallTalk) {
      state.misses = 0;
      say(run, r.smallTalk === "greeting" ? "common:hello_again" : "common:you_are_welcome");
      this.nav.reprompt(run, flow, node, "common:choose_again");
      return;
    }
    if (state.misses >= 2) {
      say(run, "common:not_understood_reset");
      run.state.stack = [];
      this.nav.goTo(run, this.nav.startOf(hasLanguage(run) ? this.content.entry.menu : this.content.entry.onboarding));
      return;
    }
    state.misses += 1;
    const invalid = node.wait?.text?.invalid;
    // One unknown word, or a number past the last choice: "I don't know that"; a sentence is acknowledged.
    const gibberish = r !== undefined && r.words <= 1 && (!r.known || /^\d+$/u.test(input.kind === "text" ? folded(run, input.text) : ""));
    const key = invalid
      ? qualifyKey(flow, invalid)
      : input.kind === "choice"
        ? "common:old_button"
        : gibberish && state.misses === 1
        ? "common:not_understood"
        : state.misses === 1
          ? "common:ack_free_text"
          : "common:ack_free_text_again";
    say(run, key);
    // The acknowledgement of a sentence offers a person too (its text says so); an unknown word or an old button does not.
    this.nav.reprompt(run, flow, node, "common:choose_again", hasLanguage(run) && key.startsWith("common:ack_free_text"));
  }

  /** Sets a resident's language from the words they typed when they have none yet; true when it did. */
  #languageFromWords(run: Run): boolean {
    const language = run.recognition?.language;
    if (hasLanguage(run) || !language || !this.content.languages.includes(language)) return false;
    setField(run, "language", language);
    return true;
  }

  #intentOf(run: Run, input: EngineInput): GlobalIntent | "emergency-phrase" | "crisis" | undefined {
    if (input.kind === "choice") {
      const payload = decoded(run, input.payload, this.#payloads);
      return payload?.kind === "global" ? payload.intent : undefined;
    }
    if (input.kind !== "text") return undefined;
    const lexicon = this.content.lexicon;
    const intent = input.text.startsWith("/") ? lexicon.intentOf(input.text) : lexicon.intentOfFolded(folded(run, input.text));
    if (intent) return intent;
    // It reads as the same digits 0–9 the check above read (folding maps Arabic-Indic digits to them).
    if (this.#quietNumbers && TYPED_NUMBER.test(input.text)) return undefined;
    // Danger and thoughts of suicide come first, wherever the resident is.
    const r = recognize(this.content, run, input.text);
    return r.danger ? "emergency-phrase" : r.crisis ? "crisis" : undefined;
  }

  #global(run: Run, intent: GlobalIntent | "emergency-phrase" | "crisis", input: EngineInput): void {
    const { entry } = this.content;
    switch (intent) {
      case "emergency":
      case "emergency-phrase": {
        run.events.push({
          type: "emergency",
          via: intent === "emergency-phrase" ? "phrase" : input.kind === "choice" ? "choice" : "keyword",
        });
        const crisisToo = run.recognition?.crisis === true;
        if (crisisToo) run.events.push({ type: "crisis_shown" });
        this.nav.call(run, crisisToo ? entry.safetyAndCrisis : entry.safety);
        return;
      }
      case "crisis":
        run.events.push({ type: "crisis_shown" });
        this.nav.call(run, entry.crisis);
        return;
      case "talk": {
        // A person for what the resident is looking at now: the topic of this flow, else general.
        const here = run.state.at ? this.content.flows.get(run.state.at.flow) : undefined;
        setField(run, this.content.talkTopic.field, here?.topic ?? this.content.talkTopic.fallback);
        this.nav.call(run, entry.talk);
        return;
      }
      case "language":
        this.nav.call(run, entry.language);
        return;
      case "erase":
        this.nav.call(run, entry.erase);
        return;
      case "unsubscribe":
        this.nav.call(run, entry.unsubscribe);
        return;
      case "menu":
        this.nav.goHome(run);
        return;
      case "back":
        this.nav.goBack(run);
        return;
    }
  }

  #applyChoice(run: Run, choice: Choice): void {
    for (const [field, value] of Object.entries(choice.set ?? {})) setField(run, field, value);
    for (const [field, n] of Object.entries(choice.add ?? {})) {
      const prior = run.state.fields[field];
      setField(run, field, (typeof prior === "number" ? prior : 0) + n);
    }
  }
}
