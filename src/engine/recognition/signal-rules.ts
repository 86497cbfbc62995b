import type { Concept } from "./signal-words.js";
import type { Mark } from "./word-index.js";

/** The practical topics a typed word can lead to, each a flow. */
export const TOPICS = ["money", "housing", "caregiving", "parenting", "meeting", "relationships"] as const;
export type Topic = (typeof TOPICS)[number];

/** What one clause says, with the rule that decided (for `npm run safety:eval` and tests). */
export type ClauseVerdict = {
  danger?: string;
  crisis?: string;
  hint?: string;
  topics: Topic[];
  /** A greeting or thanks and nothing else of note. */
  smallTalk?: "greeting" | "thanks";
};

/** A mark with its negation settled. */
type Found = Mark & { readonly negated: boolean };

const PEOPLE: ReadonlySet<Concept> = new Set(["third", "partner", "family", "child", "outsider"]);
/** Someone who can be the other person in a hint (a child's tantrum is parenting, not a hint). */
const AGENTS: ReadonlySet<Concept> = new Set(["third", "partner", "family", "outsider"]);
/** A negation does not reach across these (nor across a new subject, before the word it would negate). */
const SCOPE_ENDS: ReadonlySet<Concept> = new Set(["subordinator", "conjunction"]);
const NEW_SUBJECT: ReadonlySet<Concept> = new Set(["third", "partner", "family", "child", "outsider", "i"]);
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
const TOPIC_OF: ReadonlyMap<Concept, Topic> = new Map(TOPICS.map((t) => [`topic_${t}` as Concept, t]));
const ACTS_ON_PEOPLE: ReadonlySet<Concept> = new Set(["harm", "harmed", "kill", "lock", "sexual"]);
/** Words of pre-negation within this many words before the word they negate. */
const NEGATION_REACH_BEFORE = 2;
/** Words between a word and a negation after it (Dutch "slaat me niet", "mag van hem niet"). */
const NEGATION_REACH_AFTER = 2;

/**
 * Decides what one clause says: `tokens` are its folded words, `marks` what the word index found.
 * The rules are written once over concepts, for every language; see docs in signal-words.ts.
 */
export function judgeClause(tokens: readonly string[], marks: readonly Mark[]): ClauseVerdict {
  const found = settleNegation(reinterpret(marks));
  const c = new ClauseView(tokens, found);
  const verdict: ClauseVerdict = { topics: [] };

  verdict.danger = dangerRule(c);
  verdict.crisis = crisisRule(c);
  if (!verdict.danger && !verdict.crisis) verdict.hint = hintRule(c);
  for (const f of found) {
    const topic = TOPIC_OF.get(f.concept);
    if (topic && !f.negated && !verdict.topics.includes(topic)) verdict.topics.push(topic);
  }
  if (verdict.topics.length === 0 && !verdict.danger && !verdict.crisis && !verdict.hint) {
    if (c.has("greeting") && c.contentAfter(-1).length === 0) verdict.smallTalk = "greeting";
    else if (c.has("thanks") && c.contentAfter(-1).length === 0) verdict.smallTalk = "thanks";
  }
  return verdict;
}

/** Concepts whose phrases name the victim themselves ("sluit me op", "doet me pijn"). */
const ACTS: ReadonlySet<Concept> = new Set(["harm", "harmed", "kill", "threat", "sexual", "lock", "take", "force", "weapon"]);

/**
 * Readings that depend on neighbours: "her husband" is someone else's (an outsider); the "me" inside a
 * phrase such as "maak me zorgen" or "doet me pijn" belongs to that phrase, not to a victim.
 */
function reinterpret(marks: readonly Mark[]): Mark[] {
  const theirs = new Set(marks.filter((m) => m.concept === "their").map((m) => m.end));
  const phrases = marks.filter((m) => m.end - m.start > 1 && !ACTS.has(m.concept) && m.concept !== "me");
  const out: Mark[] = [];
  for (const m of marks) {
    if ((m.concept === "partner" || m.concept === "family" || m.concept === "child") && theirs.has(m.start)) {
      out.push({ ...m, concept: "outsider" });
      continue;
    }
    if (m.concept === "me" && m.end - m.start === 1 && phrases.some((p) => p.start <= m.start && m.end <= p.end)) continue;
    out.push(m);
  }
  return out;
}

