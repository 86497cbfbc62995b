import { readdirSync, readFileSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";

/**
 * Raw SQL lives in src/storage, built with Prisma's tagged templates (values become parameters), and each
 * raw statement says in a "Raw:" comment why Prisma's client cannot say it. Elsewhere code calls store functions.
 */
const SRC = resolve(import.meta.dirname, "../../src");
const UNSAFE = /\$(?:query|execute)RawUnsafe\b/;
const RAW = /\$(?:query|execute)Raw(?:Unsafe)?\b/;
/** How far above a raw call its reason may stand (a TSDoc block over a short function). */
const REASON_REACH = 15;

function tsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = join(dir, e.name);
    if (e.isDirectory()) return e.name === "generated" ? [] : tsFiles(full);
    return e.name.endsWith(".ts") ? [full] : [];
  });
}

/** `file:line` of every line matching `re`. */
function hits(files: readonly string[], re: RegExp): string[] {
  return files.flatMap((file) =>
    readFileSync(file, "utf8")
      .split("\n")
      .flatMap((line, i) => (re.test(line) ? [`${relative(SRC, file)}:${i + 1}`] : [])),
  );
}

/** Lines (`name:line`) of raw calls with no "Raw:" reason since the previous raw call and within REASON_REACH lines above. */
function unexplained(name: string, text: string): string[] {
  const out: string[] = [];
  let reason = -Infinity;
  let lastRaw = -Infinity;
  text.split("\n").forEach((line, i) => {
    if (/\bRaw: \S/.test(line)) reason = i;
    if (!RAW.test(line)) return;
    if (reason <= lastRaw || i - reason > REASON_REACH) out.push(`${name}:${i + 1}`);
    lastRaw = i;
  });
  return out;
}

describe("raw SQL", () => {
  const files = tsFiles(SRC);
  const storage = files.filter((f) => relative(SRC, f).startsWith("storage/"));

  it("finds the calls it looks for", () => {
    expect(RAW.test("await tx.$executeRaw(Prisma.sql`SELECT 1`)")).toBe(true);
    expect(RAW.test("prisma.$queryRawUnsafe(`SELECT 1`)")).toBe(true);
    expect(UNSAFE.test("prisma.$queryRaw(Prisma.sql`SELECT 1`)")).toBe(false);
    expect(storage.length).toBeGreaterThan(5);
  });

  it("wants a reason for each raw statement, not one for a file", () => {
    const explained = ["// Raw: FOR SHARE, a row lock Prisma's client cannot take.", "await tx.$queryRaw(Prisma.sql`SELECT 1 FOR SHARE`);"];
    expect(unexplained("a.ts", explained.join("\n"))).toEqual([]);
    expect(unexplained("b.ts", [...explained, "await tx.$executeRaw(Prisma.sql`SELECT 2`);"].join("\n"))).toEqual(["b.ts:3"]);
    expect(unexplained("c.ts", ["await tx.$executeRaw(Prisma.sql`SELECT 2`);"].join("\n"))).toEqual(["c.ts:1"]);
  });

  it("is never built by hand from strings ($queryRawUnsafe / $executeRawUnsafe)", () => {
    expect(hits(files, UNSAFE)).toEqual([]);
  });

  it("is run only in src/storage", () => {
    expect(hits(files.filter((f) => !storage.includes(f)), RAW)).toEqual([]);
  });

  it("says for each statement why Prisma's client cannot", () => {
    expect(storage.flatMap((f) => unexplained(relative(SRC, f), readFileSync(f, "utf8")))).toEqual([]);
  });
});
