import { randomBytes } from "node:crypto";
import pg from "pg";
import { openDatabase, type Database } from "../../src/storage/database.js";
import { migratedPgliteTemplate } from "./pglite-template.js";

/** An open database that can be thrown away afterwards; `dbName` is set on PostgreSQL. */
export type FreshDatabase = Database & { drop(): Promise<void>; dbName?: string };

/**
 * A fresh, migrated database: a new database named `<prefix>_<random>` on the PostgreSQL server at
 * `url` (dropped by `drop()`), or an in-memory PGlite when `url` is unset, started from a migrated
 * snapshot (./pglite-template.ts). Used by tests and benchmarks.
 */
export async function openFreshDatabase(opts: { url: string | undefined; prefix: string; poolSize?: number }): Promise<FreshDatabase> {
  if (!opts.url) {
    const db = await openDatabase({ databaseUrl: undefined, dataDir: "memory://", pgliteTemplate: await migratedPgliteTemplate() });
    return { ...db, drop: () => db.close() };
  }
  const url = opts.url;
  const name = `${opts.prefix}_${randomBytes(6).toString("hex")}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const u = new URL(url);
  u.pathname = `/${name}`;
  const db = await openDatabase({ databaseUrl: u.toString(), dataDir: "unused", ...(opts.poolSize ? { poolSize: opts.poolSize } : {}) });
  return {
    ...db,
    dbName: name,
    async drop() {
      await db.close();
      const a = new pg.Client({ connectionString: url });
      await a.connect();
      await a.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await a.end();
    },
  };
}

/** A fresh database for one test file: on the server named by DATABASE_URL, else an in-memory PGlite. */
export function openTestDatabase(): Promise<FreshDatabase> {
  return openFreshDatabase({ url: process.env.DATABASE_URL, prefix: "naast_test" });
}