/** Concepts a negation can turn around; people, places and topics cannot be. */
const NEGATABLE: ReadonlySet<Concept> = new Set([
  "harm", "harmed", "kill", "threat", "sexual", "lock", "take", "force", "weapon", "violence", "fear", "dare", "safe", "unsafe",
  "allow", "forbid", "give", "withhold", "want", "live", "die", "nice", "anger", "shout", "control", "jealous", "argue",
  "tension", "worry", "belittle", "isolate", "suicide",
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
  const negations = new Map<number, { after: boolean; before: boolean; end: number }>();
  for (const m of marks) {
    if (m.concept !== "negation" && m.concept !== "negation_after") continue;
    const n = negations.get(m.start) ?? { after: false, before: false, end: m.end };
    if (m.concept === "negation") n.before = true;
    else n.after = true;
    n.end = Math.max(n.end, m.end);
    negations.set(m.start, n);
  }
  for (const [start, n] of negations) {
    if (n.after) {
      const back = targets
        .filter((t) => t.end <= start && start - t.end <= NEGATION_REACH_AFTER && !between(blockers, t.end, start) && !negations.has(t.start))
        .sort((a, b) => b.end - a.end);
      const nearest = back[0];
      if (nearest) {
        for (const t of back) if (t.start === nearest.start) negated.add(t);
        continue;
      }
    }
    if (n.before) {
      const ahead = targets
        .filter((t) => t.start >= n.end && t.start - n.end <= NEGATION_REACH_BEFORE && !between(blockers, n.end, t.start) && !between(subjects, n.end, t.start))
        .sort((a, b) => a.start - b.start);
      const nearest = ahead[0];
      if (nearest) for (const t of ahead) if (t.start === nearest.start) negated.add(t);
    }
  }
  return marks.map((m) => ({ ...m, negated: m.selfNegated || negated.has(m) }));
}

/** Questions the rules ask of one clause. */
class ClauseView {
  /** Index of the sub-clause each word is in: a subordinator or "and"/"but" starts a new one. */
  readonly #sub: number[];
  readonly #content: boolean[];
  /** English "was hitting": an -ing form after an auxiliary is active, not passive. */
  readonly #progressive: boolean[];
  readonly length: number;

  constructor(
    tokens: readonly string[],
    readonly found: readonly Found[],
  ) {
    const length = tokens.length;
    this.length = length;
    this.#progressive = tokens.map((t) => t.length > 4 && t.endsWith("ing"));
    this.#sub = new Array<number>(length).fill(0);
    let sub = 0;
    const subordinators = new Set(found.filter((f) => f.concept === "subordinator" || f.concept === "conjunction").map((f) => f.start));
    for (let i = 0; i < length; i++) {
      if (subordinators.has(i)) sub += 1;
      this.#sub[i] = sub;
    }
    // A word is content when nothing (or only a "thing" concept) covers it.
    this.#content = new Array<boolean>(length).fill(true);
    for (const f of found) {
      if (CONTENT.has(f.concept)) continue;
      for (let i = f.start; i < f.end; i++) this.#content[i] = false;
    }
    for (const f of found) {
      if (!CONTENT.has(f.concept)) continue;
      for (let i = f.start; i < f.end; i++) this.#content[i] = true;
    }
  }

  /** Present and not negated. */
  has(concept: Concept): boolean {
    return this.found.some((f) => f.concept === concept && !f.negated);
  }

  hasAny(concepts: ReadonlySet<Concept> | readonly Concept[]): boolean {
    const set = concepts instanceof Set ? concepts : new Set(concepts);
    return this.found.some((f) => set.has(f.concept) && !f.negated);
  }

  /** Present and negated ("not safe", "does not let me"). */
  negated(concept: Concept): boolean {
    return this.found.some((f) => f.concept === concept && f.negated);
  }

  all(concept: Concept): Found[] {
    return this.found.filter((f) => f.concept === concept && !f.negated);
  }

  subOf(i: number): number {
    return this.#sub[Math.max(0, Math.min(i, this.length - 1))] ?? 0;
  }

  /** Concepts present (not negated) in the same sub-clause as word `i`. */
  hasInSub(concepts: ReadonlySet<Concept> | readonly Concept[], i: number): boolean {
    const set = concepts instanceof Set ? concepts : new Set(concepts);
    const sub = this.subOf(i);
    return this.found.some((f) => set.has(f.concept) && !f.negated && this.subOf(f.start) === sub);
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

  /** Acts right after a passive auxiliary ("was hit", "got kicked"): they happened to the subject. */
  passiveActs(): Found[] {
    const aux = this.found.filter((f) => f.concept === "passive");
    if (aux.length === 0) return [];
    return this.found.filter(
      (f) => (f.concept === "harm" || f.concept === "harmed") && !f.negated && !this.#progressive[f.start] && aux.some((p) => p.end <= f.start && f.start - p.end <= 1),
    );
  }

  /**
   * The resident is who the act happened to: "ik" before it, in its sub-clause, with no other person in
   * between (a person right after "door"/"by" is the one who did it: "ik werd door hem geduwd").
   */
  subjectIsResident(act: Found): boolean {
    const sub = this.subOf(act.start);
    const i = this.found.filter((f) => f.concept === "i" && !f.negated && f.start < act.start && this.subOf(f.start) === sub).at(-1);
    if (!i) return this.found.some((f) => f.concept === "me" && this.subOf(f.start) === sub);
    const agentsAfterBy = new Set(this.found.filter((f) => f.concept === "by").map((f) => f.end));
    return !this.found.some((f) => PEOPLE.has(f.concept) && f.start > i.start && f.start < act.start && !agentsAfterBy.has(f.start) && !agentsAfterBy.has(f.start - 1));
  }

  /** The first person named before an act, in its sub-clause: most likely who did it ("mijn vriend heeft de baby geslagen"). */
  actorBefore(act: Found): Found | undefined {
    const sub = this.subOf(act.start);
    return this.found
      .filter((f) => (PEOPLE.has(f.concept) || f.concept === "little" || f.concept === "i") && f.start < act.start && this.subOf(f.start) === sub)
      .sort((a, b) => a.start - b.start || (a.concept === "little" ? -1 : 1))[0];
  }

  /** A person here is someone other than an institution, a thing or the resident. */
  people(): Found[] {
    return this.found.filter((f) => PEOPLE.has(f.concept) && !f.negated);
  }
}

const VICTIMS: readonly Concept[] = ["me", "child"];

function dangerRule(c: ClauseView): string | undefined {
  if (c.has("danger_phrase")) return "phrase";
  const institutionOnly = c.has("institution") && !c.hasAny(["partner", "family", "third"]);
  const agent = c.hasAny(["third", "partner", "family"]);
  const victims = c.hasAny(VICTIMS);
  // "I worry about my friend, her boyfriend hits her": someone else's trouble, a hint (hintRule).
  const aboutSomeoneElse = c.has("worry") && !victims;
  // Hurting oneself with nobody else named is a crisis (crisisRule), not danger from someone.
  const selfOnly = c.has("self") && !agent && !c.has("child");

  // Someone hits, kills, locks up or rapes me, us or the children.
  for (const act of ACTS_ON_PEOPLE) {
    for (const a of act === "harmed" ? [...c.all("harmed"), ...c.passiveActs()] : c.all(act)) {
      if (act === "sexual") return "sexual";
      if (aboutSomeoneElse || selfOnly) continue;
      if (c.hasAny(["outsider"]) && !victims && !(act === "harmed" && c.subjectIsResident(a))) continue; // someone else's trouble: a hint
      // A baby pulling my hair is not violence: the one who does it is a little child.
      if (c.actorBefore(a)?.concept === "little") continue;
      if (act === "kill" && c.has("me") && c.has("i") && !agent) continue; // "ik wil me van kant maken": a crisis
      if (victims && !institutionOnly && !(c.has("thing") && !agent)) {
        // "My back hurts me": a body that hurts, with nobody who hurt it.
        if (!agent && c.has("body") && !c.has("child")) continue;
        // "Deze hitte maakt me dood": without a person, killing is a figure of speech unless nothing else is named.
        if (act === "kill" && !agent && c.contentInSub(a.start).length > 0) continue;
        // "Mijn kind heeft een blauwe plek van het voetballen": a bruise with its everyday cause named.
        if (act === "harmed" && !agent && c.contentAfter(a.start).length > 0) continue;
        return `${act}+victim`;
      }
      if (act === "harmed" && c.subjectIsResident(a) && !c.has("thing") && !institutionOnly && c.contentAfter(a.start).length === 0) return "harmed+i";
      if (act === "harmed" && agent && c.has("body")) return "harmed+body";
      // "Mijn moeder wordt geslagen door mijn vader" is danger at home; "mijn zus heeft blauwe plekken" a worry (hintRule).
      if (act === "harmed" && c.people().filter((p) => p.concept !== "outsider").length >= 2 && !c.has("thing")) return "harmed+people";
      if (act === "harmed") continue;
      if (agent && c.has("body") && !c.found.some((f) => f.concept === "i" && f.start < a.start && c.subOf(f.start) === c.subOf(a.start))) return `${act}+body`;
      // "Hij slaat", "mijn vader slaat mijn moeder": a person at home and nothing else hit.
      if (agent && !institutionOnly && !c.has("thing") && c.contentInSub(a.start).length === 0) return `${act}+person`;
      if (c.people().filter((p) => p.concept !== "outsider").length >= 2 && !c.has("thing") && !institutionOnly) return `${act}+two people`;
    }
  }
  if (aboutSomeoneElse) return undefined;
  // Sex that is forced, threatened or unwanted.
  if (c.has("sex") && (c.hasAny(["force", "threat"]) || c.negated("want"))) return "forced sex";
  // Threats: to me or the children, to kill, with a weapon, to take the children.
  if (c.has("threat")) {
    const serious = c.hasAny(["kill", "weapon", "take"]);
    if (serious && !(institutionOnly && !c.hasAny(["kill", "weapon"]))) return "threat+serious";
    const threat = c.all("threat")[0]!;
    if (victims && !institutionOnly && (agent || c.contentInSub(threat.start).length === 0)) return "threat+victim";
  }
  if (c.has("take") && c.has("child") && agent && !institutionOnly) return "take+child";
  for (const w of c.all("want")) if (c.hasInSub(["die"], w.start) && c.hasInSub(["third", "partner", "family"], w.start) && c.hasInSub(["me"], w.start)) return "wants me dead";
  // Locked in, cannot get out: trapped.
  for (const l of c.all("lock")) if (c.has("i") && !institutionOnly && c.contentAfter(l.start).length === 0) return "trapped";
  if (c.has("weapon") && (agent || c.has("me")) && !institutionOnly && (c.hasAny(["me", "threat", "harm", "kill"]) || c.contentInSub(c.all("weapon")[0]!.start).length <= 1)) {
    return "weapon";
  }
  if (c.has("violence") && c.hasAny(["i", "me", "home", "partner", "family", "child", "third"]) && !c.has("question")) return "violence";
  if (c.has("unsafe") && c.hasAny(["i", "me", "home", "child"])) return "unsafe";
  if (c.negated("safe") && c.hasAny(["i", "me", "home", "child"]) && !c.hasAny(["money", "topic_money"])) return "not safe";
  if (c.negated("dare") && c.has("home")) return "dare not go home";
  for (const f of c.all("fear")) {
    const why = fearIsDanger(c, f);
    if (why) return why;
  }
  return undefined;
}

/**
 * Fear is danger when it is of a person, of going home, of being hurt, or stands alone ("ik ben zo
 * bang"); not when it is about a thing ("bang voor de tandarts", "afraid I can't pay the rent").
 */
function fearIsDanger(c: ClauseView, fear: Found): string | undefined {
  const sub = c.subOf(fear.start);
  const inOwnSub = (concepts: readonly Concept[]) => c.found.some((f) => concepts.includes(f.concept) && !f.negated && c.subOf(f.start) === sub);
  const afterward = (concepts: readonly Concept[]) => c.found.some((f) => concepts.includes(f.concept) && !f.negated && f.start > fear.start);
  if (afterward(["harm", "harmed", "kill", "threat", "sexual", "lock", "weapon", "violence", "take"])) return "fear+harm";
  if (inOwnSub(["home"]) && !c.has("institution")) return "fear+home";
  if (inOwnSub(["third", "partner", "family"]) && !c.has("institution") && c.contentAfter(fear.start).length === 0) return "fear+person";
  // Nothing feared is named: not before it ("de film was eng"), nor after it, in this clause or a following "that …" clause.
  if (c.contentInSub(fear.start).length === 0 && c.contentAfter(fear.start, false).length === 0) return "fear alone";
  return undefined;
}

function crisisRule(c: ClauseView): string | undefined {
  if (c.has("crisis_phrase")) return "phrase";
  if (c.has("suicide")) return "suicide";
  // "Hij wil me dood" is a threat (dangerRule); "ik wil niet meer met hem leven" is about the relationship.
  for (const w of c.found.filter((f) => f.concept === "want")) {
    const someoneElse = c.hasInSub(["third", "partner", "family"], w.start);
    if (!w.negated && c.hasInSub(["die"], w.start) && !(someoneElse && c.hasInSub(["me"], w.start))) return "want to die";
    if (w.negated && c.hasInSub(["live"], w.start) && !c.hasInSub(["place"], w.start) && !someoneElse) return "not want to live";
  }
  if (c.has("self") && c.hasAny(["kill", "harm", "harmed"]) && !c.hasAny(["third", "partner", "family"])) return "hurt self";
  // "Ik wil me van kant maken": killing with the resident as both subject and object.
  if (c.has("kill") && c.has("want") && c.has("i") && c.has("me") && !c.hasAny(["third", "partner", "family"])) return "kill myself";
  return undefined;
}

function hintRule(c: ClauseView): string | undefined {
  if (c.has("hint_phrase")) return "phrase";
  const institutionOnly = c.has("institution") && !c.hasAny(["partner", "family", "third"]);
  if (institutionOnly) return undefined;
  const agent = c.hasAny(AGENTS);
  const partnerish = c.hasAny(["third", "partner", "family"]);
  const onlyChildren = c.has("child") && !agent;
  if (onlyChildren) return undefined;

  // Someone else is hurt (a friend, a neighbour): worry about someone, not a disclosure.
  if (c.hasAny(["harm", "harmed", "kill", "threat", "lock"]) && c.has("outsider")) return "someone else hurt";
  if ((c.has("harmed") || c.passiveActs().length > 0) && c.hasAny(PEOPLE)) return "someone else hurt";
  if (c.has("anger") && (agent || c.has("me"))) return "anger";
  if (c.has("shout") && (agent || c.has("me"))) return "shouting";
  if (c.hasAny(["control", "isolate", "belittle"]) && (agent || c.has("me"))) return "control";
  if ((c.negated("allow") || c.has("forbid")) && partnerish) return "forbids";
  if (c.negated("allow") && c.hasAny(["outsider", "family"])) return "kept from people";
  if (c.hasAny(["money", "topic_money"]) && partnerish && (c.has("withhold") || c.negated("give"))) return "money withheld";
  // "Hij is jaloers" is a hint; "ik ben jaloers op mijn zus" is the resident's own feeling.
  for (const j of c.all("jealous")) {
    if (partnerish && !c.found.some((f) => f.concept === "i" && f.start < j.start)) return "jealousy";
  }
  if (c.has("argue") && (partnerish || c.has("home") || c.has("i"))) return "arguments";
  if (c.has("tension") && (c.has("home") || partnerish)) return "tension";
  if (c.has("bad") && (c.has("home") || c.has("partner"))) return "bad at home";
  if (c.negated("nice") && (c.has("home") || c.hasAny(["partner"]))) return "not nice at home";
  if (c.has("worry") && agent && !c.hasAny(["money", "topic_money", "topic_housing", "topic_caregiving", "topic_parenting"])) return "worry about someone";
  if (c.has("threat") && partnerish) return "threat";
  if (c.has("force") && (c.has("me") || partnerish)) return "forced";
  if (c.negated("dare") && (partnerish || c.has("me"))) return "does not dare";
  for (const f of c.all("fear")) {
    if (c.hasInSub(["third", "partner", "family"], f.start)) return "fear of a reaction";
  }
  return undefined;
}
