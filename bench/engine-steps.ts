/**
 * (c) Engine steps per second: FlowEngine.step on the real flows and locales, single thread.
 *
 * A trace of steps is recorded first by walking simulated residents through the flows with a
 * realistic mix of inputs: typed numbers, button/list payloads (from the choices the previous step
 * offered), free text in the six languages (some with danger phrases, some negated), global intents
 * and a few first contacts and unsupported messages. Then the recorded (stored state, input) pairs
 * are replayed and timed; each replay is exactly the work one inbound message costs the engine.
 *
 *   node --import ./bench/ship-loader.mjs bench/engine-steps.ts            (BENCH_ENGINE_SECONDS, default 5)
 */
import { readCorpus } from "../src/content/safety-evaluation.js";
import { loadContent } from "../src/content/content.js";
import { FlowEngine, SAFETY_PAYLOAD, type EngineInput } from "../src/engine/engine.js";
import { foldText } from "../src/engine/recognition/fold-text.js";
import { newSessionState, upgradeState, type SessionState } from "../src/engine/session-state.js";
import { seededRandom } from "../src/engine/seeded-random.js";
import { cpuByProcess, cpuShare, envNumber, fmt, machineNote, recordResult, table, waitForQuiet } from "./support.js";

const SECONDS = envNumber("BENCH_ENGINE_SECONDS", 5);
const TRACE_STEPS = 20_000;
const RESIDENTS = 256;
const NOW = new Date("2026-11-01T10:00:00Z");

type Kind = "typed number" | "button payload" | "free text" | "danger text" | "global intent" | "start" | "unsupported";
type Entry = { kind: Kind; state: SessionState; input: EngineInput; hint: string | undefined };

const FREE_TEXT = [
  "Hallo",
  "hoi, ik heb een vraag",
  "Ik kan mijn energierekening deze maand niet betalen",
  "wanneer is de voedselbank open?",
  "I got a letter from the tax office and I don't understand it",
  "money problems",
  "geld",
  "Korvel",
  "English",
  "Nederlands",
  "Merhaba, kira yardımı hakkında bilgi almak istiyorum",
  "مرحبا، أحتاج مساعدة في الفواتير",
  "Dzień dobry, mam problem z rachunkami",
  "Добрий день, потрібна допомога з рахунками",
  "ik ben niet bang, maar ik heb wel schulden",
  "he never hits me, but I need help with the bills",
  "ok dank je",
  "👍",
];
const DANGER_TEXT = ["hij slaat mij als hij drinkt", "I'm scared of him", "ik ben bang", "she hits me every day", "ik voel me niet veilig thuis"];
const INTENTS = ["menu", "terug", "back", "taal", "language", "sos", "112", "help", "stop", "/start", "hoofdmenu", "geri"];
const HINTS = [undefined, "nl", "en", "tr", "ar", "pl", "uk"];

function recordTrace(engine: FlowEngine): Entry[] {
  const rand = seededRandom(42);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  const states: SessionState[] = Array.from({ length: RESIDENTS }, () => newSessionState());
  const offered: string[][] = Array.from({ length: RESIDENTS }, () => []);
  const trace: Entry[] = [];
  for (let i = 0; i < TRACE_STEPS; i++) {
    const r = i % RESIDENTS;
    const state = states[r]!;
    const x = rand();
    let kind: Kind;
    let input: EngineInput;
    const choices = offered[r]!;
    if (state.at === undefined || x < 0.03) {
      kind = "start";
      input = { kind: "start", languageHint: pick(HINTS) };
    } else if (x < 0.33) {
      kind = "typed number";
      // Mostly a listed option, sometimes one too many, sometimes Arabic-Indic digits.
      const n = 1 + Math.floor(rand() * Math.max(1, choices.length + 1));
      input = { kind: "text", text: rand() < 0.1 ? String.fromCharCode(0x0660 + Math.min(9, n)) : String(n) };
    } else if (x < 0.63) {
      kind = "button payload";
      input = { kind: "choice", payload: choices.length > 0 && rand() < 0.95 ? pick(choices) : SAFETY_PAYLOAD };
    } else if (x < 0.83) {
      kind = "free text";
      input = { kind: "text", text: pick(FREE_TEXT) };
    } else if (x < 0.86) {
      kind = "danger text";
      input = { kind: "text", text: pick(DANGER_TEXT) };
    } else if (x < 0.98) {
      kind = "global intent";
      input = { kind: "text", text: pick(INTENTS) };
    } else {
      kind = "unsupported";
      input = { kind: "unsupported", what: "image" };
    }
    const hint = pick(HINTS);
    trace.push({ kind, state, input, hint });
    const { state: next, events } = engine.step(state, input, NOW, hint);
    states[r] = next;
    const nextChoices = events.flatMap((e) => (e.type === "message" ? (e.choices ?? []).map((c) => c.payload) : []));
    offered[r] = nextChoices.length > 0 ? nextChoices : offered[r]!;
  }
  return trace;
}

