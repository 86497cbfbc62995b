import type { Concept } from "./signal-words.js";
import type { Mark } from "./word-index.js";
import { RECOGNIZED_TOPICS, type RecognizedTopic } from "../../content/vocabulary.js";


/** What one clause says, with the rule that decided (for `npm run safety:eval` and tests). */
export type ClauseVerdict = {
  danger?: string;
  crisis?: string;
  hint?: string;
  topics: RecognizedTopic[];
  /** A greeting or thanks and nothing else of note. */
  smallTalk?: "greeting" | "thanks";
};

/** What the whole message says that a clause's rules may use ("I'm worried about my friend. Her husband hits her"). */
export type MessageContext = {
  worry: boolean;
  someoneElse: boolean;
  /** A clause names someone from outside the home (a friend, a neighbour, someone's husband). */
  outsider?: boolean;
  /** The message tells a film, series or the news ("gisteren een serie gezien waar hij haar vermoordt"). */
  story?: boolean;
  /** The message names a sport ("my daughter does boxing, she hits so hard"). */
  sport?: boolean;
  /** A clause of the message tells of something broken or someone hurt ("przebił mi opony, napisał że następna będę ja"). */
  acted?: boolean;
  /** A clause tells of an accident or a match score ("per ongeluk", "5-0"). */
  mishap?: boolean;
  /** A clause tells of someone waiting, coming, breaking in or leaving something behind. */
  lurk?: boolean;
  /** A clause says someone does not hit ("nee, hij slaat me niet", "el kaldırmıyor"): rows or shouting beside it are the hint. */
  denied?: boolean;
  /** A clause blames the resident ("het is mijn schuld", "benim hatam"): an act beside it happened, even said as "he wouldn't have". */
  blame?: boolean;
  /** A clause tells of an injury: someone hurt, or a hurt part of the body ("two cracked ribs", "pols gekneusd"). */
  injured?: boolean;
  /** A clause tells of someone from home at the door, outside or coming ("hij wacht buiten", "o hala evde"). */
  lurker?: boolean;
  /** A clause tells of a fall that nobody says was the story ("ik gleed uit, arm helemaal blauw"). */
  fell?: boolean;
  /** A clause tells of the police called or coming. */
  police?: boolean;
  /** A clause is an urgent cry or hiding now ("help", "zit verstopt op de wc"). */
  help?: boolean;
  /** A clause names the resident as the one something is done to ("bana bağırıyor"). */
  toMe?: boolean;
  /** The message names a child and an injury, and no fall, accident, sport, story or friend ("came back from her dad's with bruises"). */
  childHurt?: boolean;
  /** A clause names a partner, an ex or "he" waiting, coming or ringing, and no relative or outsider. */
  partnerLurks?: boolean;
  /** A clause tells of rage or drink or a blow ("need somewhere to sleep tonight, my boyfriend is drunk"). */
  rage?: boolean;
  /** A clause asks for a place to sleep tonight. */
  shelter?: boolean;
  /** A clause tells of a flight from home just now. */
  fled?: boolean;
  /** A clause says the resident is at a loss ("what do I do"). */
  atALoss?: boolean;
  /** A clause names an ex-partner. */
  ex?: boolean;
  /** A clause names a child. */
  children?: boolean;
  /** A clause names a weapon at home or in someone's hands: not in a story, a sport, a question, at an institution or a friend's. */
  armed?: boolean;
  /** How many separate cover stories or their undoing the message holds ("told the gp i slipped … but it was him": two). */
  covers?: number;
  /** How many separate cries or hidings the message holds ("chowam się w łazience, pomocy": two). */
  cries?: number;
  /** A clause names a practical topic or an institution ("help, I can't pay the rent"). */
  practical?: boolean;
  /** A clause holds a cry and a practical topic or an institution together ("help with the rent"). */
  practicalCry?: boolean;
  /** A clause names caring for someone ill or old (mantelzorg). */
  caring?: boolean;
  /** A clause says the resident is ashamed of their own act ("wstyd mi", "I'm scared of myself"). */
  shame?: boolean;
  /** A clause says it happens now ("nu", "şu an", "зараз"). */
  now?: boolean;
  /** A clause before this one says it happens now ("mn zus belde net huilend, haar man heeft haar geslagen"), or one after
   * it says nothing but that ("its happening now"). */
  nowBefore?: boolean;
  /** A clause before this one says someone said something ("він сказав: …", "قالي …"): this one may be the words. */
  saidBefore?: boolean;
  /** The clause right before this one names money ("regelt de bankrekening van mn moeder en ze heeft nooit geld, ik denk dat hij het houdt"). */
  moneyBefore?: boolean;
  /** A clause tells of a message broken off ("neemt nu niet meer op", "вимкнула телефон"). */
  cutOff?: boolean;
  /** A clause names a court order keeping someone away. */
  order?: boolean;
  /** A clause tells of looking down from where one stands. */
  lookDown?: boolean;
  /** A clause holds a cry or a hiding and no question or worry ("she is hiding at the neighbours"). */
  hiding?: boolean;
  /** A clause names locking (a door, a key taken, someone locked in). */
  locks?: boolean;
  /** A clause names killing ("he'll kill her mum"). */
  deathThreat?: boolean;
  /** A clause tells of a serious injury or a choking ("broke her arm", "in hospital", "tried to strangle her"). */
  severe?: boolean;
  /** A clause gives the resident's own age as a child's ("12 yaşındayım"): the one who writes is a child. */
  childWrites?: boolean;
  /** A clause tells of weariness ("tired of everything", "mam dość wszystkiego"). */
  weary?: boolean;
  /** A clause tells of an act of leave-taking ("gave my cat away", "left a letter for my daughter"). */
  farewell?: boolean;
  /** How many acts of leave-taking the message tells, each place once ("gave my cat to my neighbour", "wrote letters to my sisters": 2). */
  farewells?: number;
  /** A clause holds last words ("forgive me", "I love them"). */
  leaveWords?: boolean;
  /** A clause names pills. */
  pills?: boolean;
  /** A clause names a height and nobody else: where the resident stands. */
  height?: boolean;
  /** A clause names anger, shouting, drink or things smashed. */
  temper?: boolean;
  /** Anger, shouting or smashing named, and no blow, threat, lock, weapon, drink or other act anywhere in the message. */
  ragesOnly?: boolean;
  /** Anger, shouting or smashing named, blows only where a thing is hit, and nothing else done to anyone. */
  ragesAtThings?: boolean;
  /** Money kept or used by someone, no child named and nothing done to anyone. */
  moneyOnly?: boolean;
  /** No blow but at a thing, no threat, lock, weapon, force, sex, injury or lurking anywhere in the message. */
  nothingDone?: boolean;
  /** A clause says the resident does not go out (a negation right before going out), nobody else named in it. */
  notGoingOut?: boolean;
  /** A clause tells of papers (a passport, a residence permit) taken or kept by someone. */
  papersTaken?: boolean;
  /** How many clauses tell of someone waiting, coming or following. */
  lurkClauses?: number;
  /** A clause names a threat. */
  threatens?: boolean;
  /** A clause names things smashed. */
  smashes?: boolean;
  /** The message names nobody: no partner, relative, ex, outsider, institution, animal or story. */
  nobodyNamed?: boolean;
  /** A clause of following or controlling "me" ("he followed me home"), apart from a clause of waiting ("كيتسناني …، البارح تبعني"). */
  followsApart?: boolean;
  /** The only one the message names besides the resident (and their children) is an unnamed "he" or "she". */
  onlyHe?: boolean;
  /** A "he" or "she" somewhere in the message, whoever else is named. */
  he?: boolean;
  /** A partner or family member named somewhere in the message. */
  intimate?: boolean;
  /** A clause says the resident is afraid or does not dare. */
  afraid?: boolean;
  /** The message says the resident said no or did not want it ("mówiłam nie", "ana ma bghitch"). */
  refused?: boolean;
  /** A clause names sex ("it is his right", "as my husband"). */
  sexNamed?: boolean;
  /** Who the clause before was about, for a clause that names nobody ("mijn dochter gooit zich op de grond, schreeuwt"). */
  subject?: Concept | undefined;
};
const NO_CONTEXT: MessageContext = { worry: false, someoneElse: false, story: false };
/** Who a clause is about when it names nobody itself, and that makes its acts not violence at home. */
const NOT_FROM_HOME: ReadonlySet<Concept> = new Set(["child", "little", "thing", "institution", "i"]);

/**
 * The clause goes on about someone else named in the clause before ("my friend lives with her boyfriend, he hits
 * her"), and the message names nothing done to the resident.
 */
function continuesAboutSomeoneElse(c: ClauseView): boolean {
  return c.message.subject === "outsider" && c.message.someoneElse && !c.message.toMe;
}

/** A mark with its negation settled. */
type Found = Mark & { readonly negated: boolean };

const PEOPLE: ReadonlySet<Concept> = new Set(["third", "partner", "family", "child", "outsider"]);
/** Someone who can be the other person in a hint (a child's tantrum is parenting, not a hint). */
const AGENTS: ReadonlySet<Concept> = new Set(["third", "partner", "family", "outsider"]);
/** A negation does not reach across these (nor across a new subject, before the word it would negate). */
const SCOPE_ENDS: ReadonlySet<Concept> = new Set(["subordinator", "conjunction"]);
const NEW_SUBJECT: ReadonlySet<Concept> = new Set(["third", "partner", "family", "child", "outsider", "i"]);
/**
 * Marks that leave their words as they were for every other rule: "speak" is read only beside fear ("scared to talk
 * when my brother is in the room"), and what one is afraid to do stays what the fear is about, as an unmarked word.
 */
const UNSEEN: ReadonlySet<Concept> = new Set(["speak"]);
/** Words that are about something other than people and feelings: a "thing" for the rules. */
const CONTENT: ReadonlySet<Concept> = new Set([
  "thing",
  "institution",
  "money",
  "place",
  "topic_money",
  "topic_housing",
  "topic_caregiving",
  "topic_parenting",
  "topic_meeting",
  "topic_relationships",
]);
const TOPIC_OF: ReadonlyMap<Concept, RecognizedTopic> = new Map(RECOGNIZED_TOPICS.map((t) => [`topic_${t}` as Concept, t]));
/** Topics of everyday worries: fear beside one of them is about it, not about someone. */
const PRACTICAL_TOPICS: readonly Concept[] = ["topic_money", "topic_housing", "topic_caregiving", "topic_parenting"];
const ACTS_ON_PEOPLE: ReadonlySet<Concept> = new Set(["harm", "harmed", "kill", "lock", "sexual"]);
/** Words of pre-negation within this many words before the word they negate. */
const NEGATION_REACH_BEFORE = 2;
/** Words between a word and a negation after it (Dutch "slaat me niet", "mag van hem niet"). */
const NEGATION_REACH_AFTER = 2;

/**
 * Decides what one clause says: `tokens` are its folded words, `marks` what the word index found.
 * The rules are written once over concepts, for every language; see docs in signal-words.ts.
 */
export function judgeClause(tokens: readonly string[], marks: readonly Mark[], message: MessageContext = NO_CONTEXT): ClauseVerdict {
  const verdict: ClauseVerdict = { topics: [] };
  for (const m of marks) {
    const topic = TOPIC_OF.get(m.concept);
    if (topic && !verdict.topics.includes(topic)) verdict.topics.push(topic);
  }
  // Most messages name no act, feeling or state at all: then only topics and small talk are left.
  if (marks.some((m) => TRIGGERS.has(m.concept))) {
    const c = new ClauseView(tokens, settleNegation(reinterpret(marks)), message);
    verdict.danger = dangerRule(c);
    verdict.crisis = crisisRule(c);
    if (!verdict.danger && !verdict.crisis) verdict.hint = hintRule(c);
    // Violence told about someone else ("de buurvrouw wordt geslagen, ik hoor het door de muur", "my friend always has
    // bruises and says she fell"): the safety message, whose numbers are worded for bystanders too (Veilig Thuis advises
    // whoever is worried about someone) and which offers what a bystander can do. Being kept in alone stays the worry
    // about a friend (a hint), and so does an animal's bite (unless a partner is named too: "kicks his dog and his wife").
    // A hint phrase in the clause ("steeds blauwe plekken", "durft niks te zeggen") does not hide the blow told beside it.
    const told = verdict.hint === "someone else hurt" || (verdict.hint === "phrase" && !c.message.denied && c.found.some((f) => (f.concept === "harm" || f.concept === "harmed" || f.concept === "injury") && !f.negated) && someoneElseHurt(c));
    if (told && (c.hasAny(["harm", "harmed", "kill", "threat", "injury", "violence"]) || c.passiveActs().length > 0) && (!c.has("pet") || c.has("partner"))) {
      verdict.danger = "someone else hurt";
      verdict.hint = undefined;
    }
  }
  if (verdict.topics.length === 0 && !verdict.danger && !verdict.crisis && !verdict.hint) {
    const small = marks.some((m) => m.concept === "greeting") ? "greeting" : marks.some((m) => m.concept === "thanks") ? "thanks" : undefined;
    if (small && !hasContent(tokens.length, marks)) verdict.smallTalk = small;
  }
  return verdict;
}

/** Whether the clause says a blow does not happen ("hij slaat me niet", "ale nie bije"): for the message's other clauses. */
export function deniesHarm(marks: readonly Mark[]): boolean {
  // Most clauses have no blow or no negation: settling negation (the costly part) is then not needed.
  if (!marks.some((m) => m.concept === "harm" || m.concept === "harmed")) return false;
  if (!marks.some((m) => m.concept === "negation" || m.concept === "negation_after" || m.selfNegated)) return false;
  return settleNegation(reinterpret(marks)).some((f) => (f.concept === "harm" || f.concept === "harmed") && f.negated);
}

/** Who, named before a fear, is the one afraid (a "he" before it is more often whom the resident fears). */
const OTHERS_AFRAID: ReadonlySet<Concept> = new Set(["partner", "family", "child", "little", "outsider"]);

/**
 * Whether a clause says the resident is afraid ("ik ben bang") or does not dare ("ik durf niet naar buiten"): nobody
 * else named before it ("діти бояться коли він повертається" is the children's fear).
 */
export function saysAfraid(marks: readonly Mark[]): boolean {
  if (!marks.some((m) => m.concept === "fear" || m.concept === "dare")) return false;
  return settleNegation(reinterpret(marks)).some(
    (f) => ((f.concept === "fear" && !f.negated) || (f.concept === "dare" && f.negated)) && !marks.some((m) => OTHERS_AFRAID.has(m.concept) && m.start < f.start),
  );
}

/** Whether any word is left that no concept (other than a "thing") explains. */
function hasContent(length: number, marks: readonly Mark[]): boolean {
  const covered = new Uint8Array(length);
  for (const m of marks) if (!CONTENT.has(m.concept) && !UNSEEN.has(m.concept)) covered.fill(1, m.start, m.end);
  for (const m of marks) if (CONTENT.has(m.concept)) covered.fill(0, m.start, m.end);
  return covered.includes(0);
}

/** Phrases whose "me" is reflexive, not a victim ("ik maak me zorgen", "ik voel me niet fijn", "ik schaam me"). */
const REFLEXIVE_IDIOMS: ReadonlySet<Concept> = new Set(["worry", "tension", "nice", "bad", "die", "live", "want", "accident", "fear", "shame"]);

/** Concepts whose phrases name the victim themselves ("sluit me op", "doet me pijn"). */
const ACTS: ReadonlySet<Concept> = new Set(["harm", "harmed", "kill", "threat", "sexual", "lock", "take", "force", "weapon"]);

/**
 * "Nie pozwala mi wyjść samej z domu", "ما يخليني اطلع من البيت الا وياه": a lock word said as not being let out, with
 * "alone" or "only with him" right after it (or right before it), is being let out only with someone: control, not a lock.
 */
export function letOutOnlyWith(marks: readonly Mark[], lock: Mark): boolean {
  // A lock word inside a longer one ("salmıyor" in "dışarı salmıyor") goes with it.
  return lock.concept === "lock" && marks.some((l) => l.concept === "lock" && l.start <= lock.start && lock.end <= l.end && aloneBeside(marks, l));
}

/**
 * An `alone` word right before or right after `span`, or after whom it is said of ("не випускає її саму");
 * "w samej koszulce" (in just a T-shirt) after another word is not.
 */
function aloneBeside(marks: readonly Mark[], span: Mark): boolean {
  const whom = (at: number) => marks.some((m) => (m.concept === "me" || m.concept === "third") && m.start === at && m.end === at + 1);
  return marks.some((m) => m.concept === "alone" && (m.start === span.end || (m.start === span.end + 1 && whom(span.end)) || m.end === span.start));
}

