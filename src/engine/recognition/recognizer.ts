import { foldedClauses } from "./fold-text.js";
import type { RecognizedTopic } from "../../content/vocabulary.js";
import { CARER_HINTS, CARER_WORN_OUT, deniesHarm, judgeClause, letOutOnlyWith, saysAfraid, type MessageContext } from "./signal-rules.js";
import type { Concept } from "./signal-words.js";
import type { SignalWords } from "./signal-words.js";
import { WordIndex, type Mark } from "./word-index.js";
import { SENTENCE_MODEL_CRISIS, SENTENCE_MODEL_HINT_BESIDE_TOPIC, SENTENCE_MODEL_NEGATED, SENTENCE_MODEL_THRESHOLD, SENTENCE_MODEL_UPGRADE, type SentenceModel } from "./sentence-model.js";

/**
 * What a typed message says, in any of the languages at once (a resident set to Dutch may write
 * Turkish, or mix both). `danger` and `crisis` may both be true.
 */
export type Recognition = {
  /** A disclosure of violence or acute danger: the safety message, at once. */
  danger: boolean;
  /** Thoughts of suicide: 113 beside 112. */
  crisis: boolean;
  /** An indirect signal (anger, control, jealousy, "home is not nice"): a warm acknowledgement and offers. */
  hint: boolean;
  /**
   * The hint is a carer's strain ("ik zorg dag en nacht voor mn moeder, ik kan niet meer"): the caregiving flow's
   * support for carers answers it, not the relationship offers.
   */
  carer?: boolean;
  /** Practical topics named, in the order typed. */
  topics: RecognizedTopic[];
  /** A greeting or thanks and nothing else. */
  smallTalk?: "greeting" | "thanks" | undefined;
  /** Words in the message, after folding. */
  words: number;
  /** Whether any word was recognised at all (a known word, not gibberish). */
  known: boolean;
  /** Which rule decided, per outcome; for the evaluation and tests, never shown or logged with text. */
  reasons: string[];
  /**
   * The language with the most recognised words in the message (the word index's own evidence), when
   * one leads: a first message can be answered in it.
   */
  language?: string | undefined;
};

/**
 * Recognises danger, crisis, hints and topics in a resident's own words. Pure and fast: built once
 * from every language's `signals.yaml`; a message costs a few microseconds (bench (c)).
 */
/** Concepts that tell of something done: with "next time it's you" in another clause, a threat. */
const ACTED: ReadonlySet<Concept> = new Set(["harm", "harmed", "kill", "smash", "weapon"]);

/** Beside laughter, these keep a threat to kill a threat: something done, feared, hurt, hidden from or reported. */
const SERIOUS_BESIDE_A_JOKE: readonly Concept[] = ["harm", "harmed", "sexual", "weapon", "lock", "fear", "violence", "take", "help", "police", "order", "body", "dare", "unsafe", "smash", "lurk"];

/** Beside a game and a laugh, these keep a blow a blow ("we played chess, then he hit me, I'm scared"). */
const GAME_SPOILERS: readonly Concept[] = ["injury", "fear", "help", "police", "weapon", "sexual", "lock", "kill", "threat", "partner", "ex", "outsider", "third", "now", "shout", "anger", "drink"];

/** What a clause that only says "now" may hold besides it. */
const NOW_ONLY: ReadonlySet<Concept> = new Set<Concept>(["now", "filler", "again", "conjunction", "third", "passive"]);

/** Up to this many words, a "now" clause may hold a word no list has ("het gebeurt nu"); "nu is ze gescheiden" is four. */
const NOW_CLAUSE_WORDS = 3;

/** Whether a clause names only these concepts, and every word is covered by them unless it is at most `short` words long. */
function saysOnly(length: number, marks: readonly Mark[], allowed: ReadonlySet<Concept>, short: number): boolean {
  const covered = new Uint8Array(length);
  for (const m of marks) {
    if (!allowed.has(m.concept)) return false;
    covered.fill(1, m.start, m.end);
  }
  return length <= short || !covered.includes(0);
}

/** Acts that, named in a clause with "not me", say what was not done to the resident ("he doesn't hit me"): read by deniesHarm. */
const ACTS_NOT_ME: readonly Concept[] = ["harm", "harmed", "kill", "threat", "sexual", "lock", "weapon"];

