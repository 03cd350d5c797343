import { describe, expect, it } from "vitest";
import { median, percentile, ratio } from "./stats.js";

describe("median", () => {
  it("takes the middle of an odd count whatever the order", () => {
    expect(median([9, 1, 5])).toBe(5);
  });
  it("averages the two middle values of an even count", () => {
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });
  it("ignores missing and non-finite figures", () => {
    expect(median([null, 7, undefined, Number.NaN, 3, Infinity])).toBe(5);
  });
  it("is null when no repetition produced the figure", () => {
    expect(median([])).toBeNull();
    expect(median([null, null])).toBeNull();
  });
});

describe("percentile", () => {
  it("p50 and p99 of 100 frames are the 50th and 99th costliest", () => {
    const samples = Array.from({ length: 100 }, (_, i) => 100 - i);
    expect(percentile(samples, 50)).toBe(50);
    expect(percentile(samples, 99)).toBe(99);
    expect(percentile(samples, 100)).toBe(100);
  });
  it("is always one of the samples", () => {
    expect(percentile([0.25, 4], 50)).toBe(0.25);
    expect(percentile([0.25, 4], 99)).toBe(4);
  });
  it("is null for no samples and refuses a percentile outside 0..100", () => {
    expect(percentile([], 50)).toBeNull();
    expect(() => percentile([1], 101)).toThrow(RangeError);
  });
});

describe("ratio", () => {
  it("divides, and is null when a side is missing or the base is zero", () => {
    expect(ratio(3, 2)).toBe(1.5);
    expect(ratio(null, 2)).toBeNull();
    expect(ratio(3, 0)).toBeNull();
  });
});
