/**
 * `npm run build:release [-- --out <dir>]`: the production output, as one folder (default `release/`)
 * that holds everything `node dist/main.js` needs and nothing else. The Dockerfile's runtime stage
 * copies exactly this folder, and the production-output test (test/release/) builds it the same way
 * and starts it, so the image and the test cannot drift apart.
 *
 *   dist/                  the compiled code, with the non-TypeScript files under src/ (public/ assets)
 *   flows/ locales/ directory/ prisma/   content and migrations, read at run time
 *   package.json package-lock.json node_modules/   production dependencies only, no install scripts
 */
import { execFile } from "node:child_process";
import { cp, mkdir, readdir, rm, stat } from "node:fs/promises";
import path from "node:path";
import { parseArgs, promisify } from "node:util";

const ROOT = path.resolve(import.meta.dirname, "..");

/** Folders and files copied from the repository as they are. */
export const RELEASE_COPIES = ["flows", "locales", "directory", "prisma", "package.json", "package-lock.json"] as const;

/** Everything the build reads from the repository: the Docker build context must hold each of these. */
export const RELEASE_INPUTS = [...RELEASE_COPIES, "src", "scripts", "tsconfig.json", "tsconfig.build.json", "prisma.config.ts"] as const;

const run = promisify(execFile);

async function filesUnder(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await filesUnder(full)));
    else out.push(full);
  }
  return out;
}

/**
 * Builds the production output into `out` (emptied first) and returns it. Needs the repository's
 * dev dependencies (TypeScript) and a generated Prisma client, as after `npm ci`.
 */
export async function buildRelease(out: string, log: (line: string) => void = () => undefined): Promise<string> {
  const target = path.resolve(out);
  if (target === ROOT || ROOT.startsWith(`${target}${path.sep}`)) throw new Error(`refusing to build into ${target}: it holds the repository`);
  await rm(target, { recursive: true, force: true });
  await mkdir(target, { recursive: true });

  log("compiling src/ → dist/");
  await run(process.execPath, [path.join(ROOT, "node_modules", "typescript", "bin", "tsc"), "-p", path.join(ROOT, "tsconfig.build.json"), "--outDir", path.join(target, "dist")], { cwd: ROOT });
  const assets = (await filesUnder(path.join(ROOT, "src"))).filter((f) => !f.endsWith(".ts"));
  for (const asset of assets) await cp(asset, path.join(target, "dist", path.relative(path.join(ROOT, "src"), asset)));
  log(`copied ${assets.length} assets (public/ folders)`);

  for (const item of RELEASE_COPIES) {
    await stat(path.join(ROOT, item)); // a missing input fails the build, not the first start
    await cp(path.join(ROOT, item), path.join(target, item), { recursive: true });
  }
  log(`copied ${RELEASE_COPIES.join(", ")}`);

  // The Prisma client is already compiled into dist/, and every dependency's install script is
  // declined in package.json's allowScripts, so none is run here.
  log("installing production dependencies");
  await run("npm", ["ci", "--omit=dev", "--ignore-scripts", "--prefer-offline", "--no-audit", "--no-fund", "--loglevel=error"], { cwd: target, maxBuffer: 16 * 1024 * 1024 });
  return target;
}

if (import.meta.filename === path.resolve(process.argv[1] ?? "")) {
  const { values } = parseArgs({ options: { out: { type: "string", default: path.join(ROOT, "release") } } });
  const started = Date.now();
  const dir = await buildRelease(values.out ?? path.join(ROOT, "release"), (line) => console.log(`build:release: ${line}`));
  console.log(`build:release: ${dir} ready in ${((Date.now() - started) / 1000).toFixed(1)} s; start it with: node dist/main.js`);
}