/**
 * Readings that depend on neighbours: "her husband" is someone else's (an outsider); the "me" inside a
 * phrase such as "maak me zorgen" or "doet me pijn" belongs to that phrase, not to a victim.
 */
function reinterpret(marks: readonly Mark[]): Mark[] {
  const theirs = new Set(marks.filter((m) => m.concept === "their").map((m) => m.end));
  const outsidersAfter = new Set(marks.filter((m) => m.concept === "outsider").map((m) => m.start));
  const phrases = marks.filter((m) => m.end - m.start > 1 && REFLEXIVE_IDIOMS.has(m.concept));
  const wornOut = marks.filter((m) => m.end - m.start > 1 && m.concept === "worn_out");
  const subjectsAt = new Set(marks.filter((m) => m.concept === "i" || m.concept === "third").map((m) => m.start));
  // "Next door" in "the man next door" names a person, not a thing: a word inside a phrase for someone.
  const actPhrases = marks.filter((m) => m.end - m.start > 1 && (ACTS.has(m.concept) || m.concept === "outsider"));
  const peopleAt = new Set(marks.filter((m) => m.concept === "partner" || m.concept === "family" || m.concept === "child" || m.concept === "little").map((m) => m.start));
  const out: Mark[] = [];
  // Which act phrases hold a thing of one word ("wali w drzwi"): the thing is dropped below, the act remembers it.
  const holding = new Set(actPhrases.filter((p) => ACTS.has(p.concept) && marks.some((t) => t.concept === "thing" && t.end - t.start === 1 && p.start <= t.start && t.end <= p.end)));
  for (const m of marks) {
    if (holding.has(m)) {
      out.push({ ...m, holdsThing: true });
      continue;
    }
    // "Her husband", "the boy next door": someone else's.
    if ((m.concept === "partner" || m.concept === "family" || m.concept === "child") && (theirs.has(m.start) || outsidersAfter.has(m.end))) {
      out.push({ ...m, concept: "outsider" });
      continue;
    }
    // "Bij de kassa van de appie waar ik werk", "до джамбо де я працюю": a question word after a place (a word the lists
    // do not know, or a place, thing or institution), its own subject right after it, opens a relative clause, not a
    // question. One inside a phrase ("knows where i am") is that phrase's.
    if (m.concept === "question" && m.end - m.start === 1 && m.start > 0 && subjectsAt.has(m.end) && namesAPlace(marks, m.start - 1) && !marks.some((p) => p.end - p.start > 1 && p.start <= m.start && m.end <= p.end)) continue;
    if (m.concept === "me" && m.end - m.start === 1 && phrases.some((p) => p.start <= m.start && m.end <= p.end)) continue;
    // "Nie daję rady spłacać" (I can't manage to pay off): the "give" inside words of exhaustion is theirs, no money kept back.
    if (m.concept === "give" && m.end - m.start === 1 && wornOut.some((p) => p.start <= m.start && m.end <= p.end)) continue;
    if (letOutOnlyWith(marks, m)) {
      out.push({ ...m, concept: "control" });
      continue;
    }
    // "Me vriend gooit met spullen", "me moeder": Dutch "me" right before someone from home is "my", not whom.
    if (m.concept === "me" && m.end - m.start === 1 && m.languages.includes("nl") && peopleAt.has(m.end)) continue;
    // "In elkaar geslagen": a word inside an act's own phrase is part of the act, not a thing that was hit; one inside
    // a phrase for someone is part of who ("the man next door").
    if (m.concept === "thing" && m.end - m.start === 1 && actPhrases.some((p) => p.start <= m.start && m.end <= p.end)) continue;
    out.push(m);
  }
  return out;
}

/** Concepts of a word a relative clause of place can follow ("the shop where i work"). */
const PLACE_LIKE: ReadonlySet<Concept> = new Set<Concept>(["place", "thing", "institution", "home"]);

/** The token at `at` is a word the lists do not know, or one that names a place, a thing or an institution. */
function namesAPlace(marks: readonly Mark[], at: number): boolean {
  const on = marks.filter((m) => m.start <= at && at < m.end);
  return on.every((m) => PLACE_LIKE.has(m.concept));
}

/** A body part is named before anyone in the act's sub-clause: it is the act's subject ("dat de rug hem dood maakt", "dat haar heup haar dood maakt"). */
function bodyDoesIt(c: ClauseView, act: Found): boolean {
  const sub = c.subOf(act.start);
  // A person word right before a body part is whose it is ("haar heup").
  const bodies = c.all("body");
  const first = c.found
    .filter((f) => (f.concept === "body" || (PEOPLE.has(f.concept) && !bodies.some((b) => b.start === f.end))) && c.subOf(f.start) === sub && f.start < act.start)
    .sort((x, y) => x.start - y.start)[0];
  return first?.concept === "body";
}

/** "My husband's dog bit me", "mijn man zijn hond beet me": the animal right before the act, the resident right after it, is who did it. */
function petDidIt(c: ClauseView, pet: Found, act: Found): boolean {
  return act.start >= pet.end && onlyQuietBetween(c, pet, act) && c.found.some((f) => (f.concept === "me" || f.concept === "body") && f.start > act.start && f.start <= act.end + 1);
}

/** Nothing but a body part, "me" or a filler stands between the animal and the act ("kedisi elimi ısırdı"). */
function onlyQuietBetween(c: ClauseView, animal: Found, act: Found): boolean {
  for (let j = animal.end; j < act.start; j++) if (!c.found.some((f) => QUIET_GAP.has(f.concept) && f.start <= j && j < f.end)) return false;
  return true;
}

/** What may stand between an animal and what it did ("kedisi elimi ısırdı"): where, whom, a filler. */
const QUIET_GAP: ReadonlySet<Concept> = new Set<Concept>(["body", "me", "filler"]);

/** Concepts at least one danger, crisis or hint rule needs. */
const TRIGGERS: ReadonlySet<Concept> = new Set<Concept>([
  "harm", "harmed", "kill", "threat", "sexual", "lock", "weapon", "violence", "take", "force", "fear", "dare", "safe", "unsafe",
  "suicide", "die", "live", "anger", "shout", "control", "allow", "forbid", "withhold", "give", "jealous", "argue", "tension",
  "bad", "nice", "worry", "belittle", "isolate", "insult", "sex", "self", "touch", "receive", "jump", "pills", "next", "danger_phrase", "crisis_phrase", "hint_phrase",
  "order", "police", "cover", "help", "lurk", "smash", "last_words", "shelter", "fled", "drink", "weary", "farewell", "images",
  "cut_off", "look_down", "worn_out", "injury", "door_locked",
]);

/** Concepts a negation can turn around; people, places and topics cannot be. */
const NEGATABLE: ReadonlySet<Concept> = new Set([
  "harm", "harmed", "kill", "threat", "sexual", "lock", "take", "force", "weapon", "violence", "fear", "dare", "safe", "unsafe",
  "allow", "forbid", "give", "withhold", "want", "live", "die", "nice", "anger", "shout", "control", "jealous", "argue",
  "tension", "worry", "belittle", "isolate", "suicide", "bad", "sex", "touch", "receive", "jump", "danger_phrase", "hint_phrase",
]);

/**
 * Each negation turns around one word: the nearest one it can negate right before it when it may
 * follow its word (Dutch "slaat me niet", "durf niet naar huis"), else the nearest after it ("not
 * afraid", "niet fijn thuis"). It never reaches across a subordinator or "and", nor, forwards, across
 * a new subject ("niemand weet dat hij me slaat").
 */
function settleNegation(marks: readonly Mark[]): Found[] {
  const negated = new Set<Mark>();
  const blockers = marks.filter((m) => SCOPE_ENDS.has(m.concept));
  const subjects = marks.filter((m) => NEW_SUBJECT.has(m.concept));
  const between = (list: readonly Mark[], from: number, to: number) => list.some((b) => b.start >= from && b.start < to);
  const targets = marks.filter((m) => NEGATABLE.has(m.concept));
  // A negation after its word does not reach across a word nobody explains ("beni dövüyor, şikayet etmiyorum").
  const explained = new Set<number>();
  for (const m of marks) if (!UNSEEN.has(m.concept)) for (let i = m.start; i < m.end; i++) explained.add(i);
  const unexplainedBetween = (from: number, to: number) => {
    for (let i = from; i < to; i++) if (!explained.has(i)) return true;
    return false;
  };
  const contentAt = new Set(marks.filter((m) => CONTENT.has(m.concept)).map((m) => m.start));
  const negations = new Map<number, { after: boolean; before: boolean; end: number; languages: Set<string> }>();
  // "А як кажу ні": a "no" that ends what the resident said (a refusal) negates nothing after it.
  const refusals = marks.filter((m) => m.concept === "refuse");
  for (const m of marks) {
    if (m.concept !== "negation" && m.concept !== "negation_after") continue;
    if (refusals.some((r) => r.start < m.start && m.end === r.end)) continue;
    const n = negations.get(m.start) ?? { after: false, before: false, end: m.end, languages: new Set<string>() };
    if (m.concept === "negation") n.before = true;
    else n.after = true;
    n.end = Math.max(n.end, m.end);
    for (const l of m.languages) n.languages.add(l);
    negations.set(m.start, n);
  }
  for (const [start, n] of negations) {
    // A Dutch "niet" does not turn around a Ukrainian "страшно": a negation belongs to its own language.
    const own = (t: Mark) => t.languages.some((l) => n.languages.has(l));
    if (n.after) {
      const back = targets
        .filter((t) => own(t) && t.end <= start && start - t.end <= NEGATION_REACH_AFTER && !between(blockers, t.end, start) && !unexplainedBetween(t.end, start) && !negations.has(t.start))
        .sort((a, b) => b.end - a.end);
      const nearest = back[0];
      if (nearest) {
        for (const t of back) if (t.start === nearest.start) negated.add(t);
        continue;
      }
    }
    if (n.before) {
      const ahead = targets
        // The word right after the negation that nobody explains is what it negates ("а як не даю, то штовхає").
        // So is a thing or money right after it ("als ik geen geld geef slaat hij me": no money, not no blow).
        .filter((t) => own(t) && t.start >= n.end && t.start - n.end <= NEGATION_REACH_BEFORE && !between(blockers, n.end, t.start + 1) && !between(subjects, n.end, t.start) && !(t.start > n.end && (!explained.has(n.end) || contentAt.has(n.end))))
        .sort((a, b) => a.start - b.start);
      const nearest = ahead[0];
      // Every mark that starts inside the nearest one is the same words ("not [in [danger]]").
      if (nearest) for (const t of ahead) if (t.start === nearest.start || t.start < nearest.end) negated.add(t);
    }
  }
  // A negative ending turns around what can be negated, not the person in the same word ("مبيعطينيش").
  return marks.map((m) => ({ concept: m.concept, start: m.start, end: m.end, selfNegated: m.selfNegated, languages: m.languages, holdsThing: m.holdsThing, negated: (m.selfNegated && NEGATABLE.has(m.concept)) || negated.has(m) }));
}

const NONE: readonly Found[] = [];

/** Questions the rules ask of one clause. */
class ClauseView {
  /** Index of the sub-clause each word is in: a subordinator or "and"/"but" starts a new one. */
  readonly #sub: Uint16Array;
  readonly #content: Uint8Array;
  readonly #tokens: readonly string[];
  /** Marks by concept: present and not negated, and negated. Built once; the rules ask many questions. */
  readonly #present = new Map<Concept, Found[]>();
  readonly #negatedSet = new Set<Concept>();
  readonly length: number;

  constructor(
    tokens: readonly string[],
    readonly found: readonly Found[],
    readonly message: MessageContext,
  ) {
    const length = tokens.length;
    this.length = length;
    for (const f of found) {
      if (f.negated) {
        this.#negatedSet.add(f.concept);
        continue;
      }
      const list = this.#present.get(f.concept);
      if (list) list.push(f);
      else this.#present.set(f.concept, [f]);
    }
    this.#tokens = tokens;
    const starts = new Uint8Array(length);
    for (const f of found) if (f.concept === "subordinator" || f.concept === "conjunction") starts[f.start] = 1;
    this.#sub = new Uint16Array(length);
    let sub = 0;
    for (let i = 0; i < length; i++) {
      sub += starts[i]!;
      this.#sub[i] = sub;
    }
    // A word is content when nothing (or only a "thing" concept) covers it.
    this.#content = new Uint8Array(length).fill(1);
    for (const f of found) if (!CONTENT.has(f.concept) && !UNSEEN.has(f.concept)) this.#content.fill(0, f.start, f.end);
    for (const f of found) if (CONTENT.has(f.concept)) this.#content.fill(1, f.start, f.end);
    // Inside an act said in several words a word is the act's, whatever else it could be ("broke my fingers" is no money).
    for (const f of found) if (ACTS.has(f.concept) && f.end - f.start > 1 && !f.negated) this.#content.fill(0, f.start, f.end);
  }

  /**
   * A question word that asks: not one inside a longer phrase of another concept ("hij volgt waar ik ben", the "what do
   * I do" of someone at a loss, "с тех пор как я ушла" in the words for an ex).
   */
  asks(): boolean {
    return this.all("question").some((q) => !this.found.some((p) => p.concept !== "question" && p.end - p.start > 1 && p.start <= q.start && q.end <= p.end));
  }

  /** Present and not negated. */
  has(concept: Concept): boolean {
    return this.#present.has(concept);
  }

