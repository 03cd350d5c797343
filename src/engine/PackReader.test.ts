import { afterEach, describe, expect, it, vi } from "vitest";
import type { PackSlice } from "../kernel/protocol.js";
import { type PackFetch, PackReader } from "./PackReader.js";

const PACK = Uint8Array.from({ length: 64 }, (_, i) => i);
const slice = (offset: number, length = 4): PackSlice => ({ url: "https://a.test/p.pack", packBytes: PACK.length, offset, length });
const member = (offset: number) => ({ slice: slice(offset), signal: new AbortController().signal, onProgress: () => undefined });

function packServer(): { fetchPack: PackFetch; ranges: Array<{ first: number; last: number } | null> } {
  const ranges: Array<{ first: number; last: number } | null> = [];
  const fetchPack: PackFetch = async ({ range }) => {
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

  it("hands each file on as its last byte arrives, before the rest of the pack, and the others once it has come", async () => {
    let finish!: () => void;
    const arrivedAll = new Promise<void>((resolve) => (finish = resolve));
    const reader = new PackReader(async ({ range, onReceived }) => {
      const body = PACK.slice(range!.first, range!.last + 1);
      // The first 6 bytes of the range (8 to 13) arrive, then the rest after a while.
      onReceived(body.subarray(0, 6), body.length);
      await arrivedAll;
      onReceived(body, body.length);
      return body;
    });
    const settled: number[] = [];
    const reads = [8, 12, 16].map((offset) => reader.read(member(offset)).then((bytes) => (settled.push(offset), bytes)));
    await vi.waitFor(() => expect(settled).toEqual([8]));
    finish();
    expect(await Promise.all(reads)).toEqual([PACK.slice(8, 12), PACK.slice(12, 16), PACK.slice(16, 20)]);
    expect(settled).toEqual([8, 12, 16]);
  });

  it("cuts files early from a whole pack a server sent for a range, and never from a body of another length", async () => {
    const tellWhole = new PackReader(async ({ onReceived }) => {
      onReceived(PACK.subarray(0, 20), PACK.length);
      return PACK.slice();
    });
    expect(await Promise.all([tellWhole.read(member(8)), tellWhole.read(member(12))])).toEqual([PACK.slice(8, 12), PACK.slice(12, 16)]);
    expect(tellWhole.counts.rangeIgnored).toBe(1);
    // Declared 3 bytes more than the range: what the bytes are is unknown, so nothing is cut.
    const wrong = new PackReader(async ({ onReceived }) => {
      onReceived(PACK.subarray(0, 11), 11);
      return PACK.slice(0, 11);
    });
    expect(await Promise.all([wrong.read(member(8)), wrong.read(member(12))])).toEqual([null, null]);
    expect(wrong.counts.failed).toBe(1);
  });
});
