/**
 * Small-number suppression for every figure the Insights page, the monthly report and the CSV show.
 *
 * A set of counters (one metric in one month) is a *cube*: dimensions such as week, neighbourhood, language
 * and channel, each with its values. Every figure any view can show is an *aggregate* of that cube: each
 * dimension either one value or "all". Filtering, tables and totals all read aggregates of the same cube,
 * and the decision what to hide is taken once, for the whole cube, so no view can be subtracted from
 * another (a filtered figure from an unfiltered total, one week from the month, one language from the rest).
 *
 * The rules:
 * - primary: every aggregate below k (including 0) is shown as "< k" (`small`);
 * - complementary: an attacker who knows every shown figure, that a "< k" figure is 0…k−1 and a hidden one
 *   is at least k, and that every total is the sum of its parts, narrows each hidden figure to an interval
 *   (interval propagation over all the sums, to a fixed point). Wherever that pins down a non-zero hidden
 *   figure exactly, the smallest figure still shown beside it in one of its sums is hidden too (`hidden`),
 *   and the check runs again.
 * A group that can be worked out to be exactly 0 is not protected: nobody is in it, so nobody is exposed.
 */

/** The smallest count shown: the neighbourhood team's agreed k. */
export const K_ANONYMITY = 10;

/** How one figure is shown. */
export type Shown = { kind: "value"; value: number } | { kind: "small" } | { kind: "hidden" };

/** One counter row: a value per dimension, in the cube's dimension order, and its count. */
export type CubeCell = { key: readonly string[]; count: number };

const SHOWN = 0;
const SMALL = 1;
const HIDDEN = 2;
/** Never shown by any view: the attacker does not know it, so it needs no protection and gives none away. */
const UNPUBLISHED = 3;

/** What `suppressCube` worked out, as a SuppressedCube keeps it. */
export type SuppressedCubeOptions = {
  /** The values of each dimension that occur in the data, sorted. */
  dims: readonly (readonly string[])[];
  /** Per dimension, its values + 1 ("all" is digit 0); 1 for a dimension collapsed to "all". */
  radix: readonly number[];
  /** Every aggregate's count, indexed by its digits in `radix`. */
  values: Int32Array | number[];
  /** Every aggregate's status (shown, small, hidden or unpublished), indexed as `values`. */
  status: Uint8Array;
  /** The smallest count shown. */
  k: number;
};

/** A cube after suppression: ask for any aggregate; the answer is the same in every view. */
export class SuppressedCube {
  /** The values of each dimension that occur in the data. */
  readonly dims: readonly (readonly string[])[];
  private readonly radix: readonly number[];
  private readonly values: Int32Array | number[];
  private readonly status: Uint8Array;
  readonly k: number;

  constructor(opts: SuppressedCubeOptions) {
    this.dims = opts.dims;
    this.radix = opts.radix;
    this.values = opts.values;
    this.status = opts.status;
    this.k = opts.k;
  }

  /** The aggregate for a filter: a value per dimension, or null for "all". A value not in the data is a 0. */
  get(filter: readonly (string | null)[]): Shown {
    const index = this.#index(filter);
    if (index === undefined) return { kind: "small" };
    const s = this.status[index]!;
    if (s === SHOWN) return { kind: "value", value: this.values[index]! };
    if (s === UNPUBLISHED && this.values[index]! >= this.k) return { kind: "hidden" };
    return s === SMALL || s === UNPUBLISHED ? { kind: "small" } : { kind: "hidden" };
  }

  #index(filter: readonly (string | null)[]): number | undefined {
    let index = 0;
    for (let d = 0; d < this.dims.length; d++) {
      const f = filter[d] ?? null;
      let digit = 0;
      if (f !== null) {
        const pos = this.dims[d]!.indexOf(f);
        if (pos < 0) return undefined;
        // A dimension with one value in the data has only "all": the one value is the same figure.
        digit = this.radix[d] === 1 ? 0 : pos + 1;
      }
      index = index * this.radix[d]! + digit;
    }
    return index;
  }
}

