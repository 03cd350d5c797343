import { describe, expect, it } from "vitest";
import { binaryAsset, jsonAsset } from "./assetContent.js";

describe("jsonAsset", () => {
  it("is valid JSON of exactly the requested size, carrying its id and revision", () => {
    const bytes = jsonAsset(42, 3, 4096);
    expect(bytes.byteLength).toBe(4096);
    expect(JSON.parse(new TextDecoder().decode(bytes))).toMatchObject({ id: 42, rev: 3 });
  });
  it("is the same on every run, and a new revision changes the content but not the size", () => {
    expect(jsonAsset(7, 0, 4096)).toEqual(jsonAsset(7, 0, 4096));
    expect(jsonAsset(7, 1, 4096)).not.toEqual(jsonAsset(7, 0, 4096));
    expect(jsonAsset(7, 1, 4096).byteLength).toBe(4096);
    expect(jsonAsset(8, 0, 4096)).not.toEqual(jsonAsset(7, 0, 4096));
  });
  it("refuses a size too small to hold the document", () => {
    expect(() => jsonAsset(1, 0, 10)).toThrow(RangeError);
  });
});

describe("binaryAsset", () => {
  it("has the requested size, is deterministic, and differs by id and revision", () => {
    const a = binaryAsset(1, 0, 1001);
    expect(a.byteLength).toBe(1001);
    expect(binaryAsset(1, 0, 1001)).toEqual(a);
    expect(binaryAsset(2, 0, 1001)).not.toEqual(a);
    expect(binaryAsset(1, 1, 1001)).not.toEqual(a);
  });
});