/**
 * A clause that says it was not the resident, and names no act: a negation and "me" side by side, or with only filler
 * words between ("not me", "never at me tho", "bana değil ama korkuyorum").
 */
function saysNotMe(marks: readonly Mark[]): boolean {
  if (marks.some((m) => ACTS_NOT_ME.includes(m.concept))) return false;
  const filler = (i: number) => marks.some((m) => m.concept === "filler" && m.start <= i && i < m.end);
  const between = (a: Mark, b: Mark) => {
    const [from, to] = a.end <= b.start ? [a.end, b.start] : [b.end, a.start];
    if (from > to) return false;
    for (let i = from; i < to; i++) if (!filler(i)) return false;
    return true;
  };
  const negations = marks.filter((m) => m.concept === "negation" || m.concept === "negation_after");
  return marks.some((m) => m.concept === "me" && negations.some((n) => between(n, m)));
}

/** Ages a child may write its own: from this many years … */
const CHILD_FROM = 6;
/** … up to this many. */
const CHILD_TO = 17;
/** Someone other than the resident, named in a clause. */
const OTHERS: readonly Concept[] = ["third", "partner", "family", "child", "little", "outsider"];
/** Who, named in the clause with the age, makes it their age, not the resident's ("mijn zoon is 12 jaar"). */
const SOMEONE_ELSE: readonly Concept[] = ["third", "partner", "family", "child", "little", "outsider", "institution", "pet"];

/** "12 yaşındayım", "ik ben 11 jaar", "3andi 14 3am": a number from 6 to 17 right beside an age word, nobody else named. */
function writtenByAChild(tokens: readonly string[], marks: readonly Mark[]): boolean {
  if (marks.some((m) => SOMEONE_ELSE.includes(m.concept))) return false;
  return marks.some(
    (m) =>
      m.concept === "age" &&
      [m.start - 1, m.end].some((j) => {
        const n = /^\d{1,2}$/u.test(tokens[j] ?? "") ? Number(tokens[j]) : Number.NaN;
        return n >= CHILD_FROM && n <= CHILD_TO;
      }),
  );
}

/** Institutions and practical topics: a cry beside one is a request for help with it. */
const PRACTICAL: readonly Concept[] = ["institution", "topic_money", "topic_housing", "topic_caregiving", "topic_parenting", "topic_meeting"];

/** The hint the rules give when a blow lands on things only: the model does not turn it into danger. */
const RAGE_AT_THINGS = "hint: rage at things";

/** A height named beside one of these is someone else's, a game or a story, not where the resident stands. */
const ELSEWHERE: readonly Concept[] = ["third", "partner", "family", "child", "little", "outsider", "sport", "story", "thing", "institution"];

/** Beside a fall, these make it not the cause of an injury: denied, thought or said (a cover story). */
const NOT_THE_CAUSE: readonly Concept[] = ["say", "negation", "negation_after", "think"];

/** One or two digits, Western or Arabic-Indic (either form), as a choice number is typed. */
const CHOICE_NUMBER = /^[0-9\u0660-\u0669\u06F0-\u06F9]{1,2}$/u;

/** Fewest words in a message the sentence model is asked about. */
const MODEL_MIN_WORDS = 3;

/**
 * Fewest words in a message the sentence model may read as crisis alone. Shorter ones ("ik weet het niet meer",
 * "sorry, wrong chat", "i want to volunteer") carry a "not any more" or a wish and little else; over blind sets 17–41
 * every crisis sentence the model found had six words or more, and its two false alarms four.
 */
const MODEL_CRISIS_MIN_WORDS = 6;

/** A baby or toddler named before the first blow in a clause: the little one struck ("the baby hit me in the face"). */
function littleStrikes(marks: readonly Mark[]): boolean {
  const blow = marks.filter((m) => m.concept === "harm").reduce((at, m) => Math.min(at, m.start), Infinity);
  return marks.some((m) => m.concept === "little" && m.start < blow);
}

/** Who, named in a message, makes its "he" someone other than a man the resident fears without naming him (so does a "his" or "her" that owns no thing: `theirNamesSomeone`). */
const NAMED_SOMEONE: readonly Concept[] = ["partner", "family", "ex", "outsider", "institution", "pet", "story", "sport"];

