import { readFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { LOCALES_DIR } from "../../../src/content/load-content.js";
import { SENTENCE_MODEL_FILE } from "../../../src/content/load-signals.js";
import { corpusDigest, readTrainingSentences } from "../../../src/content/safety-evaluation.js";
import { foldedClauses } from "../../../src/engine/recognition/fold-text.js";
import { Recognizer } from "../../../src/engine/recognition/recognizer.js";
import {
  SENTENCE_MODEL_CRISIS,
  SENTENCE_MODEL_HINT_BESIDE_TOPIC,
  SENTENCE_MODEL_NEGATED,
  SENTENCE_MODEL_THRESHOLD,
  SentenceModel,
  sentenceFeatures,
  sentenceModelFileSchema,
  trainSentenceModel,
  type TrainingExample,
} from "../../../src/engine/recognition/sentence-model.js";
import { signalWordsSchema } from "../../../src/engine/recognition/signal-words.js";

/**
 * The sentence model: its features, what training does, that the committed model is the one the corpus trains,
 * and that the recognizer takes its word only where the rules found nothing and did not read the sentence as
 * everyday on purpose. The model's effect on real sentences is measured by the corpus test and the blind sets.
 */
const clauses = (text: string) => foldedClauses(text);

describe("features", () => {
  it("are distinct, sorted and inside the hashed space, and the same for the same text", () => {
    const f = sentenceFeatures(clauses("he hit me, he hit me again"), 12);
    expect([...f]).toEqual([...new Set(f)].sort((a, b) => a - b));
    expect(Math.max(...f)).toBeLessThan(1 << 12);
    expect([...sentenceFeatures(clauses("he hit me, he hit me again"), 12)]).toEqual([...f]);
  });

  it("count words, pairs of neighbouring words and letter runs, so word order and spelling both tell", () => {
    const one = new Set(sentenceFeatures(clauses("he hit me"), 20));
    const other = new Set(sentenceFeatures(clauses("me hit he"), 20));
    expect([...one].filter((x) => !other.has(x)).length).toBeGreaterThan(0);
    // A word that differs in one ending shares most of its letter runs.
    const hits = new Set(sentenceFeatures(clauses("uderzyl"), 20));
    const hit2 = sentenceFeatures(clauses("uderzyla"), 20);
    expect(hit2.filter((x) => hits.has(x)).length).toBeGreaterThanOrEqual(5);
  });
});

/** Made-up words, so that nothing here depends on the real corpus or word lists. */
const made: TrainingExample[] = [
  ...["he blorfed me", "my husband blorfs me", "she blorfed me again", "he blorfs me every night", "they blorfed me hard", "he wants to blorf me"].map(
    (t) => ({ clauses: clauses(t), label: "danger" }),
  ),
  ...["he is grumpish", "my husband is grumpish again", "she gets grumpish fast", "he is so grumpish at home"].map((t) => ({ clauses: clauses(t), label: "hint" })),
  ...["i want to zorble myself tonight", "i keep thinking of zorbling myself", "i wrote my zorble letter today", "maybe i will zorble myself soon"].map((t) => ({
    clauses: clauses(t),
    label: "crisis",
  })),
  ...["the weather is nice", "we went shopping", "my husband cooks dinner", "she reads a book", "he plays football", "we bake bread", "i need help with rent", "the bus is late"].map(
    (t) => ({ clauses: clauses(t), label: "everyday" }),
  ),
];

describe("training", () => {
  const file = trainSentenceModel(made, "0".repeat(64), { bits: 14 });
  const model = new SentenceModel(sentenceModelFileSchema.parse(file));

  it("writes a file its schema accepts, the same for the same examples", () => {
    expect(file.sentences).toBe(made.length);
    expect(trainSentenceModel(made, "0".repeat(64), { bits: 14 })).toEqual(file);
  });

  it("learns from letters: a form of a word it never saw scores like the ones it did", () => {
    const market = model.score(clauses("we went to the market"));
    expect(model.score(clauses("my boyfriend blorfing me")).danger).toBeGreaterThan(market.danger + 0.3);
    expect(model.score(clauses("he was grumpishly")).hint).toBeGreaterThan(market.hint + 0.3);
    expect(market.danger).toBeLessThan(SENTENCE_MODEL_THRESHOLD);
  });

  it("keeps every example of another class below the threshold (the hard rounds)", () => {
    for (const e of made) {
      const p = model.score(e.clauses);
      if (e.label !== "danger") expect(p.danger, e.clauses.join(" ")).toBeLessThan(SENTENCE_MODEL_THRESHOLD);
      if (e.label !== "hint") expect(p.hint, e.clauses.join(" ")).toBeLessThan(SENTENCE_MODEL_THRESHOLD);
    }
  });

  it("refuses weights of the wrong size", () => {
    expect(() => new SentenceModel({ ...file, bits: 15 })).toThrow(/expected 32768/);
  });
});

describe("in the recognizer", () => {
  const en = signalWordsSchema.parse({
    concepts: {
      negation: ["not", "never"],
      third: ["he", "she"],
      me: ["me"],
      partner: ["husband", "boyfriend"],
      story: ["film"],
      harm: ["hits"],
      fall: ["fell"],
      anger: ["angry"],
      outsider: ["friend"],
      filler: ["my", "is"],
      joke: ["lol"],
      thing: ["wall"],
      child: ["baby"],
      little: ["baby"],
      topic_caregiving: ["mum"],
    },
    everyday: ["blorfed me at chess"],
  });
  const model = new SentenceModel(sentenceModelFileSchema.parse(trainSentenceModel(made, "0".repeat(64), { bits: 14 })));
  const rules = new Recognizer({ en });
  const both = new Recognizer({ en }, model);
  // Trained longer, so that a sentence it knew is all but sure.
  const sureModel = new SentenceModel(sentenceModelFileSchema.parse(trainSentenceModel(made, "0".repeat(64), { bits: 14, epochs: 300 })));
  const sure = new Recognizer({ en }, sureModel);

  it("adds danger where the rules found nothing", () => {
    expect(rules.recognize("my boyfriend blorfed me").danger).toBe(false);
    const r = both.recognize("my boyfriend blorfed me");
    expect(r.danger).toBe(true);
    expect(r.reasons.join()).toMatch(/^danger: model 0\.\d\d$/u);
  });

  it("is not asked where the rules read the sentence as everyday on purpose: a story, a fall, an everyday phrase, laughter (a negation below its higher bar)", () => {
    expect(both.recognize("my knee blorfed me").danger).toBe(true);
    expect(both.recognize("i fell, my knee blorfed me").danger).toBe(false);
    expect(both.recognize("he never blorfed me").danger).toBe(false);
    expect(both.recognize("in the film he blorfed me").danger).toBe(false);
    expect(both.recognize("my husband blorfed me at chess").danger).toBe(false);
    expect(both.recognize("my boyfriend blorfed me lol").danger).toBe(false);
  });

  it("must be surer of danger where a negation stands: it cannot tell what the negation turns around", () => {
    const text = "he blorfs me, never stops";
    const p = model.score(foldedClauses(text)).danger;
    expect(p).toBeGreaterThanOrEqual(SENTENCE_MODEL_THRESHOLD);
    expect(p).toBeLessThan(SENTENCE_MODEL_NEGATED);
    expect(both.recognize(text).danger).toBe(false);
    expect(sureModel.score(foldedClauses(text)).danger).toBeGreaterThanOrEqual(SENTENCE_MODEL_NEGATED);
    expect(sure.recognize(text).reasons).toEqual([expect.stringMatching(/^danger: model 0\.9\d$/u)]);
  });

  it("must be surer of danger beside a practical matter where nobody is named ('the mould is back, what do I do')", () => {
    const text = "the mum blorfs every night";
    const p = sureModel.score(foldedClauses(text)).danger;
    expect(p).toBeGreaterThanOrEqual(SENTENCE_MODEL_THRESHOLD);
    expect(p).toBeLessThan(SENTENCE_MODEL_NEGATED);
    expect(sure.recognize(text)).toMatchObject({ danger: false, topics: ["caregiving"] });
    // Someone named beside it: the usual bar.
    expect(sure.recognize("he blorfs the mum every night").danger).toBe(true);
  });

  it("adds crisis where the rules found none, in a message of six words or more", () => {
    const text = "i will zorble myself soon i think";
    expect(rules.recognize(text).crisis).toBe(false);
    expect(sureModel.score(foldedClauses(text)).crisis).toBeGreaterThanOrEqual(SENTENCE_MODEL_CRISIS);
    expect(sure.recognize(text)).toMatchObject({ crisis: true, danger: false, reasons: [expect.stringMatching(/^crisis: model 0\.9\d$/u)] });
    expect(sureModel.score(foldedClauses("zorble myself soon")).crisis).toBeGreaterThanOrEqual(SENTENCE_MODEL_CRISIS);
    expect(sure.recognize("zorble myself soon").crisis).toBe(false);
  });

  it("is not asked about one or two words, nor where a baby struck", () => {
    expect(both.recognize("boyfriend blorfed me").danger).toBe(true);
    expect(model.score(foldedClauses("blorfed me")).danger).toBeGreaterThanOrEqual(SENTENCE_MODEL_THRESHOLD);
    expect(both.recognize("blorfed me").danger).toBe(false);
    expect(model.score(foldedClauses("my baby hits me blorfed")).danger).toBeGreaterThanOrEqual(SENTENCE_MODEL_THRESHOLD);
    expect(both.recognize("my baby hits me blorfed").danger).toBe(false);
  });

  it("turns a hint the rules found into danger only when all but sure, and not for someone else", () => {
    const text = "he is angry, he blorfs me every night";
    expect(rules.recognize(text).reasons).toEqual(["hint: anger"]);
    expect(sure.recognize(text).danger).toBe(true);
    expect(sure.recognize(text).reasons.at(-1)).toMatch(/^danger: model 0\.[89]\d beside a hint$/u);
    expect(both.recognize(text).danger).toBe(false);
    expect(sure.recognize("my husband is angry").danger).toBe(false);
    expect(sure.recognize("my friend is angry, he blorfs her every night").danger).toBe(false);
    // Where the rules found the blows landing on things, the model is not asked.
    const walls = "he is angry, he blorfs me every night. he hits the wall";
    expect(rules.recognize(walls).reasons).toContain("hint: rage at things");
    expect(sure.recognize(walls).danger).toBe(false);
  });

  it("adds a hint beside a practical topic only when surer than where the rules found nothing", () => {
    const alone = "he is grumpish at home";
    const beside = "i care for mum, he is grumpish at home";
    expect(rules.recognize(beside)).toMatchObject({ hint: false, topics: ["caregiving"] });
    const p = model.score(foldedClauses(beside)).hint;
    expect(p).toBeGreaterThanOrEqual(SENTENCE_MODEL_THRESHOLD);
    expect(p).toBeLessThan(SENTENCE_MODEL_HINT_BESIDE_TOPIC);
    expect(both.recognize(alone).hint).toBe(true);
    expect(both.recognize(beside).hint).toBe(false);
    expect(sureModel.score(foldedClauses(beside)).hint).toBeGreaterThanOrEqual(SENTENCE_MODEL_HINT_BESIDE_TOPIC);
    expect(sure.recognize(beside)).toMatchObject({ hint: true, topics: ["caregiving"], reasons: [expect.stringMatching(/^hint: model 0\.\d\d$/u)] });
  });

  it("never takes away what a rule found", () => {
    expect(both.recognize("he hits me").reasons).toEqual(rules.recognize("he hits me").reasons);
  });
});

describe("the committed model", () => {
  it("was trained on the corpus and the blind sets as they are now (else: npm run safety:train)", async () => {
    const raw = sentenceModelFileSchema.parse(JSON.parse(await readFile(path.join(LOCALES_DIR, SENTENCE_MODEL_FILE), "utf8")));
    const sentences = await readTrainingSentences();
    expect(raw.corpus, "the corpus changed since the model was trained: run npm run safety:train").toBe(corpusDigest(sentences));
    expect(raw.sentences).toBe(sentences.length);
  });

  // Retrains from scratch: 14 s alone on a quiet machine at 74,000 sentences, 82 s beside the other test files and a loaded
  // machine (which ran out the 60 s this had); the training set grows with every worked blind set.
  it("is what training on the corpus and the blind sets gives (a stored weight off by one step at most, in at most 1 of 10,000)", { timeout: 240_000 }, async () => {
    const raw = sentenceModelFileSchema.parse(JSON.parse(await readFile(path.join(LOCALES_DIR, SENTENCE_MODEL_FILE), "utf8")));
    const sentences = await readTrainingSentences();
    const again = trainSentenceModel(
      sentences.map((s) => ({ clauses: foldedClauses(s.text), label: s.label })),
      corpusDigest(sentences),
    );
    expect(again.bits).toBe(raw.bits);
    let off = 0;
    for (const k of [0, 1, 2] as const) {
      const a = Buffer.from(again.weights[k], "base64");
      const b = Buffer.from(raw.weights[k], "base64");
      for (let i = 0; i < a.length; i++) {
        const d = Math.abs(((a[i]! << 24) >> 24) - ((b[i]! << 24) >> 24));
        expect(d).toBeLessThanOrEqual(1);
        if (d > 0) off += 1;
      }
    }
    expect(off).toBeLessThanOrEqual((3 << raw.bits) / 10_000);
  });
});
