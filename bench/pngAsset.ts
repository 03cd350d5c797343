import { crc32, deflateSync } from "node:zlib";
import { seededUint32 as mulberry32 } from "../test/support/core/seededRandom.js";

const SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

function chunk(type: string, data: Uint8Array): Buffer {
  const out = Buffer.alloc(12 + data.byteLength);
  out.writeUInt32BE(data.byteLength, 0);
  out.write(type, 4, "latin1");
  out.set(data, 8);
  // The CRC covers the type and the data, not the length.
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.byteLength)), 8 + data.byteLength);
  return out;
}

/**
 * A `side`×`side` RGBA PNG a browser decodes (`<img>` fires `load`, not `error`). Its pixels are
 * pseudo-random per id, so deflate cannot shrink it and every image is about `4·side²` bytes; a
 * `rev` above zero changes the first pixel, hence the bytes and the ETag, not the size.
 */
export function pngAsset(id: number, rev: number, side = 32): Uint8Array {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(side, 0);
  header.writeUInt32BE(side, 4);
  header[8] = 8; // bits per channel
  header[9] = 6; // RGBA
  const rowBytes = 1 + side * 4;
  const raw = Buffer.alloc(rowBytes * side);
  const next = mulberry32(0x5bd1e995 ^ (id + 1));
  for (let y = 0; y < side; y++) {
    // Filter byte 0 (none) opens each row; the rest are the row's pixels.
    for (let x = 1; x < rowBytes; x++) raw[y * rowBytes + x] = next() & 0xff;
  }
  if (rev > 0) raw[1] = (raw[1] as number) ^ (rev & 0xff);
  return new Uint8Array(Buffer.concat([Buffer.from(SIGNATURE), chunk("IHDR", header), chunk("IDAT", deflateSync(raw)), chunk("IEND", new Uint8Array(0))]));
}
