import { describe, expect, it } from "vitest";
import { readBody, readBodyStart } from "./readBody.js";
import { AssetError } from "../kernel/AssetError.js";

function streamOf(...chunks: number[][]): ReadableStream<Uint8Array> {
  return new ReadableStream({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(Uint8Array.from(chunk));
      controller.close();
    },
  });
}

describe("readBody", () => {
  it("shows the bytes so far after each chunk of a body of declared length", async () => {
    const seen: Array<[number[], number]> = [];
    const body = await readBody(streamOf([1, 2], [3], [4, 5]), {
      uri: "https://a.test/p",
      expectedBytes: 5,
      onChunk: () => undefined,
      onProgress: () => undefined,
      onReceived: (received, declared) => seen.push([[...received], declared]),
    });
    expect(body).toEqual(Uint8Array.of(1, 2, 3, 4, 5));
    expect(seen).toEqual([[[1, 2], 5], [[1, 2, 3], 5], [[1, 2, 3, 4, 5], 5]]);
  });

  it("shows nothing of a body of unknown length, nor past a declared length that was wrong", async () => {
    const seen: number[] = [];
    const onReceived = (received: Uint8Array): void => void seen.push(received.length);
    await readBody(streamOf([1], [2]), { uri: "https://a.test/p", expectedBytes: null, onChunk: () => undefined, onProgress: () => undefined, onReceived });
    expect(seen).toEqual([]);
    const body = await readBody(streamOf([1, 2], [3, 4]), { uri: "https://a.test/p", expectedBytes: 3, onChunk: () => undefined, onProgress: () => undefined, onReceived });
    expect(body).toEqual(Uint8Array.of(1, 2, 3, 4));
    expect(seen).toEqual([2]);
  });
});

describe("readBodyStart", () => {
  const options = { uri: "https://a.test/u", onChunk: () => undefined, onProgress: () => undefined };

  it("returns a body that ends within the limit whole", async () => {
    expect(await readBodyStart(streamOf([1, 2], [3]), 4, options)).toEqual({ bytes: Uint8Array.of(1, 2, 3), rest: null });
  });

  it("returns a longer body as a stream of all of it, the bytes read so far first", async () => {
    const start = await readBodyStart(streamOf([1, 2], [3, 4], [5], [6]), 3, options);
    expect(start.bytes).toBeNull();
    const reader = start.rest!.getReader();
    const read: number[] = [];
    for (let next = await reader.read(); !next.done; next = await reader.read()) read.push(...next.value);
    expect(read).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it("refuses a body past maxBytes with TOO_LARGE", async () => {
    const refused = await readBodyStart(streamOf([1, 2], [3, 4]), 100, { ...options, maxBytes: 3 }).catch((error: unknown) => error);
    expect(AssetError.is(refused) && refused.code).toBe("TOO_LARGE");
  });
});
