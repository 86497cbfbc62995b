// @ts-check
/**
 * `node --import ./bench/ship-loader.mjs bench/<file>.ts`: runs a benchmark on TypeScript transformed as
 * Naast ships it (esbuild, types removed, nothing else), instead of through tsx.
 *
 * Why: tsx transforms with esbuild's `keepNames`, which wraps every function and closure created at run
 * time in a `__name(fn, "name")` call (an `Object.defineProperty` each). The recognizer and the engine
 * create closures on every message, so under tsx a CPU profile of bench (c) showed 5–6 % of the time in
 * `__name`: a cost of the development loader, not of Naast. `npm start` (scripts/start.mjs) and the image
 * (`tsc`) ship code without it, so the benchmarks measure that.
 */
import { register } from "node:module";

register(new URL("./ship-loader-hooks.mjs", import.meta.url));
