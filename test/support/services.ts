import { describe } from "vitest";

/**
 * Suites that need a real service run when its URL is set and are skipped otherwise. CI sets
 * NAAST_REQUIRE_SERVICES=1 for its PostgreSQL + Redis run, which turns a missing URL into a failure.
 */
export function describeWith(service: "DATABASE_URL" | "REDIS_URL", name: string, fn: () => void): void {
  const present = Boolean(process.env[service]);
  if (!present && process.env.NAAST_REQUIRE_SERVICES === "1") {
    describe(name, () => {
      throw new Error(`${service} is required in this run (NAAST_REQUIRE_SERVICES=1) but is not set`);
    });
    return;
  }
  (present ? describe : describe.skip)(`${name} [${service}]`, fn);
}
