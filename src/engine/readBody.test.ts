import { describe, expect, it } from "vitest";
import { readBody } from "./readBody.js";

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