/** Replays entries for about `seconds`; returns steps and nanoseconds. */
function replay(engine: FlowEngine, entries: readonly Entry[], seconds: number): { steps: number; ns: number; sink: number } {
  let steps = 0;
  let sink = 0;
  const t0 = process.hrtime.bigint();
  const until = t0 + BigInt(Math.round(seconds * 1e9));
  let now = t0;
  while (now < until) {
    // Check the clock every 500 steps, not every step.
    for (let i = 0; i < 500; i++) {
      const e = entries[(steps + i) % entries.length]!;
      sink += engine.step(e.state, e.input, NOW, e.hint).events.length;
    }
    steps += 500;
    now = process.hrtime.bigint();
  }
  return { steps, ns: Number(now - t0), sink };
}

function timeIt(n: number, fn: (i: number) => unknown): number {
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < n; i++) fn(i);
  return Number(process.hrtime.bigint() - t0) / n / 1000; // µs
}

async function main(): Promise<void> {
  console.log(`# Engine steps (c) — ${machineNote()}; single thread`);
  const content = await loadContent();
  const engine = new FlowEngine(content.engine);
  const trace = recordTrace(engine);
  const counts = new Map<Kind, number>();
  for (const e of trace) counts.set(e.kind, (counts.get(e.kind) ?? 0) + 1);
  console.log(
    `# trace: ${fmt(trace.length)} steps over ${RESIDENTS} residents, ${content.engine.flows.size} flows, ${content.engine.languages.length} languages; mix: ${[...counts]
      .map(([k, n]) => `${k} ${((n / trace.length) * 100).toFixed(0)}%`)
      .join(", ")}`,
  );

  replay(engine, trace, 1); // warm-up
  await waitForQuiet("the engine");
  const cpu0 = cpuByProcess();
  const own0 = process.cpuUsage();
  const all = replay(engine, trace, SECONDS);
  const own = process.cpuUsage(own0);
  const cpu = cpuShare(cpu0, cpuByProcess(), all.ns / 1e9).replace("naast (node)", "this benchmark");
  const stepsPerSecond = all.steps / (all.ns / 1e9);
  const usPerStep = all.ns / all.steps / 1000;
  // On a shared machine the wall figure counts time other programs had the core; CPU time does not.
  const stepsPerCpuSecond = all.steps / ((own.user + own.system) / 1e6);
  console.log(`\n## Mixed trace: ${fmt(stepsPerSecond)} steps/s, ${usPerStep.toFixed(1)} µs/step (${fmt(all.steps)} steps in ${(all.ns / 1e9).toFixed(1)} s)`);
  console.log(`  per CPU second of this thread: ${fmt(stepsPerCpuSecond)} steps (${(1e6 / stepsPerCpuSecond).toFixed(1)} µs CPU a step)`);
  console.log(`  CPU (cores busy while measuring): ${cpu}`);

  const rows: (string | number)[][] = [];
  for (const kind of counts.keys()) {
    const entries = trace.filter((e) => e.kind === kind);
    const r = replay(engine, entries, Math.max(0.5, SECONDS / 5));
    rows.push([kind, fmt(r.steps / (r.ns / 1e9)), (r.ns / r.steps / 1000).toFixed(1)]);
  }
  console.log(`\n## By input kind`);
  console.log(table(["input", "steps/s", "µs/step"], rows));

  // Parts every step pays, measured alone on the same trace.
  const n = trace.length;
  // As read from storage: plain JSON, parsed (and upgraded) once when a conversation is loaded.
  const stored: unknown[] = trace.map((e) => JSON.parse(JSON.stringify(e.state)));
  const texts = trace.filter((e) => e.input.kind === "text").map((e) => (e.input as { text: string }).text);
  const lex = content.engine.lexicon;
  for (let k = 0; k < 2; k++) {
    timeIt(n, (i) => upgradeState(trace[i]!.state));
    timeIt(n, (i) => upgradeState(stored[i]));
  }
  const upgrade = timeIt(n, (i) => upgradeState(trace[i]!.state));
  const load = timeIt(n, (i) => upgradeState(stored[i]));
  const intent = timeIt(texts.length, (i) => lex.intentOf(texts[i]!));
  // Folding alone, as a step and the recognizer pay it (remembered for one text only, so each text of the trace is folded afresh).
  const fold = timeIt(texts.length, (i) => foldText(texts[i]!));
  const recognizer = content.engine.recognizer;
  const danger = timeIt(texts.length, (i) => recognizer.recognize(texts[i]!));
  // The recognizer alone on residents' own sentences (the labelled corpus: danger, hints, everyday).
  const corpus = (await readCorpus()).map((x) => x.text);
  for (let k = 0; k < 2; k++) timeIt(corpus.length, (i) => recognizer.recognize(corpus[i]!));
  const recognizerCpu = process.cpuUsage();
  const perMessage = timeIt(corpus.length * 5, (i) => recognizer.recognize(corpus[i % corpus.length]!));
  // CPU time is what a message costs the process; wall time also counts other programs on a busy machine.
  const cpuPerMessage = process.cpuUsage(recognizerCpu).user / (corpus.length * 5);
  console.log(`\n## Parts of a step (µs, measured alone)`);
  console.log(
    table(
      ["part", "µs", "share of a mean step"],
      [
        ["upgradeState of a state a step made (a shallow copy; parts shared)", upgrade.toFixed(1), `${((upgrade / usPerStep) * 100).toFixed(0)}%`],
        ["upgradeState of stored JSON (zod parse; once a load, not a step)", load.toFixed(1), "—"],
        ["foldText (text inputs)", fold.toFixed(1), `${(((fold * texts.length) / n / usPerStep) * 100).toFixed(0)}% a fold`],
        ["lexicon.intentOf (text inputs)", intent.toFixed(1), `${(((intent * texts.length) / n / usPerStep) * 100).toFixed(0)}% (text is ${((texts.length / n) * 100).toFixed(0)}% of steps)`],
        ["recognizer.recognize (text inputs of the trace)", danger.toFixed(1), `≤ ${(((danger * texts.length) / n / usPerStep) * 100).toFixed(0)}%`],
      ],
    ),
  );
  console.log(`\n## Recognising residents' own words (danger, crisis, hints, topics)`);
  console.log(`${corpus.length} corpus sentences, each recognised 5×: ${perMessage.toFixed(1)} µs a message wall, ${cpuPerMessage.toFixed(1)} µs CPU (aim: under 50 µs)`);
  recordResult({ bench: "recognizer", setup: "in-process", usPerMessage: perMessage, cpuUsPerMessage: cpuPerMessage });
  if (all.sink < 0) console.log(all.sink); // keeps the results alive
  recordResult({ bench: "engine-steps", setup: "in-process", stepsPerSecond, usPerStep, stepsPerCpuSecond });
}

await main();
process.exit(0);
