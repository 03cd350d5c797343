/**
 * `body` in pieces for a store that clones what it is given (IndexedDB): a body of one piece that
 * is its buffer's whole is not copied first (a structured clone of a view of part of a buffer
 * would store the whole buffer, so those are). 13 ms of the worker's thread per 1,000 small files.
 */
export function piecesToClone(body: Uint8Array, chunkBytes: number): Uint8Array[] {
  if (body.length <= chunkBytes && body.byteOffset === 0 && body.byteLength === body.buffer.byteLength) return [body];
  return splitBody(body, chunkBytes);
}

/** `body` cut into pieces of `chunkBytes` (the last may be shorter; an empty body is one empty piece), each a copy of its own bytes. */
export function splitBody(body: Uint8Array, chunkBytes: number): Uint8Array[] {
  if (body.length <= chunkBytes) return [body.slice()];
  const chunks: Uint8Array[] = [];
  for (let offset = 0; offset < body.length; offset += chunkBytes) chunks.push(body.slice(offset, offset + chunkBytes));
  return chunks;
}

/** The indexes of the pieces that bytes `start` to `end` (exclusive) lie in. */
export function chunkSpan(start: number, end: number, chunkBytes: number): { first: number; last: number } {
  return { first: Math.floor(start / chunkBytes), last: Math.max(Math.floor(start / chunkBytes), Math.floor((end - 1) / chunkBytes)) };
}

/** The pieces `first`.. joined, cut to bytes `start` to `end` of the whole body. */
export function joinRange(chunks: readonly Uint8Array[], first: number, start: number, end: number, chunkBytes: number): Uint8Array {
  const joined = new Uint8Array(end - start);
  let written = 0;
  chunks.forEach((chunk, i) => {
    const chunkStart = (first + i) * chunkBytes;
    const from = Math.max(start - chunkStart, 0);
    const to = Math.min(end - chunkStart, chunk.length);
    if (to > from) {
      joined.set(chunk.subarray(from, to), written);
      written += to - from;
    }
  });
  return written === joined.length ? joined : joined.subarray(0, written);
}

/**
 * `chunks` (a body read from the network) as one array of `length` bytes: the only chunk itself
 * when it fills its own buffer, else a copy of them all, one after the other.
 */
export function joinChunks(chunks: readonly Uint8Array[], length: number): Uint8Array {
  if (chunks.length === 1 && chunks[0]!.byteOffset === 0 && chunks[0]!.buffer.byteLength === length) return chunks[0]!;
  const joined = new Uint8Array(length);
  let offset = 0;
  for (const chunk of chunks) {
    joined.set(chunk, offset);
    offset += chunk.length;
  }
  return joined;
}