export class Recognizer {
  readonly #index: WordIndex;
  readonly #model: SentenceModel | undefined;

  /**
   * From the words of each language, or from their index when it is built already (start-up builds it once), and
   * the sentence model that reads beside the rules (without it, the rules alone).
   */
  constructor(words: Readonly<Record<string, SignalWords>> | WordIndex, model?: SentenceModel) {
    this.#index = words instanceof WordIndex ? words : new WordIndex(words);
    this.#model = model;
  }

  /**
   * What a choice number typed alone reads as ("3", "١٢"): a third of the messages residents type, and always the same
   * reading, so each is read once per recognizer. At most 10 + 100 strings a digit system, three systems.
   */
  readonly #numbers = new Map<string, Recognition>();

  recognize(text: string): Recognition {
    if (text.length <= 2 && CHOICE_NUMBER.test(text)) {
      let known = this.#numbers.get(text);
      if (!known) this.#numbers.set(text, (known = this.#read(text)));
      // A copy: a caller may add to its lists.
      return { ...known, topics: [...known.topics], reasons: [...known.reasons] };
    }
    return this.#read(text);
  }

  #read(text: string): Recognition {
    const out: Recognition = { danger: false, crisis: false, hint: false, topics: [], words: 0, known: false, reasons: [] };
    let greeting = false;
    let thanks = false;
    let other = false;
    const folded = foldedClauses(text.slice(0, 2000));
    const read = this.#index.read(folded);
    const clauses = joinSubordinates(folded, read.clauses);
    // What each clause names, read once for the flags below (each asks whether some clause names a concept).
    const named = clauses.map((c) => new Set(c.marks.map((m) => m.concept)));
    const someClause = (test: (has: ReadonlySet<Concept>) => boolean) => named.some(test);
    const anyOf = (...concepts: Concept[]) => someClause((has) => concepts.some((k) => has.has(k)));
    const childWrites = clauses.some((c) => writtenByAChild(c.tokens, c.marks));
    const children = childWrites || anyOf("child", "little");
    // "Jego auto stoi pod moją pracą", "бачу його машину": a "his" right before a thing is whose the thing is, the same
    // "he" again, not someone else named.
    const theirNamesSomeone = clauses.some((c) => c.marks.some((m) => m.concept === "their" && !c.marks.some((t) => t.concept === "thing" && t.start === m.end)));
    const nobodyNamed = !anyOf(...NAMED_SOMEONE) && !theirNamesSomeone;
    const he = anyOf("third");
    const outsider = anyOf("outsider");
    // Nothing done to anyone: no blow but at a thing, no threat, lock, weapon, force, sex or injury.
    const nothingDone =
      !anyOf("harmed", "kill", "threat", "weapon", "lock", "sexual", "injury", "violence", "take", "force", "lurk", "touch", "body") &&
      named.every((has) => !has.has("harm") || (has.has("thing") && !has.has("me")));
    const context: MessageContext = {
      worry: anyOf("worry"),
      someoneElse: outsider || anyOf("their"),
      outsider,
      story: anyOf("story"),
      sport: anyOf("sport"),
      acted: anyOf(...ACTED),
      lurk: anyOf("lurk"),
      // An accident told after a cover story or someone's words begin is what was said ("she told the nurses she fell
      // off her bike"), not one.
      mishap: anyOf("score") || clauses.some((c) => c.marks.some((m) => m.concept === "accident" && !c.marks.some((cv) => (cv.concept === "cover" || cv.concept === "say") && cv.start < m.start))),
      // A body inside words of self-harm ("ріжу собі ноги") is the resident's own doing, no injury someone caused.
      injured: anyOf("harmed") || clauses.some((c) => c.marks.some((m) => m.concept === "body" && !c.marks.some((p) => p.concept === "crisis_phrase" && p.start <= m.start && m.end <= p.end))),
      lurker: someClause((has) => has.has("lurk") && (has.has("third") || has.has("partner") || has.has("family"))),
      help: anyOf("help"),
      cries: clauses.reduce((n, c) => n + separateSpans(c.marks.filter((m) => m.concept === "help")), 0),
      covers: clauses.reduce((n, c) => n + separateSpans(c.marks.filter((m) => m.concept === "cover")), 0),
      toMe: anyOf("me"),
      practical: anyOf(...PRACTICAL),
      // "Help with the rent": the cry and a practical matter in one clause.
      practicalCry: someClause((has) => has.has("help") && PRACTICAL.some((k) => has.has(k))),
      police: anyOf("police"),
      ex: anyOf("ex"),
      atALoss: anyOf("at_a_loss"),
      shelter: anyOf("shelter"),
      rage: anyOf("anger", "drink", "shout", "smash", "harm", "threat"),
      fled: anyOf("fled"),
      partnerLurks: someClause((has) => has.has("lurk") && (has.has("partner") || has.has("third") || has.has("ex")) && !has.has("family") && !has.has("outsider")),
      children,
      childHurt: children && anyOf("harmed", "body") && !anyOf("fall", "accident", "score", "sport", "story", "outsider"),
      armed: someClause((has) => has.has("weapon") && !NOT_ARMED.some((k) => has.has(k))),
      // Not a fall denied ("nie spadłam ze schodów") or one someone thinks or says happened (the cover story).
      fell: someClause((has) => has.has("fall") && !NOT_THE_CAUSE.some((k) => has.has(k))),
      blame: anyOf("blame"),
      // "He punches walls, not me", "duvara yumruk atıyor, bana değil": blows at things, and a clause that only says
      // it was not the resident, deny blows as "he never hits me" does.
      // "Er is niks gebeurd, maar ik voel me niet veilig thuis met hem": nothing done, said as such, denies the blows too;
      // not beside a blow or a wound told ("душив мене …, а потім сів дивитись футбол ніби нічого не сталось": as if).
      denied: (anyOf("nothing_done") && !anyOf("harm", "harmed", "injury", "kill", "sexual")) || clauses.some((c) => deniesHarm(c.marks)) || (someClause((has) => has.has("smash") || (has.has("harm") && has.has("thing") && !has.has("me") && !has.has("body"))) && clauses.some((c) => saysNotMe(c.marks))),
      caring: anyOf("topic_caregiving"),
      shame: anyOf("shame"),
      childWrites,
      deathThreat: anyOf("kill"),
      severe: anyOf("injury"),
      // "Not allowed out. The door is locked.": a door said to be locked counts with being kept in, not as "locked in" itself.
      locks: anyOf("door_locked") || clauses.some((c) => c.marks.some((m) => m.concept === "lock" && !letOutOnlyWith(c.marks, m))),
      // "Не виходжу", "nie wychodzę": a clause that says the resident does not go out (a negation right before going out),
      // nobody else named in it.
      notGoingOut: clauses.some(
        (c, i) => !OTHERS.some((k) => named[i]!.has(k)) && c.marks.some((o) => o.concept === "outing" && c.marks.some((n) => n.concept === "negation" && n.end <= o.start && o.start - n.end <= 1)),
      ),
      // A cry or hiding that asks nothing ("she is hiding at the neighbours"; not "how can I help her").
      hiding: someClause((has) => has.has("help") && !has.has("question") && !has.has("worry")),
      now: anyOf("now"),
      cutOff: anyOf("cut_off"),
      order: anyOf("order"),
      lookDown: anyOf("look_down"),
      weary: anyOf("weary"),
      farewell: anyOf("farewell"),
      farewells: anyOf("farewell") ? clauses.reduce((n, c) => n + distinctSpans(c.marks, "farewell"), 0) : 0,
      leaveWords: anyOf("last_words"),
      pills: anyOf("pills"),
      // A height named where nobody else is: where the resident stands ("стою на даху опвангу, думаю чи стрибнути").
      // A thing inside the height is part of it ("top floor of the parking garage"), not what the clause is about.
      height: clauses.some((c, i) => named[i]!.has("height") && !ELSEWHERE.some((k) => (k === "thing" ? looseThing(c.marks) : named[i]!.has(k)))),
      temper: anyOf("anger", "shout", "drink", "smash"),
      ragesOnly: anyOf("anger", "shout", "smash") && !anyOf("harm", "drink") && nothingDone,
      nothingDone,
      // Money kept or used by someone, and nothing done to anyone ("uses her bank card, she is too afraid to say no").
      moneyOnly: anyOf("money") && !anyOf("child", "little", "harm", "smash") && nothingDone,
      // Rage, and blows only where a thing is hit ("masaya vuruyor bağırıyor"): nothing done to anyone.
      ragesAtThings: anyOf("anger", "shout", "smash") && !anyOf("drink") && nothingDone,
      papersTaken: clauses.some((c) => papersTaken(c.marks)),
      lurkClauses: named.filter((has) => has.has("lurk")).length,
      threatens: anyOf("threat"),
      smashes: anyOf("smash"),
      followsApart: someClause((has) => has.has("control") && has.has("me") && !has.has("lurk")) && anyOf("lurk"),
      nobodyNamed,
      onlyHe: nobodyNamed && he,
      he,
      intimate: anyOf("partner", "family"),
      afraid: clauses.some((c) => saysAfraid(c.marks)),
      refused: anyOf("refuse"),
      sexNamed: anyOf("sex"),
    };
    // "Mijn man vermoordt me als hij de rekening ziet haha": a threat to kill with laughter and nothing that was done,
    // feared or hurt is hyperbole. A crisis is never laughed away.
    const hyperbole = anyOf("joke") && anyOf("kill", "threat") && !anyOf(...SERIOUS_BESIDE_A_JOKE);
    // "Син мене знову розгромив у шахи, б'є мене кожного разу ахах": a game named in an earlier clause and a laugh or a joy,
    // nobody from outside the family named and nothing worse told: the blow or the bruise is the game's.
    const sportAt = named.findIndex((has) => has.has("sport"));
    const gameBlows = sportAt >= 0 && anyOf("joke", "nice") && !anyOf(...GAME_SPOILERS);
    // "… slychac uderzenia i wrzask ojca, znowu teraz", "its happening now": a clause that says only "now" (and again)
    // tells the one before it is happening as it is told.
    const nowOnlyAfter = clauses.map((c) => c.marks.some((m) => m.concept === "now") && saysOnly(c.tokens.length, c.marks, NOW_ONLY, NOW_CLAUSE_WORDS));
    let subject: Concept | undefined;
    for (const [n, { tokens, marks }] of clauses.entries()) {
      out.words += tokens.length;
      context.subject = subject;
      context.nowBefore = (n > 0 && named.slice(0, n).some((has) => has.has("now"))) || nowOnlyAfter.slice(n + 1).some(Boolean);
      context.saidBefore = n > 0 && named.slice(0, n).some((has) => has.has("say"));
      context.moneyBefore = n > 0 && (named[n - 1]!.has("money") || named[n - 1]!.has("topic_money"));
      subject = subjectOf(marks) ?? subject;
      if (marks.length > 0) out.known = true;
      const v = judgeClause(tokens, marks, context);
      // "De hond blafte, ik schrok", "I can't pay the rent, I'm scared we'll lose the flat": fear right after a
      // clause that names a thing or a practical worry and nobody.
      // Fear of going home needs the worry right before it ("трекер…, пише …, боюсь іти додому" fears him).
      if ((v.danger === "fear alone" && afterOnlyAThing(clauses, n)) || (v.danger === "fear+home" && afterOnlyAThing(clauses, n, true))) v.danger = undefined;
      // "Gisteren een film gezien waar een man zijn vrouw vermoordt, echt eng": what happens in a film, a series
      // or the news is not happening at home, unless a clause is about the resident or their children.
      // "Hij zegt dat ik de volgende ben die in de krant staat": a danger phrase with the resident inside it is about them.
      const phraseAboutMe = () => marks.some((m) => m.concept === "danger_phrase" && marks.some((i) => (i.concept === "i" || i.concept === "me") && m.start <= i.start && i.end <= m.end));
      if (context.story && !marks.some((m) => STORY_KEEPS.has(m.concept) && !frightenedBy(m, marks)) && !phraseAboutMe()) {
        v.danger = undefined;
        v.hint = undefined;
      }
      if (hyperbole) v.danger = undefined;
      if (gameBlows && n > sportAt && !named[n]!.has("sport") && (v.danger === "harm+victim" || v.danger === "harmed+victim")) v.danger = undefined;
      if (v.danger) {
        out.danger = true;
        out.reasons.push(`danger: ${v.danger}`);
      }
      if (v.crisis) {
        out.crisis = true;
        out.reasons.push(`crisis: ${v.crisis}`);
      }
      if (v.hint) {
        out.hint = true;
        if (CARER_HINTS.has(v.hint)) out.carer = true;
        out.reasons.push(`hint: ${v.hint}`);
      }
      for (const t of v.topics) if (!out.topics.includes(t)) out.topics.push(t);
      if (v.smallTalk === "greeting") greeting = true;
      else if (v.smallTalk === "thanks") thanks = true;
      else other = true;
    }
    // "Kollarımı jiletle kesiyorum, kimse bilmiyor", "cut my arms again last night, deeper this time": harm the resident
    // does to themselves, every act of the message inside words of self-harm (a crisis phrase). 113 is the answer, not
    // the safety message for violence from someone (a blade or "my arms" read alone was danger).
    // Not words someone said or a partner named ("he says he'll kill himself and me if I leave": a threat).
    if (out.danger && out.crisis && !anyOf("say", "threat", "partner", "ex") && selfHarmOnly(clauses)) {
      out.danger = false;
      out.reasons = out.reasons.filter((r) => !r.startsWith("danger: "));
      out.reasons.push("crisis: self-harm, no one else's act");
    }
    // "Zorg al 4 jaar voor mn man met alzheimer. ik trek het nie meer": a carer at the end of their rope, whose words of
    // crisis are no more than words of exhaustion (each crisis phrase overlaps a worn-out one) and name nothing of dying
    // or leaving. The carers' support answers it; "ik zorg voor mn moeder en wil niet meer leven" stays a crisis.
    if (out.crisis && !out.danger && context.caring && out.reasons.every((r) => !r.startsWith("crisis: ") || r === "crisis: phrase") && crisisIsExhaustion(clauses) && !anyOf("die", "self", "pills", "height", "farewell", "last_words", "look_down", "kill")) {
      out.crisis = false;
      out.hint = true;
      out.carer = true;
      out.reasons = [...out.reasons.filter((r) => !r.startsWith("crisis: ")), `hint: ${CARER_WORN_OUT}`];
    }
    // The rules found nothing: the model reads the letters and words they have no list for. It may add danger, crisis or
    // a hint, never take away what a rule found, and is not asked where the rules read a sentence as everyday on
    // purpose: a denial, a story, sport, a mishap or a fall, an everyday phrase, laughter (the model met "the baby hit
    // me in the eye lol" nowhere; the rules read laughed-off blows themselves), or safe and well ("I feel safe at
    // home": the model met "safe" and "home" mostly in "not safe at home" and cannot read the negation).
    const quiet = () =>
      context.denied ||
      context.story ||
      context.sport ||
      context.mishap ||
      context.fell ||
      read.settled ||
      hyperbole ||
      anyOf("safe", "nice", "joke") ||
      clauses.some((c) => c.marks.some((m) => m.selfNegated)) ||
      // "Bebeğim yüzüme tokat attı": a baby named before the blow, and no grown-up, is who struck.
      (!anyOf("partner", "family", "ex", "outsider") && clauses.some((c) => littleStrikes(c.marks)));
    // One or two words ("Iets anders", a choice typed in another language) carry too little for letter runs to weigh.
    if (this.#model && !out.danger && !out.crisis && out.words >= MODEL_MIN_WORDS && !quiet()) {
      const p = this.#model.score(folded);
      // A negation somewhere ("he sits on my chest until I can't breathe", "ik wil nie dan gebeurt het toch") does not
      // silence the model, but it must be surer: it cannot tell what the negation turns around.
      const negated = anyOf("negation", "negation_after");
      // A practical matter named and nobody at all ("العفن في الحمام رجع تاني، اعمل ايه؟": the mould is back, what do I
      // do): the model must be as sure as beside a negation before it reads danger there.
      const onlyAMatter = out.topics.length > 0 && !anyOf("partner", "family", "ex", "outsider", "third", "child", "little", "me", "their", "harm", "harmed", "kill", "threat", "weapon", "lock", "sexual");
      if (!out.hint) {
        if (p.danger >= (negated || onlyAMatter ? SENTENCE_MODEL_NEGATED : SENTENCE_MODEL_THRESHOLD)) {
          out.danger = true;
          out.reasons.push(`danger: model ${p.danger.toFixed(2)}`);
        } else if (!negated && p.hint >= (out.topics.length === 0 && !context.practical ? SENTENCE_MODEL_THRESHOLD : SENTENCE_MODEL_HINT_BESIDE_TOPIC)) {
          out.hint = true;
          out.reasons.push(`hint: model ${p.hint.toFixed(2)}`);
        }
      } else if (!negated && !context.worry && !context.someoneElse && !context.shame && !out.reasons.includes(RAGE_AT_THINGS) && p.danger >= SENTENCE_MODEL_UPGRADE) {
        // The rules read a hint ("he pulled me out of bed by my hair, shouting I'm a whore": a put-down) where the model
        // is all but sure of danger: the safety message instead of the offers, since a missed danger costs more than a
        // missed relationship check. Not for someone else's trouble, the resident's own act told with shame, or blows
        // the rules found landing on things.
        out.danger = true;
        out.reasons.push(`danger: model ${p.danger.toFixed(2)} beside a hint`);
      }
      // Thoughts of ending one's life told in ways no list holds ("looked up how many of my sleeping pills it would
      // take", "herkes hakkını helal etsin ben gidiyorum"): 113 beside 112.
      if (!out.danger && out.words >= MODEL_CRISIS_MIN_WORDS && p.crisis >= SENTENCE_MODEL_CRISIS) {
        out.crisis = true;
        out.reasons.push(`crisis: model ${p.crisis.toFixed(2)}`);
      }
    }
    if (out.danger || out.crisis) out.hint = false;
    out.language = read.language;
    if (!other && !out.danger && !out.crisis && !out.hint && out.topics.length === 0) out.smallTalk = thanks ? "thanks" : greeting ? "greeting" : undefined;
    return out;
  }
}

