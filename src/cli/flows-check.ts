import { checkContent } from "../content/check-content.js";
import { loadDirectory } from "../content/directory.js";
import { loadFlows, loadLocales } from "../content/load-content.js";
import { loadSignals } from "../content/load-signals.js";

/**
 * `npm run flows:check`: prints every problem with its file and node, exits 1 if there are any. The signal words are
 * checked too: Naast refuses to start on a broken pattern, and a language left out would recognise nothing.
 */
const loaded = await loadFlows(process.argv[2]);
const locales = await loadLocales(process.argv[3]);
let problems: string[];
try {
  problems = [...checkContent(loaded, locales, await loadDirectory(process.argv[4])), ...(await loadSignals(process.argv[3])).problems];
} catch (err) {
  problems = [err instanceof Error ? err.message : String(err)];
}
if (problems.length > 0) {
  console.error(`flows:check found ${problems.length} problem(s):`);
  for (const p of problems) console.error(`  ✗ ${p}`);
  process.exit(1);
}
console.log(`flows:check: ${loaded.flows.size} flows, all exits, keys, labels and signal words in order`);
