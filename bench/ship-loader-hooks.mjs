// @ts-check
/**
 * Module hooks for bench/ship-loader.mjs: a `.js` import that names a `.ts` source resolves to it (Naast's
 * imports are written as `./x.js`, as `tsc` wants), and a `.ts` file is transformed by esbuild with the
 * options scripts/start.mjs builds with (scripts/ship-transform.mjs) and the repository's tsconfig.json,
 * which esbuild's build reads by itself and its transform has to be given.
 */
import { readFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { transform } from "esbuild";
import { SHIP_TRANSFORM } from "../scripts/ship-transform.mjs";

const TSCONFIG = readFileSync(new URL("../tsconfig.json", import.meta.url), "utf8");

/** @type {import("node:module").ResolveHook} */
export async function resolve(specifier, context, next) {
  try {
    return await next(specifier, context);
  } catch (err) {
    const isRelative = specifier.startsWith(".") || specifier.startsWith("/") || specifier.startsWith("file:");
    if (!isRelative || !specifier.endsWith(".js")) throw err;
    return next(`${specifier.slice(0, -3)}.ts`, context);
  }
}

/** @type {import("node:module").LoadHook} */
export async function load(url, context, next) {
  if (!url.startsWith("file:") || !url.endsWith(".ts") || url.endsWith(".d.ts")) return next(url, context);
  const file = fileURLToPath(url);
  const source = await readFile(file, "utf8");
  const out = await transform(source, { ...SHIP_TRANSFORM, tsconfigRaw: TSCONFIG, loader: "ts", sourcemap: "inline", sourcefile: file });
  return { format: "module", source: out.code, shortCircuit: true };
}
