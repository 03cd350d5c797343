import { describe, expect, it } from "vitest";
import { BytesLoader } from "./BytesLoader.js";

describe("BytesLoader", () => {
  it("returns the raw bytes unchanged", () => {
    const raw = new Uint8Array([0, 1, 2, 255]);
    expect(new BytesLoader().parse(raw)).toBe(raw);
  });

  it("claims nothing by suffix, so it only serves as the fallback", () => {
    const loader = new BytesLoader();
    expect(loader.suffixes).toEqual([]);
    expect(loader.claims("pkg://game/data.bin")).toBe(false);
    expect(loader.claims("mem://x")).toBe(false);
  });

  it("costs its byte length in the memory cache", () => {
    const raw = new Uint8Array(123);
    const loader = new BytesLoader();
    expect(loader.sizeOf(loader.parse(raw), raw)).toBe(123);
  });
});
