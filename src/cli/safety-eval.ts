import { parseArgs } from "node:util";
import { loadSignals } from "../content/load-signals.js";
import { CORPUS_DIR, judge, readCorpus, SENTENCE_LABELS, tally } from "../content/safety-evaluation.js";
import { Recognizer } from "../engine/recognition/recognizer.js";

/**
 * `npm run safety:eval [-- --corpus <dir>] [--misses] [--rules-only]`: how well Naast recognises danger, crisis,
 * hints and topics in residents' own words, per language and class. Recall for danger, crisis and
 * hints; false alarms (any of those three) on everyday and topic sentences. Exits 1 on a missed
 * danger or crisis sentence or a false alarm, so it can guard a corpus in CI.
 */
const { values } = parseArgs({ options: { corpus: { type: "string" }, misses: { type: "boolean", default: false }, "rules-only": { type: "boolean", default: false } } });
const { index, model, problems } = await loadSignals();
if (problems.length > 0) {
  console.error(`signals files have problems:\n  ${problems.join("\n  ")}`);
  process.exit(1);
}
const recognizer = new Recognizer(index, values["rules-only"] ? undefined : model);
const sentences = await readCorpus(values.corpus ?? CORPUS_DIR);
const judged = sentences.map((s) => judge(recognizer, s));
const t = tally(judged);

const pct = (ok: number, total: number) => (total === 0 ? "    –" : `${((100 * ok) / total).toFixed(0).padStart(4)}%`);
console.log(`corpus: ${values.corpus ?? CORPUS_DIR} (${sentences.length} sentences)\n`);
console.log(`lang  ${SENTENCE_LABELS.map((l) => l.padStart(15)).join("")}    false alarms`);
let critical = 0;
for (const [language, byLabel] of [...t.entries()].sort()) {
  const cells = SENTENCE_LABELS.map((l) => {
    const c = byLabel.get(l);
    return (c ? `${c.ok}/${c.total} ${pct(c.ok, c.total)}` : "–").padStart(15);
  });
  const alarms = [...byLabel.values()].reduce((n, c) => n + c.falseAlarms, 0);
  const quiet = (byLabel.get("everyday")?.total ?? 0) + (byLabel.get("topic")?.total ?? 0);
  console.log(`${language.padEnd(4)}  ${cells.join("")}    ${alarms}/${quiet}`);
}
for (const j of judged) if (!j.ok && (j.label === "danger" || j.label === "crisis" || j.falseAlarm)) critical += 1;
if (values.misses || critical > 0) {
  console.log("\nmisjudged:");
  for (const j of judged.filter((x) => !x.ok)) {
    const r = j.recognition;
    const got = r.danger ? "danger" : r.crisis ? "crisis" : r.hint ? "hint" : r.topics.length > 0 ? `topic ${r.topics.join(",")}` : "nothing";
    if (values.misses || j.label === "danger" || j.label === "crisis" || j.falseAlarm) {
      console.log(`  ${j.language} ${j.label}${j.topic ? ` ${j.topic}` : ""} → ${got}${r.reasons.length ? ` (${r.reasons.join("; ")})` : ""}: ${j.text}`);
    }
  }
}
process.exit(critical > 0 ? 1 : 0);
