import { z } from "zod";

/**
 * What a word can stand for, in any language. The recognizer's rules (signal-rules.ts) are written
 * over these, once; each language only says which of its words stand for which concept
 * (`locales/<lang>/signals.yaml`). A word may stand for several.
 */
export const CONCEPTS = {
  // ── grammar ──
  negation: "not, no, never, nobody: negates what follows within two words (a Turkish negative verb ending: `negative_suffix`)",
  negation_after: "negates what comes right before it (Dutch 'slaat me niet', Turkish 'güvende değilim')",
  subordinator: "starts a subordinate clause (that, because, if, when): a negation does not reach across it",
  conjunction: "and, or: a negation does not reach across it",
  filler: "words that carry nothing for the rules (auxiliaries, articles, time words, intensifiers, please)",
  question: "what, how, where: an information question",
  // ── people ──
  i: "the resident as subject (I)",
  me: "the resident or their household as object (me, us); Arabic object endings via `object_suffixes`",
  self: "myself (kill myself, hurt myself)",
  third: "he, she, they, him, her, them",
  partner: "husband, wife, partner, boyfriend, girlfriend, ex",
  ex: "ex, ex-husband, former partner, eski kocam, طليقي, były, колишній: a partner who left (also list under partner; waiting or following: stalking)",
  family: "father, mother, brother, sister, son, in-laws, family",
  child: "child, children, kids, baby, son, daughter",
  little: "baby, toddler: a child too young to be the one who hurts (also list them under child)",
  their: "his, her, their: before a partner or relative it makes them someone else's ('her husband')",
  by: "by, door, from (an agent after a passive: 'ik werd door hem geduwd', 'bruises from him')",
  you: "you (in reported speech: 'he said you'll be dead')",
  say: "says, said, told, zegt (reported speech: a threat told to me)",
  speak: "say something, speak, talk, ask, speak up, iets zeggen, praten, konuşmaya, sormaya, احكي, اتكلم, zapytać, odezwać się, сказати, говорити: speaking up (right beside fear, nothing done to anyone: afraid of his reaction, a hint)",
  refuse: "I said no, I didn't want to, against my will (with sex: forced)",
  touch: "touches, gropes (with a child and someone from home: sexual abuse)",
  accident: "by accident, in her sleep, while playing: an act that is not violence",
  fall: "fell, tripped, fell off (a bruise or wound with no one who did it is a fall, not a blow)",
  outing: "going out, alone, to town, friends, family, work, school, language class (what someone may not be allowed)",
  outsider: "friend, neighbour, colleague: someone else the resident may worry about",
  institution: "landlord, boss, teacher, doctor, bank, municipality: not a person at home",
  body: "face, head, throat, neck, arm: a body as what is hit",
  thing: "a thing that is hit, kicked or locked (ball, door, dishes, drum, eggs)",
  pet: "dog, cat, puppy: an animal at home (harmed or threatened by someone at home: danger)",
  sport: "football, match, training, boxing: a blow or a fight in sport, not at home",
  score: "a match score ('4-0', '2:1'), found by the recognizer itself: who beat whom is sport",
  // ── acts ──
  harm: "hits, beats, kicks, pushes, chokes, slaps, hurts, abuses (any form but the one below)",
  harmed: "was hit, beaten, abused: a participle or passive that makes the subject the victim",
  passive: "was, got, been: an auxiliary that makes the act right after it happen to the subject ('I got hit')",
  injury: "a serious injury or a choking: a broken bone, hospital, blood, concussion, stitches, unconscious, burns, strangled (someone else hurt so: danger, not the worry)",
  kill: "kill, murder",
  threat: "threaten",
  sexual: "rape, sexual assault, forced sex",
  lock: "locks in, locks up",
  alone: "alone, by myself, only with him, except with him, samej, tek başıma, الا وياه, лише з ним: right after 'not let out' (a lock word), let out only with someone: control, a hint, not being locked in",
  door_locked: "the door is locked, the doors are locked from outside: said of a door, nobody named who locked it; beside being kept in or not let out, the lock",
  weapon: "knife, gun, weapon",
  violence: "violence, abuse (nouns)",
  take: "take away (the children), kidnap",
  force: "forces, makes me",
  receive: "I get it, I cop it, dostaję, мені дістається: with anger or drink and nothing after it, a blow only implied",
  nothing_done: "nothing happened, he hasn't done anything, er is niks gebeurd, ما صار شي: said of the resident's home, the blows denied (beside feeling unsafe or afraid: a hint)",
  // ── states ──
  fear: "afraid, scared, fear",
  dare: "dare (negated: does not dare)",
  safe: "safe (negated: not safe)",
  unsafe: "unsafe, in danger",
  home: "home, house, at home",
  // ── crisis ──
  suicide: "suicide",
  die: "die, dead",
  live: "live, life",
  want: "want, wish",
  jump: "jump, springen, skoczyć (from a height, wanted: a crisis)",
  height: "bridge, roof, balcony: where one could jump from",
  pills: "pills, tablets, sleeping pills",
  all: "all, the whole (with pills wanted: an overdose)",
  smash: "breaks, smashes, destroys (the resident's things: with 'next time you' a threat)",
  next: "next time, you're next (with what someone said and an act: a threat to the resident)",
  pass_on: "tell (my mother) …, pass on to, zeg tegen, söyleyin, передайте, قولوا ل: asking whoever reads to pass words on to someone",
  last_words: "forgive me, I'm sorry, I love them, hakkını helal etsin, простіть: words of leave (passed on to a relative: a farewell, a crisis)",
  think: "think about (jumping from a height, thought of: a crisis)",
  lurk: "waits at the door, shows up, comes (with a weapon: danger)",
  again: "again, once more, after last night (an injury told as one more time: with nobody else and no accident named, danger)",
  blame: "it's my fault, I provoked him, I deserved it (self-blame: beside an act, even one said as 'he wouldn't have hit me if', danger)",
  order: "a court order keeping someone away (restraining order, contactverbod, straatverbod): with someone from home, danger",
  police: "the police came or were called (with someone from home shouting, hurting, threatening or coming back: danger)",
  cover: "a cover story for an injury ('told them I fell', 'it wasn't the stairs'): with an injury in the message, danger",
  shelter: "where can I sleep or stay tonight, a bed for tonight, waar kan ik vannacht slapen, gdzie przenocować: a roof asked for now (with the children, a flight, someone searching or not going back: danger)",
  fled: "ran out in my slippers, got out with the baby, fled, escaped, втекла, kaçtım, هربت: a flight from home just now (with a place to sleep asked or someone searching: danger)",
  at_a_loss: "what do I do, wat moet ik doen, co mam robić, що робити, ne yapayım, شنو ندير: at a loss (with someone from home at the door or outside: danger; alone or beside anger, nothing)",
  now: "now, right now, at this moment, as we speak, nu, şu an, teraz, зараз, الحين, دابا: happening as it is told (a relative being hurt now: danger)",
  papers: "passport, ID card, residence permit, documents, verblijfsvergunning, pasaport, dowód, паспорт, جواز: papers someone may keep (taken beside not being let out: danger)",
  sleep_beside: "sleep next to him, in the same bed as him, naast hem slapen, yanında uyumak, spać obok niego, спати поруч з ним, انام جنبه: (afraid or not daring to: danger)",
  worn_out: "I can't cope any more, I'm exhausted, at the end of my rope, ik kan niet meer, ik ben op, bittim, nie daję rady, не витримую, ما بقيتش قادرة: exhaustion (beside caring for someone: a carer at the end of their rope, a hint)",
  shame: "I'm ashamed, I'm scared of myself, I don't want to be that mother, ik schaam me, wstyd mi, utanıyorum, мені соромно, أنا خجلانة من نفسي: the resident ashamed of their own act (beside their own blow or shouting at a child: a hint, someone to talk to)",
  weary: "tired of everything, had enough of everything, can't go on, it will all be over soon, mam dość wszystkiego, yoruldum artık, втомилась від усього, تعبت من كل شي: weariness (beside a height, saved pills or acts of leave-taking: a crisis; alone: nothing)",
  farewell: "gave away my things / my cat, deleted my accounts, wrote a letter to my daughter, left a letter for mum, settled my affairs: acts of leave-taking (beside weariness, last words or 'nobody will notice': a crisis)",
  images: "my nude photos, private videos, intimate pictures, photos of me without headscarf, zdjęcia nago, çıplak fotoğraflarım, інтимні фото, صوري الخاصة: intimate images (threatened to be shared or shared by someone: danger)",
  cut_off: "doesn't answer any more, phone switched off, stopped reading, the line went dead, then silence, neemt niet meer op, nie odpowiada, telefonu kapalı, вимкнула телефон, موبايلها مقفول: a message broken off (after someone's rage or cry: danger)",
  look_down: "looking down, staring down from here, kijk naar beneden, patrzę w dół, aşağı bakıyorum, дивлюсь вниз, كنشوف لتحت: looking down from where one stands (with a height and nobody else: a crisis)",
  age: "years old, jaar, yaşında, lat, років, سنة, عمري: beside a number from 6 to 17 with nobody else named, the one who writes is a child ('ik ben 12 jaar', '12 yaşındayım')",
  help: "an urgent cry or hiding now (help!, imdat, pomocy, I'm hiding): with someone from home at the door or outside, danger",
  place: "here, there, in (a place): 'I don't want to live here' is about housing",
  // ── hints ──
  anger: "angry, furious, aggressive, temper",
  drink: "drunk, has been drinking (with 'I get it': a blow only implied; alone nothing)",
  shout: "shouts, yells, swears at, insults",
  control: "checks, controls, follows, reads my messages, decides everything",
  allow: "allows, lets (negated: does not let me)",
  forbid: "forbids, does not allow",
  money: "money, bank card, salary, benefit",
  withhold: "takes, keeps, withholds (money)",
  give: "gives (negated: does not give me money)",
  jealous: "jealous, possessive",
  argue: "argue, fight, quarrel",
  tension: "tension, tense, unrest, bad atmosphere",
  bad: "bad, awful (at home, with my partner: a hint)",
  sex: "sex, intimacy (forced or against my will: danger)",
  nice: "nice, good, pleasant (negated: not nice at home)",
  worry: "worried, concerned",
  belittle: "humiliates, belittles, puts me down, calls me names",
  isolate: "isolates, keeps me from friends or family",
  insult: "stupid, ugly, fat, worthless, not good enough: what someone calls the resident (with 'says' or a person: a put-down)",
  mild: "just, sometimes, a little, small, normal: an everyday quarrel ('we argue sometimes, nothing serious')",
  story: "film, series, news, book, game: a story told or watched, not something that happens at home",
  joke: "haha, lol, xD, ههههه, ахах, just kidding: laughter or a joke marker (with 'he'll kill me' and no act, fear or injury: hyperbole)",
  // ── whole phrases ──
  danger_phrase: "a phrase that is a disclosure by itself",
  crisis_phrase: "a phrase that is a thought of suicide by itself (end it all)",
  hint_phrase: "a phrase that is a hint by itself (walk on eggshells)",
  // ── topics and small talk ──
  topic_money: "debts, bills, allowance, fines",
  topic_housing: "rent, landlord, repairs, mould, eviction",
  topic_caregiving: "caring for someone ill or old, mantelzorg",
  topic_parenting: "raising children, a crying baby, school",
  topic_meeting: "activities, meeting people, loneliness",
  topic_relationships: "relationship, marriage, partner",
  greeting: "hello, good morning",
  thanks: "thank you",
} as const;

