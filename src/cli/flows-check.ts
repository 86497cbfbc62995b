import { checkContent } from "../content/check-content.js";
import { loadDirectory } from "../content/directory.js";
import { loadFlows, loadLocales } from "../content/load-content.js";

/** `npm run flows:check`: prints every problem with its file and node, exits 1 if there are any. */
const loaded = await loadFlows(process.argv[2]);
const locales = await loadLocales(process.argv[3]);
let problems: string[];
try {
  problems = checkContent(loaded, locales, await loadDirectory(process.argv[4]));
} catch (err) {
  problems = [err instanceof Error ? err.message : String(err)];
}
if (problems.length > 0) {
  console.error(`flows:check found ${problems.length} problem(s):`);
  for (const p of problems) console.error(`  ✗ ${p}`);
  process.exit(1);
}
console.log(`flows:check: ${loaded.flows.size} flows, all exits, keys and labels in order`);
