/**
 * A small seeded generator (mulberry32): numbers in [0, 1) that repeat for a seed on every machine. For what must
 * replay the same way (the sentence model's training shuffle, a benchmark trace, a fake platform's choices), never
 * for anything secret.
 */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
