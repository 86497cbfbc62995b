import { describe, expect, it } from "vitest";
import { Recognizer } from "../../../src/engine/recognition/recognizer.js";
import { signalWordsSchema, type SignalWords } from "../../../src/engine/recognition/signal-words.js";
import { SignalPatternError, WordIndex } from "../../../src/engine/recognition/word-index.js";

/**
 * The recognizer's mechanics on small, made-up word lists: what the rules do with concepts, how
 * negation binds, how phrases and everyday phrases match, how languages that disagree are settled.
 * The real word lists are tested by the corpus (test/safety/) and danger-phrases.test.ts.
 */
const words = (raw: unknown): SignalWords => signalWordsSchema.parse(raw);

const en = words({
  spelling: { dnt: "dont" },
  concepts: {
    negation: ["not", "never", "nobody", "dont", "doesnt"],
    subordinator: ["that", "because"],
    conjunction: ["and", "but"],
    filler: ["the", "a", "is", "am", "so", "very", "really", "to", "of", "at", "my", "i", "feel", "go", "want", "here"],
    passive: ["was", "got", "being"],
    i: ["i", "im"],
    me: ["me", "us"],
    self: ["myself"],
    third: ["he", "she", "him", "her"],
    their: ["her", "his"],
    partner: ["husband", "boyfriend", "ex"],
    ex: ["ex"],
    family: ["father", "mother", "dad"],
    child: ["kids", "baby", "daughter", "brother"],
    little: ["baby"],
    outsider: ["friend", "neighbour"],
    lock: ["locked"],
    institution: ["landlord", "teacher"],
    thing: ["ball", "door", "car", "team", "wall"],
    body: ["face", "arms"],
    harm: ["hit*", "kick*", "pull* * hair", "bit", "broke her arm", "cut"],
    crisis_phrase: ["cut my arms"],
    pet: ["dog"],
    harmed: ["beaten", "bruises", "cracked ribs"],
    injury: ["hospital", "broke her arm", "stitches"],
    sport: ["hockey"],
    by: ["by"],
    kill: ["kill", "killed"],
    threat: ["threaten*"],
    fear: ["afraid", "scared"],
    safe: ["safe"],
    home: ["home"],
    want: ["want", "wanna"],
    die: ["die"],
    live: ["live"],
    place: ["here"],
    anger: ["angry", "his team loses"],
    receive: ["i get it"],
    worry: ["worried"],
    topic_money: ["debt*", "rent"],
    greeting: ["hello"],
    danger_phrase: ["raised his hand"],
    again: ["again"],
    blame: ["my fault"],
    order: ["restraining order"],
    police: ["police came"],
    cover: ["told them i fell", "covers", "but it was him"],
    help: ["help", "hiding"],
    lurk: ["at the door", "coming back"],
    say: ["said", "says", "yells"],
    you: ["you"],
    argue: ["argue"],
    weapon: ["knife"],
    fall: ["fell"],
    joke: ["haha*", "lol"],
    accident: ["off my bike"],
    shout: ["shout", "shouts"],
    at_a_loss: ["what do i do"],
    drink: ["drinking"],
    shelter: ["where can i sleep tonight"],
    fled: ["ran out"],
    pass_on: ["tell my", "tell the"],
    last_words: ["im sorry", "i love"],
    now: ["now", "right now"],
    papers: ["passport"],
    withhold: ["took"],
    allow: ["let*"],
    sleep_beside: ["sleep next to him"],
    topic_caregiving: ["dementia"],
    worn_out: ["i cant cope"],
    shame: ["im ashamed", "ashamed of myself", "shame on me"],
    weary: ["tired of everything"],
    farewell: ["gave my cat away"],
    images: ["my nudes"],
    jump: ["jump"],
    think: ["thinking of"],
    height: ["roof"],
    cut_off: ["doesnt answer"],
    look_down: ["looking down"],
    pills: ["pills"],
    question: ["where", "how"],
    age: ["years old"],
    outing: ["go out"],
    touch: ["touches"],
    control: ["followed"],
    force: ["forces", "marry me off"],
    refuse: ["said no"],
    smash: ["breaking"],
  },
  everyday: ["hit it off", "killing me"],
});
const nl = words({
  concepts: {
    negation: ["niet", "nooit"],
    negation_after: ["niet", "nooit"],
    filler: ["de", "het", "door", "ik", "ben"],
    i: ["ik"],
    me: ["me", "mij"],
    third: ["hij"],
    harm: ["slaat", "schopt"],
    fear: ["bang"],
    dare: ["durf"],
    home: ["naar huis", "huis"],
  },
  everyday: ["sla * over"],
});
const tr = words({
  concepts: { harm: ["dov*"], me: ["beni"], fear: ["kork*"] },
  negative_suffix: "^m[ae](?!k)|^m[iu]y",
});
const ar = words({ concepts: { harm: ["*ضرب*"], partner: ["زوجي"] }, object_suffixes: { "ني": "me" } });

const r = new Recognizer({ en, nl, tr, ar });

/** A recognizer over one small English list, for a test that needs concepts `en` above does not hold. */
const englishOnly = (concepts: Record<string, string[]>): Recognizer => new Recognizer({ en: words({ concepts }) });
const danger = (t: string) => r.recognize(t).danger;