/** What someone can do to a person: with none outside words of self-harm, the harm is the resident's own. */
const ACTS_ON_SOMEONE: ReadonlySet<Concept> = new Set(["harm", "harmed", "weapon", "kill", "injury", "lock", "sexual", "threat", "take", "force"]);

/** A thing in the clause that is not inside a height ("the roof of the car park" names the height, not a thing). */
function looseThing(marks: readonly Mark[]): boolean {
  return marks.some((m) => m.concept === "thing" && !marks.some((h) => h.concept === "height" && h.start <= m.start && m.end <= h.end));
}

/** Whether every crisis phrase of the message overlaps a phrase of exhaustion ("ik trek het niet meer"). */
function crisisIsExhaustion(clauses: readonly { marks: readonly Mark[] }[]): boolean {
  let any = false;
  for (const { marks } of clauses) {
    const tired = marks.filter((m) => m.concept === "worn_out");
    for (const m of marks) {
      if (m.concept !== "crisis_phrase") continue;
      if (!tired.some((t) => t.start < m.end && m.start < t.end)) return false;
      any = true;
    }
  }
  return any;
}

/**
 * Every act the message names lies inside a crisis phrase ("jiletle kolumu kestim", "snij weer in mn armen"), and at
 * least one does: self-harm, not violence from someone. An act outside ("he hits me, I cut myself") keeps the danger.
 */
