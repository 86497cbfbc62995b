// @ts-check
/**
 * `npm start`: runs Naast from its TypeScript sources, with no build step for the person starting it
 * and no TypeScript loader left in the running process.
 *
 * esbuild removes the types from every file under src/ (nothing is bundled or type-checked; it takes
 * well under a second) into `.start/`, a folder beside src/, so that paths the code finds relative to
 * itself (flows/, locales/, directory/, prisma/migrations, the public/ assets) resolve exactly as from
 * src/ or from the production build's dist/. This process then imports `.start/main.js`.
 *
 * Why not `tsx src/main.ts`: a loader keeps its own thread, with its own heap and a copy of every
 * transformed module, for the life of the process. Measured on the embedded default, that was about
 * 70 MB on top of the 200 MB Naast itself needs; see bench/README.md ("Memory").
 */
import { cp, mkdir, readdir, rename, rm } from "node:fs/promises";
import path from "node:path";
import { pathToFileURL } from "node:url";
import * as esbuild from "esbuild";
import { SHIP_TRANSFORM } from "./ship-transform.mjs";

const ROOT = path.resolve(import.meta.dirname, "..");
const SRC = path.join(ROOT, "src");
const OUT = path.join(ROOT, ".start");

/** Every file under `dir`, as absolute paths. */
async function walk(dir) {
  /** @type {string[]} */
  const files = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) files.push(...(await walk(full)));
    else files.push(full);
  }
  return files;
}

const files = await walk(SRC);
const sources = files.filter((f) => f.endsWith(".ts") && !f.endsWith(".d.ts"));
const assets = files.filter((f) => !f.endsWith(".ts"));

// Build beside the live folder and swap it in, so a second `npm start` (or a test) never sees half a tree.
const next = `${OUT}.${process.pid}`;
await rm(next, { recursive: true, force: true });
try {
  await esbuild.build({
    entryPoints: sources,
    outdir: next,
    outbase: SRC,
    ...SHIP_TRANSFORM,
    sourcemap: "linked",
    logLevel: "error",
  });
} finally {
  // The build runs in an esbuild child process; stop it so nothing of it stays resident.
  await esbuild.stop();
}
for (const asset of assets) {
  const target = path.join(next, path.relative(SRC, asset));
  await mkdir(path.dirname(target), { recursive: true });
  await cp(asset, target);
}
const old = `${OUT}.old.${process.pid}`;
await rename(OUT, old).catch((/** @type {NodeJS.ErrnoException} */ err) => {
  if (err.code !== "ENOENT") throw err;
});
await rename(next, OUT);
await rm(old, { recursive: true, force: true });

await import(pathToFileURL(path.join(OUT, "main.js")).href);
