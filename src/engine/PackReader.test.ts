import { afterEach, describe, expect, it, vi } from "vitest";
import type { PackSlice } from "../kernel/protocol.js";
import { type PackFetch, PackReader } from "./PackReader.js";

const PACK = Uint8Array.from({ length: 64 }, (_, i) => i);
const slice = (offset: number, length = 4): PackSlice => ({ url: "https://a.test/p.pack", packBytes: PACK.length, offset, length });
const member = (offset: number) => ({ slice: slice(offset), signal: new AbortController().signal, onProgress: () => undefined });

function packServer(): { fetchPack: PackFetch; ranges: Array<{ first: number; last: number } | null> } {
  const ranges: Array<{ first: number; last: number } | null> = [];
  const fetchPack: PackFetch = async (_url, range) => {
    ranges.push(range);
    return range === null ? PACK.slice() : PACK.slice(range.first, range.last + 1);
  };
  return { fetchPack, ranges };
}

afterEach(() => vi.useRealTimers());

describe("PackReader", () => {
  it("waits for a read that a request still looking in the store may make, however long the store takes", async () => {
    vi.useFakeTimers();
    const { fetchPack, ranges } = packServer();
    const reader = new PackReader(fetchPack);
    const first = reader.read(member(0));
    const arrived = reader.expect();
    // Far past the quiet time, well inside the longest window.
    await vi.advanceTimersByTimeAsync(200);
    expect(ranges).toEqual([]);
    const second = reader.read(member(8));
    arrived();
    await vi.advanceTimersByTimeAsync(50);
    expect(await first).toEqual(PACK.slice(0, 4));
    expect(await second).toEqual(PACK.slice(8, 12));
    expect(ranges).toEqual([{ first: 0, last: 11 }]);
  });

  it("goes without a read that never comes once the longest window has passed, and asks for the rest alone", async () => {
    vi.useFakeTimers();
    const { fetchPack, ranges } = packServer();
    const reader = new PackReader(fetchPack);
    reader.expect();
    const reads = [reader.read(member(0)), reader.read(member(4))];
    await vi.advanceTimersByTimeAsync(499);
    expect(ranges).toEqual([]);
    await vi.advanceTimersByTimeAsync(10);
    expect(await Promise.all(reads)).toEqual([PACK.slice(0, 4), PACK.slice(4, 8)]);
    expect(ranges).toEqual([{ first: 0, last: 7 }]);
  });

  it("leaves a read alone in its window to its own URL", async () => {
    const { fetchPack, ranges } = packServer();
    const reader = new PackReader(fetchPack);
    expect(await reader.read(member(0))).toBeNull();
    expect(ranges).toEqual([]);
  });
});