function selfHarmOnly(clauses: readonly { marks: readonly Mark[] }[]): boolean {
  let inside = false;
  for (const { marks } of clauses) {
    const spans = marks.filter((m) => m.concept === "crisis_phrase");
    for (const m of marks) {
      if (!ACTS_ON_SOMEONE.has(m.concept)) continue;
      if (!spans.some((s) => s.start <= m.start && m.end <= s.end)) return false;
      inside = true;
    }
  }
  return inside;
}

/** A weapon beside these is a story's, a sport's, a question's, a shop's, a friend's or a child's ("a pocket knife for camp"), not one held at home. */
const NOT_ARMED: readonly Concept[] = ["story", "sport", "question", "institution", "outsider", "child", "little"];

/**
 * Papers taken or kept: a word for taking or keeping beside them, or a control phrase that holds them ("hides my
 * passport"); a control word that is only the papers themselves ("paspoort" listed under control) is not.
 */
function papersTaken(marks: readonly Mark[]): boolean {
  const papers = marks.filter((m) => m.concept === "papers");
  if (papers.length === 0) return false;
  return marks.some((m) => m.concept === "take" || m.concept === "withhold" || (m.concept === "control" && papers.some((p) => m.start <= p.start && p.end <= m.end && m.end - m.start > p.end - p.start)));
}

