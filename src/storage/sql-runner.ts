/** The little raw SQL Naast needs beside Prisma: migrations, advisory locks, health checks. */
export interface SqlRunner {
  /** Runs a script of one or more statements without parameters. */
  exec(sql: string): Promise<void>;
  /** Runs one parameterised statement ($1, $2, ...) and returns its rows. */
  query(sql: string, params?: readonly unknown[]): Promise<Record<string, unknown>[]>;
  /** Runs `fn` on one connection holding a session-level advisory lock. */
  withLock<T>(lockId: number, fn: (runner: SqlRunner) => Promise<T>): Promise<T>;
}