export type Concept = keyof typeof CONCEPTS;
export const CONCEPT_NAMES = Object.keys(CONCEPTS) as [Concept, ...Concept[]];
export const conceptSchema = z.enum(CONCEPT_NAMES);

/** A word or phrase as written in a signals file (see `locales/nl/signals.yaml` for the syntax). */
const patternSchema = z.string().trim().min(1);

/**
 * One language's `locales/<lang>/signals.yaml`: the words behind each concept, spelling variants,
 * and everyday phrases that look like a signal but are not.
 */
export const signalWordsSchema = z
  .object({
    /** Texting and variant spellings → the word they stand for ("nie" → "niet", "mn" → "mijn"). */
    spelling: z.record(z.string().min(1), z.string().min(1)).default({}),
    concepts: z.partialRecord(conceptSchema, z.array(patternSchema)),
    /**
     * A verb ending after a matched stem that makes it negative (Turkish "dövmüyor"): a regular
     * expression tested against the rest of the word.
     */
    negative_suffix: z.string().optional(),
    /** Endings that attach the object to a matched verb (Arabic "ضربني": hit me) → the concept they add. */
    object_suffixes: z.record(z.string().min(1), conceptSchema).default({}),
    /** Phrases that look like a signal but are everyday ("sla * over", "this heat is killing me"). */
    everyday: z.array(patternSchema).default([]),
  })
  .strict();

export type SignalWords = z.infer<typeof signalWordsSchema>;