/** How many marks do not overlap one before them ("help me" and "help" at the same place are one cry). */
function separateSpans(marks: readonly Mark[]): number {
  let n = 0;
  let end = -1;
  for (const m of [...marks].sort((a, b) => a.start - b.start)) {
    if (m.start >= end) n += 1;
    end = Math.max(end, m.end);
  }
  return n;
}

/**
 * A clause that starts with "that", "dat", "że" … belongs to the one before it, comma or not
 * ("I'm afraid, that I can't pay the rent").
 */
function joinSubordinates(clauses: readonly string[][], marks: readonly Mark[][]): { tokens: string[]; marks: Mark[] }[] {
  const out: { tokens: string[]; marks: Mark[] }[] = [];
  for (const [n, tokens] of clauses.entries()) {
    const m = marks[n]!;
    const prev = out.at(-1);
    if (prev && m.some((x) => x.concept === "subordinator" && x.start === 0)) {
      const offset = prev.tokens.length;
      prev.tokens.push(...tokens);
      prev.marks.push(...m.map((x) => ({ ...x, start: x.start + offset, end: x.end + offset })));
    } else {
      out.push({ tokens: [...tokens], marks: [...m] });
    }
  }
  return out;
}

const SUBJECTS: ReadonlySet<Concept> = new Set<Concept>(["third", "partner", "family", "child", "little", "outsider", "thing", "institution", "i"]);