describe("the rules", () => {
  it("a person and an act against me, the children or a body is danger, in any order and tense", () => {
    expect(danger("he hits me")).toBe(true);
    expect(danger("my husband kicked the kids")).toBe(true);
    expect(danger("he hit my face")).toBe(true);
    expect(danger("he pulled me by my hair")).toBe(true); // a phrase with a gap
    expect(danger("hits me")).toBe(true); // the person only in the verb
    expect(danger("my father hits my mother")).toBe(true); // two people at home
  });

  it("danger told through what it left behind: an order, the police, a cover story, a cry for help, bruises again, self-blame", () => {
    expect(danger("i have a restraining order against him")).toBe(true);
    expect(danger("police came. he said he is coming back")).toBe(true); // the police and who raged in two clauses
    expect(danger("told them i fell, cracked ribs")).toBe(true);
    expect(danger("help. my husband is at the door")).toBe(true);
    expect(danger("help me with the rent")).toBe(false);
    expect(danger("bruises again")).toBe(true);
    expect(danger("bruises again, i fell")).toBe(false); // an accident named
    expect(danger("my fault, he would not hit me if i was quiet")).toBe(true); // a blow said as what would not have happened
    expect(danger("my fault, i forgot the rent")).toBe(false);
  });

  it("a child's words to a brother or sister, or a question about a knife, are not danger; a denied blow beside rows is a hint", () => {
    expect(danger("my daughter yells i kill you at her brother")).toBe(false);
    expect(r.recognize("my daughter yells i kill you at her brother").hint).toBe(false);
    expect(danger("my husband said i kill you")).toBe(true);
    expect(danger("where can i get a knife")).toBe(false);
    expect(danger("he has a knife")).toBe(true);
    expect(r.recognize("he does not hit me, but we argue every night").hint).toBe(true);
  });

  it("a threat against a relative named after it is danger; a relative who threatens is not whom it is against", () => {
    expect(danger("he threatened my mother")).toBe(true);
    expect(danger("my mother threatened")).toBe(false);
    expect(danger("the landlord threatened my mother")).toBe(false); // not someone from home
  });

  it("a question word after a place, its subject right after it, is a relative clause, not a question", () => {
    const q = englishOnly({
      filler: ["the", "at", "every", "day", "my"],
      i: ["i"],
      third: ["he"],
      ex: ["ex"],
      partner: ["ex"],
      lurk: ["waits"],
      question: ["where", "what"],
      place: ["shop"],
    });
    expect(q.recognize("my ex waits every day at the shop where i work").danger).toBe(true);
    expect(q.recognize("my ex waits every day at the cornershop where i work").danger).toBe(true); // a word no list knows
    expect(q.recognize("where my ex waits every day").danger).toBe(false); // a question
  });

  it("someone who shows up with a weapon is danger, also beside a question word inside another phrase (it asks nothing)", () => {
    const w = englishOnly({
      filler: ["the", "at", "and", "a", "an", "in", "his", "my", "am", "with"],
      i: ["i"],
      third: ["he"],
      conjunction: ["and"],
      control: ["tracks", "where i am"],
      lurk: ["turned up"],
      thing: ["work"],
      weapon: ["knife"],
      question: ["where"],
    });
    expect(w.recognize("he turned up at my work with a knife in his coat").danger).toBe(true);
    expect(w.recognize("he tracks where i am with an app and he turned up at my work with a knife in his coat").danger).toBe(true);
  });

  it("forced in one clause and sex named in another ('it is his right') is danger, unless a place, a thing or staying home is what was forced", () => {
    const f = englishOnly({
      filler: ["every", "night", "it", "is", "to", "the"],
      third: ["he"],
      me: ["me"],
      force: ["forces"],
      say: ["says"],
      sex: ["his right"],
      place: ["mosque"],
      outing: ["go"],
      home: ["stay home"],
    });
    expect(f.recognize("he forces me every night, he says it is his right").danger).toBe(true);
    expect(f.recognize("he forces me every night").danger).toBe(false);
    expect(f.recognize("he forces me to go to the mosque, he says it is his right").danger).toBe(false);
    expect(f.recognize("he forces me to stay home, he says it is his right").danger).toBe(false);
  });

  it("someone else locked in at home is danger, a door named beside it or not; someone else locking a door alone is not", () => {
    const l = englishOnly({
      filler: ["the", "took", "key", "of"],
      conjunction: ["and"],
      outsider: ["neighbours husband"],
      lock: ["locks up"],
      home: ["at home"],
      thing: ["door"],
    });
    expect(l.recognize("the neighbours husband locks up at home and took the key of the door").danger).toBe(true);
    expect(l.recognize("the neighbours husband locks up the door").danger).toBe(false);
  });

  it("papers taken and the resident unable to go out, even to a shop, is danger", () => {
    const p = englishOnly({ filler: ["the", "my", "even", "to"], third: ["he"], i: ["i"], withhold: ["took"], papers: ["passport"], lock: ["cannot go out"], institution: ["shop"] });
    expect(p.recognize("he took my passport, i cannot go out even to the shop").danger).toBe(true);
    expect(p.recognize("he took my passport, the shop").danger).toBe(false);
  });

  it("an accident told after a cover story or someone's words begin is what was said, not what happened", () => {
    const a = englishOnly({
      filler: ["the", "her", "off"],
      conjunction: ["and"],
      outsider: ["cousins husband"],
      third: ["she"],
      harm: ["broke her arm"],
      injury: ["broke her arm"],
      cover: ["told the doctor she"],
      say: ["says"],
      accident: ["fell off her bike"],
    });
    expect(a.recognize("my cousins husband broke her arm and she told the doctor she fell off her bike").danger).toBe(true);
    expect(a.recognize("my cousins husband broke her arm and she says she fell off her bike").danger).toBe(true);
    expect(a.recognize("my cousins husband broke her arm, she fell off her bike").danger).toBe(false);
  });

  it("a 'he' after the resident's own child is the child: a teenager's rage at the parent is the hint", () => {
    const t = englishOnly({ filler: ["is", "in", "my"], conjunction: ["and"], child: ["son"], third: ["he"], shout: ["shouts at"], me: ["me"], smash: ["punches holes"], their: ["his"], thing: ["door"] });
    const teen = t.recognize("my son is 17 and he shouts at me, punches holes in his door");
    expect([teen.danger, teen.hint]).toEqual([false, true]);
    expect(t.recognize("he shouts at me, punches holes in his door").danger).toBe(true);
  });

  it("a 'she' or 'her' after the resident's own child is the child: the child's blow at a thing stays the hint", () => {
    const t = englishOnly({ filler: ["my", "at", "the", "that"], conjunction: ["and"], child: ["daughter"], third: ["she", "her"], harm: ["threw"], shout: ["screams"], me: ["me"], thing: ["plate", "wall"], subordinator: ["that"], anger: ["hates"] });
    const teen = t.recognize("my daughter threw her plate at the wall and screams that she hates me");
    expect([teen.danger, teen.hint]).toEqual([false, true]);
    // "Her" with no thing after it is whom the blow lands on.
    expect(t.recognize("my daughter threw her at the wall and screams that she hates me").danger).toBe(true);
  });

  it("blows at things and a clause that only says 'not me' deny blows: the fear beside them is the hint", () => {
    const t = englishOnly({ filler: ["my", "so", "at", "am", "is"], conjunction: ["but"], partner: ["partner"], anger: ["angry"], third: ["he"], harm: ["punches"], thing: ["walls"], negation: ["not", "never"], me: ["me"], i: ["i"], fear: ["scared"] });
    const denied = t.recognize("my partner is so angry, he punches walls, not me, but i am scared");
    expect([denied.danger, denied.hint]).toEqual([false, true]);
    expect(t.recognize("my partner is so angry, he punches walls, never at me, but i am scared").danger).toBe(false);
    // "Not me" beside a blow at someone: not a denial.
    expect(t.recognize("he punches my partner, not me, but i am scared").danger).toBe(true);
  });

  it("a little afraid of one whose rage, at things, is all the message tells is the hint; so afraid, or a blow at me, stays danger", () => {
    const t = englishOnly({ filler: ["so", "the", "a", "am", "is", "lately"], third: ["he"], anger: ["nervous"], harm: ["bangs"], thing: ["table"], me: ["me"], i: ["i"], fear: ["scared"], mild: ["a bit"] });
    const little = t.recognize("he is so nervous lately, he bangs the table, i am a bit scared");
    expect([little.danger, little.hint]).toEqual([false, true]);
    expect(t.recognize("he is so nervous lately, he bangs the table, i am so scared").danger).toBe(true);
    expect(t.recognize("he is so nervous lately, he bangs me, i am a bit scared").danger).toBe(true);
  });

  it("someone else afraid of the one who uses their money, nothing done to anyone, is the hint; a child's fear, or a blow, stays danger", () => {
    const t = englishOnly({ filler: ["and", "to", "say", "no", "too", "is", "lives", "with"], family: ["uncle", "grandma"], child: ["daughter"], third: ["she", "he"], their: ["her"], money: ["bank card"], withhold: ["uses"], harm: ["hits"], fear: ["afraid"] });
    const grandma = t.recognize("my uncle lives with grandma and uses her bank card, she is too afraid to say no");
    expect([grandma.danger, grandma.hint]).toEqual([false, true]);
    expect(t.recognize("my uncle uses her bank card and hits her, she is too afraid to say no").danger).toBe(true);
    expect(t.recognize("my uncle uses the bank card of my daughter, she is too afraid to say no").danger).toBe(true);
  });

  it("afraid to speak up, nothing done to anyone, is not danger; beside a blow it is", () => {
    const t = englishOnly({ filler: ["is", "to", "so", "am", "at"], third: ["he"], anger: ["angry"], fear: ["scared"], speak: ["talk"], harm: ["hits"], me: ["me"], i: ["i"], home: ["home"] });
    const angry = t.recognize("he is so angry, i am scared to talk at home");
    expect([angry.danger, angry.hint]).toEqual([false, true]);
    const atHome = t.recognize("i am scared to talk at home");
    expect([atHome.danger, atHome.hint, atHome.reasons]).toEqual([false, true, ["hint: afraid to speak up"]]);
    expect(t.recognize("he hits me, i am scared to talk at home").danger).toBe(true);
    // Afraid to be at home, nothing about speaking: still danger.
    expect(t.recognize("i am scared at home").danger).toBe(true);
  });

  it("not daring to speak up at home is the hint, not 'dare not go home'; not daring to go home stays danger", () => {
    const t = englishOnly({ filler: ["to", "when", "is", "anything"], negation: ["dont"], dare: ["dare"], speak: ["say"], third: ["he"], i: ["i"], home: ["home"] });
    const speak = t.recognize("i dont dare to say anything when he is home");
    expect([speak.danger, speak.hint]).toEqual([false, true]);
    expect(t.recognize("i dont dare to go home").reasons).toContain("danger: dare not go home");
  });

  it("afraid of one's own child whose blows are at things only is the hint about his temper; afraid for a child named after the fear is not", () => {
    const t = englishOnly({ filler: ["my", "a", "in", "kinda", "of", "for", "that", "then"], conjunction: ["and"], passive: ["im"], child: ["son", "baby"], smash: ["punched a hole", "thuds"], harm: ["punched"], thing: ["wall"], their: ["his"], i: ["i", "im"], fear: ["scared"], third: ["him"], shout: ["shouts"], outsider: ["neighbour"] });
    const teen = t.recognize("my son punched a hole in his wall and im kinda scared of him");
    expect([teen.danger, teen.hint]).toEqual([false, true]);
    expect(t.recognize("my son punched me and im kinda scared of him").danger).toBe(true);
    expect(t.recognize("a baby cries and a man shouts then thuds, im scared for that baby").danger).toBe(true);
  });

  it("a door banged beside things smashed and 'he did not hit me' is his rage at home, not someone who waits outside", () => {
    const t = englishOnly({ filler: ["the", "so"], negation: ["didnt"], conjunction: ["but"], smash: ["smashes"], thing: ["glasses", "door"], harm: ["bangs", "hit"], lurk: ["bangs the door"], me: ["me"], fear: ["scared"], i: ["im"] });
    const rage = t.recognize("smashes glasses, bangs the door, didnt hit me but im so scared");
    expect([rage.danger, rage.hint]).toEqual([false, true]);
    expect(t.recognize("bangs the door, didnt hit me but im so scared").reasons).toContain("danger: someone who waits and follows");
  });

  it("money named in one clause and kept by someone in the next is money withheld", () => {
    const t = englishOnly({ filler: ["my", "the", "of", "and", "it", "has", "himself"], negation: ["never"], family: ["brother", "mum"], money: ["bank account", "money"], third: ["she", "he"], i: ["i"], think: ["think"], subordinator: ["that"], withhold: ["keeps"], conjunction: ["and"] });
    const kept = t.recognize("my brother runs the bank account of my mum and she never has money, i think that he keeps it himself");
    expect([kept.danger, kept.hint, kept.reasons]).toEqual([false, true, ["hint: money withheld"]]);
    expect(t.recognize("my brother runs the bank account of my mum, i think that he keeps it himself").hint).toBe(true);
    expect(t.recognize("my mum is tired, i think that he keeps it himself").hint).toBe(false);
  });

  it("one's own child's blow whose words hold the thing it lands on, or follow it, is his rage at things, though he shouts at me", () => {
    const t = englishOnly({ filler: ["my", "at", "on", "the"], child: ["son"], shout: ["shouts"], me: ["me"], conjunction: ["and"], harm: ["bangs on the door", "punches"], thing: ["door"] });
    const teen = t.recognize("my son shouts at me and bangs on the door");
    expect([teen.danger, teen.hint]).toEqual([false, true]);
    const objectFirst = t.recognize("my son shouts at me and the door punches");
    expect([objectFirst.danger, objectFirst.hint]).toEqual([false, true]);
    expect(t.recognize("my son shouts at me and punches me").danger).toBe(true);
  });

  it("someone else not allowed out, nothing locked, is control over her; locked in is danger", () => {
    const t = englishOnly({ filler: ["my", "is", "basically"], outsider: ["friend"], negation: ["not"], lock: ["not allowed out", "locked"], allow: ["allowed"], outing: ["out"], by: ["by"], third: ["her"], their: ["her"], partner: ["husband"], home: ["in"] });
    const kept = t.recognize("my friend is basically not allowed out by her husband");
    expect([kept.danger, kept.hint]).toEqual([false, true]);
    expect(t.recognize("my friend is locked in by her husband").reasons).toContain("danger: someone else locked in");
  });

  it("a 'her' in the clause after one's own child is named, no child here, may be whose the thing is: the child's blow at a thing", () => {
    const t = englishOnly({ filler: ["my", "at", "the"], child: ["daughter"], shout: ["screams at"], me: ["me"], belittle: ["calls me names"], conjunction: ["and"], harm: ["threw her phone at", "hit"], third: ["her", "he"], their: ["her"], thing: ["wall"] });
    const teen = t.recognize("my daughter screams at me, calls me names and threw her phone at the wall");
    expect([teen.danger, teen.hint]).toEqual([false, true]);
    expect(t.recognize("my daughter screams at me, he hit me").danger).toBe(true);
  });

  it("afraid of one's own child who rages at me: a 'his' in another clause is the child's; a blow at me stays danger", () => {
    const t = englishOnly({ filler: ["my", "at", "of", "a", "bit", "and"], child: ["son"], shout: ["screams"], me: ["me"], subordinator: ["when"], i: ["i", "im"], take: ["take"], their: ["his"], thing: ["phone"], fear: ["scared"], third: ["him"], harm: ["hits"], mild: ["bit"] });
    const teen = t.recognize("my son screams at me when i take his phone, im a bit scared of him");
    expect([teen.danger, teen.hint]).toEqual([false, true]);
    expect(t.recognize("my son screams at me and hits me when i take his phone, im a bit scared of him").danger).toBe(true);
  });

  it("fear at home inside a phrase that is itself a hint (afraid to do something wrong) is that hint; afraid at home stays danger", () => {
    const t = englishOnly({ filler: ["at", "am", "always"], i: ["i"], home: ["home"], fear: ["afraid"], hint_phrase: ["afraid to do something wrong"] });
    const wrong = t.recognize("at home i am always afraid to do something wrong");
    expect([wrong.danger, wrong.hint]).toEqual([false, true]);
    expect(t.recognize("at home i am always afraid").reasons).toContain("danger: fear+home");
  });

  it("a blow after a game named in an earlier clause, with a laugh and nothing worse, is the game's; with a 'he' or fear it is not", () => {
    const t = englishOnly({ filler: ["my", "at", "every", "time", "again"], child: ["son"], me: ["me"], sport: ["chess"], harm: ["beats"], joke: ["haha"], third: ["he"], fear: ["scared"], i: ["im"] });
    const game = t.recognize("my son beat me at chess again, beats me every time haha");
    expect(game.danger).toBe(false);
    expect(t.recognize("my son beat me at chess again, he beats me every time haha").danger).toBe(true);
    expect(t.recognize("my son beat me at chess again, beats me every time, im scared haha").danger).toBe(true);
  });

  it("'he comes home' beside fear of speaking up is his coming home, not someone who waits; beside fear alone it is", () => {
    const t = englishOnly({ filler: ["when", "am", "to"], third: ["he"], lurk: ["he comes home"], i: ["i"], fear: ["afraid"], speak: ["speak"] });
    expect(t.recognize("when he comes home i am afraid to speak").reasons).not.toContain("danger: someone who waits and follows");
    expect(t.recognize("when he comes home i am afraid").reasons).toContain("danger: someone who waits and follows");
  });

  it("two acts of leave-taking are a crisis; one is a gift", () => {
    const t = englishOnly({ filler: ["my", "to", "today", "and", "its", "ok", "now"], farewell: ["gave my cat to", "wrote letters to my"], outsider: ["neighbour"], family: ["sisters"] });
    const both = t.recognize("gave my cat to my neighbour today and wrote letters to my sisters. its ok now");
    expect([both.crisis, both.reasons]).toEqual([true, ["crisis: acts of leave-taking"]]);
    expect(t.recognize("gave my cat to my neighbour today. its ok now").crisis).toBe(false);
    // Two phrases over the same words are one act.
    const u = englishOnly({ filler: ["my", "to"], farewell: ["gave my cat", "gave my cat to"], outsider: ["neighbour"] });
    expect(u.recognize("gave my cat to my neighbour").crisis).toBe(false);
  });

  it("banging on the door after one's own child is named is the child at home, not someone who waits; unnamed, it is", () => {
    const t = englishOnly({ filler: ["my", "is", "so", "at", "am", "the", "on", "of", "him", "becoming"], child: ["son"], me: ["me"], anger: ["angry"], lurk: ["bangs on the door"], fear: ["scared"], i: ["i"], third: ["he"] });
    expect(t.recognize("my son is so angry at me, bangs on the door, i am becoming scared of him").danger).toBe(false);
    expect(t.recognize("so angry at me, bangs on the door, i am scared").reasons).toContain("danger: someone who waits and follows");
  });

  it("not let out alone, or only with him, is control (a hint); not let out is a lock", () => {
    const t = englishOnly({ filler: ["my", "of", "the"], negation: ["wont"], allow: ["let"], me: ["me"], outing: ["out"], home: ["house"], lock: ["wont let me out"], alone: ["alone", "only with him"], partner: ["husband"], third: ["him"] });
    const alone = t.recognize("my husband wont let me out alone");
    expect([alone.danger, alone.hint]).toEqual([false, true]);
    expect(t.recognize("my husband wont let me out only with him").danger).toBe(false);
    expect(t.recognize("my husband wont let me out").danger).toBe(true);
    // Said of someone else, it is control over her; beside papers taken it is being kept in.
    const u = englishOnly({ filler: ["my", "and", "let", "out"], me: ["me"], lock: ["wont let her out", "wont let me out"], alone: ["alone"], outsider: ["friend"], partner: ["husband"], third: ["her", "they"], their: ["her"], papers: ["passport"], take: ["took"] });
    const friend = u.recognize("my friend, her husband wont let her out alone");
    expect([friend.danger, friend.hint]).toEqual([false, true]);
    expect(u.recognize("they wont let me out alone and took my passport").danger).toBe(true);
    // "Beni yalnız dışarı salmıyor": "alone" before the lock, and a lock word inside the longer one goes with it.
    const v = englishOnly({ filler: ["in"], third: ["he"], me: ["me"], lock: ["out keeps", "keeps", "locked me on the balcony"], alone: ["alone"] });
    expect(v.recognize("he me alone out keeps").danger).toBe(false);
    // "W samej koszulce" (in just a T-shirt): "alone" after another word is not about being let out.
    expect(v.recognize("he locked me on the balcony in alone shirt").danger).toBe(true);
  });

  it("a 'give' inside words of exhaustion keeps no money back", () => {
    const t = englishOnly({ filler: ["have", "and", "any", "more", "to", "pay"], i: ["i"], negation: ["cant"], give: ["give"], money: ["money"], topic_money: ["loans"], worn_out: ["cant give any more"], third: ["he"], me: ["me"] });
    expect(t.recognize("have loans and cant give any more to pay").hint).toBe(false);
    expect(t.recognize("he cant give me money").hint).toBe(true);
  });

  it("self-harm hidden from others is a crisis, not an injury covered up; a bruise hidden stays danger", () => {
    const t = englishOnly({ filler: ["i", "my", "on", "have", "them"], crisis_phrase: ["cut my legs"], body: ["legs"], cover: ["so nobody sees"], harmed: ["bruises"] });
    const own = t.recognize("i cut my legs so nobody sees");
    expect([own.danger, own.crisis]).toEqual([false, true]);
    expect(t.recognize("i have bruises on my legs so nobody sees").danger).toBe(true);
    expect(t.recognize("my legs, so nobody sees").danger).toBe(true);
  });

  it("a relative's screaming, then silence, is danger as a friend's is; screaming at me, then silence, is not this rule's", () => {
    const t = englishOnly({ filler: ["my", "heard", "was", "at"], i: ["i"], me: ["me"], family: ["sister"], shout: ["screaming"], cut_off: ["then silence"] });
    expect(t.recognize("i heard my sister screaming, then silence").reasons).toContain("danger: someone's message, then silence");
    expect(t.recognize("my sister was screaming at me, then silence").danger).toBe(false);
  });

  it("someone else afraid of someone, nothing done to anyone, is not danger; the resident's own fear, or a blow, is", () => {
    const t = englishOnly({ filler: ["is", "of", "so", "when", "around", "very", "my"], family: ["sister"], third: ["she", "he", "him", "her"], partner: ["husband"], fear: ["scared", "scaredme"], i: ["scaredme"], harm: ["hits"], me: ["me"] });
    expect(t.recognize("my sister is so scared when husband is around").danger).toBe(false);
    expect(t.recognize("my sister is so scared when husband is around, he hits her").danger).toBe(true);
    // An "I" carried by the fear word itself ("korkuyorum") is the resident's own fear.
    expect(t.recognize("my husband, very scaredme of him").danger).toBe(true);
  });

  it("the resident not going out, a door said to be locked and a 'he' is kept in; without him it is nothing", () => {
    const t = englishOnly({ filler: ["has", "the", "key", "for", "days"], i: ["i"], negation: ["dont"], outing: ["go out"], door_locked: ["the door is locked"], third: ["he"] });
    expect(t.recognize("i dont go out for days, the door is locked, he has the key").reasons).toContain("danger: not going out, the door locked");
    expect(t.recognize("i dont go out for days, the door is locked").danger).toBe(false);
  });

  it("not safe at home is danger, unless the message says he does not hit (and names nothing worse): then a hint", () => {
    expect(danger("i dont feel safe at home")).toBe(true);
    const denied = r.recognize("i dont feel safe at home, he never hit me");
    expect([denied.danger, denied.hint, denied.reasons]).toEqual([false, true, ["hint: unsafe, no blows"]]);
    expect(danger("i dont feel safe at home, he never hit me but he threatened to kill me")).toBe(true);
  });

  it("a killing said of a body part, with nobody who does it or the body part doing it, is a pain", () => {
    expect(danger("the stairs kill my arms")).toBe(false);
    expect(danger("father says that the face killed him")).toBe(false);
    expect(danger("father says he killed him")).toBe(true);
    expect(danger("he will kill my face")).toBe(true);
  });

  it("a bruise after a fall told before it, no blow and nobody who did it, is what the fall did", () => {
    const f = englishOnly({
      filler: ["has", "in", "the", "on", "his"],
      conjunction: ["and", "but"],
      me: ["our"],
      family: ["grandpa"],
      fall: ["fell"],
      harmed: ["bruises"],
      harm: ["pushed"],
      body: ["arm"],
      by: ["by"],
      third: ["him", "he"],
    });
    expect(f.recognize("our grandpa fell in the garden and has bruises on his arm").danger).toBe(false);
    expect(f.recognize("our grandpa has bruises on his arm").danger).toBe(true);
    expect(f.recognize("grandpa fell and has bruises by him").danger).toBe(true);
    expect(f.recognize("he pushed our grandpa, he fell and has bruises").danger).toBe(true);
  });

  it("fear after a practical worry is about it, across clauses that name nobody and no act", () => {
    expect(danger("so scared")).toBe(true);
    expect(danger("the rent, so scared")).toBe(false);
    expect(danger("the rent, nowhere to go, so scared")).toBe(false);
    expect(danger("the rent, he, so scared")).toBe(true); // someone named after the worry
  });

  it("a blow whose subject is the resident carried over from the clause before, said with shame, is the resident's own", () => {
    const o = englishOnly({
      filler: ["at", "the", "my", "yesterday"],
      i: ["i"],
      third: ["he"],
      child: ["kids", "daughter"],
      shout: ["shout"],
      harm: ["hit"],
      shame: ["ashamed"],
    });
    const own = o.recognize("i shout at the kids, yesterday hit my daughter, ashamed");
    expect([own.danger, own.hint]).toEqual([false, true]);
    expect(o.recognize("he shout at the kids, yesterday hit my daughter, ashamed").danger).toBe(true);
  });

  it("the children's fear of one whose anger is all the message tells is the hint; the resident's own fear stays danger", () => {
    const kids = r.recognize("the kids are scared of him, he is angry");
    expect([kids.danger, kids.hint]).toEqual([false, true]);
    expect(danger("i am scared of him, he is angry")).toBe(true);
    expect(danger("the kids are scared of him, he hit me")).toBe(true);
  });

  it("a door said to be locked, beside not being let out, is the lock; on its own it is nothing", () => {
    const d = englishOnly({
      filler: ["the", "i", "cant", "find", "key"],
      negation: ["not"],
      allow: ["allowed"],
      outing: ["outside"],
      thing: ["door"],
      door_locked: ["door is locked"],
      worry: ["worried"],
      outsider: ["friend"],
    });
    expect(d.recognize("not allowed outside, the door is locked").danger).toBe(true);
    expect(d.recognize("not allowed outside").danger).toBe(false);
    expect(d.recognize("the door is locked, i cant find the key").danger).toBe(false);
    // Someone else kept in, with no blow told: the worry about a friend (a hint).
    const friend = d.recognize("worried about my friend, not allowed outside, the door is locked");
    expect([friend.danger, friend.hint]).toEqual([false, true]);
  });

  it("a partner's blow inside words of self-harm is his, and a friend named only in the reason does not make it someone else's", () => {
    const his = r.recognize("my boyfriend cut my arms because my friend called");
    expect([his.danger, his.crisis]).toEqual([true, false]);
    expect(r.recognize("cut my arms").crisis).toBe(true);
    expect(r.recognize("my friend cut my arms").danger).toBe(false); // someone else's trouble, or a friend's act: not from home
  });

  it("one's own child who comes at the resident, the message saying no blow landed, is the child's aggression (a hint)", () => {
    expect(danger("my daughter kicks me")).toBe(true);
    const denied = r.recognize("my daughter kicks me, but never hit me");
    expect([denied.danger, denied.hint]).toEqual([false, true]);
    expect(danger("my husband kicks me, but never hit me")).toBe(true);
  });

  it("a thing hit, or a thing that hits, is not", () => {
    expect(danger("he hits the ball")).toBe(false);
    expect(danger("the car hit me")).toBe(false);
    expect(danger("the door kicked back")).toBe(false);
  });

  it("a passive or a participle makes the resident the victim", () => {
    expect(danger("i was hit")).toBe(true);
    expect(danger("i got kicked again")).toBe(true);
    expect(danger("im beaten")).toBe(true);
    expect(danger("i was hit by a car")).toBe(false); // something else named after it
  });

  it("negation turns one act around: before it, or after it where the language puts it there", () => {
    expect(danger("he never hits me")).toBe(false);
    expect(danger("nobody hits me")).toBe(false);
    expect(danger("he doesnt hit me")).toBe(false);
    expect(danger("he dnt hit me")).toBe(false); // a texting spelling of the negation
    expect(danger("hij slaat me niet")).toBe(false);
    expect(danger("hij slaat me")).toBe(true);
    // It does not reach across a subordinator or a new subject, nor across a clause break.
    expect(danger("nobody knows that he hits me")).toBe(true);
    expect(danger("not ok, he hits me")).toBe(true);
    expect(danger("im not ok he hits me")).toBe(true);
  });

  it("a negated negation word is used up by its own word: 'durf niet naar huis' is still about home", () => {
    expect(danger("ik durf niet naar huis")).toBe(true);
    expect(danger("ik durf naar huis")).toBe(false);
  });

  it("fear: of a person, of going home, of being hurt, or alone is danger; of a thing is not", () => {
    expect(danger("im so scared")).toBe(true);
    expect(danger("im afraid of him")).toBe(true);
    expect(danger("afraid to go home")).toBe(true);
    expect(danger("im afraid that he hits me again")).toBe(true);
    expect(danger("im afraid of the rent")).toBe(false);
    expect(danger("the ball is scary")).toBe(false);
    expect(danger("im not afraid")).toBe(false);
    expect(danger("ik ben niet bang")).toBe(false);
    // A friend's fear is the worry about a friend; the children's fear of someone at home stays danger.
    expect(r.recognize("my friend is afraid of him")).toMatchObject({ danger: false, hint: true });
    expect(danger("my kids are scared of him")).toBe(true);
  });

  it("'not safe' needs the resident or home; a thing that is not safe is everyday", () => {
    expect(danger("i feel not safe at home")).toBe(true);
    expect(danger("i dont feel safe")).toBe(true);
    expect(danger("the door is not safe")).toBe(false);
  });

  it("violence told about someone else is danger (the numbers are worded for bystanders too); kept in alone, a hint", () => {
    const v = r.recognize("my friend was beaten");
    expect([v.danger, v.hint, v.reasons]).toEqual([true, false, ["danger: someone else hurt"]]);
    const w = r.recognize("i think her husband hits her"); // "her husband" is someone else's
    expect([w.danger, w.hint]).toEqual([true, false]);
    expect(r.recognize("im worried, my neighbour hits her kids").reasons).toEqual(["danger: someone else hurt"]);
    const kept = r.recognize("im worried about my friend, her husband never lets her go out");
    expect([kept.danger, kept.hint]).toEqual([false, true]);
  });

  it("a little child who pulls my hair is not violence; someone who hits the baby is", () => {
    expect(danger("the baby pulls my hair")).toBe(false);
    expect(danger("he hits the baby")).toBe(true);
  });

  it("threats count when aimed at me or the children, or when they name killing", () => {
    expect(danger("he threatens me")).toBe(true);
    expect(danger("he threatened to kill")).toBe(true);
    expect(danger("the landlord threatens me")).toBe(false);
  });

  it("an animal right before the act is what bit, whoever it belongs to", () => {
    expect(danger("the neighbour dog bit my daughter")).toBe(false);
    expect(danger("my husband bit my daughter")).toBe(true);
    expect(danger("my husband his dog bit me")).toBe(false);
    expect(danger("my husband took the dog and hit me")).toBe(true);
    expect(danger("he hit the dog")).toBe(true);
  });

  it("hiding and a cry for help is danger with nobody named; not beside a practical topic", () => {
    expect(danger("i am hiding, help")).toBe(true);
    expect(danger("help")).toBe(false);
    expect(danger("help, help with the rent")).toBe(false);
  });

  it("hiding or a cry while someone from home rages is danger; anger alone is a hint", () => {
    expect(danger("i am hiding, he is very angry")).toBe(true);
    expect(danger("i am hiding. he is drinking")).toBe(true);
    expect(danger("he is drinking")).toBe(false);
    expect(r.recognize("my husband is angry").danger).toBe(false);
    expect(r.recognize("my husband is angry").hint).toBe(true);
  });

  it("a clause that goes on about someone else named before is their trouble, a hint, unless it is done to me", () => {
    expect(r.recognize("my friend lives with her boyfriend, he hits her").reasons).toEqual(["danger: someone else hurt"]);
    expect(danger("my husband hits her")).toBe(true);
    expect(danger("my friend came, he hits me")).toBe(true);
  });

  it("a threat to kill with laughter and nothing done, feared or hurt is hyperbole; a crisis is never laughed away", () => {
    expect(danger("my husband said he will kill me")).toBe(true);
    expect(danger("my husband will kill me when he sees the rent hahaha")).toBe(false);
    expect(danger("my husband said he will kill me lol")).toBe(false);
    expect(danger("haha he hit me, he said he will kill me")).toBe(true);
    expect(danger("he said he will kill me haha, i am scared")).toBe(true);
    expect(r.recognize("i want to die lol").crisis).toBe(true);
  });

  it("an accident is no violence, unless it is the cover story beside a blow", () => {
    expect(danger("he hit me off my bike")).toBe(false);
    expect(danger("told them i fell off my bike but he hit me")).toBe(true);
    expect(danger("told them i fell off my bike")).toBe(false);
  });

  it("a cover story and its undoing is danger with no injury word; the story alone is not", () => {
    expect(danger("told them i fell, but it was him")).toBe(true);
    expect(danger("told them i fell")).toBe(false);
  });

  it("a cover story is the resident's, not a friend's named in another clause", () => {
    expect(danger("she covers bruises")).toBe(true);
    expect(r.recognize("my friend was here, she covers bruises").reasons).toEqual(["danger: someone else hurt"]); // not the resident's own cover story
  });

  it("an ex who waits or comes back is stalking, named in the clause or before it; beside the children only when again", () => {
    expect(danger("my ex is at the door")).toBe(true);
    expect(danger("my ex cant stop, he is at the door")).toBe(true);
    expect(danger("my husband is at the door")).toBe(false);
    expect(danger("my ex is at the door, he brings the kids")).toBe(false);
    expect(danger("my ex is at the door again, the kids are inside")).toBe(true);
    expect(danger("where is my ex coming back from")).toBe(false);
  });

  it("the resident who shouts at the children is a hint; shouting for joy about them is not", () => {
    expect(r.recognize("i shout at my kids").hint).toBe(true);
    expect(r.recognize("i shout because my daughter passed").hint).toBe(false);
    expect(r.recognize("my kids shout").hint).toBe(false);
  });

  it("anger and 'I get it' is a blow implied; a thing inside the anger is what angers, one apart is what is got", () => {
    expect(danger("when his team loses i get it")).toBe(true);
    expect(danger("he is angry i get it")).toBe(true);
    expect(danger("he is angry about the car i get it")).toBe(false);
  });

  it("'what do I do' is a cry only with a partner at the door or someone raging; not beside anger alone or a mother's visit", () => {
    expect(danger("he is at the door, what do i do")).toBe(true);
    expect(danger("my mother is at the door, what do i do")).toBe(false);
    expect(danger("my husband is angry, what do i do")).toBe(false);
    expect(r.recognize("my husband is angry, what do i do").hint).toBe(true);
  });

  it("a bed asked for tonight is danger beside the children, a flight or someone from home; a flight beside someone searching", () => {
    expect(danger("where can i sleep tonight with the kids")).toBe(true);
    expect(danger("i ran out, where can i sleep tonight")).toBe(true);
    expect(danger("where can i sleep tonight, the hotel is full")).toBe(false);
    expect(danger("where can i sleep tonight, the rent is too high")).toBe(false);
    expect(danger("i ran out, he is at the door")).toBe(true);
    expect(danger("i ran out")).toBe(false);
  });

  it("someone else locked in by her own partner is danger; her dog or her shed is not", () => {
    expect(danger("her husband locked her in")).toBe(true);
    expect(danger("her husband locked her dog in")).toBe(false);
    expect(danger("her husband locked the car")).toBe(false);
  });

  it("a weapon at home beside rows is danger; a child's or a friend's weapon is not", () => {
    expect(danger("there is a knife in the house. when we argue he is angry")).toBe(true);
    expect(danger("my daughter wants a knife for camp, we argue about it")).toBe(false);
    expect(danger("my friend has a knife, we argue")).toBe(false);
    expect(danger("we argue")).toBe(false);
  });

  it("a child's injury and a parent's rage told by the child is danger; a teacher's is not", () => {
    const reasons = (t: string) => r.recognize(t).reasons;
    expect(reasons("my daughter came back from her dad with bruises, she says dad was angry")).toContain("danger: a child hurt, told by the child");
    expect(reasons("my daughter came back from her dad with bruises, she says the teacher was angry")).not.toContain("danger: a child hurt, told by the child");
    expect(reasons("my daughter fell, came back with bruises, she says dad was angry")).not.toContain("danger: a child hurt, told by the child");
    expect(reasons("my friend came back with bruises, she says dad was angry")).not.toContain("danger: a child hurt, told by the child");
  });

  it("someone else hurt now, or while the one who did it is around the resident's home, is danger as it happens; told afterwards, danger told about someone else", () => {
    expect(r.recognize("help my mother is being beaten now").reasons).toContain("danger: someone hurt now");
    expect(r.recognize("my mother was beaten").reasons).toEqual(["danger: someone else hurt"]);
    expect(danger("her husband hit her. she is with us but he is at the door")).toBe(true);
    expect(r.recognize("her husband hit her. he is at the door").reasons).toEqual(["danger: someone else hurt"]); // not at the resident's
    expect(danger("my neighbour hits the ball now")).toBe(false);
    expect(r.recognize("my mother was beaten again. now").reasons).toContain("danger: someone hurt now"); // a clause that says only "now"
    expect(r.recognize("my mother was beaten. it happens now").reasons).toContain("danger: someone hurt now"); // three words, one unknown
    expect(r.recognize("her husband hit her. now she is at the landlord").reasons).toEqual(["danger: someone else hurt"]); // a "now" after the story is since
  });

  it("someone else hurt while she hides, flees or is threatened with death is danger of its own kind; told alone, violence told about someone else", () => {
    expect(r.recognize("her husband hit her. she is hiding").reasons).toContain("danger: someone hurt, hiding or threatened");
    expect(r.recognize("her husband hit her, he said he will kill her").danger).toBe(true);
    expect(r.recognize("her husband hit her").reasons).toEqual(["danger: someone else hurt"]);
  });

  it("someone else hurt badly enough for a hospital, or threatened with death, is serious; bruises told as worry are violence told about someone else; a fall or sport are not", () => {
    expect(r.recognize("my neighbour says her husband broke her arm").reasons).toContain("danger: someone seriously hurt");
    expect(r.recognize("my neighbour is beaten by her husband, she is in hospital").reasons).toContain("danger: someone seriously hurt");
    expect(r.recognize("my friend says her husband will kill her").reasons).toContain("danger: someone seriously hurt");
    expect(r.recognize("my friend has bruises, i am worried").reasons).toEqual(["danger: someone else hurt"]);
    expect(danger("my friend fell, she is in hospital")).toBe(false);
    expect(danger("my friend hit her head at hockey and needed stitches")).toBe(false);
    expect(danger("my friend says her husband is in hospital")).toBe(false); // nobody did it
  });

  it("self-harm is a crisis, not danger; an act of someone else's beside it keeps the danger", () => {
    const own = r.recognize("cut my arms again");
    expect(own.crisis).toBe(true);
    expect(own.danger).toBe(false);
    expect(own.reasons).toContain("crisis: self-harm, no one else's act");
    const both = r.recognize("he hit me again and i cut my arms");
    expect(both.danger && both.crisis).toBe(true);
    expect(r.recognize("my husband says he will cut my arms").reasons).not.toContain("crisis: self-harm, no one else's act");
  });

  it("a carer at the end of their rope is a hint answered with support for carers; worn out alone is not", () => {
    const carer = r.recognize("my mother has dementia, i cant cope");
    expect(carer.reasons).toContain("hint: a carer at the end of their rope");
    expect(carer.carer).toBe(true);
    expect(r.recognize("my mother has dementia and i shout at her").carer).toBe(true); // the carer's own shouting
    expect(r.recognize("i cant cope").hint).toBe(false);
    expect(r.recognize("my mother has dementia").hint).toBe(false);
    expect(r.recognize("my husband shouts at me").carer).toBeUndefined();
  });

  it("the resident's child hurt by her own partner is danger of its own kind; a friend's is violence told about someone else", () => {
    expect(r.recognize("my daughter is 16, her boyfriend hits her").reasons).toContain("danger: a child hurt by her partner");
    expect(r.recognize("my friend is 16, her boyfriend hits her").reasons).toEqual(["danger: someone else hurt"]); // not her own child
  });

  it("papers taken beside not being let out is danger; either alone is not", () => {
    expect(r.recognize("he took my passport and doesnt let me out").reasons).toContain("danger: papers taken, kept in");
    expect(danger("he doesnt let me out")).toBe(false);
    expect(danger("he took my passport to the gemeente")).toBe(false);
    expect(danger("the landlord took my passport and doesnt let me out")).toBe(false);
  });

  it("not let out beside a door locked in another clause is danger; either alone is not", () => {
    expect(r.recognize("he doesnt let me go out. the door is locked").reasons).toContain("danger: not let out, the door locked");
    expect(danger("he doesnt let me go out")).toBe(false);
    expect(danger("the door is locked")).toBe(false);
  });

  it("crisis: asking how many pills it takes to die; not about an animal", () => {
    expect(r.recognize("how many pills to die").reasons).toContain("crisis: how many pills to die");
    expect(r.recognize("how many pills").crisis).toBe(false);
    expect(r.recognize("how many pills before my dog will die").crisis).toBe(false);
  });

  it("afraid to sleep beside him is danger; not afraid is not", () => {
    expect(r.recognize("im afraid to sleep next to him").reasons).toContain("danger: afraid to sleep beside him");
    expect(danger("im not afraid to sleep next to him")).toBe(false);
  });

  it("a blow at a thing is no blow at a person, in a temper a hint; one that lands on someone is danger", () => {
    expect(danger("he hits the wall and shouts at me")).toBe(false);
    expect(r.recognize("he hits the wall and shouts at me").hint).toBe(true);
    expect(r.recognize("he is drinking again. he hits the wall").reasons).toContain("hint: rage at things");
    expect(r.recognize("he hits the wall").hint).toBe(false); // no temper named: as likely a repair
    expect(danger("he kicked me against the wall")).toBe(true);
    expect(danger("he hits the wall with my face")).toBe(true);
  });

  it("a 'me' the shouting is aimed at, inside it or next to it, is not where a blow at a thing lands", () => {
    // As Arabic writes it: "بيصرخ علي ويخبط الباب ويسبني", the "me" inside the shouting and the swearing, one sub-clause.
    const t = englishOnly({ filler: ["and", "the"], third: ["he"], shout: ["screams at me", "curses me"], me: ["me"], harm: ["bangs"], thing: ["door"], anger: ["angry"] });
    expect(t.recognize("he screams at me and bangs the door and curses me").danger).toBe(false);
    expect(t.recognize("he screams at me and bangs the door and curses me").hint).toBe(true);
    expect(t.recognize("he screams at me and bangs me").danger).toBe(true); // the blow lands on the resident
    expect(t.recognize("he bangs me and the door").danger).toBe(true);
  });

  it("a 'his' right before a thing is the same 'he': his car waiting where the resident works is someone who waits and tracks", () => {
    const t = englishOnly({ filler: ["is", "every", "day"], third: ["he", "his"], their: ["his"], thing: ["car"], family: ["sister"], lurk: ["parked outside"], control: ["parked outside my work"] });
    expect(t.recognize("his car is parked outside my work every day").danger).toBe(true);
    expect(t.recognize("his sister is parked outside my work every day").danger).toBe(false); // someone else named
  });

  it("a blow that starts a smashing of something, beside 'he didn't hit me', is rage at things; without the denial it stays danger", () => {
    const t = englishOnly({ filler: ["when", "was", "and"], third: ["he"], smash: ["smashed my phone"], harm: ["smashed", "hit"], negation: ["didnt"], me: ["me"], anger: ["angry"] });
    expect(t.recognize("he smashed my phone when he was angry, he didnt hit me").danger).toBe(false);
    expect(t.recognize("he smashed my phone when he was angry, he didnt hit me").hint).toBe(true);
    expect(t.recognize("he smashed my phone when he was angry").danger).toBe(true);
    expect(t.recognize("he smashed my phone, he hit me").danger).toBe(true);
    // The thing first, as Turkish puts it ("tabakları fırlatıyor, bana dokunmadı"): the blow is the end of the smashing.
    const tr = englishOnly({ third: ["he"], thing: ["plates"], smash: ["plates throws"], harm: ["throws", "plates throws", "hit"], negation: ["didnt"], me: ["me"] });
    expect(tr.recognize("he plates throws, he didnt hit me").danger).toBe(false);
    expect(tr.recognize("he plates throws, he hit me").danger).toBe(true);
  });

  it("a danger phrase with the resident inside it stays danger beside a story word; one about others in a film does not", () => {
    const t = englishOnly({ filler: ["in", "the", "a", "about", "if", "leave"], third: ["he", "him"], say: ["says"], i: ["i"], story: ["newspaper", "film"], danger_phrase: ["i am next", "man with an axe"] });
    expect(t.recognize("he says i am next in the newspaper if i leave him").danger).toBe(true);
    expect(t.recognize("a film about a man with an axe").danger).toBe(false);
  });

  it("a bruise from a sport named beside it, nobody it was done by, is the sport's; done by someone it stays danger", () => {
    const t = englishOnly({ filler: ["my", "got", "a", "at", "from"], partner: ["husband"], sport: ["boxing"], harmed: ["black eye"], body: ["eye"], by: ["by"], third: ["him"] });
    expect(t.recognize("my husband got a black eye at boxing").danger).toBe(false);
    expect(t.recognize("my husband got a black eye").danger).toBe(true);
  });

  it("papers kept by someone from home are a hint, whoever's papers; papers that 'take' time are not", () => {
    const t = englishOnly({ filler: ["my", "has", "and", "is", "to", "but", "the", "forever", "coming"], family: ["sister", "mum"], partner: ["husband"], third: ["her"], papers: ["passport", "visa"], take: ["wont give it back", "takes"] });
    expect(t.recognize("my sister her husband has her passport and wont give it back").reasons).toContain("hint: papers kept");
    expect(t.recognize("my mum is coming but the visa takes forever").hint).toBe(false);
  });

  it("'nothing happened' denies the blows, so unsafe at home beside it is a hint; beside a blow told it is 'as if', still danger", () => {
    const t = englishOnly({ filler: ["but", "at", "with", "then", "as", "if", "sat", "down", "feel"], nothing_done: ["nothing happened"], i: ["i"], negation: ["dont"], safe: ["safe"], home: ["home"], third: ["he", "him"], harm: ["hit"], me: ["me"] });
    const r1 = t.recognize("nothing happened but i dont feel safe at home with him");
    expect(r1.danger).toBe(false);
    expect(r1.hint).toBe(true);
    expect(t.recognize("i dont feel safe at home with him").danger).toBe(true);
    expect(t.recognize("he hit me, then sat down as if nothing happened, i dont feel safe at home").danger).toBe(true);
  });

  it("Dutch 'me' right before someone from home is 'my': 'me vriend gooit met spullen' is no blow at the resident", () => {
    const t = new Recognizer({ nl: words({ concepts: { filler: ["met", "als", "is"], me: ["me"], partner: ["vriend"], harm: ["gooit met", "slaat"], thing: ["spullen"], third: ["ie", "hij"], anger: ["boos"] } }) });
    expect(t.recognize("me vriend gooit met spullen als ie boos is").danger).toBe(false);
    expect(t.recognize("me vriend gooit met spullen als ie boos is").hint).toBe(true);
    expect(t.recognize("me vriend slaat me").danger).toBe(true);
  });

  it("hurt, beside someone from home who left and comes back, is danger; beside a hospital or surgery it is not", () => {
    const t = englishOnly({ filler: ["left", "but", "says", "tomorrow", "after", "the", "on", "floor", "lying"], third: ["he"], family: ["dad"], lurk: ["comes back"], injury: ["cant walk"], institution: ["surgery"] });
    expect(t.recognize("lying on the floor. he left but says he comes back. cant walk").danger).toBe(true);
    expect(t.recognize("lying on the floor. cant walk").danger).toBe(false);
    expect(t.recognize("dad comes back tomorrow, cant walk after the surgery").danger).toBe(false);
  });

  it("a carer's own roughness is a hint; a blow from the one cared for, or by someone else, is still danger", () => {
    const said = r.recognize("my mother has dementia, today i hit her hand");
    expect(said.danger).toBe(false);
    expect(said.reasons).toContain("hint: a carer's own roughness");
    expect(danger("my mother has dementia, my husband hits her")).toBe(true);
    expect(danger("my mother has dementia, today she hit me")).toBe(true);
  });

  it("the resident's own blow at a child said with shame is a hint; anyone else's blow, or one without shame, is danger", () => {
    const own = r.recognize("yesterday i hit my daughter, im ashamed");
    expect(own.danger).toBe(false);
    expect(own.reasons).toContain("hint: own anger at home");
    expect(danger("i hit my daughter")).toBe(true);
    expect(danger("he hit my daughter, im ashamed")).toBe(true);
    expect(danger("my daughter hits me, im ashamed")).toBe(true); // the child's blow at the resident, told with shame
    expect(danger("my husband hit the kids. im ashamed")).toBe(true);
    expect(r.recognize("i hit my daughter, shame on me").hint).toBe(true); // the "me" of the shame is no victim
    const mine = r.recognize("i hit my daughter, ashamed of myself"); // "myself" is the shame's, not whom the blow hit
    expect(mine.crisis).toBe(false);
    expect(mine.hint).toBe(true);
  });

  it("a blow after a fall in the clause is what the fall did, unless it lands on the resident", () => {
    expect(danger("my mother fell and hit her face")).toBe(false);
    expect(danger("my mother hit her face")).toBe(true);
    expect(danger("i fell and then he hit me")).toBe(true);
  });

  it("a blow with nobody named is the resident's, even with an 'I' in another sub-clause; not with 'I' before it", () => {
    expect(r.recognize("sees that i talk and hits").reasons).toContain("danger: harm alone");
    expect(danger("i hits")).toBe(false);
  });

  it("hiding while someone from home rages is danger beside a practical topic elsewhere; a cry for help with it is not", () => {
    expect(r.recognize("my father shouts. hiding. the rent is late").reasons).toContain("danger: help: someone raging");
    expect(danger("my father shouts. help with the rent")).toBe(false);
  });

  it("a child who gives their own age: someone at home hurt, or touched by a relative, is danger; an adult's or another's age is not", () => {
    expect(r.recognize("my mother got beaten. im 12 years old").reasons).toContain("danger: someone at home hurt, told by a child");
    expect(r.recognize("my mother got beaten. my daughter is 12 years old").reasons).toEqual(["danger: someone else hurt"]); // not told by a child
    expect(r.recognize("my mother got beaten. im 40 years old").reasons).toEqual(["danger: someone else hurt"]);
    expect(r.recognize("my dad touches me. im 14 years old").reasons).toContain("danger: touching a child");
    expect(danger("my dad touches me. im 40 years old")).toBe(false);
  });

  it("a child who locks a door shuts herself in, not someone; a child who locks the resident in is danger", () => {
    expect(danger("my daughter locked her door")).toBe(false);
    expect(danger("my daughter locked me in")).toBe(true);
    expect(danger("my husband locked my daughter in")).toBe(true);
  });

  it("the resident's daughter hurt by her husband, named in one word or after 'her'", () => {
    expect(r.recognize("my daughter came. her husband hit her").reasons).toContain("danger: a child hurt by her partner");
  });

  it("someone else's message of rage, then silence, is danger; silence alone is not", () => {
    expect(r.recognize("my friend said he is angry. now she doesnt answer").reasons).toContain("danger: someone's message, then silence");
    expect(danger("my friend doesnt answer")).toBe(false);
    expect(danger("my friend said hello. she doesnt answer")).toBe(false);
  });

  it("an unnamed 'he' who waits and follows, or waits where the resident is afraid, is danger; waiting alone or someone named is not", () => {
    expect(r.recognize("he is at the door. yesterday he followed me").reasons).toContain("danger: someone who waits and follows");
    expect(r.recognize("he is at the door. i am afraid").reasons).toContain("danger: someone who waits and follows");
    expect(r.recognize("he is coming back. he is at the door").reasons).toContain("danger: someone who waits and follows");
    expect(danger("he is at the door")).toBe(false);
    expect(danger("he is at the door. i am not afraid")).toBe(false);
    expect(danger("he is at the door. the kids are afraid")).toBe(false); // their fear, not the resident's
    expect(danger("my neighbour is at the door. he followed me")).toBe(false);
    expect(danger("the landlord is at the door. he followed me")).toBe(false);
    // Where the verb carries "he": nobody named, a second clause of following
    expect(r.recognize("at the door again. yesterday followed me").reasons).toContain("danger: someone who waits and follows");
    expect(danger("at the door again")).toBe(false);
    expect(r.recognize("he followed me coming back").reasons).toContain("danger: someone who waits and follows"); // one clause
    expect(danger("he followed me coming back home")).toBe(false); // at home beside control is not waiting for her
  });

  it("someone else screaming beside things breaking is danger; told as a worry, only now; a baby hurt by someone else is danger", () => {
    expect(r.recognize("my neighbour shouts now, things are breaking").reasons).toContain("danger: someone raging next door");
    expect(r.recognize("my neighbour shouts, things are breaking").reasons).toContain("danger: someone raging next door");
    expect(danger("i am worried, my neighbour shouts, things are breaking")).toBe(false);
    expect(danger("i am worried, my neighbour shouts now, things are breaking")).toBe(true);
    expect(danger("my neighbour shouts now")).toBe(false);
    expect(r.recognize("my friend hits her baby").reasons).toContain("danger: a baby hurt");
    expect(r.recognize("my friend hits her daughter").reasons).toEqual(["danger: someone else hurt"]);
    expect(r.recognize("the baby was beaten").reasons).not.toContain("danger: a baby hurt"); // nobody named who did it
  });

  it("someone else hurt beside a threat or being locked in is danger of its own kind; the blow told alone is violence told about someone else", () => {
    expect(r.recognize("my friend was beaten by her husband. he threatens her").reasons).toContain("danger: someone hurt, hiding or threatened");
    expect(r.recognize("my friend was beaten by her husband. she is locked in").reasons).toContain("danger: someone hurt, hiding or threatened");
    expect(r.recognize("my friend was beaten by her husband").reasons).toEqual(["danger: someone else hurt"]);
  });

  it("a parent afraid of their own child's temper gets the hint; the children's fear of someone at home stays danger", () => {
    const own = r.recognize("my daughter shouts at me and is angry, i am scared of her");
    expect([own.danger, own.hint]).toEqual([false, true]);
    expect(danger("my husband shouts at me, i am scared of him")).toBe(true);
    expect(danger("my daughter shouts at me. she threatens me and i am scared of her")).toBe(true); // a threat is more than a temper
  });

  it("a child's blow that lands on things is the child's rage, not a blow at the resident", () => {
    expect(danger("my daughter is angry. she shouts at me and hits the wall")).toBe(false);
    expect(danger("my daughter is angry. shouts at me and hits the wall")).toBe(false);
    expect(danger("my daughter is angry. shouts at me and hits breaking")).toBe(false); // as "slaat gaten in de muur": the blow lands on what breaks
    expect(danger("my daughter is angry. she shouts and hits me")).toBe(true);
  });

  it("a killing said in a clause of its own, after who said it, is a threat", () => {
    expect(r.recognize("he said: next time, kill").reasons).toContain("danger: reported threat");
    expect(r.recognize("he said. kill you").reasons).toContain("danger: reported threat");
    expect(danger("he said. kill the team")).toBe(false); // a thing
    expect(danger("he said. the heat is killing me")).toBe(false); // an everyday phrase
    expect(danger("kill")).toBe(false); // nobody said it
  });

  it("forced to nothing named, with the resident's no, is danger; forced to do something is the hint", () => {
    expect(r.recognize("he forces me, i said no").reasons).toContain("danger: forced, said no");
    expect(r.recognize("he forces me to go out, i said no").reasons).toEqual(["hint: forced"]);
    expect(r.recognize("he forces me").reasons).toEqual(["hint: forced"]);
  });

  it("an accident that is the story told, beside an injury, does not cancel it", () => {
    expect(r.recognize("bruises on my arms. told them i fell off my bike").danger).toBe(true);
    expect(danger("fell off my bike and got bruises")).toBe(false);
  });

  it("the resident's own child who rages or threatens is the child's aggression, not danger from someone", () => {
    expect(r.recognize("my daughter shouts at me now, breaking her door").reasons).toEqual(["hint: a child's aggression at home"]);
    expect(r.recognize("my neighbour shouts now, breaking her door").reasons).toContain("danger: someone raging next door");
    expect(danger("my daughter threatens me")).toBe(false);
    expect(danger("my husband threatens me")).toBe(true);
    expect(danger("my daughter threatens to kill me")).toBe(true);
  });

  it("someone else's partner who hits her is violence told about someone else, a thing beside it or not", () => {
    expect(r.recognize("her husband pulls her hair in the car").reasons).toContain("danger: someone else hurt"); // the blow names whom it lands on
  });

  it("forced, and afraid, is danger; forced alone is a hint", () => {
    expect(r.recognize("my father will marry me off. i am afraid").reasons).toContain("danger: forced, and afraid");
    expect(r.recognize("my father will marry me off").danger).toBe(false);
    expect(r.recognize("my father will marry me off. i am not afraid").danger).toBe(false);
  });

  it("a restraining order in one clause and him at the door in another is danger", () => {
    expect(danger("he is at the door. i have a restraining order")).toBe(true);
    expect(danger("i have a restraining order")).toBe(false);
    expect(danger("i have a restraining order. at the door again")).toBe(true); // nobody named: the verb carries "he"
    expect(danger("my neighbour has a restraining order. at the door again")).toBe(false);
  });

  it("crisis: looking down from a height where the resident is; not from someone else's", () => {
    expect(r.recognize("on the roof. looking down").crisis).toBe(true);
    expect(r.recognize("looking down").crisis).toBe(false);
    expect(r.recognize("my husband is on the roof, looking down").crisis).toBe(false);
  });

  it("the resident's fear of their own blow at the children, said with shame, is a hint", () => {
    expect(danger("im afraid i hit the kids, im ashamed")).toBe(false);
    expect(r.recognize("im afraid i hit the kids, im ashamed").hint).toBe(true);
    expect(danger("im afraid he hits the kids, im ashamed")).toBe(true);
  });

  it("crisis: a height in one clause and the thought of jumping in the next; weariness beside a height or a farewell", () => {
    expect(r.recognize("im on the roof, thinking of jump").crisis).toBe(true);
    expect(r.recognize("thinking of jump").crisis).toBe(false);
    expect(r.recognize("my husband is on the roof, thinking of jump").crisis).toBe(false); // the height is his
    expect(r.recognize("gave my cat away. tired of everything").crisis).toBe(true);
    expect(r.recognize("tired of everything").crisis).toBe(false);
    expect(r.recognize("gave my cat away").crisis).toBe(false);
    expect(r.recognize("on the roof. tired of everything").crisis).toBe(true);
  });

  it("someone else's cry for help passed on is danger; intimate images threatened are danger", () => {
    expect(r.recognize("my friend said help, he is angry").reasons).toContain("danger: someone's cry for help");
    expect(danger("help my friend with the rent")).toBe(false);
    expect(danger("help, my neighbour")).toBe(false);
    expect(r.recognize("he said he will send my nudes to my family").reasons).toContain("danger: intimate images threatened");
    expect(danger("my nudes")).toBe(false);
  });

  it("crisis: words of leave passed on to a relative, not to a landlord", () => {
    expect(r.recognize("tell my mother im sorry").crisis).toBe(true);
    expect(r.recognize("tell my kids i love them").crisis).toBe(true);
    expect(r.recognize("tell the landlord im sorry").crisis).toBe(false);
    expect(r.recognize("im sorry").crisis).toBe(false);
  });

  it("crisis: wanting to die, not wanting to live (not 'here'), hurting myself", () => {
    expect(r.recognize("i want to die").crisis).toBe(true);
    expect(r.recognize("i dont want to live").crisis).toBe(true);
    expect(r.recognize("i dont want to live here").crisis).toBe(false);
    expect(r.recognize("i want to kill myself").crisis).toBe(true);
    expect(r.recognize("i want to kill myself").danger).toBe(false);
    expect(r.recognize("i dont want to die").crisis).toBe(false);
  });

  it("a phrase can be a signal on its own, and an everyday phrase cancels what it covers", () => {
    expect(danger("he raised his hand")).toBe(true);
    expect(danger("we hit it off")).toBe(false);
    expect(danger("this heat is killing me")).toBe(false);
    expect(danger("ik sla de afwas over")).toBe(false);
  });

  it("hints need another person; topics and small talk are reported for routing", () => {
    expect(r.recognize("my husband gets angry").hint).toBe(true);
    expect(r.recognize("i am angry").hint).toBe(false);
    expect(r.recognize("i have debts").topics).toEqual(["money"]);
    expect(r.recognize("hello").smallTalk).toBe("greeting");
    expect(r.recognize("hello i have debts").smallTalk).toBeUndefined();
  });
});

