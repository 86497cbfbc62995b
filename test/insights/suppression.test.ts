import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { suppressCube, type CubeCell, type Shown } from "../../src/insights/suppression.js";

const k = 10;
const value = (s: Shown) => (s.kind === "value" ? s.value : s.kind);

/** Every filter of a cube: each dimension one of its values or "all". */
function filters(dims: readonly (readonly string[])[]): (string | null)[][] {
  return dims.reduce<(string | null)[][]>((acc, d) => acc.flatMap((f) => [...d, null].map((v) => [...f, v])), [[]]);
}

/** The true aggregate of a table of cells for a filter. */
function truth(cells: readonly CubeCell[], filter: readonly (string | null)[]): number {
  return cells.filter((c) => c.key.every((v, d) => filter[d] === null || filter[d] === v)).reduce((a, c) => a + c.count, 0);
}

/**
 * The attacker, by brute force: every other table of counts (each cell 0…max) that shows exactly the same
 * figures in every view. A suppressed figure above 0 is safe when at least two of those tables disagree on it.
 */
function recoverable(cells: CubeCell[], max: number, published: (f: readonly (string | null)[]) => boolean = () => true): string[] {
  const cube = suppressCube(cells[0]!.key.length, cells, k, published);
  const all = filters(cube.dims).map((f) => ({ f, shown: cube.get(f), real: truth(cells, f) }));
  const views = all.filter((v) => published(v.f));
  const seen = new Map<string, Set<number>>();
  const alt = cells.map((c) => ({ key: c.key, count: 0 }));
  const walk = (i: number) => {
    if (i === alt.length) {
      for (const v of views) {
        const t = truth(alt, v.f);
        if (v.shown.kind === "value" ? t !== v.shown.value : v.shown.kind === "small" ? t >= k : t < k) return;
      }
      for (const v of all) if (v.shown.kind !== "value" || !published(v.f)) seen.set(v.f.join("|"), (seen.get(v.f.join("|")) ?? new Set()).add(truth(alt, v.f)));
      return;
    }
    for (let n = 0; n <= max; n++) {
      alt[i]!.count = n;
      walk(i + 1);
    }
  };
  walk(0);
  // Shown as small or hidden, or small and shown by no view: at least two tables must disagree on it.
  const guarded = all.filter((v) => (published(v.f) ? v.shown.kind !== "value" : v.real < k) && v.real > 0);
  return guarded.filter((v) => (seen.get(v.f.join("|"))?.size ?? 0) < 2).map((v) => `${v.f.join("|")}=${v.real}`);
}

describe("small-number suppression", () => {
  it("shows a figure under k as small, and hides the smallest beside it so the total cannot give it away", () => {
    const cube = suppressCube(1, [
      { key: ["nl"], count: 30 },
      { key: ["tr"], count: 3 },
      { key: ["ar"], count: 20 },
    ]);
    expect(value(cube.get(["tr"]))).toBe("small");
    expect(value(cube.get(["ar"]))).toBe("hidden");
    expect(value(cube.get(["nl"]))).toBe(30);
    expect(value(cube.get([null]))).toBe(53);
  });

  it("gives the same answer in every view, so a filtered figure cannot be subtracted from an unfiltered one", () => {
    // Neighbourhood × language: Turkish speakers in Korvel are few.
    const cells: CubeCell[] = [
      { key: ["korvel", "nl"], count: 40 },
      { key: ["korvel", "tr"], count: 4 },
      { key: ["wandelbos-noord", "nl"], count: 25 },
      { key: ["wandelbos-noord", "tr"], count: 12 },
    ];
    const cube = suppressCube(2, cells);
    // View 1: Korvel, all languages. View 2: Korvel, Dutch only. Their difference would be Korvel × Turkish.
    const korvelAll = cube.get(["korvel", null]);
    const korvelNl = cube.get(["korvel", "nl"]);
    expect(korvelAll.kind === "value" && korvelNl.kind === "value").toBe(false);
    // View 3: all of Turkish speakers, minus view 4, Wandelbos-Noord's, would be it too.
    const trAll = cube.get([null, "tr"]);
    const trW = cube.get(["wandelbos-noord", "tr"]);
    expect(trAll.kind === "value" && trW.kind === "value").toBe(false);
    expect(value(cube.get(["korvel", "tr"]))).toBe("small");
    expect(recoverable(cells, 45)).toEqual([]);
  });

  it("treats a value missing from the data as a zero, shown as small", () => {
    const cube = suppressCube(2, [{ key: ["korvel", "nl"], count: 50 }]);
    expect(value(cube.get(["wandelbos-noord", null]))).toBe("small");
    expect(value(cube.get(["korvel", "nl"]))).toBe(50);
    expect(value(cube.get([null, null]))).toBe(50);
  });

  it("never lets a suppressed figure above 0 be worked out from the shown figures and their totals (property)", () => {
    const count = fc.oneof(fc.integer({ min: 0, max: 12 }), fc.integer({ min: 0, max: 18 }));
    fc.assert(
      fc.property(fc.array(count, { minLength: 4, maxLength: 4 }), fc.boolean(), (counts, square) => {
        const keys = square ? [["a", "x"], ["a", "y"], ["b", "x"], ["b", "y"]] : [["a"], ["b"], ["c"], ["d"]];
        const cells = keys.map((key, i) => ({ key, count: counts[i]! }));
        expect(recoverable(cells, 22)).toEqual([]);
      }),
      { numRuns: 40 },
    );
  });

  it("protects a small figure no view shows just the same, when only some figures are published (property)", () => {
    // Weeks × neighbourhood, as the report publishes them with a third dimension left out: every total, and
    // the week × neighbourhood cells only for week "x".
    const published = (f: readonly (string | null)[]) => f[0] === null || f[1] === null || f[0] === "x";
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 16 }), { minLength: 4, maxLength: 4 }), (counts) => {
        const keys = [["x", "a"], ["x", "b"], ["y", "a"], ["y", "b"]];
        expect(recoverable(keys.map((key, i) => ({ key, count: counts[i]! })), 20, published)).toEqual([]);
      }),
      { numRuns: 40 },
    );
  });
});
