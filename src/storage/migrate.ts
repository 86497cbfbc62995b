import { createHash, randomUUID } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import type { SqlRunner } from "./sql-runner.js";

/** The lock `prisma migrate deploy` takes too, so our start-up and the CLI never migrate at once. */
const MIGRATION_LOCK_ID = 72707369;

/** A migration that failed or was changed after it was applied. */
export class MigrationError extends Error {
  override name = "MigrationError";
}

const CREATE_TABLE = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
  "id" VARCHAR(36) PRIMARY KEY NOT NULL,
  "checksum" VARCHAR(64) NOT NULL,
  "finished_at" TIMESTAMPTZ,
  "migration_name" VARCHAR(255) NOT NULL,
  "logs" TEXT,
  "rolled_back_at" TIMESTAMPTZ,
  "started_at" TIMESTAMPTZ NOT NULL DEFAULT now(),
  "applied_steps_count" INTEGER NOT NULL DEFAULT 0
)`;

/** Default folder of the one migration history shared by PostgreSQL and PGlite. */
export const MIGRATIONS_DIR = path.resolve(import.meta.dirname, "..", "..", "prisma", "migrations");

/**
 * Applies `prisma/migrations` in order, each in its own transaction, recording them in Prisma's
 * `_prisma_migrations` table with Prisma's checksum (sha256 of migration.sql), so that
 * `prisma migrate status` and `deploy` agree with what ran here. Returns the names applied.
 */
export async function applyMigrations(runner: SqlRunner, dir: string = MIGRATIONS_DIR): Promise<string[]> {
  const names = (await readdir(dir, { withFileTypes: true }))
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort();
  return runner.withLock(MIGRATION_LOCK_ID, async (db) => {
    await db.exec(CREATE_TABLE);
    const rows = await db.query(
      `SELECT migration_name, checksum, finished_at FROM "_prisma_migrations" WHERE rolled_back_at IS NULL`,
    );
    const applied = new Map(rows.map((r) => [String(r.migration_name), r]));
    const done: string[] = [];
    for (const name of names) {
      const sql = await readFile(path.join(dir, name, "migration.sql"), "utf8");
      const checksum = createHash("sha256").update(sql).digest("hex");
      const prior = applied.get(name);
      if (prior) {
        if (prior.finished_at === null) {
          throw new MigrationError(`migration ${name} started earlier and did not finish; resolve it with \`prisma migrate resolve\``);
        }
        if (prior.checksum !== checksum) {
          throw new MigrationError(`migration ${name} was changed after it was applied (checksum differs)`);
        }
        continue;
      }
      const id = randomUUID();
      try {
        await db.exec(`BEGIN;\n${sql}\n;COMMIT;`);
      } catch (err) {
        await db.exec("ROLLBACK").catch(() => undefined);
        throw new MigrationError(`migration ${name} failed: ${err instanceof Error ? err.message : String(err)}`);
      }
      await db.query(
        `INSERT INTO "_prisma_migrations" (id, checksum, migration_name, finished_at, applied_steps_count)
         VALUES ($1, $2, $3, now(), 1)`,
        [id, checksum, name],
      );
      done.push(name);
    }
    return done;
  });
}
