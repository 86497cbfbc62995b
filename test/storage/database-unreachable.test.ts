import { describe, expect, it } from "vitest";
import { isDatabaseUnreachable } from "../../src/storage/database.js";

describe("isDatabaseUnreachable", () => {
  it("tells a database that is away from a statement that failed", () => {
    expect(isDatabaseUnreachable(new Error("Invalid `prisma.$queryRaw()` invocation:\n\nRaw query failed. Code: `N/A`. Message: `Can't reach database server at 127.0.0.1:5432`"))).toBe(true);
    expect(isDatabaseUnreachable(new Error("terminating connection due to administrator command"))).toBe(true);
    expect(isDatabaseUnreachable(new Error("query failed", { cause: Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:5432"), { code: "ECONNREFUSED" }) }))).toBe(true);
    expect(isDatabaseUnreachable(new Error("the database system is starting up"))).toBe(true);
    expect(isDatabaseUnreachable(new Error('duplicate key value violates unique constraint "outbound_message_pkey"'))).toBe(false);
    expect(isDatabaseUnreachable("Can't reach database server")).toBe(false);
    expect(isDatabaseUnreachable(undefined)).toBe(false);
  });
});
