/** mulberry32, a tiny seeded PRNG of 32-bit words: quality is irrelevant, determinism is the point. */
export function seededUint32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
}

/** Numbers in [0, 1) from `seededUint32`: the same seed gives the same fault schedule on every run. */
export function seededRandom(seed: number): () => number {
  const next = seededUint32(seed);
  return () => next() / 2 ** 32;
}

/** A seed derived from `seed` and a string (FNV-1a), so each uri gets its own stable draw. */
export function seedFor(seed: number, text: string): number {
  let hash = 0x811c9dc5 ^ (seed >>> 0);
  for (let i = 0; i < text.length; i += 1) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}
