import { crc32, inflateSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { pngAsset } from "./pngAsset.js";

interface PngChunk {
  type: string;
  data: Buffer;
  crcOk: boolean;
}

function chunksOf(png: Uint8Array): PngChunk[] {
  const bytes = Buffer.from(png);
  const chunks: PngChunk[] = [];
  for (let at = 8; at < bytes.byteLength; ) {
    const length = bytes.readUInt32BE(at);
    const type = bytes.toString("latin1", at + 4, at + 8);
    const data = bytes.subarray(at + 8, at + 8 + length);
    const crcOk = bytes.readUInt32BE(at + 8 + length) === crc32(bytes.subarray(at + 4, at + 8 + length));
    chunks.push({ type, data, crcOk });
    at += 12 + length;
  }
  return chunks;
}

describe("pngAsset", () => {
  it("is a PNG of the asked side, RGBA, whose chunks all check and whose pixels inflate to every row", () => {
    const png = pngAsset(3, 0, 16);
    expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    const chunks = chunksOf(png);
    expect(chunks.map((chunk) => chunk.type)).toEqual(["IHDR", "IDAT", "IEND"]);
    expect(chunks.every((chunk) => chunk.crcOk)).toBe(true);
    const header = chunks[0]?.data as Buffer;
    expect([header.readUInt32BE(0), header.readUInt32BE(4), header[8], header[9]]).toEqual([16, 16, 8, 6]);
    const rows = inflateSync(chunks[1]?.data as Buffer);
    expect(rows.byteLength).toBe(16 * (1 + 16 * 4));
    // Every row starts with filter type 0.
    expect(Array.from({ length: 16 }, (_, y) => rows[y * 65])).toEqual(new Array(16).fill(0));
  });

  it("is about 4 KiB at the default side, the same on every run, and differs by id and revision, not by size", () => {
    const png = pngAsset(7, 0);
    expect(png.byteLength).toBeGreaterThan(4096);
    expect(png.byteLength).toBeLessThan(4400);
    expect(pngAsset(7, 0)).toEqual(png);
    expect(pngAsset(8, 0)).not.toEqual(png);
    expect(pngAsset(7, 1)).not.toEqual(png);
    expect(pngAsset(7, 1).byteLength).toBe(png.byteLength);
  });
});
