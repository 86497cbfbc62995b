import { createHash } from "node:crypto";
import { mkdtemp, readdir, readFile, writeFile, mkdir, cp } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { applyMigrations, MigrationError, MIGRATIONS_DIR } from "../../src/storage/migrate.js";
import { openTestDatabase } from "../support/test-database.js";

let db: Awaited<ReturnType<typeof openTestDatabase>>;
beforeAll(async () => {
  db = await openTestDatabase();
});
afterAll(async () => {
  await db.drop();
});

describe("migrations", () => {
  it("records every migration as Prisma does (name and sha256 checksum) and applies nothing twice", async () => {
    const names = (await readdir(MIGRATIONS_DIR, { withFileTypes: true })).filter((d) => d.isDirectory()).map((d) => d.name).sort();
    const rows = await db.sql.query(`SELECT migration_name, checksum, finished_at FROM "_prisma_migrations" ORDER BY migration_name`);
    expect(rows.map((r) => r.migration_name)).toEqual(names);
    for (const name of names) {
      const sql = await readFile(path.join(MIGRATIONS_DIR, name, "migration.sql"), "utf8");
      expect(rows.find((r) => r.migration_name === name)?.checksum).toBe(createHash("sha256").update(sql).digest("hex"));
    }
    expect(await applyMigrations(db.sql)).toEqual([]);
  });

  it("refuses a migration that was changed after it was applied", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "naast-mig-"));
    await cp(MIGRATIONS_DIR, dir, { recursive: true });
    const first = (await readdir(dir, { withFileTypes: true })).filter((d) => d.isDirectory()).map((d) => d.name).sort()[0]!;
    await writeFile(path.join(dir, first, "migration.sql"), "-- edited\n" + (await readFile(path.join(dir, first, "migration.sql"), "utf8")));
    await expect(applyMigrations(db.sql, dir)).rejects.toBeInstanceOf(MigrationError);
  });

  it("rolls back a failing migration and names it", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "naast-mig-"));
    await cp(MIGRATIONS_DIR, dir, { recursive: true });
    await mkdir(path.join(dir, "29991231000000_broken"));
    await writeFile(path.join(dir, "29991231000000_broken", "migration.sql"), `CREATE TABLE half_done (id int);\nSELECT * FROM no_such_table;`);
    await expect(applyMigrations(db.sql, dir)).rejects.toThrow(/29991231000000_broken failed/);
    const left = await db.sql.query(`SELECT count(*)::int AS n FROM pg_tables WHERE tablename = 'half_done'`);
    expect(left[0]?.n).toBe(0);
  });
});
