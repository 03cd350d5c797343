import { describe, expect, it } from "vitest";
import { Loader } from "./Loader.js";

// The example from SPEC.md, as a user would write it.
class CsvLoader extends Loader<string[][]> {
  suffixes = [".csv"];
  parse(raw: Uint8Array) {
    return raw.length ? new TextDecoder().decode(raw).split("\n").map((l) => l.split(",")) : [];
  }
}

describe("a custom loader (SPEC's CsvLoader)", () => {
  it("claims its suffix case-insensitively, ignoring ?query and #hash", () => {
    const loader = new CsvLoader();
    expect(loader.claims("pkg://game/data/items.csv")).toBe(true);
    expect(loader.claims("https://x.test/ITEMS.CSV?v=1#row=2")).toBe(true);
    expect(loader.claims("https://x.test/items.csv.bak")).toBe(false);
  });

  it("parses with its own code and costs its raw size by default", () => {
    const loader = new CsvLoader();
    const raw = new TextEncoder().encode("a,b\nc,d");
    const rows = loader.parse(raw);
    expect(rows).toEqual([["a", "b"], ["c", "d"]]);
    expect(loader.parse(new Uint8Array(0))).toEqual([]);
    expect(loader.sizeOf(rows, raw)).toBe(raw.byteLength);
  });
});