  hasAny(concepts: Iterable<Concept>): boolean {
    for (const c of concepts) if (this.#present.has(c)) return true;
    return false;
  }

  /** Present and negated ("not safe", "does not let me"). */
  negated(concept: Concept): boolean {
    return this.#negatedSet.has(concept);
  }

  all(concept: Concept): readonly Found[] {
    return this.#present.get(concept) ?? NONE;
  }

  subOf(i: number): number {
    return this.#sub[Math.max(0, Math.min(i, this.length - 1))] ?? 0;
  }

  /** Concepts present (not negated) in the same sub-clause as word `i`. */
  hasInSub(concepts: Iterable<Concept>, i: number): boolean {
    const sub = this.subOf(i);
    for (const c of concepts) for (const f of this.all(c)) if (this.subOf(f.start) === sub) return true;
    return false;
  }

  /** Positions of content words after word `i` (all words when `i` is -1) in its sub-clause. */
  contentAfter(i: number, sameSub = true): number[] {
    const out: number[] = [];
    const sub = i < 0 ? -1 : this.subOf(i);
    for (let j = i + 1; j < this.length; j++) {
      if (sameSub && sub >= 0 && this.subOf(j) !== sub) break;
      if (this.#content[j]) out.push(j);
    }
    return out;
  }

  /** Content words anywhere in the sub-clause of word `i`. */
  contentInSub(i: number): number[] {
    const sub = this.subOf(i);
    const out: number[] = [];
    for (let j = 0; j < this.length; j++) if (this.subOf(j) === sub && this.#content[j]) out.push(j);
    return out;
  }

  /** English "was hitting": an -ing form after an auxiliary is active, not passive. */
  #progressive(i: number): boolean {
    const t = this.#tokens[i] ?? "";
    return t.length > 4 && t.endsWith("ing");
  }

  /** Acts right after a passive auxiliary ("was hit", "got kicked"): they happened to the subject. */
  passiveActs(): Found[] {
    const aux = this.all("passive");
    if (aux.length === 0) return [];
    return this.found.filter(
      (f) => (f.concept === "harm" || f.concept === "harmed") && !f.negated && !this.#progressive(f.start) && aux.some((p) => p.end <= f.start && f.start - p.end <= 1),
    );
  }

  /**
   * The resident is who the act happened to: "ik" before it, in its sub-clause, with no other person in
   * between (a person right after "door"/"by" is the one who did it: "ik werd door hem geduwd").
   */
  subjectIsResident(act: Found): boolean {
    const sub = this.subOf(act.start);
    // "Krijg ik een klap": the "I" may stand inside the act's own phrase.
    const i = this.found.filter((f) => f.concept === "i" && !f.negated && f.start < act.end && this.subOf(f.start) === sub).at(-1);
    if (!i) return this.found.some((f) => f.concept === "me" && this.subOf(f.start) === sub);
    const agentsAfterBy = new Set(this.found.filter((f) => f.concept === "by").map((f) => f.end));
    return !this.found.some((f) => PEOPLE.has(f.concept) && f.start > i.start && f.start < Math.max(act.start, i.start) && !agentsAfterBy.has(f.start) && !agentsAfterBy.has(f.start - 1));
  }

  /** The clause before's subject, when this clause names nobody before the act (a comma, then the next verb). */
  inheritedSubject(act: Found): Found | undefined {
    const subject = this.message.subject;
    if (!subject || this.subOf(act.start) !== 0) return undefined;
    if (this.found.some((f) => (PEOPLE.has(f.concept) || f.concept === "little" || f.concept === "thing" || f.concept === "i") && f.start < act.start)) return undefined;
    return { concept: subject, start: -1, end: 0, selfNegated: false, languages: [], negated: false };
  }

  /** "Ik wil me van kant maken": "ik" and "me" both before the killing, in its sub-clause. */
  selfKilling(kill: Found): boolean {
    const sub = this.subOf(kill.start);
    const before = (concept: Concept) => this.all(concept).some((f) => f.start < kill.start && this.subOf(f.start) === sub);
    return before("i") && before("me");
  }

  /** The first person named before an act, in its sub-clause: most likely who did it ("mijn vriend heeft de baby geslagen"). */
  actorBefore(act: Found): Found | undefined {
    const sub = this.subOf(act.start);
    const named = this.found
      .filter((f) => (PEOPLE.has(f.concept) || f.concept === "little" || f.concept === "i") && f.start < act.start)
      .sort((a, b) => a.start - b.start || (a.concept === "little" ? -1 : 1));
    // Its own sub-clause first; else the one before it in this clause ("de peuter bijt en slaat").
    return named.find((f) => this.subOf(f.start) === sub) ?? named.find((f) => this.subOf(f.start) === sub - 1 && !this.#startsWithSubordinator(sub));
  }

  /** Whether sub-clause `sub` starts with "that/because/if" (a new subject may follow), not with "and". */
  #startsWithSubordinator(sub: number): boolean {
    return this.found.some((f) => f.concept === "subordinator" && this.subOf(f.start) === sub && (f.start === 0 || this.subOf(f.start - 1) !== sub));
  }

  /** Right after "door"/"by": the one who did it. */
  afterBy(p: Found): boolean {
    // "Ondan", "منو": one word that is both "from" and "him"; "van hem" read as one phrase.
    return this.all("by").some((b) => b.end === p.start || b.end === p.start - 1 || (b.start <= p.start && b.end >= p.end));
  }

  /** Marks of a concept that a negation turned around. */
  negatedMarks(concept: Concept): Found[] {
    return this.found.filter((f) => f.concept === concept && f.negated);
  }

  /**
   * Who does it is only in the verb's ending (pro-drop: "bütün gün bağırıyor", "cały dzień krzyczy"): no
   * "I", child or institution before it in its sub-clause, and nothing else named there.
   */
  impliedOther(f: Found): boolean {
    const sub = this.subOf(f.start);
    const inSub = (k: Concept) => this.all(k).some((x) => this.subOf(x.start) === sub);
    const iBefore = this.all("i").some((x) => x.start < f.start && this.subOf(x.start) === sub);
    // Money is what is taken or kept back, not something else named ("забирає всі мої гроші").
    const named = this.contentInSub(f.start).filter((j) => !this.found.some((x) => (x.concept === "money" || x.concept === "topic_money") && x.start <= j && j < x.end));
    const inherited = sub === 0 && !this.found.some((x) => (PEOPLE.has(x.concept) || x.concept === "little" || x.concept === "institution") && x.start < f.start) ? this.message.subject : undefined;
    return !iBefore && !inSub("child") && !inSub("little") && !inSub("institution") && !NOT_FROM_HOME.has(inherited ?? "me") && named.length === 0;
  }

  /** A person here is someone other than an institution, a thing or the resident. */
  people(): Found[] {
    const out: Found[] = [];
    for (const c of PEOPLE) out.push(...this.all(c));
    return out;
  }
}

const VICTIMS: readonly Concept[] = ["me", "child"];
/** Verbs whose object a thing after them is (took the phone, checks the phone). */
const OTHER_VERBS: ReadonlySet<Concept> = new Set(["control", "withhold", "take", "smash"]);

/** Where the first act or threat of the clause is; 0 when there is none. */
function firstActAt(c: ClauseView): number {
  let at = Number.POSITIVE_INFINITY;
  for (const concept of ["harm", "harmed", "kill", "lock", "sexual", "threat", "weapon", "take"] as const) for (const f of c.all(concept)) at = Math.min(at, f.start);
  return Number.isFinite(at) ? at : 0;
}

/**
 * "Mn dochter zegt steeds 'ik vermoord je' als haar broertje aan haar spullen zit", "kızım kardeşine seni öldürücem diyor": a
 * child's words to a brother or sister — the child named as the message opens and saying it, "you" as whom it is about,
 * nobody else from home before it. Neither a threat to the resident nor someone else hurt.
 */
function childSpeaks(c: ClauseView): boolean {
  const firstNamed = c.found.filter((f) => PEOPLE.has(f.concept) || f.concept === "little").sort((a, b) => a.start - b.start)[0];
  // "Mn dochter", "kızım": the "my" of the child; "seni", "اقتلك": a word that is also "you".
  const ownMe = (m: Found) => c.all("child").some((ch) => ch.start === m.start || ch.start === m.end) || c.all("you").some((y) => y.start === m.start);
  return (
    (firstNamed?.concept === "child" || firstNamed?.concept === "little") &&
    firstNamed.start <= 1 &&
    c.found.some((f) => (f.concept === "say" || f.concept === "shout") && f.start > firstNamed.start) &&
    c.has("you") &&
    c.all("me").every(ownMe) &&
    // Whoever else is named comes after the child (the brother or sister it is said to) or is only "her" in "her brother".
    c.found.filter((f) => f.concept === "third" || f.concept === "family").every((f) => c.all("their").some((t) => t.start === f.start) || f.start > firstNamed!.start) &&
    !c.hasAny(["partner", "weapon", "sexual", "harmed"])
  );
}

/** Words after "forced me" that name nothing it was forced to: who, the resident's no, being tired, "and". */
const NOT_WHAT_IS_FORCED: ReadonlySet<Concept> = new Set(["me", "refuse", "i", "worn_out", "negation", "want", "conjunction", "filler"]);

function dangerRule(c: ClauseView): string | undefined {
  if (childSpeaks(c)) return undefined;
  if (c.has("danger_phrase")) return "phrase";
  // An institution is who acts only when it stands in the act's own sub-clause with nobody else from home
  // ("de huisbaas bedreigt me"; but "byłam u lekarza, bo mnie pobił" names the doctor in another sub-clause).
  const institutionOnly = c.has("institution") && !c.hasAny(["partner", "family", "third"]) && c.all("institution").some((f) => c.subOf(f.start) === c.subOf(firstActAt(c)));
  const agent = c.hasAny(["third", "partner", "family"]);
  // A "he", "she" or "her" after the resident's own child is the child ("my son is 17 and he shouts at me", "threw her plate").
  // Or, with the child named in the clause before and none here, a "her"/"his" that may be whose a thing is ("my teen
  // daughter screams at me, calls me names and threw her phone at the wall").
  const childsPronoun = (t: Found) => c.message.subject === "child" && !c.has("child") && c.all("their").some((x) => x.start === t.start);
  const heIsTheChild = c.all("third").every((t) => c.all("child").some((k) => k.end <= t.start) || childsPronoun(t));
  // Someone from home acts who is not the resident's own child.
  const onlyTheChildActs = !agent || (ownChildOnly(c) && heIsTheChild);
  // "Tegen de dokter gezegd dat ik van de trap was gevallen": a fall told to someone is the cover story, not the cause.
  const fell = c.all("fall").some((f) => !c.all("say").some((s) => s.start < f.start));
  const victims = c.hasAny(VICTIMS);
  // "I worry about my friend, her boyfriend hits her": someone else's trouble, a hint (hintRule).
  const aboutSomeoneElse = (c.has("worry") || (c.message.worry && (c.hasAny(["outsider", "say"]) || c.message.someoneElse))) && !victims;
  // Hurting oneself with nobody else named is a crisis (crisisRule), not danger from someone.
  const selfOnly = c.has("self") && !agent && !c.has("child");
  // "Per ongeluk", "in her sleep", "while playing": an accident, not violence.
  // Unless the accident is the cover story told ("told the dentist I fell off my bike, but he knocked my tooth out").
  // The accident may be the story told itself ("told everyone at work i fell off my bike", an injury named beside it).
  const accidentIsTheStory = c.all("accident").every((a) => c.all("cover").some((cv) => cv.start <= a.start && a.start <= cv.end)) && c.message.injured === true;
  if (c.has("accident") && !(c.has("cover") && c.has("harm") && c.hasAny(["third", "partner", "family"])) && !accidentIsTheStory) return undefined;
  // "Ze hebben ons 4-0 verslagen", "bizi 5-0 dövdü": a score makes the blow a match.
  if (c.has("score") && !c.hasAny(["weapon", "sexual", "partner", "family"])) return undefined;
  // "Kızımın gözü futbolda morardı": hurt at sport, with nobody from home who did it and not the resident.
  // "Kızımın" (my daughter's) marks the household and the child in one word: the child is who was hurt.
  const meApart = c.all("me").some((m) => !c.all("child").some((ch) => ch.start === m.start));
  // "My daughter does boxing, she hits so hard": a pronoun after a child is that child.
  if (c.has("sport") && !c.hasAny(["weapon", "sexual", "partner", "family"]) && !(c.has("third") && !c.has("child")) && !meApart) return undefined;
  // A sport named in another clause of the message, and here only "he" or "she" who hits: the one who plays it.
  if (c.message.sport && !c.hasAny(["weapon", "sexual", "partner", "family", "me", "child", "outsider", "home"])) return undefined;

  // "Jak się wkurzy to dostaję", "як він нап'ється, то мені дістається": the blow only implied, after anger or drink,
  // with nothing after it that would be what is got ("als hij boos is krijg ik de schuld" is a hint).
  // A thing inside the anger or the drink ("jak jego drużyna przegra": when his team loses) is what angers, not what is got.
  const angerSpans = [...c.all("anger"), ...c.all("drink")];
  const thingApart = c.all("thing").some((t) => !angerSpans.some((a) => a.start <= t.start && t.end <= a.end));
  if (!aboutSomeoneElse && angerSpans.length > 0 && c.all("receive").some((r) => !r.negated && c.contentAfter(r.start, false).length === 0) && !thingApart && !c.hasAny(["institution", "money", "topic_money"])) return "anger+receive";

  // "Hij zei dat ie de hond doodmaakt als ik wegga", "he held the puppy over the bath and said he'd drown it": an animal at
  // home hurt or threatened by someone at home, named before it or saying it, is a threat to the resident too.
  // The act is in the animal's own sub-clause, or in what was said ("my husband walks the dog and then hits the gym" is neither).
  const petActs = [...c.all("kill"), ...c.all("harm"), ...c.all("harmed"), ...c.all("threat")];
  const petHurt = c.all("pet").some(
    (p) =>
      (c.found.some((f) => (f.concept === "third" || f.concept === "partner" || f.concept === "family") && !f.negated && f.start < p.start) || c.has("say") || c.has("threat")) &&
      petActs.some((a) => (c.subOf(a.start) === c.subOf(p.start) || c.all("say").some((x) => x.start < a.start)) && !petDidIt(c, p, a)),
  );
  if (petHurt && !aboutSomeoneElse && !c.hasAny(["story", "accident", "sport", "institution"]) && !c.message.story) return "pet hurt or threatened";

  // "Hij maakt mijn spullen kapot en zegt: de volgende keer ben jij het", "bir dahakine sen olacaksın diyor": next time, said beside an act.
  if (c.has("next") && c.has("say") && (c.hasAny(["harm", "harmed", "kill", "threat", "weapon", "smash"]) || c.message.acted) && !aboutSomeoneElse && !c.hasAny(["sport", "score", "story"])) return "next time you";

  // "Telefonumu kırdı, kıyafetlerimi yaktı, korkutmak için": the resident's things broken to frighten them.
  // Not the resident's own teenager who threatens to smash things for money ("ابني 15 سنة صار يهددني انو رح يكسر كل شي"): a hint.
  if (c.has("smash") && c.has("threat") && !aboutSomeoneElse && !c.hasAny(["sport", "score", "story"]) && !(ownChildOnly(c) && c.has("child") && !c.message.deathThreat && !c.message.armed)) return "things broken to frighten";

  // "Help mn moeder wordt geslagen nu in de keuken", "my neighbour is being beaten right now, I hear her scream": someone
  // else hurt as it is told; "my sister's husband broke her nose, she's at ours now but he keeps driving past": the one
  // who did it around the resident's home. Both call for 112 now (Veilig Thuis advises those who witness, too).
  // A question asks about it ("is my neighbour being beaten now?"), unless it is the "what do I do" of someone at a loss.
  const asks = c.asks();
  const playOrStory = c.hasAny(["story", "sport", "score", "joke"]) || c.message.story === true || c.message.sport === true;
  const storyOrPlay = playOrStory || c.has("institution");
  const notAtHome = storyOrPlay || c.has("thing") || asks;
  const elseHurt = someoneElseHurt(c);
  // Now may be told in the next clause beside a cry or rage ("جاري كيضرب مراتو كل ليلة، دابا كتغوت 'عتقوني'").
  // Or in the clause before ("mn zus belde net huilend, haar man heeft haar geslagen"); a "now" after the story is
  // how things are since ("hij sloeg haar vorig jaar, nu is ze gescheiden").
  const nowHere = c.has("now") || c.message.nowBefore === true || (c.message.now === true && (c.message.help === true || c.message.temper === true));
  if (elseHurt && (nowHere || (c.message.lurker === true && c.message.toMe === true)) && !notAtHome) return "someone hurt now";
  // "Її чоловік б'є її, вона ховається у сусідів", "wants to flee but is afraid he'll kill her mum", "جوز اختي ضربها وهي
  // حامل … وهو عم يهددها": someone else hurt while she hides or flees, or beside a threat or being locked in.
  // A blow told, not only words ("my son said he wants to kill his brother" is a child's words).
  const blowTold = c.hasAny(["harm", "harmed"]) || c.passiveActs().length > 0;
  // "Alt kattaki kadın çığlık atıyor, eşyalar kırılıyor, çocuk ağlıyor şu an", "za ścianą kobieta wrzeszczy 'zostaw mnie'
  // i łomoty": someone else screaming or crying for help beside things breaking, as it is told. Told as a worry with no
  // "now" ("the neighbours fight and break things, I worry about the kids") it is the hint. Not an animal, a story or a game.
  // The plates that fly are what is smashed, not where it happens ("у сусідів летять тарілки і жінка кричить не бий"):
  // a thing inside the smashing, beside her cry or told as now.
  const thingSmashed = c.all("thing").every((t) => c.all("smash").some((m) => m.start <= t.start && t.end <= m.end)) && (c.has("help") || nowHere);
  // The resident's own child who rages ("my 16 yr old screams at me … smashed his own phone"): "his" is the child's, and
  // so is a "he" after the child ("my son is 17 and he shouts at me").
  const ownChildRages = ownChildOnly(c) && c.message.toMe === true && heIsTheChild;
  if (c.message.someoneElse && !ownChildRages && c.hasAny(["shout", "help"]) && c.message.smashes === true && (nowHere || !c.message.worry) && !(storyOrPlay || asks || (c.has("thing") && !thingSmashed)) && !c.has("pet")) return "someone raging next door";
  // "Bebek ağladığında onu sarsıyor", "the little girl has burn marks, her father says she fell on the oven": a baby or
  // toddler hurt by someone else is in danger, told as worry or not (a small child cannot tell it).
  // Someone named who did it, and not the resident's own guilt ("mijn baby heeft brandwonden van de hete thee, ik voel me zo schuldig").
  if (elseHurt && c.has("little") && c.hasAny(["third", "partner", "family", "outsider"]) && !c.message.shame && !notAtHome && !c.message.mishap) return "a baby hurt";
  // "The boy next door is 8 and always has bruises, he says his dad gets angry": a child hurt, and someone of the child's
  // home named beside anger or rage. Bruises alone, told as worry, stay the hint.
  if (elseHurt && c.message.children === true && c.hasAny(["harmed", "harm"]) && c.message.intimate === true && c.message.temper === true && !c.message.shame && !notAtHome && !c.message.mishap && !c.message.fell) return "a child hurt, anger at home named";
  // "My cousin's husband broke her arm, she told the ER she fell", "sevgilisi dün onu boğmaya çalışmış", "he told her he'll
  // kill her if she goes to the shelter": someone else hurt badly enough for a hospital, choked, or threatened with death
  // or a weapon. Someone's act is named (an injury alone may be a fall or sport: "gebroken pols van het turnen"). Bruises
  // and "he hits her, how can I help" told as worry stay the hint.
  // A hospital here is where she was taken, not an institution that acts (playOrStory, not storyOrPlay).
  // The one who did it may be named in the next clause ("ma połamane żebra, prosi żeby nikomu nie mówić że to jej mąż").
  const doneBySomeone = c.hasAny(["harm", "kill", "lock", "threat"]) || (c.hasAny(["harmed", "injury"]) && (c.hasAny(["partner", "family", "by"]) || c.message.intimate === true));
  if (elseHurt && doneBySomeone && (c.message.severe === true || c.has("kill")) && !playOrStory && !c.has("thing") && !asks && !c.message.mishap && !c.message.fell) return "someone seriously hurt";
  if (blowTold && elseHurt && (c.message.hiding === true || c.message.fled === true || c.message.deathThreat === true || c.message.locks === true || c.message.threatens === true) && !notAtHome && !c.message.mishap) return "someone hurt, hiding or threatened";
  // "Mn vriendin appte net 'help hij is gek geworden' en nu leest ze niks meer", "the neighbour screamed help": someone
  // else's cry for help, passed on by the one who heard or read it, beside what was said, rage or a threat. Not a
  // practical request ("help my friend with the rent"), a thing or an animal.
  // Not "how can I help her", asked with worry: that is the resident's own question (a hint).
  const someonesCry = c.message.someoneElse && c.has("help") && !c.message.worry;
  if (someonesCry && c.hasAny(["say", "kill", "threat", "harm", "harmed", "anger", "shout", "now", "at_a_loss", "fear"]) && !c.message.practical && !notAtHome && !c.has("pet")) return "someone's cry for help";
  // "Mn vriendin appte 'hij is helemaal gek geworden' en neemt nu niet meer op", "'if something happens to me it's him'
  // and now her phone is off": someone else's message of rage or a cry, then silence.
  const alarmed = c.message.rage === true || c.message.help === true || c.message.acted === true || c.hasAny(["kill", "fear"]);
  // "Ik hoorde mijn zus gillen en toen werd het stil": a relative's, with nothing done to the resident, too.
  const aboutOther = c.message.someoneElse === true || (c.message.intimate === true && c.message.toMe !== true && c.message.caring !== true);
  if ((c.has("cut_off") || c.message.cutOff === true) && aboutOther && alarmed && (c.has("cut_off") || c.has("outsider")) && !notAtHome) return "someone's message, then silence";
  // "Grozi że wyśle moje nagie zdjęcia rodzinie jak nie wrócę": intimate images threatened, or in someone's words.
  // Whoever else is named is who would see them ("rodzinie i szefowi"); a "when" is only time ("z kąpieli, jak był niemowlakiem").
  if (c.has("images") && c.hasAny(["threat", "say", "next"]) && !c.hasAny(["story", "question"]) && !c.message.story) return "intimate images threatened";
  // "Şu an kapıyı tekmeliyor, içeride ben ve bebek varız": kicking the door of the home where the resident is, now.
  const ragingAtTheDoor = blowAtThingsBySomeone(c) || (c.has("lurk") && c.hasAny(["harm", "smash", "shout", "anger", "threat"]));
  if (ragingAtTheDoor && (c.has("now") || c.message.help === true) && (c.message.toMe === true || c.message.children === true) && !storyOrPlay && !c.has("question")) return "blows at the door now";
  // "Annem her akşam dayak yiyor, biz izliyoruz. 12 yaşındayım": a child who writes that someone at home is hurt.
  if (c.message.childWrites && elseHurt && c.has("family") && !c.hasAny(["outsider", "their"]) && !notAtHome && !c.message.mishap) return "someone at home hurt, told by a child";
  // "Córka ma 16 lat, jej chłopak ją bije": the resident's own child hurt by her partner (or his).
  const firstOutsider = Math.min(...c.all("outsider").map((f) => f.start));
  const ownChildFirst = c.message.subject === "child" || c.all("child").some((k) => k.start < firstOutsider);
  // Her partner may be one word ("kocası": her husband, read as both partner and someone else's).
  const ownPartnerOrFamily = [...c.all("family"), ...c.all("partner")].some((f) => !c.all("outsider").some((o) => o.start === f.start));
  if (c.has("outsider") && (c.has("their") || c.message.subject === "child") && ownChildFirst && c.hasAny(["harm", "harmed", "threat", "sexual", "lock"]) && !ownPartnerOrFamily && !notAtHome && !c.message.mishap) return "a child hurt by her partner";
  // "Ik mag van mn man niet naar buiten. hij doet de voordeur op slot als hij naar zn werk gaat en neemt de sleutel
  // mee": not let out, and a door locked or a key taken in the message.
  // Who keeps the resident in may be named only in the clause with the lock ("mag het huis niet uit, deur zit altijd op
  // slot en hij heeft de enige sleutel").
  if ((c.negated("allow") || c.has("forbid")) && c.hasAny(["outing", "home", "place"]) && c.message.locks === true && !institutionOnly && !c.hasAny(["child", "little", "story", "question", "outsider"]) && !c.message.story && !c.message.worry) return "not let out, the door locked";
  // "Я вже третій день не виходжу, двері на замку, ключ у нього": the resident not going out, a door said to be locked
  // and a "he" in the message: kept in.
  if (c.has("door_locked") && c.message.notGoingOut === true && c.message.he === true && !c.hasAny(["institution", "question", "story"]) && !c.message.story && !c.message.practical) return "not going out, the door locked";
  // "Забрав мій паспорт і не пускає з дому", "zabrali mi dowód i nie puszczają z mieszkania": papers taken and not let out.
  // A lock beside a thing is the drawer the papers are kept in ("pasaportumu kilitli çekmecede tutuyor"), not the resident.
  // Without "me" the lock is on the papers or where they are kept ("zamknął mój paszport w szafie", "kasaya kilitlemiş").
  const lockedIn = c.hasAny(["me", "i"]) && c.all("lock").some((l) => !c.found.some((f) => f.concept === "thing" && (f.start === l.end || f.end === l.start)));
  // Not let out of the house or to go out ("mag het niet hebben": the papers themselves are what is not allowed).
  // Not let out alone ("не випускають мене саму", read as control) is kept in too, beside papers taken.
  const notLetOutAlone = c.all("control").some((k) => aloneBeside(c.found, k));
  const keptIn = lockedIn || notLetOutAlone || ((c.negated("allow") || c.has("forbid")) && c.hasAny(["outing", "home", "place", "me"]));
  // An institution after "not let" is where the resident may not go ("не пускає з дому навіть в магазин").
  if (c.message.papersTaken && keptIn && !(institutionOnly && !keptFrom(c)) && !c.hasAny(["story", "question"])) return "papers taken, kept in";
  // "Ik durf niet meer naast hem te slapen", "yanında uyumaya korkuyorum": afraid to sleep beside him.
  if (c.has("sleep_beside") && (c.has("fear") || c.negated("dare")) && !c.hasAny(["child", "little", "pet", "story", "joke"])) return "afraid to sleep beside him";

  // Someone hits, kills, locks up or rapes me, us or the children.
  for (const act of ACTS_ON_PEOPLE) {
    for (const a of act === "harmed" ? [...c.all("harmed"), ...c.passiveActs()] : c.all(act)) {
      if (act === "sexual") return "sexual";
      if (aboutSomeoneElse || selfOnly) continue;
      // Someone else's trouble (a hint): an outsider named in the act's own sub-clause ("he saw a text from my coworker"
      // after "because" is why, not whom).
      if (c.all("outsider").some((o) => c.subOf(o.start) === c.subOf(a.start)) && !victims && !(act === "harmed" && c.subjectIsResident(a))) continue;
      // "Подруга живе з голландцем і він, здається, її б'є": someone else named in the clause before, and no one of mine hurt here.
      if (continuesAboutSomeoneElse(c) && !victims && !c.hasAny(["partner", "family", "child", "little", "body"]) && !(act === "harmed" && c.subjectIsResident(a))) continue;
      // A baby pulling my hair is not violence: the one who does it is a little child.
      const actor = c.actorBefore(a) ?? c.inheritedSubject(a);
      const agentBefore = c.found.some((f) => (f.concept === "third" || f.concept === "partner" || f.concept === "family") && !f.negated && f.start < a.start && c.subOf(f.start) === c.subOf(a.start));
      if (actor?.concept === "little" && !agentBefore) continue;
      // "My 13 yr old locked herself in her room": a child who locks is shutting a door, not someone in.
      if (act === "lock" && (actor?.concept === "child" || actor?.concept === "little") && !agentBefore && !c.has("me")) continue;
      // "Mijn zoon slaat zijn zusje": children fighting is parenting, not violence at home.
      if (act !== "harmed" && actor?.concept === "child" && !agent && !c.has("me") && c.people().every((p) => p.concept === "child")) continue;
      // "Mijn zoon heeft de bal door het raam geschopt": a child playing with a thing.
      // "Mijn zoon van 17 schreeuwt tegen mij en slaat gaten in de muur": the child's blow lands on the thing, the resident
      // named only where the shouting is aimed (a child's rage at things, the hint).
      if (actor?.concept === "child" && !agent && c.has("thing") && !c.has("me")) continue;
      // "My 14 yo daughter threw her plate at the wall and screams that she hates me": a "she" or "her" after one's own
      // child (the only one from home named) is the child, not someone else who acts.
      if ((actor?.concept === "child" || (!actor && c.message.subject === "child")) && onlyTheChildActs && act === "harm" && blowLandsOnThing(c, a)) continue;
      // "Ik wil me van kant maken": the resident is both who kills and who dies, a crisis (crisisRule).
      if (act === "kill" && !agent && c.selfKilling(a)) continue;
      // A thing hits ("the ball hit me", "ضربني البرد") when no person is named before the act; after a person
      // it is where or with what ("my son pushed me to the floor").
      const candidates = c.found
        .filter((f) => (AGENTS.has(f.concept) || f.concept === "child" || f.concept === "thing" || f.concept === "pet") && !f.negated && f.start < a.start && c.subOf(f.start) === c.subOf(a.start))
        .sort((x, y) => x.start - y.start);
      // The first named is who acts, unless an animal comes right before the act: "komşunun köpeği oğlumu ısırdı", the
      // neighbour's dog bit.
      // (An animal word may be listed as a thing too: "dog" is both; the animal reading wins.)
      const lastPet = candidates.find((x) => x.concept === "pet" && x.start === candidates.at(-1)?.start);
      const before = lastPet ?? candidates[0];
      // "Pushed down the stairs by my partner": a person after "by" did it, whatever else is named.
      // Someone named in the clause before ("وهو بيشرب، ... زقني على الدولاب") is who acted, not the thing after the act.
      const agentEarlier = before === undefined && AGENTS.has(c.message.subject ?? "me");
      // An animal named first is what bit or scratched ("кіт вкусив мене").
      // A thing that is what another verb did ("سكّر علي الباب وأخذ التلفون": and took the phone) did not act.
      const objectOfOther = (t: Found) => c.found.some((f) => OTHER_VERBS.has(f.concept) && f.end === t.start);
      const thingActed = c.all("thing").some((t) => c.subOf(t.start) === c.subOf(a.start) && !objectOfOther(t));
      const thingActs = ((before === undefined && !agentEarlier && thingActed) || before?.concept === "thing" || before?.concept === "pet") && !c.people().some((p) => c.afterBy(p) && p.start > a.start);
      // An animal right before the act, or with only a body part, "me" or a filler between, bit even beside a relative
      // named before it ("kuzenimin kedisi elimi ısırdı": my cousin's cat bit my hand); "he took the dog and hit me" is not.
      if (before?.concept === "pet" && onlyQuietBetween(c, before, a)) continue;
      // "Mum fell in the shower and hit her head": a blow after a fall in the clause is what the fall did.
      // The fall told first and "and" before the blow: one subject doing both. Not when it lands on the resident ("I fell,
      // then he hit me"), nor "yere düştüğümde tekmeledi" (when I fell, he kicked: one sub-clause, the fall is when).
      if (act === "harm" && fell && c.all("fall").some((f) => c.subOf(f.start) < c.subOf(a.start)) && !c.hasAny(["me", "i"])) continue;
      // "Ergen oğlum üstüme yürüyor, vurmadı": one's own child who comes at the resident, the message saying no blow
      // landed: the child's aggression (hintRule), not a blow.
      if (act === "harm" && noBlowsSaid(c) && ownChildOnly(c) && c.has("child") && !c.has("third") && (actor === undefined || actor.concept === "child")) continue;
      // "He punches the walls and screams at me": the blow lands on a thing (the shouting is a hint).
      if (act === "harm" && aimedAtThing(c, a)) continue;
      // "He smashed my phone when he was angry, he didnt touch me", "kocam sinirlenince tabakları fırlatıyor, bana dokunmadı":
      // a blow that is part of a smashing, in a message that says the blows do not happen: rage at things, the hint.
      if (act === "harm" && noBlowsSaid(c) && c.all("smash").some((m) => m.start <= a.start && a.end <= m.end)) continue;
      if (act === "harm" && (carersOwnRoughness(c) || ashamedOfOwnAct(c, a))) continue;
      // "Ik heb mijn dochter geslagen, ik schaam me": a participle with "I" before and the child between.
      // ("ik heb haar geduwd, ik voel me vreselijk": "haar" between is whom, with children named in the message.)
      const iFirst = c.actorBefore(a);
      if (act === "harmed" && iFirst?.concept === "i" && ashamedOfOwnAct(c, a) && c.found.some((f) => (f.concept === "child" || f.concept === "little" || f.concept === "third") && f.end <= a.start && f.start > iFirst.start)) continue;
      // "Ons opa is gevallen in de tuin en heeft blauwe plekken op zijn arm": a fall told before the bruise, no blow and nobody
      // it was done by, whoever is named: what the fall did (a fall after "said" is a cover story, `fell`).
      if (act === "harmed" && fell && c.all("fall").some((f) => f.end <= a.start) && !c.hasAny(["harm", "by", "cover"]) && !c.people().some((p) => c.afterBy(p))) continue;
      // "Mijn man heeft bij boksen een blauw oog opgelopen": a bruise or a black eye from a sport named in its own
      // sub-clause, no blow and nobody it was done by: what the sport did.
      if (act === "harmed" && c.all("sport").some((x) => c.subOf(x.start) === c.subOf(a.start)) && !c.hasAny(["harm", "by", "cover", "me"]) && !c.people().some((p) => c.afterBy(p))) continue;
      if (victims && !institutionOnly && !(thingActs && !agent)) {
        // "My back hurts me": a body that hurts, with nobody who hurt it ("uderzył mnie w twarz" names the body after the act).
        if (!agent && !c.has("child") && c.all("body").some((b) => b.start < a.start && c.subOf(b.start) === c.subOf(a.start))) continue;
        // "Deze hitte maakt me dood": without a person, killing is a figure of speech unless nothing else is named.
        if (act === "kill" && !agent && c.contentInSub(a.start).length > 0) continue;
        // "Mijn kind heeft een blauwe plek van het voetballen": a bruise with its everyday cause named.
        if (act === "harmed" && !agent && c.contentAfter(a.end - 1).length > 0) continue;
        // "Hij is gevallen en heeft een blauwe plek", "parkta düştü, dizinde morluk var": a fall, nobody who did it.
        // Also a fall told in a clause of its own ("buzda kaydım düştüm, kolum mosmor oldu").
        if (act === "harmed" && !agent && (fell || c.message.fell)) continue;
        return `${act}+victim`;
      }
      // A thing in another sub-clause is the reason given, not what hit ("yemek soğuk diye tekmelendim").
      // A thing before the "I" it happened to is the occasion ("if the dinner is cold I get slapped").
      const subjectAt = c.all("i").find((i) => i.start < a.start && c.subOf(i.start) === c.subOf(a.start))?.start ?? -1;
      // What hit is named after the act or after "by" ("geraakt door de bal"), or is a sport ("maçta dayak yedik"); a thing
      // before the act is the occasion ("если ужин холодный, получаю по лицу").
      const thingInSub = c.all("thing").some((t) => c.subOf(t.start) === c.subOf(a.start) && t.start > subjectAt && (t.start > a.start || c.all("by").some((b) => b.end === t.start || b.end === t.start - 1) || c.all("sport").some((x) => x.start === t.start)));
      if (act === "harmed" && c.subjectIsResident(a) && !thingInSub && !fell && !institutionOnly && c.contentAfter(a.end - 1).length === 0) return "harmed+i";
      // "Vandaag weer een klap gehad", "znowu oberwę", "yine dayak yiyeceğim": nobody named, so it happened to the one who writes.
      // Not after an accident or a match told in another clause ("knie gestoten …, zit onder de blauwe plekken").
      if (act === "harmed" && c.people().length === 0 && !c.message.mishap && !c.message.fell && !(fell || c.hasAny(["i", "me", "thing", "body", "little", "institution", "question"])) && c.contentInSub(a.start).length === 0 && c.contentAfter(a.start, false).length === 0) {
        return "harmed, nobody named";
      }
      // "In elkaar geslagen door mijn man", "bruises from him": done by someone at home, to the one who writes.
      // A thing named beside it is where it happened ("pushed down the stairs by my partner").
      if (act === "harmed" && !c.has("outsider") && !fell && c.people().some((p) => p.concept !== "child" && c.afterBy(p)) && !c.people().some((p) => !c.afterBy(p) && p.concept !== "third")) {
        return "harmed by someone";
      }
      if (act === "harmed" && agent && c.has("body")) return "harmed+body";
      // "Mijn moeder wordt geslagen door mijn vader" is danger at home; "mijn zus heeft blauwe plekken" a worry (hintRule).
      // A pronoun may be the same person again ("mijn zus heeft blauwe plekken en ze zwijgt"); two people named, or one after "door"/"by".
      const named = c.people().filter((p) => p.concept !== "outsider" && (p.concept !== "third" || c.afterBy(p)));
      if (act === "harmed" && named.length >= 2 && !c.has("thing")) return "harmed+people";
      if (act === "harmed") continue;
      // Someone hit a body: named, or only in the verb's ending ("вдарив ногою в живіт"), and not "I hit my head".
      // "Коли я вагітна, він ногою в живіт": someone named after "I" is who acts.
      const iBefore = c.found.some((f) => f.concept === "i" && f.start < a.start && c.subOf(f.start) === c.subOf(a.start) && !c.found.some((g) => (g.concept === "third" || g.concept === "partner" || g.concept === "family") && g.start > f.start && g.start < a.start));
      // "That hill kills my legs", "de rug maakt hem dood": a body part that kills, or is killed with nobody who does it, is pain.
      if (act === "kill" && (!agent || bodyDoesIt(c, a))) continue;
      if (c.has("body") && !iBefore && (agent || (c.all("body").some((b) => b.start >= a.start) && !c.has("thing")))) return `${act}+body`;
      // "По голові бив": a body and a blow, the one who did it only in the verb.
      if (c.has("body") && !iBefore && !c.hasAny(["i", "me", "thing", "institution", "child", "little", "self"]) && c.contentInSub(a.start).length === 0) return `${act}+body`;
      // "Hij slaat", "mijn vader slaat mijn moeder": a person at home and nothing else hit.
      // "My friend covers her arms … I think he hurts her": someone else's home, a worry (hintRule).
      // A thing in another sub-clause is where the resident is, not what was hit ("… en ik lig dan onder mn bed").
      if (agent && !institutionOnly && !c.hasInSub(["thing"], a.start) && c.contentInSub(a.start).length === 0 && !(c.message.someoneElse && !victims)) return `${act}+person`;
      // "Знову побив": the person only in the verb's ending, and nothing else in the clause.
      // An "I" in another sub-clause is who was seen or spoke ("якщо бачить шо я говорю по телефону, то приходить і б'є").
      // "Cut again tonight, deeper than before": a blow inside words of self-harm (a crisis phrase) is the resident's own.
      if (act === "harm" && !c.hasInSub(["i"], a.start) && !c.hasAny(["thing", "institution", "child", "outsider", "little", "body", "self", "crisis_phrase"]) && !NOT_FROM_HOME.has(c.message.subject ?? "me") && c.contentInSub(a.start).length === 0 && c.contentAfter(a.start, false).length === 0) {
        return "harm alone";
      }
      if (c.people().filter((p) => p.concept !== "outsider").length >= 2 && !c.has("thing") && !institutionOnly) return `${act}+two people`;
    }
  }
  if (aboutSomeoneElse) return undefined;
  // Someone from home touching a child.
  if (c.has("touch") && (c.has("child") || (c.message.childWrites && c.has("me"))) && (agent || c.has("family")) && !institutionOnly) return "touching a child";
  // Sex that is forced, threatened or unwanted.
  if (c.has("sex") && (c.hasAny(["force", "threat", "refuse"]) || (c.negated("want") && agent))) return "forced sex";
  // Threats: to me or the children, to kill, with a weapon, to take the children.
  if (c.has("threat")) {
    const serious = c.hasAny(["kill", "weapon", "take"]);
    if (serious && !(institutionOnly && !c.hasAny(["kill", "weapon"]))) return "threat+serious";
    const threat = c.all("threat")[0]!;
    // The child named before the threat, and no one else from home, is who threatens ("ابني 15 سنة صار يهددني …"): the
    // child's aggression at home (a hint), unless it is to kill or with a weapon (above).
    const childThreatens = ownChildOnly(c) && c.actorBefore(threat)?.concept === "child" && !c.has("third");
    if (c.has("child") && !institutionOnly && !childThreatens) return "threat+children";
    if (victims && !institutionOnly && (agent || c.contentInSub(threat.start).length === 0) && !(c.actorBefore(threat)?.concept === "child" && !c.has("me")) && !childThreatens) return "threat+victim";
    // "Grozi, że zrobi krzywdę mojej mamie w Polsce", "погрожує що зробить щось моїй мамі": a relative named after the
    // threat is whom it is against (one named before it is who threatens); not a threat to tell them something.
    const againstRelative = c.all("family").some((f) => f.start > threat.start) && !c.all("family").some((f) => f.start < threat.start);
    if (againstRelative && (agent || c.impliedOther(threat)) && !childThreatens && !c.hasAny(["institution", "say", "money", "topic_money", "story", "joke", "question"]) && !c.message.story) return "threat+relative";
  }
  if (c.has("take") && c.has("child") && (agent || c.all("take").some((t) => c.impliedOther(t) || c.has("say"))) && !institutionOnly && (c.hasAny(["say", "threat"]) || c.all("take").some((t) => takenAway(c, t)))) return "take+child";
  // "He took my kids", "zabrał dzieci": a plain "takes" (listed for money) with the children right after it.
  const takesChildren = c.all("withhold").some((w) => c.all("child").some((k) => k.start >= w.end && k.start - w.end <= 2) && takenAway(c, w));
  if (takesChildren && (agent || c.all("withhold").some((t) => c.impliedOther(t))) && !institutionOnly && !c.hasAny(["question", "money", "topic_money"])) return "take+child";
  const fromHome = agent || c.hasAny(["me", "i"]);
  const noStory = !c.hasAny(["story", "sport", "score"]) && !c.message.story && !aboutSomeoneElse;
  // "Het is mijn schuld, had ik niet gezeurd dan had ie me niet geslagen", "benim hatam, o yüzden tokat attı": self-blame beside
  // an act on the resident, even one said as what would not have happened.
  const blows = [...c.all("harm"), ...c.negatedMarks("harm"), ...c.all("harmed"), ...c.negatedMarks("harmed")];
  const onMe = c.hasAny(["me", "i", "body"]) || blows.some((h) => c.impliedOther(h));
  if (c.message.blame && blows.length > 0 && onMe && noStory && !institutionOnly && !c.hasAny(["thing", "child", "little", "outsider", "self"])) return "self-blame beside a blow";
  // "Mn arm is weer helemaal blauw", "kolumda yine morluklar var", "знову синці на руках": an injury once more, nobody and no accident named.
  // Not a relative's injury told by the resident ("siostra ma znowu sine ręce": a worry, hintRule).
  if (c.has("again") && c.has("harmed") && !c.has("crisis_phrase") && !fell && !c.message.fell && !c.message.mishap && !c.message.sport && noStory && !c.hasAny(["thing", "institution", "little", "child", "outsider", "self", "accident"]) && !(c.has("family") && !c.hasAny(["i", "me"]))) return "injured again";
  // "Ik heb een straatverbod tegen hem maar hij zat voor mn flat": a court keeps someone from home away.
  if (c.has("order") && agent && noStory && !institutionOnly && !c.has("question")) return "restraining order";
  // "He's outside right now in his car, been there 2 hours. the restraining order says 100m": the order in one clause,
  // someone from home waiting in another; or where the verb carries "he" and nobody is named ("uzaklaştırma var ama şu
  // an marketin önünde beni bekliyor").
  if (((c.has("order") && (c.message.lurker || c.message.partnerLurks)) || (c.message.order && c.has("lurk") && (agent || c.message.nobodyNamed === true))) && noStory && !c.has("question")) return "restraining order";
  // "Politie is vannacht weer geweest, hij ging zo tekeer", "police came, he said he's coming back for me".
  // The police may be in another clause ("police came last night. he already left but said he's coming back for me").
  if ((c.has("police") || c.message.police) && agent && noStory && !c.has("question") && c.hasAny(["shout", "anger", "harm", "harmed", "threat", "lurk", "fear", "weapon", "kill", "lock", "smash"])) return "police came";
  // "Told them I fell down the stairs", "zei dat ik tegen de kast liep": a cover story beside an injury.
  // Not someone else's story ("mijn zus heeft blauwe plekken en zegt dat ze gevallen is" is a worry, hintRule).
  // A friend named in another clause is whose face it is ("arkadaşımın yüzünde kalın makyaj vardı, morluğu kapatıyor").
  const othersStory = (c.hasAny(["family", "outsider", "child"]) && !c.hasAny(["i", "me"])) || (c.message.someoneElse && !c.hasAny(["i", "me"]));
  // "Told the gp i slipped on the stairs, but it was him": the story told and its undoing, with no injury word.
  // "Ріжу собі ноги щоб ніхто не бачив": a body inside the resident's own words of self-harm is hidden from others, a
  // crisis (113), not an injury someone did.
  // (`injured` is the message's: a wound or a body named, any clause, a body inside such words not counted.)
  if (c.has("cover") && (c.message.injured || (c.message.covers ?? 0) >= 2) && noStory && !othersStory) return "injury covered up";
  // "Help hij staat voor de deur", "zit verstopt op de wc, hij wacht buiten": a cry or hiding, someone from home there.
  // Who is there may be named in another clause ("муж стоит под дверью и ломится, помогите").
  // A child or a neighbour beside the cry is who the resident hides with or where ("hiding in the wardrobe with the baby").
  // "Staat beneden aan te bellen en schopt tegen de deur, wat moet ik doen": at a loss is a cry here, with someone
  // raging or kicking at the door, and only here ("mijn man is altijd boos, wat moet ik doen" is a hint; "annem kapıda
  // bekliyor, pasta alalım mı ne yapayım" is a visit).
  // Or with a partner or an ex named there ("муж внизу звонит в домофон, что мне делать"), not a mother or a courier.
  const raging = c.hasAny(["harm", "smash", "shout", "anger", "drink", "threat", "fear", "kill", "weapon"]) || c.message.acted === true;
  const cries = c.has("help") || c.message.help === true || ((c.has("at_a_loss") || c.message.atALoss === true) && (raging || c.message.partnerLurks === true));
  // Someone else named in the message and nobody from home is who rings ("кур'єр дзвонить, я не відчиняю").
  const strangerAtDoor = c.message.someoneElse && !agent && !c.message.lurker;
  // "Lig op de grond, hij is net weg maar zei dat ie terugkomt. kan nie goed lopen": hurt, told beside someone from home
  // who left and says he comes back. Not a hospital or doctor, an accident, a fall, sport or a story.
  if (c.has("injury") && c.message.lurker === true && !c.hasAny(["institution", "sport", "story", "accident", "fall", "question", "child", "little"]) && !c.message.mishap && !c.message.fell && !c.message.story && !c.message.sport && noStory) return "hurt, and he comes back";
  if (cries && ((c.has("lurk") && fromHome && !c.hasAny(["outsider", "child"]) && !strangerAtDoor) || c.message.lurker) && noStory && !c.has("institution")) return "help: someone at the door";
  // "Banyoda saklanıyorum, yardım edin", "ховаюсь у ванній допоможіть": hiding and a cry for help, with nobody named, or
  // two cries; not about a thing, an institution or a practical topic ("help, I can't pay the rent, help").
  if (c.has("help") && (c.message.cries ?? 0) >= 2 && noStory && !c.message.practical && !c.hasAny(["thing", "outsider", "question"])) return "hiding and a cry for help";
  // "Zit verstopt op de wc, hij is heel boos", "arabada saklanıyorum, sarhoş bağırıyor": hiding or a cry while someone from home rages.
  // Children named with the resident are who they hide with ("zamknęłam się z dziećmi w łazience, on wszystko rozwala");
  // a child alone is a tantrum.
  const childRaging = c.hasAny(["child", "little"]) && !c.hasAny(["third", "partner", "family"]);
  // A practical topic elsewhere in the message is the scene ("mama płacze, tata krzyczy …, jestem pod łóżkiem"), not the cry.
  if ((c.has("help") || c.message.help) && c.hasAny(["anger", "shout", "drink", "smash"]) && fromHome && noStory && !c.message.practicalCry && !(c.message.practical && c.has("help")) && !childRaging && !c.hasAny(["outsider", "thing", "question"])) return "help: someone raging";
  // "Er ligt een pistool in huis. Als we ruzie hebben legt hij het op tafel": a weapon where the rows are, named in any
  // clause. Firearms in a home with rows are the strongest sign of lethal danger in risk assessments; not a child's rows.
  if (c.message.armed && c.hasAny(["argue", "anger", "shout"]) && fromHome && noStory && !institutionOnly && !childRaging && !c.hasAny(["mild", "outsider", "question"]) && !c.message.denied) {
    return "a weapon beside the rows";
  }
  // "Kızım babasından döndü, kolunda morluklar var, babam kızdı diyor": the child tells that a parent raged or hit, and
  // the message names the child's injury. Not someone else's child ("her son"), not a child who did it.
  if (c.message.childHurt && c.has("say") && c.hasAny(["anger", "harm", "harmed", "shout"]) && c.hasAny(["family", "partner", "third"]) && noStory && !institutionOnly && !c.hasAny(["institution", "mild", "question"])) {
    return "a child hurt, told by the child";
  }
  // "Mijn ex staat elke avond voor mijn flat", "były chłopak chodzi za mną", "my ex can't let go. he follows me home": an ex
  // who waits, follows or shows up is stalking, named in the clause or before it. Beside the children only when he
  // follows, watches or comes again ("bizi takip ediyor"): a hand-over is arranged ("my ex is at the door, he brings
  // the kids back"). The school may be where he waits ("стоїть біля школи доньки щоранку"); "just" changes nothing ("hij
  // volgt ons gewoon"). Not a question or a story.
  // A question word inside the words for the ex ("с тех пор как я ушла": since I left) asks nothing.
  if ((c.has("ex") || (c.message.ex && !c.hasAny(["partner", "family", "outsider"]))) && c.has("lurk") && noStory && (!c.message.children || c.hasAny(["control", "again", "fear"])) && !c.asks()) {
    return "an ex who lurks";
  }
  // "Ailem beni zorla evlendirecek, hayır dersem ne yaparlar bilmiyorum, çok korkuyorum": forced, and afraid of what
  // refusing brings. Being made to do something ("hij dwingt me te koken") is the hint alone.
  if (c.has("force") && c.has("me") && c.message.afraid === true && noStory && !c.hasAny(["institution", "question"])) return "forced, and afraid";
  // "Po imprezie zmusił mnie, mówiłam nie kilka razy", "جوزي بيغصبني وانا تعبانة ومش عايزة": forced with nothing named
  // that it was forced to (no job, money, clothes or place), and the resident's no: what was forced is not said.
  const forcedToNothing = c.all("force").some((f) => c.contentAfter(f.start, false).every((j) => c.found.some((g) => g.start <= j && j < g.end && NOT_WHAT_IS_FORCED.has(g.concept))));
  // "كل ليلة يجبرني حتى لو انا مريضة، يقول هذا حقه": forced, and sex named in another clause ("it is his right"), nothing
  // else named that it was forced to.
  if (c.has("force") && c.has("me") && c.message.sexNamed === true && !c.has("sex") && noStory && !c.hasAny(["institution", "question", "money", "thing", "outing", "place", "home"])) return "forced, sex named";
  if (c.has("force") && c.has("me") && (c.has("refuse") || c.message.refused === true) && forcedToNothing && noStory && !c.message.practical && !c.hasAny(["institution", "question", "money", "thing", "outing", "place"])) return "forced, said no";
  // "Elke avond wacht hij bij de bushalte, vandaag liep hij achter me aan tot de deur", "він знову стоїть під під'їздом, я
  // боюсь вийти з дітьми": an unnamed "he" who waits in two places, or follows as well, or where the resident is afraid
  // or does not dare to go out. He is not named because she knows who he is; a plumber, a landlord or a neighbour would
  // be named. Where the verb carries "he" ("كيتسناني … تبعني", "чекає біля зупинки, йшов за мною"), nobody named and
  // "me" will do, but only with a second clause of waiting or following, or fear: one clause of "стежить за мною" is
  // control. A "he" named who waits and tracks in one clause will do ("found a tracker under my car, now he turns up
  // everywhere"), but not one who is at home ("zmienił hasło do wifi, mogę korzystać tylko jak on jest w domu"). Not a
  // question ("how do I get an order against him" is told elsewhere) or a story.
  // Fear of speaking up ("kiedy on wraca do domu, boję się coś powiedzieć") is not fear of someone who waits: "he comes
  // home" is then his coming home.
  const afraidToSpeakUp = c.all("fear").some((f) => afraidToSpeak(c, f));
  const followsToo = (c.message.lurkClauses ?? 0) >= 2 || (c.message.afraid === true && !afraidToSpeakUp) || c.message.followsApart === true;
  // "15 yaşındaki oğlum bana çok agresif, kapıyı yumrukluyor": the verb's "he" after one's own child, the one the message is
  // about, is the child at home, not someone who waits.
  const unnamedHe = c.message.onlyHe === true ? c.has("third") : c.message.nobodyNamed === true && c.message.toMe === true && !(c.message.subject === "child" && ownChildOnly(c));
  const tracks = c.message.onlyHe === true && c.has("control") && !c.has("home");
  // "Bardakları kırıyor, kapıya vuruyor, bana vurmadı ama çok korkuyorum": things smashed and "he did not hit me": the
  // door he bangs is at home, his rage (a hint), not someone outside.
  const rageIndoors = c.message.denied === true && c.message.smashes === true;
  if (unnamedHe && c.has("lurk") && !rageIndoors && (followsToo || tracks) && noStory && !c.hasAny(["question", "joke"]) && !c.message.practical) {
    return "someone who waits and follows";
  }
  // "Waar kan ik vannacht slapen met mijn 2 kinderen, ik kan niet terug naar hem", "втекла в капцях, де переночувати, у
  // подруги буде шукати": a roof asked for tonight beside the children, a flight, "he", an ex, fear, not daring to go
  // back, or rage or drink anywhere in the message; or a flight beside someone who searches. A husband named alone is
  // as often who comes along ("waar kunnen we vannacht slapen bij Schiphol met mijn man, vlucht geannuleerd"). Not a
  // hotel, a trip or a sleepover (a practical topic or an institution beside it: "where can I sleep tonight, the
  // gemeente evicted me" is housing).
  const flight = c.has("fled") || c.message.fled === true;
  const roofAsked = c.has("shelter") || c.message.shelter === true;
  const becauseOfSomeone = c.message.children === true || flight || c.message.help === true || c.message.lurker === true || c.message.partnerLurks === true || c.message.ex === true || c.message.rage === true || c.hasAny(["third", "fear"]) || c.negated("dare");
  // A house or a topic beside a flight, an ex or someone waiting is where they fled from ("het huis uit gerend, hij zoekt me").
  const practical = c.message.practical === true && !flight && !c.message.ex && !c.message.lurker;
  if (((roofAsked && becauseOfSomeone) || (flight && (c.has("lurk") || c.message.lurker === true || c.message.partnerLurks === true))) && noStory && !practical && !c.has("sport")) return "nowhere to sleep tonight";
  // "Ran out the house in my socks. hes still inside with the baby. what do i do": fled, "he" and the children named, and
  // at a loss what to do now.
  if (flight && c.message.atALoss === true && c.message.he === true && c.message.children === true && !practical && noStory && !c.hasAny(["sport", "joke"])) return "fled, at a loss";
  // "He says if I go to work he will break my fingers": a blow promised on a condition, in someone's words.
  if (c.has("say") && agent && c.has("subordinator") && c.all("harm").some((h) => h.end - h.start > 1 || c.hasAny(["me", "body"])) && !c.hasAny(["story", "sport", "score", "institution"])) {
    return "blow threatened";
  }
  // Reported speech: "hij zei: morgen ben je dood", "if u call the cops ur dead he told me".
  if (c.hasAny(["die", "kill", "threat"]) && c.has("you") && (c.has("say") || agent) && !c.has("want") && !c.has("institution")) return "reported threat";
  if (c.has("die") && c.has("say") && c.hasAny(["me", "i"]) && agent && !c.hasAny(["want", "fear", "thing"])) return "reported threat";
  // "Сказав: якщо подзвоню в поліцію, то приб'є": someone said they would kill (whoever else is named: the police they would call).
  // The children may be named as whom it is about ("بيقتلنا كلنا حتى العيال").
  // A wish before what was said is the resident's own ("bghit ndir plainte walakin 3a2ilto 9alo … y9tlo khouya"): not it.
  const firstKill = Math.min(...c.all("kill").map((k) => k.start));
  const wishedIt = c.all("want").some((w) => w.start < firstKill && !c.all("say").some((x) => x.start > w.start && x.start < firstKill));
  if (c.has("kill") && c.has("say") && !wishedIt && !c.all("kill").every((k) => bodyDoesIt(c, k)) && !c.hasAny(["thing", "self", "story"]) && c.people().every((p) => p.concept === "third" || p.concept === "partner" || p.concept === "family" || (p.concept === "child" && c.has("me")))) return "reported threat";
  // "Він сказав: ще раз подзвониш своїй матері - вб'ю", "قالي روحي اتصلي بالبوليس، قبل ما يوصلوا بكون خلصت عليكي": the
  // words come in a clause of their own after who said them. A killing said of nobody but "you" or "me", and only that.
  const saidKill = c.all("kill").some((k) => !k.negated) && c.message.saidBefore === true && (c.message.he === true || c.message.intimate === true || c.message.ex === true);
  if (saidKill && !c.has("say") && !wishedIt && (c.hasAny(["you", "me"]) || c.contentInSub(firstKill).length <= 1) && !c.hasAny(["thing", "self", "story", "sport", "score", "joke", "pet", "want", "question"]) && c.people().length === 0 && !c.message.story && !c.message.sport) return "reported threat";
  for (const w of c.all("want")) if (c.hasInSub(["die"], w.start) && c.hasInSub(["third", "partner", "family"], w.start) && c.hasInSub(["me"], w.start)) return "wants me dead";
  // Locked in, cannot get out: trapped.
  for (const l of c.all("lock")) if (c.has("i") && !institutionOnly && c.contentAfter(l.start).length === 0) return "trapped";
  // "Ik werd door mijn schoonmoeder opgesloten in de slaapkamer", "they lock me in the room": someone locks the resident in.
  // "Mn zus belde huilend, haar man heeft haar opgesloten", "her husband locked her in and smashed her phone": someone
  // else locked in by her own partner or family is in danger now, and the one who writes needs the numbers (Veilig
  // Thuis advises those who worry about someone too). A thing or an animal locked ("locked the shed", "her dog") is not a person.
  // "Her" right after the locking is who was locked in, whatever else is named ("زوجها قفل عليها الباب وكسر تلفونها").
  // ("Took her keys": "her" before a thing is whose it is.)
  const herLocked = c.all("lock").some((l) => c.all("third").some((t) => t.start >= l.end && t.start <= l.end + 1 && !c.all("thing").some((x) => x.start === t.end)));
  // Locked in at home ("جوزها حبسها بالبيت وقفل الباب"): the home inside or right after the locking is where she is kept.
  const lockedAtHome = c.all("lock").some((l) => c.all("home").some((h) => h.start >= l.start && h.start <= l.end));
  // "Not allowed out by her husband": a lock made of words of not letting out (allow, outing, forbid inside it), nothing
  // locked, is control over her (a hint), as being kept in is when it is someone else.
  const shutIn = c.all("lock").some((l) => !c.found.some((f) => (f.concept === "allow" || f.concept === "outing" || f.concept === "forbid") && f.start >= l.start && f.end <= l.end));
  if (c.has("lock") && shutIn && c.has("outsider") && (c.has("third") || lockedAtHome) && (herLocked || lockedAtHome || !c.has("thing")) && !c.hasAny(["pet", "story", "sport", "institution"]) && !c.message.story && !c.message.mishap) return "someone else locked in";
  // A thing after "me" is where ("locked me out on the balcony", "закриває нас на балконі"); one before it is what was locked.
  const firstMe = Math.min(...c.all("me").map((m) => m.start), ...c.all("i").map((m) => m.start));
  const thingLocked = c.all("thing").some((t) => t.start < firstMe);
  if (c.has("lock") && c.hasAny(["me", "i"]) && !institutionOnly && !thingLocked && !c.hasAny(["story", "sport", "accident"]) && (c.people().some((p) => c.afterBy(p)) || ((agent || c.all("lock").some((l) => c.impliedOther(l))) && c.has("me")))) return "locked in";
  // "Kapıda bıçakla bekliyor", "howa ja b mous", "showed up at my window with a knife": someone waiting or coming with a weapon.
  // Who came is someone from home or only in the verb: not a child, an outsider or an unexplained word before it ("kasap bıçakla geldi").
  const lurkAt = Math.min(...[...c.all("weapon"), ...c.all("lurk")].map((f) => f.start));
  // Or broke in or came, told in another clause, and left a weapon ("mn ex breekt in …, gister lag er een mes op mn kussen").
  // A thing before it is where ("kapıya bir bıçak bırakmış": left a knife at the door); an unexplained word may be who.
  const isThing = (j: number) => c.found.some((f) => f.concept === "thing" && f.start <= j && j < f.end);
  const lurked = c.has("lurk") ? !c.contentInSub(lurkAt).some((j) => j < lurkAt && !isThing(j)) : c.message.lurk === true;
  if (c.has("weapon") && lurked && !c.hasAny(["story", "sport", "institution", "child", "outsider"]) && !c.asks() && !c.message.story && !aboutSomeoneElse) {
    return "waiting with a weapon";
  }
  // "He said next time he brings a knife": a weapon in someone's words.
  if (c.has("weapon") && c.has("say") && (agent || c.all("say").some((x) => c.impliedOther(x))) && !institutionOnly && !c.has("question")) return "weapon announced";
  // "Can you tell me where to get a knife sharpened?": a question about a knife, nobody who uses it.
  const askedAboutIt = c.has("question") && !agent && !c.hasAny(["threat", "harm", "kill", "lurk"]);
  if (c.has("weapon") && (agent || c.has("me") || c.has("body")) && !institutionOnly && !askedAboutIt && (c.hasAny(["me", "threat", "harm", "kill"]) || c.contentInSub(c.all("weapon")[0]!.start).length <= 1)) {
    return "weapon";
  }
  if (c.has("violence") && c.hasAny(["i", "me", "home", "partner", "family", "child", "third"]) && !c.has("question") && !(c.has("outsider") && !c.hasAny(["me", "i"]))) {
    return "violence";
  }
  // "مش حاسة بالامان في البيت، بس هو عمره ما ضربني": unsafe at home with someone who, the message says, does not hit,
  // and nothing worse named: the unease is the hint, as fear of him is (fearIsDanger).
  const noBlows = noBlowsSaid(c);
  if (c.has("unsafe") && c.hasAny(["i", "me", "home", "child"]) && !noBlows) return "unsafe";
  if (c.negated("safe") && c.hasAny(["i", "me", "home", "child"]) && !c.hasAny(["money", "topic_money"]) && !noBlows) return "not safe";
  // "Ik durf niet te zeggen als hij thuis is": what is not dared is speaking up (a word of saying right after the dare),
  // a hint (hintRule), not going home.
  if (c.negatedMarks("dare").some((d) => !afraidToSpeak(c, d)) && c.has("home") && !c.hasAny(["institution", "story"])) return "dare not go home";
  // "I stay at the library until closing because i dont want to go home to him": home is where he is.
  const homeToHim = c.all("home").some((h) => c.found.some((p) => (p.concept === "third" || p.concept === "partner") && p.start >= h.end && p.start - h.end <= 1));
  if (c.negated("want") && homeToHim && !c.hasAny(["story", "sport", "joke", "child", "little"]) && !c.message.story) return "not going home to him";
  for (const f of c.all("fear")) {
    const why = fearIsDanger(c, f);
    if (why) return why;
  }
  return undefined;
}

/**
 * Children taken away, not taken along: nobody but the one who writes is named as taking them, and
 * nothing (a park, grandparents, a body part) is named after them ("took the kids to the zoo",
 * "trzyma dziecko za rękę", "ik heb de kinderen meegenomen naar oma").
 */
function takenAway(c: ClauseView, take: Found): boolean {
  if (c.actorBefore(take)?.concept === "i") return false;
  const child = c.all("child").find((k) => k.start >= take.start) ?? take;
  const from = Math.max(child.end - 1, take.end - 1);
  return c.contentAfter(from).length === 0 && !c.found.some((f) => f.start > from && c.subOf(f.start) === c.subOf(from) && (f.concept === "body" || f.concept === "family" || f.concept === "outsider" || f.concept === "place"));
}

/** The message says the blows do not happen, and names nothing worse (a death threat, a threat, a lock, a weapon). */
function noBlowsSaid(c: ClauseView): boolean {
  return c.message.denied === true && !c.message.deathThreat && !c.message.threatens && !c.message.locks && !c.message.armed;
}

/**
 * Fear is danger when it is of a person, of going home, of being hurt, or stands alone ("ik ben zo
 * bang"); not when it is about a thing ("bang voor de tandarts", "afraid I can't pay the rent").
 */
function fearIsDanger(c: ClauseView, fear: Found): string | undefined {
  const sub = c.subOf(fear.start);
  const inOwnSub = (concepts: readonly Concept[]) => c.found.some((f) => concepts.includes(f.concept) && !f.negated && c.subOf(f.start) === sub);
  // The feared act before or after the fear word ("bang dat hij me slaat", "yine vuracak diye korkuyorum").
  // "The thunder scared me": a thing that frightens, nobody who does.
  // "Çocuklara vururum diye korkuyorum", "боюсь що колись вдарю": the resident afraid of their own blow at the children
  // (said with words of shame and nobody else named) is someone to talk to, a hint.
  const ownFear = c.message.shame === true && c.message.children === true && !c.hasAny(["third", "partner", "family", "outsider"]);
  // "My 16yo punched a hole in his wall, I'm scared of him": one's own child's blows at things (ownChildFeared) are his temper.
  const childsTemper = c.message.ragesAtThings === true && ownChildFeared(c, fear);
  if (c.hasAny(["harm", "harmed", "kill", "threat", "sexual", "lock", "weapon", "violence", "take"]) && !(c.has("thing") && c.people().length === 0) && !ownFear && !childsTemper) return "fear+harm";
  // "Dad is scared to say something", "وهي خايفة تقول حاجة", "dayım evde bir şey demeye korkuyor": afraid to speak up, a
  // word of saying right beside the fear, and nothing done to anyone in the message: the fear of his reaction, a hint.
  if (c.message.nothingDone && !c.message.now && !c.message.help && afraidToSpeak(c, fear)) return undefined;
  // "Bang voor spinnen, ze gilt het hele huis bij elkaar": a thing feared, at home.
  // "بالبيت دايما خايفة اعمل شي غلط": the fear inside a phrase that is itself a hint (afraid to do something wrong) is
  // that hint, at home too; not one that holds the home itself ("eve gitmekten korkuyorum": afraid to go home).
  const hintsHoldingFear = c.all("hint_phrase").filter((p) => p.start <= fear.start && fear.start < p.end);
  const fearInHint = hintsHoldingFear.some((p) => !c.all("home").some((h) => p.start <= h.start && h.start < p.end));
  if (inOwnSub(["home"]) && !c.hasAny(["institution", "thing"]) && !fearInHint) return "fear+home";
  // "Mn hond wordt gek van vuurwerk, hij is doodsbang": the "he" is the dog.
  // Whose fear: someone named before the fear word, with no "I", is someone else ("mijn zoon is bang").
  const experiencer = c.found.find((f) => (PEOPLE.has(f.concept) || f.concept === "little") && f.start < fear.start && c.subOf(f.start) === sub);
  // "Ondan çok korkuyorum": an "I" carried by the fear word itself is the resident's.
  const own = !experiencer || c.all("i").some((i) => i.start <= fear.start && c.subOf(i.start) === sub);
  // "My friend is scared of him", "صاحبتي … كانت خايفة تحكي قدامو": a friend's fear of someone, with nothing done to
  // anyone named, is the worry about a friend (a hint), not the resident's own fear. (The children's fear of someone at
  // home stays danger: the safety message is also for worry about children.)
  // "Hij schreeuwt tegen de kinderen om alles en ze zijn bang voor hem geworden", "ciągle się drze w domu, dzieci się go
  // boją": someone else's fear (the children's, a niece's) of one whose rage the message tells and nothing more (no blow,
  // threat, lock, drink or body part) is the hint about his temper, unless it is happening now or someone cries for help.
  // The resident's own fear of him stays danger: fear is what tells coercion from rows.
  // Someone else afraid of someone, nothing done to anyone told ("сестра якась налякана, коли чоловік поруч"): a worry,
  // not danger ("he frightens us", "me" in the clause, is not someone else's fear).
  if (!own && (c.message.ragesOnly || c.message.moneyOnly || (c.message.nothingDone && !c.message.children && !c.has("me"))) && !c.message.now && !c.message.help) return undefined;
  // "Ostatnio jest bardzo nerwowy, wali pięścią w stół, trochę się boję", "masaya vuruyor, korkuyorum biraz": the resident
  // a little afraid (a `mild` word right beside the fear) of one whose rage is all the message tells is the hint about
  // his temper; "I'm so scared of him" stays danger.
  if (own && c.message.ragesAtThings && !c.message.now && !c.message.help && c.all("mild").some((m) => m.end >= fear.start - 1 && m.start <= fear.end + 1)) return undefined;
  const othersFear = (!own && experiencer?.concept === "outsider") || (!experiencer && !c.has("i") && continuesAboutSomeoneElse(c));
  // "Krzyczy o wszystko, nie bije, ale się go boję", "ما ضربني بس بيخوفني بنظراته": afraid of someone who, the message says,
  // does not hit, with nothing worse named (a threat, a weapon, a lock): the fear is the hint, not a disclosure.
  if (noBlowsSaid(c)) return undefined;
  // "Syn ma 14 lat i wyzywa mnie, trzaska drzwiami, zaczynam sie go bac", "my teenage son screams at me, im starting to be
  // afraid of him": afraid of one's own child's temper, the child the only one named and nothing worse than rage told
  // (no threat, weapon or lock): the child's aggression at home is the hint, someone to talk to before it goes further.
  if (ownChildFeared(c, fear)) return undefined;
  if (inOwnSub(["third", "partner", "family"]) && !othersFear && !c.has("institution") && !(c.has("pet") && !c.hasAny(["partner", "family"])) && c.contentAfter(fear.start).length === 0) return "fear+person";
  // Afraid of someone's anger ("bang om iets te zeggen, want hij ontploft"): a hint (hintRule), not danger.
  if (c.hasAny(["anger", "shout"])) return undefined;
  // "Боюся зайве слово сказати": fear inside a phrase that is itself a hint; "bang dat ik mezelf iets aandoe": a crisis.
  if (hintsHoldingFear.length > 0) return undefined;
  if (c.hasAny(["self", "crisis_phrase"])) return undefined;
  // Nothing feared is named: not before it ("de film was eng"), nor after it, in this clause or a following "that …" clause,
  // nor is a practical worry named beside it ("ik kan de huur niet betalen en ik ben bang dat we eruit moeten").
  // "Burza tak waliła, że się bałam": a thing named in the clause and nobody, the thing is what was feared.
  const thingFeared = c.has("thing") && c.people().length === 0;
  // "Кричу так, що самій страшно ... мені соромно": the resident frightened by their own shouting.
  if (c.message.shame && c.message.children && !c.hasAny(["third", "partner", "family"])) return undefined;
  if (own && !thingFeared && c.contentInSub(fear.start).length === 0 && c.contentAfter(fear.start, false).length === 0 && !c.hasAny(PRACTICAL_TOPICS)) return "fear alone";
  return undefined;
}

/** A word of speaking up right beside the fear: afraid to say something, to ask, to talk ("boję się zapytać", "söylemeye korkuyorum"). */
function afraidToSpeak(c: ClauseView, fear: Found): boolean {
  return c.all("speak").some((w) => (w.start >= fear.end - 1 && w.start <= fear.end + 2) || (w.end <= fear.start + 1 && w.end >= fear.start - 1));
}

/**
 * The resident's own child (not a little one) is the only one from home the message names, and the clause names nobody
 * else: no partner or ex anywhere, no one outside the home, no grown-up of the family who is not the child.
 */
function ownChildOnly(c: ClauseView): boolean {
  const m = c.message;
  if (m.children !== true || m.intimate === true || m.ex === true) return false;
  return !c.hasAny(["little", "partner", "outsider", "institution"]) && c.all("family").every((f) => c.all("child").some((k) => k.start === f.start));
}

/** Afraid of one's own child who rages at the resident, and nothing worse told (no threat to kill, weapon, lock or sex). */
function ownChildFeared(c: ClauseView, fear: Found): boolean {
  const m = c.message;
  // The rage is at the resident ("scheldt me uit", "wyzywa mnie"); a child named before the fear word is the one afraid ("dzieci sie go boja").
  // Or at things only ("my 16yo punched a hole in his bedroom wall and i'm kinda scared of him"), the fear not for a child
  // named after it ("çok korkuyorum o çocuk için": afraid for the neighbour's baby).
  const atThings = m.ragesAtThings === true && !c.found.some((f) => f.concept === "child" && f.start > fear.start);
  if (!ownChildOnly(c) || m.temper !== true || (m.toMe !== true && !atThings)) return false;
  // Someone else's ("her", "the neighbour's") only as the pronoun of the child ("się jej boję": I fear her) or as whose a
  // thing is ("his bedroom wall").
  const childsOwn = (t: Found) => c.all("third").some((h) => h.start === t.start) || c.all("thing").some((x) => x.start >= t.end && x.start - t.end <= 1);
  // A "his" in another clause and nobody from outside named ("… als hij zijn zin niet krijgt, ik ben bang van hem") is the child's too.
  if (m.someoneElse === true && (m.outsider === true || c.has("their")) && !(c.has("their") && c.all("their").every(childsOwn))) return false;
  // An "I" between the child and the fear word makes the fear the resident's.
  if (c.found.some((f) => f.concept === "child" && f.start < fear.start && !c.all("i").some((i) => i.start > f.start && i.start <= fear.start))) return false;
  if (m.deathThreat || m.threatens || m.locks || m.armed) return false;
  return !c.hasAny(["weapon", "sexual"]);
}

function crisisRule(c: ClauseView): string | undefined {
  // A crisis phrase may contain a negation of its own ("nie mam po co żyć"); only a "not want" right before it
  // turns it around ("nigdy nie chciałam się zabić").
  for (const p of c.all("crisis_phrase")) {
    // "Bf burned my arm with his lighter": a blow in the phrase, a partner named right before it, is his (dangerRule's).
    const blowInside = c.all("harm").some((h) => h.start >= p.start && h.start < p.end);
    if (blowInside && c.found.some((f) => f.concept === "partner" && !f.negated && f.end <= p.start && p.start - f.end <= 1)) continue;
    const ownNegation = c.found.some((f) => f.concept === "negation" && f.start >= p.start && f.start < p.end);
    if (ownNegation || !c.found.some((f) => f.concept === "want" && f.negated && f.end <= p.start && p.start - f.end <= 1)) return "phrase";
  }
  if (c.has("suicide")) return "suicide";
  // "Zeg tegen mijn moeder dat het me spijt", "anneme söyleyin hakkını helal etsin", "передайте мамі що я її люблю":
  // forgiveness or love passed on to a relative through whoever reads, by someone who will not say it themselves.
  // "Zeg tegen de juf dat het me spijt" names no relative; "vraag of mijn moeder me vergeeft?" is a question.
  if (c.has("pass_on") && c.has("last_words") && c.hasAny(["family", "child", "partner"]) && !c.hasAny(["institution", "outsider", "question", "story"]) && !c.message.story) return "words of leave passed on";
  // "Stoję na moście i chcę skoczyć", "balkondayım atlamak istiyorum": wanting to jump where one stands high, alone.
  // "Ik wil springen op de trampoline" names no height; "my son wants to jump off the shed roof" is someone else.
  // "I have a bottle of pills and I want to take them all", "wil al mijn pillen innemen": all of them, wanted.
  // "Hoe lang duurt het voordat je doodgaat van paracetamol", "how many pills to die": asked how, with dying named.
  if (c.has("pills") && c.has("question") && c.has("die") && !c.hasAny(["third", "partner", "family", "child", "little", "outsider", "pet", "story"]) && !c.message.story) return "how many pills to die";
  if (c.has("pills") && c.has("all") && c.has("want") && !c.hasAny(["partner", "family", "child", "outsider", "institution", "question", "topic_caregiving"])) return "all the pills";
  // The height may itself be a thing ("op de brug"); another thing is what is jumped on or over ("the trampoline").
  const otherThing = c.all("thing").some((t) => !c.all("height").some((h) => h.start <= t.start && t.start < h.end));
  const nobodyElse = !c.hasAny(["third", "partner", "family", "child", "outsider", "sport", "story"]) && !c.message.story;
  if (c.has("jump") && c.has("height") && c.hasAny(["want", "think"]) && !otherThing && nobodyElse) return "jump from a height";
  // "Стою на даху, думаю чи стрибнути": the height in one clause, the thought of jumping in the next.
  if (c.has("jump") && c.hasAny(["want", "think"]) && c.message.height && !c.has("thing") && nobodyElse) return "jump from a height";
  // "Köprünün üstündeyim, bir süredir aşağı bakıyorum", "zit op de bovenste galerij en kijk naar beneden": looking down
  // from a height where the resident is, in one clause or two.
  if (((c.has("look_down") && (c.has("height") || c.message.height)) || (c.has("height") && c.message.lookDown)) && !c.has("thing") && nobodyElse) return "looking down from a height";
  // "Jadę na tory za miastem, mam już dość wszystkiego", "gave my cat away, tired of everything": weariness beside a
  // height where the resident is, pills, or an act of leave-taking; or such an act beside last words. Alone, weariness
  // is a bad day and a gift is a gift.
  if (c.has("weary") && (c.message.height || c.message.pills || c.message.farewell) && nobodyElse) return "weariness beside a way out";
  // "Gave my cat to my neighbour today and wrote letters to my sisters. its ok now": two acts of leave-taking, nothing else
  // said of why, are the goodbye itself.
  if (c.has("farewell") && (c.message.weary || c.message.leaveWords || (c.message.farewells ?? 0) >= 2) && !c.hasAny(["institution", "story", "question"])) return "acts of leave-taking";
  // "Hij wil me dood" is a threat (dangerRule); "ik wil niet meer met hem leven" is about the relationship.
  for (const w of c.found.filter((f) => f.concept === "want")) {
    const someoneElse = c.hasInSub(["third", "partner", "family"], w.start);
    if (!w.negated && c.hasInSub(["die"], w.start) && !(someoneElse && c.hasInSub(["me"], w.start))) return "want to die";
    if (w.negated && c.hasInSub(["live"], w.start) && !c.hasInSub(["place"], w.start) && !someoneElse) return "not want to live";
  }
  // "Mezelf gesneden met het broodmes": a kitchen tool named is an accident, not self-harm.
  // "Ashamed of myself" names no one hurt: a "myself" inside words of shame is not whom the blow hit.
  const selfHurt = c.all("self").some((x) => !c.all("shame").some((sh) => sh.start <= x.start && x.end <= sh.end));
  if (selfHurt && c.hasAny(["kill", "harm", "harmed"]) && !c.hasAny(["third", "partner", "family", "thing", "accident"])) return "hurt self";
  // "Ik wil me van kant maken": killing with the resident as both subject and object.
  for (const k of c.all("kill")) if (c.has("want") && c.selfKilling(k) && !c.hasAny(["third", "partner", "family"])) return "kill myself";
  return undefined;
}

/** An institution named after "not allowed" is where the resident may not go ("не пускає мене саму до huisarts"). */
function keptFrom(c: ClauseView): boolean {
  const firstInstitution = Math.min(...c.all("institution").map((f) => f.start));
  // Or a lock of the resident's own ("я не можу вийти навіть в магазин": cannot go out, even to the shop).
  const ownLock = c.hasAny(["me", "i"]) ? c.all("lock") : [];
  return [...c.negatedMarks("allow"), ...c.all("forbid"), ...ownLock].some((f) => f.start < firstInstitution);
}

/**
 * Someone else is hurt (a friend, a neighbour, a relative): worry about someone, a hint, unless it happens now
 * (dangerRule). A fall or an accident is no one's doing ("mama się przewróciła i ma złamaną rękę"); a fall someone
 * says happened is the cover story ("ma siniaki i mówi, że się przewróciła", "düştüm diyo"), not the cause.
 */
function someoneElseHurt(c: ClauseView): boolean {
  // An accident in any clause is the message's mishap, unless told after a cover story or someone's words begin ("told the
  // hospital she fell off her bike": what was said); the recognizer reads that once for the message.
  const mishap = (c.has("fall") && !c.has("say")) || c.message.mishap === true;
  // Also a clause that goes on about someone else named just before ("my friend lives with her boyfriend, he hits her").
  // A thing beside a blow that names whom it lands on ("came to my door … her husband tried to strangle her") is not what was hit.
  const thingHit = c.has("thing") && !c.all("harm").some((h) => c.found.some((p) => PEOPLE.has(p.concept) && h.start <= p.start && p.end <= h.end));
  // "Her husband": someone else's partner, named as such.
  const theirPartner = c.all("partner").some((p) => c.all("their").some((t) => t.end === p.start));
  if (c.hasAny(["harm", "harmed", "kill", "threat", "lock"]) && (c.has("outsider") || theirPartner || c.message.worry || continuesAboutSomeoneElse(c)) && !thingHit && !c.hasAny(["sport", "score"]) && !mishap) return true;
  if (c.has("violence") && (c.has("worry") || c.message.worry)) return true;
  // "We hebben de oude kast kapot geslagen": a thing, and only a pronoun that stands for it.
  return (c.has("harmed") || c.passiveActs().length > 0) && c.hasAny(PEOPLE) && !c.hasAny(["score", "sport"]) && !mishap && !(c.has("thing") && !c.hasAny(["partner", "family", "child", "outsider"]));
}

/** A blow by the resident ("I" before it) in a message about caring for someone ill or old. */
function carersOwnRoughness(c: ClauseView): boolean {
  // The person named nearest before the blow is "I" ("i saw her slap mum": "her" did it).
  return c.message.caring === true && !c.has("me") && c.all("harm").some((a) => doneByMe(c, a));
}

/** Whether the person named nearest before `act` is "I" ("mn moeder heeft dementie en ik schreeuw tegen haar"). */
function doneByMe(c: ClauseView, act: Found): boolean {
  return c.found.filter((f) => (PEOPLE.has(f.concept) || f.concept === "i") && f.start < act.start).sort((x, y) => y.start - x.start)[0]?.concept === "i";
}

/**
 * "Nie wyrabiam, szarpnęłam syna za rękę, wstyd mi", "I yanked her arm, I'm scared of myself": the resident's own blow at
 * a child, said with shame, and nobody else from home in the message who could have done it. Someone to talk to (a hint).
 */
function ashamedOfOwnAct(c: ClauseView, act: Found): boolean {
  // A word that is both a child and family ("ابني", my son) is the child.
  const grownUp = c.all("family").some((f) => !c.all("child").some((k) => k.start === f.start));
  // "Ibni dafa3ni" (my son pushed me): a "me" that is not the child's own word is whom the blow hit.
  // ("على ابني": a "me" right before the child is the preposition before it.)
  const hitMe = c.all("me").some((m) => !c.all("child").some((k) => k.start === m.start || k.start === m.end));
  if (c.message.shame !== true || c.message.children !== true || grownUp || hitMe || c.hasAny(["partner", "outsider"])) return false;
  // Who acts is named in the act's own sub-clause, or nobody is ("wrzeszczałam na nich i szarpnęłam syna": "them" were shouted at).
  const sub = c.subOf(act.start);
  const actor = c.found.filter((f) => (PEOPLE.has(f.concept) || f.concept === "i" || f.concept === "little") && f.start < act.start && c.subOf(f.start) === sub).sort((x, y) => x.start - y.start)[0];
  // A child right before the act is whom it is aimed at where the object comes first ("çocuklara vururum diye korkuyorum").
  const inherited = actor === undefined ? c.inheritedSubject(act) : undefined;
  return (actor === undefined && (inherited === undefined || inherited.concept === "i")) || actor?.concept === "i" || actor?.concept === "child" || actor?.concept === "little";
}

/** Who or what a blow can land on: named with a thing, the blow is theirs ("threw a plate at me", "beni duvara itti"). */
const HIT: ReadonlySet<Concept> = new Set<Concept>(["me", "body", "child", "little", "third", "partner", "family", "outsider", "pet"]);

/**
 * "Duvarları yumrukluyor", "he punches the walls", "يضرب الحيطان": a blow at a thing in its sub-clause, and nobody it lands
 * on: no "me" or body anywhere in the sub-clause, nobody but the one who acts ("he threw a plate at me", "gooide de asbak
 * naar mijn hoofd", "my husband makes him kneel on the floor"). A thing right before the act (as Turkish puts the object)
 * may be where the resident was pushed ("bana bağırıp sonra duvara itiyor"): then "me" anywhere before it in the clause
 * is who.
 */
function aimedAtThing(c: ClauseView, act: Found): boolean {
  const sub = c.subOf(act.start);
  const inSub = c.found.filter((f) => !f.negated && c.subOf(f.start) === sub);
  const things = inSub.filter((t) => t.concept === "thing" && (t.start >= act.end || t.end === act.start));
  if (things.length === 0) return false;
  if (things.some((t) => t.start < act.start) && c.found.some((f) => (f.concept === "me" || f.concept === "body") && f.start < act.start)) return false;
  const actor = inSub.filter((f) => f.start < act.start && (PEOPLE.has(f.concept) || f.concept === "i")).sort((a, b) => a.start - b.start)[0];
  // "يصرخ علي ويخبط الباب ويسبني" (shouts at me, bangs the door, swears at me): a "me" inside the shouting or swearing, or
  // right next to it, is whom the words are aimed at, not where the blow lands. (A thing before the act is the case above:
  // "bana bağırıp sonra duvara itiyor" pushes the resident to the wall.)
  const shoutedAt = (f: Found) => f.concept === "me" && c.found.some((s) => s.concept === "shout" && s.start <= f.end && f.start <= s.end);
  return !inSub.some((f) => f !== actor && !shoutedAt(f) && (f.concept === "me" || f.concept === "body" || (HIT.has(f.concept) && !(actor && f.start === actor.start))));
}

/** The blow's own sub-clause goes on to a thing or things smashed after it, and to nobody ("slaat gaten in de muur"). */
function blowLandsOnThing(c: ClauseView, act: Found): boolean {
  const sub = c.subOf(act.start);
  const after = c.found.filter((f) => f.start >= act.end && c.subOf(f.start) === sub);
  // A blow that is itself a smashing ("smashed his own phone") lands on what it breaks.
  const smashing = c.all("smash").some((m) => m.start <= act.start && act.end <= m.end);
  // "Smashed her phone": someone right before a thing is whose it is, not whom the blow lands on.
  const owner = (f: Found) => (f.concept === "third" || f.concept === "their") && after.some((t) => t.concept === "thing" && t.start === f.end);
  // A thing inside a blow of several words ("wali w drzwi") is what it lands on, or one right before it, where the object
  // comes before the verb ("kapıyı yumrukluyor").
  const thingInside = act.holdsThing === true || c.all("thing").some((t) => t.end === act.start && c.subOf(t.start) === sub);
  return (smashing || thingInside || after.some((f) => f.concept === "thing" || f.concept === "smash")) && !after.some((f) => f.concept === "me" || f.concept === "body" || (HIT.has(f.concept) && f.concept !== "pet" && !owner(f)));
}

/** A blow at a thing by someone from home, named before it or only in the verb ("kopie w drzwi"): not a storm, a child or the resident. */
function blowAtThingsBySomeone(c: ClauseView): boolean {
  return c.all("harm").some((a) => {
    if (!aimedAtThing(c, a)) return false;
    const actor = c.actorBefore(a) ?? c.inheritedSubject(a);
    if (actor) return actor.concept === "third" || actor.concept === "partner" || actor.concept === "family";
    return !c.found.some((f) => f.start < a.start && c.subOf(f.start) === c.subOf(a.start) && (f.concept === "thing" || f.concept === "pet")) && c.contentInSub(a.start).every((j) => j > a.start);
  });
}

/** A carer's own roughness with the one cared for ("greep haar arm te hard"). */
const CARER_ROUGHNESS = "a carer's own roughness";
/** A carer worn out, or shouting at the one cared for ("ik zorg dag en nacht, ik kan niet meer"). */
export const CARER_WORN_OUT = "a carer at the end of their rope";

/**
 * The hints that are a carer's strain: answered with support for carers (the caregiving flow's "too much"
 * step: a blameless word, a tip for the moment anger rises, who helps carers) rather than the relationship offers.
 */
export const CARER_HINTS: ReadonlySet<string> = new Set([CARER_ROUGHNESS, CARER_WORN_OUT]);

function hintRule(c: ClauseView): string | undefined {
  if (c.has("hint_phrase")) return "phrase";
  if (childSpeaks(c)) return undefined;
  const institutionOnly = c.has("institution") && !c.hasAny(["partner", "family", "third"]) && !keptFrom(c);
  if (institutionOnly) return undefined;
  const agent = c.hasAny(AGENTS);
  const partnerish = c.hasAny(["third", "partner", "family"]);
  // A child who does it ("mijn dochter checkt mijn telefoon") is parenting, not a hint; "hij schreeuwt tegen mij en de kinderen" is one.
  // The first one named is who does it: "de kinderen schreeuwen", but not "zegt dat ik dom ben, voor de kinderen".
  const firstPerson = c.found.filter((f) => PEOPLE.has(f.concept) || f.concept === "little" || f.concept === "me" || f.concept === "i").sort((a, b) => a.start - b.start)[0];
  const childDoesIt = c.has("child") && !agent && (firstPerson?.concept === "child" || firstPerson?.concept === "little" || (!c.hasAny(["me", "i"]) && !c.has("say")));
  // "Soms ben ik zo boos op mn kinderen, ik schreeuw en gooi met dingen": the resident who shouts or smashes at home
  // with the children named, someone to talk to before it goes further. Said first as "I", nobody else from home named.
  // The children in the shouting's own sub-clause, or named anywhere beside anger ("ik schreeuwde van blijdschap toen
  // mijn dochter slaagde" is neither).
  const rages = [...c.all("shout"), ...c.all("smash")];
  const atChildren = [...c.all("child"), ...c.all("little")].some((k) => rages.some((r) => c.subOf(r.start) === c.subOf(k.start))) || (c.message.children === true && c.has("anger"));
  const ownRage = firstPerson?.concept === "i" && rages.length > 0 && atChildren && !agent && !c.hasAny(["sport", "story", "institution", "outsider"]) && !c.message.story;
  if (ownRage) return "own anger at home";
  const ownBlow = c.all("harm").some((a) => ashamedOfOwnAct(c, a)) || c.all("harmed").some((a) => c.actorBefore(a)?.concept === "i" && ashamedOfOwnAct(c, a));
  if (((rages.length > 0 && !agent) || ownBlow) && c.message.shame && c.message.children) return "own anger at home";
  // "Evde hep gerginlik var, çocuklar da etkileniyor": the children feel the tension at home, they do not cause it.
  // "ابني عمره ١٤ وصار يصرخ عليا ويسبني", "bnti 16 ans walat katsb fiya": a child grown enough to be named so (not a little
  // one) who shouts at, insults or rages at the resident: someone to talk to before it goes further.
  if (childDoesIt && (c.hasAny(["shout", "insult", "smash"]) || (c.has("harm") && noBlowsSaid(c))) && c.has("me") && !c.hasAny(["little", "sport", "story", "joke", "score", "kill"]) && !c.message.sport && !c.message.story) return "a child's aggression at home";
  if (childDoesIt && !(c.has("tension") && c.has("home"))) return undefined;

  // "Zorgt voor mijn moeder met dementie, vandaag greep ik haar arm te hard": a carer's own roughness, someone to talk to.
  if (carersOwnRoughness(c)) return CARER_ROUGHNESS;
  // "Mn man heeft alzheimer en ik zorg dag en nacht. ik ben op", "доглядаю маму після інсульту сама, вже не витримую":
  // a carer at the end of their rope, or shouting at the one cared for; the plan's support before it goes off the rails.
  if (c.message.caring === true && (c.has("worn_out") || (rages.length > 0 && firstPerson?.concept === "i") || rages.some((r) => doneByMe(c, r))) && !c.hasAny(["story", "joke"])) return CARER_WORN_OUT;
  if (someoneElseHurt(c)) return "someone else hurt";
  // Someone does it to me: named, or only in the verb's ending ("bütün gün bağırıyor", "перевіряє мій телефон").
  const byOther = (concepts: readonly Concept[]) =>
    concepts.some((k) => c.all(k).some((f) => agent || c.has("me") || c.impliedOther(f))) ||
    concepts.some((k) => c.negatedMarks(k).some((f) => agent || c.has("me") || c.impliedOther(f)));
  // Unsafe at home with someone who, the message says, does not hit (dangerRule leaves it): still not a home to be easy in.
  if ((c.has("unsafe") || c.negated("safe")) && c.hasAny(["i", "me", "home", "child"]) && !c.hasAny(["money", "topic_money"]) && noBlowsSaid(c)) return "unsafe, no blows";
  // "Sinirlenince duvara yumruk atıyor, bana değil ama çok korkuyorum": afraid of someone whose temper the message tells
  // and who, it says, does not hit (fearIsDanger leaves it): the fear is the hint, not nothing. Not a fear of a thing,
  // a place or a practical matter.
  if (c.has("fear") && noBlowsSaid(c) && c.message.temper === true && !c.hasAny(["thing", "institution", "place", "sport", "story", ...PRACTICAL_TOPICS])) return "afraid, no blows";
  // "Hij slaat niet, maar hij schreeuwt zo": not hitting said beside shouting or anger is itself the hint.
  if (c.negated("harm") && c.hasAny(["shout", "anger"])) return "shouting";
  // "Ik ben boos op de gemeente": anger at an institution, with nobody from home, is not about home.
  if (c.has("anger") && byOther(["anger"]) && !(c.has("institution") && !c.hasAny(["partner", "family"]))) return "anger";
  // "Młody gra w CS i wrzeszczy": shouting at a game or a match.
  if (c.has("shout") && (byOther(["shout"]) || c.message.denied) && !c.has("sport") && !c.message.sport) return "shouting";
  // "Nie, nie bije, ale kopie w drzwi i rzuca telefonem": not hitting, said beside things smashed.
  if (c.has("smash") && c.message.denied && !c.hasAny(["sport", "story", "child", "little"])) return "rage at things";
  // "Als hij boos wordt slaat hij op de tafel", "kapıları tekmeliyor, bağırıyor": blows at things in a temper, by
  // someone other than the resident or a child.
  if (blowAtThingsBySomeone(c) && c.message.temper && !c.hasAny(["sport", "story", "child", "little"]) && !c.message.sport && !c.message.story) return "rage at things";
  // "We got humiliated 3-0" is sport.
  // "Who reads my messages?": a question about Naast, with nobody named who does it.
  // Only a short question ("mesajlarımı kim okuyor"); in "co wieczór sprawdza mi telefon" or "nerede olduğumu hep bilmek
  // istiyor" a question word is part of the telling.
  // The question word opens the question ("kim" after one word in Turkish); later it is what is checked or criticised
  // ("sprawdza z kim pisze": checks who I write to; "krytykuje wszystko co robię").
  // A question word that opens a longer phrase is part of it ("co bym nie zrobiła": whatever I do).
  const inPhrase = (q: Found) => c.found.some((f) => f.concept !== "question" && f.end - f.start > 1 && f.start === q.start);
  const askedAboutNaast = c.all("question").some((q) => q.start <= 1 && !inPhrase(q)) && c.length <= 4 && !agent && c.people().length === 0;
  if (c.hasAny(["control", "isolate", "belittle"]) && byOther(["control", "isolate", "belittle"]) && !(c.has("score") && c.has("belittle")) && !askedAboutNaast) return "control";
  // "Hij zegt dat ik dom en lelijk ben", "bana aptal diyor": names someone calls the resident.
  // Aimed at the resident: said to or about them ("zegt dat ik dom ben", "بيقولي انتي غبية"), or a person calls them it.
  if (c.has("insult") && ((c.has("say") && c.hasAny(["i", "me", "you"])) || (agent && c.has("me")))) return "put-down";
  if ((c.negated("allow") || c.has("forbid")) && (partnerish || c.has("me") || byOther(["allow", "forbid"]))) return "forbids";
  if (c.negated("allow") && c.hasAny(["outsider", "family", "outing"])) return "kept from people";
  // The money may be named in the clause before the keeping ("… ze heeft nooit geld, ik denk dat hij het zelf houdt").
  const money = c.hasAny(["money", "topic_money"]) || c.negated("money") || c.negated("topic_money") || (c.message.moneyBefore === true && c.has("withhold"));
  if (money && (c.has("withhold") || c.negated("give")) && (partnerish || c.has("me") || byOther(["withhold", "give"]))) return "money withheld";
  // "My sister's husband has her passport and residence permit and wont give them back": papers kept by someone from
  // home (not an office that holds them), the resident's or someone else's: control, a hint.
  // ("The visa takes forever": papers right before the word are what takes, not what is taken.)
  const papersHeld = () => [...c.all("take"), ...c.all("withhold")].some((t) => !c.all("papers").some((p) => p.end === t.start));
  if (c.has("papers") && papersHeld() && (partnerish || byOther(["take", "withhold"])) && !c.hasAny(["institution", "question"])) return "papers kept";
  // "Hij is jaloers" is a hint; "ik ben jaloers op mijn zus" is the resident's own feeling.
  for (const j of c.all("jealous")) {
    // "Дуже ревнивий навіть до касира": said first, of nobody named, it is about the one the resident lives with.
    const saidFirst = j.start <= 1 && j.end - j.start === 1 && !c.hasAny(["i", "thing", "outsider"]) && c.found.every((f) => f.start >= j.start || f.concept === "filler");
    if ((partnerish || c.impliedOther(j) || saidFirst) && !c.found.some((f) => f.concept === "i" && f.start < j.start)) return "jealousy";
  }
  // "Zodat hij niet boos wordt": living around someone's anger.
  for (const k of ["anger", "shout"] as const) {
    if (c.negatedMarks(k).some((f) => c.subOf(f.start) > 0)) return "avoiding anger";
  }
  // Children who quarrel ("u nas dzieci się kłócą") is parenting.
  // "We hebben gewoon soms ruzie over de afwas": an everyday quarrel, said as one.
  if (c.has("argue") && !c.hasAny(["mild", "score", "sport", "little"]) && (partnerish || c.has("home") || c.has("i") || c.message.denied) && !c.all("argue").every((a) => ["child", "little"].includes(c.actorBefore(a)?.concept ?? ""))) return "arguments";
  if (c.has("tension") && (c.has("home") || partnerish)) return "tension";
  if (c.has("bad") && (c.has("home") || c.has("partner") || c.has("topic_relationships"))) return "bad at home";
  if (c.negated("nice") && (c.has("home") || c.hasAny(["partner"]))) return "not nice at home";
  // Not a relative worried by the news ("shooting in Rotterdam on the news, my mum called all worried").
  if (c.has("worry") && agent && !c.message.story && !c.hasAny(["money", "topic_money", "topic_housing", "topic_caregiving", "topic_parenting"])) return "worry about someone";
  if (c.has("threat") && partnerish) return "threat";
  if (c.has("force") && (c.has("me") || partnerish)) return "forced";
  if (c.negated("dare") && (partnerish || c.has("me"))) return "does not dare";
  for (const f of c.all("fear")) {
    const sub = c.subOf(f.start);
    if (c.people().some((p) => p.concept !== "child" && p.concept !== "outsider" && p.start > f.start && c.subOf(p.start) === sub)) return "fear of a reaction";
    // "Boję się mu cokolwiek powiedzieć", "خايفة أقول كلمة غلط بالبيت": afraid to speak up to someone or at home, not at a
    // job interview, an office or about a bill.
    const toWhom = c.message.he === true || c.message.intimate === true || c.has("home") || c.people().some((p) => p.concept !== "child" && p.concept !== "outsider");
    if (afraidToSpeak(c, f) && !f.negated && toWhom && !c.hasAny(["institution", "outsider", "question", ...PRACTICAL_TOPICS])) return "afraid to speak up";
    if (c.hasAny(["anger", "shout"])) return "fear of anger";
  }
  return undefined;
}