/** Who or what a clause is about: the first person, child, thing, institution or "I" it names. */
function subjectOf(marks: readonly Mark[]): Concept | undefined {
  let first: Mark | undefined;
  for (const m of marks) if (SUBJECTS.has(m.concept) && (!first || m.start < first.start || (m.start === first.start && m.concept === "little"))) first = m;
  return first?.concept;
}

/** Concepts that keep a clause about the resident's own home in a message that tells a story. */
const STORY_KEEPS: ReadonlySet<Concept> = new Set(["me", "child", "home", "self"]);

/** "Het nieuws maakte me bang", "haberi beni korkuttu", "خوفني": the resident only as the one a story frightened (or made scream). */
function frightenedBy(m: Mark, marks: readonly Mark[]): boolean {
  // "The horror film had me screaming": frightened into a scream is the same.
  return m.concept === "me" && marks.some((f) => (f.concept === "fear" || f.concept === "shout") && (f.start === m.start || f.start === m.end || f.end === m.start));
}

/**
 * Fear follows a worry about a thing (a dog, a storm, a film), a practical worry (rent, debts) or a visit ("morgen
 * tandarts"): the nearest clause before clause `n` that names a person, an act or such a worry names the worry and no
 * person and no act (clauses naming none of them, "nie mam gdzie iść", do not break the link; `rightBefore`: only the
 * clause right before counts).
 */
