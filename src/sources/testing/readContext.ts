import type { ReadContext } from "../Source.js";

/** A ReadContext for source tests that records progress reports. */
export function readContext(overrides: Partial<ReadContext> = {}): ReadContext & { progress: [number, number | null][] } {
  const progress: [number, number | null][] = [];
  return {
    signal: new AbortController().signal,
    knownVersion: null,
    onProgress: (loaded, total) => progress.push([loaded, total]),
    progress,
    ...overrides,
  };
}
