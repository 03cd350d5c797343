import { describe, expect, it } from "vitest";
import { joinRange, piecesToClone, splitBody } from "./bodyChunks.js";

describe("splitBody", () => {
  it("cuts a body into copies of its pieces, the last shorter, and joins back to any range", () => {
    const body = Uint8Array.from({ length: 10 }, (_, i) => i);
    const pieces = splitBody(body, 4);
    expect(pieces).toEqual([Uint8Array.of(0, 1, 2, 3), Uint8Array.of(4, 5, 6, 7), Uint8Array.of(8, 9)]);
    expect(pieces.every((piece) => piece.buffer !== body.buffer)).toBe(true);
    expect(joinRange(pieces.slice(1), 1, 5, 9, 4)).toEqual(Uint8Array.of(5, 6, 7, 8));
  });
});

describe("piecesToClone", () => {
  it("hands a one-piece body that is its whole buffer on as it is, and copies a view of part of a buffer", () => {
    const whole = Uint8Array.of(1, 2, 3);
    expect(piecesToClone(whole, 4)[0]).toBe(whole);
    const view = new Uint8Array(16).subarray(2, 5);
    const [piece] = piecesToClone(view, 4);
    expect(piece).toEqual(view);
    // A structured clone of the view would carry all 16 bytes of its buffer.
    expect(piece!.buffer.byteLength).toBe(3);
    expect(piecesToClone(Uint8Array.of(1, 2, 3, 4, 5), 4)).toEqual([Uint8Array.of(1, 2, 3, 4), Uint8Array.of(5)]);
  });
});
