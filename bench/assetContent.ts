// Deterministic asset bytes: the same sizes and contents on every run and every machine.

import { seededUint32 as mulberry32 } from "../test/support/core/seededRandom.js";

const PAD_ALPHABET = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

/**
 * A JSON document of exactly `sizeBytes` bytes: `{"id":…,"rev":…,"pad":"…"}`. The pad depends on
 * the id only, so bumping `rev` changes the content (and the ETag) but not the size class.
 */
export function jsonAsset(id: number, rev: number, sizeBytes: number): Uint8Array {
  const head = `{"id":${id},"rev":${rev},"pad":"`;
  const tail = `"}`;
  const padLength = sizeBytes - head.length - tail.length;
  if (padLength < 0) throw new RangeError(`a JSON asset needs at least ${head.length + tail.length} bytes`);
  const next = mulberry32(id + 1);
  let pad = "";
  for (let i = 0; i < padLength; i++) pad += PAD_ALPHABET[next() % PAD_ALPHABET.length];
  return new TextEncoder().encode(head + pad + tail);
}

/** `sizeBytes` of incompressible pseudo-random bytes; a `rev` above zero changes the first bytes. */
export function binaryAsset(id: number, rev: number, sizeBytes: number): Uint8Array {
  const words = new Uint32Array(Math.ceil(sizeBytes / 4));
  const next = mulberry32(0x9e3779b9 ^ (id + 1));
  for (let i = 0; i < words.length; i++) words[i] = next();
  if (rev > 0 && words.length > 0) words[0] = (words[0] as number) ^ rev;
  return new Uint8Array(words.buffer, 0, sizeBytes);
}