describe("languages at once", () => {
  it("reads every language in one message", () => {
    expect(danger("my husband dovuyor beni")).toBe(true);
    expect(danger("زوجي slaat me")).toBe(true);
  });

  it("settles a word two languages read differently by the words around it", () => {
    // Dutch "door" (by) is a filler; English "door" a thing that would block the act.
    expect(danger("ik ben door hij geschopt schopt me")).toBe(true);
    expect(r.recognize("he kicked the door").danger).toBe(false);
  });

  it("a Turkish negative verb ending turns the verb around", () => {
    expect(danger("beni dovuyor")).toBe(true);
    expect(danger("beni dovmuyor")).toBe(false);
    expect(danger("beni dovmus")).toBe(true); // -mış is a past, not a negation
    expect(r.recognize("korkmuyorum").danger).toBe(false);
    expect(r.recognize("korkuyorum").danger).toBe(true);
  });

  it("an Arabic object ending after a matched verb is 'me'", () => {
    expect(danger("يضربني")).toBe(true);
    expect(danger("وضربني زوجي")).toBe(true);
  });
});

describe("a choice number typed alone", () => {
  it("reads as a sentence of one number would, each time a list of its own", () => {
    const t = englishOnly({ topic_money: ["3"], filler: ["the"] });
    const first = t.recognize("3");
    expect(first.topics).toEqual(["money"]);
    first.topics.push("housing");
    first.reasons.push("changed by a caller");
    const again = t.recognize("3");
    expect([again.topics, again.reasons, again.known, again.words]).toEqual([["money"], [], true, 1]);
    expect(t.recognize("٣").topics).toEqual(["money"]); // Arabic-Indic digits fold to the same number
  });
});

describe("the signal files", () => {
  it("refuses a pattern too short to match by part, a phrase starting with a gap, or a broken suffix expression", () => {
    expect(() => new WordIndex({ xx: words({ concepts: { harm: ["a*"] } }) })).toThrow(SignalPatternError);
    expect(() => new WordIndex({ xx: words({ concepts: { harm: ["* hits"] } }) })).toThrow(SignalPatternError);
    expect(() => new WordIndex({ xx: words({ concepts: {}, negative_suffix: "(" }) })).toThrow(SignalPatternError);
    expect(() => signalWordsSchema.parse({ concepts: { hurts: ["x"] } })).toThrow();
  });
});
