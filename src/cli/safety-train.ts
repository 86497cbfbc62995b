import { writeFile } from "node:fs/promises";
import path from "node:path";
import { LOCALES_DIR } from "../content/load-content.js";
import { SENTENCE_MODEL_FILE } from "../content/load-signals.js";
import { corpusDigest, readTrainingSentences } from "../content/safety-evaluation.js";
import { foldedClauses } from "../engine/recognition/fold-text.js";
import { trainSentenceModel } from "../engine/recognition/sentence-model.js";

/**
 * `npm run safety:train`: trains the sentence model on the labelled corpus in `test/safety/corpus/` and the earlier
 * blind sets in `test/safety/blind-sets/`, and writes `locales/signals-model.json`. Run it after changing either; a test
 * fails while the file is stale.
 */
const sentences = await readTrainingSentences();
const started = performance.now();
const model = trainSentenceModel(
  sentences.map((s) => ({ clauses: foldedClauses(s.text), label: s.label })),
  corpusDigest(sentences),
);
const file = path.join(LOCALES_DIR, SENTENCE_MODEL_FILE);
await writeFile(file, `${JSON.stringify(model)}\n`);
console.log(`trained on ${sentences.length} sentences in ${Math.round(performance.now() - started)} ms → ${path.relative(process.cwd(), file)}`);
