import { execFile } from "node:child_process";
import { access, mkdir } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
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

/**
 * PostgreSQL settings for the embedded database, passed as `-c` start parameters (they win over
 * postgresql.conf). PGlite's own default is a 160 MB buffer cache inside its WebAssembly memory, and
 * WebAssembly memory never shrinks: the pages it touches stay resident for the life of the process.
 * 16 MB holds the hot part of a neighbourhood's data (a few thousand residents and their send
 * records); the operating system's page cache still keeps the data files.
 */
export const PGLITE_SETTINGS: Readonly<Record<string, string>> = {
  shared_buffers: "16MB",
  wal_buffers: "1MB",
  temp_buffers: "2MB",
  work_mem: "2MB",
  maintenance_work_mem: "16MB",
};

/** PGlite's start parameters with {@link PGLITE_SETTINGS} added. */
export function pgliteStartParams(): string[] {
  return [...PGlite.defaultStartParams, ...Object.entries(PGLITE_SETTINGS).flatMap(([k, v]) => ["-c", `${k}=${v}`])];
}

/** The folder holding the repository's (or the image's) node_modules, for child processes that import packages. */
const PACKAGE_ROOT = path.resolve(import.meta.dirname, "..", "..");

/**
 * Creating a new PGlite data folder runs initdb in a second WebAssembly instance, which takes about
 * 500 MB that is never given back to the operating system. So a new folder is made by a short-lived
 * child process, and Naast then opens the finished folder at its normal size.
 */
async function initDataDirInChildProcess(dir: string): Promise<void> {
  const code = [
    `import { PGlite } from "@electric-sql/pglite";`,
    `const db = await PGlite.create(process.argv[1]);`,
    `await db.close();`,
  ].join("\n");
  try {
    await promisify(execFile)(process.execPath, ["--input-type=module", "-e", code, dir], { cwd: PACKAGE_ROOT, timeout: 120_000 });
  } catch (err) {
    const stderr = typeof err === "object" && err !== null && "stderr" in err ? String(err.stderr).trim() : "";
    throw new Error(`creating the embedded database in ${dir} failed: ${stderr || (err instanceof Error ? err.message : String(err))}`);
  }
}

async function exists(file: string): Promise<boolean> {
  return access(file).then(
    () => true,
    () => false,
  );
}

/** Describes a PostgreSQL URL without its password. */
function describeUrl(url: string): string {
  const u = new URL(url);
  return `postgresql://${u.hostname}${u.port ? `:${u.port}` : ""}${u.pathname}`;
}

/** What drivers and Prisma say when the server is away, restarting or refusing connections (not a bad query). */
const UNREACHABLE = /can't reach database server|terminating connection|connection terminated|ECONNREFUSED|ECONNRESET|database system is (?:starting up|shutting down|in recovery mode)|timed out fetching a new connection|timeout exceeded when trying to connect/i;

/** True when `err` (or an error it was caused by) says the database could not be reached, rather than that a statement failed. */
export function isDatabaseUnreachable(err: unknown): boolean {
  for (let e: unknown = err, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++) {
    if (UNREACHABLE.test(e.message) || ("code" in e && typeof e.code === "string" && UNREACHABLE.test(e.code))) return true;
  }
  return false;
}

/** Resolves when the database answers a trivial query (readiness checks, the maintenance desk); rejects otherwise. */
export async function pingDatabase(db: Pick<Database, "sql">): Promise<void> {
  await db.sql.query("SELECT 1");
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
  /**
   * For an in-memory PGlite: a dump (`PGlite.dumpDataDir`) of a data folder to start from instead of
   * running initdb. Tests pass one of a migrated database, which opens in about a second instead of five.
   */
  pgliteTemplate?: Blob;
}): Promise<Database> {
  let db: Database;
  if (opts.databaseUrl) {
    // A connect that hangs (a server gone from the network) fails after 5 s instead of holding a
    // webhook open; the maintenance note then goes out and the platform delivers again later.
    const pool = new pg.Pool({ connectionString: opts.databaseUrl, max: opts.poolSize ?? 20, connectionTimeoutMillis: 5_000 });
    pool.on("error", () => undefined); // an idle client's error surfaces on its next use
    // A client in use (a transaction, Prisma's adapter) that loses its server (PostgreSQL restarting:
    // "terminating connection due to administrator command") emits 'error' on itself, not the pool; without a
    // listener that ends the process. The query it was running fails with the error, which is where it is handled.
    pool.on("connect", (client) => client.on("error", () => undefined));
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
    if (dir) {
      await mkdir(dir, { recursive: true, mode: 0o700 });
      if (!(await exists(path.join(dir, "PG_VERSION")))) await initDataDirInChildProcess(dir);
    }
    const template = inMemory && opts.pgliteTemplate ? { loadDataDir: opts.pgliteTemplate } : {};
    const lite = await PGlite.create(dir, { startParams: pgliteStartParams(), ...template });
    const prisma = new PrismaClient({ adapter: yieldingAdapter(new PrismaPGlite(lite)) });
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

/** One turn of the event loop: timers and I/O (an HTTP request, a health check) run before what follows. */
function turn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/**
 * PGlite runs in this thread and answers through promises that are already settled, so a backlog of jobs
 * would be one unbroken run of microtasks: no request read, no timer fired, `/healthz` unanswered for seconds.
 * This wraps Prisma's PGlite adapter (the factory, the connection it makes and each transaction) so every
 * statement first gives the event loop one turn: a health check waits for one statement, not for the backlog.
 */
function yieldingAdapter<T extends object>(target: T): T {
  return new Proxy(target, {
    get(obj, prop) {
      const value: unknown = Reflect.get(obj, prop, obj);
      if (typeof value !== "function") return value;
      if (prop === "queryRaw" || prop === "executeRaw" || prop === "executeScript") {
        return async (...args: unknown[]) => {
          await turn();
          return Reflect.apply(value, obj, args);
        };
      }
      if (prop === "connect" || prop === "startTransaction") {
        return async (...args: unknown[]) => {
          const made: unknown = await Reflect.apply(value, obj, args);
          return typeof made === "object" && made !== null ? yieldingAdapter(made) : made;
        };
      }
      return (...args: unknown[]) => Reflect.apply(value, obj, args);
    },
  });
}
