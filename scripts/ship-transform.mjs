// @ts-check
/**
 * How Naast's TypeScript is turned into the JavaScript that runs under `npm start`: esbuild removes the
 * types and nothing else (no bundling, no `keepNames`). scripts/start.mjs builds with these options, and
 * the benchmarks' loader (bench/ship-loader-hooks.mjs) transforms with them, so what is measured is
 * what ships. esbuild reads tsconfig.json for the rest (verbatimModuleSyntax, class fields).
 */
export const SHIP_TRANSFORM = /** @type {const} */ ({ format: "esm", platform: "node", target: "node20" });