function afterOnlyAThing(clauses: readonly { marks: readonly Mark[] }[], n: number, rightBefore = false): boolean {
  for (let k = n - 1; k >= Math.max(0, rightBefore ? n - 1 : 0); k--) {
    const marks = clauses[k]!.marks;
    if (marks.some((m) => THING_PEOPLE.has(m.concept) || THING_ACTS.has(m.concept))) return false;
    if (marks.some((m) => THING_WORRIES.has(m.concept))) return true;
  }
  return false;
}

const THING_PEOPLE: ReadonlySet<string> = new Set(["third", "partner", "family", "child", "outsider", "me"]);
const THING_ACTS: ReadonlySet<string> = new Set(["harm", "harmed", "kill", "threat", "sexual", "lock", "weapon", "violence", "take"]);
const THING_WORRIES: ReadonlySet<string> = new Set(["thing", "institution", "topic_money", "topic_housing", "topic_caregiving", "topic_parenting"]);

/** How many places of a clause hold `concept`: its marks, those that overlap counted once ("gave my cat to", "gave my cat"). */
function distinctSpans(marks: readonly Mark[], concept: Concept): number {
  let n = 0;
  let end = -1;
  for (const m of marks.filter((x) => x.concept === concept).sort((a, b) => a.start - b.start)) {
    if (m.start >= end) n += 1;
    end = Math.max(end, m.end);
  }
  return n;
}
