import { describe, expect, it } from "vitest";
import { parseRange } from "./parseRange.js";

describe("parseRange", () => {
  it.each([
    ["bytes=0-1", { kind: "range", start: 0, end: 1 }],
    ["bytes=100-", { kind: "range", start: 100, end: 999 }],
    ["bytes=-500", { kind: "range", start: 500, end: 999 }],
    ["bytes=-5000", { kind: "range", start: 0, end: 999 }],
    ["bytes=990-5000", { kind: "range", start: 990, end: 999 }],
    ["bytes=999-999", { kind: "range", start: 999, end: 999 }],
    ["BYTES = 2 - 3", { kind: "range", start: 2, end: 3 }],
  ])("a single range %j of a 1000-byte body is that range, clamped to the body", (header, expected) => {
    expect(parseRange(header, 1000)).toEqual(expected);
  });

  it.each(["bytes=1000-", "bytes=1000-1001", "bytes=-0", "bytes=5000-6000"])("%j asks for no byte of a 1000-byte body: unsatisfiable", (header) => {
    expect(parseRange(header, 1000)).toEqual({ kind: "unsatisfiable" });
  });

  it("any range of an empty body is unsatisfiable", () => {
    expect(parseRange("bytes=0-1", 0)).toEqual({ kind: "unsatisfiable" });
    expect(parseRange("bytes=-1", 0)).toEqual({ kind: "unsatisfiable" });
  });

  it.each([
    ["no header", null],
    ["several ranges", "bytes=0-1, 5-6"],
    ["another unit", "items=0-1"],
    ["no unit", "0-1"],
    ["no numbers", "bytes=-"],
    ["last before first", "bytes=5-2"],
    ["letters", "bytes=a-b"],
    ["a negative start", "bytes=--1"],
    ["a number past 2^53", "bytes=99999999999999999999-"],
    ["an empty header", ""],
    ["garbage", "bytes=0-1\u0000"],
  ])("%s: the whole body, never a failure", (_name, header) => {
    expect(parseRange(header, 1000)).toEqual({ kind: "none" });
  });
});