/**
 * Builds and suppresses a cube. `dimensions` is the number of dimensions; each cell's key names a value in
 * each. Runs in time roughly proportional to (aggregates × dimensions) per round; a month of one metric has a
 * few thousand aggregates.
 */
export function suppressCube(
  dimensions: number,
  cells: readonly CubeCell[],
  k: number = K_ANONYMITY,
  /**
   * Which aggregates some view shows (a value per dimension, null for "all"); default all of them. One that no
   * view shows is unknown to an attacker: it needs no protection and is never used to work another one out.
   */
  published: (filter: readonly (string | null)[]) => boolean = () => true,
): SuppressedCube {
  const dims: string[][] = Array.from({ length: dimensions }, () => []);
  for (const c of cells) {
    if (c.key.length !== dimensions) throw new Error(`suppression: a cell has ${c.key.length} values for ${dimensions} dimensions`);
    c.key.forEach((v, d) => {
      if (!dims[d]!.includes(v)) dims[d]!.push(v);
    });
  }
  for (const d of dims) d.sort();
  // A dimension with one value (or none) is collapsed to "all": its one value is the same figure.
  const radix = dims.map((d) => (d.length < 2 ? 1 : d.length + 1));
  const open = radix.map((r, d) => (r > 1 ? d : -1)).filter((d) => d >= 0);
  const size = radix.reduce((a, b) => a * b, 1);
  const values = new Array<number>(size).fill(0);
  // Every cell adds to each of its 2^dimensions aggregates.
  for (const c of cells) {
    if (!Number.isInteger(c.count) || c.count < 0) throw new Error(`suppression: a count must be a whole number ≥ 0, got ${c.count}`);
    const pos = c.key.map((v, d) => (radix[d] === 1 ? 0 : dims[d]!.indexOf(v) + 1));
    for (let mask = 0; mask < 1 << open.length; mask++) {
      let index = 0;
      for (let d = 0; d < dimensions; d++) {
        const bit = open.indexOf(d);
        index = index * radix[d]! + (bit >= 0 && (mask >> bit) & 1 ? 0 : pos[d]!);
      }
      values[index]! += c.count;
    }
  }
  const lines = buildLines(radix, dims);
  // How detailed an aggregate is: the number of dimensions it pins to one value.
  const stride = radix.map((_, d) => radix.slice(d + 1).reduce((a, b) => a * b, 1));
  const detail = (index: number) => stride.reduce((n, st, d) => n + (Math.floor(index / st) % radix[d]! === 0 ? 0 : 1), 0);
  const status = new Uint8Array(size);
  for (let i = 0; i < size; i++) {
    const filter = stride.map((st, d) => {
      const digit = Math.floor(i / st) % radix[d]!;
      return digit === 0 ? null : dims[d]![digit - 1]!;
    });
    status[i] = !published(filter) ? UNPUBLISHED : values[i]! < k ? SMALL : SHOWN;
  }

  for (let round = 0; round < size + 1; round++) {
    const bounds = attackerBounds(values, status, lines, k);
    const exposed: number[] = [];
    // A small figure no view shows must not be worked out either; a large one may.
    const guarded = (i: number) => status[i] === SMALL || status[i] === HIDDEN || (status[i] === UNPUBLISHED && values[i]! < k);
    for (let i = 0; i < size; i++) if (guarded(i) && values[i]! > 0 && bounds.lo[i] === bounds.hi[i]) exposed.push(i);
    if (exposed.length === 0) break;
    let changed = false;
    for (const i of exposed) changed = protect(i, values, status, lines, detail) || changed;
    if (!changed) throw new Error("suppression: a figure could not be protected");
  }
  return new SuppressedCube({ dims, radix, values, status, k });
}

/** A sum the attacker knows: `total` = Σ `members` (one dimension opened up under an aggregate). */
type Line = { total: number; members: number[] };

