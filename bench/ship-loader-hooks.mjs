// @ts-check
/**
 * Module hooks for bench/ship-loader.mjs: a `.js` import that names a `.ts` source resolves to it (Naast's
 * imports are written as `./x.js`, as `tsc` wants), and a `.ts` file is transformed by esbuild with the
 * options scripts/start.mjs builds with (ESM, node20, no `keepNames`).
 */
import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { transform } from "esbuild";

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
  const out = await transform(source, { tsconfigRaw: { compilerOptions: { verbatimModuleSyntax: true } }, loader: "ts", format: "esm", platform: "node", target: "node20", sourcemap: "inline", sourcefile: file });
  return { format: "module", source: out.code, shortCircuit: true };
}
