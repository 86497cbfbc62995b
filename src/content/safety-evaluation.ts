import { createHash } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { parse as parseYaml } from "yaml";
import { z } from "zod";
import type { Recognition, Recognizer } from "../engine/recognition/recognizer.js";
import { RECOGNIZED_TOPICS, type RecognizedTopic } from "./vocabulary.js";
import { ROOT_DIR } from "./load-content.js";

/** What a sentence should get. `topic` sentences are everyday sentences that name a practical topic. */
export const SENTENCE_LABELS = ["danger", "crisis", "hint", "everyday", "topic"] as const;
export type SentenceLabel = (typeof SENTENCE_LABELS)[number];

/** One labelled sentence, as residents write. */
export type LabelledSentence = { text: string; label: SentenceLabel; topic?: RecognizedTopic | undefined; language: string };

/** The repository's own corpus: `test/safety/corpus/<lang>.yaml`. */
export const CORPUS_DIR = path.join(ROOT_DIR, "test", "safety", "corpus");

/**
 * Earlier blind sets, one folder each (`test/safety/blind-sets/<n>/<lang>.jsonl`): written by people who never saw the
 * repository, used first to measure and then, once worked on, to train the sentence model beside the corpus. The rules
 * are not held to them (the corpus test is); the newest set is kept out of the repository while it measures.
 */
export const BLIND_SETS_DIR = path.join(ROOT_DIR, "test", "safety", "blind-sets");

/**
 * What the sentence model learns from: the corpus, then each blind set in number order. Blind sets 33 and 34 added
 * to the corpus' own sentences moved the model's first looks on the next set by +2 and +4 danger sentences of 270 and
 * +3 and +2 hints of 150, with one false alarm fewer and the same (README).
 */
export async function readTrainingSentences(): Promise<LabelledSentence[]> {
  const out = await readCorpus();
  const sets = (await readdir(BLIND_SETS_DIR, { withFileTypes: true })).filter((d) => d.isDirectory()).map((d) => d.name);
  for (const name of sets.sort((a, b) => Number(a) - Number(b) || a.localeCompare(b))) out.push(...(await readCorpus(path.join(BLIND_SETS_DIR, name))));
  return out;
}

const topicSchema = z.enum(RECOGNIZED_TOPICS);
const corpusFileSchema = z
  .object({
    danger: z.array(z.string().min(1)).default([]),
    crisis: z.array(z.string().min(1)).default([]),
    hint: z.array(z.string().min(1)).default([]),
    everyday: z.array(z.string().min(1)).default([]),
    /** Topic → sentences that should lead to it. */
    topic: z.partialRecord(topicSchema, z.array(z.string().min(1))).default({}),
  })
  .strict();
const jsonlLineSchema = z.object({ text: z.string().min(1), label: z.enum(SENTENCE_LABELS), topic: topicSchema.optional() });

/** Reads a corpus folder: `<lang>.yaml` (sections per label) or `<lang>.jsonl` (one labelled sentence a line). */
export async function readCorpus(dir: string = CORPUS_DIR): Promise<LabelledSentence[]> {
  const out: LabelledSentence[] = [];
  // Only corpus files: a folder may also hold a README, notes or the scripts that wrote it.
  for (const file of (await readdir(dir)).filter((f) => /\.(ya?ml|jsonl)$/u.test(f)).sort()) {
    const language = file.replace(/\.(ya?ml|jsonl)$/u, "");
    const text = await readFile(path.join(dir, file), "utf8");
    if (file.endsWith(".jsonl")) {
      for (const [i, line] of text.split("\n").entries()) {
        if (line.trim() === "") continue;
        const parsed = jsonlLineSchema.safeParse(JSON.parse(line));
        if (!parsed.success) throw new Error(`${file}:${i + 1}: ${parsed.error.issues[0]?.message ?? "invalid"}`);
        out.push({ ...parsed.data, language });
      }
    } else if (/\.ya?ml$/u.test(file)) {
      const parsed = corpusFileSchema.safeParse(parseYaml(text));
      if (!parsed.success) throw new Error(`${file}: ${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`);
      for (const label of ["danger", "crisis", "hint", "everyday"] as const) {
        for (const t of parsed.data[label]) out.push({ text: t, label, language });
      }
      for (const [topic, list] of Object.entries(parsed.data.topic)) {
        for (const t of list ?? []) out.push({ text: t, label: "topic", topic: topicSchema.parse(topic), language });
      }
    }
  }
  return out;
}

/** sha256 of a corpus, whatever the order of its files and lines: what a sentence model was trained on. */
export function corpusDigest(sentences: readonly LabelledSentence[]): string {
  const lines = sentences.map((s) => `${s.language}\t${s.label}\t${s.topic ?? ""}\t${s.text}`).sort();
  return createHash("sha256").update(lines.join("\n")).digest("hex");
}

/** How one sentence fared. */
export type Judged = LabelledSentence & { recognition: Recognition; ok: boolean; falseAlarm: boolean };

/** A danger sentence needs the safety message; crisis 113; a hint the offers; everyday and topic sentences none of these. */
export function judge(recognizer: Recognizer, s: LabelledSentence): Judged {
  const r = recognizer.recognize(s.text);
  const alarm = r.danger || r.crisis || r.hint;
  let ok: boolean;
  switch (s.label) {
    case "danger":
      ok = r.danger;
      break;
    case "crisis":
      ok = r.crisis;
      break;
    case "hint":
      ok = r.hint;
      break;
    case "everyday":
      ok = !alarm;
      break;
    case "topic":
      ok = !alarm && s.topic !== undefined && r.topics.includes(s.topic);
      break;
  }
  return { ...s, recognition: r, ok, falseAlarm: (s.label === "everyday" || s.label === "topic") && alarm };
}

/** Per language and label: how many, how many right. */
export type Tally = Map<string, Map<SentenceLabel, { total: number; ok: number; falseAlarms: number }>>;

export function tally(judged: readonly Judged[]): Tally {
  const t: Tally = new Map();
  for (const j of judged) {
    const byLabel = t.get(j.language) ?? new Map();
    const cell = byLabel.get(j.label) ?? { total: 0, ok: 0, falseAlarms: 0 };
    cell.total += 1;
    if (j.ok) cell.ok += 1;
    if (j.falseAlarm) cell.falseAlarms += 1;
    byLabel.set(j.label, cell);
    t.set(j.language, byLabel);
  }
  return t;
}