function buildLines(radix: readonly number[], dims: readonly (readonly string[])[]): { all: Line[]; byAggregate: Map<number, Line[]> } {
  const size = radix.reduce((a, b) => a * b, 1);
  const all: Line[] = [];
  const byAggregate = new Map<number, Line[]>();
  const add = (i: number, line: Line) => {
    const list = byAggregate.get(i);
    if (list) list.push(line);
    else byAggregate.set(i, [line]);
  };
  const stride = radix.map((_, d) => radix.slice(d + 1).reduce((a, b) => a * b, 1));
  for (let i = 0; i < size; i++) {
    for (let d = 0; d < radix.length; d++) {
      const digit = Math.floor(i / stride[d]!) % radix[d]!;
      if (digit !== 0 || radix[d] === 1) continue;
      const members = dims[d]!.map((_, v) => i + (v + 1) * stride[d]!);
      const line = { total: i, members };
      all.push(line);
      add(i, line);
      for (const m of members) add(m, line);
    }
  }
  return { all, byAggregate };
}

/** The interval an attacker can narrow each aggregate to from what is shown and the sums (to a fixed point). */
export function attackerBounds(values: readonly number[], status: Uint8Array, lines: { all: Line[] }, k: number): { lo: number[]; hi: number[] } {
  const lo = values.map((v, i) => (status[i] === SHOWN ? v : status[i] === HIDDEN ? k : 0));
  const hi = values.map((v, i) => (status[i] === SHOWN ? v : status[i] === SMALL ? k - 1 : Number.POSITIVE_INFINITY));
  for (let pass = 0; pass < 1000; pass++) {
    let changed = false;
    for (const { total, members } of lines.all) {
      let sumLo = 0;
      let finiteHi = 0;
      let unbounded = 0;
      for (const m of members) {
        sumLo += lo[m]!;
        if (Number.isFinite(hi[m]!)) finiteHi += hi[m]!;
        else unbounded++;
      }
      const sumHi = unbounded > 0 ? Number.POSITIVE_INFINITY : finiteHi;
      if (sumLo > lo[total]!) ((lo[total] = sumLo), (changed = true));
      if (sumHi < hi[total]!) ((hi[total] = sumHi), (changed = true));
      for (const m of members) {
        // The others' largest sum: finite unless another member is unbounded.
        const mUnbounded = !Number.isFinite(hi[m]!);
        const othersHi = unbounded - (mUnbounded ? 1 : 0) > 0 ? Number.POSITIVE_INFINITY : finiteHi - (mUnbounded ? 0 : hi[m]!);
        const othersLo = sumLo - lo[m]!;
        const newLo = Number.isFinite(othersHi) ? lo[total]! - othersHi : Number.NEGATIVE_INFINITY;
        const newHi = hi[total]! - othersLo;
        if (newLo > lo[m]!) ((lo[m] = newLo), (changed = true));
        if (newHi < hi[m]!) ((hi[m] = newHi), (changed = true));
      }
    }
    if (!changed) break;
  }
  return { lo, hi };
}

/**
 * Hides one more figure beside an exposed one: a shown figure in one of its sums (a part or a total). The most
 * detailed goes first (so the weekly and overall totals the charts need are hidden last), then the smallest.
 */
function protect(i: number, values: readonly number[], status: Uint8Array, lines: { byAggregate: Map<number, Line[]> }, detail: (index: number) => number): boolean {
  const better = (a: number, b: number | undefined) => b === undefined || detail(a) > detail(b) || (detail(a) === detail(b) && values[a]! < values[b]!);
  let best: number | undefined;
  for (const line of lines.byAggregate.get(i) ?? []) {
    for (const m of [line.total, ...line.members]) if (m !== i && status[m] === SHOWN && better(m, best)) best = m;
  }
  if (best === undefined) return false;
  status[best] = HIDDEN;
  return true;
}

/** A shown figure as text: the number, "< k", or the word for hidden (a figure hidden to protect another). */
export function shownText(s: Shown, k: number, hiddenWord: string): string {
  return s.kind === "value" ? String(s.value) : s.kind === "small" ? `< ${k}` : hiddenWord;
}

/** The value of a shown figure, or undefined when it is suppressed. */
export function shownValue(s: Shown): number | undefined {
  return s.kind === "value" ? s.value : undefined;
}
