import { mkdir } from "node:fs/promises";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { PrismaPGlite } from "pglite-prisma-adapter";
import { PrismaClient } from "../generated/prisma/client.js";
import { applyMigrations } from "./migrate.js";
import type { SqlRunner } from "./sql-runner.js";

export type { PrismaClient };

/** An open database: the Prisma client, raw SQL for the few things Prisma cannot say, and close. */
export type Database = {
  prisma: PrismaClient;
  sql: SqlRunner;
  kind: "postgres" | "pglite";
  /** Describes where the data lives, without credentials. */
  where: string;
  close(): Promise<void>;
};

function pgliteRunner(db: PGlite): SqlRunner {
  const runner: SqlRunner = {
    async exec(sql) {
      await db.exec(sql);
    },
    async query(sql, params = []) {
      const r = await db.query<Record<string, unknown>>(sql, [...params]);
      return r.rows;
    },
    // PGlite has a single connection; the lock only matters between processes, and only one process opens it.
    withLock: (_id, fn) => fn(runner),
  };
  return runner;
}

function poolRunner(pool: pg.Pool): SqlRunner {
  const clientRunner = (client: pg.PoolClient | pg.Pool): SqlRunner => ({
    async exec(sql) {
      await client.query(sql);
    },
    async query(sql, params = []) {
      const r = await client.query(sql, [...params]);
      return r.rows;
    },
    withLock: (id, fn) => runLocked(id, fn),
  });
  async function runLocked<T>(id: number, fn: (r: SqlRunner) => Promise<T>): Promise<T> {
    const client = await pool.connect();
    try {
      await client.query("SELECT pg_advisory_lock($1)", [id]);
      try {
        return await fn(clientRunner(client));
      } finally {
        await client.query("SELECT pg_advisory_unlock($1)", [id]);
      }
    } finally {
      client.release();
    }
  }
  return clientRunner(pool);
}

/** Describes a PostgreSQL URL without its password. */
function describeUrl(url: string): string {
  const u = new URL(url);
  return `postgresql://${u.hostname}${u.port ? `:${u.port}` : ""}${u.pathname}`;
}

/**
 * Opens PostgreSQL when `databaseUrl` is set, else PGlite in `dataDir/pglite` (`memory://` keeps it
 * in memory, for tests), and applies pending migrations before returning.
 */
export async function openDatabase(opts: {
  databaseUrl: string | undefined;
  dataDir: string;
  poolSize?: number;
  migrate?: boolean;
}): Promise<Database> {
  let db: Database;
  if (opts.databaseUrl) {
    const pool = new pg.Pool({ connectionString: opts.databaseUrl, max: opts.poolSize ?? 20 });
    pool.on("error", () => undefined); // an idle client's error surfaces on its next use
    const prisma = new PrismaClient({ adapter: new PrismaPg(pool) });
    db = {
      prisma,
      sql: poolRunner(pool),
      kind: "postgres",
      where: describeUrl(opts.databaseUrl),
      async close() {
        await prisma.$disconnect();
        await pool.end().catch(() => undefined);
      },
    };
  } else {
    const inMemory = opts.dataDir === "memory://";
    const dir = inMemory ? undefined : path.resolve(opts.dataDir, "pglite");
    if (dir) await mkdir(dir, { recursive: true, mode: 0o700 });
    const lite = dir ? await PGlite.create(dir) : await PGlite.create();
    const prisma = new PrismaClient({ adapter: new PrismaPGlite(lite) });
    db = {
      prisma,
      sql: pgliteRunner(lite),
      kind: "pglite",
      where: dir ?? "memory",
      async close() {
        await prisma.$disconnect();
        await lite.close();
      },
    };
  }
  if (opts.migrate !== false) await applyMigrations(db.sql);
  return db;
}
