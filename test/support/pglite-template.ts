import { createHash, randomBytes } from "node:crypto";
import { mkdir, readdir, readFile, rename, writeFile } from "node:fs/promises";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { pgliteStartParams } from "../../src/storage/database.js";
import { applyMigrations, MIGRATIONS_DIR } from "../../src/storage/migrate.js";
import type { SqlRunner } from "../../src/storage/sql-runner.js";

const ROOT = path.resolve(import.meta.dirname, "..", "..");
/** Outside the tracked tree (`npm test` changes no tracked file); node_modules/.cache is the usual place. */
const CACHE_DIR = path.join(ROOT, "node_modules", ".cache", "naast-test");

let template: Promise<Blob> | undefined;

/** What the snapshot depends on: every migration's SQL and PGlite's version. */
async function snapshotKey(): Promise<string> {
  const hash = createHash("sha256");
  // The package's exports hide package.json; its manifest is read from its folder.
  hash.update(await readFile(path.join(ROOT, "node_modules", "@electric-sql", "pglite", "package.json")));
  for (const name of (await readdir(MIGRATIONS_DIR, { withFileTypes: true })).filter((d) => d.isDirectory()).map((d) => d.name).sort()) {
    hash.update(name).update(await readFile(path.join(MIGRATIONS_DIR, name, "migration.sql")));
  }
  return hash.digest("hex").slice(0, 16);
}

async function loadOrMake(): Promise<Blob> {
  const file = path.join(CACHE_DIR, `pglite-migrated-${await snapshotKey()}.tar`);
  const cached = await readFile(file).catch(() => undefined);
  if (cached) return new Blob([cached]);
  // initdb and every migration, once; then dumped. Workers that race each write their own file and
  // rename it into place, so a reader never sees half a file.
  const lite = await PGlite.create(undefined, { startParams: pgliteStartParams() });
  const runner: SqlRunner = {
    exec: async (sql) => void (await lite.exec(sql)),
    query: async (sql, params = []) => (await lite.query<Record<string, unknown>>(sql, [...params])).rows,
    withLock: (_id, fn) => fn(runner),
  };
  await applyMigrations(runner);
  const dump = await lite.dumpDataDir("none");
  await lite.close();
  await mkdir(CACHE_DIR, { recursive: true });
  const tmp = `${file}.${randomBytes(4).toString("hex")}`;
  await writeFile(tmp, Buffer.from(await dump.arrayBuffer()));
  await rename(tmp, file);
  return dump;
}

/**
 * A dump of a freshly migrated embedded database, made once per migration history and kept in
 * node_modules/.cache/naast-test: a test file's fresh PGlite starts from it instead of running initdb and
 * every migration again (about a second instead of five).
 */
export function migratedPgliteTemplate(): Promise<Blob> {
  template ??= loadOrMake();
  return template;
}
